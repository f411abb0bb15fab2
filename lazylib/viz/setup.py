"""Setup page (``notebooks/02_setup.ipynb``): prediction paths of the network and of its linearization.

The explorer runs :func:`lazylib.dynamics.compare_flows` (the flow pair ``w(t)``, ``u(t)`` on one
lazy-clock grid) on a two-point problem, so the predictions live in the plane.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from matplotlib.figure import Figure

from ..dynamics import FlowPair, compare_flows
from ..lemmas import smooth_problem
from ..theory import jacobian_singular_values
from .explorer import Control, Explorer, log_values

__all__ = ["SETUP_ALPHAS", "build_explorer", "plot_prediction_paths"]

SETUP_ALPHAS = log_values(0.01, 10.0, 7)


@lru_cache(maxsize=32)
def _pair(alpha: float) -> tuple[FlowPair, np.ndarray]:
    net, X, y = smooth_problem(n=2, d=2, m=20, seed=2)
    sigma_min, _ = jacobian_singular_values(net, X)
    # lazy-clock times α²t: log-spaced, so the fast early modes are resolved as well as the slow tail
    tau = np.concatenate([[0.0], np.geomspace(1e-3, 6.0 / sigma_min**2, 79)])
    return compare_flows(net, X, y, alpha, tau), y


def plot_prediction_paths(fig: Figure, pair: FlowPair, y: np.ndarray) -> None:
    """Two panels: both prediction paths in the plane (n = 2), and both risks against α²t."""
    nonlinear, linear = pair.nonlinear, pair.linearized
    ax1, ax2 = fig.subplots(1, 2)
    ax1.plot(*nonlinear.predictions.T, color="C0", label="network  αf(w(t))")
    ax1.plot(*linear.predictions.T, "--", color="C1", label="linearized  αf₀(u(t))")
    ax1.plot(*nonlinear.predictions[0], "o", color="k", label="start αf(w₀) = 0")
    ax1.plot(*y, "*", color="C3", markersize=12, label="target y")
    ax1.set(xlabel="prediction on x₁", ylabel="prediction on x₂", title="paths in prediction space")
    ax1.set_aspect("equal", adjustable="datalim")
    ax1.legend(loc="best", fontsize=8)
    ax2.semilogy(pair.tau, nonlinear.risk, color="C0", label="network")
    ax2.semilogy(pair.tau, linear.risk, "--", color="C1", label="linearized")
    ax2.set(xlabel="rescaled time α²t", ylabel="risk ½‖y − αf‖²", title="risk along both flows")
    ax2.legend(fontsize=8)
    fig.suptitle(
        f"α = {pair.alpha:.3g}: largest gap between the two prediction paths {pair.max_prediction_gap:.3g}"
    )


def _draw(fig: Figure, alpha: float) -> None:
    plot_prediction_paths(fig, *_pair(alpha))


def build_explorer() -> Explorer:
    """Setup: α → the prediction paths of the network's and the linearized flow (n = 2)."""
    return Explorer(
        _draw,
        {"alpha": Control("α", SETUP_ALPHAS, default=1.0, static=SETUP_ALPHAS[::2])},
        caption="Setup: prediction paths of the network and its linearization as α grows",
    )
