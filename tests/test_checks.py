"""lazylib.formatting (numbers for people) and lazylib.checks (claims as records, one table)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lazylib.checks import Checks, Table
from lazylib.formatting import num, pct, roundoff, sci, slope


@pytest.mark.parametrize(
    ("x", "sig", "text"),
    [
        (0.075061, 2, "0.075"),
        (22.06, 2, "22"),
        (2.2e8, 2, "2.2 × 10⁸"),
        (-0.5, 2, "−0.50"),
        (1234.5, 3, "1230"),
        (66635.4185, 3, "66\u2009600"),
        (9.96, 2, "10"),
        (0.0, 2, "0"),
        (3.1e-7, 2, "3.1 × 10⁻⁷"),
        (-1.999, 3, "−2.00"),
    ],
)
def test_num_rounds_to_significant_figures(x: float, sig: int, text: str) -> None:
    assert num(x, sig) == text
    assert repr(num(x, sig)) == text  # no quotes when shown by {eval}


def test_num_is_the_same_text_for_values_that_differ_in_round_off() -> None:
    # the glued values that differed between two machines (issue 21)
    assert num(189.24084988707835, 3) == num(189.24084988707986, 3) == "189"
    assert sci(2.6e-22, 1) == sci(2.8e-22, 1) == "3 × 10⁻²²"


def test_sci_and_pct() -> None:
    assert sci(1e-5, 1) == "10⁻⁵"
    assert sci(-2.5e-7) == "−2.5 × 10⁻⁷"
    assert pct(0.0018) == "0.18 %"


def test_roundoff_prints_a_bound_below_the_floor() -> None:
    assert roundoff(4.33e-27, 1e-20) == roundoff(3.59e-27, 1e-20) == "< 10⁻²⁰"
    assert roundoff(0.25, 1e-12) == "0.25"
    with pytest.raises(ValueError, match="floor"):
        roundoff(1.0, 0.0)


def test_slope_keeps_the_digits_its_interval_supports() -> None:
    assert slope(-0.5381, (-0.571, -0.504)) == "−0.54 [−0.57, −0.50]"
    assert slope(-1.9993) == "−2.00"
    with pytest.raises(ValueError, match="interval"):
        slope(1.0, (2.0, 1.0))


@pytest.mark.parametrize("bad", [math.nan, math.inf, "x"])
def test_formatting_refuses_non_finite_input(bad: object) -> None:
    with pytest.raises(ValueError, match="x"):
        num(bad)  # type: ignore[arg-type]


def test_num_refuses_a_bad_sig() -> None:
    for sig in (0, 1.5, True):
        with pytest.raises(ValueError, match="sig"):
            num(1.0, sig)  # type: ignore[arg-type]


def test_checks_hold_and_fail_by_their_relation() -> None:
    c = Checks("demo")
    assert c.le("a ≤ b", 0.2, 1.0).holds
    assert not c.le("a ≤ b", 1.0 + 1e-12, 1.0).holds
    assert c.ge("a ≥ b", 3.0, 2.0).holds
    assert c.close("slope ≈ −1/2", -0.54, -0.5, 0.1).holds
    assert not c.close("slope ≈ −1/2", -0.7, -0.5, 0.1).holds
    assert c.within("in [0, 1]", 0.5, 0.0, 1.0).holds
    assert not c.within("in [0, 1]", 1.5, 0.0, 1.0).holds
    assert c.fact("applies", np.bool_(True)).holds
    assert len(c.failures) == 3
    with pytest.raises(AssertionError, match="3 of 8 checks fail"):
        c.show()


def test_checks_table_is_markdown_with_people_numbers() -> None:
    c = Checks("Lemma 8.1")
    c.le("$\\hat R(t) \\le \\hat R_0 e^{-2\\lambda t}$", 0.2156, 1.0)
    c.close("fitted exponent", -0.504, -0.5, 0.05)
    c.le("gap at round-off", 3.6e-27, 1e-20, floor=1e-20)
    c.fact("the theorem applies", True, "α = 500 ≥ α_min = 22")
    md = c.show().to_markdown()
    assert md.startswith(
        "**Checks: Lemma 8.1** (all 4 hold; margin = measured/bound for ≤, "
        "|measured − target|/tolerance for ±)"
    )
    lines = md.splitlines()[2:]
    assert lines[0] == "| Claim | Measured | Bound or target | Margin | OK |"
    assert "| 0.22 | ≤ 1.0 | 0.22 | ✓ |" in lines[2]
    assert "| −0.50 | −0.50 ± 0.050 | 0.080 | ✓ |" in lines[3]
    assert "< 10⁻²⁰" in lines[4]
    assert repr(c) == "Checks: Lemma 8.1 (all 4 hold)"
    assert c._repr_markdown_() == md


def test_checks_refuse_bad_records() -> None:
    c = Checks("x")
    with pytest.raises(ValueError, match="measured"):
        c.le("claim", math.nan, 1.0)
    with pytest.raises(ValueError, match="claim"):
        c.le("", 1.0, 2.0)
    with pytest.raises(ValueError, match="tol"):
        c.close("claim", 1.0, 1.0, -1.0)
    with pytest.raises(AssertionError, match="no checks"):
        Checks("empty").show()


def test_results_table_is_markdown_and_checks_its_shape() -> None:
    from lazylib.checks import Table

    rows = [[16, num(0.5), "a|b"], ["64", "0.25", "ok"]]
    t = Table(["$m$", "$\\|J\\|$", "fit"], rows, caption="**Sweep.**")
    assert t.to_markdown() == (
        "**Sweep.**\n\n| $m$ | $\\Vert{}J\\Vert{}$ | fit |\n| --- | --- | --- |\n"
        "| 16 | 0.50 | a\\|b |\n| 64 | 0.25 | ok |\n"
    )
    assert t._repr_markdown_() == t.to_markdown()
    assert repr(t) == "Table: $m$, $\\|J\\|$, fit (2 rows)"
    with pytest.raises(ValueError, match="rows"):
        Table(["a", "b"], [["1"]])
    with pytest.raises(ValueError, match="header"):
        Table([], [])
    aligned = Table(["a", "b"], [["x", "1"]], align="lr").to_markdown()
    assert aligned.splitlines()[1] == "| :--- | ---: |"
    with pytest.raises(ValueError, match="align"):
        Table(["a", "b"], [["x", "1"]], align="lx")


# ------------------------------------------------------------------ survivors of the mutation run
# (benchmarks/run_mutation.sh on lazylib.checks and lazylib.formatting: each case below fails for at
# least one mutant that the tests above let through; expected texts worked out by hand.)
@pytest.mark.parametrize(
    ("x", "sig", "text"),
    [
        (1e-3, 2, "0.0010"),  # the low end of the plain range is plain
        (1e5, 2, "10⁵"),  # the high end is not
        (2.3456e8, 3, "2.35 × 10⁸"),  # sig reaches the scientific form
        (9.6, 2, "9.6"),  # no rounding up a decade
        (0.0996, 2, "0.10"),  # rounding up one decade below 1
        (12345.6, 5, "12\u2009346"),  # no decimals left, thousands separated
        (10000.0, 2, "10\u2009000"),  # 10 000 itself is separated
    ],
)
def test_num_edges(x: float, sig: int, text: str) -> None:
    assert num(x, sig) == text


def test_sci_zero_one_and_negative_powers() -> None:
    assert sci(0.0) == "0"
    assert sci(1.0) == "10⁰"
    assert sci(-1e-5) == "−10⁻⁵"
    assert sci(1e-5) == "10⁻⁵"
    assert sci(-2.5e-5) == "−2.5 × 10⁻⁵"


def test_pct_and_roundoff_exact() -> None:
    assert pct(0.5) == "50 %"
    assert pct(0.12345, 3) == "12.3 %"
    assert roundoff(1e-12, 1e-12) == "10⁻¹²"  # at the floor: shown, not "< 10⁻¹²"
    assert roundoff(0.123456, 1e-9, 4) == "0.1235"


@pytest.mark.parametrize(
    ("value", "interval", "text"),
    [
        (0.5, (0.41, 0.59), "0.50 [0.41, 0.59]"),  # half-width 0.09: two decimals
        (0.5, (0.35, 0.65), "0.50 [0.35, 0.65]"),  # half-width 0.15: one more digit for a leading 1
        (12.0, (9.0, 15.0), "12 [9, 15]"),  # half-width 3: no decimals
        (0.5, (0.5, 0.5), "0.5000 [0.5000, 0.5000]"),  # an empty interval: at most four decimals
    ],
)
def test_slope_digits_follow_the_interval(value: float, interval: tuple[float, float], text: str) -> None:
    assert slope(value, interval) == text


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: num(math.nan), "x"),
        (lambda: sci(math.inf), "x"),
        (lambda: pct(math.nan), "fraction"),
        (lambda: roundoff(math.nan, 1e-9), "x"),
        (lambda: roundoff(1.0, math.nan), "floor"),
        (lambda: slope(math.nan), "value"),
        (lambda: slope(0.0, (math.nan, 1.0)), "interval"),
        (lambda: Checks("t").le("c", math.nan, 1.0), "measured"),
        (lambda: Checks("t").le("c", 1.0, math.nan), "bound"),
        (lambda: Checks("t").ge("c", math.inf, 1.0), "measured"),
        (lambda: Checks("t").ge("c", 1.0, math.nan), "bound"),
        (lambda: Checks("t").close("c", math.nan, 1.0, 0.1), "measured"),
        (lambda: Checks("t").close("c", 1.0, math.nan, 0.1), "expected"),
        (lambda: Checks("t").close("c", 1.0, 1.0, math.nan), "tol"),
        (lambda: Checks("t").within("c", math.nan, 0.0, 1.0), "measured"),
        (lambda: Checks("t").within("c", 0.5, math.nan, 1.0), "low"),
        (lambda: Checks("t").within("c", 0.5, 0.0, math.nan), "high"),
    ],
)
def test_bad_numbers_name_their_argument(call, name: str) -> None:
    with pytest.raises(ValueError, match=rf"^{name} must be"):
        call()


def test_rows_exactly() -> None:
    c = Checks("T")
    rows = [
        c.le("a", 0.5, 1.0).row(),
        c.le("b", 2.0, 1.0).row(),
        c.le("a3", 3.14159, 1.23456, sig=3).row(),
        c.ge("g", 3.0, 1.5).row(),
        c.ge("g3", 3.14159, 1.23456, sig=3).row(),
        c.ge("gx", 1.0, 2.0).row(),
        c.le("n", -2.1, -1.5).row(),
        c.le("nx", -1.0, -1.5).row(),
        c.ge("gn", -1.95, -2.0).row(),
        c.le("np", 0.5, -1.5).row(),
        c.close("c", 1.0123, 1.0, 0.05, sig=3).row(),
        c.within("w", 0.5, 0.25, 0.75).row(),
        c.within("w3", 0.12345, 0.1, 0.2, sig=3).row(),
        c.le("f", 3e-15, 1e-12, floor=1e-12).row(),
        c.ge("gf", 1e-15, 0.0, floor=1e-12).row(),
        c.close("cf", 1.0 + 1e-15, 1.0, 1e-9, floor=1e-12).row(),
        c.fact("t", True).row(),
        c.fact("u", False).row(),
        c.fact("v", True, "seen").row(),
    ]
    assert rows == [
        ("a", "0.50", "≤ 1.0", "0.50", "✓"),
        ("b", "2.0", "≤ 1.0", "2.0", "✗ fails"),
        ("a3", "3.14", "≤ 1.23", "2.54", "✗ fails"),  # margins with the record's digits
        ("g", "3.0", "≥ 1.5", "0.50", "✓"),  # bound/measured: ≤ 1 holds, as for ≤
        ("g3", "3.14", "≥ 1.23", "0.393", "✓"),
        ("gx", "1.0", "≥ 2.0", "2.0", "✗ fails"),
        ("n", "−2.1", "≤ −1.5", "0.71", "✓"),  # negative numbers: the inverse ratio, ≤ 1 when it holds
        ("nx", "−1.0", "≤ −1.5", "1.5", "✗ fails"),
        ("gn", "−1.9", "≥ −2.0", "0.97", "✓"),
        ("np", "0.50", "≤ −1.5", "—", "✗ fails"),  # no ratio across zero
        ("c", "1.01", "1.00 ± 0.0500", "0.246", "✓"),
        ("w", "0.50", "in [0.25, 0.75]", "", "✓"),
        ("w3", "0.123", "in [0.100, 0.200]", "", "✓"),
        ("f", "< 10⁻¹²", "≤ 10⁻¹²", "round-off", "✓"),
        ("gf", "< 10⁻¹²", "≥ 0", "round-off", "✓"),
        ("cf", "1.0", "1.0 ± 10⁻⁹", "round-off", "✓"),
        ("t", "yes", "", "", "✓"),
        ("u", "no", "", "", "✗ fails"),
        ("v", "seen", "", "", "✓"),
    ]
    assert c.summary() == "6 of 19 fail"


def test_markdown_caption_and_table_exactly() -> None:
    c = Checks("T")
    c.ge("g", 3.0, 1.5)
    assert c.to_markdown() == (
        "**Checks: T** (all 1 hold; margin = bound/measured for ≥)\n\n"
        "| Claim | Measured | Bound or target | Margin | OK |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| g | 3.0 | ≥ 1.5 | 0.50 | ✓ |\n"
    )
    facts = Checks("F")
    facts.fact("t", True)
    assert facts.to_markdown().startswith("**Checks: F** (all 1 hold)\n\n")
    t = Table(["a", "b", "c"], [["x\ny", "$|v|$ and $\\|w\\|$", "$a$ | $|b|$"]], align="lrc")
    assert t.to_markdown() == (
        "| a | b | c |\n"
        "| :--- | ---: | :---: |\n"
        "| x y | $\\vert{}v\\vert{}$ and $\\Vert{}w\\Vert{}$ | $a$ \\| $\\vert{}b\\vert{}$ |\n"
    )
    with pytest.raises(ValueError, match="align"):
        Table(["a", "b"], [["1", "2"]], align="lx")


def test_recorders_keep_their_arguments_and_edges() -> None:
    """More survivors: defaults, edges that are allowed, and what each recorder stores."""
    c = Checks("E")
    assert c.within("p", 1.0, 1.0, 1.0).relation == "within"  # a point interval is allowed
    assert c.close("e", 1.0, 1.0, 0.0).holds  # tolerance 0 is allowed: exact equality
    assert c.ge("s", 0.5, 0.1).row() == ("s", "0.50", "≥ 0.10", "0.20", "✓")  # no floor by default
    assert c.le("x", 0.12345, 1.0, sig=3, floor=1e-12).row()[1] == "0.123"  # sig above the floor
    # a close check shows its measured value as measured, never as a round-off bound
    assert c.close("z", 1e-15, 0.0, 1e-9, floor=1e-12).row()[1:4] == ("10⁻¹⁵", "0 ± 10⁻⁹", "round-off")
    with pytest.raises(ValueError, match="align"):
        Table(["a"], [["1"]], align="X")
