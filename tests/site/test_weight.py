"""Page weight (issue 25): what a phone downloads for each page's own content stays under 1.5 MB.

Each page of ``_build/html`` is opened in headless Chromium at a phone's viewport (390 x 844) in a
fresh context (nothing cached), every image made to load (lazy ones too), and the bytes of every
response counted (the shared "phone" load of ``conftest.py``, ``SitePage.sizes``): the HTML
document (with the offline players' base64 frames inside it) plus the images it loads must weigh at
most ``serve.MAX_CONTENT_BYTES``. The theme's style sheets, scripts and fonts are the same on every
page (cached after the first): ``benchmarks/page_weight.py`` reports them beside each page's total.
The lecturer's decks (``slides/NN_topic.html``) are weighed the same way by ``tests/slides``
(``test_slides.test_deck``), on the load of each deck those checks make anyway (a deck loads the same
HTML and images at any window size). This is the site's one check of page weight (it replaced a
coarser 5 MB bound on the files of a page's HTML and images, which it implies). Run after `make book`
with ``pytest -m site tests/site``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from serve import over_budget, shown_image_bytes

pytestmark = pytest.mark.site

SITE = Path(__file__).resolve().parents[2] / "_build" / "html"
#: jupyter-book's index.html only redirects to the root page (weighed as that page).
REDIRECT = re.compile(r'<meta\s+http-equiv="refresh"', re.IGNORECASE)


def _is_deck(path: Path) -> bool:
    """A lecturer's deck (slides/NN_topic.html: weighed by tests/slides), not the decks' index page."""
    return path.parent == SITE / "slides" and path.name != "index.html"


def _pages() -> list[Path]:
    return sorted(
        p
        for p in SITE.rglob("*.html")
        if p.relative_to(SITE).parts[0] not in ("_static", "_sources")
        and not _is_deck(p)
        and not REDIRECT.search(p.read_text(encoding="utf-8", errors="replace")[:2000])
    )


PAGES = _pages()


def test_weight_counts_what_the_page_loads(site_page) -> None:
    """The measurement itself: the page's own HTML is counted whole, and so is every image it shows."""
    assert PAGES, f"no HTML page under {SITE}: run `make book` first"
    path = next((p for p in PAGES if "<img" in p.read_text(encoding="utf-8")), None)
    assert path is not None, "no page with an image"
    sizes = site_page(path, "phone").sizes
    assert sizes["document"] == path.stat().st_size
    assert sizes["image"] >= shown_image_bytes(path) > 0


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.relative_to(SITE).as_posix())
def test_page_content_weighs_at_most_1_5_mb(path: Path, site_page) -> None:
    problem = over_budget(site_page(path, "phone").sizes)
    assert problem is None, f"{path.relative_to(SITE)} loads {problem}"
