"""The wide (16:9) layout of the slides' figures (lazylib.viz.layout, finish_figure(layout="wide")).

Checked against what a slide needs, measured independently: the PNG the notebooks' inline backend
would write (bbox "tight" at 200 dpi) fits the slide's 1232x690 figure box at a scale where 9 pt
text (25 px at 200 dpi) is >= 20 px; the panels keep their reading order; the legibility checks pass.
"""

from __future__ import annotations

import io

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from lazylib.viz import layout
from lazylib.viz.case_study import plot_initial_risk
from lazylib.viz.legibility import problems
from lazylib.viz.style import FIGURE_DPI, MIN_FONT_PT, _wrap_label, book_style, finish_figure

BOX = (1232, 690)
SCALE = 20.0 / (MIN_FONT_PT * FIGURE_DPI / 72)  # 0.8: 9 pt at 200 dpi shown at 20 px


def _png_size(fig) -> tuple[int, int]:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=FIGURE_DPI, bbox_inches="tight")
    head = buf.getvalue()[:24]
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def _stacked(nrows: int, ncols: int, height: float, same_legend: bool = True):
    fig, axes = plt.subplots(nrows, ncols, figsize=(7.0, height), squeeze=False)
    x = np.geomspace(10, 1000, 6)
    for k, ax in enumerate(axes.flat):
        ax.loglog(x, x**-0.5 * (k + 1), "o-", label="measured")
        ax.loglog(x, x**-0.5 * (k + 1.1), "--", label="law" if same_legend else f"law {k}")
        ax.set_title(f"panel {k}")
        ax.set_xlabel("width m")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.3), ncols=2)
    return fig, list(axes.flat)


def test_figure_layout_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(layout.LAYOUT_VAR, raising=False)
    assert layout.figure_layout() == "page"
    monkeypatch.setenv(layout.LAYOUT_VAR, "wide")
    assert layout.figure_layout() == "wide"
    monkeypatch.setenv(layout.LAYOUT_VAR, "slides")
    with pytest.raises(ValueError, match=layout.LAYOUT_VAR):
        layout.figure_layout()


def test_fits_a_slide_is_the_box_aspect() -> None:
    assert layout.fits_a_slide(1232, 690) and layout.fits_a_slide(1380, 740)
    assert not layout.fits_a_slide(1380, 940)  # page 01's ReLU figure before
    with pytest.raises(ValueError, match="width"):
        layout.fits_a_slide(0, 1)


@pytest.mark.parametrize(
    ("panels", "nrows", "grid"), [(4, 2, (2, 2)), (3, 3, (1, 3)), (2, 1, (1, 2)), (1, 1, (1, 1))]
)
def test_wide_grid(panels: int, nrows: int, grid: tuple[int, int]) -> None:
    assert layout.wide_grid(panels, nrows) == grid


@pytest.mark.parametrize("bad", [0, -1, 1.5, True])
def test_wide_grid_bad_input(bad) -> None:
    with pytest.raises(ValueError, match="panels"):
        layout.wide_grid(bad, 1)


def test_widen_three_stacked_panels_fit_a_slide_legibly() -> None:
    with book_style():
        fig, axes = _stacked(3, 1, 8.4)
        before = _png_size(fig)
        assert before[1] * SCALE > BOX[1]  # too tall as a page figure: the case to fix
        finish_figure(fig, layout="wide", check=False)
        width, height = _png_size(fig)
        # one row, in reading order, one shared legend under the panels
        boxes = [ax.get_position() for ax in axes]
        assert all(abs(b.y0 - boxes[0].y0) < 1e-6 for b in boxes)
        assert [b.x0 for b in boxes] == sorted(b.x0 for b in boxes)
        assert [ax.get_legend() for ax in axes] == [None] * 3 and len(fig.legends) == 1
        assert problems(fig) == []
        plt.close(fig)
    assert tuple(fig.get_size_inches()) == pytest.approx(layout.WIDE_FIGSIZE)
    assert width * SCALE <= BOX[0] + 0.5 and height * SCALE <= BOX[1] + 0.5, (width, height)


def _initial_risk(figsize: tuple[float, float]):
    """Page 04's initial-risk figure (three stacked panels, each its own legend) on small data."""
    fig, axes = plt.subplots(3, 1, figsize=figsize)
    alphas, ms, ns = (
        np.geomspace(0.01, 100, 9),
        np.array([10, 30, 100, 300, 1000, 3000]),
        2 ** np.arange(1, 7),
    )
    risk = 2.0 + 200.0 * alphas**2
    plot_initial_risk(
        axes[0],
        alphas,
        risk,
        risk * 1.01,
        r"$\alpha$",
        r"against $\alpha$ ($m=100$, $n=10$)",
        400,
        fit=alphas >= 1,
        floor=1.8,
    )
    plot_initial_risk(
        axes[1], ms, 200.0 * ms, 202.0 * ms, "width $m$", r"against $m$ ($\alpha=10$, $n=10$)", 400
    )
    plot_initial_risk(
        axes[2],
        ns,
        2000.0 * ns,
        1990.0 * ns,
        "number of points $n$",
        r"against $n$ ($\alpha=10$, $m=100$)",
        400,
        integer_ticks=True,
    )
    return fig, list(axes)


def test_widen_initial_risk_fits_a_slide_legibly() -> None:
    """Page 04's figure: three different legends, each wider than its panel in one row of three; their
    labels go in lines, so no panel is narrowed (before: the n panel's ticks 16, 32, 64 overlapped)."""
    with book_style():
        fig, axes = _initial_risk((7.0, 8.4))
        finish_figure(fig, layout="wide", check=False)
        width, height = _png_size(fig)
        assert problems(fig) == []
        renderer = fig.canvas.get_renderer()
        panels = [ax.get_window_extent(renderer) for ax in axes]
        legends = [ax.get_legend().get_window_extent(renderer) for ax in axes]
        assert all(abs(b.y0 - panels[0].y0) < 1 for b in panels)  # one row
        assert min(b.width for b in panels) >= 0.9 * max(b.width for b in panels)  # none squeezed
        assert all(leg.width <= b.width + 1 and leg.y1 < b.y0 for leg, b in zip(legends, panels, strict=True))
        assert "\n" in axes[0].get_legend().get_texts()[0].get_text()  # "mean of 400 draws" / "(slope 2.00)"
        plt.close(fig)
    assert layout.fits_a_slide(*fig.get_size_inches())
    assert width * SCALE <= BOX[0] + 0.5 and height * SCALE <= BOX[1] + 0.5, (width, height)


def test_wide_legend_wrapping_leaves_the_page_layout() -> None:
    with book_style():
        page, _ = _initial_risk((7.0, 8.4))
        finish_figure(page, layout="page", check=False)
        assert all("\n" not in t.get_text() for ax in page.axes for t in ax.get_legend().get_texts())
        plt.close(page)


@pytest.mark.parametrize(
    ("label", "limit", "wrapped"),
    [
        ("mean of 400 draws (slope 2.00)", 18, "mean of 400 draws\n(slope 2.00)"),
        ("mean of 400 draws (slope 2.00)", 40, "mean of 400 draws (slope 2.00)"),
        (r"$\mathbb{E}\hat R_0$ (quadrature)", 5, "$\\mathbb{E}\\hat R_0$\n(quadrature)"),
        (r"a $x = 1$ b", 3, "a\n$x = 1$\nb"),  # mathtext is never broken
        (r"$\frac{1}{2}\|y\|^2$", 1, r"$\frac{1}{2}\|y\|^2$"),
    ],
)
def test_wrap_label(label: str, limit: int, wrapped: str) -> None:
    assert _wrap_label(label, limit) == wrapped


def test_widen_leaves_a_figure_that_fits() -> None:
    with book_style():
        fig, axes = _stacked(1, 2, 3.6)
        positions = [tuple(ax.get_position().bounds) for ax in axes]
        assert layout.widen(fig) is False
        assert tuple(fig.get_size_inches()) == pytest.approx((7.0, 3.6))
        assert [tuple(ax.get_position().bounds) for ax in axes] == positions
        plt.close(fig)


def test_page_layout_changes_nothing() -> None:
    with book_style():
        fig, _ = _stacked(3, 1, 8.4)
        finish_figure(fig, layout="page", check=False)
        assert tuple(fig.get_size_inches()) == pytest.approx((7.0, 8.4))
        plt.close(fig)


def test_finish_figure_bad_layout() -> None:
    with book_style():
        fig, _ = _stacked(1, 1, 3.6)
        with pytest.raises(ValueError, match="layout"):
            finish_figure(fig, layout="slides", check=False)
        plt.close(fig)
