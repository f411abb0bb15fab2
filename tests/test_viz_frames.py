"""The offline player's frames: rendered faster, the same pixels (issue 23 §3)."""

from __future__ import annotations

import itertools

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.scale import LogScale
from matplotlib.ticker import LogLocator, NullLocator

from lazylib.viz import EXPLORERS
from lazylib.viz.explorer import PLAYER_COLORS, PLAYER_DPI, Control, Explorer


def _old_draw_into(self: Explorer, fig: Figure, params: dict) -> None:
    """How frames were drawn before: the minor ticks of log axes spanning >= 100 dropped after ``draw``
    (its legend layout had made them)."""
    fig.subplots_adjust(**self.margins)
    self.draw(fig, **self._params(params))
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            if axis.get_scale() == "log" and lo > 0 and hi / lo >= 100:
                axis.set_minor_locator(NullLocator())


@pytest.mark.parametrize("section", ["eigenvalues", "recall"])  # log axes over many decades, legends below
def test_frames_are_the_bytes_the_old_drawing_gave(section: str, monkeypatch) -> None:
    ex = EXPLORERS[section]()
    new = ex.png(PLAYER_DPI, 128)
    old_ex = EXPLORERS[section]()
    monkeypatch.setattr(Explorer, "_draw_into", _old_draw_into)
    old = old_ex.png(PLAYER_DPI, 128)
    assert new == old


def _log_frame(lo: float, hi: float) -> Explorer:
    def draw(fig: Figure, k: int) -> None:
        ax = fig.add_subplot()
        x = np.geomspace(lo, hi, 20)
        ax.loglog(x, x**k)

    return Explorer(draw, {"k": Control("k", (1, 2))}, figsize=(4.0, 3.0))


def test_frame_minor_ticks_only_on_short_log_axes() -> None:
    wide = _log_frame(1.0, 1e4).frame_figure(PLAYER_DPI)
    ax = wide.axes[0]
    wide.canvas.draw()
    assert len(ax.xaxis.get_minorticklocs()) == 0 and len(ax.yaxis.get_minorticklocs()) == 0
    assert len(ax.xaxis.get_majorticklocs()) > 0
    short = _log_frame(2.0, 30.0).frame_figure(PLAYER_DPI)  # 1.2 decades: minor ticks are needed to read it
    ax = short.axes[0]
    short.canvas.draw()
    assert len(ax.xaxis.get_minorticklocs()) > 5
    # the same as matplotlib's own minor locator there
    ref = LogLocator(10.0, "auto")
    ref.set_axis(ax.xaxis)
    major = ax.xaxis.get_majorticklocs()
    assert np.allclose(ax.xaxis.get_minorticklocs(), [t for t in ref() if t not in major])


def test_log_scale_defaults_restored_after_a_frame_even_on_error() -> None:
    original = LogScale.set_default_locators_and_formatters

    def broken(fig: Figure, k: int) -> None:
        fig.add_subplot().set_xscale("log")
        raise RuntimeError("draw failed")

    with pytest.raises(RuntimeError, match="draw failed"):
        Explorer(broken, {"k": Control("k", (1, 2))}).frame_figure(PLAYER_DPI)
    assert LogScale.set_default_locators_and_formatters is original
    fig = Figure()
    ax = fig.add_subplot()
    ax.set_xscale("log")  # outside a frame: matplotlib's own minor locator
    assert type(ax.xaxis.get_minor_locator()) is LogLocator  # not the frames' subclass


def test_player_frames_encoded_alongside_are_the_frames_one_by_one() -> None:
    """Explorer.frames quantises and compresses each frame in a thread while drawing the next: the
    bytes are those of Explorer.png, frame by frame, in the grid's order."""
    ex = EXPLORERS["lemma_8_1"]()
    frames, _names, labels, _ = ex.frames()
    assert len(frames) == int(np.prod([len(v) for v in labels])) > 3
    moving = [n for n, c in ex.controls.items() if len(c.player_values) > 1]
    grids = [ex.controls[n].player_values for n in moving]
    one_by_one = [
        explorer_png(ex, dict(zip(moving, combo, strict=True))) for combo in itertools.product(*grids)
    ]
    assert frames == one_by_one
    assert len(set(frames)) == len(frames), "every setting its own frame"


def explorer_png(ex: Explorer, params: dict) -> bytes:
    return ex.png(PLAYER_DPI, PLAYER_COLORS, **params)


def test_player_frames_fail_as_png_does() -> None:
    def broken(fig: Figure, k: int) -> None:
        fig.add_subplot().plot([0, 1], [0, k])
        if k == 2:
            raise RuntimeError("frame 2 failed")

    ex = Explorer(broken, {"k": Control("k", (1, 2, 3))})
    with pytest.raises(RuntimeError, match="frame 2 failed"):
        ex.frames()
    with pytest.raises(ValueError, match="dpi"):
        Explorer(broken, {"k": Control("k", (1, 3))}, figsize=(1000.0, 1000.0)).frames()
