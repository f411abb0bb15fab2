"""Recall page (``notebooks/01_recall.ipynb``): the linearization error against ρ and m.

The explorer draws, for one activation, width m and size ρ, the worst-case and random errors of
:func:`lazylib.recall.error_law_sweep` with their law (the smooth bound ``β₀‖x‖²ρ²/(2√m)`` or the
ReLU flip-counting law :func:`lazylib.recall.relu_worst_case_law`). The notebook's figures
are :func:`plot_error_law` and :func:`plot_universal_approximation` (``lazylib.recall_plots`` is an
alias of them until the notebook imports this module, part B of issue 13).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

from .. import recall
from .._types import Array
from .explorer import Control, Explorer
from .style import loglog_with_fit

__all__ = [
    "RECALL_ACTIVATIONS",
    "RECALL_SIZES",
    "RECALL_WIDTHS",
    "build_explorer",
    "label_sizes",
    "plot_error_at",
    "plot_error_law",
    "plot_universal_approximation",
]

RECALL_ACTIVATIONS = ("tanh", "softplus", "relu")
RECALL_WIDTHS = (16, 64, 256, 1024, 4096)
RECALL_SIZES = (0.1, 0.3, 1.0, 3.0, 10.0)
_RECALL_CURVE = np.geomspace(0.05, 20.0, 13)


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
    table: recall.ErrorLawTable,
    theory: Array | None = None,
    theory_label: str = "bound",
    which: str = "worst",
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


# ---------------------------------------------------------------------------- the explorer
@lru_cache(maxsize=8)
def _table(activation: str) -> tuple[recall.ErrorLawTable, Array]:
    """One network per width (NTK scale 1/√m, d = 3), worst case and 5 random directions per ρ,
    and the law at every (m, ρ): the table's smooth bound, or the ReLU flip-counting law."""
    sizes = np.array(sorted({*_RECALL_CURVE, *RECALL_SIZES}))
    table = recall.error_law_sweep(activation, RECALL_WIDTHS, sizes, rng=5, n_seeds=1, n_draws=5)
    if activation == "relu":
        m = table.widths[:, None]
        law = recall.relu_worst_case_law(m, table.sizes[None, :], 1.0, 1.0 / np.sqrt(m))
    else:
        law = table.bound
    return table, np.asarray(law, dtype=np.float64)


def _law_label(activation: str) -> str:
    return "law ≈0.44 $\\rho^{4/3}/m^{1/6}$" if activation == "relu" else "bound β₀‖x‖²ρ²/(2√m)"


def plot_error_at(fig: Figure, table: recall.ErrorLawTable, law: Array, m: int, rho: float) -> None:
    """Two panels: the errors of width ``m`` against ρ, and at size ``rho`` against m, with the law."""
    worst_all, typical_all = table.worst, table.random
    i = int(np.flatnonzero(table.widths == m)[0])
    j = int(np.flatnonzero(table.sizes == rho)[0])
    sizes, worst, typical = table.sizes, worst_all[i], typical_all[i]
    label = _law_label(table.activation)
    ax1, ax2 = fig.subplots(1, 2)
    ax1.loglog(sizes, worst, "o-", color="C0", markersize=3, label="worst-case ΔW (measured)")
    ax1.loglog(sizes, typical, "s-", color="C2", markersize=3, label="random ΔW (RMS of 5)")
    ax1.loglog(sizes, law[i], "--", color="C0", label=label)
    ax1.loglog([rho], [worst[j]], "o", color="k", markersize=9, fillstyle="none", label=f"ρ = {rho:.3g}")
    ax1.set(xlabel="perturbation size ρ = ‖W − W₀‖_F", ylabel="|f(x; W) − f₀(x; W)|")
    ax1.set_title(f"error against ρ (m = {m})")
    ax1.legend(fontsize=8, loc="upper left")
    ax2.loglog(table.widths, worst_all[:, j], "o-", color="C0", label="worst-case ΔW (measured)")
    ax2.loglog(table.widths, law[:, j], "--", color="C0", label=label)
    ax2.loglog([m], [worst[j]], "o", color="k", markersize=9, fillstyle="none", label=f"m = {m}")
    ax2.set(xlabel="width m", ylabel="|f(x; W) − f₀(x; W)|", title=f"error against m (ρ = {rho:.3g})")
    ax2.legend(fontsize=8, loc="lower left")
    fig.suptitle(
        f"{table.activation}, m = {m}, ρ = {rho:.3g}: worst error {worst[j]:.3g}, "
        f"{label.split()[0]} {law[i, j]:.3g} (ratio {worst[j] / law[i, j]:.2g})"
    )


def _draw(fig: Figure, activation: str, m: int, rho: float) -> None:
    table, law = _table(activation)
    plot_error_at(fig, table, law, m, rho)


def build_explorer() -> Explorer:
    """Recall: (activation, m, ρ) → worst-case linearization error and its law (scale 1/√m)."""
    return Explorer(
        _draw,
        {
            "activation": Control(
                "activation σ", RECALL_ACTIVATIONS, default="tanh", static=("tanh", "relu")
            ),
            "m": Control("width m", RECALL_WIDTHS, default=256, static=(16, 256, 4096)),
            "rho": Control("size ρ", RECALL_SIZES, default=1.0, static=(1.0, 10.0)),
        },
        figsize=(9.5, 3.6),
        caption="Recall: the linearization error of a width-m network against the size of the step",
    )
