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

import pytest

pytestmark = pytest.mark.site

SITE = Path(__file__).resolve().parents[2] / "_build" / "html"
SLACK = 1  # px: sub-pixel rounding of box edges

# Pages that hold a displayed formula (Sphinx writes each as <div class="math ...">).
PAGES = sorted(
    p
    for p in SITE.rglob("*.html")
    if p.relative_to(SITE).parts[0] not in ("_static", "_sources", "slides")
    and '<div class="math' in p.read_text(encoding="utf-8", errors="replace")
)

# (on a load settled by conftest.SETTLE_JS: every formula typeset and shown)
OVERFLOW_JS = """async (slack) => {
  if (!window.MathJax || !MathJax.startup) return null;
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


def test_pages_with_displays() -> None:
    assert len(PAGES) >= 5, f"only {len(PAGES)} pages with a displayed formula under {SITE}: run `make book`"


# 1280 and 390 px wide (conftest.VIEWPORTS)
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("path", PAGES, ids=page_id)
def test_displays_fit_their_box(path: Path, viewport: str, site_page) -> None:
    page = site_page(path, viewport).page
    width = page.viewport_size["width"]
    result = page.evaluate(OVERFLOW_JS, SLACK)
    assert result is not None, f"{page_id(path)}: no MathJax on a page with displayed math"
    assert result["displays"] > 0, f"{page_id(path)}: no typeset display (mjx-container[display=true])"
    assert not result["over"], (
        f"{page_id(path)} at {width} px: {len(result['over'])} of {result['displays']} displays overflow "
        "their box (scrolls/past/cut in px):\n  " + "\n  ".join(map(str, result["over"]))
    )


def test_detector_reports_a_display_too_wide(own_site_page) -> None:
    """The check above can fail: a 60 em rule in a display on a phone is reported (on a load of its own,
    which it changes). On the page with the fewest formulas: MathJax.typesetPromise waits until MathJax
    has finished the page's own."""
    path = min(PAGES, key=lambda p: p.read_text(encoding="utf-8").count('class="math'))
    with own_site_page(path, "phone") as loaded:
        before = loaded.page.evaluate(OVERFLOW_JS, SLACK)
        loaded.page.evaluate(TOO_WIDE_JS)
        after = loaded.page.evaluate(OVERFLOW_JS, SLACK)
    assert after["displays"] == before["displays"] + 1
    assert len(after["over"]) == len(before["over"]) + 1, after
