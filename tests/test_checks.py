"""lazylib.formatting (numbers for people) and lazylib.checks (claims as records, one table)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lazylib.checks import Checks
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
