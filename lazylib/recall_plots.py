"""Figures of the Recall section (plotting layer: imports the numerics of :mod:`lazylib.recall`).

Each helper draws on axes the caller owns, so the notebook decides the layout and calls
``plt.show()``. Measured points are markers with their least-squares slope in the legend; the
theory (bound or asymptotic law) is dashed in the same colour.
"""

from __future__ import annotations

from collections.abc import Callable

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

from ._types import Array
from .plotting import loglog_with_fit
from .recall import ErrorLawTable, UniversalApproximation

__all__ = ["label_sizes", "plot_error_law", "plot_universal_approximation"]


def label_sizes(ax: Axes, values: Array) -> None:
    """Put the x ticks of a log axis at ``values``, labelled with 3 significant digits.

    Log axes spanning about one decade otherwise crowd their minor tick labels.
    """
    ax.xaxis.set_major_locator(FixedLocator(np.asarray(values, dtype=float).tolist()))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:.3g}"))
    ax.xaxis.set_minor_formatter(NullFormatter())


def plot_error_law(
    ax_size: Axes,
    ax_width: Axes,
    table: ErrorLawTable,
    theory: Array | None = None,
    theory_label: str = "bound",
    which: str = "worst",
) -> None:
    """Error against ρ (one series per width) and against m (one series per size), log–log.

    Parameters
    ----------
    ax_size, ax_width : matplotlib Axes
        Panels for ``error(ρ)`` at each m and ``error(m)`` at each ρ.
    table : ErrorLawTable
        From :func:`lazylib.recall.error_law_sweep`.
    theory : ndarray, shape (n_m, n_B), optional
        Bound or predicted law, drawn dashed.
    which : {"worst", "random"}
    """
    errors = getattr(table, which)
    cmap = mpl.colormaps["viridis"]
    for i, m in enumerate(table.widths):
        color = cmap(i / max(1, table.widths.size - 1))
        loglog_with_fit(ax_size, table.sizes, errors[i], f"m = {m:.0f}", color=color)
        if theory is not None:
            ax_size.loglog(table.sizes, theory[i], "--", color=color, lw=1.2)
    for b, size in enumerate(table.sizes):
        color = cmap(b / max(1, table.sizes.size - 1))
        loglog_with_fit(ax_width, table.widths, errors[:, b], f"ρ = {size:.3g}", marker="s", color=color)
        if theory is not None:
            ax_width.loglog(table.widths, theory[:, b], "--", color=color, lw=1.2)
    kind = "worst-case" if which == "worst" else "random (RMS)"
    label_sizes(ax_size, table.sizes)
    for ax, xlabel in ((ax_size, r"perturbation size $\rho = \|W - W_0\|_F$"), (ax_width, "width $m$")):
        ax.set_xlabel(xlabel)
        ax.set_ylabel(r"$|f(x;W) - f_0(x;W)|$")
        ax.legend(  # below the panel: the data fill the corners of log-log axes
            loc="upper center",
            bbox_to_anchor=(0.5, -0.2),
            ncol=2,
            fontsize=8,
            title=f"dashed: {theory_label}" if theory is not None else None,
            title_fontsize=8,
        )
    ax_size.set_title(f"{table.activation}, {kind}: error vs $\\rho$")
    ax_width.set_title(f"{table.activation}, {kind}: error vs $m$")


def plot_universal_approximation(
    ax_err: Axes,
    ax_fit: Axes,
    result: UniversalApproximation,
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
    ax_err.loglog(result.widths, train, "o-", label="training RMSE")
    ax_err.loglog(result.widths, test, "s--", label="test RMSE")
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
    ax_fit.legend(fontsize=8)
