"""Benchmark: what a phone downloads per page of the built site (issue 25, "page weight").

Run from the repository root after ``make book``::

    .venv/bin/python benchmarks/page_weight.py                 # _build/html
    .venv/bin/python benchmarks/page_weight.py --site DIR      # another build

The site is served on 127.0.0.1 and each page opened in headless Chromium (``/usr/bin/chromium``, or
``$CHROMIUM``) at a phone's viewport (390 x 844), scrolled to the bottom so that lazily loaded images
load too; every response's body is counted, by kind: the HTML (and, inside it, the offline players'
base64 frames), images, style sheets, scripts, fonts and the rest. Nothing is cached between pages
(a fresh browser context per page), so each total is a first visit's download. The goal is
:data:`GOAL` bytes per page (``tests/site/test_weight.py`` asserts it).
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import sys
import threading
from collections import Counter
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL = 1.5e6
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
#: The base64 frames of the offline players (``lazylib.viz.explorer.player_html``) inside a page.
FRAMES = re.compile(r'<script type="application/json" class="lazy-player-data">(.*?)</script>', re.S)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


#: jupyter-book's index.html is an immediate redirect to the root page (weighed as that page).
REDIRECT = re.compile(r'<meta\s+http-equiv="refresh"', re.IGNORECASE)


def pages(site: Path) -> list[Path]:
    """The site's pages (as tests/site: theme files and sources are not pages; redirects neither)."""
    return sorted(
        p
        for p in site.rglob("*.html")
        if p.relative_to(site).parts[0] not in ("_static", "_sources")
        and not REDIRECT.search(p.read_text(encoding="utf-8", errors="replace")[:2000])
    )


def weigh(browser: object, url: str) -> Counter[str]:
    """Bytes downloaded by a first visit of ``url`` at a phone's size, by resource type."""
    context = browser.new_context(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    page = context.new_page()
    sizes: Counter[str] = Counter()

    def on_response(response: object) -> None:
        try:
            body = response.body()  # type: ignore[attr-defined]
        except Exception:  # a redirect or an aborted request has no body
            return
        sizes[response.request.resource_type] += len(body)  # type: ignore[attr-defined]

    page.on("response", on_response)
    # as tests/site: nothing off 127.0.0.1 (such requests are aborted, and so not counted)
    page.route(
        "**/*", lambda route: route.continue_() if "//127.0.0.1:" in route.request.url else route.abort()
    )
    page.goto(url, wait_until="load")
    page.evaluate(
        """async () => {
        const imgs = Array.from(document.images);
        imgs.forEach(i => { i.loading = 'eager'; });
        window.scrollTo(0, document.body.scrollHeight);
        await Promise.all(imgs.map(i => i.complete ? null : new Promise(r => {
          i.addEventListener('load', r); i.addEventListener('error', r);
        })));
        await document.fonts.ready;
    }"""
    )
    page.wait_for_timeout(200)
    context.close()
    return sizes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    args = parser.parse_args()
    site = args.site.resolve()
    if not (site / "index.html").is_file():
        print(f"{site} has no index.html: run `make book` first", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    kinds = ["document", "image", "stylesheet", "script", "font", "other"]
    print(f"{'page (kB)':34s} {'total':>7s} {'frames':>7s} " + " ".join(f"{k[:6]:>7s}" for k in kinds))
    over = 0
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for path in pages(site):
                sizes = weigh(browser, f"{base}/{path.relative_to(site).as_posix()}")
                rest = sum(v for k, v in sizes.items() if k not in kinds[:-1])
                row = [sizes[k] for k in kinds[:-1]] + [rest]
                total = sum(row)
                text = path.read_text(encoding="utf-8", errors="replace")
                frames = sum(len(m) for m in FRAMES.findall(text))
                over += total > GOAL
                print(
                    f"{path.relative_to(site).as_posix():34s} {total / 1e3:7.0f} {frames / 1e3:7.0f} "
                    + " ".join(f"{v / 1e3:7.0f}" for v in row)
                    + ("  > goal" if total > GOAL else "")
                )
            browser.close()
    finally:
        server.shutdown()
    print(f"{over} page(s) over {GOAL / 1e6:g} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
