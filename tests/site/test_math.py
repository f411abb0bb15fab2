"""Displayed formulas fit their box on a phone (390 px) and on the desktop (1280 px), on every page.

MathJax 4 breaks a display wider than its box into lines (``output.displayOverflow: linebreak`` in
``_config.yml``; ``_ext/book_mathjax.py``). A display that still overflows would scroll sideways inside
its box (the theme gives ``mjx-container`` ``overflow: auto``) or be cut. For every displayed formula
(``mjx-container[display="true"]``) the check measures the rendered box: the container must not scroll
(``scrollWidth`` beyond ``clientWidth``), no glyph box inside it may end right of it, and the container
must not end right of the ``div.math`` it sits in (whose ``overflow: hidden`` would cut it).
Run after `make book` with ``pytest -m site tests/site`` (``make site-test``).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.site

SITE = Path(__file__).resolve().parents[2] / "_build" / "html"
WIDTHS = (390, 1280)  # a phone (iPhone 12-15 CSS width) and the desktop the book is read on
SLACK = 1  # px: sub-pixel rounding of box edges

# Pages that hold a displayed formula (Sphinx writes each as <div class="math ...">).
PAGES = sorted(
    p
    for p in SITE.rglob("*.html")
    if p.relative_to(SITE).parts[0] not in ("_static", "_sources", "slides")
    and '<div class="math' in p.read_text(encoding="utf-8", errors="replace")
)

OVERFLOW_JS = """async (slack) => {
  if (!window.MathJax || !MathJax.startup) return null;
  await MathJax.startup.promise;
  await document.fonts.ready;
  const displays = Array.from(document.querySelectorAll('mjx-container[display="true"]'));
  const tex = new Map(Array.from(MathJax.startup.document.math).map(m => [m.typesetRoot, m.math]));
  const over = [];
  displays.forEach((c, i) => {
    const box = c.getBoundingClientRect();
    const holder = c.parentElement.getBoundingClientRect();
    let right = box.left;
    for (const e of c.querySelectorAll('*')) {
      if (e.closest('mjx-assistive-mml')) continue;  // MathJax 3's hidden MathML copy for screen readers
      const b = e.getBoundingClientRect();
      if (b.width > 0 && b.height > 0) right = Math.max(right, b.right);
    }
    const scrolls = c.scrollWidth - c.clientWidth;
    const past = right - box.right;
    const cut = box.right - holder.right;
    if (scrolls > slack || past > slack || cut > slack) {
      over.push({index: i, box: Math.round(box.width), scrolls, past: Math.round(past), cut: Math.round(cut),
                 tex: (tex.get(c) || '').trim().slice(0, 80)});
    }
  });
  return {displays: displays.length, over};
}"""

# A display no line break can fit into a phone's column: the detector must report it (on the page
# itself, with the page's styles and MathJax configuration).
TOO_WIDE_JS = """async () => {
  await MathJax.startup.promise;
  const div = document.createElement('div');
  div.className = 'math notranslate nohighlight';
  div.textContent = '\\\\[\\\\rule{60em}{1pt}\\\\]';
  const anchor = document.querySelector('div.math');
  anchor.parentElement.insertBefore(div, anchor);
  await MathJax.typesetPromise([div]);
}"""


def page_id(path: Path) -> str:
    return path.relative_to(SITE).as_posix()


def open_page(browser, base_url: str, path: Path, width: int):
    """The page at a ``width`` px wide window, requests off 127.0.0.1 aborted; the caller closes it."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.route(
        "**/*",
        lambda route: (
            route.continue_() if urlsplit(route.request.url).hostname == "127.0.0.1" else route.abort()
        ),
    )
    page.goto(f"{base_url}/{page_id(path)}", wait_until="load")
    return page


def test_pages_with_displays() -> None:
    assert len(PAGES) >= 5, f"only {len(PAGES)} pages with a displayed formula under {SITE}: run `make book`"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", PAGES, ids=page_id)
def test_displays_fit_their_box(path: Path, width: int, base_url: str, browser) -> None:
    page = open_page(browser, base_url, path, width)
    try:
        result = page.evaluate(OVERFLOW_JS, SLACK)
    finally:
        page.close()
    assert result is not None, f"{page_id(path)}: no MathJax on a page with displayed math"
    assert result["displays"] > 0, f"{page_id(path)}: no typeset display (mjx-container[display=true])"
    assert not result["over"], (
        f"{page_id(path)} at {width} px: {len(result['over'])} of {result['displays']} displays overflow "
        "their box (scrolls/past/cut in px):\n  " + "\n  ".join(map(str, result["over"]))
    )


def test_detector_reports_a_display_too_wide(base_url: str, browser) -> None:
    """The check above can fail: a 60 em rule in a display on a phone is reported."""
    path = PAGES[0]
    page = open_page(browser, base_url, path, 390)
    try:
        before = page.evaluate(OVERFLOW_JS, SLACK)
        page.evaluate(TOO_WIDE_JS)
        after = page.evaluate(OVERFLOW_JS, SLACK)
    finally:
        page.close()
    assert after["displays"] == before["displays"] + 1
    assert len(after["over"]) == len(before["over"]) + 1, after
