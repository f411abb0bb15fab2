"""Tests of the presentation layer (lazylib.viz): explorers, offline players, plot functions, style.

Every registered explorer is drawn at the extremes and the middle of each control (the others at
their defaults) and must give labelled, titled panels with legends, a dashed bound, and frames that
change with the control. Every static player must embed one frame per combination and load
nothing from the network. Each ``plot_<what>(ax, result)`` function must draw the data of the
result object it is given. Redraw times are measured and printed (run with ``-s``), never
asserted: the machine is shared.
"""

from __future__ import annotations

import base64
import functools
import itertools
import json
import os
import re
import time
from pathlib import Path

import matplotlib as mpl
import nbformat
import numpy as np
import pytest
from explorer_passes import player
from factories import CHROMIUM, CHROMIUM_ARGS
from factories import has_line as _has_line
from matplotlib.figure import Figure

from lazylib import fit_power_law, viz
from lazylib.flows import Trajectory, gradient_flow
from lazylib.lazy_active import CentringSweep, Clocks, LazyLimit, ScaleSweep
from lazylib.lemmas import (
    FamilyRisk,
    KernelChange,
    KernelSpectrumChange,
    flow_risk_check,
    projected_paths,
    smooth_problem,
)
from lazylib.viz import EXPLORERS, Control, Explorer, explorer
from lazylib.viz import eigenvalues as viz_eigenvalues
from lazylib.viz import lazy_active as viz_lazy_active
from lazylib.viz import lemma_8_1 as viz_lemma_8_1
from lazylib.viz import lemma_8_2 as viz_lemma_8_2
from lazylib.viz import setup as viz_setup
from lazylib.viz.explorer import figure_png, player_html
from lazylib.viz.style import BOOK_STYLE, book_style, positive_or_nan, use_book_style

SECTIONS = list(EXPLORERS)
ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"


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
    axes = [ax for ax in fig.axes if ax.get_subplotspec() is not None]  # panels, not insets
    assert len(axes) == 2, f"{section} {params}: expected two panels"
    assert fig.get_suptitle(), f"{section} {params}: no suptitle"
    for ax in axes:
        assert ax.get_xlabel() and ax.get_ylabel(), f"{section} {params}: unlabelled axis"
        assert ax.get_title(), f"{section} {params}: untitled panel"
        assert ax.get_legend() is not None, f"{section} {params}: no legend"
        assert ax.get_lines(), f"{section} {params}: empty panel"
        for line in ax.get_lines():
            y = np.asarray(line.get_ydata(), dtype=float)
            assert not np.any(np.isinf(y)), f"{section} {params}: infinite values drawn"
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
def test_frames_change_with_every_control(section: str) -> None:
    ex = explorer(section)
    for name, ctrl in ex.controls.items():
        first, last = ex.png(**{name: ctrl.values[0]}), ex.png(**{name: ctrl.values[-1]})
        assert first != last, f"{section}: moving {name} does not change the frame"


@pytest.mark.parametrize("section", SECTIONS)
def test_player_embeds_every_frame_and_no_remote_script(section: str) -> None:
    ex = explorer(section)
    html = player(section).html  # player_html() of a fresh explorer, rendered once per session
    moving = [c for c in ex.controls.values() if len(c.player_values) > 1]
    expected = int(np.prod([len(c.player_values) for c in moving])) if moving else 1
    assert f'data-frames="{expected}"' in html
    data = re.search(r'<script type="application/json" class="lazy-player-data">(.*?)</script>', html, re.S)
    assert data is not None
    frames = json.loads(data.group(1))
    assert len(frames) == expected
    assert all(base64.b64decode(f)[:8] == b"\x89PNG\r\n\x1a\n" for f in frames)
    assert len(set(frames)) == expected, "two settings gave the same frame"
    # a yes/no control is a checkbox, every other moving control a slider
    assert html.count('class="lazy-player-slider"') == sum(not c.toggle for c in moving)
    assert html.count('type="checkbox" class="lazy-player-toggle"') == sum(c.toggle for c in moving)
    assert not re.search(r"<script[^>]*\bsrc=", html), "no external script"
    markup = html.replace(data.group(1), "")
    markup = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", markup)
    assert "http" not in markup.lower(), "no remote resource in the player's markup"
    assert len(html) < 1_500_000, f"player of {len(html) / 1e6:.2f} MB"
    print(f"\n[player] {section}: {expected} frames, {len(html) / 1e6:.3f} MB")


def test_player_is_deterministic() -> None:
    rendered = player("eigenvalues")  # the player of a fresh explorer
    assert rendered.take_explorer().player_html() == rendered.html  # that explorer's second player


@functools.cache
def _static_eigenvalues():
    """``viz.eigenvalues_explorer(static=True)``, built fresh once for the two tests that read it."""
    return viz.eigenvalues_explorer(static=True)


def test_static_entry_point_is_the_page_player() -> None:
    from IPython.display import HTML

    player = _static_eigenvalues()
    assert isinstance(player, HTML)
    assert 'class="lazy-player"' in player.data
    moving = [c for c in explorer("eigenvalues").controls.values() if len(c.player_values) > 1]
    assert f'data-frames="{int(np.prod([len(c.player_values) for c in moving]))}"' in player.data
    for section in SECTIONS:
        assert not hasattr(viz, f"{section}_player"), "static=True is the one way to get the player"


def test_static_player_carries_the_default_setting_for_print() -> None:
    """The PDF edition shows an explorer as its default setting: the player's output bundle has the
    HTML player and, as image/png (which Sphinx's LaTeX builder picks), that frame at PRINT_DPI."""
    from IPython.core.formatters import DisplayFormatter

    from lazylib.viz.explorer import PRINT_DPI

    data, _ = DisplayFormatter().format(_static_eigenvalues())
    assert 'class="lazy-player"' in data["text/html"]
    png = base64.b64decode(data["image/png"])
    assert png == explorer("eigenvalues").png(PRINT_DPI, 128)  # the default setting, nothing else
    width = int.from_bytes(png[16:20], "big")  # the IHDR chunk
    assert width == round(explorer("eigenvalues").figsize[0] * PRINT_DPI)


@pytest.mark.parametrize("section", SECTIONS)
def test_entry_point_opens_its_own_page_explorer(section: str) -> None:
    """``viz.<section>_explorer()`` holds the live widget of that page's explorer: a drawn frame under
    that explorer's controls, in order (a mix-up of pages changes the labels)."""
    ipywidgets = pytest.importorskip("ipywidgets")
    ex = explorer(section)
    ui = getattr(viz, f"{section}_explorer")().widget
    controls, image = ui.children
    assert isinstance(image, ipywidgets.Image)
    assert image.value[:8] == b"\x89PNG\r\n\x1a\n"
    labels = [c.description for c in controls.children if isinstance(c, ipywidgets.ValueWidget)]
    assert labels == [c.label for c in ex.controls.values() if c.widget() is not None]


def _bundle(obj) -> dict:
    from IPython.core.formatters import DisplayFormatter

    data, _ = DisplayFormatter().format(obj)
    return data


def test_explore_cell_output_is_one_bundle_of_widget_player_and_still(monkeypatch) -> None:
    """The one Explore cell's output, executed for the book: the live widget's view, the player, the
    print still and a deterministic text line, in one bundle (each front end renders one of them)."""
    pytest.importorskip("ipywidgets")
    monkeypatch.setenv("LAZYLIB_BOOK_EXECUTE", "1")
    from lazylib.viz.explorer import PRINT_DPI, WIDGET_VIEW, ExplorerView

    ex = explorer("setup")
    view = viz.setup_explorer()
    assert isinstance(view, ExplorerView)
    data = _bundle(view)
    assert set(data) == {WIDGET_VIEW, "text/html", "image/png", "text/plain"}
    assert data[WIDGET_VIEW]["model_id"] == view.widget.model_id  # the live widget itself
    assert data["text/html"] == player("setup").html  # the very player the site shows (player_html())
    assert base64.b64decode(data["image/png"]) == ex.png(PRINT_DPI, 128)  # the default setting
    other = _bundle(viz.setup_explorer())  # a second view: new widget, same everything else
    assert other[WIDGET_VIEW]["model_id"] != data[WIDGET_VIEW]["model_id"]
    assert {k: v for k, v in other.items() if k != WIDGET_VIEW} == {
        k: v for k, v in data.items() if k != WIDGET_VIEW
    }, "apart from the widget view the output is deterministic (nbval compares it)"
    assert "children=" not in data["text/plain"] and view.widget.model_id not in data["text/plain"]
    with pytest.raises(ValueError, match="explorer"):
        ExplorerView("setup")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="dpi"):
        ExplorerView(ex, dpi=0)


def _pick(priority: list[str], bundle: dict) -> str | None:  # myst-nb's SelectMimeType rule
    return next((m for m in priority if m in bundle), None)


def test_site_shows_the_player_and_pdf_the_still() -> None:
    """myst-nb's own priority lists with _config.yml's overrides: the HTML builder picks the player
    whether or not the widget view was stored (a notebook saved from JupyterLab keeps it), the LaTeX
    builder the PNG still."""
    import yaml
    from myst_nb.core.render import get_mime_priority

    from lazylib.viz.explorer import WIDGET_VIEW

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    overrides = [tuple(o) for o in config["sphinx"]["config"].get("nb_mime_priority_overrides", [])]
    stored = {"text/html": "<div>", "image/png": "iVBO", "text/plain": "explorer"}
    saved = {WIDGET_VIEW: {"model_id": "x"}, **stored}
    for bundle in (stored, saved):
        assert _pick(get_mime_priority("html", overrides), bundle) == "text/html"
        assert _pick(get_mime_priority("latex", overrides), bundle) == "image/png"
    # the override is what keeps a saved widget view off the site: myst-nb's default prefers it
    assert _pick(get_mime_priority("html", []), saved) == WIDGET_VIEW


def test_stored_notebooks_drop_widget_views_and_keep_the_player() -> None:
    """:func:`~lazylib.viz.explorer.drop_live_widgets` (the executor's and JupyterLab's saves): an
    Explore bundle keeps its player, still and text; a bare widget output (its repr and view only)
    goes; the widget state goes."""
    import runpy

    from traitlets.config import Config

    from lazylib.viz.explorer import WIDGET_VIEW, drop_live_widgets

    view = {"model_id": "abc", "version_major": 2, "version_minor": 0}
    explore = {"text/html": "<div>", "image/png": "iVBO", "text/plain": "explorer", WIDGET_VIEW: view}
    bare = {"text/plain": "VBox(children=(...))", WIDGET_VIEW: view}
    plain = {"text/plain": "42"}
    nb = nbformat.v4.new_notebook(metadata={"widgets": {"state": {}}})
    for data in (explore, bare, plain):
        cell = nbformat.v4.new_code_cell("x")
        cell.outputs = [nbformat.v4.new_output("execute_result", data=dict(data), execution_count=1)]
        nb.cells.append(cell)
    nb.cells.append(nbformat.v4.new_markdown_cell("text"))
    model = {"type": "notebook", "content": json.loads(nbformat.writes(nb))}  # as the server saves it
    drop_live_widgets(nb)
    kept = [[dict(o["data"]) for o in c.outputs] for c in nb.cells if c.cell_type == "code"]
    assert kept == [[{k: v for k, v in explore.items() if k != WIDGET_VIEW}], [], [plain]]
    assert "widgets" not in nb.metadata
    with pytest.raises(ValueError, match="nb"):
        drop_live_widgets({"cells": None})
    # JupyterLab's saves go through the same clean-up: the pre-save hook of the server configuration
    # that `make lab` and the lab test load (_ext/jupyter_lab_config.py), read as Jupyter reads it
    config = Config()
    runpy.run_path(str(ROOT / "_ext" / "jupyter_lab_config.py"), init_globals={"get_config": lambda: config})
    hook = config.ContentsManager.pre_save_hook
    hook(model, path="x.ipynb", contents_manager=None)
    assert model["content"] == json.loads(nbformat.writes(nb))
    other = {"type": "file", "content": "VBox(children=...)"}
    hook(other, path="x.txt")
    assert other == {"type": "file", "content": "VBox(children=...)"}


#: A call of a page's explorer entry point (``lazylib.viz.<page>_explorer``), with its arguments.
EXPLORER_CALL = re.compile(r"^(\w+_explorer)\((.*)\)\s*$", re.MULTILINE)


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.name)
def test_notebook_has_one_explore_cell(path: Path) -> None:
    """Every notebook's explorer is one cell, ``topic_explorer()`` with no argument, tagged
    remove-input only: its one output bundle carries the live widget's view, the player and the
    still (:class:`~lazylib.viz.explorer.ExplorerView`), and every front end shows one of them."""
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "code" and EXPLORER_CALL.search(c.source)]
    assert len(cells) == 1, f"{path.name}: {len(cells)} explorer cells, want one"
    (cell,) = cells
    calls = [m.group(2).strip() for m in EXPLORER_CALL.finditer(cell.source)]
    assert calls == [""], f"{path.name}: explorer calls {calls}, want one call with no argument"
    assert cell.metadata.get("tags") == ["remove-input"], f"{path.name}: tags {cell.metadata.get('tags')}"


def _widget_tree(widget):  # every widget below (and including) ``widget``
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _widget_tree(child)


def test_live_widget_redraws_an_image_and_holds_no_output_widget() -> None:
    ipywidgets = pytest.importorskip("ipywidgets")
    ui = viz.setup_explorer().widget
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
    slider.value = viz_setup.SETUP_ALPHAS[-1]  # redraws without a kernel
    assert image.value != before
    assert image.value == explorer("setup").png(alpha=viz_setup.SETUP_ALPHAS[-1])


def test_live_checkbox_drives_the_same_draw_call() -> None:
    """A yes/no control is an ``ipywidgets.Checkbox`` whose value is the control's value: unticking it
    redraws the frame ``png(centred=False)``, ticking it again the default frame."""
    ipywidgets = pytest.importorskip("ipywidgets")
    ex = explorer("theorem")
    assert ex.controls["centred"].toggle and not ex.controls["alpha"].toggle
    ui = ex.widget()
    controls, image = ui.children
    by_label = {c.description: c for c in controls.children}
    box = by_label[ex.controls["centred"].label]
    assert isinstance(box, ipywidgets.Checkbox) and box.value is True
    assert isinstance(by_label[ex.controls["alpha"].label], ipywidgets.SelectionSlider)
    default = image.value
    assert default == ex.png()
    box.value = False
    assert image.value == ex.png(centred=False) != default
    box.value = True
    assert image.value == default


def test_control_toggle_is_two_booleans() -> None:
    assert Control("c", (True, False)).toggle and Control("c", (False, True)).toggle
    assert not Control("c", (True,)).toggle  # one value: nothing to toggle
    assert not Control("c", (0, 1)).toggle and not Control("c", ("yes", "no")).toggle
    assert not Control("c", (1.0, 2.0)).toggle


@pytest.mark.parametrize("section", SECTIONS)
def test_player_steps_at_least_four_values_of_a_fine_numeric_control(section: str) -> None:
    """A numeric control with 4 or more values live has 4 or more in the offline player (issue 25: a
    slider of 2-3 stops shows too little of a trend), and its stops are labelled apart."""
    for ctrl in explorer(section).controls.values():
        if ctrl.numeric and len(ctrl.values) >= 4:
            assert len(ctrl.player_values) >= 4, f"{section}: {ctrl.label} steps {ctrl.player_values}"
        labels = [ctrl.format(v) for v in ctrl.values]
        assert len(set(labels)) == len(labels), f"{section}: {ctrl.label} labels {labels}"
        assert not any("e+" in label for label in labels), f"{section}: {ctrl.label} labels {labels}"


def test_player_grid_names_every_frame() -> None:
    ex = explorer("theorem")
    text = ex.player_grid()
    frames = int(np.prod([len(c.player_values) for c in ex.controls.values()]))
    assert text.endswith(f"({frames} frames)"), text
    for c in ex.controls.values():
        assert c.label in text
        if not c.toggle:
            assert "{" + ", ".join(c.format(v) for v in c.player_values) + "}" in text


def test_player_html_checkbox_markup() -> None:
    """A checkbox control: checked exactly when its initial value is the one ``toggles`` names, named by
    its label, free of JupyterLab's shortcuts, its readout the value's label; bad toggles refused."""
    fig = Figure(figsize=(2, 1))
    fig.add_subplot().plot([0, 1])
    png = figure_png(fig, dpi=20)
    for on, initial, checked in ((0, 0, True), (0, 1, False), (1, 1, True), (1, 0, False)):
        html = player_html(
            [png] * 4, ["a", "on"], [["1", "2"], ["yes", "no"]], [1, initial], toggles=[None, on]
        )
        box = re.search(r'<input type="checkbox"[^>]*>', html)
        assert box is not None and html.count('class="lazy-player-slider"') == 1
        assert (" checked" in box.group(0)) is checked
        assert f'data-on="{on}"' in box.group(0) and 'aria-label="on"' in box.group(0)
        assert 'data-lm-suppress-shortcuts="true"' in box.group(0)
        assert re.search(r'<label>on <input type="checkbox"[^>]*><span class="lazy-player-value"', html)
        assert f'aria-live="polite">{["yes", "no"][initial]}</span>' in html
    with pytest.raises(ValueError, match="toggles"):
        player_html([png] * 3, ["a"], [["1", "2", "3"]], [0], toggles=[0])  # three values
    with pytest.raises(ValueError, match="toggles"):
        player_html([png] * 2, ["a"], [["1", "2"]], [0], toggles=[2])
    with pytest.raises(ValueError, match="toggles"):
        player_html([png] * 2, ["a"], [["1", "2"]], [0], toggles=[None, None])
    with pytest.raises(ValueError, match="toggles"):
        player_html([png] * 2, ["a"], [["1", "2"]], [0], toggles=[True])


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
    """Print the cached redraw time of each explorer; every page has one, finite and positive.

    The times themselves are not bounded here (the machine is shared); they are printed with ``-s``.
    """
    for section in SECTIONS:
        if section not in REDRAW_TIMES:
            REDRAW_TIMES[section] = explorer(section).redraw_time()
    assert set(REDRAW_TIMES) == set(SECTIONS)
    assert all(np.isfinite(v) and v > 0 for v in REDRAW_TIMES.values()), REDRAW_TIMES
    print("\n[redraw] " + ", ".join(f"{k}: {v:.3f} s" for k, v in REDRAW_TIMES.items()))


def test_player_in_chromium(tmp_path) -> None:
    """The offline player in a real browser: its sliders change the frame, nothing is fetched."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no chromium at {CHROMIUM}")
    page_file = tmp_path / "player.html"
    page_file.write_text(
        "<!doctype html><html><head><meta charset='utf-8'><title>player</title></head><body>"
        + player("lemma_8_1").html  # explorer("lemma_8_1").player_html(), rendered once per session
        + "</body></html>",
        encoding="utf-8",
    )
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            fetched: list[str] = []
            page.on("request", lambda r: fetched.append(r.url))
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(page_file.as_uri(), wait_until="load")
            img = "img.lazy-player-frame"
            sliders = page.query_selector_all("input.lazy-player-slider")
            assert len(sliders) == 3  # family, λ and speed
            seen = {page.eval_on_selector(img, "e => e.dataset.frame + e.src.length")}
            for slider in sliders:
                slider.fill("0")
                slider.dispatch_event("input")
                seen.add(page.eval_on_selector(img, "e => e.dataset.frame + e.src.length"))
            values = [s.text_content() for s in page.query_selector_all(".lazy-player-value")]
            valuetexts = [s.get_attribute("aria-valuetext") for s in sliders]
            names = [s.get_attribute("aria-label") for s in sliders]
            live = [s.get_attribute("aria-live") for s in page.query_selector_all(".lazy-player-value")]
            alt = page.eval_on_selector(img, "e => e.alt")
        finally:
            browser.close()
    assert len(seen) == 4, "each slider move shows another frame"
    assert values == ["identity", "0.1", "0.5"]
    assert valuetexts == values, "each slider says its value, not its index"
    assert names == [c.label for c in explorer("lemma_8_1").controls.values() if len(c.player_values) > 1]
    assert live == ["polite"] * 3
    assert alt.startswith(explorer("lemma_8_1").caption) and alt.endswith(
        f"Shown: {names[0]} = identity, {names[1]} = 0.1, {names[2]} = 0.5."
    ), alt
    assert not errors, errors
    remote = [u for u in fetched if not u.startswith(("file:", "data:"))]
    assert not remote, f"the player fetched {remote}"


def _tiny_draw(fig: Figure, a: float, on: bool) -> None:
    ax = fig.add_subplot()
    ax.plot([0.0, 1.0], [0.0, a], "-" if on else "--")
    ax.set_title(f"a = {a}, on = {on}")


def test_player_checkbox_in_chromium(tmp_path) -> None:
    """A yes/no control in a real browser: a checkbox, named by its label, that a click and the Space key
    (focused) toggle, each showing the frame of the other value; the readout and the image's alternative
    text follow. Values (False, True), so the checked state is the second value (``data-on="1"``)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no chromium at {CHROMIUM}")
    ex = Explorer(
        _tiny_draw,
        {"a": Control("a", (1.0, 2.0), default=2.0), "on": Control("switch", (False, True), default=True)},
        figsize=(2.0, 1.5),
        caption="tiny",
        name="tiny",
    )
    frames, *_ = ex.frames()
    index = {(a, on): k for k, (a, on) in enumerate(itertools.product((1.0, 2.0), (False, True)))}
    page_file = tmp_path / "player.html"
    page_file.write_text(
        "<!doctype html><html><head><meta charset='utf-8'><title>player</title></head><body>"
        + ex.player_html()
        + "</body></html>",
        encoding="utf-8",
    )
    state_js = """() => {
      const box = document.querySelector('input.lazy-player-toggle');
      const img = document.querySelector('img.lazy-player-frame');
      return {checked: box.checked, frame: Number(img.dataset.frame), src: img.src, alt: img.alt,
              readout: box.nextElementSibling.textContent, focused: document.activeElement === box,
              type: box.type, name: box.getAttribute('aria-label'), label: box.labels[0].textContent};
    }"""
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(page_file.as_uri(), wait_until="load")
            states = [page.evaluate(state_js)]
            page.click("input.lazy-player-toggle")  # a reader's click
            states.append(page.evaluate(state_js))
            page.focus("input.lazy-player-toggle")
            page.keyboard.press("Space")  # the keyboard
            states.append(page.evaluate(state_js))
            page.keyboard.press("Space")
            states.append(page.evaluate(state_js))
            page.click("text=switch")  # its label toggles it too
            states.append(page.evaluate(state_js))
        finally:
            browser.close()
    assert not errors, errors
    assert states[0]["type"] == "checkbox" and states[0]["name"] == "switch"
    assert states[0]["label"].startswith("switch")
    assert [s["checked"] for s in states] == [True, False, True, False, True]
    assert states[2]["focused"], "Space went to a focused checkbox"
    for s in states:
        k = index[(2.0, s["checked"])]
        assert s["frame"] == k and s["src"] == "data:image/png;base64," + base64.b64encode(frames[k]).decode()
        assert s["readout"] == ("yes" if s["checked"] else "no")
        assert s["alt"].endswith(f"Shown: a = 2, switch = {s['readout']}."), s["alt"]


# ============================================================================ plot functions
def _axes(n: int = 1) -> list:
    fig = Figure()
    return list(np.atleast_1d(fig.subplots(1, n)))


def _trajectory(t, risk, distance=None, predictions=None) -> Trajectory:
    t = np.asarray(t, dtype=float)
    return Trajectory(
        t=t,
        risk=np.asarray(risk, dtype=float),
        distance=np.zeros_like(t) if distance is None else np.asarray(distance, dtype=float),
        predictions=np.zeros((t.size, 2)) if predictions is None else predictions,
        weights=None,
        linearized=False,
        method="test",
    )


def test_plot_family_risks_draws_each_risk_in_rescaled_time() -> None:
    (ax,) = _axes()
    t = np.linspace(0.0, 4.0, 9)
    flat = np.ones((9, 2))
    runs = [
        FamilyRisk(name="a", lam=0.5, t=t, risk=np.exp(-1.5 * t), bound=np.exp(-t), spectrum=flat),
        FamilyRisk(name="b", lam=0.25, t=t, risk=2 * np.exp(-t), bound=2 * np.exp(-0.5 * t), spectrum=flat),
    ]
    viz_lemma_8_1.plot_family_risks(ax, runs)
    for run in runs:
        assert _has_line(ax, run.lam * t, run.risk / run.risk[0])
    assert [line.get_label() for line in ax.get_lines()][:2] == ["a", "b"]


def test_plot_family_spectrum_draws_every_eigenvalue_and_the_floor() -> None:
    (ax,) = _axes()
    t = np.linspace(0.0, 4.0, 9)
    spectrum = np.stack([0.5 + 0 * t, 1 + t, 3 + np.sin(t)], axis=1)
    run = FamilyRisk(name="g", lam=0.5, t=t, risk=np.exp(-t), bound=np.exp(-t), spectrum=spectrum)
    viz_lemma_8_1.plot_family_spectrum(ax, run)
    for k in range(3):
        assert _has_line(ax, 0.5 * t, spectrum[:, k])
    floor = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert len(floor) == 1 and np.allclose(floor[0].get_ydata(), 0.5)
    assert "g" in ax.get_title()


@pytest.fixture(scope="module")
def small_problem():
    return smooth_problem(n=5, d=3, m=20, rng=0)


def test_plot_flow_risks_draws_the_checks(small_problem) -> None:
    net, X, y = small_problem
    smin2_tau = np.linspace(0.0, 4.0, 9)
    checks = [flow_risk_check(net, X, y, alpha, smin2_tau) for alpha in (1.0, 50.0)]
    th = checks[0].theorem
    lin = gradient_flow(net, X, y, 1.0, smin2_tau / th.sigma_min**2, linearized=True)
    (ax,) = _axes()
    viz_lemma_8_1.plot_flow_risks(ax, lin, checks)
    assert _has_line(ax, smin2_tau, lin.risk / lin.risk[0])
    for check in checks:
        assert _has_line(ax, smin2_tau, check.risk_ratio)
        assert _has_line(ax, smin2_tau, check.bound_ratio)


def test_plot_projected_paths_draws_both_paths(small_problem) -> None:
    net, X, y = small_problem
    smin2_tau = np.concatenate([[0.0], np.geomspace(1e-3, 5.0, 12)])
    for alpha in (0.5, 200.0):  # one path that leaves B, one that stays inside (with an inset)
        paths = projected_paths(net, X, y, alpha, smin2_tau)
        (ax,) = _axes()
        viz_lemma_8_2.plot_projected_paths(ax, paths)
        assert _has_line(ax, paths.w_coords[:, 0], paths.w_coords[:, 1])
        assert _has_line(ax, paths.u_coords[:, 0], paths.u_coords[:, 1])
        assert f"{alpha:.4g}" in ax.get_title()


def test_plot_kernel_spectra_draws_each_change() -> None:
    initial = np.array([4.0, 2.0, 1.0])
    changes = [
        KernelSpectrumChange(alpha=a, initial=initial, final=initial * (1 + 1 / a), operator_change=4 / a)
        for a in (0.25, 64.0)
    ]
    (ax,) = _axes()
    viz_eigenvalues.plot_kernel_spectra(ax, changes)
    idx = np.arange(1, 4)
    assert _has_line(ax, idx, initial)
    for change in changes:
        assert _has_line(ax, idx, change.final)


def test_plot_clocks_draws_both_clocks() -> None:
    tau = np.linspace(0.0, 2.0, 5)
    slides = {a: _trajectory(tau / a**2, np.exp(-tau) + 1 / a) for a in (1.0, 4.0)}
    paper = {a: _trajectory(tau, np.exp(-tau) + 0.5 / a) for a in (1.0, 4.0)}
    clocks = Clocks(
        tau=tau, slides=slides, paper=paper, linearized=_trajectory(tau, np.exp(-tau)), deviation=np.zeros(2)
    )
    ax1, ax2 = _axes(2)
    viz_lazy_active.plot_clocks(ax1, ax2, clocks)
    for a in (1.0, 4.0):
        assert _has_line(ax1, slides[a].t[1:], slides[a].risk[1:])
        assert _has_line(ax2, tau, paper[a].risk)
    assert _has_line(ax2, tau, np.exp(-tau))


def test_plot_distance_sweep_draws_the_sweep() -> None:
    sweep = viz_lemma_8_2._sweep()
    (ax,) = _axes()
    viz_lemma_8_2.plot_distance_sweep(ax, sweep, highlight=4.0)
    for field in ("distance_w", "distance_u", "radius_w", "radius_u", "theorem_radius"):
        assert _has_line(ax, sweep.alphas, getattr(sweep, field)), field
    assert _has_line(ax, [4.0], [sweep.distance_w[2]])


def test_plot_spectrum_drift_draws_the_kernel_path() -> None:
    kp = viz_eigenvalues._path(4.0)
    ax1, ax2 = _axes(2)
    viz_eigenvalues.plot_spectrum_drift(ax1, ax2, {4.0: kp})
    x = kp.sigma_min**2 * kp.tau[1:]
    assert _has_line(ax1, x, np.maximum(1 - kp.spectra[1:, 0] / kp.sigma_min**2, 1e-15))
    assert _has_line(ax2, x, np.maximum(np.abs(kp.spectra[1:, -1] / kp.sigma_max**2 - 1), 1e-15))


def test_plot_kernel_change_draws_each_run() -> None:
    alphas = np.array([1.0, 2.0, 4.0, 8.0])
    runs = {
        name: KernelChange(
            alphas=alphas,
            relative_change=c / alphas**p,
            distance=1 / alphas,
            final_risk=0 * alphas,
            horizon=10.0,
        )
        for name, c, p in (("generic", 0.3, 1.0), ("doubling", 0.1, 2.0))
    }
    (ax,) = _axes()
    viz_eigenvalues.plot_kernel_change(ax, runs)
    for kc in runs.values():
        assert _has_line(ax, alphas, kc.relative_change)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "generic: slope -1.00" in labels and "doubling: slope -2.00" in labels


def test_plot_neuron_paths_and_risks_draw_the_trajectories() -> None:
    task, runs = viz_lazy_active._runs()
    ax1, ax2 = _axes(2)
    viz_lazy_active.plot_neuron_paths(ax1, runs, 1, task.teacher)
    viz_lazy_active.plot_training_risks(ax2, runs, 1)
    P = runs.positions[:, 1]
    assert all(_has_line(ax1, P[:, j, 0], P[:, j, 1]) for j in range(P.shape[1]))
    assert all(_has_line(ax2, runs.steps, runs.risk[:, i]) for i in range(len(runs.nus)))


def test_plot_scale_sweep_and_centring_draw_the_results() -> None:
    nus = np.array([0.1, 1.0, 10.0])
    loss = np.array([[0.01, 0.02], [0.5, 0.6], [0.7, 0.8]])
    sweep = ScaleSweep(
        nus=nus,
        seeds=(1, 2),
        test_loss=loss,
        train_risk=loss / 10,
        movement=np.array([[3.0, 3.2], [0.1, 0.1], [0.001, 0.001]]),
        signs_unchanged=np.ones((3, 2)),
        lazy_test_loss=np.array([0.7, 0.8]),
        null_loss=1.0,
        lr=np.ones(3),
        diverged=np.zeros((3, 2), dtype=bool),
    )
    limit = LazyLimit(n_steps=500, test_loss=np.array([0.7, 0.8]), train_risk=np.array([0.1, 0.1]))
    ax1, ax2 = _axes(2)
    viz_lazy_active.plot_scale_sweep(ax1, ax2, sweep, limit, limit)
    assert _has_line(ax1, nus, np.median(loss, axis=1))
    assert _has_line(ax2, nus, np.median(sweep.movement, axis=1))
    alphas = np.array([3.0, 30.0, 300.0])
    sym, sub = (
        CentringSweep(
            alphas=alphas,
            centring=c,
            risk0=np.ones(3),
            movement=1 / alphas,
            gap=k / alphas**p,
            final_risk=np.zeros(3),
            path_gap=1 / alphas**2,
        )
        for c, k, p in (("symmetric", 1.0, 2.0), ("subtract", 2.0, 1.0))
    )
    (ax,) = _axes()
    slopes = viz_lazy_active.plot_centring(ax, sym, sub)
    assert slopes["gap, symmetric"] == pytest.approx(fit_power_law(alphas, sym.gap)[0])
    assert slopes["gap, subtract"] == pytest.approx(-1.0)
    assert _has_line(ax, alphas, sub.gap) and _has_line(ax, alphas, sym.path_gap)


def test_style_is_one_dict_used_everywhere() -> None:
    with mpl.rc_context():
        use_book_style()
        assert all(mpl.rcParams[k] == v or k == "figure.figsize" for k, v in BOOK_STYLE.items())
        assert mpl.rcParams["figure.autolayout"]
        mpl.rcParams["font.size"] = 20.0  # a notebook's own setting does not leak into explorer frames
        with book_style():
            assert mpl.rcParams["font.size"] == BOOK_STYLE["font.size"]
    assert np.isnan(positive_or_nan([0.0, 1.0])[0])


# ============================================================================ notebooks 05-08
@pytest.mark.parametrize("name", ["05_lemma_8_1", "06_lemma_8_2", "07_eigenvalues", "08_lazy_vs_active"])
def test_notebook_figures_come_from_viz(name: str) -> None:
    """Every figure cell of pages 05-08 calls the page's plot functions and draws nothing itself."""
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    figure_cells = [c for c in nb.cells if c.cell_type == "code" and "plt.subplots" in c.source]
    assert figure_cells
    drawing = re.compile(r"\.(plot|semilogy|semilogx|loglog|axhline|axvline|fill_between|set_title)\(")
    for cell in figure_cells:
        assert "hide-input" in cell.metadata.get("tags", []), cell.source[:80]
        assert re.search(r"\bplot_\w+\(", cell.source), f"{name}: figure cell without a plot_ call"
        assert not drawing.search(cell.source), f"{name}: figure cell draws by itself:\n{cell.source}"


def test_plot_error_law_draws_the_table() -> None:
    from lazylib.recall import error_law_sweep
    from lazylib.viz.recall import plot_error_law

    table = error_law_sweep("tanh", [16, 64], [0.5, 1.0, 2.0], rng=0, n_nets=2, n_draws=0)
    ax1, ax2 = _axes(2)
    plot_error_law(ax1, ax2, table, theory=table.bound)
    for i in range(table.widths.size):
        assert _has_line(ax1, table.sizes, table.worst[i]) and _has_line(ax1, table.sizes, table.bound[i])
    for b in range(table.sizes.size):
        assert _has_line(ax2, table.widths, table.worst[:, b])


def test_live_kernel_explore_cell_renders_no_player_frames(monkeypatch) -> None:
    """Issue 23: in a reader's kernel (``LAZYLIB_BOOK_EXECUTE`` unset) the Explore cell builds the live
    widget and the still, not the player's frames; its bundle is the book's minus ``text/html``."""
    pytest.importorskip("ipywidgets")
    from lazylib.viz.explorer import WIDGET_VIEW, Explorer

    calls: list[int] = []
    original = Explorer.frames

    def counted(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Explorer, "frames", counted)
    monkeypatch.delenv("LAZYLIB_BOOK_EXECUTE", raising=False)
    live = _bundle(viz.lemma_8_1_explorer())
    assert calls == [], "no player frames rendered in a live kernel"
    assert set(live) == {WIDGET_VIEW, "image/png", "text/plain"}
    monkeypatch.setenv("LAZYLIB_BOOK_EXECUTE", "1")
    book = _bundle(viz.lemma_8_1_explorer())
    assert calls == [1]
    assert 'id="lazy-player-lemma_8_1"' in book["text/html"]
    assert {k: v for k, v in book.items() if k not in (WIDGET_VIEW, "text/html")} == {
        k: v for k, v in live.items() if k != WIDGET_VIEW
    }, "the still and the text are the same in both"
    monkeypatch.setenv("LAZYLIB_BOOK_EXECUTE", "yes")
    with pytest.raises(ValueError, match="LAZYLIB_BOOK_EXECUTE"):
        viz.lemma_8_1_explorer()


def test_frames_reuse_one_figure_without_leaking_state() -> None:
    """Issue 23: the player's frames are drawn into one reused figure per dpi. A frame is the same bytes
    whether drawn first (a fresh figure) or after other frames, and the same as the PNG that
    ``savefig`` writes of it, palette-quantised as before (the canvas's pixels are quantised directly)."""
    import io

    from PIL import Image

    from lazylib.viz.explorer import PLAYER_DPI

    settings = [{"kind": "identity", "omega": 0.5}, {"kind": "rotating", "omega": 8.0}]
    ex = explorer("lemma_8_1")
    first = ex.png(PLAYER_DPI, 128, **settings[0])
    ex.png(PLAYER_DPI, 128, **settings[1])
    again = ex.png(PLAYER_DPI, 128, **settings[0])
    fresh = explorer("lemma_8_1").png(PLAYER_DPI, 128, **settings[0])  # a new explorer: a new figure
    assert first == again == fresh
    fig = ex.frame_figure(PLAYER_DPI, **settings[0])
    buf = io.BytesIO()
    with book_style():  # as Explorer.png renders (draw-time rcParams: text hinting, antialiasing)
        fig.savefig(buf, format="png", dpi=PLAYER_DPI, metadata={"Software": None}, facecolor="white")
    with Image.open(io.BytesIO(buf.getvalue())) as img:
        rgb = img.convert("RGB")
    pal = rgb.quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    pal.save(out, format="PNG", compress_level=6)  # lazylib.viz.execution.palette_png
    assert out.getvalue() == first


def test_theorem_frame_says_when_levels_coincide() -> None:
    """Page 03's distance panel draws δ⋆, δ⋆/6 and B as levels: where two are within LEVELS_COINCIDE of each
    other (one hides the other), its title says so, and only there."""
    from lazylib.viz import theorem as viz_theorem

    for alpha, m, centred in itertools.product(
        viz_theorem.THEOREM_ALPHAS, viz_theorem.THEOREM_WIDTHS, (True, False)
    ):
        th = viz_theorem._check(alpha, m, centred).theorem
        levels = (th.radius, th.linear_radius, th.ball_radius)
        close = any(
            max(a, b) / min(a, b) < 1 + viz_theorem.LEVELS_COINCIDE
            for a, b in itertools.combinations(levels, 2)
        )
        ax = explorer("theorem").figure(alpha=alpha, m=m, centred=centred).axes[1]
        assert ("coincide" in ax.get_title()) is close, (alpha, m, centred, ax.get_title())
    th = viz_theorem._check(10.0, 20, True).theorem  # the grid's one such setting: δ⋆/6 = 0.997 B
    assert abs(th.linear_radius / th.ball_radius - 1) < viz_theorem.LEVELS_COINCIDE
