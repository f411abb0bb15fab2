"""What-lazy-training-learns page (``notebooks/11_what_lazy_learns.ipynb``): the lazy solution, the
network's limit beside it, and what the lazy regime costs.

Figures:

* :func:`plot_limit_gap`: the gap between the network's limit and the lazy solution against α (test
  predictions and weights, both centrings), with the proven bounds dashed and Theorem 8.1's threshold;
* :func:`plot_converged_sweep`: the test loss of ReLU networks trained to convergence against the
  initial scale ν, beside converged tangent-kernel and infinite-width-kernel regression;
* :func:`plot_interpolants`: the distance ``‖u − w₀‖`` of other interpolants against the lazy
  solution's, with Pythagoras' law dashed;
* :func:`plot_curve_predictions`: the network's limit and the lazy solution along a curve of inputs
  (the explorer's frame).

The explorer moves α for a centred tanh network and draws :func:`plot_curve_predictions` and
:func:`plot_limit_gap` from :func:`lazylib.lazy_solution.limit_gap_sweep`.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .._checks import as_array, check_positive_int
from ..data import teacher_student
from ..formatting import num
from ..lazy_solution import ConvergedSweep, Interpolants, LimitGapSweep, limit_gap_sweep
from ..models import ShallowNet
from ._checks import check_index, checked
from .explorer import Control, Explorer
from .style import finish_figure

__all__ = [
    "SOLUTION_ALPHAS",
    "build_explorer",
    "curve_inputs",
    "plot_converged_sweep",
    "plot_curve_predictions",
    "plot_interpolants",
    "plot_limit_gap",
]

#: Scales of the explorer.
SOLUTION_ALPHAS = (0.1, 0.3, 1.0, 3.0, 10.0, 30.0)


@checked
def plot_limit_gap(
    ax_test: Axes, ax_weights: Axes, symmetric: LimitGapSweep, subtract: LimitGapSweep
) -> None:
    """Against α, log–log, for both centrings: left, the test-prediction gap
    ``‖αh(X_test; w∞) − αh₀(X_test; u∞)‖`` with its proven bound (dashed); right, the weight gap
    ``‖w∞ − u∞‖`` with its proven bound Δ (dashed). Theorem 8.1's threshold α_min dotted; the bounds
    hold to its right. One legend, on ``ax_test``, in room left below the curves."""
    panels = (
        (ax_test, "test_gap", "test_bound", "test-prediction gap", "test predictions"),
        (ax_weights, "weight_gap", "weight_bound", "‖w∞ − u∞‖", "weights (the centrings overlap)"),
    )
    for ax, gap, bound, ylabel, title in panels:
        ax.loglog(symmetric.alphas, getattr(symmetric, gap), "o-", color="tab:red", label="symmetric")
        ax.loglog(subtract.alphas, getattr(subtract, gap), "v-", color="tab:orange", label="subtract")
        ax.loglog(subtract.alphas, getattr(subtract, bound), "k--", lw=1, label="proven bound (subtract)")
        ax.axvline(
            float(subtract.alpha_min[0]), color="grey", ls=":", lw=1, label=r"$\alpha_{\min}$ of Thm 8.1"
        )
        ax.set(xlabel="scale α", ylabel=ylabel, title=title)
        # Room below the data: the curves fall from upper left to lower right, the legend sits under them.
        low = min(getattr(symmetric, gap).min(), getattr(subtract, gap).min())
        ax.set_ylim(bottom=low * 1e-6)
    ax_test.legend(loc="lower left")  # one legend: the same four styles in both panels


@checked
def plot_converged_sweep(ax: Axes, sweep: ConvergedSweep) -> None:
    """Test loss after training to convergence against ν (median, min–max band over the seeds), with
    converged tangent-kernel regression (dashed, median over seeds), infinite-width-kernel regression
    (dash-dotted) and the zero predictor (dotted)."""
    med = np.median(sweep.test_loss, axis=1)
    ax.loglog(sweep.nus, med, "o-", label=f"networks, median of {len(sweep.seeds)} seeds")
    ax.fill_between(sweep.nus, sweep.test_loss.min(axis=1), sweep.test_loss.max(axis=1), alpha=0.25)
    ax.axhline(float(np.median(sweep.tangent_kernel)), color="k", ls="--", lw=1, label="tangent kernel K₀")
    ax.axhline(sweep.expected_kernel, color="tab:green", ls="-.", lw=1, label="infinite-width kernel")
    ax.axhline(sweep.null_loss, color="grey", ls=":", lw=1, label="zero predictor")
    ax.set(
        xlabel="initial scale ν (α = ν²)",
        ylabel="test loss ½ mean (h − y)²",
        title="trained to convergence",
    )
    ax.legend()


@checked
def plot_interpolants(ax: Axes, interp: Interpolants) -> None:
    """``‖u − w₀‖`` of the interpolants ``u∞ + v⊥`` against ``‖v⊥‖`` (markers, log ``‖v⊥‖``), the lazy
    solution's distance (horizontal) and Pythagoras' ``√(‖u∞ − w₀‖² + ‖v⊥‖²)`` (dashed)."""
    grid = np.geomspace(interp.sizes.min(), interp.sizes.max(), 100)
    ax.semilogx(interp.sizes, interp.distances, "o", label="u∞ + z (null-space direction z)")
    ax.semilogx(grid, np.hypot(interp.lazy_distance, grid), "k--", lw=1, label="√(‖u∞ − w₀‖² + ‖v⊥‖²)")
    ax.axhline(interp.lazy_distance, color="tab:red", lw=1.5, label="lazy solution u∞")
    ax.set(xlabel="‖v⊥‖", ylabel="‖u − w₀‖", title="every interpolant is farther from w₀")
    ax.legend()


def curve_inputs(X: np.ndarray, i: int = 0, j: int = 1, n_points: int = 121) -> tuple[np.ndarray, np.ndarray]:
    """Points ``cos θ e₁ + sin θ e₂`` of the great circle through the unit inputs ``X[i]`` and ``X[j]``
    (``e₁ = X[i]``, ``e₂`` orthonormalised from ``X[j]``), ``θ ∈ [−π, π)``; returns ``(θ, points)``.

    Raises
    ------
    ValueError
        If ``X`` is not a finite 2-D array, ``i``/``j`` are not indices of two of its rows, or those
        rows do not span a plane (a zero row, or ``X[j]`` parallel to ``X[i]``: no great circle
        passes through both, or many do).
    """
    X = as_array(X, "X", ndim=2)
    i = check_index(i, X.shape[0], "i")
    j = check_index(j, X.shape[0], "j")
    n_points = check_positive_int(n_points, "n_points")
    norm_i, norm_j = float(np.linalg.norm(X[i])), float(np.linalg.norm(X[j]))
    if norm_i == 0.0 or norm_j == 0.0:
        raise ValueError(f"X[{i if norm_i == 0.0 else j}] must be non-zero: it has no direction")
    e1 = X[i] / norm_i
    e2 = X[j] - (X[j] @ e1) * e1
    # X[j]'s component off X[i], relative to |X[j]|: at round-off level the plane is noise
    if np.linalg.norm(e2) <= 1e-8 * norm_j:
        raise ValueError(
            f"X[{i}] and X[{j}] must not be parallel: i and j must name two inputs spanning a plane"
        )
    e2 = e2 / np.linalg.norm(e2)
    theta = np.linspace(-np.pi, np.pi, n_points, endpoint=False)
    return theta, np.cos(theta)[:, None] * e1 + np.sin(theta)[:, None] * e2


@checked
def plot_curve_predictions(
    ax: Axes, theta: np.ndarray, sweep: LimitGapSweep, k: int, marks: tuple[np.ndarray, np.ndarray]
) -> None:
    """Along a curve of inputs (angle θ): the network's limit (solid) and the lazy solution (dashed) at
    the ``k``-th α of ``sweep``, and the training points on the curve (``marks = (θ_i, y_i)``)."""
    k = check_index(k, len(sweep.alphas), "k")
    ax.plot(theta, sweep.network_test[k], "-", color="tab:blue", label="network's limit αh(x; w∞)")
    ax.plot(theta, sweep.lazy_test[k], "--", color="k", lw=1.2, label="lazy solution αh₀(x; u∞)")
    ax.plot(*marks, "o", color="tab:red", label="training points on the curve")
    ax.set(
        xlabel="θ (position on a great circle)",
        ylabel="prediction",
        title=f"predictions along the curve, α = {sweep.alphas[k]:g}",
    )
    ax.legend()


# ---------------------------------------------------------------------------- the explorer
_Problem = tuple[ShallowNet, np.ndarray, np.ndarray, np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]


@lru_cache(maxsize=1)
def _problem() -> _Problem:
    """The page's tanh problem (section 1): n = 10 points of the sphere of R⁵ with teacher targets,
    a centred net of width 40, and the great circle through the first two training points."""
    task = teacher_student(10, 5, rng=7, n_test=1)
    net = ShallowNet.random(40, 5, "tanh", rng=8, symmetric=True)
    theta, curve = curve_inputs(task.X)
    marks = (np.array([0.0, float(np.arctan2(*_coords(task.X)[::-1]))]), task.y[:2])
    return net, task.X, task.y, theta, curve, marks


def _coords(X: np.ndarray) -> tuple[float, float]:
    """Coordinates of ``X[1]`` in the plane (e₁, e₂) of :func:`curve_inputs`."""
    e1 = X[0] / np.linalg.norm(X[0])
    e2 = X[1] - (X[1] @ e1) * e1
    return float(X[1] @ e1), float(X[1] @ (e2 / np.linalg.norm(e2)))


@lru_cache(maxsize=1)
def _sweep() -> LimitGapSweep:
    net, X, y, _, curve, _ = _problem()
    return limit_gap_sweep(net, X, y, list(SOLUTION_ALPHAS), curve, "symmetric", horizon=20.0, rtol=1e-8)


def _draw(fig: Figure, alpha: float) -> None:
    sweep = _sweep()
    _, _, _, theta, _, marks = _problem()
    k = SOLUTION_ALPHAS.index(alpha)
    ax1, ax2 = fig.subplots(1, 2)
    plot_curve_predictions(ax1, theta, sweep, k, marks)
    ax2.loglog(sweep.alphas, sweep.test_gap, "o-", color="tab:red", label="gap on the curve")
    ax2.loglog([alpha], [sweep.test_gap[k]], "o", ms=12, mfc="none", color="k", label=f"α = {alpha:g}")
    ax2.set(xlabel="scale α", ylabel="‖network − lazy‖ on the curve", title="gap (∝ 1/α² for large α)")
    ax2.legend()
    fig.suptitle(
        f"α = {alpha:g}: weights moved {num(sweep.movement[k], 2)}, ‖w∞ − u∞‖ = {num(sweep.weight_gap[k], 2)}"
    )
    finish_figure(fig, legends="all", check=False)


def build_explorer() -> Explorer:
    """What lazy training learns: α → the network's limit and the lazy solution along a curve."""
    return Explorer(
        _draw,
        {"alpha": Control("α", SOLUTION_ALPHAS, default=0.1)},
        figsize=(7.0, 5.0),
        margins={"left": 0.11, "right": 0.98, "bottom": 0.1, "top": 0.86, "wspace": 0.4},
        caption="What lazy training learns: as α grows the network's limit becomes the lazy solution",
        name="lazy_solution",
    )
