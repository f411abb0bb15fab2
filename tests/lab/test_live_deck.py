"""The live deck: jupyterlab-deck presents page 06 in place, and its Explore slide's slider is live.

What ``slides/README.md`` ("Live slides in JupyterLab") tells a lecturer to do, done in headless
Chromium at a projector's 1280×720: open ``notebooks/06_lemma_8_2.ipynb``, Run All, select the title
cell, start the deck (``deck:start``), click the deck's on-screen › once, then step with → to the
Explore slide. There the live ipywidgets slider must be on the slide; moved with the keyboard, the
figure's image must change (its bytes, not only its blob URL) while the deck stays on the slide. No
request may leave 127.0.0.1 and the console must stay free of errors throughout.

``pytest -m lab tests/lab/test_live_deck.py`` (part of ``make lab-test``). Its own page (browser
context), so that the deck never leaks into test_lab.py's page; the JupyterLab server and Chromium are
the session's (tests/lab/conftest.py, tests/conftest.py). Measured on the book's 2-core machine (load
average 3-4): ~15 s for the test (Run All ~4 s, 5 slides to Explore, key press to new image 0.3 s),
~22 s for this file alone with the server's start. At 1280×720 the Explore slide (the explorer, the
takeaways and the exercises: no slide cut after the explorer) is taller than the screen and the slider
starts below it: the test scrolls the slider into view, as the lecturer must.
"""

from __future__ import annotations

import time

import pytest
from serve import PageLog, record_page
from test_lab import (
    CLEAR_JS,
    CLOSE_JS,
    OPEN_JS,
    RENDER_TIMEOUT_MS,
    RENDERED_JS,
    RUN_STATE_JS,
    RUN_TIMEOUT_MS,
    call,
)

pytestmark = pytest.mark.lab

NOTEBOOK = "notebooks/06_lemma_8_2.ipynb"
STEP_TIMEOUT_MS = 10_000  # one → press to the deck's next cell
FORWARD = ".jp-Deck-Remote .jp-deck-mod-direction-forward"  # the deck's on-screen › button

#: The deck's state: presenting (its remote shown, cells marked on/off screen), the active cell, and
#: what the cells on the current slide show (visible and inside the viewport).
DECK_JS = """() => {
  const w = window.__nb;
  const seen = e => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.display !== 'none' && s.visibility !== 'hidden'
      && r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth; };
  const shown = e => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.display !== 'none' && s.visibility !== 'hidden'; };
  const remote = document.querySelector('.jp-Deck-Remote');
  const onscreen = w.content.widgets.map((c, i) => [i, c])
    .filter(([i, c]) => c.node.classList.contains('jp-deck-mod-onscreen'));
  const heading = onscreen.map(([i, c]) => c.node.querySelector('h1, h2')?.innerText?.trim())
    .filter(h => h)[0] || null;
  return {
    remote: !!remote && seen(remote),
    onscreen: onscreen.map(([i, c]) => i),
    hidden_offscreen: w.content.widgets.filter(c => !c.node.classList.contains('jp-deck-mod-onscreen'))
      .every(c => !seen(c.node)),
    active: w.content.activeCellIndex,
    heading,
    // the live explorer's slider handles and figures on the slide (shown; a slide taller than the
    // screen scrolls, so not necessarily inside the viewport)
    handles: onscreen.flatMap(([i, c]) => [...c.node.querySelectorAll('.widget-slider .noUi-handle')])
      .filter(shown).length,
    images: onscreen.flatMap(([i, c]) => [...c.node.querySelectorAll('img.widget-image')])
      .filter(shown).length,
  };
}"""

#: SHA-256 (hex) of the bytes of the live figure on the slide, its src, and whether it has loaded.
IMAGE_JS = """async () => {
  const img = [...document.querySelectorAll('.jp-deck-mod-onscreen img.widget-image')]
    .find(i => i.offsetWidth > 0);
  const bytes = await (await fetch(img.src)).arrayBuffer();
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return {src: img.src, complete: img.complete, size: bytes.byteLength,
          sha: [...digest].map(b => b.toString(16).padStart(2, '0')).join('')};
}"""

STEPPED_JS = "(prev) => window.__nb.content.activeCellIndex !== prev"  # the deck moved on a cell

HANDLE = ".jp-deck-mod-onscreen .widget-slider .noUi-handle"


def test_live_deck_explore_slider(lab, browser) -> None:
    t0 = time.perf_counter()
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    log = record_page(page, PageLog())  # console errors, requests off 127.0.0.1 (aborted)
    try:
        page.goto(f"{lab.url}/lab/tree/notebooks?reset&token={lab.token}")
        page.wait_for_function(
            "() => window.jupyterapp && window.jupyterapp.started", timeout=RENDER_TIMEOUT_MS
        )
        assert "deck:start" in page.evaluate("() => window.jupyterapp.commands.listCommands()"), (
            "jupyterlab-deck is not installed in this JupyterLab (no deck:start command)"
        )
        call(page, OPEN_JS, NOTEBOOK)
        page.wait_for_function(RENDERED_JS, timeout=RENDER_TIMEOUT_MS)

        # Run All in a fresh kernel (outputs cleared first, so that "every cell has run" means now)
        call(page, CLEAR_JS)
        t1 = time.perf_counter()
        page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
        page.wait_for_function(RUN_STATE_JS, timeout=RUN_TIMEOUT_MS, polling=200)
        run_s = time.perf_counter() - t1
        errors = page.evaluate(
            "() => window.__nb.content.widgets.filter(c => c.model.type === 'code')"
            ".flatMap(c => c.model.outputs.toJSON()).filter(o => o.output_type === 'error')"
            ".map(o => o.ename + ': ' + o.evalue)"
        )
        assert not errors, f"Run All failed: {errors}"
        page.wait_for_function(
            "() => window.__nb.content.node.querySelector('.jp-OutputArea img.widget-image')", timeout=15_000
        )

        # the lecturer's steps: select the title cell, start the deck, click › once, then →
        title = page.evaluate("() => window.__nb.content.widgets.findIndex(c => c.node.querySelector('h1'))")
        assert title >= 0, "no title cell (h1) rendered"
        page.evaluate(
            "(i) => { window.__nb.content.activeCellIndex = i; window.__nb.content.mode = 'command'; }", title
        )
        assert not page.evaluate(DECK_JS)["remote"], "the deck is shown before deck:start"
        call(page, "async () => { await window.jupyterapp.commands.execute('deck:start'); }")
        page.wait_for_function(
            "() => document.querySelector('.jp-Deck-Remote') && window.__nb.content.node"
            ".querySelector('.jp-Cell.jp-deck-mod-onscreen')",
            timeout=RENDER_TIMEOUT_MS,
        )
        deck = page.evaluate(DECK_JS)
        n_cells = page.evaluate("() => window.__nb.content.widgets.length")
        assert deck["remote"], "deck:start ran but the deck's remote is not shown"
        assert 0 < len(deck["onscreen"]) < n_cells, f"not presenting slides: on screen {deck['onscreen']}"
        assert deck["hidden_offscreen"], "cells off the slide are still visible: the deck is not presenting"
        assert deck["heading"] and "Lemma" in deck["heading"], f"the deck starts on {deck}, not the title"

        page.locator(FORWARD).click()  # one click on ›: the deck takes the arrow keys from then on
        page.wait_for_function(STEPPED_JS, arg=deck["active"], timeout=STEP_TIMEOUT_MS)
        slides = [deck["heading"]]
        for _ in range(n_cells):
            deck = page.evaluate(DECK_JS)
            if deck["heading"] != slides[-1]:
                slides.append(deck["heading"])
            if deck["heading"] and deck["heading"].startswith("Explore") and deck["handles"]:
                break
            page.keyboard.press("ArrowRight")
            try:
                page.wait_for_function(STEPPED_JS, arg=deck["active"], timeout=STEP_TIMEOUT_MS)
            except Exception:
                focus = page.evaluate("() => document.activeElement?.className")
                pytest.fail(f"→ did not step the deck (focus on {focus!r}); slides: {slides}, now {deck}")
        else:
            pytest.fail(f"→ never reached the Explore slide; slides seen: {slides}, {deck}")
        assert deck["remote"] and deck["hidden_offscreen"], "the deck stopped presenting while stepping"
        assert deck["images"] == 1, f"{deck['images']} live figures on the Explore slide"
        assert len(slides) >= 3, f"→ stepped through too few slides to be a deck: {slides}"

        # the live slider, moved with the keyboard, redraws the figure; the deck stays on the slide
        handle = page.locator(HANDLE).first
        handle.scroll_into_view_if_needed()  # the slide may be taller than the screen
        assert page.evaluate(
            "() => { const r = document.querySelector(" + repr(HANDLE) + ").getBoundingClientRect();"
            " return r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth; }"
        ), "the slider cannot be brought into view on the slide"
        assert page.evaluate(DECK_JS)["heading"].startswith("Explore"), "scrolling to the slider left it"
        before = page.evaluate(IMAGE_JS)
        handle.focus()
        at_end = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
        value = handle.get_attribute("aria-valuenow")
        t2 = time.perf_counter()
        handle.press("ArrowLeft" if at_end else "ArrowRight")
        page.wait_for_function(
            "(prev) => [...document.querySelectorAll('.jp-deck-mod-onscreen img.widget-image')]"
            ".some(i => i.offsetWidth > 0 && i.src !== prev && i.complete)",
            arg=before["src"],
            timeout=30_000,
        )
        slider_s = time.perf_counter() - t2
        after = page.evaluate(IMAGE_JS)
        assert handle.get_attribute("aria-valuenow") != value, "the slider's value did not change"
        assert after["size"] > 0 and after["sha"] != before["sha"], "the figure's bytes did not change"
        deck = page.evaluate(DECK_JS)
        assert deck["heading"].startswith("Explore") and deck["remote"], (
            f"the slider's arrow key moved the deck (now on {deck['heading']!r})"
        )

        call(page, "async () => { await window.jupyterapp.commands.execute('deck:stop'); }")
        page.wait_for_function("() => !document.querySelector('.jp-Deck-Remote')", timeout=RENDER_TIMEOUT_MS)
        call(page, CLOSE_JS)
        assert not log.offsite, f"requests to other hosts: {log.offsite[:5]}"
        assert not log.console, f"console errors: {log.console[:5]}"
        print(
            f"\nlive deck: Run All {run_s:.1f} s, {len(slides)} slides to Explore, "
            f"slider-to-image {slider_s:.2f} s, in all {time.perf_counter() - t0:.1f} s"
        )
    finally:
        context.close()
