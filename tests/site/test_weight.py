"""Page weight (issue 25): what a phone downloads for each page's own content stays under 1.5 MB.

Each page of ``_build/html`` is opened in headless Chromium at a phone's viewport (390 x 844) in a
fresh context (nothing cached), every image made to load (lazy ones too), and the bytes of every
response counted: the HTML document (with the offline players' base64 frames inside it) plus the
images it loads must weigh at most :data:`MAX_CONTENT_BYTES`. The theme's style sheets, scripts and
fonts are the same on every page (cached after the first): ``benchmarks/page_weight.py`` reports them
beside each page's total. This is the site's one check of page weight (it replaced a coarser 5 MB
bound on the files of a page's HTML and images, which it implies). Run after `make book` with
``pytest -m site tests/site``.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.site

SITE = Path(__file__).resolve().parents[2] / "_build" / "html"
#: The most a page's HTML and images may weigh (bytes).
MAX_CONTENT_BYTES = 1_500_000
#: jupyter-book's index.html only redirects to the root page (weighed as that page).
REDIRECT = re.compile(r'<meta\s+http-equiv="refresh"', re.IGNORECASE)


def _pages() -> list[Path]:
    return sorted(
        p
        for p in SITE.rglob("*.html")
        if p.relative_to(SITE).parts[0] not in ("_static", "_sources")
        and not REDIRECT.search(p.read_text(encoding="utf-8", errors="replace")[:2000])
    )


PAGES = _pages()

LOAD_ALL_IMAGES_JS = """async () => {
  const imgs = Array.from(document.images);
  imgs.forEach(i => { i.loading = 'eager'; });
  window.scrollTo(0, document.body.scrollHeight);
  await Promise.all(imgs.map(i => i.complete ? null : new Promise(r => {
    i.addEventListener('load', r); i.addEventListener('error', r);
  })));
  return imgs.length;
}"""


def weigh(browser, url: str) -> Counter[str]:
    """Bytes of every response a first visit of ``url`` receives at a phone's size, by resource type."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        sizes: Counter[str] = Counter()
        responses = []
        page.on("response", lambda response: responses.append(response))
        page.route(
            "**/*",
            lambda route: (
                route.continue_() if urlsplit(route.request.url).hostname == "127.0.0.1" else route.abort()
            ),
        )
        page.goto(url, wait_until="load")
        page.evaluate(LOAD_ALL_IMAGES_JS)
        for response in responses:
            if 300 <= response.status < 400:
                continue  # a redirect carries no content
            sizes[response.request.resource_type] += len(response.body())
        return sizes
    finally:
        context.close()


def test_weight_counts_what_the_page_loads(base_url: str, browser) -> None:
    """The measurement itself: the page's own HTML is counted whole, and so is every image it shows."""
    assert PAGES, f"no HTML page under {SITE}: run `make book` first"
    path = next((p for p in PAGES if "<img" in p.read_text(encoding="utf-8")), None)
    assert path is not None, "no page with an image"
    sizes = weigh(browser, f"{base_url}/{path.relative_to(SITE).as_posix()}")
    assert sizes["document"] == path.stat().st_size
    html = path.read_text(encoding="utf-8")
    srcs = {s for s in re.findall(r'<img[^>]*\ssrc="([^"]+)"', html) if not s.startswith("data:")}
    files = {(path.parent / s).resolve() for s in srcs}
    assert sizes["image"] >= sum(f.stat().st_size for f in files if f.is_file()) > 0


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.relative_to(SITE).as_posix())
def test_page_content_weighs_at_most_1_5_mb(path: Path, base_url: str, browser) -> None:
    sizes = weigh(browser, f"{base_url}/{path.relative_to(SITE).as_posix()}")
    content = sizes["document"] + sizes["image"]
    assert content <= MAX_CONTENT_BYTES, (
        f"{path.relative_to(SITE)} loads {content / 1e6:.2f} MB of HTML and images "
        f"(HTML {sizes['document'] / 1e6:.2f} MB, images {sizes['image'] / 1e6:.2f} MB; "
        f"at most {MAX_CONTENT_BYTES / 1e6:g} MB): smaller or fewer player frames or figures"
    )
