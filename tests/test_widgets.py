"""Tests of the explorers (lazylib.widgets) and of their offline HTML players (lazylib._player).

Every explorer's draw function is called at the extremes and the middle of each control (the
others at their defaults) and must give a figure with the expected axes, labels and lines. Every
static player must embed all its frames and load nothing from the network. Redraw times are
measured and printed (run with ``-s`` to see them), never asserted: the machine is shared.
"""

from __future__ import annotations

import base64
import json
import os
import re
import time

import numpy as np
import pytest
from matplotlib.figure import Figure

from lazylib import widgets
from lazylib._player import figure_png, player_html
from lazylib.widgets import EXPLORERS, Control, Explorer, explorer

SECTIONS = list(EXPLORERS)

#: Lines (matplotlib Line2D, including axhline) expected on (left, right) axes of each explorer.
EXPECTED_LINES = {
    "recall": (4, 3),
    "setup": (4, 2),
    "theorem": (3, 4),
    "case_study": (6, 4),
    "lemma_8_1": (2, 4),
    "eigenvalues": (4, 2),
    "lazy_active": (3 + 2 * 20 + 3, len(widgets.LAZY_NUS) + 2),
}

REDRAW_TIMES: dict[str, float] = {}


def _settings(ex: Explorer) -> list[dict]:
    """Each control at its first, middle and last value, the others at their defaults."""
    out = []
    for name, ctrl in ex.controls.items():
        vals = ctrl.values
        for v in dict.fromkeys((vals[0], vals[len(vals) // 2], vals[-1])):
            out.append({name: v})
    return out


def _check_figure(section: str, fig: Figure, params: dict) -> None:
    axes = fig.axes
    assert len(axes) == 2, f"{section} {params}: expected two panels"
    assert fig.get_suptitle(), f"{section} {params}: no suptitle"
    for ax in axes:
        assert ax.get_xlabel() and ax.get_ylabel(), f"{section} {params}: unlabelled axis"
        assert ax.get_title(), f"{section} {params}: untitled panel"
        assert ax.get_legend() is not None, f"{section} {params}: no legend"
        for line in ax.get_lines():
            y = np.asarray(line.get_ydata(), dtype=float)
            assert not np.any(np.isinf(y)), f"{section} {params}: infinite values drawn"
    if section == "lemma_8_2":
        left, right = (len(ax.get_lines()) for ax in axes)
        circles = len(axes[0].patches)
        assert left == 2
        assert (right, circles) in {(1, 0), (2, 1)}, "the ball is drawn with its radius, or neither"
    else:
        counts = tuple(len(ax.get_lines()) for ax in axes)
        assert counts == EXPECTED_LINES[section], f"{section} {params}: lines {counts}"
    if section != "lazy_active":  # every other explorer draws a bound dashed beside the measured curve
        styles = {line.get_linestyle() for ax in axes for line in ax.get_lines()}
        assert "--" in styles, f"{section} {params}: no dashed bound"


@pytest.mark.parametrize("section", SECTIONS)
def test_draw_at_extremes_and_middle(section: str) -> None:
    ex = explorer(section)
    for params in _settings(ex):
        fig = ex.figure(**params)
        _check_figure(section, fig, params)
    start = time.perf_counter()
    ex.redraw_time()  # cached: what moving a slider back to a visited value costs
    REDRAW_TIMES[section] = time.perf_counter() - start


@pytest.mark.parametrize("section", SECTIONS)
def test_player_embeds_every_frame_and_no_remote_script(section: str) -> None:
    ex = explorer(section)
    html = ex.player_html()
    moving = [c for c in ex.controls.values() if len(c.player_values) > 1]
    expected = int(np.prod([len(c.player_values) for c in moving])) if moving else 1
    assert f'data-frames="{expected}"' in html
    data = re.search(r'<script type="application/json" class="lazy-player-data">(.*?)</script>', html, re.S)
    assert data is not None
    frames = json.loads(data.group(1))
    assert len(frames) == expected
    assert all(base64.b64decode(f)[:8] == b"\x89PNG\r\n\x1a\n" for f in frames)
    assert len(set(frames)) == expected, "two settings gave the same frame"
    assert html.count('class="lazy-player-slider"') == len(moving)
    assert not re.search(r"<script[^>]*\bsrc=", html), "no external script"
    markup = html.replace(data.group(1), "")
    markup = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", markup)
    assert "http" not in markup.lower(), "no remote resource in the player's markup"
    assert len(html) < 1_500_000, f"player of {len(html) / 1e6:.2f} MB"
    print(f"\n[player] {section}: {expected} frames, {len(html) / 1e6:.3f} MB")


def test_player_is_deterministic() -> None:
    ex = explorer("eigenvalues")
    assert ex.player_html() == ex.player_html()


def test_players_and_explorers_entry_points() -> None:
    from IPython.display import HTML

    player = widgets.eigenvalues_player()
    assert isinstance(player, HTML)
    assert 'class="lazy-player"' in player.data
    for section in SECTIONS:
        assert callable(getattr(widgets, f"{section}_explorer"))
        assert callable(getattr(widgets, f"{section}_player"))


def _widget_tree(widget):  # every widget below (and including) ``widget``
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _widget_tree(child)


def test_live_widget_redraws_an_image_and_holds_no_output_widget() -> None:
    ipywidgets = pytest.importorskip("ipywidgets")
    ui = widgets.setup_explorer()
    assert isinstance(ui, ipywidgets.VBox)
    controls, image = ui.children
    assert isinstance(image, ipywidgets.Image)
    assert image.value == explorer("setup").png()  # the default frame, drawn at once
    # An Output widget would make headless clients send comm messages on the shell socket
    # mid-cell, the trigger of the execution stall documented in Explorer.widget.
    assert not any(isinstance(x, ipywidgets.Output) for x in _widget_tree(ui))
    slider = controls.children[0]
    assert isinstance(slider, ipywidgets.SelectionSlider)
    assert slider.continuous_update is False
    assert slider.value == 1.0
    before = image.value
    slider.value = widgets.SETUP_ALPHAS[-1]  # redraws without a kernel
    assert image.value != before
    assert image.value == explorer("setup").png(alpha=widgets.SETUP_ALPHAS[-1])


def test_bad_inputs() -> None:
    ex = explorer("setup")
    with pytest.raises(ValueError, match="alpha"):
        ex.figure(alpha=123.0)
    with pytest.raises(ValueError, match="unknown control"):
        ex.figure(beta=1.0)
    with pytest.raises(ValueError, match="section"):
        explorer("nope")
    with pytest.raises(ValueError, match="values"):
        Control("x", ())
    with pytest.raises(ValueError, match="default"):
        Control("x", (1, 2), default=3)
    with pytest.raises(ValueError, match="static"):
        Control("x", (1, 2), static=(3,))
    with pytest.raises(ValueError, match="controls"):
        Explorer(lambda fig: None, {})


def test_player_html_validates_grid() -> None:
    fig = Figure(figsize=(2, 1))
    fig.add_subplot().plot([0, 1])
    png = figure_png(fig, dpi=40)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    html = player_html([png, png], ["a"], [["1", "2"]], [1])
    assert 'data-frame="1"' in html and 'max="1"' in html
    with pytest.raises(ValueError, match="frames"):
        player_html([png], ["a"], [["1", "2"]], [0])
    with pytest.raises(ValueError, match="initial"):
        player_html([png, png], ["a"], [["1", "2"]], [2])
    with pytest.raises(ValueError, match="one entry per control"):
        player_html([png, png], ["a", "b"], [["1", "2"]], [0])


def test_report_redraw_times() -> None:
    """Print the cached redraw time of each explorer (nothing asserted)."""
    for section in SECTIONS:
        if section not in REDRAW_TIMES:
            REDRAW_TIMES[section] = explorer(section).redraw_time()
    print("\n[redraw] " + ", ".join(f"{k}: {v:.3f} s" for k, v in REDRAW_TIMES.items()))


def test_player_in_chromium(tmp_path) -> None:
    """The offline player in a real browser: its sliders change the frame, nothing is fetched."""
    sync_api = pytest.importorskip("playwright.sync_api")
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not os.path.exists(chromium):
        pytest.skip(f"no chromium at {chromium}")
    page_file = tmp_path / "player.html"
    page_file.write_text(
        "<!doctype html><html><head><meta charset='utf-8'><title>player</title></head><body>"
        + explorer("lemma_8_1").player_html()
        + "</body></html>",
        encoding="utf-8",
    )
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=args)
        try:
            page = browser.new_page()
            fetched: list[str] = []
            page.on("request", lambda r: fetched.append(r.url))
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(page_file.as_uri(), wait_until="load")
            img = "img.lazy-player-frame"
            sliders = page.query_selector_all("input.lazy-player-slider")
            assert len(sliders) == 2  # family and speed (λ is fixed in the player)
            seen = {page.eval_on_selector(img, "e => e.dataset.frame + e.src.length")}
            for slider in sliders:
                slider.fill("0")
                slider.dispatch_event("input")
                seen.add(page.eval_on_selector(img, "e => e.dataset.frame + e.src.length"))
            values = [s.text_content() for s in page.query_selector_all(".lazy-player-value")]
        finally:
            browser.close()
    assert len(seen) == 3, "each slider move shows another frame"
    assert values == ["identity", "0.5"]
    assert not errors, errors
    remote = [u for u in fetched if not u.startswith(("file:", "data:"))]
    assert not remote, f"the player fetched {remote}"
