"""The one figure style of the book: notebooks, live explorers and offline players.

:data:`BOOK_STYLE` is a matplotlib ``rcParams`` dict. Notebooks apply it once with
:func:`use_book_style`; :class:`~lazylib.viz.explorer.Explorer` draws and renders every frame inside
:func:`book_style` (matplotlib's defaults plus :data:`BOOK_STYLE`), so a frame looks the same in a
notebook, in the tests and on the site whatever the notebook's own ``rcParams``.

**One size for the text column.** Every figure is :data:`FIGURE_WIDTH` = 7 inches wide (the caller
chooses only the height). The site's text column is about 677 CSS px wide at a 1280 px window, so a
7-inch figure is shown at ~97 CSS px per inch, almost exactly its physical size: 1 pt of font is
~1.34 CSS px, and the smallest font of the style, :data:`MIN_FONT_PT` = 9 pt, lands at ~12 CSS px
(the site test measures it on every image). Notebook PNGs are drawn at :data:`FIGURE_DPI` = 200 dpi,
1400 px: twice the column, crisp on high-density screens, and >= 150 ppi in the PDF edition.
(SVG was measured too: a frame of each page's explorer weighs 36-106 kB as SVG with text, 67-146 kB
with text as paths, 100-203 kB as a 200 dpi PNG; but SVG text depends on the reader's fonts, the
LaTeX builder needs a PNG copy anyway, and nbval would compare the SVG source, which embeds a date.)

Also the drawing helpers every page uses: :func:`loglog_with_fit` (measured points with their
least-squares power law), :func:`positive_or_nan` (zeros hidden from log axes), and the checks the
tests run on every figure: :func:`small_texts` (no text below :data:`MIN_FONT_PT`),
:func:`legend_collisions` (no legend drawn over data) and :func:`hidden_curves` (no labelled curve
hidden exactly under another without the legend saying so).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import matplotlib as mpl
import matplotlib.style as mpl_style
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.transforms import ScaledTranslation
from numpy.typing import ArrayLike
from scipy.spatial import cKDTree

from .._types import Array, BoolArray
from ..fitting import fit_power_law
from ._checks import checked

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
#: The smallest font of any figure, in points, ~12 CSS px in the column (the site test requires 11).
MIN_FONT_PT = 9.0

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
    _below_axes(ax, legend, _renderer(fig, draw=False))


def _renderer(fig: Figure, draw: bool = True) -> RendererBase:
    """An Agg renderer for ``fig``, after a draw (limits autoscaled, layout done, tick labels made)
    unless ``draw=False`` (then only fixed-aspect axes are settled); a figure built without pyplot
    gets an Agg canvas."""
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    if draw:
        fig.draw_without_rendering()
    else:
        for ax in fig.axes:
            ax.apply_aspect()
    renderer: RendererBase = canvas.get_renderer()
    return renderer


def _settled_renderer(fig: Figure, max_draws: int = 4) -> RendererBase:
    """A renderer after the figure's layout has settled: a tight or constrained layout places the axes
    from the text extents of the previous draw, so it can move them again on the next draws; draw
    until the axes stop moving (at most ``max_draws`` draws; one without a layout engine)."""
    renderer = _renderer(fig)
    if fig.get_layout_engine() is None:
        return renderer
    for _ in range(max_draws - 1):
        before = [ax.get_position().bounds for ax in fig.axes]
        renderer = _renderer(fig)
        if np.allclose(before, [ax.get_position().bounds for ax in fig.axes], rtol=0, atol=1e-9):
            break
    return renderer


def _visible_texts(fig: Figure) -> list[Text]:
    out: list[Text] = []
    for text in fig.findobj(Text):
        if not isinstance(text, Text) or not text.get_visible() or not text.get_text().strip():
            continue
        # tick labels outside the axis' view limits exist but are not drawn
        if text.get_figure() is None:
            continue
        out.append(text)
    return out


@checked
def small_texts(fig: Figure, min_pt: float = MIN_FONT_PT) -> list[str]:
    """The visible texts of ``fig`` (labels, ticks, legends, titles) set below ``min_pt`` points.

    Returns ``"<size> pt: <text>"`` per offending text; an empty list means every text is legible.
    """
    if not np.isfinite(min_pt) or min_pt <= 0:
        raise ValueError(f"min_pt must be a positive finite number, got {min_pt!r}")
    return _small_texts(fig, _renderer(fig), min_pt)


def _small_texts(fig: Figure, renderer: RendererBase, min_pt: float = MIN_FONT_PT) -> list[str]:
    fig_box = fig.bbox
    out = []
    for text in _visible_texts(fig):
        box = text.get_window_extent(renderer)
        if box.width <= 0 or not box.overlaps(fig_box):
            continue  # not drawn (e.g. a tick label beyond the view limits)
        size = float(text.get_fontsize())
        if size < min_pt - 1e-9:
            out.append(f"{size:g} pt: {text.get_text()[:60]!r}")
    return out


def _densified(xy: Array, step: float = 2.0) -> Array:
    """Points every ``step`` display pixels along the polyline ``xy`` (finite runs only): each
    segment as ``max(2, ⌊length/step⌋ + 1)`` evenly spaced points, ends included, in order."""
    a, b = xy[:-1], xy[1:]
    ok = np.all(np.isfinite(a), axis=1) & np.all(np.isfinite(b), axis=1)
    a, b = a[ok], b[ok]
    if len(a) == 0:
        return np.empty((0, 2))
    k = np.maximum(2, (np.hypot(*(b - a).T) / step).astype(np.int64) + 1)
    seg = np.repeat(np.arange(len(a)), k)
    pos = np.arange(int(k.sum())) - np.repeat(np.cumsum(k) - k, k)  # index within its segment
    t = pos / np.repeat(k - 1, k)
    return np.asarray(a[seg] + t[:, None] * (b[seg] - a[seg]), dtype=np.float64)


def _display_points(line: Line2D, densify: bool) -> Array:
    xy = np.asarray(line.get_xydata(), dtype=float)
    if xy.size == 0:
        return np.empty((0, 2))
    with np.errstate(all="ignore"):
        pts = line.get_transform().transform(xy)
    drawn = line.get_linestyle() not in ("None", "none", "", " ")
    if densify and drawn and len(pts) > 1:
        dense = _densified(pts)
        pts = np.concatenate([pts, dense])
    return pts[np.all(np.isfinite(pts), axis=1)]


def _inside(pts: Array, x0: float, y0: float, x1: float, y1: float) -> BoolArray:
    inside: BoolArray = (pts[:, 0] > x0) & (pts[:, 0] < x1) & (pts[:, 1] > y0) & (pts[:, 1] < y1)
    return inside


def _legend_hits(fig: Figure, legend: Legend, renderer: RendererBase, margin: float = 1.0) -> list[str]:
    """Labels of the lines and markers of ``fig`` with a point inside ``legend``'s box."""
    box = legend.get_window_extent(renderer)
    x0, y0, x1, y1 = box.x0 + margin, box.y0 + margin, box.x1 - margin, box.y1 - margin
    hits: list[str] = []
    for ax in fig.axes:
        clip = ax.get_window_extent(renderer)
        for line in ax.get_lines():
            if not line.get_visible() or line.get_alpha() == 0:
                continue
            pts = _display_points(line, densify=True)
            pts = pts[_inside(pts, clip.x0 - 0.5, clip.y0 - 0.5, clip.x1 + 0.5, clip.y1 + 0.5)]
            if _inside(pts, x0, y0, x1, y1).any():
                hits.append(str(line.get_label()))
        for coll in ax.collections:
            if isinstance(coll, PathCollection) and coll.get_visible():
                with np.errstate(all="ignore"):
                    pts = coll.get_offset_transform().transform(np.asarray(coll.get_offsets()))
                pts = pts[np.all(np.isfinite(pts), axis=1)]
                if _inside(pts, x0, y0, x1, y1).any():
                    hits.append(str(coll.get_label()))
    return hits


@checked
def legend_collisions(fig: Figure, margin: float = 1.0) -> list[str]:
    """Legends of ``fig`` drawn over data: a point of a visible line or marker of the figure inside a
    legend's box.

    Lines are followed between their vertices (every 2 display pixels), so a bound drawn with
    ``axhline`` under a legend counts; only what lies inside the axes that draws it is data.
    ``margin`` (display pixels) shrinks each legend box, so a line grazing the frame does not count.
    Returns one description per colliding legend; an empty list means no legend covers data.
    """
    if not np.isfinite(margin) or margin < 0:
        raise ValueError(f"margin must be a non-negative finite number, got {margin!r}")
    return _legend_collisions(fig, _renderer(fig), margin)


def _legend_collisions(fig: Figure, renderer: RendererBase, margin: float = 1.0) -> list[str]:
    legends = [(ax, ax.get_legend()) for ax in fig.axes] + [(None, leg) for leg in fig.legends]
    out = []
    for owner, legend in legends:
        if legend is None or not legend.get_visible():
            continue
        hits = _legend_hits(fig, legend, renderer, margin)
        if hits:
            where = "figure" if owner is None else repr(owner.get_title()[:50])
            out.append(f"legend of {where} covers {sorted(set(hits))[:6]}")
    return out


#: Words that, in a legend label, tell the reader a curve lies under another.
HIDDEN_WORDS = ("under", "hidden", "coincide", "same as", "on top")


def _shows_beside(top: Line2D, bottom: Line2D) -> bool:
    """Whether ``bottom`` still shows under ``top``: ``top`` dashed or dotted, markers of a different
    shape, or a line clearly thinner than ``bottom``'s."""
    if top.get_linestyle() not in ("-", "solid"):
        return True
    if bottom.get_marker() not in ("None", "none", "", None) and bottom.get_marker() != top.get_marker():
        return True
    return float(top.get_linewidth()) <= 0.6 * float(bottom.get_linewidth())


@checked
def hidden_curves(fig: Figure, tolerance: float = 1.0) -> list[str]:
    """Labelled curves of ``fig`` drawn exactly under another curve of the same axes, invisible.

    A curve is hidden when a later-drawn (or higher-``zorder``) solid curve passes within
    ``tolerance`` display pixels of each of its points and covers it fully (not thinner, no other
    marker). Such a curve is allowed when its legend label says so (one of :data:`HIDDEN_WORDS`).
    Returns one description per hidden curve.
    """
    if not np.isfinite(tolerance) or tolerance < 0:
        raise ValueError(f"tolerance must be a non-negative finite number, got {tolerance!r}")
    _renderer(fig)
    return _hidden_curves(fig, tolerance)


def _hidden_curves(fig: Figure, tolerance: float = 1.0) -> list[str]:
    """:func:`hidden_curves` on a figure already drawn."""
    out = []
    for ax in fig.axes:
        lines = [ln for ln in ax.get_lines() if ln.get_visible()]
        order = sorted(range(len(lines)), key=lambda k: (lines[k].get_zorder(), k))
        rank = {k: r for r, k in enumerate(order)}
        for i, low in enumerate(lines):
            label = str(low.get_label())
            if label.startswith("_"):
                continue  # not in the legend: nothing promised to the reader
            if any(word in label.lower() for word in HIDDEN_WORDS):
                continue
            pts = _display_points(low, densify=False)
            if len(pts) == 0:
                continue
            for j, high in enumerate(lines):
                if j == i or rank[j] < rank[i] or _shows_beside(high, low):
                    continue
                ref = _display_points(high, densify=True)
                if len(ref) == 0:
                    continue
                d, _ = cKDTree(ref).query(pts, distance_upper_bound=2 * tolerance + 1.0)
                if np.all(d <= tolerance + 1.0):  # the densified reference is 2 px apart
                    out.append(f"{label!r} is hidden under {high.get_label()!r} in {ax.get_title()[:50]!r}")
                    break
    return out


def _below_axes(ax: Axes, legend: Legend, renderer: RendererBase, pad_pt: float = 4.0) -> Legend:
    """Anchor ``legend`` under ``ax``: its top ``pad_pt`` below the axes' tick labels and x label, at a
    fixed distance in inches (so a later layout pass that resizes the axes keeps the gap), with as
    many of its columns as fit under the axes and inside the figure. Returns the legend now drawn."""
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
            return legend
        box = legend.get_window_extent(renderer)
        if box.width <= ax_box.width + 0.3 * fig.dpi and box.x0 >= 0 and box.x1 <= fig.bbox.width:
            return legend
        ncols -= 1


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
        renderer = _renderer(fig, draw=below == "colliding")  # a draw costs ~0.3 s: explorers skip it
        now = []
        for ax in fig.axes:
            legend = ax.get_legend()
            if legend is None or not legend.get_visible():
                continue
            box = legend.get_window_extent(renderer)
            if not ax.get_window_extent(renderer).contains((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2):
                continue  # already outside the axes
            if below == "all" or _legend_hits(fig, legend, renderer):
                _below_axes(ax, legend, renderer)
                now.append(ax.get_title())
        moved += now
        if not now:
            break
    return moved


def _make_room_below(fig: Figure, pad_pt: float = 3.0) -> bool:
    """For a figure with fixed margins (no layout engine): raise the bottom margin until every legend
    is inside the figure. Returns whether the margin changed."""
    if fig.get_layout_engine() is not None:
        return False  # tight/constrained layouts make room themselves
    changed = False
    for _ in range(12):  # an axes with a fixed aspect moves by less than the margin: iterate
        renderer = _renderer(fig, draw=False)
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
def crowded_texts(fig: Figure, pad: float = 1.0) -> list[str]:
    """Titles, axis labels, suptitle and legends of ``fig`` cut by its edge or overlapping each other.

    ``pad`` (display pixels) is the overlap tolerated between two boxes. Tick labels are left out
    (matplotlib spaces them); a figure saved with ``bbox_inches="tight"`` is not cut, but a text
    beyond its edge then makes the image wider than the column (and shrinks it on the page).
    """
    if not np.isfinite(pad) or pad < 0:
        raise ValueError(f"pad must be a non-negative finite number, got {pad!r}")
    return _crowded_texts(fig, _renderer(fig), pad)


def _crowded_texts(fig: Figure, renderer: RendererBase, pad: float = 1.0) -> list[str]:
    items: list[tuple[str, Any]] = []
    suptitle = getattr(fig, "_suptitle", None)  # no public getter for the Text (get_suptitle: its string)
    if suptitle is not None and suptitle.get_visible() and suptitle.get_text():
        items.append((f"suptitle {suptitle.get_text()[:40]!r}", suptitle.get_window_extent(renderer)))
    for ax in fig.axes:
        for text in (ax.title, ax.xaxis.label, ax.yaxis.label):
            if text.get_visible() and text.get_text().strip():
                items.append((f"{text.get_text()[:40]!r}", text.get_window_extent(renderer)))
        legend = ax.get_legend()
        if legend is not None and legend.get_visible():
            items.append((f"legend of {ax.get_title()[:30]!r}", legend.get_window_extent(renderer)))
    out = []
    for ax in fig.axes:  # tick labels of one axis must not run into each other
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            span = (hi - lo) * 1e-9
            boxes = [
                (tick.label1.get_text(), tick.label1.get_window_extent(renderer))
                for tick in axis.get_major_ticks() + axis.get_minor_ticks()
                if lo - span <= tick.get_loc() <= hi + span
                and tick.label1.get_visible()
                and tick.label1.get_text().strip()
            ]
            for (n1, b1), (n2, b2) in itertools.combinations(boxes, 2):
                w = min(b1.x1, b2.x1) - max(b1.x0, b2.x0)
                h = min(b1.y1, b2.y1) - max(b1.y0, b2.y0)
                if w > pad and h > pad:
                    out.append(f"tick labels {n1!r} and {n2!r} overlap in {ax.get_title()[:40]!r}")
    W, H = fig.bbox.width, fig.bbox.height
    for name, box in items:
        if box.x0 < -pad or box.y0 < -pad or box.x1 > W + pad or box.y1 > H + pad:
            out.append(f"{name} is cut by the figure's edge")
    for (n1, b1), (n2, b2) in itertools.combinations(items, 2):
        w = min(b1.x1, b2.x1) - max(b1.x0, b2.x0)
        h = min(b1.y1, b2.y1) - max(b1.y0, b2.y0)
        if w > pad and h > pad:
            out.append(f"{n1} overlaps {n2}")
    return out


@checked
def problems(fig: Figure) -> list[str]:
    """Everything :func:`small_texts`, :func:`legend_collisions`, :func:`hidden_curves` and
    :func:`crowded_texts` find, on the figure's settled layout (drawn once more than the layout
    needs, not once per check: a draw is most of each check's cost)."""
    return _problems(fig, _settled_renderer(fig))


def _problems(fig: Figure, renderer: RendererBase) -> list[str]:
    return (
        _small_texts(fig, renderer)
        + _legend_collisions(fig, renderer)
        + _hidden_curves(fig)
        + _crowded_texts(fig, renderer)
    )


@checked
def finish_figure(fig: Figure, legends: str = "colliding", check: bool = True) -> Figure:
    """Lay out a book figure for the column and check that it is legible.

    Legends that would cover data go under their axes (``legends="all"``: every legend, as the
    explorers do so that their frames keep one layout), a figure with fixed margins gets the room
    they need, and then every text must be at least :data:`MIN_FONT_PT`, no legend may cover data
    and no labelled curve may hide under another (:func:`problems`). ``check=False`` skips that
    check (the explorers' frames: the tests check every frame of the offline players).

    Raises
    ------
    AssertionError
        Listing what is not legible (a notebook's figure cell then fails like an ``assert`` cell).
    """
    moved = place_legends(fig, below=legends)
    resized = _make_room_below(fig)
    if not check:
        return fig
    # place_legends("colliding") ends on a draw of the figure; with fixed margins, unless it then moved
    # a legend or the margin changed, the checks can read that draw (a draw is most of their cost)
    if legends == "colliding" and not moved and not resized and fig.get_layout_engine() is None:
        renderer = _renderer(fig, draw=False)
    else:
        renderer = _settled_renderer(fig)
    found = _problems(fig, renderer)
    if found:
        raise AssertionError("figure not legible:\n  " + "\n  ".join(found))
    return fig
