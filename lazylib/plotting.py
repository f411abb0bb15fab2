"""Plotting helpers shared by the notebooks: one figure style, bounds drawn dashed beside curves.

Imports the numerics (never the reverse). Every notebook calls :func:`use_book_style` once.
"""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

from .fitting import fit_power_law

__all__ = ["loglog_with_fit", "plot_against_bound", "use_book_style"]


def use_book_style() -> None:
    """Readable static figures for the site: larger fonts, grid, PNG at 110 dpi, tight layout."""
    mpl.rcParams.update(
        {
            "figure.figsize": (7.0, 4.0),
            "figure.dpi": 110,
            "savefig.dpi": 110,
            "figure.autolayout": True,
            "font.size": 11,
            "axes.titlesize": 12,
            "axes.labelsize": 11,
            "legend.fontsize": 10,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "lines.linewidth": 2.0,
        }
    )


def plot_against_bound(
    ax: Axes, t: ArrayLike, measured: ArrayLike, bound: ArrayLike, label: str, color: str | None = None
) -> None:
    """Draw a measured curve solid and its theoretical bound dashed in the same colour."""
    (line,) = ax.plot(t, measured, color=color, label=f"{label} (measured)")
    ax.plot(t, bound, "--", color=line.get_color(), label=f"{label} (bound)")


def loglog_with_fit(
    ax: Axes, x: ArrayLike, y: ArrayLike, label: str, marker: str = "o", color: str | None = None
) -> float:
    """Scatter ``y`` against ``x`` on log–log axes with its least-squares power-law fit.

    Returns the fitted exponent (also shown in the legend).
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    k, c = fit_power_law(x, y)
    (pts,) = ax.loglog(x, y, marker, color=color, label=f"{label}: slope {k:.2f}")
    xs = np.geomspace(x.min(), x.max(), 50)
    ax.loglog(xs, c * xs**k, "-", color=pts.get_color(), alpha=0.6)
    return k
