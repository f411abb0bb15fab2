"""The figures of pages 01-04 (lazylib.viz.recall, setup, theorem, case_study), and the legibility of
every page's figures and explorer frames (lazylib.viz.style's checks; issue 15).

Each ``plot_<what>`` function must draw the data of the result it is given (the curves are looked up
among the axes' lines), and every figure cell of notebooks 01-04 must call such a function and
draw nothing itself, so that the page's figure and its explorer's frames cannot drift apart.
"""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest
from explorer_passes import frame_checks
from factories import has_line as _has_line
from matplotlib.figure import Figure

from lazylib import ShallowNet, sphere
from lazylib.case_study import check_theorem_8_1, width_condition_path
from lazylib.dynamics import FlowPair, ScalingSweep
from lazylib.fitting import PowerLawFit
from lazylib.flows import Trajectory
from lazylib.recall import error_law_sweep, random_error_law
from lazylib.theory import theorem_8_1
from lazylib.viz import case_study as viz_case
from lazylib.viz import recall as viz_recall
from lazylib.viz import setup as viz_setup
from lazylib.viz import theorem as viz_theorem
from lazylib.viz.style import (
    FIGURE_WIDTH,
    MIN_FONT_PT,
    book_style,
    crowded_texts,
    finish_figure,
    hidden_curves,
    legend_below,
    legend_collisions,
    problems,
    small_texts,
)

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def _axes(n: int = 1) -> list:
    return list(np.atleast_1d(Figure().subplots(1, n)))


def _trajectory(t, risk, distance, predictions) -> Trajectory:
    return Trajectory(
        t=t,
        risk=risk,
        distance=distance,
        predictions=predictions,
        weights=None,
        linearized=False,
        method="test",
    )


@pytest.fixture(scope="module")
def check():
    X = sphere(4, 4, rng=0)
    y = np.linspace(-1.0, 1.0, 4)
    net = ShallowNet.random(20, 4, rng=1, symmetric=True)
    th = theorem_8_1(net, X, y, 50.0)
    return check_theorem_8_1(net, X, y, 50.0, np.linspace(0.0, 3.0, 13) / th.rate)


def test_theorem_figures_draw_the_check(check) -> None:
    th = check.theorem
    clock = check.t * th.rate
    ax1, ax2 = _axes(2)
    viz_theorem.plot_check_risks(ax1, check)
    assert _has_line(ax1, clock, check.nonlinear.risk) and _has_line(ax1, clock, check.linearized.risk)
    assert _has_line(ax1, clock, check.risk_bound)
    assert _has_line(ax1, clock, th.risk0 * np.exp(-th.linear_rate * check.t))  # the sharp rate of u
    viz_theorem.plot_check_distances(ax2, check)
    d = check.nonlinear.distance.copy()
    d[d <= 0] = np.nan
    assert _has_line(ax2, clock, d)
    levels = {float(np.asarray(line.get_ydata())[0]) for line in ax2.get_lines()}
    assert {th.radius, th.linear_radius, th.ball_radius} <= levels
    ax3, ax4 = _axes(2)
    viz_theorem.plot_scan_risks(ax3, [1.0, 0.5], [check, check])
    assert _has_line(ax3, clock, check.nonlinear.risk / th.risk0)
    assert _has_line(ax3, clock, np.exp(-clock))
    viz_theorem.plot_scan_distances(ax4, [1.0, 0.5], [check, check])
    moved = check.nonlinear.distance.max() / th.ball_radius
    assert _has_line(ax4, [1.0, 0.5], [moved, moved])
    # the theorem's radius is δ⋆ (book/notation.md: ρ is only page 01's perturbation size)
    labels = [str(line.get_label()) for ax in (ax2, ax4) for line in ax.get_lines()]
    assert (
        r"Theorem 8.1 radius $\delta^{\star}$" in labels
        and r"sharp for $\mathbf{u}$: $\delta^{\star}/6$" in labels
    )
    assert r"Theorem 8.1 radius $\delta^{\star}/B$" in labels
    assert not any(r"\rho" in text for text in labels)


def test_theorem_explorer_uncentred_never_meets_the_threshold() -> None:
    """Page 03's Explore: without centring R̂₀ grows like α², so α_min/α levels off above 1 and the
    theorem applies at no (α, m) of the grid; with centring it applies at the larger α."""
    for m in viz_theorem.THEOREM_WIDTHS:
        ratios = [viz_theorem._check(a, m, False).theorem.alpha_min / a for a in viz_theorem.THEOREM_ALPHAS]
        assert min(ratios) > 1.0, (m, ratios)
        assert ratios[-1] / ratios[-2] == pytest.approx(1.0, rel=0.01), (m, ratios)  # levelled off
        assert viz_theorem._check(viz_theorem.THEOREM_ALPHAS[-1], m, True).theorem.applies


def test_case_study_figures_draw_their_data() -> None:
    widths, smin, smax = np.array([10.0, 40.0, 160.0]), np.array([1.0, 2.0, 4.0]), np.array([3.0, 6.0, 12.0])
    ax1, ax2 = _axes(2)
    viz_case.plot_singular_values(ax1, widths, smin, smax, lam_min=0.01, lam_max=0.09, mark=40)
    assert _has_line(ax1, widths, smin) and _has_line(ax1, widths, smax)
    assert _has_line(ax1, widths, np.sqrt(widths * 0.09)) and _has_line(ax1, [40, 40], [6.0, 2.0])
    viz_case.plot_gram_deviation(ax2, widths, [0.4, 0.2, 0.1])
    assert _has_line(ax2, widths, [0.4, 0.2, 0.1]) and _has_line(ax2, widths, 0.4 * np.sqrt(10 / widths))
    (ax,) = _axes()
    x = np.array([0.1, 1.0, 10.0])
    measured, expected = [1.0, 2.0, 150.0], [1.1, 2.1, 140.0]
    viz_case.plot_initial_risk(ax, x, measured, expected, "a", "t", 7, fit=x >= 1, floor=1.0)
    assert _has_line(ax, x, measured) and _has_line(ax, x, expected)
    assert "slope 1.88" in ax.get_lines()[0].get_label()  # fitted on x >= 1 only: log10(150/2)
    X = sphere(3, 3, rng=0)
    path = width_condition_path(X, np.ones(3), [1.0, 10.0], [8, 16, 32], rng=0)
    (ax,) = _axes()
    viz_case.plot_width_condition(ax, path, "t", mark=16)
    for k in range(2):
        assert _has_line(ax, path.widths, path.ratio[k])
    assert _has_line(ax, [16, 16], path.ratio[:, 1])
    (ax,) = _axes()
    m_star = np.array([[100.0, 200.0, 300.0], [1000.0, 3000.0, 2000.0]])
    pred = np.array([[150.0, 2500.0, 9000.0]])
    fit = PowerLawFit(exponent=3.3, low=3.0, high=3.6, level=0.9)
    viz_case.plot_minimal_width(ax, [2, 3, 4], pred, 2 * pred, [2, 3], m_star, fit)
    assert _has_line(ax, [2, 3, 4], pred[0]) and _has_line(ax, [2, 3, 4], 2 * pred[0])
    assert _has_line(ax, [2, 3], np.median(m_star, axis=1))


def test_setup_figures_draw_the_flow_pair() -> None:
    t = np.linspace(0.0, 1.0, 5)
    pw, pu = np.outer(t, [1.0, 2.0]), np.outer(t, [1.0, 1.5])
    pair = FlowPair(
        alpha=2.0,
        tau=4 * t,
        nonlinear=_trajectory(t, 1 - t / 2, 0.3 * t, pw),
        linearized=_trajectory(t, 1 - t / 3, 0.2 * t, pu),
    )
    ax1, ax2, ax3 = _axes(3)
    viz_setup.plot_prediction_paths(ax1, pair, [1.0, 2.0])
    for i in range(2):
        assert _has_line(ax1, pair.tau[1:], pw[1:, i]) and _has_line(ax1, pair.tau[1:], pu[1:, i])
    assert f"{pair.max_prediction_gap:.2g}" in ax1.get_title()
    viz_setup.plot_flow_risks(ax2, {2.0: pair}, 1.0, lam_min=0.5)
    assert _has_line(ax2, pair.tau, pair.nonlinear.risk) and _has_line(ax2, pair.tau, pair.linearized.risk)
    assert _has_line(ax2, pair.tau, np.exp(-pair.tau))
    viz_setup.plot_flow_distances(ax3, {2.0: pair}, {2.0: 0.7})
    assert _has_line(ax3, pair.tau[1:], 0.3 * t[1:]) and _has_line(ax3, pair.tau[1:], 0.2 * t[1:])
    sweep = ScalingSweep(
        alphas=np.array([1.0, 2.0, 4.0]),
        max_gap=np.array([1.0, 0.25, 0.0625]),
        max_distance=np.array([1.0, 0.5, 0.25]),
        max_distance_linearized=np.array([0.9, 0.45, 0.225]),
        max_kernel_drift=np.array([0.2, 0.05, 0.0125]),
    )
    (ax,) = _axes()
    slopes = viz_setup.plot_lazy_scaling(ax, sweep, [2.0, 1.0, 0.5], fit=[True, True, True])
    assert slopes == pytest.approx({"gap": -2.0, "distance": -1.0, "drift": -2.0})
    assert _has_line(ax, sweep.alphas, [2.0, 1.0, 0.5])


def test_recall_figures_draw_the_tables() -> None:
    table = error_law_sweep("tanh", [16, 64], [0.5, 1.0, 2.0], rng=0, n_nets=1, n_draws=2)
    ax1, ax2 = _axes(2)
    viz_recall.plot_error_law(ax1, ax2, table, theory=table.bound, mark=(64, 1.0), legend_below=False)
    assert _has_line(ax1, [1.0], [table.worst[1, 1]]) and _has_line(ax2, [64.0], [table.worst[1, 1]])
    predicted = random_error_law(
        "tanh", table.widths[:, None], table.sizes[None, :], d=3, scale=table.widths[:, None] ** -0.5
    )
    ax3, ax4 = _axes(2)
    viz_recall.plot_worst_vs_random(ax3, ax4, {"tanh": table}, {"tanh": predicted}, table.sizes)
    for which in ("worst", "random"):
        err = getattr(table, which)
        assert _has_line(ax3, table.sizes, err[-1]) and _has_line(ax4, table.widths, err[:, 1])
    assert _has_line(ax3, table.sizes, predicted[-1]) and _has_line(ax4, table.widths, predicted[:, 1])


@pytest.mark.parametrize("name", ["01_recall", "02_setup", "03_theorem_8_1", "04_case_study"])
def test_notebook_figures_come_from_viz(name: str) -> None:
    """Every figure cell of pages 01-04 calls the page's plot functions and draws nothing itself; the
    pages import neither the old aliases nor a second style."""
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    figure_cells = [c for c in code if "plt.subplots" in c.source]
    assert figure_cells
    calls = "plot|semilogy|semilogx|loglog|axhline|axvline|fill_between|errorbar|set_title"
    drawing = re.compile(rf"\.({calls})\(")
    for cell in figure_cells:
        assert "hide-input" in cell.metadata.get("tags", []), cell.source[:80]
        assert re.search(r"\bplot_\w+\(", cell.source), f"{name}: figure cell without a plot_ call"
        assert not drawing.search(cell.source), f"{name}: figure cell draws by itself:\n{cell.source}"
    source = "\n".join(c.source for c in code)
    assert not re.search(r"lazylib\.(widgets|plotting|recall_plots)\b", source)
    assert "from lazylib.viz" in source


# ============================================================================ legibility (issue 15)
# The checks of lazylib.viz.style against figures built to pass or fail them, then every frame of
# every page's explorer and every figure cell of notebooks 01-09.
PAGES_OWNED = (
    "recall",
    "setup",
    "theorem",
    "case_study",
    "lemma_8_1",
    "lemma_8_2",
    "eigenvalues",
    "lazy_active",
    "width_scale",
)
NOTEBOOKS_01_09 = sorted(p.stem for p in NOTEBOOKS.glob("0*.ipynb"))


def _figure(w: float = FIGURE_WIDTH, h: float = 3.0) -> tuple[Figure, object]:
    fig = Figure(figsize=(w, h))
    return fig, fig.subplots()


def test_small_texts_finds_a_small_legend_and_passes_the_style() -> None:
    with book_style():
        fig, ax = _figure()
        ax.plot([0, 1], [0, 1], label="a curve")
        ax.set(xlabel="x", ylabel="y", title="t")
        ax.legend()
        assert small_texts(fig) == []
        ax.legend(fontsize=MIN_FONT_PT - 1)
        assert small_texts(fig) == [f"{MIN_FONT_PT - 1:g} pt: 'a curve'"]
    with pytest.raises(ValueError, match="min_pt"):
        small_texts(fig, min_pt=0.0)


def test_legend_collisions_sees_lines_crossing_the_legend_box() -> None:
    with book_style():
        fig, ax = _figure()
        ax.plot([0.0, 1.0], [0.0, 1.0], label="diagonal")
        ax.set(xlim=(0, 1), ylim=(0, 1))
        ax.legend(loc="upper left")  # the diagonal passes far from the upper-left corner
        assert legend_collisions(fig) == []
        ax.axhline(0.95, color="k", label="level")  # two vertices only, at the axes' edges
        ax.legend(loc="upper left")
        found = legend_collisions(fig)
        assert len(found) == 1 and "level" in found[0] and "diagonal" not in found[0]
        ax.legend(loc="center")  # on the diagonal itself
        assert "diagonal" in legend_collisions(fig)[0]
    with pytest.raises(ValueError, match="margin"):
        legend_collisions(fig, margin=-1.0)


def test_hidden_curves_needs_a_visible_difference_or_a_word() -> None:
    x = np.linspace(0.0, 1.0, 50)
    with book_style():
        fig, ax = _figure()
        ax.plot(x, x**2, label="network")
        ax.plot(x, x**2, label="linearized")
        assert hidden_curves(fig) == ["'network' is hidden under 'linearized' in ''"]
        ax.get_lines()[1].set_linestyle("--")  # dashed on top: both show
        assert hidden_curves(fig) == []
        ax.get_lines()[1].set_linestyle("-")
        ax.get_lines()[0].set_linewidth(5.0)  # a wide band under a thin line: both show
        assert hidden_curves(fig) == []
        ax.get_lines()[0].set_linewidth(1.8)
        ax.get_lines()[0].set_label("network (under the linearized curve)")
        assert hidden_curves(fig) == []
        ax.get_lines()[0].set_label("network")
        ax.get_lines()[1].set_ydata(x**2 + 0.2)  # apart by ~40 px: not hidden
        assert hidden_curves(fig) == []


def test_crowded_texts_finds_cut_and_overlapping_texts() -> None:
    with book_style():
        fig = Figure(figsize=(FIGURE_WIDTH, 3.0))
        a, _ = fig.subplots(1, 2)
        a.set_title("short")
        assert crowded_texts(fig) == []
        a.set_title("a title far too long for half of a seven-inch figure " * 2)
        assert any("overlaps" in p or "cut" in p for p in crowded_texts(fig))
    with pytest.raises(ValueError, match="pad"):
        crowded_texts(fig, pad=float("nan"))


def test_legend_below_sits_under_the_x_label_and_finish_figure_asserts(monkeypatch) -> None:
    monkeypatch.setenv("LAZYLIB_BOOK_EXECUTE", "1")  # as the book's execute step and nbval run it
    x = np.linspace(0.0, 1.0, 50)
    with book_style():
        fig, ax = _figure(h=4.0)
        for k in range(4):
            ax.plot(x, x + k / 4, label=f"curve {k}")
        ax.set(xlabel="a label under the ticks", title="lines everywhere")
        ax.legend(loc="center")
        assert legend_collisions(fig)
        finish_figure(fig)  # moves the colliding legend under the axes; nothing left to report
        renderer = fig.canvas.get_renderer()
        legend_top = ax.get_legend().get_window_extent(renderer).y1
        assert legend_top < ax.xaxis.label.get_window_extent(renderer).y0
        assert problems(fig) == []
        fig, ax = _figure()
        ax.plot(x, x, label="one")
        legend_below(ax, ncol=3)
        assert ax.get_legend().get_window_extent(fig.canvas.get_renderer()).y1 < ax.bbox.y0
        ax.legend(fontsize=6)
        with pytest.raises(AssertionError, match="6 pt"):
            finish_figure(fig, check=True)
    with pytest.raises(ValueError, match="ncol"):
        legend_below(ax, ncol=0)
    with pytest.raises(ValueError, match="below"):
        finish_figure(fig, legends="somewhere")


@pytest.mark.parametrize("section", PAGES_OWNED)
def test_every_player_frame_is_legible(section: str) -> None:
    """Every frame of the page's offline player, laid out as rendered (at PLAYER_DPI, in the figure
    the player's frames are drawn into): 7 inches wide, no text below MIN_FONT_PT, no legend over
    data, no curve hidden without a word, no text cut or overlapping (lazylib.viz.legibility).
    The frames are walked once for this test and the legend test (explorer_passes.frame_checks)."""
    checks = frame_checks(section)
    assert checks.figsize[0] == FIGURE_WIDTH
    found = {str(params): bad for params, bad in zip(checks.settings, checks.problems, strict=True) if bad}
    plt.close("all")
    assert not found, f"{section}: " + "; ".join(f"{k}: {v}" for k, v in list(found.items())[:3])


@pytest.mark.parametrize("name", NOTEBOOKS_01_09)
def test_notebook_figures_fit_the_column(name: str) -> None:
    """Figure cells of pages 01-09: at most FIGURE_WIDTH inches wide, finished (legends placed, the
    legibility checks asserted when the notebook runs), an alternative text that says what the
    figure shows, and a caption without raw exponents such as m^(-1/2)."""
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    figure_cells = [c for c in nb.cells if c.cell_type == "code" and "plt.subplots" in c.source]
    assert figure_cells
    for cell in figure_cells:
        sizes = re.findall(r"figsize=\(\s*([0-9.]+)\s*,", cell.source)
        assert sizes and all(float(w) <= FIGURE_WIDTH for w in sizes), f"{name}: {cell.source[:80]}"
        assert "finish_figure(fig)" in cell.source, f"{name}: figure cell not finished:\n{cell.source}"
        mystnb = cell.metadata.get("mystnb", {})
        alt = mystnb.get("image", {}).get("alt", "")
        assert len(alt) >= 60, f"{name}: no alternative text for {mystnb.get('figure', {}).get('name')}"
        caption = mystnb.get("figure", {}).get("caption", "")
        assert not re.search(r"(?<!\$)\b\w+\^\(", caption), f"{name}: raw exponent in caption {caption!r}"


def test_legibility_checks_run_when_executing_for_the_book(monkeypatch) -> None:
    """Issue 23: ``finish_figure(fig)`` checks legibility only under ``LAZYLIB_BOOK_EXECUTE=1`` (the
    book's execute step and nbval); in a reader's kernel it lays the figure out the same way and
    checks nothing. Old import paths of the checks still work (issue 23: their own module)."""
    from lazylib.viz import legibility, style

    for name in ("small_texts", "legend_collisions", "hidden_curves", "crowded_texts", "problems"):
        assert getattr(style, name) is getattr(legibility, name)
    assert style.MIN_FONT_PT == legibility.MIN_FONT_PT and style.HIDDEN_WORDS is legibility.HIDDEN_WORDS

    def unreadable() -> tuple[Figure, list[tuple[float, ...]]]:
        with book_style():
            fig, ax = _figure()
            ax.plot([0.0, 1.0], [0.0, 1.0], label="one")
            ax.legend(loc="upper left")
            ax.set_xlabel("a label too small to read", fontsize=6)
        return fig, [a.get_position().bounds for a in fig.axes]

    monkeypatch.delenv("LAZYLIB_BOOK_EXECUTE", raising=False)
    live, _ = unreadable()
    finish_figure(live)  # no check in a reader's kernel
    monkeypatch.setenv("LAZYLIB_BOOK_EXECUTE", "0")
    finish_figure(unreadable()[0])
    monkeypatch.setenv("LAZYLIB_BOOK_EXECUTE", "1")
    book, _ = unreadable()
    with pytest.raises(AssertionError, match="6 pt"):
        finish_figure(book)
    # the same layout either way: the check only reads the figure
    assert [a.get_position().bounds for a in live.axes] == [a.get_position().bounds for a in book.axes]
    boxes = [f.axes[0].get_legend().get_window_extent(f.canvas.get_renderer()).bounds for f in (live, book)]
    assert boxes[0] == boxes[1]
    monkeypatch.delenv("LAZYLIB_BOOK_EXECUTE")
    with pytest.raises(AssertionError):
        finish_figure(unreadable()[0], check=True)  # an explicit check always runs
