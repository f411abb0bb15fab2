"""Numbers for people: the one place where the book turns a computed float into text.

Every number that reaches a page (the prose through ``{eval}``, a checks table, a printed line) goes
through these functions, so that it

* carries only the digits its claim supports (two significant figures unless the caller asks for
  more), which also makes the text the same on any CPU and BLAS;
* reads as a person writes it: ``2.2 × 10⁸``, ``0.075``, ``35``, ``−0.50``; never ``2.2e+08``;
* shows round-off as a bound (``< 10⁻¹²``), not as the noise that happens to come out.

Each function returns a :class:`Shown`, a ``str`` whose ``repr`` is the text itself, so that an
``{eval}`` expression in the prose shows ``2.2 × 10⁸`` and not ``'2.2 × 10⁸'``.
"""

from __future__ import annotations

import math

from ._checks import check_finite_scalar

__all__ = ["Shown", "num", "pct", "roundoff", "sci", "slope"]

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
MINUS = "\u2212"


class Shown(str):
    """Text made from a number: a ``str`` whose ``repr`` is itself (no quotes in rendered prose)."""

    def __repr__(self) -> str:
        return str(self)


def _sign(text: str) -> str:
    return text.replace("-", MINUS)


def sci(x: float, sig: int = 2) -> Shown:
    """``x`` as ``m × 10ᵏ`` with ``sig`` significant figures: ``2.2 × 10⁸`` (``10⁻⁵`` for sig = 1, m = 1)."""
    _check_sig(sig)
    x = check_finite_scalar(x, "x")
    if x == 0:
        return Shown("0")
    mantissa, exponent = f"{x:.{sig - 1}e}".split("e")
    k = int(exponent)
    if float(mantissa.lstrip("-")) == 1.0:  # 1.0 × 10⁻¹² reads as 10⁻¹²
        body = f"10{str(k).translate(_SUPERSCRIPT)}"
        return Shown(_sign(("-" if x < 0 else "") + body))
    return Shown(_sign(f"{mantissa} × 10{str(k).translate(_SUPERSCRIPT)}"))


def num(x: float, sig: int = 2, *, big: float = 1e5, small: float = 1e-3) -> Shown:
    """``x`` with ``sig`` significant figures, in plain decimals between ``small`` and ``big``.

    Outside that range (in absolute value) it is written as :func:`sci`. Integers in range keep
    are rounded to ``sig`` significant figures too (``num(66635.4, 3)`` is ``66 600``: thousands
    are separated by a thin space from 10 000 on).

    Examples
    --------
    >>> num(0.075061), num(22.06), num(2.2e8), num(-0.5), num(1234.5, 3)
    (0.075, 22, 2.2 × 10⁸, −0.50, 1230)
    """
    _check_sig(sig)
    x = check_finite_scalar(x, "x")
    if x == 0:
        return Shown("0")
    if not small <= abs(x) < big:
        return sci(x, sig)
    exponent = math.floor(math.log10(abs(x)))
    if abs(float(f"{x:.{sig - 1}e}")) >= 10.0 ** (exponent + 1):  # 9.96 -> 10: one decade up
        exponent += 1
    decimals = sig - 1 - exponent
    if decimals > 0:
        text = f"{x:.{decimals}f}"
    else:
        text = f"{round(x, decimals):.0f}"
        if abs(x) >= 1e4:  # thin space between thousands: 66 600
            text = f"{round(x, decimals):,.0f}".replace(",", "\u2009")
    return Shown(_sign(text))


def pct(fraction: float, sig: int = 2) -> Shown:
    """A fraction as a percentage with ``sig`` significant figures: ``pct(0.0018) == '0.18 %'``."""
    return Shown(f"{num(100 * check_finite_scalar(fraction, 'fraction'), sig)} %")


def roundoff(x: float, floor: float, sig: int = 2) -> Shown:
    """``x``, or ``< floor`` when ``|x|`` is below ``floor`` (the computation's round-off level).

    Use it for quantities that are zero in exact arithmetic (a training risk driven to machine
    precision, the distance between two paths that must coincide): their printed noise changes
    from one CPU to another, the bound does not.

    Examples
    --------
    >>> roundoff(3.6e-27, 1e-20), roundoff(0.25, 1e-12)
    (< 10⁻²⁰, 0.25)
    """
    x = check_finite_scalar(x, "x")
    floor = check_finite_scalar(floor, "floor")
    if not floor > 0:
        raise ValueError(f"floor must be > 0, got {floor!r}")
    if abs(x) < floor:
        exponent = math.ceil(math.log10(floor))
        return Shown(f"< {sci(10.0**exponent, 1)}")
    return num(x, sig)


def slope(value: float, interval: tuple[float, float] | None = None) -> Shown:
    """A fitted exponent to the digits its interval supports.

    With an interval of half-width ``h``, the value is rounded to the decade of ``h`` (one more digit
    when ``h`` starts with 1 or 2), and the interval is shown beside it: ``−0.50 [−0.57, −0.43]``.
    Without one, two decimals.
    """
    value = check_finite_scalar(value, "value")
    if interval is None:
        return Shown(_sign(f"{value:.2f}"))
    lo, hi = (check_finite_scalar(v, "interval") for v in interval)
    if not lo <= hi:
        raise ValueError(f"interval must be (low, high) with low <= high, got {interval!r}")
    half = max((hi - lo) / 2, 1e-12)
    decimals = max(-math.floor(math.log10(half)), 0)
    if f"{half:.1e}"[0] in "12":
        decimals += 1
    decimals = min(decimals, 4)
    return Shown(_sign(f"{value:.{decimals}f} [{lo:.{decimals}f}, {hi:.{decimals}f}]"))


def _check_sig(sig: int) -> None:
    if isinstance(sig, bool) or not isinstance(sig, int) or sig < 1:
        raise ValueError(f"sig must be a positive integer, got {sig!r}")
