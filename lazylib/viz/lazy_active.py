"""Lazy vs active page (``notebooks/08_lazy_vs_active.ipynb``): Chizat & Bach's experiments.

Figures: :func:`plot_clocks` (a :class:`lazylib.lazy_active.Clocks`: slides' and paper's time),
:func:`plot_neuron_paths` and
:func:`plot_training_risks` (a :class:`lazylib.lazy_active.NeuronTrajectories`),
:func:`plot_scale_sweep` (a :class:`lazylib.lazy_active.ScaleSweep` against the
:class:`lazylib.lazy_active.LazyLimit` plateaus) and :func:`plot_centring` (two
:class:`lazylib.lazy_active.CentringSweep`). The explorer's frame is :func:`plot_neuron_paths` and
:func:`plot_training_risks` for one initial scale ν.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .._checks import as_array
from .._types import Array
from ..data import TeacherStudent, teacher_student
from ..formatting import num, pct
from ..lazy_active import (
    CentringSweep,
    Clocks,
    LazyLimit,
    NeuronTrajectories,
    ScaleSweep,
    neuron_trajectories,
)
from ._checks import check_index, checked
from .explorer import Control, Explorer
from .style import finish_figure, loglog_with_fit

__all__ = [
    "LAZY_NUS",
    "build_explorer",
    "plot_centring",
    "plot_clocks",
    "plot_neuron_paths",
    "plot_scale_sweep",
    "plot_training_risks",
]

LAZY_NUS = (0.05, 0.1, 0.2, 0.5, 1.0, 2.0)


@checked
def plot_clocks(ax_slides: Axes, ax_paper: Axes, clocks: Clocks) -> None:
    """The risk of each α in the slides' time t (log axis) and in the paper's time τ = α²t
    (:func:`lazylib.lazy_active.compare_clocks`). In the paper's clock the curves line up: each is
    drawn about half as wide as the one before, so they show as nested bands."""
    n = len(clocks.slides)
    for k, (alpha, slides) in enumerate(clocks.slides.items()):
        ax_slides.semilogy(slides.t[1:], slides.risk[1:], label=f"α = {alpha:g}")
        ax_paper.semilogy(
            clocks.tau, clocks.paper[alpha].risk, lw=1.8 * 1.7 ** (n - 1 - k), label=f"α = {alpha:g}"
        )
    ax_slides.set_xscale("log")
    ax_paper.semilogy(clocks.tau, clocks.linearized.risk, "k--", label="linearized (any α)")
    ax_slides.set(
        xlabel="slides' time t (log scale)",
        ylabel="risk ½‖y − αf(w(t))‖²",
        title="slides' clock: R(αf), curves shifted by α²",
    )
    ax_paper.set(xlabel="paper's time τ = α²t", title="paper's clock: R(αf)/α², curves line up")
    ax_slides.legend()
    ax_paper.legend()


@checked
def plot_neuron_paths(ax: Axes, traj: NeuronTrajectories, k: int, teacher: Array) -> None:
    """Paths of the neuron positions ``|b_j| a_j`` of run ``k`` (colour: sign of ``b_j``), with the
    teacher's directions and the unit circle."""
    k = check_index(k, len(traj.nus), "k")
    teacher = as_array(teacher, "teacher", ndim=2)
    if teacher.shape[1] != 2:
        raise ValueError(f"teacher must hold 2-D directions, one per row, got shape {teacher.shape}")
    P = traj.positions[:, k]
    reach = 1.15 * max(1.0, float(np.abs(P).max()))
    circle = np.linspace(0, 2 * np.pi, 200)
    ax.plot(np.cos(circle), np.sin(circle), ":", color="gray", lw=1, label="unit circle")
    for i, th in enumerate(teacher):
        ax.plot(
            [0, reach * th[0]],
            [0, reach * th[1]],
            "k--",
            lw=1,
            label="teacher directions" if i == 0 else None,
        )
    for j in range(P.shape[1]):
        colour = "tab:red" if traj.signs[k, j] > 0 else "tab:blue"
        ax.plot(P[:, j, 0], P[:, j, 1], color=colour, lw=1.2)
        ax.plot(*P[-1, j], "o", color=colour, ms=4)
        ax.plot(*P[0, j], "x", color=colour, ms=4)
    ax.plot([], [], color="tab:red", label=r"$b_j > 0$ (x: start, o: end)")
    ax.plot([], [], color="tab:blue", label=r"$b_j < 0$")
    ax.set(
        xlim=(-reach, reach),
        ylim=(-reach, reach),
        aspect="equal",
        xlabel=r"first coordinate of $|b_j|\,\mathbf{a}_j$",
        ylabel=r"second coordinate of $|b_j|\,\mathbf{a}_j$",
        title=f"ν = {traj.nus[k]:g}: relative movement {num(traj.movement[k], 2)}",
    )
    ax.legend(loc="lower left")


@checked
def plot_training_risks(ax: Axes, traj: NeuronTrajectories, k: int) -> None:
    """The training risk of every run against the step, run ``k`` highlighted."""
    k = check_index(k, len(traj.nus), "k")
    for i in range(len(traj.nus)):
        ax.semilogy(traj.steps, traj.risk[:, i], color="C1" if i == k else "0.75", lw=2 if i == k else 1)
    ax.plot([], [], color="C1", label=f"ν = {traj.nus[k]:g}")
    ax.plot([], [], color="0.75", label="other ν")
    ax.set(xlabel="gradient-descent step", ylabel="training risk ½‖h(X) − y‖²", title="training risk")
    ax.legend()


@checked
def plot_scale_sweep(
    ax_loss: Axes, ax_move: Axes, sweep: ScaleSweep, early: LazyLimit, converged: LazyLimit
) -> None:
    """Test loss (median, min–max band) and relative movement against ν, beside the kernel limits."""
    nus = sweep.nus
    ax_loss.loglog(nus, np.median(sweep.test_loss, axis=1), "o-", label="test loss after training (median)")
    ax_loss.fill_between(
        nus,
        sweep.test_loss.min(axis=1),
        sweep.test_loss.max(axis=1),
        alpha=0.25,
        label=f"min-max over {len(sweep.seeds)} seeds",
    )
    ax_loss.axhline(
        np.median(early.test_loss),
        color="k",
        ls="--",
        label=f"ν → ∞, same {early.n_steps} steps: early-stopped kernel GD",
    )
    ax_loss.axhline(
        np.median(converged.test_loss), color="k", ls="-.", label="converged kernel regression (interpolant)"
    )
    ax_loss.axhline(sweep.null_loss, color="gray", ls=":", label="zero predictor")
    ax_loss.set(
        xlabel="initial scale ν (α = ν²)",
        ylabel="test loss ½·mean (h − y)²",
        title="generalisation worsens as training turns lazy",
    )
    ax_loss.legend()
    mov = np.median(sweep.movement, axis=1)
    ax_move.loglog(nus, mov, "o-", label="‖w(T) − w₀‖ / ‖w₀‖ (median)")
    big = nus >= 1
    ax_move.loglog(nus[big], mov[big][0] * (nus[big] / nus[big][0]) ** -2.0, "k--", label="slope −2 (∝ 1/α)")
    ax_move.set(
        xlabel="initial scale ν", ylabel="relative weight movement", title="how far the weights travel"
    )
    ax_move.legend()


@checked
def plot_centring(ax: Axes, symmetric: CentringSweep, subtract: CentringSweep) -> dict[str, float]:
    """Movement, prediction gap and path gap against α for both centrings, log–log with fitted slopes.

    Returns the slopes shown in the legend (:func:`lazylib.fitting.fit_power_law` of each series).
    """
    alphas = symmetric.alphas
    series = {
        "movement, symmetric": (symmetric.movement, "‖w(∞) − w₀‖, symmetric", "o", "tab:blue"),
        "movement, subtract": (subtract.movement, "‖w(∞) − w₀‖, subtract", "x", "tab:cyan"),
        "gap, symmetric": (symmetric.gap, r"$\sup_t$ gap, symmetric", "^", "tab:red"),
        "gap, subtract": (subtract.gap, r"$\sup_t$ gap, subtract", "v", "tab:orange"),
        "path gap, symmetric": (symmetric.path_gap, r"$\sup_t$ ‖w − u‖, symmetric", "s", "tab:purple"),
        "path gap, subtract": (subtract.path_gap, r"$\sup_t$ ‖w − u‖, subtract", "D", "tab:pink"),
    }
    slopes = {}
    for key, args in series.items():
        slopes[key] = loglog_with_fit(ax, alphas, *args)
        points = ax.lines[-2]  # loglog_with_fit draws the points, then the fitted line
        if key.endswith("symmetric"):
            # the two centrings often give nearly the same value: the symmetric markers are drawn
            # hollow and larger, so the subtract markers show inside them
            points.set(markerfacecolor="none", markersize=9, markeredgewidth=1.4)
        else:
            points.set(zorder=3, markersize=5)
            # within 10 % of the symmetric centring's value at every α (the movement and the path gap:
            # both nets lazy, with close tangent kernels), the markers overlap, and the label says so
            twin = series[key.replace("subtract", "symmetric")][0]
            if np.allclose(args[0], twin, rtol=0.1, atol=0):
                points.set_label(f"{points.get_label()} (overlaps)")
    ref = alphas[0] / alphas
    ax.loglog(alphas, 0.4 * subtract.gap[0] * ref, "k--", lw=1, label="Thm 2.4 rate ∝ 1/α (shifted down)")
    ax.loglog(alphas, 0.4 * symmetric.gap[0] * ref**2, "k:", lw=1, label="∝ 1/α² (shifted down)")
    ax.set(
        xlabel="scale α",
        ylabel="distance / prediction gap",
        title="centring: movement ∝ 1/α; the gap's rate depends on the centring",
    )
    ax.legend()
    return slopes


# ---------------------------------------------------------------------------- the explorer
#: The page's Fig. 1a-b run (``notebooks/08_lazy_vs_active.ipynb``): teacher seed, initialization
#: seed and step-size constant. The explorer trains the same network, so at ν = 0.1 and ν = 2 its
#: frames are the page's figure and report the page's numbers.
FIG1_TEACHER_SEED, FIG1_INIT_SEED, FIG1_STEP_C = 20, 1, 0.9


@lru_cache(maxsize=2)
def _runs() -> tuple[TeacherStudent, NeuronTrajectories]:
    """Chizat & Bach's Fig. 1a-b setting: ReLU, both layers trained, d = 2, n = 15, m = 20,
    a 3-neuron teacher; one gradient-descent run per ν in :data:`LAZY_NUS` (batched, cached), on
    the page's task and draw (the same ν gives the same run in any batch: one unit-scale draw)."""
    task = teacher_student(15, 2, 3, rng=FIG1_TEACHER_SEED, n_test=500)
    return task, neuron_trajectories(
        task, list(LAZY_NUS), m=20, seed=FIG1_INIT_SEED, n_steps=10_000, record_every=100, c=FIG1_STEP_C
    )


def _draw(fig: Figure, nu: float) -> None:
    task, runs = _runs()
    k = LAZY_NUS.index(nu)
    ax1, ax2 = fig.subplots(1, 2)
    plot_neuron_paths(ax1, runs, k, task.teacher)
    plot_training_risks(ax2, runs, k)
    fig.suptitle(
        f"ν = {nu:g}: relative movement ‖w − w₀‖/‖w₀‖ = {num(runs.movement[k], 2)},\n"
        f"output mass within 10° of the teacher = {pct(runs.alignment[k], 2)}, "
        f"test loss = {num(runs.test_loss[k], 2)}"
    )
    finish_figure(fig, legends="all", check=False)


def build_explorer() -> Explorer:
    """Lazy vs active: initial scale ν → the neuron paths ``|b_j|a_j`` (Chizat & Bach Fig. 1a-b)."""
    return Explorer(
        _draw,
        {"nu": Control("init scale ν", LAZY_NUS, default=0.1)},
        figsize=(7.0, 5.0),
        margins={"left": 0.1, "right": 0.98, "bottom": 0.1, "top": 0.83, "wspace": 0.32},
        caption="Lazy vs active: for small ν the neurons travel to the teacher; for large ν they barely move",
        name="lazy_active",
    )
