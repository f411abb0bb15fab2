"""Setup page (``notebooks/02_setup.ipynb``): the network's flow and the linearized flow, side by side.

Figures, each drawing results of :func:`lazylib.dynamics.compare_flows` (a
:class:`~lazylib.dynamics.FlowPair`: ``w(t)`` and ``u(t)`` on one lazy-clock grid ``τ = α²t``) or of
:func:`lazylib.dynamics.lazy_scaling_sweep`:

* :func:`plot_prediction_paths`: each training point's prediction along both flows, with its target;
* :func:`plot_flow_risks`: ``R/R₀`` along both flows at several α, beside ``e^{−2λ_min τ}``;
* :func:`plot_flow_distances`: ``‖w(t) − w₀‖`` and ``‖u(t) − w₀‖`` beside Lemma 8.2's radius of ``u``;
* :func:`plot_lazy_scaling`: gap, distance and kernel drift against α, with fitted slopes.

The explorer's frame is :func:`plot_prediction_paths` and :func:`plot_flow_risks` for one α on a
two-point problem.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from numpy.typing import ArrayLike

from .._types import Array
from ..dynamics import FlowPair, ScalingSweep, compare_flows
from ..lemmas import smooth_problem
from ..theory import jacobian_singular_values, lemma_8_1_bound
from ._checks import checked
from .explorer import Control, Explorer, log_values
from .style import finish_figure, loglog_with_fit

__all__ = [
    "SETUP_ALPHAS",
    "build_explorer",
    "plot_flow_distances",
    "plot_flow_risks",
    "plot_lazy_scaling",
    "plot_prediction_paths",
]

SETUP_ALPHAS = log_values(0.01, 10.0, 7)

_TAU = r"rescaled time $\alpha^2 t$"


@checked
def plot_prediction_paths(ax: Axes, pair: FlowPair, y: ArrayLike, legend: bool = True) -> None:
    """Each training point's prediction ``αf(x_i)`` along the network's flow (solid) and the
    linearized flow (dashed) against ``τ = α²t`` (log axis, ``τ = 0`` left out), its target ``y_i``
    as a dot at the right end; one colour per training point."""
    y = np.asarray(y, dtype=float)
    tau = pair.tau[1:]
    colors = [f"C{i % 10}" for i in range(y.size)]
    for i, color in enumerate(colors):
        ax.semilogx(tau, pair.nonlinear.predictions[1:, i], color=color, lw=1.6)
        ax.semilogx(tau, pair.linearized.predictions[1:, i], "--", color=color, lw=1.6)
        ax.plot(1.4 * tau[-1], y[i], "o", color=color, ms=5)
    ax.set_title(rf"$\alpha = {pair.alpha:g}$: max gap {pair.max_prediction_gap:.2g}")
    ax.set_xlabel(_TAU)
    ax.set_ylabel(r"prediction $\alpha f(x_i)$ at each training point")
    if legend:
        handles = [
            Line2D([], [], color="k", label=r"network $\alpha f(\mathbf{w}(t))$"),
            Line2D([], [], color="k", ls="--", label=r"linearized $\alpha f_0(\mathbf{u}(t))$"),
            Line2D([], [], color="k", marker="o", ls="", label=r"target $y_i$"),
        ]
        ax.legend(handles=handles, loc="upper left")


@checked
def plot_flow_risks(ax: Axes, pairs: Mapping[float, FlowPair], risk0: float, lam_min: float) -> None:
    """``R(t)/R₀`` of the network's flow at each α, the linearized risk (the same at every α for a
    centred net, one dotted curve: that of the last pair) and Lemma 8.1's ``e^{−2λ_min α²t}``."""
    last = None
    for k, (alpha, pair) in enumerate(pairs.items()):
        ax.semilogy(
            pair.tau, pair.nonlinear.risk / risk0, color=f"C{k}", label=rf"network, $\alpha={alpha:g}$"
        )
        last = pair
    if last is None:
        raise ValueError("pairs must hold at least one FlowPair")
    ax.semilogy(
        last.tau, last.linearized.risk / risk0, ":", color="k", lw=2.5, label=r"linearized (every $\alpha$)"
    )
    ax.semilogy(
        last.tau,
        lemma_8_1_bound(1.0, lam_min, last.tau),
        "--",
        color="gray",
        label=r"$e^{-2\lambda_{\min}\alpha^2 t}$",
    )
    ax.set(xlabel=_TAU, ylabel=r"risk $\hat R(t) / \hat R_0$", title="Risk (log scale)")
    ax.legend()


@checked
def plot_flow_distances(ax: Axes, pairs: Mapping[float, FlowPair], radii: Mapping[float, float]) -> None:
    """``‖w(t) − w₀‖`` (solid) and ``‖u(t) − w₀‖`` (dotted) at each α, log–log in τ, with the
    Lemma 8.2 radius of ``u`` at that α dashed (``radii[α]``, e.g. ``Theorem81.linear_radius``)."""
    for k, (alpha, pair) in enumerate(pairs.items()):
        for traj, ls, name in ((pair.nonlinear, "-", "network"), (pair.linearized, ":", "linearized")):
            ax.loglog(
                pair.tau[1:], traj.distance[1:], ls, color=f"C{k}", label=rf"{name}, $\alpha={alpha:g}$"
            )
        ax.axhline(
            radii[alpha], ls="--", color=f"C{k}", lw=1.2, label=rf"Lemma 8.2 radius, $\alpha={alpha:g}$"
        )
    ax.set(xlabel=_TAU, ylabel=r"distance from $\mathbf{w}(0)$", title="Distance travelled (log-log)")
    ax.legend(loc="lower right")


@checked
def plot_lazy_scaling(ax: Axes, sweep: ScalingSweep, radius_u: ArrayLike, fit: ArrayLike) -> dict[str, float]:
    """Largest prediction gap, distance travelled and kernel drift against α (all points open, the
    fitted ones filled with their power law), and Lemma 8.2's radius of ``u`` dashed.

    ``fit`` is a boolean mask of the α used in the fits (the lazy end). Returns the fitted slopes.
    """
    keep = np.asarray(fit, dtype=bool)
    a = sweep.alphas
    slopes = {}
    for name, values, marker, color, label in (
        ("gap", sweep.max_gap, "o", "C0", "max prediction gap"),
        ("distance", sweep.max_distance, "s", "C1", r"max $\|\mathbf{w}(t)-\mathbf{w}(0)\|$"),
        ("drift", sweep.max_kernel_drift, "^", "C2", "kernel drift"),
    ):
        slopes[name] = loglog_with_fit(ax, a[keep], values[keep], label, marker=marker, color=color)
        ax.loglog(a, values, marker, color=color, mfc="none")
    ax.loglog(
        a,
        np.asarray(radius_u, dtype=float),
        "--",
        color="C1",
        label=r"bound on $\|\mathbf{u}(t)-\mathbf{u}(0)\|$ (Lemma 8.2)",
    )
    ax.set_xlabel(r"scale $\alpha$")
    ax.set_ylabel("size (log scale)")
    ax.set_title(
        r"Lazy training: gap, distance and kernel drift against $\alpha$ (fits over $\alpha \geq 1$)"
    )
    ax.legend()
    return slopes


# ---------------------------------------------------------------------------- the explorer
@lru_cache(maxsize=32)
def _pair(alpha: float) -> tuple[FlowPair, Array, float]:
    """A centred two-point problem; lazy-clock times log-spaced, so the fast early modes are
    resolved as well as the slow tail. Returns the pair, the targets and λ_min(J₀J₀ᵀ)."""
    net, X, y = smooth_problem(n=2, d=2, m=20, seed=2)
    sigma_min, _ = jacobian_singular_values(net, X)
    tau = np.concatenate([[0.0], np.geomspace(1e-3, 6.0 / sigma_min**2, 79)])
    return compare_flows(net, X, y, alpha, tau), y, sigma_min**2


def _draw(fig: Figure, alpha: float) -> None:
    pair, y, lam_min = _pair(alpha)
    ax1, ax2 = fig.subplots(1, 2)
    plot_prediction_paths(ax1, pair, y)
    plot_flow_risks(ax2, {alpha: pair}, float(pair.linearized.risk[0]), lam_min)
    fig.suptitle(
        f"α = {pair.alpha:.3g}: largest gap between the two prediction paths {pair.max_prediction_gap:.3g}"
    )
    finish_figure(fig, legends="all", check=False)


def build_explorer() -> Explorer:
    """Setup: α → the prediction paths of the network's and the linearized flow (n = 2)."""
    return Explorer(
        _draw,
        {"alpha": Control("α", SETUP_ALPHAS, default=1.0)},
        figsize=(7.0, 5.0),
        margins={"left": 0.1, "right": 0.98, "bottom": 0.1, "top": 0.86, "wspace": 0.32},
        caption="Setup: prediction paths of the network and its linearization as α grows",
        name="setup",
    )
