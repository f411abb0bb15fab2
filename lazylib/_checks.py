"""Input validation shared by every public entry point of :mod:`lazylib`.

Each helper raises :class:`ValueError` whose message names the offending argument and says
what was wrong (shape, NaN/inf, sign), so that bad input never turns into a silent NaN.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

import numpy as np
from numpy.typing import ArrayLike

from ._types import Array, Seed

__all__ = [
    "as_array",
    "as_inputs",
    "as_weights",
    "check_allocation",
    "check_choice",
    "check_finite_scalar",
    "check_flag",
    "check_in_range",
    "check_instance",
    "check_nonnegative",
    "check_positive",
    "check_positive_array",
    "check_positive_int",
    "check_times",
    "check_tolerance",
    "finite_result",
    "make_rng",
    "quiet_overflow",
]


def as_array(
    value: ArrayLike,
    name: str,
    ndim: int | None = None,
    shape: Sequence[int | None] | None = None,
) -> Array:
    """Convert ``value`` to a finite float64 array, checking its rank and shape.

    Parameters
    ----------
    value : array_like
        The input.
    name : str
        Name of the argument, used in error messages.
    ndim : int, optional
        Required number of dimensions.
    shape : sequence of int or None, optional
        Required shape; ``None`` entries are free.

    Raises
    ------
    ValueError
        If the value is not numeric, has the wrong rank or shape, or holds NaN/inf.
    """
    if isinstance(value, (str, bytes)):
        raise ValueError(f"{name} must be a numeric array, got {type(value).__name__}")
    try:
        raw = np.asarray(value)
        if raw.dtype.kind in "bUSVMmc":  # booleans, text, bytes, void, dates, complex
            raise TypeError(raw.dtype)
        arr = np.asarray(raw, dtype=np.float64)
    except (TypeError, ValueError, OverflowError) as exc:
        raise ValueError(f"{name} must be a numeric array, got {type(value).__name__}") from exc
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional, got shape {arr.shape}")
    if shape is not None:
        if arr.ndim != len(shape) or any(
            want is not None and got != want for got, want in zip(arr.shape, shape, strict=True)
        ):
            want_txt = "(" + ", ".join("*" if s is None else str(s) for s in shape) + ")"
            raise ValueError(f"{name} must have shape {want_txt}, got {arr.shape}")
    if arr.size and not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or inf")
    return arr


#: Largest array (in float64 entries, 2 GB) an entry point allocates: beyond it, a clear
#: ``ValueError`` naming the sizes, not a ``MemoryError`` (or swapping) halfway through.
MAX_ELEMENTS = 1 << 28


def check_allocation(shape: Sequence[int], what: str) -> None:
    """Refuse to allocate a float64 array of ``shape`` above :data:`MAX_ELEMENTS` entries; ``what``
    names the arguments that set the size."""
    size = 1
    for k in shape:
        size *= int(k)
    if size > MAX_ELEMENTS:
        raise ValueError(
            f"{what} give an array of {size:.3g} floats ({8 * size / 2**30:.3g} GiB), above the "
            f"{MAX_ELEMENTS:.3g} ({8 * MAX_ELEMENTS / 2**30:.0f} GiB) this library allocates: "
            "use smaller sizes"
        )


def as_inputs(value: ArrayLike, name: str = "X") -> Array:
    """A batch of inputs with no network to match: finite, shape ``(n, d)`` with ``n, d >= 1``."""
    X = as_array(value, name, ndim=2)
    if X.shape[0] < 1 or X.shape[1] < 1:
        raise ValueError(f"{name} must hold at least one input of dimension >= 1, got shape {X.shape}")
    return X


def check_finite_scalar(value: float, name: str) -> float:
    """Return ``value`` as a float, raising ``ValueError`` if it is not a finite real number."""
    if isinstance(value, (bool, np.bool_, str, bytes)):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    try:
        out = float(value)
    except (TypeError, ValueError, OverflowError) as exc:
        raise ValueError(f"{name} must be a real number, got {value!r}") from exc
    if not np.isfinite(out):
        raise ValueError(f"{name} must be finite, got {out}")
    return out


def check_positive(value: float, name: str) -> float:
    """Return ``value`` as a float, raising ``ValueError`` unless it is finite and > 0."""
    out = check_finite_scalar(value, name)
    if out <= 0:
        raise ValueError(f"{name} must be > 0, got {out}")
    return out


def check_positive_int(value: int, name: str, minimum: int = 1) -> int:
    """Return ``value`` as an int, raising ``ValueError`` unless it is an integer >= ``minimum``.

    Only true integers pass (Python or NumPy ints): 4.7, ``True`` and ``"8"`` are refused, never
    truncated or converted.
    """
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def check_times(value: ArrayLike, name: str, min_size: int = 1) -> Array:
    """A time grid: finite, 1-D, at least ``min_size`` times, non-negative and non-decreasing.

    Repeated times are allowed (a solver reports the same state twice); a list such as ``[0.0]``
    is as good as an array.

    Raises
    ------
    ValueError
        Naming ``name`` and what was wrong.
    """
    t = as_array(value, name, ndim=1)
    if t.size < max(min_size, 1):
        need = "one time" if min_size <= 1 else f"{min_size} times"
        raise ValueError(f"{name} must hold at least {need}, got {t.size}")
    if np.any(t < 0) or np.any(np.diff(t) < 0):
        raise ValueError(f"{name} must be non-negative and non-decreasing")
    return t


def check_positive_array(value: ArrayLike, name: str) -> Array:
    """A non-empty 1-D array of finite values > 0 (a sweep of scales α, τ, widths factors, …)."""
    arr = as_array(value, name, ndim=1)
    if arr.size == 0 or np.any(arr <= 0):
        raise ValueError(f"{name} must be a non-empty array of values > 0")
    return arr


def check_nonnegative(value: float, name: str) -> float:
    """Return ``value`` as a float, raising ``ValueError`` unless it is finite and >= 0."""
    out = check_finite_scalar(value, name)
    if out < 0:
        raise ValueError(f"{name} must be finite and >= 0, got {out}")
    return out


def check_in_range(
    value: float,
    name: str,
    low: float,
    high: float,
    *,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """Return ``value`` as a float, raising ``ValueError`` unless it lies in the given interval."""
    out = check_finite_scalar(value, name)
    too_low = out <= low if low_open else out < low
    too_high = out >= high if high_open else out > high
    if too_low or too_high:
        interval = f"{'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
        raise ValueError(f"{name} must be in {interval}, got {out}")
    return out


#: Relative tolerances an ODE solver is given: SciPy raises the floor to 100·eps with a warning,
#: and above 1e-2 an adaptive step no longer follows the flow (the risk can even increase).
RTOL_RANGE = (100 * float(np.finfo(np.float64).eps), 1e-2)


def check_tolerance(value: float, name: str) -> float:
    """A relative ODE tolerance, in ``RTOL_RANGE`` (100·eps to 1e-2)."""
    return check_in_range(value, name, *RTOL_RANGE)


def check_choice(value: Any, name: str, choices: Sequence[str]) -> str:
    """Return ``value`` if it is one of the strings ``choices``, else raise ``ValueError``."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} must be one of {tuple(choices)}, got {value!r}")
    return value


def check_flag(value: Any, name: str) -> bool:
    """Return ``value`` as a bool if it is one (Python or NumPy), else raise ``ValueError``: a flag
    given as ``"no"`` or ``0.5`` is refused, not read by its truth value."""
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False, got {value!r}")
    return bool(value)


_T = TypeVar("_T")


def check_instance(value: Any, cls: type[_T], name: str) -> _T:
    """Return ``value`` if it is a ``cls``, else raise ``TypeError`` naming ``name`` (a net, a task,
    a trajectory passed as something else fails here, not with an AttributeError deep inside)."""
    if not isinstance(value, cls):
        raise TypeError(f"{name} must be a {cls.__name__}, got {type(value).__name__}")
    return value


def as_weights(value: ArrayLike, name: str, shape: tuple[int, int]) -> Array:
    """Weights of a network with ``W`` of shape ``shape = (m, d)``: an ``(m, d)`` array or its
    ``ravel()`` (length ``m·d``), returned as ``(m, d)``. Any other shape is refused, even of the
    same size (a transposed ``(d, m)`` array is not silently reshaped)."""
    arr = as_array(value, name)
    size = shape[0] * shape[1]
    if arr.shape == shape:
        return arr
    if arr.shape == (size,):
        return arr.reshape(shape)
    raise ValueError(f"{name} must have {size} entries, as shape {shape} or ({size},), got shape {arr.shape}")


def make_rng(rng: Seed, name: str = "rng") -> np.random.Generator:
    """A :class:`numpy.random.Generator` from a :data:`~lazylib._types.Seed` (int >= 0, Generator
    or None); anything else (a float, a bool, a string) raises naming ``name``."""
    if isinstance(rng, np.random.Generator) or rng is None:
        return np.random.default_rng(rng)
    if isinstance(rng, (bool, np.bool_)) or not isinstance(rng, (int, np.integer)):
        raise TypeError(f"{name} must be an int seed, a numpy Generator or None, got {rng!r}")
    if rng < 0:
        raise ValueError(f"{name} must be a seed >= 0, got {rng}")
    return np.random.default_rng(int(rng))


def finite_result(value: ArrayLike, what: str) -> Array:
    """Return ``value`` as a float64 array, raising ``ValueError`` if it holds NaN or inf.

    For results that valid-looking but extreme input (huge inputs or weights, absurd scales) pushes
    past float64: the caller is told which input to shrink instead of getting NaN back.
    """
    arr = np.asarray(value, dtype=np.float64)
    if not np.isfinite(arr).all():
        raise ValueError(f"{what} overflows float64 (NaN or inf): the inputs are too large")
    return arr


_Func = TypeVar("_Func", bound=Callable[..., Any])


def quiet_overflow(func: _Func) -> _Func:
    """Run ``func`` with NumPy's overflow/invalid/divide warnings off. For functions whose results
    pass through :func:`finite_result` (or an equivalent check): inputs so large or small that an
    intermediate overflows are then reported as a ``ValueError`` naming what overflowed, not as a
    RuntimeWarning followed by NaN."""

    @functools.wraps(func)
    def quiet(*args: Any, **kwargs: Any) -> Any:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return func(*args, **kwargs)

    return cast(_Func, quiet)
