"""The hidden-curve check on tiny synthetic figures (issue 25): the three cases the book's figures
showed and the check once missed (dashed curves on one another, two dashed horizontal lines at one
height, markers on markers), the ways a figure stays legible, and the statement that opts out."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from lazylib.viz.legibility import HIDDEN_WORDS, hidden_curves, problems
from lazylib.viz.style import FIGURE_WIDTH, book_style


def _axes() -> tuple[Figure, object]:
    fig = Figure(figsize=(FIGURE_WIDTH, 3.0))
    return fig, fig.subplots()


def test_coinciding_curves_in_different_dash_patterns_are_hidden() -> None:
    """Page 03, Fig. 9: three runs that coincide, solid then dashed patterns: one curve is seen."""
    t = np.linspace(0.0, 5.0, 80)
    with book_style():
        fig, ax = _axes()
        for k, ls in enumerate(("-", "--", "-.")):
            ax.semilogy(t, np.exp(-t), ls=ls, label=f"run {k}")
        ax.legend()
        # the solid run shows through the dashes' gaps; the dashed one under the dash-dotted does not
        assert hidden_curves(fig) == ["'run 1' is hidden under 'run 2' in ''"]
        assert "'run 1' is hidden under 'run 2' in ''" in problems(fig)
        ax.get_lines()[2].set_linestyle(":")  # dotted on dashed: still one curve
        assert hidden_curves(fig) == ["'run 1' is hidden under 'run 2' in ''"]
        ax.get_lines()[2].set_linestyle("-")  # solid on top of both: both hidden
        assert hidden_curves(fig) == [
            "'run 0' is hidden under 'run 2' in ''",
            "'run 1' is hidden under 'run 2' in ''",
        ]
        ax.get_lines()[2].set_ydata(np.exp(-t) * 9.0)  # the last run apart
        assert hidden_curves(fig) == []


def test_two_dashed_levels_at_one_height_are_hidden() -> None:
    """Page 10, Fig. 27: "GD radius" and "ball B", two horizontal lines at one height."""
    with book_style():
        fig, ax = _axes()
        ax.plot([0, 1], [0, 2], label="distance")
        ax.axhline(1.0, color="k", ls="--", label="GD radius")
        ax.axhline(1.0, color="tab:red", ls="-.", label="ball B")
        assert hidden_curves(fig) == ["'GD radius' is hidden under 'ball B' in ''"]
        ax.get_lines()[2].set_ydata([1.05, 1.05])  # ~10 px apart: both show
        assert hidden_curves(fig) == []


def test_markers_on_markers_are_hidden_whichever_is_on_top() -> None:
    """Page 08, Fig. 24: the "subtract" markers sit on the "symmetric" circles."""
    x = np.geomspace(1.0, 100.0, 6)
    with book_style():
        for first, second in (("o", "x"), ("x", "o")):
            fig, ax = _axes()
            ax.loglog(x, 1 / x, first, label="symmetric")
            ax.loglog(x, 1 / x * 1.001, second, label="subtract")
            assert hidden_curves(fig) == ["the markers of 'symmetric' sit on those of 'subtract' in ''"]
        ax.get_lines()[1].set_ydata(3 / x)  # a factor 3 apart on a log axis: both series show
        assert hidden_curves(fig) == []


def test_scatter_markers_count_too() -> None:
    x = np.arange(5.0)
    with book_style():
        fig, ax = _axes()
        ax.scatter(x, x, s=40, label="measured")
        ax.scatter(x, x, s=10, marker="^", label="predicted")
        assert hidden_curves(fig) == ["the markers of 'measured' sit on those of 'predicted' in ''"]
        ax.collections[1].set_offsets(np.c_[x, x + 0.5])
        assert hidden_curves(fig) == []
        ax.scatter([2.0], [2.0], s=80, marker="*", label="this α")  # one marker: a highlight
        assert hidden_curves(fig) == []


def test_a_thin_solid_line_on_a_wide_one_shows_both() -> None:
    x = np.linspace(0.0, 1.0, 50)
    with book_style():
        fig, ax = _axes()
        ax.plot(x, x**2, lw=4.0, label="network")
        ax.plot(x, x**2, lw=1.2, label="linearized")
        assert hidden_curves(fig) == []
        ax.get_lines()[1].set_linewidth(3.0)  # not clearly thinner: no band
        assert hidden_curves(fig) == ["'network' is hidden under 'linearized' in ''"]
        ax.get_lines()[1].set_linestyle("--")  # dashed on solid: the solid shows in the gaps
        assert hidden_curves(fig) == []
        ax.get_lines()[0].set_linestyle(":")  # dashed on dotted: one curve
        assert hidden_curves(fig) == ["'network' is hidden under 'linearized' in ''"]


def test_the_figure_may_state_the_coincidence() -> None:
    """The opt-out is a statement the reader sees: a legend label of either curve, the legend's title
    or the axes' title, with one of HIDDEN_WORDS."""
    assert "coincide" in HIDDEN_WORDS
    x = np.linspace(0.0, 1.0, 30)
    with book_style():
        for where in ("low", "high", "title", "axes"):
            fig, ax = _axes()
            ax.set_title("the two runs overlap" if where == "axes" else "two runs")
            ax.plot(x, x, label="α = 1" + (" (coincides with α = 0.1)" if where == "low" else ""))
            ax.plot(x, x, ls="--", label="α = 0.1" + (" (on top of α = 1)" if where == "high" else ""))
            ax.legend(title="the runs coincide" if where == "title" else None)
            assert hidden_curves(fig) == [], where
        fig, ax = _axes()
        ax.plot(x, x, "o", label="symmetric")
        ax.plot(x, x, "x", label="subtract (same as symmetric)")
        assert hidden_curves(fig) == []
        ax.get_lines()[1].set_label("subtract")
        assert len(hidden_curves(fig)) == 1


def test_unlabelled_curves_promise_nothing() -> None:
    x = np.linspace(0.0, 1.0, 30)
    with book_style():
        fig, ax = _axes()
        ax.plot(x, x, label="_fit")
        ax.plot(x, x, ls="--", label="data")
        ax.plot(x, x, "o", label="_nolegend_")
        ax.plot(x, x, "x", label="points")
        assert hidden_curves(fig) == []
