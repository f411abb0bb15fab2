"""Figures of the what-lazy-training-learns page: each ``plot_<what>(ax, result)`` draws its result's data.

The explorer itself is checked with every registered explorer in ``tests/test_viz.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib.pyplot as plt
import nbformat
import numpy as np
from factories import has_line, make_problem
from matplotlib.figure import Figure

from lazylib import sphere, teacher_student
from lazylib.lazy_solution import converged_scale_sweep, limit_gap_sweep, null_space_interpolants
from lazylib.viz import EXPLORERS
from lazylib.viz.explorer import PLAYER_DPI
from lazylib.viz.lazy_solution import (
    curve_inputs,
    plot_converged_sweep,
    plot_curve_predictions,
    plot_interpolants,
    plot_limit_gap,
)
from lazylib.viz.style import FIGURE_WIDTH, book_style, problems


def _ax():
    return Figure().subplots()


def _labelled(ax) -> bool:
    return bool(ax.get_xlabel() and ax.get_ylabel() and ax.get_title() and ax.get_legend())


def test_plot_limit_gap_draws_both_centrings_and_the_bound() -> None:
    sym_net, X, y = make_problem(n=3, d=3, m=10, symmetric=True, seed=1)
    plain, _, _ = make_problem(n=3, d=3, m=10, symmetric=False, seed=1)
    X_test = sphere(4, 3, rng=2)
    sym = limit_gap_sweep(sym_net, X, y, [1.0, 10.0], X_test, "symmetric", horizon=20.0)
    sub = limit_gap_sweep(plain, X, y, [1.0, 10.0], X_test, "subtract", horizon=20.0)
    ax1, ax2 = Figure().subplots(1, 2)
    plot_limit_gap(ax1, ax2, sym, sub)
    for ax, gap, bound in ((ax1, "test_gap", "test_bound"), (ax2, "weight_gap", "weight_bound")):
        assert has_line(ax, sym.alphas, getattr(sym, gap)) and has_line(ax, sub.alphas, getattr(sub, gap))
        dashed = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
        assert len(dashed) == 1 and np.allclose(dashed[0].get_ydata(), getattr(sub, bound))
        assert any(np.allclose(line.get_xdata(), sub.alpha_min[0]) for line in ax.get_lines())
        assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()
    assert ax1.get_legend() is not None


def test_plot_converged_sweep_draws_median_and_references() -> None:
    task = teacher_student(6, 3, rng=0, n_test=10)
    sweep = converged_scale_sweep(task, [0.1, 3.0], [0, 1, 2], m=8, n_steps=20)
    ax = _ax()
    plot_converged_sweep(ax, sweep)
    assert has_line(ax, sweep.nus, np.median(sweep.test_loss, axis=1))
    levels = [float(line.get_ydata()[0]) for line in ax.get_lines()[1:]]
    assert np.allclose(levels, [np.median(sweep.tangent_kernel), sweep.expected_kernel, sweep.null_loss])
    assert _labelled(ax)


def test_plot_interpolants_draws_the_distances_and_pythagoras() -> None:
    net, X, y = make_problem(n=3, d=3, m=6, symmetric=False, seed=3)
    out = null_space_interpolants(net, X, y, 1.0, X, [0.01, 0.1, 1.0], rng=0)
    ax = _ax()
    plot_interpolants(ax, out)
    assert has_line(ax, out.sizes, out.distances)
    assert any(np.allclose(line.get_ydata(), out.lazy_distance) for line in ax.get_lines())
    dashed = next(line for line in ax.get_lines() if line.get_linestyle() == "--")
    assert np.allclose(dashed.get_ydata(), np.hypot(out.lazy_distance, dashed.get_xdata()))
    assert _labelled(ax)


def test_curve_inputs_and_plot_curve_predictions() -> None:
    net, X, y = make_problem(n=3, d=3, m=10, symmetric=True, seed=4)
    theta, curve = curve_inputs(X, n_points=16)
    assert np.allclose(np.linalg.norm(curve, axis=1), 1.0)
    assert np.allclose(curve[np.argmin(np.abs(theta))], X[0] / np.linalg.norm(X[0]))
    sweep = limit_gap_sweep(net, X, y, [1.0, 5.0], curve, "symmetric", horizon=20.0)
    ax = _ax()
    plot_curve_predictions(ax, theta, sweep, 1, (np.array([0.0]), y[:1]))
    assert has_line(ax, theta, sweep.network_test[1]) and has_line(ax, theta, sweep.lazy_test[1])
    assert has_line(ax, [0.0], y[:1])
    assert _labelled(ax)


# ------------------------------------------------------------------ legibility (issue 15), page 11
# tests/test_viz_pages.py checks the pages 01-09 it lists; the same checks for this page.
NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "11_what_lazy_learns.ipynb"


def test_every_player_frame_is_legible() -> None:
    ex = EXPLORERS["lazy_solution"]()
    assert ex.figsize[0] == FIGURE_WIDTH
    found = {}
    for alpha in ex.controls["alpha"].player_values:
        fig = ex.frame_figure(PLAYER_DPI, alpha=alpha)  # as the player renders it
        with book_style():
            bad = problems(fig)
        if bad:
            found[alpha] = bad
        plt.close("all")
    assert not found, found


def test_notebook_figures_fit_the_column() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    figure_cells = [c for c in nb.cells if c.cell_type == "code" and "plt.subplots" in c.source]
    assert len(figure_cells) == 3
    for cell in figure_cells:
        sizes = re.findall(r"figsize=\(\s*([0-9.]+)\s*,", cell.source)
        assert sizes and all(float(w) <= FIGURE_WIDTH for w in sizes), cell.source[:80]
        assert "finish_figure(fig)" in cell.source and re.search(r"\bplot_\w+\(", cell.source)
        assert "hide-input" in cell.metadata.get("tags", [])
        mystnb = cell.metadata.get("mystnb", {})
        assert len(mystnb.get("image", {}).get("alt", "")) >= 60
        assert mystnb.get("figure", {}).get("name", "").startswith("fig-lazy-solution-")
