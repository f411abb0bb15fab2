"""Browser checks of the built site: every page of ``_build/html`` opened in headless Chromium.

For each page: no console error or uncaught exception, no failed or 4xx/5xx request, no request to any
host but 127.0.0.1 (such requests are aborted and recorded), every formula typeset by MathJax (no raw
TeX left, no MathJax error box), every image loaded, every internal link and #anchor resolving.
Each section page also carries its explorer's offline player, whose every slider changes the frame.
Run after `make book` with ``pytest -m site tests/site`` (``make site-test``).
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import pytest
from serve import LOCAL_HOSTS

pytestmark = pytest.mark.site

SITE = Path(__file__).resolve().parents[2] / "_build" / "html"


def site_pages() -> list[Path]:
    """Every HTML page of the site (theme templates under _static, sources and the slides, which
    tests/slides checks, are not pages)."""
    return sorted(
        p
        for p in SITE.rglob("*.html")
        if p.relative_to(SITE).parts[0] not in ("_static", "_sources", "slides")
    )


PAGES = site_pages()

# Raw TeX that MathJax should have replaced: \( \) \[ \] $$, or an inline "$\alpha"-like opening.
RAW_TEX = re.compile(r"\\\(|\\\)|\\\[|\\\]|\$\$|\$\\[A-Za-z]")

# Visible text of the page without code, scripts and typeset math (code may legitimately hold TeX).
VISIBLE_TEXT_JS = """() => {
  const clone = document.body.cloneNode(true);
  clone.querySelectorAll('pre, code, script, style, mjx-container, mjx-assistive-mml, textarea')
       .forEach(e => e.remove());
  return clone.textContent;
}"""

MATH_JS = """async () => {
  if (!window.MathJax || !MathJax.startup) return null;
  await MathJax.startup.promise;
  const math = Array.from(document.querySelectorAll('.math'));
  return {
    math: math.length,
    untypeset: math.filter(e => !e.querySelector('mjx-container')).map(e => e.textContent.slice(0, 80)),
    containers: document.querySelectorAll('mjx-container').length,
    errors: Array.from(document.querySelectorAll('mjx-merror')).map(e => e.textContent.slice(0, 120)),
  };
}"""

IMAGES_JS = """async () => {
  const imgs = Array.from(document.images);
  imgs.forEach(i => { i.loading = 'eager'; });
  await Promise.all(imgs.map(i => i.complete ? null : new Promise(r => {
    i.addEventListener('load', r); i.addEventListener('error', r);
  })));
  return imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute('src'));
}"""

# jupyter-book writes index.html as an immediate redirect to the root page.
META_REFRESH = re.compile(r'<meta\s+http-equiv="refresh"\s+content="\d+;\s*url=([^"]+)"', re.IGNORECASE)

LINKS_JS = "() => Array.from(document.querySelectorAll('a[href]')).map(a => a.href)"


def page_id(path: Path) -> str:
    return path.relative_to(SITE).as_posix()


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" or (tag == "a" and name == "name"):
                if value:
                    self.ids.add(value)


@cache
def anchors_in(path: Path) -> frozenset[str]:
    parser = _Ids()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return frozenset(parser.ids)


def local_file(site: Path, url_path: str) -> Path:
    path = unquote(url_path)
    target = site / path.lstrip("/")
    return target / "index.html" if path.endswith("/") or target.is_dir() else target


def test_site_has_pages() -> None:
    assert PAGES, f"no HTML page under {SITE}: run `make book` first"
    names = {page_id(p) for p in PAGES}
    assert "index.html" in names and "book/intro.html" in names, sorted(names)


@pytest.mark.parametrize("path", PAGES, ids=page_id)
def test_page_in_browser(path: Path, site: Path, site_page) -> None:
    loaded = site_page(path, "desktop").finished()  # the whole load's log, MathJax's work included
    page = loaded.page
    assert 200 <= loaded.status < 300, f"{page_id(path)}: HTTP {loaded.status}"
    math = page.evaluate(MATH_JS)
    broken_images = page.evaluate(IMAGES_JS)
    text = page.evaluate(VISIBLE_TEXT_JS)
    links = page.evaluate(LINKS_JS)
    offsite, failed, console_errors = loaded.offsite, loaded.failed, loaded.console

    name = page_id(path)
    problems: list[str] = []
    if offsite:
        problems.append(f"requests to other hosts: {offsite}")
    if failed:
        problems.append(f"failed requests: {failed}")
    if console_errors:
        problems.append(f"console errors: {console_errors}")

    # Math: MathJax must be on the page whenever there is math, and must have typeset all of it.
    raw = sorted({m.group(0) for m in RAW_TEX.finditer(text)})
    if raw:
        problems.append(f"raw TeX left in the text: {raw}")
    if math is not None:
        if math["untypeset"]:
            problems.append(f"formulas not typeset: {math['untypeset'][:5]}")
        if math["errors"]:
            problems.append(f"MathJax errors (bad TeX): {math['errors'][:5]}")
        if math["math"] and not math["containers"]:
            problems.append("math on the page but no mjx-container")

    if broken_images:
        problems.append(f"images not loaded: {broken_images}")

    # Links: every link into the site points to an existing file, and its #anchor exists there.
    for link in links:
        parts = urlsplit(link)
        if parts.scheme not in ("http", "https") or parts.hostname not in LOCAL_HOSTS:
            continue  # mailto:, javascript:, external references (not requested, only linked)
        target = local_file(site, parts.path)
        fragment = unquote(urldefrag(link).fragment)
        if not target.is_file():
            problems.append(f"broken link {link} (no file {target.relative_to(site)})")
        elif fragment and target.suffix == ".html" and fragment not in anchors_in(target):
            problems.append(f"broken anchor {link} (no id {fragment!r})")

    assert not problems, f"{name}:\n  " + "\n  ".join(problems)


def layout_changes(before: dict, after: dict) -> list[str]:
    """How two :data:`conftest.LAYOUT_JS` records differ (empty if they do not)."""
    changes = []
    if before["size"] != after["size"]:
        changes.append(f"page size {before['size']} -> {after['size']}")
    if len(before["boxes"]) != len(after["boxes"]):
        changes.append(f"{len(before['boxes'])} -> {len(after['boxes'])} formulas")
    moved = [
        (k, a, b) for k, (a, b) in enumerate(zip(before["boxes"], after["boxes"], strict=False)) if a != b
    ]
    changes += [f"formula {k}: box {a} -> {b}" for k, a, b in moved[:5]]
    if len(moved) > 5:
        changes.append(f"... {len(moved)} formulas moved")
    return changes


@pytest.mark.parametrize("path", PAGES, ids=page_id)
def test_layout_at_typeset_is_final(path: Path, site_page) -> None:
    """The shared loads settle once every formula is typeset and shown (conftest.SETTLE_JS): the layout
    the other checks read then is final. Every formula's box and the page's size at 1280 px are the same
    when MathJax has finished (late fonts or styles would move them). With the speech labels on, MathJax
    finishes seconds later: test_reader.test_speech_labels compares those loads' layouts."""
    loaded = site_page(path, "desktop").finished()
    changes = layout_changes(loaded.typeset_layout, loaded.finished_layout)
    assert not changes, f"{page_id(path)}: the layout changed after typesetting:\n  " + "\n  ".join(changes)


#: The page with the most displayed formulas (line-broken on a phone); none before the site is built
#: (the unit tests collect this module too).
MOST_DISPLAYS = sorted(PAGES, key=lambda p: p.read_text(encoding="utf-8").count('<div class="math'))[-1:]


SECTION_PAGES = sorted((SITE / "notebooks").glob("*.html"))

# The offline player of a page (lazylib.viz.explorer): its frame and, for every control, the frame shown
# after a reader's move: a slider moved to its other end with the same "input" event a drag fires, a
# checkbox (a yes/no control) clicked.
PLAYER_JS = """async () => {
  const players = Array.from(document.querySelectorAll('div.lazy-player'));
  const results = [];
  for (const player of players) {
    const img = player.querySelector('img.lazy-player-frame');
    const controls = Array.from(
      player.querySelectorAll('input.lazy-player-slider, input.lazy-player-toggle'));
    const shown = () => img.dataset.frame + ':' + img.src.length;
    const start = shown();
    const moves = [];
    for (const s of controls) {
      const before = shown();
      if (s.type === 'checkbox') {
        s.click();
      } else {
        s.value = (s.value === s.max) ? s.min : s.max;
        s.dispatchEvent(new Event('input', {bubbles: true}));
      }
      let decoded = true;
      try { await img.decode(); } catch (e) { decoded = false; }
      moves.push({kind: s.type, before: before, after: shown(), loaded: decoded && img.naturalWidth > 0});
    }
    results.push({start: start, controls: controls.length, moves: moves});
  }
  return results;
}"""


#: Pages whose explorer has yes/no controls, and how many (page 03: centred or not).
YES_NO_PAGES = {"03_theorem_8_1.html": 1}


@pytest.mark.changes_page  # (its page's last check: it moves the controls of the shared load)
@pytest.mark.parametrize("path", SECTION_PAGES, ids=page_id)
def test_section_player_controls_change_the_frame(path: Path, site_page) -> None:
    """Every section page carries its explorer's offline player, and each control shows another frame."""
    players = site_page(path, "desktop").page.evaluate(PLAYER_JS)
    assert len(players) == 1, f"{page_id(path)}: expected one explorer player, found {len(players)}"
    (player,) = players
    assert player["controls"] >= 1, f"{page_id(path)}: the player has no control"
    kinds = [move["kind"] for move in player["moves"]]
    if path.name in YES_NO_PAGES:  # a yes/no choice is a checkbox, not a two-stop slider
        assert kinds.count("checkbox") == YES_NO_PAGES[path.name], f"{page_id(path)}: controls {kinds}"
    for k, move in enumerate(player["moves"]):
        what = f"{page_id(path)}: control {k} ({move['kind']})"
        assert move["after"] != move["before"], f"{what} did not change the frame"
        assert move["loaded"], f"{what} shows a frame that is not a loaded image"


# Chrome of every page: one search (the sidebar's; the theme's header bar above it, which held only a
# second search button, is gone) and no glyph drawn as a box. For every distinct non-ASCII character
# of the visible text (MathJax draws its own glyphs), in the font of the element it sits in, a canvas
# compares its drawing with that of a noncharacter (U+FFFF, which no font has): equal pixels mean
# that no installed font has the glyph and the reader sees a box.
CHROME_JS = """() => {
  const visible = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0
    && getComputedStyle(e).visibility !== 'hidden'; };
  const searches = Array.from(document.querySelectorAll('.search-button, .search-button-field'))
    .filter(visible).length;
  const headers = Array.from(document.querySelectorAll('header.bd-header, #pst-header'))
    .filter(visible).map(e => Math.round(e.getBoundingClientRect().height));
  const seen = new Map();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest('mjx-container, script, style, textarea') || !visible(el)) continue;
    const font = getComputedStyle(el).fontFamily;
    for (const ch of n.textContent) {
      if (ch.codePointAt(0) > 127 && !/\\s/.test(ch)) seen.set(ch + '\\u0000' + font, [ch, font]);
    }
  }
  const canvas = document.createElement('canvas'); canvas.width = 64; canvas.height = 64;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  const draw = (ch, font) => { ctx.clearRect(0, 0, 64, 64); ctx.font = '40px ' + font;
    ctx.fillText(ch, 8, 48); return ctx.getImageData(0, 0, 64, 64).data.join(','); };
  const boxes = [];
  for (const [ch, font] of seen.values()) {
    if (/\\p{M}/u.test(ch)) continue;  // a combining mark alone draws only its mark
    if (draw(ch, font) === draw('\\uffff', font)) {
      boxes.push(ch + ' U+' + ch.codePointAt(0).toString(16) + ' in ' + font);
    }
  }
  const pdfs = Array.from(document.querySelectorAll('a[href$=".pdf"]')).map(a => a.getAttribute('href'));
  return {searches, headers, boxes, chars: seen.size, pdfs};
}"""


CONTENT_PAGES = [p for p in PAGES if not META_REFRESH.search(p.read_text(errors="replace"))]


@pytest.mark.parametrize("path", CONTENT_PAGES, ids=page_id)
def test_page_chrome(path: Path, site_page) -> None:
    """One search button, no header bar above the sidebar, no glyph as a box; links to the PDFs."""
    chrome = site_page(path, "desktop").page.evaluate(CHROME_JS)
    name = page_id(path)
    assert chrome["searches"] == 1, f"{name}: {chrome['searches']} visible search buttons, expected 1"
    assert not chrome["headers"], f"{name}: a header bar above the sidebar ({chrome['headers']} px high)"
    assert not chrome["boxes"], f"{name}: glyphs without a font (drawn as boxes): {chrome['boxes']}"
    # The PDF edition: every page of the book links to the whole book, a section page also to its own
    # PDF (the link test above checks that they resolve); generated pages (search, indices) have no
    # download menu.
    pdfs = {Path(href).name for href in chrome["pdfs"]}
    if name.startswith(("book/", "notebooks/")):
        assert "lazy-training.pdf" in pdfs, f"{name}: no link to the book's PDF ({sorted(pdfs)})"
    if name.startswith("notebooks/"):
        assert f"{Path(name).stem}.pdf" in pdfs, f"{name}: no link to its section's PDF ({sorted(pdfs)})"
