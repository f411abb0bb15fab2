"""Figure layouts: the page's column, or a wide 16:9 layout for the lecturer's edition (the slides).

A page figure is :data:`~lazylib.viz.style.FIGURE_WIDTH` = 7 inches wide and as tall as its panels
need; some (a 2×2 or 3×1 grid of panels) are taller than wide. A reveal.js slide is 1280×720 CSS px:
such a figure can be shown whole there only so small that its 9 pt text falls under 20 px, too small
for the back of a room. The ``"wide"`` layout re-arranges the same panels, already drawn, into a
grid of few rows on a :data:`WIDE_FIGSIZE` figure (the panels keep their order, reading row by row),
which a slide shows at >= 0.8 of its 200 dpi size: 9 pt text (25 px there) at >= 20 px.

:func:`~lazylib.viz.style.finish_figure` (the end of every figure cell) applies the layout its
``layout`` argument names, by default the one of the environment variable :data:`LAYOUT_VAR`
(``LAZYLIB_FIGURE_LAYOUT``; unset: ``"page"``). ``make slides`` sets it to ``"wide"`` to render the
figures that do not fit a slide from the same notebook cells (``_ext/book_slides.py``); the site, the
PDF and JupyterLab keep the page layout. A figure that already fits a slide is left as it is.
"""

from __future__ import annotations

import math
import os
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.gridspec import GridSpec, SubplotSpec
from matplotlib.legend import Legend
from matplotlib.ticker import Formatter, LogFormatter

from .legibility import figure_renderer

__all__ = [
    "LAYOUTS",
    "LAYOUT_VAR",
    "PANEL_MARGINS",
    "SLIDE_ASPECT",
    "WIDE_FIGSIZE",
    "figure_layout",
    "fits_a_slide",
    "wide_grid",
    "widen",
]

#: The layouts :func:`~lazylib.viz.style.finish_figure` knows: the page's column, a 16:9 slide.
LAYOUTS = ("page", "wide")
#: Name of the environment variable that chooses the layout of every figure (``"page"`` or ``"wide"``).
LAYOUT_VAR = "LAZYLIB_FIGURE_LAYOUT"
#: Size in inches of a figure in the wide layout (at 200 dpi at most 1520×840 px, which fits the
#: slide's figure box, 1232×690 CSS px below the title, at a scale >= 0.8).
WIDE_FIGSIZE = (7.6, 4.2)
#: Inches of a panel's width and height that its tick labels, axis labels and title take (9-10.5 pt).
PANEL_MARGINS = (0.55, 0.65)
#: Height over width of the largest figure a slide shows whole with legible text (the figure box's).
SLIDE_ASPECT = 690 / 1232


def figure_layout() -> str:
    """The layout the environment asks for: :data:`LAYOUT_VAR`, ``"page"`` when unset or empty.

    Raises
    ------
    ValueError
        If the variable names no layout of :data:`LAYOUTS` (a typo must not silently change nothing).
    """
    value = os.environ.get(LAYOUT_VAR, "").strip() or "page"
    if value not in LAYOUTS:
        raise ValueError(f"environment variable {LAYOUT_VAR} must be one of {LAYOUTS}, got {value!r}")
    return value


def fits_a_slide(width: float, height: float) -> bool:
    """Whether a figure of this size (any unit) is no taller, for its width, than a slide's figure box."""
    if not (width > 0 and height > 0 and math.isfinite(width) and math.isfinite(height)):
        raise ValueError(f"width and height must be positive and finite, got {width!r}, {height!r}")
    return height / width <= SLIDE_ASPECT + 1e-9


def wide_grid(panels: int, nrows: int) -> tuple[int, int]:
    """The grid (rows, columns) of the wide layout for ``panels`` panels that the page stacks in
    ``nrows`` rows: among the grids of at most ``nrows`` rows that hold them with no empty row, the
    one whose panels' plotting area on a :data:`WIDE_FIGSIZE` figure has the longest shorter side
    (each panel loses :data:`PANEL_MARGINS` to its tick labels, axis labels and title); ties go to
    fewer rows.

    Raises
    ------
    ValueError
        If a count is not a positive integer.
    """
    for name, value in (("panels", panels), ("nrows", nrows)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    width, height = WIDE_FIGSIZE
    best: tuple[float, int, int] | None = None
    for rows in range(1, min(nrows, panels) + 1):
        cols = math.ceil(panels / rows)
        if (rows - 1) * cols >= panels:
            continue  # an empty row
        side = min(width / cols - PANEL_MARGINS[0], height / rows - PANEL_MARGINS[1])
        if best is None or side > best[0] + 1e-9:
            best = (side, rows, cols)
    assert best is not None
    return best[1], best[2]


class _FewMinorLabels(Formatter):
    """A log axis's minor-tick labels, only at 2 and 5 times a power of ten (matplotlib labels 2, 3,
    4 and 6 on an axis of one or two decades, which overlap on a short panel); none where matplotlib
    labels none."""

    def __init__(self, inner: LogFormatter) -> None:
        self.inner = inner

    def set_axis(self, axis: Any) -> None:
        super().set_axis(axis)
        self.inner.set_axis(axis)

    def set_locs(self, locs: Any) -> None:
        self.inner.set_locs(locs)

    def __call__(self, x: float, pos: int | None = None) -> str:
        label = str(self.inner(x, pos))
        if not label or not x > 0:
            return label
        mantissa = x / 10 ** math.floor(math.log10(x) + 1e-9)
        return label if round(mantissa) in (2, 5) else ""


def _spec(ax: Axes) -> SubplotSpec:
    spec = ax.get_subplotspec()
    assert spec is not None
    return spec


def _panels(fig: Figure) -> list[Axes] | None:
    """The figure's panels (axes placed by one grid spec), in reading order, or ``None`` when the
    figure has axes of another grid or none (left as they are). Insets are not panels: they follow
    their axes."""
    panels = [ax for ax in fig.axes if ax.get_subplotspec() is not None]
    if not panels or len({id(_spec(ax).get_gridspec()) for ax in panels}) != 1:
        return None
    return sorted(panels, key=lambda ax: (_spec(ax).rowspan.start, _spec(ax).colspan.start))


def widen(fig: Figure) -> bool:
    """Re-lay ``fig`` out for a slide: a figure taller than :data:`SLIDE_ASPECT` for its width gets
    :data:`WIDE_FIGSIZE` and its panels, in reading order, the grid of :func:`wide_grid`. Returns
    whether the figure changed (a figure that fits a slide, or whose axes are not one grid of
    panels, is left as it is). Legends: when every panel has the same legend, one legend under all
    the panels replaces them; in several rows, when the panels of each column share theirs, the
    column's lowest panel keeps it, else each legend goes beside its axes; in one row they stay
    (:func:`~lazylib.viz.style.finish_figure` anchors those under their axes again, in as many
    columns as fit, and breaks the labels of a legend wider than its panel into lines)."""
    width, height = fig.get_size_inches()
    if fits_a_slide(width, height):
        return False
    panels = _panels(fig)
    if panels is None:
        return False
    grid = _spec(panels[0]).get_gridspec()
    rows, cols = wide_grid(len(panels), grid.nrows)
    new = GridSpec(rows, cols, figure=fig)
    for k, ax in enumerate(panels):
        ax.set_subplotspec(new[k // cols, k % cols])
    fig.set_size_inches(*WIDE_FIGSIZE)
    for ax in panels:  # shorter panels: fewer labelled minor ticks on log axes
        for axis in (ax.xaxis, ax.yaxis):
            inner = axis.get_minor_formatter()
            if isinstance(inner, LogFormatter):
                axis.set_minor_formatter(_FewMinorLabels(inner))
    if not _one_legend_below(fig, panels) and rows > 1 and not _one_legend_per_column(panels, cols):
        for ax in panels:  # several rows, each panel its own legend: beside its axes, where a row has room
            legend = ax.get_legend()
            if legend is not None:
                handles, labels = _entries(legend)
                title = legend.get_title().get_text() or None
                ax.legend(handles, labels, title=title, loc="center left", bbox_to_anchor=(1.02, 0.5))
    return True


def _entries(legend: Legend) -> tuple[list[Any], list[str]]:
    pairs = [(h, t.get_text()) for h, t in zip(legend.legend_handles, legend.get_texts(), strict=True)]
    return [h for h, _ in pairs if h is not None], [label for h, label in pairs if h is not None]


def _same_legends(legends: list[Legend | None]) -> bool:
    if any(leg is None for leg in legends):
        return False
    keys = [(leg.get_title().get_text(), _entries(leg)[1]) for leg in legends if leg is not None]
    return all(key == keys[0] for key in keys)


def _one_legend_per_column(panels: list[Axes], cols: int) -> bool:
    """When the panels of each column share their legend: only the column's lowest panel keeps it (a
    legend under its axes then serves the whole column). Returns whether it did."""
    columns = [panels[c::cols] for c in range(cols)]
    if not all(_same_legends([ax.get_legend() for ax in column]) for column in columns):
        return False
    for column in columns:
        for ax in column[:-1]:
            legend = ax.get_legend()
            if legend is not None:
                legend.remove()
    return True


def _one_legend_below(fig: Figure, panels: list[Axes], pad_pt: float = 4.0) -> bool:
    """When every panel has the same legend: one legend for the figure, under all the panels, in as
    many columns as fit its width (the layout keeps room for it). Returns whether it did."""
    legends = [ax.get_legend() for ax in panels]
    if len(panels) < 2 or not _same_legends(legends):
        return False
    first = legends[0]
    assert first is not None
    handles, labels = _entries(first)
    title = first.get_title().get_text() or None
    for leg in legends:
        if leg is not None:
            leg.remove()
    renderer = figure_renderer(fig, draw=False)
    for ncols in range(len(labels), 0, -1):
        legend = fig.legend(
            handles, labels, title=title, ncols=ncols, loc="lower center", bbox_to_anchor=(0.5, 0.0)
        )
        box = legend.get_window_extent(renderer)
        if box.width <= fig.bbox.width or ncols == 1:
            break
        legend.remove()
    bottom = (box.height + pad_pt / 72 * fig.dpi) / fig.bbox.height
    fig.set_layout_engine("tight", rect=(0.0, bottom, 1.0, 1.0))
    return True
