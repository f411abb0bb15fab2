"""The legibility checks of the book's figures: what a reader could not read.

Every figure cell of the book ends with :func:`~lazylib.viz.style.finish_figure`, which lays the
figure out and then asks :func:`problems` for everything below (and fails the cell if anything is
found); the tests run the same checks on every frame of every explorer.

* :func:`small_texts`: no text below :data:`MIN_FONT_PT` (the site test measures ~12 CSS px);
* :func:`legend_collisions`: no legend drawn over data;
* :func:`hidden_curves`: no labelled curve or marker series drawn on another so that it cannot be
  seen (dashed on dashed, markers on markers) without a legend label saying so (``HIDDEN_WORDS``);
* :func:`crowded_texts`: no title, label or legend cut by the figure's edge or overlapping another,
  no tick labels running into each other.

They cost a draw of the figure (1-2 s per figure, most of it text layout), so they run when the book
is executed and tested, not in a student's kernel (:func:`lazylib.viz.execution.for_book`).
Moved here from :mod:`lazylib.viz.style`, which still exports the public names.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.text import Text
from scipy.spatial import cKDTree

from .._types import Array, BoolArray
from ._checks import checked

__all__ = [
    "HIDDEN_WORDS",
    "MIN_FONT_PT",
    "crowded_texts",
    "figure_renderer",
    "hidden_curves",
    "legend_collisions",
    "legend_hits",
    "problems",
    "settled_renderer",
    "small_texts",
]

#: The smallest font of any figure, in points, ~12 CSS px in the column (the site test requires 11).
MIN_FONT_PT = 9.0


def figure_renderer(fig: Figure, draw: bool = True) -> RendererBase:
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


def settled_renderer(fig: Figure, max_draws: int = 4) -> RendererBase:
    """A renderer after the figure's layout has settled: a tight or constrained layout places the axes
    from the text extents of the previous draw, so it can move them again on the next draws; draw
    until the axes stop moving (at most ``max_draws`` draws; one without a layout engine)."""
    renderer = figure_renderer(fig)
    if fig.get_layout_engine() is None:
        return renderer
    for _ in range(max_draws - 1):
        before = [ax.get_position().bounds for ax in fig.axes]
        renderer = figure_renderer(fig)
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
    return _small_texts(fig, figure_renderer(fig), min_pt)


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


def legend_hits(fig: Figure, legend: Legend, renderer: RendererBase, margin: float = 1.0) -> list[str]:
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
    return _legend_collisions(fig, figure_renderer(fig), margin)


def _legend_collisions(fig: Figure, renderer: RendererBase, margin: float = 1.0) -> list[str]:
    legends = [(ax, ax.get_legend()) for ax in fig.axes] + [(None, leg) for leg in fig.legends]
    out = []
    for owner, legend in legends:
        if legend is None or not legend.get_visible():
            continue
        hits = legend_hits(fig, legend, renderer, margin)
        if hits:
            where = "figure" if owner is None else repr(owner.get_title()[:50])
            out.append(f"legend of {where} covers {sorted(set(hits))[:6]}")
    return out


#: Words that, in a legend label (of either curve), the legend's title or the axes' title, tell the
#: reader that curves coincide: the figure's statement that one lies under another (the opt-out of
#: :func:`hidden_curves`).
HIDDEN_WORDS = ("under", "hidden", "coincide", "same as", "on top", "overlap")


def _no_marker(line: Line2D) -> bool:
    return line.get_marker() in ("None", "none", "", " ", None)


def _drawn(line: Line2D) -> bool:
    return line.get_linestyle() not in ("None", "none", "", " ")


def _solid(line: Line2D) -> bool:
    return line.get_linestyle() in ("-", "solid")


def _shows_beside(top: Line2D, bottom: Line2D) -> bool:
    """Whether the line ``bottom`` still shows under the line ``top``: through the gaps of a dashed or
    dotted ``top`` when ``bottom`` is solid (the book's "network, solid; linearized, dashed"), or
    around a solid ``top`` that is clearly thinner (a band). A dashed line on a dashed or dotted one
    does not show: the two read as one curve of mixed colours (issue 25: page 03's α curves in three
    dash patterns, page 10's two dashed levels at one height)."""
    if not _solid(top):
        return _solid(bottom)
    return float(top.get_linewidth()) <= 0.6 * float(bottom.get_linewidth())


def _stated(*texts: str) -> bool:
    return any(word in text.lower() for text in texts for word in HIDDEN_WORDS)


@checked
def hidden_curves(fig: Figure, tolerance: float = 1.0) -> list[str]:
    """Labelled curves and markers of ``fig`` drawn on another of the same axes, so that a reader
    cannot see that there are two.

    * A labelled line is hidden when another line drawn above it (later, or higher ``zorder``)
      passes within ``tolerance`` display pixels of each of its points, unless it shows beside it:
      a solid line through the gaps of a dashed or dotted one, or around a clearly thinner solid
      one. A dashed or dotted line under another dashed or dotted line does not show.
    * Labelled markers (a line's or a scatter's, two or more: one marker is a highlight) are hidden
      when each of them sits on a marker of another series (centres closer than half the larger
      marker), whichever is drawn above.

    The figure may state the coincidence instead: one of the two curves' legend labels, the legend's
    title or the axes' title holds one of ``HIDDEN_WORDS`` ("coincide", "overlap", "under", ...). Returns one
    description per hidden curve.
    """
    if not np.isfinite(tolerance) or tolerance < 0:
        raise ValueError(f"tolerance must be a non-negative finite number, got {tolerance!r}")
    figure_renderer(fig)
    return _hidden_curves(fig, tolerance)


def _marker_series(ax: Any, px_per_pt: float) -> list[tuple[str, Array, float]]:
    """``(label, centres in display pixels, marker size in pixels)`` of every marker series of ``ax``."""
    out: list[tuple[str, Array, float]] = []
    for line in ax.get_lines():
        if line.get_visible() and not _no_marker(line) and line.get_alpha() != 0:
            pts = _display_points(line, densify=False)
            out.append((str(line.get_label()), pts, float(line.get_markersize()) * px_per_pt))
    for coll in ax.collections:
        if isinstance(coll, PathCollection) and coll.get_visible():
            with np.errstate(all="ignore"):
                pts = coll.get_offset_transform().transform(np.asarray(coll.get_offsets()))
            sizes = np.asarray(coll.get_sizes(), dtype=float)
            size = float(np.sqrt(sizes.min())) * px_per_pt if sizes.size else 0.0  # s is in pt²
            out.append((str(coll.get_label()), pts[np.all(np.isfinite(pts), axis=1)], size))
    return out


def _hidden_curves(fig: Figure, tolerance: float = 1.0) -> list[str]:
    """:func:`hidden_curves` on a figure already drawn."""
    out = []
    px_per_pt = float(fig.dpi) / 72.0
    for ax in fig.axes:
        where = repr(ax.get_title()[:50])
        legend = ax.get_legend()
        if _stated(ax.get_title()) or (legend is not None and _stated(legend.get_title().get_text())):
            continue
        lines = [ln for ln in ax.get_lines() if ln.get_visible() and _drawn(ln)]
        order = sorted(range(len(lines)), key=lambda k: (lines[k].get_zorder(), k))
        rank = {k: r for r, k in enumerate(order)}
        for i, low in enumerate(lines):
            label = str(low.get_label())
            if label.startswith("_"):
                continue  # not in the legend: nothing promised to the reader
            pts = _display_points(low, densify=False)
            if len(pts) == 0:
                continue
            for j, high in enumerate(lines):
                if j == i or rank[j] < rank[i] or _shows_beside(high, low):
                    continue
                if _stated(label, str(high.get_label())):
                    continue
                ref = _display_points(high, densify=True)
                if len(ref) == 0:
                    continue
                d, _ = cKDTree(ref).query(pts, distance_upper_bound=2 * tolerance + 1.0)
                if np.all(d <= tolerance + 1.0):  # the densified reference is 2 px apart
                    out.append(f"{label!r} is hidden under {high.get_label()!r} in {where}")
                    break
        series = [s for s in _marker_series(ax, px_per_pt) if len(s[1])]
        for a, b in itertools.combinations(series, 2):
            if a[0].startswith("_") or b[0].startswith("_") or _stated(a[0], b[0]):
                continue
            reach = max(0.5 * max(a[2], b[2]), tolerance)
            for (label, pts, _), (other, ref, _) in ((a, b), (b, a)):
                if len(pts) < 2:
                    continue  # one marker on a series: a highlight ("this α"), not a series hidden
                d, _ = cKDTree(ref).query(pts, distance_upper_bound=reach + 1.0)
                if np.all(d <= reach):
                    out.append(f"the markers of {label!r} sit on those of {other!r} in {where}")
                    break
    return out


@checked
def crowded_texts(fig: Figure, pad: float = 1.0) -> list[str]:
    """Titles, axis labels, suptitle and legends of ``fig`` cut by its edge or overlapping each other.

    ``pad`` (display pixels) is the overlap tolerated between two boxes. Tick labels are left out
    (matplotlib spaces them); a figure saved with ``bbox_inches="tight"`` is not cut, but a text
    beyond its edge then makes the image wider than the column (and shrinks it on the page).
    """
    if not np.isfinite(pad) or pad < 0:
        raise ValueError(f"pad must be a non-negative finite number, got {pad!r}")
    return _crowded_texts(fig, figure_renderer(fig), pad)


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
def problems(fig: Figure, renderer: RendererBase | None = None) -> list[str]:
    """Everything :func:`small_texts`, :func:`legend_collisions`, :func:`hidden_curves` and
    :func:`crowded_texts` find, on the figure's settled layout (drawn once more than the layout
    needs, not once per check: a draw is most of each check's cost), or on ``renderer``: a renderer
    of a draw of the figure as it is now (:func:`~lazylib.viz.legibility.figure_renderer`), which the
    caller vouches for."""
    return _problems(fig, settled_renderer(fig) if renderer is None else renderer)


def _problems(fig: Figure, renderer: RendererBase) -> list[str]:
    return (
        _small_texts(fig, renderer)
        + _legend_collisions(fig, renderer)
        + _hidden_curves(fig)
        + _crowded_texts(fig, renderer)
    )
