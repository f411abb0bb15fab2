"""Benchmark and proof: the site checks' shared page loads may settle once MathJax has typeset.

Run from the repository root after ``make book``::

    .venv/bin/python benchmarks/site_settle.py            # every page, at 1280 and 390 px
    .venv/bin/python benchmarks/site_settle.py book/api    # pages whose path contains these words

The shared loads of ``tests/site`` (``conftest.load_site_page``) settle once every formula is typeset
and shown (``conftest.SETTLE_JS``), not at ``MathJax.startup.promise``, which resolves only once
MathJax 4's speech worker has labelled every formula (seconds later on a long page). For every page at
both window sizes this opens one load, records the layout when settled, waits for MathJax to finish
(``SitePage.finished``) and records it again: every element's box (tag, position and size, to 0.01 px) and
the page's scroll size. It prints the seconds to each state, how many elements moved (a box of the
first state missing from the second) and which were added (MathJax's mjx-speech, inside the formulas:
no text, absolutely placed; any that ends right of its formula is counted as moved), and exits 1 if
anything moved. The loads here have the speech labels on (readers' default); the shared loads of
``tests/site`` have them off, and ``tests/site/test_reader.py::test_speech_labels`` compares both on the
page with the most displayed formulas, at both sizes, on each run.)
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests" / "site"), str(ROOT / "tests")]

from conftest import SITE, VIEWPORTS, load_site_page, page_path  # noqa: E402  (tests/site/conftest.py)
from factories import CHROMIUM, CHROMIUM_ARGS  # noqa: E402  (tests/factories.py)
from serve import serve_directory  # noqa: E402

# Every element's box in page coordinates (with its tag), the page's scroll size, and the elements
# MathJax's speech adds inside a formula (mjx-speech: no text, absolutely placed) that end right of their
# formula's box (test_math's glyph-box check reads every element inside a formula).
BOXES_JS = """() => ({
  boxes: Array.from(document.body.querySelectorAll('*')).map(e => {
    const r = e.getBoundingClientRect();
    return [e.tagName, ...[r.left + scrollX, r.top + scrollY, r.width, r.height]
      .map(v => Math.round(v * 100) / 100)].join(' ');
  }),
  size: [document.documentElement.scrollWidth, document.documentElement.scrollHeight],
  speechPast: Array.from(document.querySelectorAll('mjx-container mjx-speech')).filter(e => {
    const r = e.getBoundingClientRect();
    const box = e.closest('mjx-container').getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.right > box.right + 1;
  }).length,
})"""


def main(words: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    pages = sorted(
        p
        for p in SITE.rglob("*.html")
        if p.relative_to(SITE).parts[0] not in ("_static", "_sources", "slides")
        and (not words or any(w in page_path(p) for w in words))
    )
    if not pages:
        raise SystemExit(f"no page of {SITE} matches {words}")
    moved = 0
    print(f"{'page':<45} {'size':>7}  typeset  finished  elements  changed")
    with sync_playwright() as pw, serve_directory(SITE) as base:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for path in pages:
            for size, viewport in VIEWPORTS.items():
                start = time.monotonic()
                context, loaded = load_site_page(browser, base, path, viewport, speech=True)
                try:
                    typeset = time.monotonic() - start
                    early = loaded.page.evaluate(BOXES_JS)
                    loaded.finished()
                    finished = time.monotonic() - start
                    late = loaded.page.evaluate(BOXES_JS)
                finally:
                    context.close()
                # an element moved if its box (tag, position, size) is not among the final boxes
                changed = sum((Counter(early["boxes"]) - Counter(late["boxes"])).values())
                added = Counter(b.split()[0] for b in (Counter(late["boxes"]) - Counter(early["boxes"])))
                changed += (early["size"] != late["size"]) + late["speechPast"]
                moved += changed
                print(
                    f"{page_path(path):<45} {size:>7}  {typeset:6.1f} s  {finished:6.1f} s"
                    f"  {len(early['boxes']):8d}  {changed}  added: {dict(added)},"
                    f" speech past its formula: {late['speechPast']}"
                )
        browser.close()
    print("nothing moved once typeset" if not moved else f"{moved} boxes moved after typesetting")
    return 1 if moved else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
