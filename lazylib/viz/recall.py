"""Recall page (``notebooks/01_recall.ipynb``): the linearization error against ρ and m.

The explorer draws, for one activation, width m and size ρ, the worst-case and random errors of
:func:`lazylib.recall.error_law_sweep` with their law (the smooth bound ``β₀‖x‖²ρ²/(2√m)`` or the
ReLU flip-counting law :func:`lazylib.recall.relu_worst_case_law`). The notebook's own figures
still come from ``lazylib.recall_plots`` (to be moved here with the notebook, part B of issue 13).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from matplotlib.figure import Figure

from .. import recall
from .._types import Array
from .explorer import Control, Explorer

__all__ = ["RECALL_ACTIVATIONS", "RECALL_SIZES", "RECALL_WIDTHS", "build_explorer", "plot_error_at"]

RECALL_ACTIVATIONS = ("tanh", "softplus", "relu")
RECALL_WIDTHS = (16, 64, 256, 1024, 4096)
RECALL_SIZES = (0.1, 0.3, 1.0, 3.0, 10.0)
_RECALL_CURVE = np.geomspace(0.05, 20.0, 13)


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
