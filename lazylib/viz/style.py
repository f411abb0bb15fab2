"""The one figure style of the book: notebooks, live explorers and offline players.

:data:`BOOK_STYLE` is a matplotlib ``rcParams`` dict. Notebooks apply it once with
:func:`use_book_style`; :class:`~lazylib.viz.explorer.Explorer` draws and renders every frame inside
:func:`book_style` (matplotlib's defaults plus :data:`BOOK_STYLE`), so a frame looks the same in a
notebook, in the tests and on the site whatever the notebook's own ``rcParams``.

**One size for the text column.** Every figure is :data:`FIGURE_WIDTH` = 7 inches wide (the caller
chooses only the height). The site's text column is about 677 CSS px wide at a 1280 px window, so a
7-inch figure is shown at ~97 CSS px per inch, almost exactly its physical size: 1 pt of font is
~1.34 CSS px, and the smallest font of the style,
:data:`~lazylib.viz.legibility.MIN_FONT_PT` = 9 pt, lands at ~12 CSS px
(the site test measures it on every image). Notebook PNGs are drawn at :data:`FIGURE_DPI` = 200 dpi,
1400 px: twice the column, crisp on high-density screens, and >= 150 ppi in the PDF edition.
(SVG was measured too: a frame of each page's explorer weighs 36-106 kB as SVG with text, 67-146 kB
with text as paths, 100-203 kB as a 200 dpi PNG; but SVG text depends on the reader's fonts, the
LaTeX builder needs a PNG copy anyway, and nbval would compare the SVG source, which embeds a date.)

Also the drawing helpers every page uses: :func:`loglog_with_fit` (measured points with their
least-squares power law), :func:`positive_or_nan` (zeros hidden from log axes), :func:`legend_below`
and :func:`place_legends` (legends moved off the data), and :func:`finish_figure`, which every figure
cell ends with: the layout, then the legibility checks of :mod:`lazylib.viz.legibility` (those used to
live here; their names are still exported from this module).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import matplotlib as mpl
import matplotlib.style as mpl_style
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.transforms import ScaledTranslation
from numpy.typing import ArrayLike

from .._types import Array
from ..fitting import fit_power_law
from ._checks import checked
from .execution import for_book, store_palette_figures
from .layout import LAYOUTS, figure_layout, widen
from .legibility import (  # the checks moved to their own module; their public names stay here too
    HIDDEN_WORDS,
    MIN_FONT_PT,
    crowded_texts,
    figure_renderer,
    hidden_curves,
    legend_collisions,
    legend_hits,
    problems,
    small_texts,
)

__all__ = [
    "BOOK_STYLE",
    "FIGURE_DPI",
    "FIGURE_WIDTH",
    "HIDDEN_WORDS",
    "MIN_FONT_PT",
    "book_style",
    "crowded_texts",
    "finish_figure",
    "hidden_curves",
    "legend_below",
    "legend_collisions",
    "loglog_with_fit",
    "place_legends",
    "positive_or_nan",
    "problems",
    "small_texts",
    "use_book_style",
]

#: Width of every figure of the book, in inches. The site's text column (~677 CSS px at a 1280 px
#: window) shows it at about its physical size.
FIGURE_WIDTH = 7.0
#: Resolution of the notebooks' figures, 1400 px for the 7-inch width, twice the column.
FIGURE_DPI = 200

#: The book's matplotlib style, on top of matplotlib's defaults. Fonts of 9-11 pt for a 7-inch
#: figure, a light grid, notebook PNGs at :data:`FIGURE_DPI`.
BOOK_STYLE: dict[str, Any] = {
    "figure.figsize": (FIGURE_WIDTH, 3.6),
    "figure.dpi": FIGURE_DPI,
    "savefig.dpi": FIGURE_DPI,
    "font.size": 10,
    "axes.titlesize": 10.5,
    "axes.labelsize": 10,
    "xtick.labelsize": MIN_FONT_PT,
    "ytick.labelsize": MIN_FONT_PT,
    "legend.fontsize": MIN_FONT_PT,
    "legend.title_fontsize": MIN_FONT_PT,
    "figure.titlesize": 11,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "lines.linewidth": 1.8,
}


def use_book_style() -> None:
    """Apply :data:`BOOK_STYLE` to the current session, with a tight layout for notebook figures.

    When executing for the book, figures are also stored as palette PNGs
    (:func:`lazylib.viz.execution.store_palette_figures`: a third of the bytes, same pixels).
    """
    mpl_style.use(BOOK_STYLE)
    mpl.rcParams["figure.autolayout"] = True
    store_palette_figures()


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


@checked
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


@checked
def legend_below(ax: Axes, ncol: int = 2, **kwargs: Any) -> None:
    """Draw the legend of ``ax`` under the axes (below the tick labels and the x label), where it
    cannot cover data, in up to ``ncol`` columns (fewer if they would not fit under the axes).

    Keyword arguments go to matplotlib's ``Axes.legend`` (e.g. ``title=``); the legend keeps its
    place when a layout pass later resizes the axes.
    """
    if isinstance(ncol, bool) or not isinstance(ncol, int | np.integer) or ncol < 1:
        raise ValueError(f"ncol must be a positive integer, got {ncol!r}")
    fig = ax.get_figure()
    if not isinstance(fig, Figure):
        raise ValueError("ax must belong to a figure")
    legend = ax.legend(ncols=int(ncol), **kwargs)
    _below_axes(ax, legend, figure_renderer(fig, draw=False))


def _below_axes(
    ax: Axes,
    legend: Legend,
    renderer: RendererBase,
    pad_pt: float = 4.0,
    ncols: int | None = None,
    wrap: bool = False,
    width: float | None = None,
) -> Legend:
    """Anchor ``legend`` under ``ax``: its top ``pad_pt`` below the axes' tick labels and x label, at a
    fixed distance in inches (so a later layout pass that resizes the axes keeps the gap), with as
    many of its columns (at most ``ncols``, by default the legend's) as fit under the axes and inside
    the figure. With ``wrap``, a one-column legend still wider than the axes gets its labels broken
    into lines (at spaces outside ``$...$``) until it is no wider than they are (or than ``width``,
    in pixels), or no label can be broken further. Returns the legend now drawn."""
    fig = ax.get_figure()
    assert isinstance(fig, Figure)
    axis_box = ax.xaxis.get_tightbbox(renderer)
    ax_box = ax.get_window_extent(renderer)
    gap_px = (ax_box.y0 - axis_box.y0) if axis_box is not None else 0.0
    gap_in = max(gap_px, 0.0) / fig.dpi + pad_pt / 72.0
    below = ax.transAxes + ScaledTranslation(0.0, -gap_in, fig.dpi_scale_trans)
    entries = [
        (h, t.get_text())
        for h, t in zip(legend.legend_handles, legend.get_texts(), strict=True)
        if h is not None
    ]
    handles, labels = [h for h, _ in entries], [label for _, label in entries]
    title = legend.get_title().get_text() or None
    if ncols is None:
        ncols = int(getattr(legend, "_ncols", 1))  # the column count has no public getter
    while True:
        legend = ax.legend(
            handles,
            labels,
            title=title,
            ncols=ncols,
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            bbox_transform=below,
        )
        if ncols == 1:
            break
        box = legend.get_window_extent(renderer)
        if box.width <= ax_box.width + 0.3 * fig.dpi and box.x0 >= 0 and box.x1 <= fig.bbox.width:
            return legend
        ncols -= 1
    if not wrap:
        return legend
    width = ax_box.width if width is None else width
    texts = legend.get_texts()
    spans = [t.get_window_extent(renderer).width for t in texts]
    budget = max(spans, default=0.0) - (legend.get_window_extent(renderer).width - width)
    wrapped = list(labels)
    for k, text in enumerate(texts):  # each label too wide: broken at the most characters that fit
        for limit in range(len(labels[k]) - 1, 0, -1):
            if spans[k] <= budget:
                break
            candidate = _wrap_label(labels[k], limit)
            if candidate != wrapped[k]:
                wrapped[k] = candidate
                text.set_text(candidate)
                spans[k] = text.get_window_extent(renderer).width
    if wrapped == labels:
        return legend
    return ax.legend(
        handles, wrapped, title=title, loc="upper center", bbox_to_anchor=(0.5, 0.0), bbox_transform=below
    )


def _fit_legends_below(fig: Figure) -> bool:
    """In the wide layout: a legend under its axes that is wider than they are (a layout engine would
    narrow the panel to make room for it) gets its labels broken into lines until it is not, measured
    against the axes as laid out without the legends. Returns whether a legend changed."""
    drawn = figure_renderer(fig, draw=True)
    below = []
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is not None and legend.get_visible():
            if legend.get_window_extent(drawn).y1 < ax.get_window_extent(drawn).y0:
                below.append((ax, legend))
    if not below:
        return False
    for _, legend in below:
        legend.set_visible(False)
    drawn = figure_renderer(fig, draw=True)  # the panels' widths when no legend crowds them
    widths = {id(ax): ax.get_window_extent(drawn).width for ax, _ in below}
    changed = False
    for ax, legend in below:
        legend.set_visible(True)
        if legend.get_window_extent(drawn).width > widths[id(ax)]:
            _below_axes(ax, legend, drawn, ncols=1, wrap=True, width=widths[id(ax)])
            changed = True
    return changed


def _wrap_label(label: str, limit: int) -> str:
    """``label`` in lines of at most ``limit`` characters where it can be broken: at spaces outside
    ``$...$`` (mathtext cannot span lines); a word longer than ``limit`` keeps its own line."""
    words: list[str] = []
    for k, part in enumerate(label.split("$")):
        pieces = [part] if k % 2 else part.split(" ")  # odd parts are mathtext
        if words and pieces:
            words[-1] += ("$" + pieces[0]) if k % 2 else pieces[0]
            pieces = pieces[1:]
        words.extend(pieces)
        if k % 2:
            words[-1] += "$"
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= limit:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(line for line in lines if line) or label


@checked
def place_legends(fig: Figure, below: str = "colliding") -> list[str]:
    """Move the legends of ``fig``'s axes that would cover data (``below="colliding"``) or all of them
    (``below="all"``) under their axes; returns the titles of the axes whose legend moved.

    A legend already placed outside its axes stays. ``"colliding"`` draws the figure (a layout engine
    may resize the axes) and checks again, up to three times. Use :func:`finish_figure`, which also
    makes room for the moved legends in a figure with fixed margins.
    """
    if below not in ("colliding", "all"):
        raise ValueError(f"below must be 'colliding' or 'all', got {below!r}")
    moved: list[str] = []
    for _ in range(1 if below == "all" else 3):
        renderer = figure_renderer(fig, draw=below == "colliding")  # a draw costs ~0.3 s: explorers skip it
        now = []
        for ax in fig.axes:
            legend = ax.get_legend()
            if legend is None or not legend.get_visible():
                continue
            box = legend.get_window_extent(renderer)
            if not ax.get_window_extent(renderer).contains((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2):
                continue  # already outside the axes
            if below == "all" or legend_hits(fig, legend, renderer):
                _below_axes(ax, legend, renderer)
                now.append(ax.get_title())
        moved += now
        if not now:
            break
    return moved


def _make_room_below(fig: Figure, pad_pt: float = 8.0) -> bool:
    """For a figure with fixed margins (no layout engine): raise the bottom margin until every legend
    is inside the figure. Returns whether the margin changed."""
    if fig.get_layout_engine() is not None:
        return False  # tight/constrained layouts make room themselves
    changed = False
    for _ in range(12):  # an axes with a fixed aspect moves by less than the margin: iterate
        renderer = figure_renderer(fig, draw=False)
        boxes = [leg.get_window_extent(renderer) for ax in fig.axes if (leg := ax.get_legend()) is not None]
        if not boxes:
            return changed
        lowest = min(b.y0 for b in boxes) - pad_pt / 72.0 * fig.dpi
        if lowest >= -0.5:
            return changed
        height = fig.get_figheight() * fig.dpi
        bottom = fig.subplotpars.bottom - lowest / height
        if bottom >= fig.subplotpars.top - 0.1:
            raise ValueError("the legends below the axes need more height than the figure has")
        fig.subplots_adjust(bottom=bottom)
        changed = True
    return changed


@checked
def finish_figure(
    fig: Figure, legends: str = "colliding", check: bool | None = None, layout: str | None = None
) -> Figure:
    """Lay out a book figure for the column (or a slide) and check that it is legible.

    Legends that would cover data go under their axes (``legends="all"``: every legend, as the
    explorers do so that their frames keep one layout), a figure with fixed margins gets the room
    they need, and then every text must be at least :data:`~lazylib.viz.legibility.MIN_FONT_PT`, no
    legend may cover data and no labelled curve may hide under another
    (:func:`~lazylib.viz.legibility.problems`).

    ``check`` says whether to run that check: by default (``None``) when the notebooks are executed
    for the book or tested (:func:`lazylib.viz.execution.for_book`), not in a reader's kernel, where
    it would cost 1-2 s per figure and find nothing the book's build has not found; ``False`` skips
    it (the explorers' frames: the tests check every frame of the offline players). The layout is
    the same either way: the check only reads the figure.

    ``layout`` is ``"page"`` (the column) or ``"wide"``: a figure too tall for a 1280×720 slide gets
    a 16:9 size and its panels a grid of fewer rows (``lazylib.viz.layout.widen``: one legend
    under the panels when they share it; a legend under a panel that is wider than the panel gets its
    labels broken into lines, so that it does not narrow the panel); by default (``None``) the layout
    of the environment (``lazylib.viz.layout.figure_layout``: ``make slides`` renders the slides' figures so).

    Raises
    ------
    AssertionError
        Listing what is not legible (a notebook's figure cell then fails like an ``assert`` cell).
    ValueError
        If ``layout`` is not ``"page"`` or ``"wide"``.
    """
    layout = figure_layout() if layout is None else layout
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}, got {layout!r}")
    wrapped = False
    if layout == "wide" and widen(fig):
        drawn = figure_renderer(fig, draw=True)  # the panels' new places
        for ax in fig.axes:  # legends under their axes: anchored again, in as many columns as fit
            legend = ax.get_legend()
            if legend is not None and legend.get_visible():
                if legend.get_window_extent(drawn).y1 < ax.get_window_extent(drawn).y0:
                    entries = sum(h is not None for h in legend.legend_handles)
                    _below_axes(ax, legend, drawn, ncols=max(1, entries))
        moved = place_legends(fig, below=legends)
        wrapped = _fit_legends_below(fig)  # legends under narrow panels: their labels in lines
    else:
        moved = place_legends(fig, below=legends)
    resized = _make_room_below(fig)
    if not (for_book() if check is None else check):
        return fig
    # place_legends("colliding") ends on a draw of the figure; with fixed margins, unless it then moved
    # a legend or the margin changed, the checks can read that draw (a draw is most of their cost)
    if legends == "colliding" and not (moved or resized or wrapped) and fig.get_layout_engine() is None:
        renderer = figure_renderer(fig, draw=False)
    else:
        renderer = None
    found = problems(fig, renderer)
    if found:
        raise AssertionError("figure not legible:\n  " + "\n  ".join(found))
    return fig
