"""The one figure style of the book: notebooks, live explorers and offline players.

:data:`BOOK_STYLE` is a matplotlib ``rcParams`` dict. Notebooks apply it once with
:func:`use_book_style`; :class:`~lazylib.viz.explorer.Explorer` draws and renders every frame inside
:func:`book_style` (matplotlib's defaults plus :data:`BOOK_STYLE`), so a frame looks the same in a
notebook, in the tests and on the site whatever the notebook's own ``rcParams``. Figure sizes are
not part of the style: each plot's caller (notebook cell or explorer) chooses its own.

Also the two drawing helpers every page uses: :func:`loglog_with_fit` (measured points with their
least-squares power law) and :func:`positive_or_nan` (zeros hidden from log axes).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import matplotlib as mpl
import matplotlib.style as mpl_style
import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

from .._types import Array
from ..fitting import fit_power_law

__all__ = ["BOOK_STYLE", "book_style", "loglog_with_fit", "positive_or_nan", "use_book_style"]

#: The book's matplotlib style, on top of matplotlib's defaults. Readable fonts, a light grid,
#: notebook PNGs at 160 dpi: a 7-inch figure is about 1100 px, so it prints at >= 150 ppi in the PDF
#: (tests/pdf checks) and is shown on the site at ~0.6x, where 9 pt legends land at ~12 CSS px.
BOOK_STYLE: dict[str, Any] = {
    "figure.figsize": (7.0, 4.0),
    "figure.dpi": 160,
    "savefig.dpi": 160,
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "legend.fontsize": 9,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "lines.linewidth": 1.8,
}


def use_book_style() -> None:
    """Apply :data:`BOOK_STYLE` to the current session, with a tight layout for notebook figures."""
    mpl_style.use(BOOK_STYLE)
    mpl.rcParams["figure.autolayout"] = True


@contextmanager
def book_style() -> Iterator[None]:
    """Matplotlib's defaults plus :data:`BOOK_STYLE` inside the ``with`` block (explorer frames)."""
    with mpl_style.context(["default", BOOK_STYLE]):
        yield


def positive_or_nan(values: ArrayLike) -> Array:
    """A float copy of ``values`` with non-positive entries (e.g. a distance at t = 0) set to NaN.

    Log axes then skip those points instead of warning or clipping.
    """
    v = np.array(values, dtype=np.float64)
    v[v <= 0] = np.nan
    return v


def loglog_with_fit(
    ax: Axes, x: ArrayLike, y: ArrayLike, label: str, marker: str = "o", color: Any = None
) -> float:
    """Scatter ``y`` against ``x`` on log–log axes with its least-squares power-law fit.

    Returns the fitted exponent (also shown in the legend), that of :func:`lazylib.fitting.fit_power_law`.
    """
    xs = np.asarray(x, dtype=float)
    ys = np.asarray(y, dtype=float)
    k, c = fit_power_law(xs, ys)
    (pts,) = ax.loglog(xs, ys, marker, color=color, label=f"{label}: slope {k:.2f}")
    grid = np.geomspace(xs.min(), xs.max(), 50)
    ax.loglog(grid, c * grid**k, "-", color=pts.get_color(), alpha=0.6)
    return float(k)
