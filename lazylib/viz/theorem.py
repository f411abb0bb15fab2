"""Theorem 8.1 page (``notebooks/03_theorem_8_1.ipynb``): risk and distance against the bounds.

The explorer draws a :class:`lazylib.case_study.TheoremCheck` (both flows beside the theorem's
constants, from :func:`lazylib.case_study.check_theorem_8_1`) for one (α, m, centring).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from matplotlib.figure import Figure

from ..case_study import TheoremCheck, check_theorem_8_1
from ..lemmas import smooth_problem
from ..models import ShallowNet
from ..theory import theorem_8_1
from .explorer import Control, Explorer
from .style import positive_or_nan

__all__ = ["THEOREM_ALPHAS", "THEOREM_WIDTHS", "build_explorer", "plot_theorem_check"]

THEOREM_ALPHAS = (0.1, 1.0, 10.0, 100.0, 1000.0, 10000.0)
THEOREM_WIDTHS = (20, 80, 320)


@lru_cache(maxsize=64)
def _check(alpha: float, m: int, centred: bool) -> TheoremCheck:
    """Six points on the sphere of R⁶; the centred net of the problem, or a plain random one."""
    net, X, y = smooth_problem(n=6, d=6, m=m, seed=2)
    if not centred:
        net = ShallowNet.random(m, 6, "tanh", rng=3)
    sigma_min = theorem_8_1(net, X, y, alpha).sigma_min
    return check_theorem_8_1(net, X, y, alpha, np.linspace(0.0, 8.0 / (alpha * sigma_min) ** 2, 60))


def plot_theorem_check(fig: Figure, check: TheoremCheck, label: str = "") -> None:
    """Two panels: both risks against ``R₀exp(−tα²σ²_min/2)``, both distances against the radius."""
    th, nonlinear, linear = check.theorem, check.nonlinear, check.linearized
    ax1, ax2 = fig.subplots(1, 2)
    ts = check.t * th.alpha**2 * th.sigma_min**2
    ax1.semilogy(ts, nonlinear.risk, color="C0", label="network R(αf(w(t)))")
    ax1.semilogy(ts, linear.risk, color="C1", label="linearized R(αf₀(u(t)))")
    ax1.semilogy(ts, check.risk_bound, "--", color="k", label="bound R₀exp(−tα²σ²_min/2)")
    ax1.set(xlabel="α²σ²_min t", ylabel="risk", title="risk against the bound")
    ax1.legend(fontsize=8)
    ax2.semilogy(ts, positive_or_nan(nonlinear.distance), color="C0", label="network ‖w(t) − w₀‖")
    ax2.semilogy(ts, positive_or_nan(linear.distance), color="C1", label="linearized ‖u(t) − w₀‖")
    ax2.axhline(th.radius, ls="--", color="k", label="radius √(72σ²_max R₀)/(ασ²_min)")
    ax2.axhline(th.ball_radius / 2, ls=":", color="C3", label="B/2 = σ_min/(4β)")
    ax2.set(xlabel="α²σ²_min t", ylabel="distance from w₀", title="distance against the radius")
    ax2.legend(fontsize=8, loc="best")
    verdict = "applies (α ≥ α_min)" if th.applies else "not guaranteed (α < α_min)"
    fig.suptitle(
        f"{label}α = {th.alpha:g}, α_min = {th.alpha_min:.3g}: Theorem 8.1 {verdict}",
        color="C2" if th.applies else "C3",
    )


def _draw(fig: Figure, alpha: float, m: int, centred: bool) -> None:
    plot_theorem_check(
        fig, _check(alpha, m, centred), f"m = {m}, {'centred' if centred else 'not centred'}, "
    )


def build_explorer() -> Explorer:
    """Theorem 8.1: (α, m, centring) → risk vs bound, distance vs radius, α vs α_min."""
    return Explorer(
        _draw,
        {
            "alpha": Control(
                "α", THEOREM_ALPHAS, default=100.0, static=(0.1, 1.0, 100.0, 10000.0), fmt="{:g}"
            ),
            "m": Control("width m", THEOREM_WIDTHS, default=320, static=(20, 320)),
            "centred": Control("centred (doubling trick)", (True, False), default=True),
        },
        figsize=(9.5, 3.6),
        caption="Theorem 8.1: risk and distance against the bounds; is α above α_min?",
    )
