"""Benchmark and proof: the site checks' shared page loads may settle once MathJax has typeset.

Run from the repository root after ``make book``::

    .venv/bin/python benchmarks/site_settle.py            # every page, at 1280 and 390 px
    .venv/bin/python benchmarks/site_settle.py book/api    # pages whose path contains these words

The shared loads of ``tests/site`` (``conftest.load_site_page``) settle once every formula is typeset
and shown (``conftest.SETTLE_JS``), not at ``MathJax.startup.promise``, which resolves only once
MathJax 4's speech worker has labelled every formula (seconds later on a long page). For every page at
both window sizes this opens one load, records the layout when settled, waits for MathJax to finish
(``SitePage.finished``) and records it again: every element's box (position and size, to 0.01 px) and
the page's scroll size. It prints the seconds to each state and whether anything moved, and exits 1 if
anything did. (``tests/site/test_site.py`` checks the formulas' boxes on every page at 1280 px and on
one at 390 px on each run.)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "site")]

from conftest import SITE, VIEWPORTS, load_site_page, page_path  # noqa: E402  (tests/site/conftest.py)
from factories import CHROMIUM, CHROMIUM_ARGS  # noqa: E402  (tests/factories.py)
from serve import serve_directory  # noqa: E402

# Every element's box in page coordinates, and the page's scroll size.
BOXES_JS = """() => ({
  boxes: Array.from(document.body.querySelectorAll('*')).map(e => {
    const r = e.getBoundingClientRect();
    return [e.tagName, ...[r.left + scrollX, r.top + scrollY, r.width, r.height]
      .map(v => Math.round(v * 100) / 100)].join(' ');
  }),
  size: [document.documentElement.scrollWidth, document.documentElement.scrollHeight],
})"""


def main(words: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    pages = sorted(
        p
        for p in SITE.rglob("*.html")
        if p.relative_to(SITE).parts[0] not in ("_static", "_sources", "slides")
        and all(w in page_path(p) for w in words)
    )
    moved = 0
    print(f"{'page':<45} {'size':>7}  typeset  finished  elements  changed")
    with sync_playwright() as pw, serve_directory(SITE) as base:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for path in pages:
            for size, viewport in VIEWPORTS.items():
                start = time.monotonic()
                context, loaded = load_site_page(browser, base, path, viewport)
                try:
                    typeset = time.monotonic() - start
                    early = loaded.page.evaluate(BOXES_JS)
                    loaded.finished()
                    finished = time.monotonic() - start
                    late = loaded.page.evaluate(BOXES_JS)
                finally:
                    context.close()
                changed = sum(a != b for a, b in zip(early["boxes"], late["boxes"], strict=False))
                changed += abs(len(early["boxes"]) - len(late["boxes"])) + (early["size"] != late["size"])
                moved += changed
                print(
                    f"{page_path(path):<45} {size:>7}  {typeset:6.1f} s  {finished:6.1f} s"
                    f"  {len(early['boxes']):8d}  {changed}"
                )
        browser.close()
    print("nothing moved once typeset" if not moved else f"{moved} boxes moved after typesetting")
    return 1 if moved else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
