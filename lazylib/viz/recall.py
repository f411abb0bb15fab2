"""Recall page (``notebooks/01_recall.ipynb``): the linearization error against ρ and m.

Figures, each drawing results of :mod:`lazylib.recall`:

* :func:`plot_error_law`: the worst-case (or random) errors of an
  :class:`~lazylib.recall.ErrorLawTable` against ρ (one series per width) and against m (one series
  per size), with a bound or law dashed;
* :func:`plot_worst_vs_random`: worst case against random directions for several activations;
* :func:`plot_universal_approximation`: the converged linearized model against the width.

The explorer's frame is :func:`plot_error_law` for one activation (a sweep of
:func:`lazylib.recall.error_law_sweep`, law: the smooth bound ``β₀‖x‖²ρ²/(2√m)`` or the ReLU
flip-counting law :func:`lazylib.recall.relu_worst_case_law`), with the chosen (m, ρ) marked.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

from .. import recall
from .._checks import check_choice
from .._types import Array
from ..fitting import fit_power_law
from ._checks import check_member, checked
from .explorer import Control, Explorer
from .style import finish_figure, loglog_with_fit
from .style import legend_below as _legend_below  # plot_error_law has a parameter of that name

__all__ = [
    "RECALL_ACTIVATIONS",
    "RECALL_SIZES",
    "RECALL_WIDTHS",
    "build_explorer",
    "label_sizes",
    "plot_error_law",
    "plot_universal_approximation",
    "plot_worst_vs_random",
]

RECALL_ACTIVATIONS = ("tanh", "softplus", "relu")
RECALL_WIDTHS = (16, 64, 256, 1024, 4096)
RECALL_SIZES = (0.1, 0.3, 1.0, 3.0, 10.0)
_RECALL_CURVE = np.geomspace(0.05, 20.0, 13)
_MARKED, _CIRCLED = "recall-marked-series", "recall-circled-error"  # gids of plot_error_law's mark


@checked
def label_sizes(ax: Axes, values: Array) -> None:
    """Put the x ticks of a log axis at ``values``, labelled with 3 significant digits.

    Log axes spanning about one decade otherwise crowd their minor tick labels.
    """
    ax.xaxis.set_major_locator(FixedLocator(np.asarray(values, dtype=float).tolist()))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:.3g}"))
    ax.xaxis.set_minor_formatter(NullFormatter())


def _series_colour(i: int, count: int) -> tuple[float, float, float, float]:
    """The colour of series ``i`` of ``count`` (one per width or per size): viridis, from its first
    to its last colour. The explorer's update (:func:`_update`) recolours the marked series with it."""
    return mpl.colormaps["viridis"](i / max(1, count - 1))


@checked
def plot_error_law(
    ax_size: Axes,
    ax_width: Axes,
    table: recall.ErrorLawTable,
    theory: Array | None = None,
    theory_label: str = "bound",
    which: str = "worst",
    mark: tuple[float, float] | None = None,
    legend_below: bool = True,
) -> None:
    """Error against ρ (one series per width) and against m (one series per size), log–log.

    Parameters
    ----------
    ax_size, ax_width : matplotlib Axes
        Panels for ``error(ρ)`` at each m and ``error(m)`` at each ρ.
    table : recall.ErrorLawTable
        From :func:`lazylib.recall.error_law_sweep`.
    theory : ndarray, shape (n_m, n_B), optional
        Bound or predicted law, drawn dashed.
    which : {"worst", "random"}
    mark : (m, ρ), optional
        A width and a size of the table: their two series are drawn thicker and the error there
        circled (the explorer's selection).
    legend_below : bool
        Legends below the panels (notebook figures) or inside them (explorer frames).
    """
    errors = getattr(table, check_choice(which, "which", ("worst", "random")))
    i_mark = j_mark = -1
    if mark is not None:
        if isinstance(mark, str) or not isinstance(mark, Sequence) or len(mark) != 2:
            raise ValueError(f"mark must be a pair (m, rho), got {mark!r}")
        i_mark = check_member(mark[0], table.widths, "mark[0]")
        j_mark = check_member(mark[1], table.sizes, "mark[1]")
    for i, m in enumerate(table.widths):
        color = _series_colour(i, table.widths.size)
        loglog_with_fit(ax_size, table.sizes, errors[i], f"m = {m:.0f}", color=color)
        if theory is not None:
            ax_size.loglog(table.sizes, theory[i], "--", color=color, lw=1.2)
    for b, size in enumerate(table.sizes):
        color = _series_colour(b, table.sizes.size)
        loglog_with_fit(ax_width, table.widths, errors[:, b], f"ρ = {size:.3g}", marker="s", color=color)
        if theory is not None:
            ax_width.loglog(table.widths, theory[:, b], "--", color=color, lw=1.2)
    if mark is not None:
        # the marked series thick and translucent under every series, the error there circled above
        # them (artists with a gid, after all others: the explorer's update moves them, see _update)
        for ax, x, y, at, count in (
            (ax_size, table.sizes, errors[i_mark], i_mark, table.widths.size),
            (ax_width, table.widths, errors[:, j_mark], j_mark, table.sizes.size),
        ):
            ax.loglog(x, y, "-", color=_series_colour(at, count), lw=4, alpha=0.5, zorder=1.9, gid=_MARKED)
        here = errors[i_mark, j_mark]
        for ax, at_x in ((ax_size, mark[1]), (ax_width, mark[0])):
            ax.loglog([at_x], [here], "o", color="k", markersize=10, fillstyle="none", gid=_CIRCLED)
    kind = "worst-case" if which == "worst" else "random (RMS)"
    label_sizes(ax_size, table.sizes)
    for ax, xlabel in ((ax_size, r"perturbation size $\rho = \|W - W_0\|_F$"), (ax_width, "width $m$")):
        ax.set_xlabel(xlabel)
        ax.set_ylabel(r"$|f(x;W) - f_0(x;W)|$")
        title = f"dashed: {theory_label}" if theory is not None else None
        if legend_below:  # below the panel: the data fill the corners of log-log axes
            _legend_below(ax, ncol=2, title=title)
        else:
            ax.legend(loc="upper left", title=title)
    ax_size.set_title(f"{table.activation}, {kind}: error vs $\\rho$")
    ax_width.set_title(f"{table.activation}, {kind}: error vs $m$")


@checked
def plot_worst_vs_random(
    ax_size: Axes,
    ax_width: Axes,
    tables: Mapping[str, recall.ErrorLawTable],
    predicted: Mapping[str, Array],
    size_ticks: Array,
) -> None:
    """Worst case (filled) against random directions (open) for each activation: error against ρ at
    the largest width, and against m at the middle size, each with its fitted slope; dashed, the
    predicted random RMS ``predicted[activation]`` (shape ``(n_m, n_B)``, from
    :func:`lazylib.recall.random_error_law`). ``size_ticks`` labels the ρ axis."""
    colors = ("C0", "C1", "C3", "C2", "C4")
    for (act, table), color in zip(tables.items(), colors, strict=False):
        mid = table.sizes.size // 2
        pred = predicted[act]
        for which, mk, face in (("worst", "o-", color), ("random", "s-", "white")):
            err = getattr(table, which)
            kb, _ = fit_power_law(table.sizes, err[-1])
            km, _ = fit_power_law(table.widths, err[:, mid])
            ax_size.loglog(
                table.sizes, err[-1], mk, color=color, mfc=face, label=f"{act}, {which}: slope {kb:.2f}"
            )
            ax_width.loglog(
                table.widths, err[:, mid], mk, color=color, mfc=face, label=f"{act}, {which}: slope {km:.2f}"
            )
        ax_size.loglog(table.sizes, pred[-1], "--", color=color, lw=1)
        ax_width.loglog(table.widths, pred[:, mid], "--", color=color, lw=1)
    ylabel = r"$|f - f_0|$ (random: RMS)"
    ax_size.set(
        xlabel=r"perturbation size $\rho$ (at the largest width)",
        ylabel=ylabel,
        title=r"Worst case vs random, against $\rho$",
    )
    ax_width.set(
        xlabel=r"width $m$ (at the middle size $\rho$)",
        ylabel=ylabel,
        title="Worst case vs random, against $m$",
    )
    label_sizes(ax_size, size_ticks)
    for ax in (ax_size, ax_width):
        _legend_below(ax, ncol=1, title="dashed: predicted random RMS")


@checked
def plot_universal_approximation(
    ax_err: Axes,
    ax_fit: Axes,
    result: recall.UniversalApproximation,
    theta: Array,
    target: Callable[[Array], Array],
    predictions: dict[str, Array],
) -> None:
    """Train/test RMSE against width (log–log) and the fitted curves against the target.

    ``predictions`` maps a label (e.g. ``"m = 4"``) to the linearized model's predictions at
    the angles ``theta``.
    """
    train = np.median(result.train_rmse, axis=0)
    test = np.median(result.test_rmse, axis=0)
    # the training error as large hollow circles, the test error as small squares inside them: both
    # show where they are nearly equal (page 01: an approximation error, not an estimation error),
    # which the label says when they are within 25 % at every width (under a marker on these axes)
    overlap = bool(np.allclose(test, train, rtol=0.25, atol=0))
    ax_err.loglog(result.widths, train, "o-", ms=10, mfc="none", mew=1.5, label="training")
    ax_err.loglog(result.widths, test, "s--", ms=5, label="test" + (" (overlaps)" if overlap else ""))
    ax_err.axhline(result.target_rms, color="gray", lw=1, ls=":", label="RMS of the target")
    ax_err.set_xlabel("width $m$")
    ax_err.set_ylabel("root-mean-square error")
    ax_err.set_title("Linearized model trained to convergence")
    ax_err.legend()
    ax_fit.plot(theta, target(theta), color="black", lw=3, alpha=0.35, label="target")
    for label, pred in predictions.items():
        ax_fit.plot(theta, pred, lw=1.5, label=label)
    ax_fit.set_xlabel(r"angle $\theta$")
    ax_fit.set_ylabel(r"$y(\theta)$ and $f_0$")
    ax_fit.set_title("Fits at a few widths")
    ax_fit.legend()


# ---------------------------------------------------------------------------- the explorer
@lru_cache(maxsize=8)
def _table(activation: str) -> tuple[recall.ErrorLawTable, Array]:
    """One network per width (NTK scale 1/√m, d = 3), the worst case at every (m, ρ) of the
    controls, and the law there: the table's smooth bound, or the ReLU flip-counting law."""
    table = recall.error_law_sweep(activation, RECALL_WIDTHS, RECALL_SIZES, rng=5, n_nets=1, n_draws=0)
    if activation == "relu":
        m = table.widths[:, None]
        law = recall.relu_worst_case_law(m, table.sizes[None, :], 1.0, 1.0 / np.sqrt(m))
    else:
        law = table.bound
    return table, np.asarray(law, dtype=np.float64)


def _law_label(activation: str) -> str:
    return r"law $\approx 0.44\,\rho^{4/3}/m^{1/6}$" if activation == "relu" else "bound β₀‖x‖²ρ²/(2√m)"


def _suptitle(activation: str, m: int, rho: float) -> str:
    table, law = _table(activation)
    i = int(np.flatnonzero(table.widths == m)[0])
    j = int(np.flatnonzero(table.sizes == rho)[0])
    worst = table.worst[i, j]
    return (
        f"{activation}, m = {m}, ρ = {rho:.3g}: worst error {worst:.3g}, "
        f"{_law_label(activation).split()[0]} {law[i, j]:.3g} (ratio {worst / law[i, j]:.2g})"
    )


def _draw(fig: Figure, activation: str, m: int, rho: float) -> None:
    table, law = _table(activation)
    ax1, ax2 = fig.subplots(1, 2)
    label = _law_label(activation)
    plot_error_law(ax1, ax2, table, theory=law, theory_label=label, mark=(m, rho), legend_below=False)
    fig.suptitle(_suptitle(activation, m, rho))
    finish_figure(fig, legends="all", check=False)


def _update(fig: Figure, activation: str, m: int, rho: float) -> bool:
    """The frame of :func:`_draw` at (activation, m, ρ), made from ``fig`` holding another of its
    frames of the same activation: only the marked series, the circled errors and the title change
    (the series, laws, axes, ticks and legends, laid out once, stay). False if ``fig`` is not such a
    frame (another activation: its series, slopes and legends differ, the frame is drawn anew)."""
    axes = fig.axes
    if len(axes) != 2 or not fig.get_suptitle().startswith(f"{activation}, "):
        return False
    marked = [[ln for ln in ax.get_lines() if ln.get_gid() == _MARKED] for ax in axes]
    circled = [[ln for ln in ax.get_lines() if ln.get_gid() == _CIRCLED] for ax in axes]
    if any(len(lines) != 1 for lines in marked + circled):
        return False
    table, _law = _table(activation)
    i = int(np.flatnonzero(table.widths == m)[0])
    j = int(np.flatnonzero(table.sizes == rho)[0])
    for (line,), x, y, color in (
        (marked[0], table.sizes, table.worst[i], _series_colour(i, table.widths.size)),
        (marked[1], table.widths, table.worst[:, j], _series_colour(j, table.sizes.size)),
    ):
        line.set_data(x, y)
        line.set_color(color)
    for (line,), at_x in zip(circled, (rho, m), strict=True):
        line.set_data([at_x], [table.worst[i, j]])
    fig.suptitle(_suptitle(activation, m, rho))  # (the same Text, in the same place)
    return True


def build_explorer() -> Explorer:
    """Recall: (activation, m, ρ) → worst-case linearization error and its law (scale 1/√m).

    The offline player holds tanh at every width and four sizes (20 frames, updated in place, in the
    time its 12 drawn frames of two activations took): four values of each with a second activation
    would be 32 frames, past the notebook's 10 s and the page's 1.5 MB. The live explorer has every
    activation, width and size.
    """
    return Explorer(
        _draw,
        {
            "activation": Control("activation σ", RECALL_ACTIVATIONS, default="tanh", static=("tanh",)),
            "m": Control("width m", RECALL_WIDTHS, default=256, fmt="{:d}"),
            "rho": Control("size ρ", RECALL_SIZES, default=1.0, static=(0.3, 1.0, 3.0, 10.0)),
        },
        figsize=(7.0, 5.0),
        margins={"left": 0.1, "right": 0.98, "bottom": 0.1, "top": 0.86, "wspace": 0.32},
        caption="Recall: the linearization error of a width-m network against the size of the step",
        name="recall",
        # frames updated in place (the marked series and the title; ~35 % less CPU a frame) and of 64
        # colours (a tenth lighter than 128, no visible change)
        update=_update,
        colors=64,
    )
