"""Figures of the width-as-scale page: each ``plot_<what>(ax, result)`` draws its result's data.

The explorer itself is checked with every registered explorer in ``tests/test_viz.py``.
"""

from __future__ import annotations

import numpy as np
from factories import has_line
from matplotlib.figure import Figure

from lazylib import ShallowNet, sphere
from lazylib.viz.width_scale import (
    plot_condition_fraction,
    plot_laziness,
    plot_neuron_movement,
    plot_run_risks,
    plot_width_theorem,
)
from lazylib.width_scale import width_condition_samples, width_scale_run, width_scale_sweep, width_theorem


def _ax():
    return Figure().subplots()


def test_plot_laziness_draws_both_parametrisations() -> None:
    X = sphere(4, 3, rng=0)
    y = np.sin(3 * X[:, 0]) + X[:, 1]
    sweep = width_scale_sweep(X, y, [6, 12], horizon=1.0, n_nets=2, n_times=4, rng=0)
    for measure in ("movement", "kernel_change", "gap"):
        ax = _ax()
        plot_laziness(ax, sweep, measure)
        for p in ("ntk", "mean_field"):
            assert has_line(ax, [6, 12], getattr(sweep.get(p), measure).mean(axis=0))
        assert any(line.get_linestyle() == "--" for line in ax.get_lines())
        assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title() and ax.get_legend()


def test_plot_run_risks_and_neuron_movement_draw_the_run() -> None:
    X = sphere(4, 3, rng=0)
    y = np.sin(3 * X[:, 0]) + X[:, 1]
    run = width_scale_run(ShallowNet.random(10, 3, "tanh", rng=1), X, y, "ntk", 1.0, n_times=5)
    ax = _ax()
    plot_run_risks(ax, run)
    assert has_line(ax, run.t, run.risk) and has_line(ax, run.t, run.risk_linearized)
    ax = _ax()
    plot_neuron_movement(ax, run)
    assert has_line(ax, np.arange(1, 11), np.sort(run.neuron_movement)[::-1])
    assert any(np.allclose(line.get_ydata(), run.neuron_bound) for line in ax.get_lines())


def test_plot_condition_fraction_and_width_theorem_draw_the_results() -> None:
    X = sphere(2, 20, rng=0)
    y = np.array([0.6, 0.8])
    th = width_theorem(X, y, 0.1, "tanh")
    samples = width_condition_samples(X, y, [th.m_star // 4 * 2, th.m_star], "tanh", n_nets=5, rng=0)
    ax = _ax()
    plot_condition_fraction(ax, samples, th)
    assert has_line(ax, samples.widths, samples.fraction())
    assert any(np.allclose(line.get_xdata(), th.m_star) for line in ax.get_lines())
    ax = _ax()
    plot_width_theorem(ax, [2, 3], [100.0, 300.0], [50.0, 150.0], [80.0, 200.0], 0.1)
    assert has_line(ax, [2, 3], [100.0, 300.0]) and has_line(ax, [2, 3], [80.0, 200.0])
