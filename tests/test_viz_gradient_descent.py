"""Figures of the gradient-descent page (10): each ``plot_<what>(ax, result)`` draws its result's data.

The explorer itself is checked with every registered explorer in ``tests/test_viz.py``.
"""

from __future__ import annotations

import numpy as np
import pytest
from factories import has_line
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from lazylib import ShallowNet, sphere
from lazylib.discrete_time import check_gd_theorem, euler_gap, gd_theorem_8_1, step_size_scan
from lazylib.theory import theorem_8_1
from lazylib.viz.discrete_time import (
    BOUNDS_COINCIDE,
    _bounds_coincide,
    plot_euler_gap,
    plot_gd_distances,
    plot_gd_risks,
    plot_scan_risks,
    plot_scan_sharpness,
)


@pytest.fixture(scope="module")
def problem():
    X = sphere(5, 3, rng=0)
    y = np.sin(3 * X[:, 0]) + 0.5 * X[:, 1]
    net = ShallowNet.random(60, 3, "tanh", rng=1, symmetric=True)
    alpha = theorem_8_1(net, X, y, 1.0).alpha_min
    return net, X, y, alpha


def _ax():
    return Figure().subplots()


def test_plot_gd_risks_and_distances_draw_every_run_and_bound(problem) -> None:
    net, X, y, alpha = problem
    gd = gd_theorem_8_1(net, X, y, alpha)
    etas = gd.step_limit * np.array([1.0, 0.5])
    chk = check_gd_theorem(net, X, y, alpha, etas, 1.0 / gd.flow.rate)
    ax = _ax()
    plot_gd_risks(ax, chk)
    rate = gd.flow.rate
    for eta, run in zip(etas, chk.network, strict=True):
        assert has_line(ax, run.t * rate, run.risk)
        assert has_line(ax, run.t * rate, gd.risk_bound(eta, np.rint(run.t / eta)))
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title() and ax.get_legend()
    ax = _ax()
    plot_gd_distances(ax, chk)
    for run in chk.network:
        d = run.distance.copy()
        d[d <= 0] = np.nan
        assert has_line(ax, run.t * rate, d)
    levels = {float(line.get_ydata()[0]) for line in ax.get_lines() if line.get_linestyle() != "-"}
    assert {gd.radius, gd.flow.radius, gd.ball_radius} <= levels


def _legend_texts(ax) -> list[str]:
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_plot_gd_risks_says_when_the_dashed_bounds_coincide(problem) -> None:
    """Up to η_thm, q = 1 − (1 − ϑ)ηα²σ_min²/4 is so near 1 that the GD bounds R₀q^{2t/η} of every step
    size are one line in the flow's clock (only the last drawn shows): the legend says so. Checked
    against the bounds in closed form on a fine grid of the common clock."""
    net, X, y, alpha = problem
    gd = gd_theorem_8_1(net, X, y, alpha)
    etas = gd.step_limit * np.array([1.0, 0.5, 0.25])
    chk = check_gd_theorem(net, X, y, alpha, etas, 1.0 / gd.flow.rate)
    rate, th = gd.flow.rate, gd
    clock = np.linspace(0.0, min(run.t[-1] for run in chk.network) * rate, 2001)
    closed = [th.risk_bound(float(eta), clock / rate / eta) for eta in etas]  # k = t/η, not rounded
    spread = np.max(np.log(np.max(closed, axis=0)) - np.log(np.min(closed, axis=0)))
    assert spread < np.log1p(BOUNDS_COINCIDE)  # they do coincide (a line width on the log axis)
    ax = _ax()
    plot_gd_risks(ax, chk)
    assert any(t.endswith("(all coincide)") for t in _legend_texts(ax)), _legend_texts(ax)
    # ... and the one dashed line a reader sees is the legend's grey, not the colour of the last run drawn
    assert [to_hex(c) for c in _dashed_colours(ax)] == [to_hex("grey")] * len(etas)
    one = check_gd_theorem(net, X, y, alpha, etas[:1], 1.0 / gd.flow.rate)
    ax = _ax()
    plot_gd_risks(ax, one)  # one step size: its bound in its colour, nothing to coincide with
    assert any(t.endswith("(same colour)") for t in _legend_texts(ax)), _legend_texts(ax)
    assert [to_hex(c) for c in _dashed_colours(ax)] == [to_hex("C0")]


def _dashed_colours(ax) -> list:
    """Colours of the dashed lines drawn with data (the legend's stand-in has none)."""
    return [ln.get_color() for ln in ax.get_lines() if ln.get_linestyle() == "--" and len(ln.get_xdata())]


def test_bounds_coincide_within_a_relative_width_on_the_common_range() -> None:
    x1, x2 = np.linspace(0.0, 3.0, 31), np.linspace(0.5, 4.0, 17)
    # a constant ratio 1 + r: coincide exactly when r < rel
    assert _bounds_coincide([(x1, np.exp(-x1)), (x2, 1.04 * np.exp(-x2))], rel=0.05)
    assert not _bounds_coincide([(x1, np.exp(-x1)), (x2, 1.06 * np.exp(-x2))], rel=0.05)
    # slopes 1 and 1.1 from one start: the gap 0.1 x, 0.3 at x = 3, under log(1.05) only up to x = 0.48
    assert not _bounds_coincide([(x1, np.exp(-x1)), (x1, np.exp(-1.1 * x1))])
    short = np.linspace(0.0, 0.4, 9)
    assert _bounds_coincide([(short, np.exp(-short)), (x1, np.exp(-1.1 * x1))])
    assert not _bounds_coincide([(x1, np.exp(-x1)), (x1 + 10.0, np.exp(-x1))])  # no common range
    for bad, match in (
        ([(x1, np.exp(-x1))], "two"),
        ([(x1, np.exp(-x1)), (x1, np.exp(-x1)[:-1])], "length"),
        ([(x1, np.exp(-x1)), (x1[::-1], np.exp(-x1))], "increasing"),
        ([(x1, np.exp(-x1)), (x1, -np.exp(-x1))], "positive"),
    ):
        with pytest.raises(ValueError, match=match):
            _bounds_coincide(bad)
    with pytest.raises(ValueError, match="rel"):
        _bounds_coincide([(x1, np.exp(-x1)), (x1, np.exp(-x1))], rel=0.0)


def test_plot_euler_gap_draws_the_gaps(problem) -> None:
    net, X, y, alpha = problem
    gd = gd_theorem_8_1(net, X, y, alpha)
    gap = euler_gap(net, X, y, alpha, 50 * gd.step_limit, [64, 128], n_compare=8)
    ax = _ax()
    plot_euler_gap(ax, gap)
    assert has_line(ax, gap.etas, gap.gap / gap.scale)
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log" and ax.get_legend()


def test_plot_scan_draws_risks_formula_and_sharpness(problem) -> None:
    net, X, y, alpha = problem
    scan = step_size_scan(net, X, y, alpha, [0.5, 1.2], 60, record_every=5)
    ax = _ax()
    plot_scan_risks(ax, scan)
    ax2 = _ax()
    plot_scan_sharpness(ax2, scan, [1])
    for i, f in enumerate(scan.factors):
        eta = f * scan.eta_c
        run, lin = scan.network.runs[i], scan.linearized.runs[i]
        assert has_line(ax, np.rint(run.t / eta), run.risk)
        assert has_line(ax, np.rint(lin.t / eta), lin.risk)
        assert has_line(ax, scan.steps[i], scan.bound[i])
    assert has_line(ax2, scan.steps[1], scan.sharpness[1])
    assert not has_line(ax2, scan.steps[0], scan.sharpness[0])  # only the runs asked for
    assert any(np.allclose(line.get_ydata(), 2.0) for line in ax2.get_lines())


def test_every_player_frame_is_legible() -> None:
    """The page's explorer: 7 inches wide, and every frame of its player passes the book's
    legibility checks (no small text, no legend over data, no hidden curve, no crowded text)."""
    import matplotlib.pyplot as plt

    from lazylib.viz import EXPLORERS
    from lazylib.viz.explorer import PLAYER_DPI
    from lazylib.viz.style import FIGURE_WIDTH, book_style, problems

    ex = EXPLORERS["discrete_time"]()
    assert ex.figsize[0] == FIGURE_WIDTH
    for factor in ex.controls["factor"].player_values:
        fig = ex.frame_figure(PLAYER_DPI, factor=factor)  # as the player renders it
        with book_style():
            assert problems(fig) == [], factor
        plt.close("all")
