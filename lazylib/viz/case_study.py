"""Case-study page (``notebooks/04_case_study.ipynb``): the condition of Theorem 8.1 as a width requirement.

The explorer draws a :class:`lazylib.case_study.WidthPath` (σ_min, σ_max and α_min/α of one growing
network, from :func:`lazylib.case_study.width_condition_path`) for n points, with width m marked.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from matplotlib.figure import Figure

from ..case_study import WidthPath, width_condition_path
from ..data import teacher_student
from .explorer import Control, Explorer

__all__ = ["CASE_SIZES", "CASE_WIDTHS", "build_explorer", "plot_width_path"]

CASE_WIDTHS = (16, 32, 64, 128, 256, 512, 1024, 2048, 4096)
CASE_SIZES = (5, 10, 20, 40)


@lru_cache(maxsize=8)
def _path(n: int) -> WidthPath:
    """α = 1, a non-centred tanh net on n points of the sphere of R⁵ (no width scaling)."""
    task = teacher_student(n, 5, rng=3, n_test=1)
    return width_condition_path(task.X, task.y, [1.0], CASE_WIDTHS, rng=3)


def plot_width_path(fig: Figure, path: WidthPath, m: int, n: int) -> None:
    """Two panels: σ_min, σ_max of J₀ against m (∝ √m), and α_min/α against m (∝ 1/√m)."""
    widths = path.widths.astype(float)
    ratio = path.ratio[0]
    k = int(np.flatnonzero(path.widths == m)[0])
    ax1, ax2 = fig.subplots(1, 2)
    ax1.loglog(widths, path.sigma_max, "o-", color="C0", label="σ_max(J₀)")
    ax1.loglog(widths, path.sigma_min, "s-", color="C1", label="σ_min(J₀)")
    for values, color in ((path.sigma_max, "C0"), (path.sigma_min, "C1")):
        ax1.loglog(widths, values[0] * np.sqrt(widths / widths[0]), "--", color=color, alpha=0.7)
    ax1.plot([], [], "--", color="gray", label="∝ √m")
    here = (path.sigma_max[k], path.sigma_min[k])
    ax1.loglog([m, m], here, "o", color="k", markersize=9, fillstyle="none", label=f"m = {m}")
    ax1.set(xlabel="width m", ylabel="singular value", title=f"extreme singular values of J₀ (n = {n})")
    ax1.legend(fontsize=8)
    ax2.loglog(widths, ratio, "o-", color="C2", label="α_min/α (α = 1)")
    ax2.loglog(widths, ratio[0] * np.sqrt(widths[0] / widths), "--", color="C2", alpha=0.7, label="∝ 1/√m")
    ax2.axhline(1.0, ls=":", color="k", label="theorem applies below")
    ax2.loglog([m], [ratio[k]], "o", color="k", markersize=9, fillstyle="none", label=f"m = {m}")
    ax2.set(xlabel="width m", ylabel="α_min / α", title="the condition is a width requirement")
    ax2.legend(fontsize=8)
    fig.suptitle(
        f"m = {m}, n = {n}: σ_min = {path.sigma_min[k]:.3g}, σ_max = {path.sigma_max[k]:.3g}, "
        f"α_min/α = {ratio[k]:.3g}"
    )


def _draw(fig: Figure, m: int, n: int) -> None:
    plot_width_path(fig, _path(n), m, n)


def build_explorer() -> Explorer:
    """Case study: (m, n) → σ_min, σ_max ∝ √m and α_min/α ∝ 1/√m (no width scaling)."""
    return Explorer(
        _draw,
        {
            "m": Control("width m", CASE_WIDTHS, default=128, static=(16, 128, 1024, 4096)),
            "n": Control("samples n", CASE_SIZES, default=10, static=(5, 10, 40)),
        },
        figsize=(9.5, 3.6),
        caption="Case study: σ_min, σ_max and α_min/α as the width m and the sample size n change",
    )
