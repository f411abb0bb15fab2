"""One rendering of each page explorer's offline player, and one walk over its frames, shared by the
unit tests that check every frame (issue 23: each such test drew every frame again, 130 s of the suite).

A plain module (``from explorer_passes import ...``), like ``factories.py``. Each pass is made on first
use, on an explorer of its own built fresh by :data:`lazylib.viz.EXPLORERS`, and kept for the test
session (``functools.cache``): what the tests assert is unchanged, only who draws it.

* :func:`player`: the player's frames (:meth:`~lazylib.viz.explorer.Explorer.frames`) and its HTML
  (:meth:`~lazylib.viz.explorer.Explorer.player_html` of those very frames: the frames are drawn once,
  not once for each), and the explorer they were drawn on, for the one test that goes on drawing on
  it (:meth:`Player.take_explorer`).
* :func:`frame_checks`: every frame of the player drawn in the player's order into the explorer's
  reused figure (:meth:`~lazylib.viz.explorer.Explorer.frame_figure`), and on each what the
  legibility test and the legend test look at, each check after its own draw of the figure as the
  frame left it (as those tests did in walks of their own); and the still at ``PRINT_DPI``, drawn
  first.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass, field
from typing import Any

from matplotlib.figure import Figure

from lazylib.viz import EXPLORERS
from lazylib.viz.explorer import PLAYER_DPI, PRINT_DPI, Explorer
from lazylib.viz.legibility import figure_renderer
from lazylib.viz.style import book_style, problems

#: the white space a legend keeps from the figure's edges, in points
EDGE_PT = 1.5


def player_settings(ex: Explorer) -> list[dict[str, Any]]:
    """The settings of the player's frames, in its order (row-major, the last moving control fastest)."""
    moving = [n for n, c in ex.controls.items() if len(c.player_values) > 1]
    grids = [ex.controls[n].player_values for n in moving]
    return [dict(zip(moving, combo, strict=True)) for combo in itertools.product(*grids)]


@dataclass
class Player:
    """A page's offline player, rendered once."""

    frames: tuple[list[bytes], list[str], list[list[str]], list[int]]
    """What ``Explorer.frames()`` returned, on a freshly built explorer."""
    html: str
    """``Explorer.player_html()`` of those frames."""
    _explorer: Explorer | None = field(repr=False)

    def take_explorer(self) -> Explorer:
        """The explorer the frames were drawn on, its figure as ``frames()`` left it, for one test only:
        a test that draws on it changes that state, which another test must not inherit."""
        if self._explorer is None:
            raise RuntimeError("the player's explorer was taken by another test: build a fresh one")
        ex, self._explorer = self._explorer, None
        return ex


@functools.cache
def player(section: str) -> Player:
    """The player of ``section`` (a key of ``EXPLORERS``), rendered once per session.

    ``Explorer.player_html`` draws the frames by calling ``self.frames(dpi)``; here that call returns
    the frames just drawn by ``frames()`` on the same explorer (deterministic: the tests check that
    two renderings give the same player), so the HTML is the one ``player_html()`` gives.
    """
    ex = EXPLORERS[section]()
    frames = ex.frames()

    def drawn(dpi: float = PLAYER_DPI) -> tuple[list[bytes], list[str], list[list[str]], list[int]]:
        assert dpi == PLAYER_DPI, dpi
        return frames

    ex.frames = drawn  # type: ignore[method-assign]
    try:
        html = ex.player_html()
    finally:
        del ex.frames  # the method again
    return Player(frames, html, ex)


def legends_outside(fig: Figure, pad_pt: float) -> list[str]:
    """Legends of ``fig`` that come closer than ``pad_pt`` to the figure's edge (or cross it), after
    a full draw (the pixels saved are those of a draw)."""
    renderer = figure_renderer(fig)
    pad = pad_pt / 72.0 * fig.dpi
    width, height = fig.bbox.width, fig.bbox.height
    out = []
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is None or not legend.get_visible():
            continue
        box = legend.get_window_extent(renderer)
        if box.x0 < pad or box.y0 < pad or box.x1 > width - pad or box.y1 > height - pad:
            out.append(f"legend of {ax.get_title()[:40]!r}: {box.bounds} in {width:.0f} x {height:.0f}")
    return out


@dataclass(frozen=True)
class FrameChecks:
    """What the frame-walking tests check, frame by frame, in the player's order."""

    settings: list[dict[str, Any]]
    """The moving controls' values of each frame."""
    problems: list[list[str]]
    """``lazylib.viz.style.problems`` of each frame (under the book's style, as rendered)."""
    legends: list[list[str]]
    """:func:`legends_outside` of each frame (``EDGE_PT``)."""
    still_legends: list[str]
    """:func:`legends_outside` of the default setting at ``PRINT_DPI`` (what the PDF prints)."""
    figsize: tuple[float, float]
    """The explorer's figure size in inches."""


@functools.cache
def frame_checks(section: str) -> FrameChecks:
    """Every frame of ``section``'s player walked once (see the module's docstring).

    The explorer is built fresh, its still at ``PRINT_DPI`` drawn first (a figure of its own); then
    each frame is drawn at ``PLAYER_DPI`` into the one reused figure, updated from the frame before
    where the explorer has an ``update``, as the player's frames are; on each, ``problems`` (one
    draw, under the book's style) and then :func:`legends_outside` (one draw) read the figure as the
    frame left it (neither changes what the next frame draws: a draw lays out the figure as it is).
    """
    ex = EXPLORERS[section]()
    still = legends_outside(ex.frame_figure(PRINT_DPI), EDGE_PT)  # the default setting
    settings = player_settings(ex)
    found, legends = [], []
    for params in settings:
        fig = ex.frame_figure(PLAYER_DPI, **params)
        with book_style():
            found.append(problems(fig))
        legends.append(legends_outside(fig, EDGE_PT))
    return FrameChecks(settings, found, legends, still, ex.figsize)
