"""Curves that coincide on pages 01, 05, 06, 07, 08 and 10: each figure says that two of its curves overlap
exactly when they do, and then passes the hidden-curve check (``lazylib.viz.legibility``).

Each test draws the figure twice, from data where the curves coincide and from data where they are
visibly apart: the statement (a ``HIDDEN_WORDS`` word in a label or the legend's title) must appear
in the first and not in the second, the check must pass on both, and without the statement the check
must flag the first (so the statement is what lets it pass, and a figure that stops saying it fails).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from lazylib import ShallowNet, sphere
from lazylib.discrete_time import check_gd_theorem, gd_theorem_8_1
from lazylib.flows import gradient_flow
from lazylib.lazy_active import CentringSweep
from lazylib.lemmas import KernelSpectrumChange, flow_risk_check, smooth_problem
from lazylib.recall import UniversalApproximation
from lazylib.theory import theorem_8_1
from lazylib.viz import discrete_time as viz_discrete_time
from lazylib.viz import eigenvalues as viz_eigenvalues
from lazylib.viz import lazy_active as viz_lazy_active
from lazylib.viz import lemma_8_1 as viz_lemma_8_1
from lazylib.viz import lemma_8_2 as viz_lemma_8_2
from lazylib.viz import recall as viz_recall
from lazylib.viz.legibility import HIDDEN_WORDS, hidden_curves
from lazylib.viz.style import book_style


def _says(text: str) -> bool:
    return any(word in text.lower() for word in HIDDEN_WORDS)


def _line(ax: Axes, label_start: str) -> Line2D:
    (line,) = [ln for ln in ax.get_lines() if str(ln.get_label()).startswith(label_start)]
    return line


@pytest.mark.parametrize("gap", [1.05, 3.0])
def test_universal_approximation_says_the_errors_overlap_only_when_they_do(gap: float) -> None:
    widths = 2.0 ** np.arange(1, 10)
    train = np.stack([np.geomspace(0.6, 1e-5, widths.size)] * 3)
    result = UniversalApproximation(
        widths=widths, train_rmse=train, test_rmse=gap * train, target_rms=1.3, theta_test=np.zeros(4)
    )
    theta = np.linspace(0.0, 2 * np.pi, 100)
    fig = Figure(figsize=(7.0, 3.6))
    ax_err, ax_fit = fig.subplots(1, 2)
    with book_style():
        viz_recall.plot_universal_approximation(
            ax_err, ax_fit, result, theta, np.sin, {"m = 2": np.cos(theta)}
        )
        test = _line(ax_err, "test")
        assert _says(str(test.get_label())) == (gap < 1.25)
        assert hidden_curves(fig) == []
        if gap < 1.25:
            test.set_label("test")
            assert hidden_curves(fig), "training markers under the test markers: unseen"


@pytest.fixture(scope="module")
def small_flows():
    net, X, y = smooth_problem(n=5, d=3, m=20, rng=0)
    smin2_tau = np.linspace(0.0, 4.0, 41)
    checks = [flow_risk_check(net, X, y, alpha, smin2_tau) for alpha in (20.0, 50.0)]
    lin = gradient_flow(net, X, y, 1.0, smin2_tau / checks[0].theorem.sigma_min ** 2, linearized=True)
    return lin, checks


@pytest.mark.parametrize("floor", [1.0, 0.5])
def test_flow_risks_say_the_bounds_overlap_only_when_they_do(small_flows, floor: float) -> None:
    """``floor``: the measured λ of the second run as a fraction of α²σ_min² (1: as measured, where the
    kernel barely moves at α = 50; 0.5: a bound visibly above the one at α²σ_min²)."""
    lin, checks = small_flows
    assert all(c.lam_drop < 1e-3 for c in checks)  # the lazy regime: the measured bounds coincide
    c = checks[1]
    lam = floor * c.lam
    moved = dataclasses.replace(c, lam=lam, bound=c.theorem.risk0 * np.exp(-2 * lam * c.trajectory.t))
    fig = Figure(figsize=(7.0, 4.0))
    ax = fig.subplots()
    with book_style():
        viz_lemma_8_1.plot_flow_risks(ax, lin, [checks[0], moved])
        first, second = (_line(ax, rf"Lemma 8.1, measured $\lambda$, $\alpha={a:g}$") for a in (20.0, 50.0))
        assert _says(str(first.get_label()))
        assert _says(str(second.get_label())) == (floor == 1.0)
        assert hidden_curves(fig) == []
        first.set_label(r"Lemma 8.1, measured $\lambda$")
        assert hidden_curves(fig), "the bound at α²σ_min² under the measured one: unseen"


@pytest.mark.parametrize("shift", [1e-3, 0.3])
def test_kernel_spectra_say_the_spectra_overlap_only_when_they_do(shift: float) -> None:
    initial = np.array([180.0, 140.0, 80.0, 25.0, 11.0, 7.0, 5.0, 2.5])
    changes = [
        KernelSpectrumChange(alpha=a, initial=initial, final=initial * (1 + shift) ** k, operator_change=0.0)
        for k, a in ((1, 0.25), (2, 64.0))
    ]
    fig = Figure(figsize=(7.0, 3.8))
    ax = fig.subplots()
    with book_style():
        viz_eigenvalues.plot_kernel_spectra(ax, changes)
        legend = ax.get_legend()
        assert legend is not None
        assert _says(legend.get_title().get_text()) == (shift < 0.1)
        assert hidden_curves(fig) == []
        if shift < 0.1:
            legend.set_title("")
            assert hidden_curves(fig), "K_T's markers are on K_0's: the check must see it"


@pytest.mark.parametrize(
    ("distance_factor", "radius_factor"), [(1.0, 1.0), (3.0, 1.0), (1.0, 3.0), (3.0, 3.0)]
)
def test_distance_sweep_says_u_and_w_overlap_only_when_they_do(
    distance_factor: float, radius_factor: float
) -> None:
    sweep = viz_lemma_8_2._sweep()  # the page's sweep, where u and w coincide within 5 %
    assert np.allclose(sweep.distance_u, sweep.distance_w, rtol=0.05)
    assert np.allclose(sweep.radius_u, sweep.radius_w, rtol=0.05)
    moved = dataclasses.replace(
        sweep, distance_u=distance_factor * sweep.distance_u, radius_u=radius_factor * sweep.radius_u
    )
    fig = Figure(figsize=(7.0, 4.8))
    ax = fig.subplots()
    with book_style():
        viz_lemma_8_2.plot_distance_sweep(ax, moved)
        legend = ax.get_legend()
        assert legend is not None
        title = legend.get_title().get_text()
        assert _says(title) == (distance_factor == 1.0 or radius_factor == 1.0)
        assert ("markers" in title or "entries" in title) == (distance_factor == 1.0)
        assert ("Lemma 8.2" in title or "entries" in title) == (radius_factor == 1.0)
        assert hidden_curves(fig) == []
        if _says(title):
            legend.set_title("")
            assert hidden_curves(fig), "u's markers or line are on w's: the check must see it"


@pytest.mark.parametrize("factor", [0.97, 3.0])
def test_centring_says_the_centrings_overlap_only_when_they_do(factor: float) -> None:
    """``factor``: the subtract centring's movement and path gap over the symmetric one's (page 08:
    0.97 and 0.95); its prediction gap is always apart (slope −1 against −2)."""
    alphas = np.geomspace(3.0, 300.0, 5)

    def sweep(centring: str, movement: np.ndarray, gap: np.ndarray, path_gap: np.ndarray) -> CentringSweep:
        ones = np.ones_like(alphas)
        return CentringSweep(alphas, centring, ones, movement, gap, 1e-13 * ones, path_gap)

    sym = sweep("symmetric", 0.2 / alphas, 1e-3 / alphas**2, 5e-2 / alphas**2)
    sub = sweep("subtract", factor * sym.movement, 1e-2 / alphas, factor * sym.path_gap)
    fig = Figure(figsize=(7.0, 4.4))
    ax = fig.subplots()
    with book_style():
        viz_lazy_active.plot_centring(ax, sym, sub)
        said = [str(ln.get_label()) for ln in ax.get_lines() if _says(str(ln.get_label()))]
        assert len(said) == (2 if factor < 1.1 else 0)
        assert all("subtract" in label and "gap," not in label for label in said)
        assert hidden_curves(fig) == []
        for line in ax.get_lines():
            line.set_label(str(line.get_label()).replace(" (overlaps)", ""))
        assert bool(hidden_curves(fig)) == (factor < 1.1), "subtract markers on the symmetric ones: unseen"


@pytest.mark.parametrize("above", [1.0, 2.0])
def test_gd_distances_say_the_ball_is_the_gd_radius_only_when_it_is(above: float) -> None:
    """At α = α_min (``above = 1``) and ϑ = 1/2 the GD radius equals B (page 10, Fig. 27); at 2α_min it
    is half of it."""
    X = sphere(5, 3, rng=0)
    y = np.sin(3 * X[:, 0]) + 0.5 * X[:, 1]
    net = ShallowNet.random(60, 3, "tanh", rng=1, symmetric=True)
    alpha = above * theorem_8_1(net, X, y, 1.0).alpha_min
    gd = gd_theorem_8_1(net, X, y, alpha)
    check = check_gd_theorem(net, X, y, alpha, [gd.step_limit], 1.0 / gd.flow.rate)
    fig = Figure(figsize=(7.0, 3.6))
    ax = fig.subplots()
    with book_style():
        viz_discrete_time.plot_gd_distances(ax, check)
        ball = _line(ax, "ball")
        assert _says(str(ball.get_label())) == (above == 1.0)
        assert hidden_curves(fig) == []
        ball.set_label("ball")
        assert bool(hidden_curves(fig)) == (above == 1.0), "the ball under the GD radius: unseen"
