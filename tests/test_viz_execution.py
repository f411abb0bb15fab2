"""lazylib.viz.execution: the book's figures stored as palette PNGs (issue 25, page weight)."""

from __future__ import annotations

import base64
import functools
import io

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from IPython.core.formatters import PNGFormatter
from IPython.core.pylabtools import print_figure
from matplotlib.figure import Figure
from PIL import Image

from lazylib.viz.execution import FIGURE_COLORS, palette_png, store_palette_figures
from lazylib.viz.style import book_style


def _figure() -> Figure:
    """A book-like figure: log-log lines with markers, a legend, a filled band, mathtext."""
    with book_style():
        fig = Figure(figsize=(7.0, 3.8), dpi=200)
        ax1, ax2 = fig.subplots(1, 2)
        x = np.geomspace(1, 1e3, 30)
        for k in (0.5, 1.0, 2.0):
            ax1.loglog(x, x**k, "o-", ms=3, label=f"$x^{{{k}}}$")
        ax1.legend()
        ax2.fill_between(x, np.sin(x / 100), np.sin(x / 100) + 0.3, alpha=0.3)
        ax2.plot(x, np.cos(x / 80), "--")
        ax2.set_title(r"$\lambda_{\min}(K_\infty)$")
    return fig


def _rgb(png: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(png)) as img:
        return np.asarray(img.convert("RGB"), dtype=float)


class _Shell:
    """The part of an IPython shell that store_palette_figures uses: its display formatters."""

    def __init__(self) -> None:
        formatter = PNGFormatter()
        inline = functools.partial(print_figure, fmt="png", base64=True, bbox_inches="tight")
        formatter.for_type(Figure, inline)
        self.display_formatter = type("DF", (), {"formatters": {"image/png": formatter}})()


def test_palette_png_keeps_the_pixels_and_is_smaller() -> None:
    buf = io.BytesIO()
    _figure().savefig(buf, format="png")
    rgba = buf.getvalue()
    with Image.open(io.BytesIO(rgba)) as img:
        small = palette_png(img, FIGURE_COLORS)
    with Image.open(io.BytesIO(small)) as out:
        assert out.mode == "P" and out.size == Image.open(io.BytesIO(rgba)).size
    diff = np.abs(_rgb(small) - _rgb(rgba)).max(axis=2)
    # antialiased edges may move by a few levels; the image as a whole does not change
    assert diff.mean() < 0.5 and np.percentile(diff, 99) < 16, (diff.mean(), np.percentile(diff, 99))
    assert len(small) < 0.6 * len(rgba), (len(small), len(rgba))
    with Image.open(io.BytesIO(rgba)) as img:
        assert palette_png(img, FIGURE_COLORS) == small, "deterministic"


def test_palette_png_keeps_the_resolution() -> None:
    """The pHYs chunk (dpi) survives: the site reads a figure's text size from it."""
    for dpi in (100, 200):
        buf = io.BytesIO()
        _figure().savefig(buf, format="png", dpi=dpi)
        with Image.open(buf) as img:
            small = palette_png(img, FIGURE_COLORS)
        with Image.open(io.BytesIO(small)) as out:
            assert out.info.get("dpi") == pytest.approx((dpi, dpi), abs=0.02)
    with Image.open(io.BytesIO(palette_png(Image.new("RGB", (4, 4), "white"), 2))) as out:
        assert "dpi" not in out.info  # none given, none invented


def test_palette_png_rejects_bad_input() -> None:
    img = Image.new("RGB", (4, 4), "white")
    for colors in (0, 257, 1.5, True):
        with pytest.raises(ValueError, match="colors"):
            palette_png(img, colors)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="image"):
        palette_png(b"\x89PNG", 16)  # type: ignore[arg-type]


def test_store_palette_figures_only_when_executing_for_the_book(monkeypatch) -> None:
    fig = _figure()
    shell = _Shell()
    formatter = shell.display_formatter.formatters["image/png"]
    before = base64.b64decode(formatter(fig))
    monkeypatch.delenv("LAZYLIB_BOOK_EXECUTE", raising=False)
    assert store_palette_figures(shell) is False
    assert base64.b64decode(formatter(fig)) == before, "a reader's kernel keeps the RGBA PNG"
    monkeypatch.setenv("LAZYLIB_BOOK_EXECUTE", "1")
    assert store_palette_figures(shell) is True
    assert store_palette_figures(shell) is True  # a second call does not wrap twice
    inner = formatter.lookup_by_type(Figure)
    assert inner.lazylib_inner.func is print_figure
    after = base64.b64decode(formatter(fig))
    with Image.open(io.BytesIO(after)) as img:
        assert img.mode == "P"
        assert img.size == Image.open(io.BytesIO(before)).size, "same pixels: dpi and tight box kept"
    assert np.abs(_rgb(after) - _rgb(before)).max(axis=2).mean() < 0.5
    assert len(after) < 0.6 * len(before)
    assert formatter(Figure()) is None, "an empty figure still shows nothing"


def test_store_palette_figures_without_ipython_or_inline_backend(monkeypatch) -> None:
    monkeypatch.setenv("LAZYLIB_BOOK_EXECUTE", "1")
    assert store_palette_figures() is False  # pytest is not an IPython kernel
    shell = _Shell()
    shell.display_formatter.formatters["image/png"] = PNGFormatter()  # no figure formatter registered
    assert store_palette_figures(shell) is False
