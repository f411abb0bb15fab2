"""The offline player's frames: rendered faster, the same pixels (issue 23 §3)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from explorer_passes import player, player_settings
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
    rendered = player("lemma_8_1")  # frames() of a fresh explorer, shared with the player tests
    ex = rendered.take_explorer()  # that explorer, its figure as frames() left it
    frames, _names, labels, _ = rendered.frames
    assert len(frames) == int(np.prod([len(v) for v in labels])) > 3
    one_by_one = [explorer_png(ex, params) for params in player_settings(ex)]
    assert frames == one_by_one
    assert len(set(frames)) == len(frames), "every setting its own frame"


def explorer_png(ex: Explorer, params: dict) -> bytes:
    return ex.png(PLAYER_DPI, ex.colors, **params)


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


# ------------------------------------------------------------------ frames updated in place
UPDATING = [name for name, build in EXPLORERS.items() if build().update is not None]


def test_some_page_updates_its_frames() -> None:
    # the pages whose players' grids need it (their notebooks' 10 s budget): theorem's 36 frames,
    # recall's 20 and case_study's 16 (issue 25: at least 4 stops on every fine numeric control)
    assert {"theorem", "recall", "case_study"} <= set(UPDATING)


@pytest.mark.parametrize("section", UPDATING)
def test_updated_frames_are_the_pixels_of_fresh_drawings(section: str) -> None:
    """Every frame of the player, each made by ``update`` from the one before (in the player's order,
    so every control changes, alone and together), is the very PNG a fresh explorer draws.
    The player's frames are those the player tests embed (explorer_passes.player: ``frames()`` of
    an explorer built fresh, rendered once per session); the fresh drawings are made here."""
    rendered = player(section)
    ex = rendered.take_explorer()  # the explorer they were drawn on, as frames() left it
    frames, _names, labels, _ = rendered.frames
    settings = player_settings(ex)
    assert len(frames) == len(settings) == int(np.prod([len(v) for v in labels]))
    fresh = [explorer_png(EXPLORERS[section](), params) for params in settings]  # a new figure each
    differ = [params for params, a, b in zip(settings, frames, fresh, strict=True) if a != b]
    assert not differ, f"{section}: updated frames differ from fresh drawings at {differ}"
    # and backwards (each control steps the other way), on the figure the forward pass left
    assert [explorer_png(ex, params) for params in settings[::-1]] == fresh[::-1]


def _counting_explorer(update_result) -> tuple[Explorer, list[str]]:
    calls: list[str] = []

    def draw(fig: Figure, k: int) -> None:
        calls.append(f"draw {k}")
        fig.add_subplot().plot([0, 1], [0, k])

    def update(fig: Figure, k: int):
        calls.append(f"update {k}")
        if update_result is True:
            ax = fig.axes[0]
            ax.get_lines()[0].set_ydata([0, k])
            ax.relim()
            ax.autoscale_view()
        return update_result

    return Explorer(draw, {"k": Control("k", (1, 2, 3))}, figsize=(2.0, 1.5), update=update), calls


def test_update_is_used_after_a_whole_frame_and_draw_otherwise() -> None:
    ex, calls = _counting_explorer(True)
    pngs = [ex.png(PLAYER_DPI, k=k) for k in (1, 2, 3)]
    assert calls == ["draw 1", "update 2", "update 3"]
    plain = Explorer(ex.draw, ex.controls, figsize=(2.0, 1.5))
    assert pngs == [plain.png(PLAYER_DPI, k=k) for k in (1, 2, 3)]
    assert ex.figure(k=2) is not None and calls[-1] == "draw 2"  # a new figure is always drawn
    ex, calls = _counting_explorer(False)  # an update that cannot: the frame is drawn
    ex.png(PLAYER_DPI, k=1)
    ex.png(PLAYER_DPI, k=2)
    assert calls == ["draw 1", "update 2", "draw 2"]


def test_update_after_a_failed_draw_draws_again() -> None:
    calls: list[str] = []

    def draw(fig: Figure, k: int) -> None:
        calls.append(f"draw {k}")
        fig.add_subplot().plot([0, 1], [0, k])
        if k == 2:
            raise RuntimeError("frame 2 failed")

    ex = Explorer(
        draw, {"k": Control("k", (1, 2, 3))}, update=lambda fig, k: calls.append(f"update {k}") is None
    )
    with pytest.raises(RuntimeError, match="frame 2 failed"):
        ex.png(PLAYER_DPI, k=2)
    ex.png(PLAYER_DPI, k=3)  # the figure holds half a frame: not updated
    assert calls == ["draw 2", "draw 3"]


def test_update_and_colors_are_checked() -> None:
    ex, _ = _counting_explorer("yes")
    ex.png(PLAYER_DPI, k=1)
    with pytest.raises(ValueError, match="update must return"):
        ex.png(PLAYER_DPI, k=2)
    draw = ex.draw
    with pytest.raises(ValueError, match="update"):
        Explorer(draw, {"k": Control("k", (1, 2))}, update="no")
    for bad in (0, 257, 2.5, True):
        with pytest.raises(ValueError, match="colors"):
            Explorer(draw, {"k": Control("k", (1, 2))}, colors=bad)


def test_player_frames_have_the_explorers_colors() -> None:
    import io

    from PIL import Image

    ex = EXPLORERS["theorem"]()
    assert ex.colors < PLAYER_COLORS
    with Image.open(io.BytesIO(ex.png(PLAYER_DPI, ex.colors))) as frame:
        assert frame.mode == "P" and len(frame.getcolors()) <= ex.colors
