"""Theorem 8.1 page (``notebooks/03_theorem_8_1.ipynb``): risk and distance against the bounds.

Figures, each drawing results of :func:`lazylib.case_study.check_theorem_8_1`:

* :func:`plot_check_risks`, :func:`plot_check_distances`: both flows of one
  :class:`~lazylib.case_study.TheoremCheck` against the theorem's risk bound and radius (the page's
  figure at α = α_min, and the explorer's frame for one (α, m, centring));
* :func:`plot_scan_risks`, :func:`plot_scan_distances`: a scan of α below the threshold.

The time axis is the theorem's clock ``t α²σ_min²/2`` (``check.t · rate``).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from ..case_study import TheoremCheck, check_theorem_8_1
from ..lemmas import smooth_problem
from ..models import ShallowNet
from ..theory import lemma_8_1_bound, theorem_8_1
from ._checks import checked
from .explorer import Control, Explorer
from .style import finish_figure, positive_or_nan

__all__ = [
    "THEOREM_ALPHAS",
    "THEOREM_WIDTHS",
    "build_explorer",
    "plot_check_distances",
    "plot_check_risks",
    "plot_scan_distances",
    "plot_scan_risks",
]

THEOREM_ALPHAS = (0.1, 1.0, 10.0, 100.0, 1000.0, 10000.0)
THEOREM_WIDTHS = (20, 80, 320)

_CLOCK = r"$t\,\alpha^2\sigma_{\min}^2/2$"


@checked
def plot_check_risks(ax: Axes, check: TheoremCheck) -> None:
    """Both risks against Theorem 8.1's bound ``R₀e^{−tα²σ²_min/2}`` and the linearized flow's sharp
    rate ``R₀e^{−2tα²σ²_min}`` (Lemma 8.1 with λ = α²σ²_min)."""
    th = check.theorem
    clock = check.t * th.rate
    ax.semilogy(clock, check.nonlinear.risk, label=r"network $\hat R(\alpha f(\mathbf{w}(t)))$")
    ax.semilogy(
        clock, check.linearized.risk, ":", lw=3, label=r"linearized $\hat R(\alpha f_0(\mathbf{u}(t)))$"
    )
    ax.semilogy(
        clock, check.risk_bound, "k--", label=r"Theorem 8.1: $\hat R_0 e^{-t\alpha^2\sigma_{\min}^2/2}$"
    )
    sharp = lemma_8_1_bound(th.risk0, th.linear_rate / 2, check.t)
    ax.semilogy(
        clock,
        sharp,
        "--",
        color="grey",
        label=r"sharp for $\mathbf{u}$: $\hat R_0 e^{-2t\alpha^2\sigma_{\min}^2}$",
    )
    ax.set(xlabel=_CLOCK, ylabel="risk", title="Risks against their bound")
    ax.legend()


@checked
def plot_check_distances(ax: Axes, check: TheoremCheck) -> None:
    """Both distances from ``w₀`` against the theorem's radius, the sharp radius of ``u`` (radius/6)
    and the ball ``B = σ_min/(2β)`` of Lemma 8.3."""
    th = check.theorem
    clock = check.t * th.rate
    ax.semilogy(
        clock, positive_or_nan(check.nonlinear.distance), label=r"network $\|\mathbf{w}(t)-\mathbf{w}_0\|$"
    )
    ax.semilogy(
        clock,
        positive_or_nan(check.linearized.distance),
        ":",
        lw=3,
        label=r"linearized $\|\mathbf{u}(t)-\mathbf{w}_0\|$",
    )
    at_min = abs(th.alpha / th.alpha_min - 1) < 1e-9
    ax.axhline(
        th.radius, color="k", ls="--", label=r"Theorem 8.1 radius" + (r" $=B/2$ here" if at_min else "")
    )
    ax.axhline(th.linear_radius, color="grey", ls="--", label=r"sharp for $\mathbf{u}$: radius/6")
    ax.axhline(th.ball_radius, color="tab:red", ls="-.", label=r"ball $B=\sigma_{\min}/(2\beta)$")
    where = (
        r"$\alpha=\alpha_{\min}$" if at_min else rf"$\alpha = {th.alpha / th.alpha_min:.3g}\,\alpha_{{\min}}$"
    )
    ax.set(
        xlabel=_CLOCK,
        ylabel=r"distance from $\mathbf{w}_0$",
        title=f"Distances, {where}",
    )
    ax.legend()


@checked
def plot_scan_risks(ax: Axes, factors: ArrayLike, scan: Sequence[TheoremCheck]) -> None:
    """The network's risk ``R/R₀`` at each ``α = factor · α_min`` against the bound ``e^{−tα²σ²_min/2}``.

    The first curve is solid, the next ones dashed in different patterns: runs that coincide (all
    α well above the stall) stay visible on top of one another.
    """
    styles = ("-", "--", "-.", ":", (0, (6, 2, 1, 2)))
    for k, (f, c) in enumerate(zip(np.asarray(factors, dtype=float), scan, strict=True)):
        ax.semilogy(
            c.t * c.theorem.rate,
            c.nonlinear.risk / c.theorem.risk0,
            ls=styles[k % len(styles)],
            label=rf"$\alpha = {f:g}\,\alpha_{{\min}}$",
        )
    clock = scan[0].t * scan[0].theorem.rate
    ax.semilogy(
        clock, lemma_8_1_bound(1.0, 0.5, clock), "k--", label=r"bound $e^{-t\alpha^2\sigma_{\min}^2/2}$"
    )
    ax.set(
        xlabel=_CLOCK,
        ylabel=r"$\hat R(\alpha f(\mathbf{w}(t)))/\hat R_0$",
        title="Network risk below the threshold",
        ylim=(1e-12, 2),
    )
    ax.legend()


@checked
def plot_scan_distances(ax: Axes, factors: ArrayLike, scan: Sequence[TheoremCheck]) -> None:
    """How far ``w(t)`` moves (max over the run) and the theorem's radius, over ``B``, against α/α_min."""
    factors = np.asarray(factors, dtype=float)
    ball = scan[0].theorem.ball_radius  # σ_min/(2β): the same at every α
    moved = np.array([c.nonlinear.distance.max() for c in scan])
    radii = np.array([c.theorem.radius for c in scan])
    ax.loglog(factors, moved / ball, "o-", label=r"measured $\max_t\|\mathbf{w}(t)-\mathbf{w}_0\|/B$")
    ax.loglog(factors, radii / ball, "k--", label="Theorem 8.1 radius / B")
    ax.axhline(1.0, color="tab:red", ls="-.", label="ball B")
    ax.axvline(1.0, color="grey", ls=":", label=r"$\alpha_{\min}$")
    ax.set(xlabel=r"$\alpha/\alpha_{\min}$", ylabel="distance / B", title="How far the weights move")
    ax.legend()


# ---------------------------------------------------------------------------- the explorer
@lru_cache(maxsize=64)
def _check(alpha: float, m: int, centred: bool) -> TheoremCheck:
    """Six points on the sphere of R⁶; the centred net of the problem, or a plain random one."""
    net, X, y = smooth_problem(n=6, d=6, m=m, seed=2)
    if not centred:
        net = ShallowNet.random(m, 6, "tanh", rng=3)
    rate = theorem_8_1(net, X, y, alpha).rate
    return check_theorem_8_1(net, X, y, alpha, np.linspace(0.0, 4.0, 60) / rate)


def _draw(fig: Figure, alpha: float, m: int, centred: bool) -> None:
    check = _check(alpha, m, centred)
    ax1, ax2 = fig.subplots(1, 2)
    plot_check_risks(ax1, check)
    plot_check_distances(ax2, check)
    th = check.theorem
    verdict = "applies (α ≥ α_min)" if th.applies else "not guaranteed (α < α_min)"
    fig.suptitle(
        f"m = {m}, {'centred' if centred else 'not centred'}, α = {th.alpha:g}, α_min = {th.alpha_min:.3g}:\n"
        f"Theorem 8.1 {verdict}",
        color="C2" if th.applies else "C3",
    )
    finish_figure(fig, legends="all", check=False)


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
        figsize=(7.0, 5.0),
        margins={"left": 0.1, "right": 0.98, "bottom": 0.1, "top": 0.83, "wspace": 0.32},
        caption="Theorem 8.1: risk and distance against the bounds; is α above α_min?",
        name="theorem",
    )
