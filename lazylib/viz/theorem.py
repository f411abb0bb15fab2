"""Theorem 8.1 page (``notebooks/03_theorem_8_1.ipynb``): risk and distance against the bounds.

Figures, each drawing results of :func:`lazylib.case_study.check_theorem_8_1`:

* :func:`plot_check_risks`, :func:`plot_check_distances`: both flows of one
  :class:`~lazylib.case_study.TheoremCheck` against the theorem's risk bound and radius (the page's
  figure at α = α_min, and the explorer's frame for one (α, m, centring));
* :func:`plot_scan_risks`, :func:`plot_scan_distances`: a scan of α below the threshold.

The time axis is the theorem's clock ``t α²σ_min²/2`` (``check.t · rate``).
"""

from __future__ import annotations

import itertools
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
    "LEVELS_COINCIDE",
    "SCAN_COINCIDE_DECADES",
    "SCAN_RISK_FLOOR",
    "THEOREM_ALPHAS",
    "THEOREM_WIDTHS",
    "build_explorer",
    "coinciding_runs",
    "plot_check_distances",
    "plot_check_risks",
    "plot_scan_distances",
    "plot_scan_risks",
    "scan_gap_decades",
]

#: Scales α of the page's explorer (its player holds every one).
THEOREM_ALPHAS = (0.1, 1.0, 10.0, 100.0, 1000.0, 10000.0)
#: Widths m of the page's explorer (its player holds every one).
THEOREM_WIDTHS = (20, 80, 320)

_CLOCK = r"$t\,\alpha^2\sigma_{\min}^2/2$"


def _risk_curves(check: TheoremCheck) -> tuple[np.ndarray, list[np.ndarray]]:
    """The clock and the curves of :func:`plot_check_risks`, in its order (network, linearized,
    Theorem 8.1's bound, the sharp rate of ``u``)."""
    th = check.theorem
    sharp = lemma_8_1_bound(th.risk0, th.linear_rate / 2, check.t)
    return check.t * th.rate, [check.nonlinear.risk, check.linearized.risk, check.risk_bound, sharp]


def _distance_curves(check: TheoremCheck) -> tuple[np.ndarray, list[np.ndarray], list[float]]:
    """The clock, the distances and the levels of :func:`plot_check_distances`, in its order (network,
    linearized; the theorem's radius, the sharp radius of ``u``, the ball ``B``)."""
    th = check.theorem
    distances = [positive_or_nan(check.nonlinear.distance), positive_or_nan(check.linearized.distance)]
    return check.t * th.rate, distances, [th.radius, th.linear_radius, th.ball_radius]


def _at_min(check: TheoremCheck) -> bool:
    """Whether the check runs at ``α = α_min`` (the radius is then ``B/2``, which the legend says)."""
    return bool(abs(check.theorem.alpha / check.theorem.alpha_min - 1) < 1e-9)


def _distance_ylim(ax: Axes, distances: Sequence[np.ndarray], levels: Sequence[float]) -> None:
    """Set the distance panel's log y range from its curves and levels, as autoscaling would: the
    decades spanned, plus ``axes.ymargin`` of them on each side.

    Computed rather than autoscaled because matplotlib takes a level drawn with ``axhline`` (x in axes
    coordinates) into the data limits through a round trip in display space, whose last bits depend
    on the view before: a frame updated in place (:func:`_update`) and the same frame drawn afresh
    could then differ by a pixel row.
    """
    values = np.concatenate([np.ravel(d) for d in distances] + [np.asarray(levels, dtype=float)])
    values = values[np.isfinite(values) & (values > 0)]
    lo, hi = np.log10(values.min()), np.log10(values.max())
    pad = ax.get_ymargin() * ((hi - lo) or 1.0)
    ax.set_ylim(10.0 ** (lo - pad), 10.0 ** (hi + pad))


#: Levels of :func:`plot_check_distances` closer than this (relative) are said to coincide in its title:
#: a line width on its log axis, where one would hide the other (page 03's explorer at α = 10, m = 20).
LEVELS_COINCIDE = 0.05


def _distance_title(check: TheoremCheck) -> str:
    """``Distances, α = … α_min``; or, when levels δ⋆, δ⋆/6, B coincide (drawn as one), ``α = … α_min: δ⋆/6,
    B coincide``."""
    th = check.theorem
    where = (
        r"$\alpha=\alpha_{\min}$"
        if _at_min(check)
        else rf"$\alpha = {th.alpha / th.alpha_min:.3g}\,\alpha_{{\min}}$"
    )
    levels = {r"$\delta^{\star}$": th.radius, r"$\delta^{\star}/6$": th.linear_radius, "$B$": th.ball_radius}
    same = [
        f"{a}, {b} coincide"
        for (a, x), (b, y) in itertools.combinations(levels.items(), 2)
        if abs(np.log(x / y)) < np.log1p(LEVELS_COINCIDE)
    ]
    return f"{where}: " + "; ".join(same) if same else f"Distances, {where}"  # (the column's width)


@checked
def plot_check_risks(ax: Axes, check: TheoremCheck) -> None:
    """Both risks against Theorem 8.1's bound ``R₀e^{−tα²σ²_min/2}`` and the linearized flow's sharp
    rate ``R₀e^{−2tα²σ²_min}`` (Lemma 8.1 with λ = α²σ²_min)."""
    clock, (network, linearized, bound, sharp) = _risk_curves(check)
    ax.semilogy(clock, network, label=r"network $\hat R(\alpha f(\mathbf{w}(t)))$")
    ax.semilogy(clock, linearized, ":", lw=3, label=r"linearized $\hat R(\alpha f_0(\mathbf{u}(t)))$")
    ax.semilogy(clock, bound, "k--", label=r"Theorem 8.1: $\hat R_0 e^{-t\alpha^2\sigma_{\min}^2/2}$")
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
    """Both distances from ``w₀`` against the theorem's radius δ⋆, the sharp radius of ``u`` (δ⋆/6)
    and the ball ``B = σ_min/(2β)`` of Lemma 8.3."""
    clock, (network, linearized), (radius, linear_radius, ball) = _distance_curves(check)
    ax.semilogy(clock, network, label=r"network $\|\mathbf{w}(t)-\mathbf{w}_0\|$")
    ax.semilogy(clock, linearized, ":", lw=3, label=r"linearized $\|\mathbf{u}(t)-\mathbf{w}_0\|$")
    at_min = r"Theorem 8.1 radius $\delta^{\star} = B/2$ here"
    label = at_min if _at_min(check) else r"Theorem 8.1 radius $\delta^{\star}$"
    ax.axhline(radius, color="k", ls="--", label=label)
    ax.axhline(linear_radius, color="grey", ls="--", label=r"sharp for $\mathbf{u}$: $\delta^{\star}/6$")
    ax.axhline(ball, color="tab:red", ls="-.", label=r"ball $B=\sigma_{\min}/(2\beta)$")
    _distance_ylim(ax, (network, linearized), (radius, linear_radius, ball))
    ax.set(xlabel=_CLOCK, ylabel=r"distance from $\mathbf{w}_0$", title=_distance_title(check))
    ax.legend()


#: Risk curves of the scan closer than this (decades, on the plotted range down to
#: :data:`SCAN_RISK_FLOOR`) are drawn as one: about a line width on the figure's 12-decade axis.
SCAN_COINCIDE_DECADES = 0.05
#: The bottom of the scan's risk axis (below it the curves are not drawn, so not compared).
SCAN_RISK_FLOOR = 1e-12


def coinciding_runs(scan: Sequence[TheoremCheck], decades: float = SCAN_COINCIDE_DECADES) -> list[list[int]]:
    """Groups of consecutive runs of a scan whose normalized risk curves ``R/R₀`` coincide on the figure.

    A run joins the group of the run before it when its curve stays within ``decades`` (in
    ``log10``) of the group's first curve at every time, both clipped at :data:`SCAN_RISK_FLOOR`
    (the axis' bottom). The runs must share one time grid in the theorem's clock.
    """
    if not np.isfinite(decades) or decades < 0:
        raise ValueError(f"decades must be a non-negative finite number, got {decades!r}")
    if len(scan) == 0:
        raise ValueError("scan must hold at least one run")
    logs = [_log_risk(c) for c in scan]
    if any(v.shape != logs[0].shape for v in logs):
        raise ValueError("the runs of scan must share one time grid")
    groups: list[list[int]] = [[0]]
    for k in range(1, len(scan)):
        if np.max(np.abs(logs[k] - logs[groups[-1][0]])) <= decades:
            groups[-1].append(k)
        else:
            groups.append([k])
    return groups


def scan_gap_decades(scan: Sequence[TheoremCheck], group: Sequence[int]) -> float:
    """The largest distance (decades, clipped at :data:`SCAN_RISK_FLOOR`) between the risk curves of
    the runs ``group`` of a scan and that of its first run: how far apart curves drawn as one are."""
    if len(group) == 0:
        raise ValueError("group must hold at least one run")
    logs = [_log_risk(scan[k]) for k in group]
    return float(max(np.max(np.abs(v - logs[0])) for v in logs))


def _times_alpha_min(factor: float) -> str:
    """``factor · α_min`` in TeX, the factor as a power of ten (``3\\times10^{-5}\\alpha_{\\min}``)."""
    exponent = int(np.floor(np.log10(factor) + 1e-9))
    mantissa = factor / 10.0**exponent
    digits = f"{mantissa:.2g}"
    power = "" if exponent == 0 else f"10^{{{exponent}}}"
    if digits == "1":
        return (power or "") + r"\alpha_{\min}"
    return digits + (rf"\times{power}" if power else "") + r"\alpha_{\min}"


def _log_risk(check: TheoremCheck) -> np.ndarray:
    """``log10(R/R₀)`` of the network's run, clipped at :data:`SCAN_RISK_FLOOR` (the axis' bottom)."""
    return np.log10(np.maximum(check.nonlinear.risk / check.theorem.risk0, SCAN_RISK_FLOOR))


@checked
def plot_scan_risks(ax: Axes, factors: ArrayLike, scan: Sequence[TheoremCheck]) -> None:
    """The network's risk ``R/R₀`` at each ``α = factor · α_min`` against the bound ``e^{−tα²σ²_min/2}``.

    Runs whose curves coincide on the figure (:func:`coinciding_runs`) are drawn as one curve whose
    label names them all and says that they coincide; the others each get their own dash pattern.
    """
    factors = np.asarray(factors, dtype=float)
    if len(factors) != len(scan):
        raise ValueError(f"factors and scan must have the same length, got {len(factors)} and {len(scan)}")
    styles = ("-", "--", "-.", ":", (0, (6, 2, 1, 2)))
    for k, group in enumerate(coinciding_runs(scan)):
        c = scan[group[0]]
        names = ", ".join(_times_alpha_min(factors[j]) for j in group)
        label = rf"$\alpha = {names}$" + (" (coincide)" if len(group) > 1 else "")
        ax.semilogy(
            c.t * c.theorem.rate,
            c.nonlinear.risk / c.theorem.risk0,
            ls=styles[k % len(styles)],
            lw=3.0 if len(group) > 1 else None,
            label=label,
        )
    clock = scan[0].t * scan[0].theorem.rate
    ax.semilogy(
        clock, lemma_8_1_bound(1.0, 0.5, clock), "k--", label=r"bound $e^{-t\alpha^2\sigma_{\min}^2/2}$"
    )
    ax.set(
        xlabel=_CLOCK,
        ylabel=r"$\hat R(\alpha f(\mathbf{w}(t)))/\hat R_0$",
        title="Network risk below the threshold",
        ylim=(SCAN_RISK_FLOOR, 2),
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
    ax.loglog(factors, radii / ball, "k--", label=r"Theorem 8.1 radius $\delta^{\star}/B$")
    ax.axhline(1.0, color="tab:red", ls="-.", label=r"ball $B$")
    ax.axvline(1.0, color="grey", ls=":", label=r"$\alpha_{\min}$")
    ax.set(xlabel=r"$\alpha/\alpha_{\min}$", ylabel=r"distance $/\,B$", title="How far the weights move")
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


def _suptitle(check: TheoremCheck, m: int, centred: bool) -> tuple[str, str]:
    """The frame's title and its colour: green when the theorem applies, red when it is not guaranteed."""
    th = check.theorem
    verdict = (
        r"applies ($\alpha \geq \alpha_{\min}$)"
        if th.applies
        else r"not guaranteed ($\alpha < \alpha_{\min}$)"
    )
    title = (
        f"$m = {m}$, {'centred' if centred else 'not centred'}, $\\alpha = {th.alpha:g}$, "
        f"$\\alpha_{{\\min}} = {th.alpha_min:.3g}$:\nTheorem 8.1 {verdict}"
    )
    return title, "C2" if th.applies else "C3"


def _draw(fig: Figure, alpha: float, m: int, centred: bool) -> None:
    check = _check(alpha, m, centred)
    ax1, ax2 = fig.subplots(1, 2)
    plot_check_risks(ax1, check)
    plot_check_distances(ax2, check)
    title, color = _suptitle(check, m, centred)
    fig.suptitle(title, color=color)
    finish_figure(fig, legends="all", check=False)


def _update(fig: Figure, alpha: float, m: int, centred: bool) -> bool:
    """The frame of :func:`_draw` at (α, m, centring), made from ``fig`` holding another of its frames:
    the curves' data, the levels, the titles and the axes' limits change; the axes, their ticks and the
    legends, laid out under the axes once, stay (the legends' entries are the same in every frame
    unless the run is at ``α = α_min``, which redraws). False if ``fig`` is not such a frame."""
    check = _check(alpha, m, centred)
    axes = fig.axes
    if len(axes) != 2 or not fig.get_suptitle() or _at_min(check):
        return False
    risks, distances = axes[0].get_lines(), axes[1].get_lines()
    if len(risks) != 4 or len(distances) != 5 or str(distances[2].get_label()).endswith("here"):
        return False  # not a frame of _draw, or one at α = α_min (its radius' label differs)
    clock, curves = _risk_curves(check)
    for line, curve in zip(risks, curves, strict=True):
        line.set_data(clock, curve)
    clock, moved, levels = _distance_curves(check)
    for line, curve in zip(distances[:2], moved, strict=True):
        line.set_data(clock, curve)
    for line, level in zip(distances[2:], levels, strict=True):
        line.set_ydata([level, level])
    axes[1].set_title(_distance_title(check))
    for ax in axes:
        ax.relim()
        ax.autoscale_view()
    _distance_ylim(axes[1], moved, levels)  # (the y range of the levels' panel: computed, not autoscaled)
    title, color = _suptitle(check, m, centred)
    fig.suptitle(title, color=color)  # (the same Text, in the same place)
    return True


def build_explorer() -> Explorer:
    """Theorem 8.1: (α, m, centring) → risk vs bound, distance vs radius, α vs α_min.

    The centring is a yes/no control (a checkbox); the offline player holds every α of
    :data:`THEOREM_ALPHAS` at every width of :data:`THEOREM_WIDTHS`, centred or not (36 frames).
    """
    return Explorer(
        _draw,
        {
            "alpha": Control("α", THEOREM_ALPHAS, default=100.0, fmt="{:g}"),
            "m": Control("width m", THEOREM_WIDTHS, default=320),
            "centred": Control("centred (doubling trick)", (True, False), default=True),
        },
        figsize=(7.0, 5.0),
        margins={"left": 0.1, "right": 0.98, "bottom": 0.1, "top": 0.83, "wspace": 0.32},
        caption="Theorem 8.1: risk and distance against the bounds; is α above its threshold αₘᵢₙ?",
        name="theorem",
        # frames updated in place (~40 % faster: the page's 36 frames within its 10 s budget) and of 64
        # colours (a tenth lighter than 128, no visible change: the page under 1.5 MB for a phone)
        update=_update,
        colors=64,
    )
