"""Evidence as data: a claim's check is a record, a section's checks are one table.

(Results that are not claims, such as a sweep's numbers, go in a :class:`Table`.)

A page computes both sides of every claim (a theorem's inequality, a fitted exponent, a predicted
constant) and records them in a :class:`Checks` table instead of asserting them inline::

    checks = Checks("Lemma 8.1 on the network's flow")
    checks.le("risk ≤ R̂₀ e^{−2λt}, max ratio", ratio.max(), 1.0)
    checks.close("fitted exponent of ‖f − f₀‖ in m", fit.slope, -0.5, tol=0.1)
    checks.show()  # asserts every record, then displays the table

:meth:`Checks.show` raises :class:`AssertionError` naming every claim that fails, so nbval fails
when a claim fails; otherwise the table is displayed as Markdown (a real table on the site, in the
PDF and in JupyterLab) with numbers formatted by :mod:`lazylib.formatting`, and a one-line text
summary for consoles. Each record keeps its raw numbers (``measured``, ``bound``) for tests.

The margin column says how much room a claim has, in the same words for every page:

* ``≤`` (``le``): the ratio measured / bound; ``≥`` (``ge``): the ratio bound / measured (for
  negative numbers the inverse ratio): ``≤ 1`` holds for both, and the smaller the margin, the more
  room;
* ``≈`` (``close``): the distance ``|measured − expected|`` as a share of the tolerance (``≤ 1`` holds);
* ``∈`` (``within``): the measured value against the interval;
* a fact (``fact``): yes or no, with the measured value in words.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ._checks import check_finite_scalar
from .formatting import Shown, num, roundoff

__all__ = ["Check", "Checks", "Table"]

_RELATIONS = ("le", "ge", "close", "within", "fact")
#: The columns of a checks table.
_CHECKS_HEADER = ("Claim", "Measured", "Bound or target", "Margin", "OK")


@dataclass(frozen=True)
class Check:
    """One claim and the numbers that test it.

    Attributes
    ----------
    claim : str
        The claim in words (Markdown; ``$...$`` math is allowed, ``|`` in it becomes ``\\vert``).
    relation : str
        ``"le"``, ``"ge"``, ``"close"``, ``"within"`` or ``"fact"``.
    measured : float
        The computed left-hand side (1.0/0.0 for a fact).
    bound : float
        The bound (``le``, ``ge``), the expected value (``close``) or the interval's low end
        (``within``); NaN for a fact.
    upper : float
        The tolerance (``close``) or the interval's high end (``within``); NaN otherwise.
    sig : int
        Significant figures shown for the numbers.
    floor : float
        Values below this in absolute value are shown as ``< floor`` (round-off); 0 shows all.
    measured_text : str
        For a fact: the measured value in words; otherwise derived from ``measured``.
    """

    claim: str
    relation: str
    measured: float
    bound: float = math.nan
    upper: float = math.nan
    sig: int = 2
    floor: float = 0.0
    measured_text: str = ""

    @property
    def holds(self) -> bool:
        """Whether the claim holds for the recorded numbers."""
        m, b, u = self.measured, self.bound, self.upper
        if self.relation == "fact":
            return bool(m)
        if self.relation == "le":
            return m <= b
        if self.relation == "ge":
            return m >= b
        if self.relation == "close":
            return abs(m - b) <= u
        return b <= m <= u  # within

    @property
    def margin(self) -> float:
        """The room left, at most 1 when the claim holds.

        For ``small ≤ large`` (le: measured ≤ bound; ge: bound ≤ measured) it is the ratio
        small/large when ``large > 0``, and large/small when both are negative (−2.1 ≤ −1.5 has
        margin 0.71, not 1.4); for close, ``|measured − expected|/tol``; NaN for the others.
        """
        m, b, u = self.measured, self.bound, self.upper
        if self.relation in ("le", "ge"):
            small, large = (m, b) if self.relation == "le" else (b, m)
            if large < 0:
                return large / small if small < 0 else math.inf
            return small / large if large != 0 else math.copysign(math.inf, small) if small else 1.0
        if self.relation == "close":
            return abs(m - b) / u if u > 0 else (0.0 if m == b else math.inf)
        return math.nan

    @property
    def at_roundoff(self) -> bool:
        """Whether the measured value (``close``: its distance to the target) is below ``floor``."""
        gap = abs(self.measured - self.bound) if self.relation == "close" else abs(self.measured)
        return self.floor > 0 and gap < self.floor

    def _margin(self) -> str:
        # a margin computed from round-off is noise that differs between machines: not shown; else
        # with the record's digits (a 3-digit claim's 0.995 is not "1.0")
        if self.at_roundoff:
            return "round-off"
        return num(self.margin, self.sig) if math.isfinite(self.margin) else "—"

    def _show(self, x: float) -> Shown:
        return roundoff(x, self.floor, self.sig) if self.floor > 0 else num(x, self.sig)

    def row(self) -> tuple[str, str, str, str, str]:
        """The table row: claim, measured, bound or target, margin, verdict."""
        verdict = "✓" if self.holds else "✗ fails"
        if self.relation == "fact":
            return (self.claim, self.measured_text or ("yes" if self.measured else "no"), "", "", verdict)
        if self.relation == "close":
            measured = self.measured_text or num(self.measured, self.sig)
        else:
            measured = self.measured_text or self._show(self.measured)
        if self.relation == "le":
            target, margin = f"≤ {num(self.bound, self.sig)}", self._margin()
        elif self.relation == "ge":
            target, margin = f"≥ {num(self.bound, self.sig)}", self._margin()
        elif self.relation == "close":
            target = f"{num(self.bound, self.sig)} ± {num(self.upper, self.sig)}"
            margin = self._margin()
        else:
            target, margin = f"in [{self._show(self.bound)}, {self._show(self.upper)}]", ""
        return (self.claim, measured, target, margin, verdict)


@dataclass
class Checks:
    """A section's checks: records added one claim at a time, shown as one table.

    Parameters
    ----------
    title : str
        What the table checks (its caption).
    """

    title: str
    records: list[Check] = field(default_factory=list)

    def _add(self, check: Check) -> Check:
        if not isinstance(check.claim, str) or not check.claim.strip():
            raise ValueError(f"claim must be a non-empty string, got {check.claim!r}")
        self.records.append(check)
        return check

    def le(self, claim: str, measured: float, bound: float, *, sig: int = 2, floor: float = 0.0) -> Check:
        """Record ``measured ≤ bound``."""
        return self._add(
            Check(claim, "le", _finite(measured, "measured"), _finite(bound, "bound"), sig=sig, floor=floor)
        )

    def ge(self, claim: str, measured: float, bound: float, *, sig: int = 2, floor: float = 0.0) -> Check:
        """Record ``measured ≥ bound``."""
        return self._add(
            Check(claim, "ge", _finite(measured, "measured"), _finite(bound, "bound"), sig=sig, floor=floor)
        )

    def close(
        self, claim: str, measured: float, expected: float, tol: float, *, sig: int = 2, floor: float = 0.0
    ) -> Check:
        """Record ``|measured − expected| ≤ tol`` (a fitted exponent, a predicted constant).

        With ``floor > 0``, a distance below ``floor`` is round-off: its margin is not shown.
        """
        tol = _finite(tol, "tol")
        if tol < 0:
            raise ValueError(f"tol must be >= 0, got {tol!r}")
        return self._add(
            Check(
                claim,
                "close",
                _finite(measured, "measured"),
                _finite(expected, "expected"),
                tol,
                sig=sig,
                floor=floor,
            )
        )

    def within(self, claim: str, measured: float, low: float, high: float, *, sig: int = 2) -> Check:
        """Record ``low ≤ measured ≤ high``."""
        low, high = _finite(low, "low"), _finite(high, "high")
        if not low <= high:
            raise ValueError(f"low must be <= high, got {low!r} > {high!r}")
        return self._add(Check(claim, "within", _finite(measured, "measured"), low, high, sig=sig))

    def fact(self, claim: str, holds: bool, measured: str = "") -> Check:
        """Record a yes/no finding (``measured``: what was seen, in words)."""
        if not isinstance(holds, bool | np.bool_):
            raise ValueError(f"holds must be a bool, got {type(holds).__name__}")
        if not isinstance(measured, str):
            raise ValueError(f"measured must be a string, got {type(measured).__name__}")
        return self._add(Check(claim, "fact", float(bool(holds)), measured_text=measured))

    @property
    def failures(self) -> list[Check]:
        """The records whose claim does not hold."""
        return [c for c in self.records if not c.holds]

    def verify(self) -> Checks:
        """Raise :class:`AssertionError` listing every failing claim; return ``self`` otherwise."""
        if not self.records:
            raise AssertionError(f"{self.title}: no checks recorded")
        bad = self.failures
        if bad:
            lines = [f"{self.title}: {len(bad)} of {len(self.records)} checks fail:"]
            lines += [f"  - {c.claim}: measured {c.measured!r}, bound {c.bound!r}, {c.upper!r}" for c in bad]
            raise AssertionError("\n".join(lines))
        return self

    def show(self) -> Checks:
        """Verify every record, then return ``self`` to display as the section's table."""
        return self.verify()

    def to_markdown(self) -> str:
        """The table as MyST Markdown (a caption line, then a pipe table): a :class:`Table` of the rows."""
        kinds = {c.relation for c in self.records}
        legend = [
            text
            for rel, text in (
                ("le", "measured/bound for ≤"),
                ("ge", "bound/measured for ≥"),
                ("close", "|measured − target|/tolerance for ±"),
            )
            if rel in kinds
        ]
        key = f"; margin = {', '.join(legend)}" if legend else ""
        caption = f"**Checks: {self.title}** ({self.summary()}{key})"
        return Table(_CHECKS_HEADER, [c.row() for c in self.records], caption=caption).to_markdown()

    def summary(self) -> str:
        """One line: how many claims hold."""
        n, bad = len(self.records), len(self.failures)
        return f"all {n} hold" if not bad else f"{bad} of {n} fail"

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def __repr__(self) -> str:
        return f"Checks: {self.title} ({self.summary()})"


@dataclass(frozen=True)
class Table:
    """A results table (not claims): a header and rows of text, shown as Markdown in every edition.

    Format the numbers with :mod:`lazylib.formatting` before they go in. Each cell is escaped as in
    :class:`Checks` (no bare ``|``; in math it becomes ``\\vert``).

    Parameters
    ----------
    header : sequence of str
        The column titles.
    rows : sequence of sequence of str
        One sequence per row, as long as ``header``.
    caption : str
        An optional paragraph above the table (Markdown, e.g. ``"**The sweep.** Columns: ..."``).
    align : str
        One letter per column, ``l``, ``r`` or ``c`` (numbers read best right-aligned); empty: the
        renderer's default.
    """

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    align: str = ""

    def __init__(
        self, header: Sequence[str], rows: Sequence[Sequence[object]], caption: str = "", align: str = ""
    ) -> None:
        head = tuple(str(h) for h in header)
        if not head:
            raise ValueError("header must name at least one column")
        body = tuple(tuple(str(x) for x in row) for row in rows)
        bad = [i for i, row in enumerate(body) if len(row) != len(head)]
        if bad:
            raise ValueError(f"rows must have {len(head)} cells like the header; rows {bad} do not")
        object.__setattr__(self, "header", head)
        object.__setattr__(self, "rows", body)
        object.__setattr__(self, "caption", str(caption))
        if align and (len(align) != len(head) or set(align) - set("lrc")):
            raise ValueError(f"align must be one of l, r, c per column ({len(head)}), got {align!r}")
        object.__setattr__(self, "align", align)

    def to_markdown(self) -> str:
        """The table as MyST Markdown (the title in bold, then a pipe table)."""
        rule = {"l": ":---", "r": "---:", "c": ":---:"}
        lines = [self.header, tuple(rule[a] for a in self.align) or ("---",) * len(self.header), *self.rows]
        body = "\n".join("| " + " | ".join(_cell(x) for x in row) + " |" for row in lines)
        return f"{self.caption}\n\n{body}\n" if self.caption else f"{body}\n"

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def __repr__(self) -> str:
        return f"Table: {', '.join(self.header)} ({len(self.rows)} rows)"


def _finite(value: float, name: str) -> float:
    return check_finite_scalar(value, name)


def _cell(text: str) -> str:
    """A table cell: no newline, and no bare ``|`` (it would end the cell; in math it becomes ``\\vert``)."""
    parts = str(text).replace("\n", " ").split("$")
    for i, part in enumerate(parts):
        if i % 2:  # inside $...$
            parts[i] = part.replace("\\|", "\\Vert{}").replace("|", "\\vert{}")
        else:
            parts[i] = part.replace("|", "\\|")
    return "$".join(parts)
