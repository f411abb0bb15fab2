"""Gradient-descent page (``notebooks/10_gradient_descent.ipynb``): Theorem 8.1 in discrete time.

Figures, each drawing a result of :mod:`lazylib.discrete_time`:

* :func:`plot_gd_risks`, :func:`plot_gd_distances`: a :class:`~lazylib.discrete_time.GDCheck`,
  gradient descent at several step sizes against the theorem's bounds (time axis ``t = kη`` in the
  flow's clock ``tα²σ_min²/2``);
* :func:`plot_euler_gap`: an :class:`~lazylib.discrete_time.EulerGap`, the distance to the flow
  against ``η``;
* :func:`plot_scan_risks`, :func:`plot_scan_sharpness`: a
  :class:`~lazylib.discrete_time.StepSizeScan`, risks and ``ηα²λ_max`` along runs around ``η_c``.

The explorer's frame is :func:`plot_scan_risks` and :func:`plot_scan_sharpness` for one step size
``η/η_c``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import NullFormatter

from ..discrete_time import EulerGap, GDCheck, StepSizeScan, page_problem, step_size_scan
from ..formatting import num, roundoff
from ..theory import theorem_8_1
from ._checks import check_indices, checked
from .explorer import Control, Explorer
from .style import finish_figure, positive_or_nan

__all__ = [
    "BOUNDS_COINCIDE",
    "STEP_FACTORS",
    "build_explorer",
    "plot_euler_gap",
    "plot_gd_distances",
    "plot_gd_risks",
    "plot_scan_risks",
    "plot_scan_sharpness",
]

#: Step sizes of the explorer, as multiples of ``η_c = 2/(α²λ_max)``; 2/9 is the theorem's limit.
STEP_FACTORS = (round(2 / 9, 4), 0.5, 0.9, 0.99, 1.05, 1.5)

_CLOCK = r"$t\,\alpha^2\sigma_{\min}^2/2$ with $t = k\eta$"

#: Dashed GD bounds of :func:`plot_gd_risks` closer than this (relative, everywhere on the runs' common
#: clock) are said to coincide in its legend: a line width on its log axis, where the last drawn hides
#: the others (page 10's figure of the bounds: three step sizes up to η_thm), as page 03's levels
#: (its ``LEVELS_COINCIDE``).
BOUNDS_COINCIDE = 0.05


def _eta_label(eta: float, limit: float) -> str:
    return rf"$\eta = {eta / limit:.3g}\,\eta_{{\rm thm}}$"


def _nested_width(i: int) -> float:
    """Line width of run ``i``: each later run is drawn thinner, so runs that coincide in the flow's
    clock stay visible as nested lines."""
    return 4.0 * 0.55**i


@checked
def plot_gd_risks(ax: Axes, check: GDCheck) -> None:
    """The network's risk at every step for each step size, with the theorem's bound
    ``R₀(1 − (1 − ϑ)ηα²σ_min²/4)^{2k}`` dashed in the same colour (in grey when the bounds of all step
    sizes coincide, :data:`BOUNDS_COINCIDE`: one line, and the legend says so) and the flow's bound in
    black."""
    th = check.theorem
    rate = th.flow.rate
    bounds = [
        (run.t * rate, th.risk_bound(float(eta), np.rint(run.t / eta)))
        for eta, run in zip(check.etas, check.network, strict=True)
    ]
    # bounds that coincide are one dashed line: drawn in the legend's grey, which says they coincide
    same = len(bounds) > 1 and all(np.all(b > 0) for _, b in bounds) and _bounds_coincide(bounds)
    for i, (eta, run, (clock, bound)) in enumerate(zip(check.etas, check.network, bounds, strict=True)):
        (line,) = ax.semilogy(
            clock, run.risk, color=f"C{i}", lw=_nested_width(i), label=_eta_label(eta, th.step_limit)
        )
        ax.semilogy(clock, bound, "--", color="grey" if same else line.get_color(), lw=1.2)
    t = check.network[-1].t
    ax.semilogy(
        t * rate,
        th.flow.risk_bound(t),
        "k:",
        lw=1.5,
        label=r"flow's bound $\hat R_0e^{-t\alpha^2\sigma_{\min}^2/2}$",
    )
    ax.plot(
        [],
        [],
        "--",
        color="grey",
        label=r"GD bound $\hat R_0 q^{2k}$ " + ("(all coincide)" if same else "(same colour)"),
    )
    ax.set(xlabel=_CLOCK, ylabel=r"risk $\hat R(\alpha f(\mathbf{w}_k))$", title="Risk at every step")
    ax.legend(loc="lower left")


def _bounds_coincide(curves: Sequence[tuple[np.ndarray, np.ndarray]], rel: float = BOUNDS_COINCIDE) -> bool:
    """Whether positive curves ``(x, y)`` are within ``rel`` of one another (relative) at every ``x``
    of their common range (each interpolated linearly in ``log y`` on the others' points): then, on a
    log axis, a line width apart at most, they show as one line.

    Raises
    ------
    ValueError
        If fewer than two curves are given, a curve's ``x`` and ``y`` differ in length or are empty,
        ``x`` does not increase, a ``y`` is not positive, or ``rel`` is not positive.
    """
    rel = float(rel)
    if not rel > 0:
        raise ValueError(f"rel must be positive, got {rel!r}")
    if len(curves) < 2:
        raise ValueError(f"curves must hold at least two curves, got {len(curves)}")
    pairs = []
    for i, (x, y) in enumerate(curves):
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        if x.ndim != 1 or x.shape != y.shape or x.size == 0:
            raise ValueError(f"curve {i}: x and y must be 1-D of one length > 0, got {x.shape}, {y.shape}")
        if np.any(np.diff(x) <= 0) or not np.all(np.isfinite(x)):
            raise ValueError(f"curve {i}: x must be finite and increasing")
        if not np.all(y > 0) or not np.all(np.isfinite(y)):
            raise ValueError(f"curve {i}: y must be positive and finite")
        pairs.append((x, np.log(y)))
    lo, hi = max(x[0] for x, _ in pairs), min(x[-1] for x, _ in pairs)
    if lo > hi:
        return False  # no common range: they cannot hide one another
    grid = np.unique(np.concatenate([x[(x >= lo) & (x <= hi)] for x, _ in pairs] + [np.array([lo, hi])]))
    logs = np.array([np.interp(grid, x, logy) for x, logy in pairs])
    return bool(np.max(logs.max(axis=0) - logs.min(axis=0)) < np.log1p(rel))


@checked
def plot_gd_distances(ax: Axes, check: GDCheck) -> None:
    """``‖w_k − w₀‖`` for each step size against the theorem's radius, the flow's and the ball ``B``."""
    th = check.theorem
    rate = th.flow.rate
    for i, (eta, run) in enumerate(zip(check.etas, check.network, strict=True)):
        ax.semilogy(
            run.t * rate,
            positive_or_nan(run.distance),
            color=f"C{i}",
            lw=_nested_width(i),
            label=_eta_label(eta, th.step_limit),
        )
    # at α = α_min and ϑ = 1/2 the GD radius equals B: then the ball is drawn as a wide pale band
    # under the dashed radius, and the legend says that they coincide
    same = bool(np.isclose(th.radius, th.ball_radius, rtol=1e-6))
    ax.axhline(
        th.ball_radius,
        color="tab:red",
        ls="-.",
        lw=5 if same else 1.5,
        alpha=0.35 if same else 1.0,
        label=r"ball $B=\sigma_{\min}/(2\beta)$" + (" (same as GD radius)" if same else ""),
    )
    ax.axhline(
        th.radius,
        color="k",
        ls="--",
        label=rf"GD radius $=$ flow's$/(1-\vartheta)$, $\vartheta$ = {num(th.theta, 2)}",
    )
    ax.axhline(th.flow.radius, color="grey", ls="--", label="flow's radius")
    ax.set(xlabel=_CLOCK, ylabel=r"$\|\mathbf{w}_k-\mathbf{w}_0\|$", title="Distance at every step")
    ax.legend(loc="lower right")


@checked
def plot_euler_gap(ax: Axes, gap: EulerGap) -> None:
    """``max_j ‖w_{k_j} − w(t_j)‖`` relative to the displacement, against ``η`` (log–log), with its fit."""
    ax.loglog(gap.etas, gap.gap / gap.scale, "o", label="measured")
    grid = np.geomspace(gap.etas.min(), gap.etas.max(), 50)
    ax.loglog(
        grid,
        gap.prefactor * grid**gap.order / gap.scale,
        "-",
        alpha=0.7,
        label=f"fit: slope {num(gap.order, 3)}",
    )
    ax.loglog(grid, gap.gap[0] / gap.scale * grid / gap.etas[0], "k--", lw=1, label="slope 1 (Euler)")
    ax.set(
        xlabel=r"step size $\eta$",
        ylabel="gap to the flow / displacement",
        title="Gradient descent against the flow",
    )
    ax.set_xticks(gap.etas, labels=[num(e, 2) for e in gap.etas])
    ax.xaxis.set_minor_formatter(NullFormatter())  # the minor labels of a short log axis collide
    ax.legend(loc="upper left")


def _indices(scan: StepSizeScan, which: Sequence[int] | None) -> list[int]:
    n = len(scan.factors)
    return list(range(n)) if which is None else check_indices(which, n, "which")


@checked
def plot_scan_risks(ax: Axes, scan: StepSizeScan, which: Sequence[int] | None = None) -> None:
    """Risk against the step for the runs ``which`` (all by default): network solid, linearized
    model dotted (until it is stopped as diverged), the theorem's formula dashed; one colour per
    step size, as in :func:`plot_scan_sharpness` (whose legend names them)."""
    for c, i in enumerate(_indices(scan, which)):
        f = scan.factors[i]
        net_run, lin_run = scan.network.runs[i], scan.linearized.runs[i]
        eta = f * scan.eta_c
        colour = f"C{c}"
        ax.semilogy(np.rint(net_run.t / eta), net_run.risk, color=colour)
        ax.semilogy(np.rint(lin_run.t / eta), lin_run.risk, ":", color=colour, lw=2.2)
        ax.semilogy(scan.steps[i], scan.bound[i], "--", color=colour, lw=1)
    # colours are the step sizes, keyed in plot_scan_sharpness's legend; here the line styles
    ax.plot([], [], color="grey", label="network")
    ax.plot([], [], ":", color="grey", lw=2.2, label="linearized (cut when diverged)")
    ax.plot([], [], "--", color="grey", lw=1, label=r"formula $\hat R_0q(\eta)^{2k}$")
    ax.set(
        xlabel="step k",
        ylabel=r"risk $\hat R$",
        title="Around the edge $\\eta_c = 2/(\\alpha^2\\lambda_{\\max})$",
        ylim=(1e-24, 1e12),
    )
    ax.legend(loc="lower left")


@checked
def plot_scan_sharpness(ax: Axes, scan: StepSizeScan, which: Sequence[int] | None = None) -> None:
    """``ηα²λ_max(J_kJ_kᵀ)`` along the network runs ``which`` (all by default), with the edge 2."""
    for c, i in enumerate(_indices(scan, which)):
        ax.plot(
            scan.steps[i], scan.sharpness[i], color=f"C{c}", label=rf"$\eta = {scan.factors[i]:g}\,\eta_c$"
        )
    ax.axhline(2.0, color="k", ls="--", label="edge: 2")
    ax.set(
        xlabel="step k",
        ylabel=r"$\eta\,\alpha^2\lambda_{\max}(J_kJ_k^\top)$",
        title="Sharpness along the network's run",
    )
    ax.legend(loc="upper right")


# ---------------------------------------------------------------------------- the explorer
@lru_cache(maxsize=1)
def _scan() -> StepSizeScan:
    """The page's network (:func:`lazylib.discrete_time.page_problem`: centred tanh net, m = 400,
    n = 8) at ``α = α_min``, gradient descent at every factor of :data:`STEP_FACTORS` (400 steps, cached)."""
    net, X, y = page_problem()
    alpha = theorem_8_1(net, X, y, 1.0).alpha_min  # R0 = |y|^2/2 does not depend on alpha
    return step_size_scan(net, X, y, alpha, list(STEP_FACTORS), 400)


def _draw(fig: Figure, factor: float) -> None:
    scan = _scan()
    i = STEP_FACTORS.index(factor)
    ax1, ax2 = fig.subplots(1, 2)
    plot_scan_risks(ax1, scan, [i])
    plot_scan_sharpness(ax2, scan, [i])
    eta = factor * scan.eta_c
    covered = "the theorem applies" if scan.theorem.applies(eta) else "beyond the theorem"
    fig.suptitle(
        rf"$\eta = {factor:g}\,\eta_c$ ({covered}): "
        f"final risk {roundoff(scan.network.final_risk[i], 1e-15)}, "
        f"‖w − w₀‖ = {num(scan.network.distance[i], 2)}"
    )
    finish_figure(fig, legends="all", check=False)


def build_explorer() -> Explorer:
    """Gradient descent: step size ``η/η_c`` → risks (network and linearized) and sharpness."""
    return Explorer(
        _draw,
        {"factor": Control("η/η_c", STEP_FACTORS, default=1.05)},
        figsize=(7.0, 3.6),
        margins={"left": 0.11, "right": 0.98, "bottom": 0.14, "top": 0.84, "wspace": 0.45},
        caption="Gradient descent: step size against the edge η_c = 2/(α²λ_max)",
        name="discrete_time",
    )
