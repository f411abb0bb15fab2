"""Width-as-scale page (``notebooks/09_width_as_scale.ipynb``): NTK against mean-field training, and
the width theorem with probability.

Figures:

* :func:`plot_laziness`: one laziness measure (relative weight movement, kernel change or prediction
  gap) against the width for both parametrisations of a :class:`~lazylib.width_scale.WidthScaleSweep`,
  with ``∝ m^{−1/2}`` dashed;
* :func:`plot_run_risks`: the risk of one :class:`~lazylib.width_scale.ScaleRun` and of its
  linearization (dashed);
* :func:`plot_neuron_movement`: each neuron's displacement, sorted, under the per-neuron bound (dashed);
* :func:`plot_condition_fraction`: the fraction of random networks meeting Theorem 8.1's condition
  against the width, with the proven width ``m*`` dashed;
* :func:`plot_width_theorem`: the proven ``m*(n, δ)``, the expectation heuristic and the measured width
  against n.

The explorer's frame is :func:`plot_run_risks` and :func:`plot_neuron_movement` for one network
(:func:`lazylib.width_scale.width_scale_run`) at the chosen width and parametrisation.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter
from numpy.typing import ArrayLike

from ..case_study import expected_ntk
from ..data import sphere
from ..models import ShallowNet
from ..width_scale import ScaleRun, WidthConditionSamples, WidthScaleSweep, WidthTheorem, width_scale_run
from ._checks import checked
from .explorer import Control, Explorer
from .style import finish_figure

__all__ = [
    "SCALE_WIDTHS",
    "build_explorer",
    "plot_condition_fraction",
    "plot_laziness",
    "plot_neuron_movement",
    "plot_run_risks",
    "plot_width_theorem",
]

#: Widths of the page's sweep and of the explorer (two decades).
SCALE_WIDTHS = (16, 50, 160, 500, 1600)

_LABELS = {"ntk": r"NTK, $f_m = \sqrt{m}\,h_m$", "mean_field": r"mean field, $h_m$ (learning rate $m$)"}
_MEASURES = {
    "movement": (r"$\|\mathbf{w}(T) - \mathbf{w}_0\| / \|\mathbf{w}_0\|$", "relative weight movement"),
    "kernel_change": (r"$\|K_T - K_0\| / \|K_0\|$", "relative kernel change"),
    "gap": (r"max over t of |network - linearized| / $\|\mathbf{y}\|$", "network vs linearized"),
}


@checked
def plot_laziness(ax: Axes, sweep: WidthScaleSweep, measure: str) -> None:
    """``measure`` (``"movement"``, ``"kernel_change"`` or ``"gap"``) against the width: mean over the
    networks (markers) and their range (bars) for both parametrisations, and ``∝ m^{−1/2}`` dashed
    through the first NTK point."""
    if measure not in _MEASURES:
        raise ValueError(f"measure must be one of {tuple(_MEASURES)}, got {measure!r}")
    widths = sweep.widths.astype(float)
    for p, marker in (("ntk", "o"), ("mean_field", "s")):
        values = getattr(sweep.get(p), measure)
        mean = values.mean(axis=0)
        ax.errorbar(
            widths,
            mean,
            yerr=[mean - values.min(axis=0), values.max(axis=0) - mean],
            fmt=marker + "-",
            capsize=3,
            label=_LABELS[p],
        )
    first = getattr(sweep.ntk, measure).mean(axis=0)[0]
    ax.loglog(widths, first * np.sqrt(widths[0] / widths), "k--", lw=1, label=r"$\propto m^{-1/2}$")
    ylabel, title = _MEASURES[measure]
    ax.set(xscale="log", yscale="log", xlabel="width m", ylabel=ylabel, title=title)
    ax.legend()


@checked
def plot_run_risks(ax: Axes, run: ScaleRun) -> None:
    """The network's risk and its linearization's (dashed) along ``t ∈ [0, T]``."""
    ax.semilogy(run.t, run.risk, "-", label="network")
    ax.semilogy(run.t, run.risk_linearized, "--", color="k", lw=1, label="linearized model")
    ax.set(
        xlabel="t (NTK clock; mean field runs at m t)",
        ylabel="risk",
        title=f"training risk, {run.parametrisation.replace('_', ' ')}",
    )
    ax.legend()


@checked
def plot_neuron_movement(ax: Axes, run: ScaleRun) -> None:
    """Each neuron's displacement ``‖w_j(T) − w_j(0)‖`` (sorted, largest first), the typical initial
    row norm ``√d`` dotted, and the per-neuron bound ``c ‖X‖ ∫‖r‖dt`` dashed."""
    moved = np.sort(run.neuron_movement)[::-1]
    rank = np.arange(1, moved.size + 1)
    ax.semilogy(rank, moved, "-", label=r"$\|\mathbf{w}_j(T) - \mathbf{w}_j(0)\|$")
    ax.axhline(run.neuron_bound, color="k", ls="--", lw=1, label="per-neuron speed bound")
    ax.axhline(float(np.median(run.neuron_norm)), color="grey", ls=":", label=r"median $\|\mathbf{w}_j(0)\|$")
    ax.set(xlabel="neuron (sorted by displacement)", ylabel="displacement", title="how far each neuron moved")
    ax.legend()


@checked
def plot_condition_fraction(ax: Axes, samples: WidthConditionSamples, theorem: WidthTheorem) -> None:
    """Fraction of the networks with ``α_min ≤ 1`` against the width, the level ``1 − δ`` (dash-dot), the
    proven width ``m*`` (dashed) and the expectation heuristic ``m₂(0)`` (dotted)."""
    ax.semilogx(
        samples.widths, samples.fraction(), "o-", label=f"measured, {samples.ratio.shape[0]} networks"
    )
    ax.axhline(
        1 - theorem.fail_prob,
        color="tab:red",
        ls="-.",
        lw=1,
        label=rf"$1 - \varpi = {1 - theorem.fail_prob:g}$",
    )
    ax.axvline(theorem.m_star, color="k", ls="--", lw=1, label=rf"proven $\bar m = {theorem.m_star}$")
    ax.axvline(theorem.m_expected, color="grey", ls=":", label="expectation heuristic")
    ax.set(
        xlabel="width m",
        ylabel=r"fraction with $\alpha_{\min} \leq 1$",
        ylim=(-0.03, 1.03),
        title=f"Theorem 8.1's condition, n = {theorem.n}",
    )
    # under a decade of widths: labelled ticks at 1, 2, 4 x 10^k only (the default minor labels collide)
    ax.xaxis.set_major_locator(LogLocator(base=10.0, subs=(1.0, 2.0, 4.0)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.legend()


@checked
def plot_width_theorem(
    ax: Axes,
    n_values: ArrayLike,
    proven: ArrayLike,
    expected: ArrayLike,
    measured: ArrayLike,
    fail_prob: float,
) -> None:
    """Against n: the proven ``m*(n, δ)`` (dashed), the expectation heuristic ``m₂(0)`` (dotted) and the
    measured width at which ``1 − δ`` of the networks meet the condition (markers)."""
    n_values = np.asarray(n_values)
    ax.loglog(n_values, proven, "k--", marker="v", label=rf"proven $\bar m(n, \varpi = {fail_prob:g})$")
    ax.loglog(
        n_values, expected, ":", color="grey", marker=".", label=r"heuristic ($J_0J_0^\top = mK_\infty$)"
    )
    ax.loglog(n_values, measured, "o", color="C0", label=r"measured: $1 - \varpi$ of the networks")
    ax.set_xticks(n_values, [str(v) for v in n_values])
    ax.minorticks_off()
    ax.set(
        xlabel="number of points n (d = 20)", ylabel="width m", title="the width theorem against measurement"
    )
    ax.legend()


# ---------------------------------------------------------------------------- the explorer
@lru_cache(maxsize=1)
def _task() -> tuple[np.ndarray, np.ndarray, float]:
    """The page's task: 6 points on the sphere of R⁵, ``y = sin(3x₁) + x₂``, horizon ``T = ½/λ_min(K_∞)``."""
    X = sphere(6, 5, rng=0)
    y = np.sin(3 * X[:, 0]) + X[:, 1]
    return X, y, 0.5 / float(np.linalg.eigvalsh(expected_ntk(X, "tanh"))[0])


@lru_cache(maxsize=16)
def _run(m: int, parametrisation: str) -> ScaleRun:
    X, y, horizon = _task()
    return width_scale_run(ShallowNet.random(m, 5, "tanh", rng=0), X, y, parametrisation, horizon, n_times=40)


def _draw(fig: Figure, m: int, parametrisation: str) -> None:
    run = _run(m, parametrisation)
    ax1, ax2 = fig.subplots(1, 2)
    plot_run_risks(ax1, run)
    plot_neuron_movement(ax2, run)
    fig.suptitle(
        f"m = {m}, {parametrisation.replace('_', ' ')}: weights moved {run.movement:.2g} (relative),\n"
        f"kernel changed {run.kernel_change:.2g}, max gap {run.gap.max():.2g}"
    )
    finish_figure(fig, legends="all", check=False)


def build_explorer() -> Explorer:
    """Width as scale: (m, parametrisation) → risks and per-neuron movement of one tanh network; the
    offline player holds every width of :data:`SCALE_WIDTHS` under both parametrisations."""
    return Explorer(
        _draw,
        {
            "m": Control("width m", SCALE_WIDTHS, default=160, fmt="{:g}"),
            "parametrisation": Control("parametrisation", ("ntk", "mean_field"), default="ntk"),
        },
        figsize=(7.0, 5.0),
        margins={"left": 0.1, "right": 0.98, "bottom": 0.1, "top": 0.83, "wspace": 0.32},
        caption="Width as scale: one network trained under the NTK or the mean-field parametrisation",
        name="width_scale",
    )
