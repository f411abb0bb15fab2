"""What a reader of the built site sees at a 1280 px window: legible figures, code that fits the
column, and no serious accessibility fault (issue 15).

* **Figures.** Every figure is drawn with fonts of at least
  :data:`lazylib.viz.style.MIN_FONT_PT` points (``tests/test_viz_pages.py`` checks every plot
  function and every explorer frame). Here, for every image of a page, its scale on the page: a PNG
  of ``dpi`` pixels per inch drawn ``natural`` pixels wide and shown ``shown`` CSS px wide puts
  ``shown / natural * dpi / 72`` CSS px on each point, so its smallest text is that times
  ``MIN_FONT_PT``; it must be at least 11 CSS px. The dpi is read from the PNG's ``pHYs`` chunk
  (matplotlib writes it); the offline players' frames carry none and are drawn at
  :data:`lazylib.viz.explorer.PLAYER_DPI`. Every image also needs an alternative text that says
  what it shows (not a file name).
* **Code and tables.** No code block (``pre``) and no table of the article scrolls horizontally; at
  390 px (a phone) every table reflows into one block per row instead; no table header splits a word.
* **The intro and the notation page.** The intro shows page 08's lazy/active figure (the PNG notebook
  08 stores); the notation page's headings hold no link.
* **Accessibility.** axe-core (the copy bundled in the ``axe-playwright-python`` wheel, injected into
  the page: nothing is fetched) finds no violation of impact "serious" or "critical".
* **Speech labels.** MathJax's speech and braille labels (on by default for readers, off on the shared
  loads: tests/site/conftest.py), on the page with the most displayed formulas at both sizes: every
  formula labelled, axe-core on them, a clean log, and the layout of the page without them.

Run after `make book` with ``pytest -m site tests/site`` (``make site-test``).
"""

from __future__ import annotations

import base64
import re
import struct
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from test_site import META_REFRESH, MOST_DISPLAYS, PAGES, SITE, layout_changes, page_id

from lazylib.viz.explorer import PLAYER_DPI
from lazylib.viz.style import MIN_FONT_PT

pytestmark = pytest.mark.site

#: The smallest text a reader must get, in CSS px, at a 1280 px window (conftest's "desktop" load).
MIN_TEXT_PX = 11.0
#: axe-core impacts that fail the test ("minor" and "moderate" are reported by axe, not failed here).
FAILING_IMPACTS = ("serious", "critical")

CONTENT_PAGES = [p for p in PAGES if not META_REFRESH.search(p.read_text(errors="replace"))]
SECTION_PAGES = sorted((SITE / "notebooks").glob("*.html"))


def png_dpi(data: bytes) -> float | None:
    """Pixels per inch of a PNG from its ``pHYs`` chunk (``None`` if it has none)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos = 8
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        if kind == b"pHYs":
            x, _y, unit = struct.unpack(">IIB", data[pos + 8 : pos + 17])
            return x * 0.0254 if unit == 1 else None  # unit 1: pixels per metre
        if kind == b"IDAT":
            return None  # pHYs must come before the image data
        pos += 12 + length
    return None


def test_png_dpi_reads_matplotlib_output() -> None:
    """The dpi reader against matplotlib's own PNGs (pHYs in pixels per metre, rounded)."""
    import io

    from matplotlib.figure import Figure

    for dpi in (80, 160, 200):
        buf = io.BytesIO()
        Figure(figsize=(1, 1)).savefig(buf, format="png", dpi=dpi)
        assert png_dpi(buf.getvalue()) == pytest.approx(dpi, abs=0.02)
    with pytest.raises(ValueError, match="PNG"):
        png_dpi(b"GIF89a")


IMAGES_JS = """async () => {
  const imgs = Array.from(document.querySelectorAll('article img'));
  imgs.forEach(i => { i.loading = 'eager'; });
  await Promise.all(imgs.map(i => i.complete ? null : new Promise(r => {
    i.addEventListener('load', r); i.addEventListener('error', r); })));
  return imgs.filter(i => { const r = i.getBoundingClientRect(); return r.width > 0 && r.height > 0; })
    .map(i => ({src: i.getAttribute('src'), natural: i.naturalWidth,
                shown: i.getBoundingClientRect().width, alt: i.getAttribute('alt') || '',
                player: !!i.closest('div.lazy-player')}));
}"""


def _image_bytes(page_url: str, src: str) -> bytes:
    if src.startswith("data:"):
        return base64.b64decode(src.split(",", 1)[1])
    path = SITE / unquote(urlsplit(page_url).path).lstrip("/")
    return (path.parent / unquote(src)).read_bytes()


@pytest.mark.parametrize("path", SECTION_PAGES, ids=page_id)
def test_figures_legible_at_1280(path: Path, site_page) -> None:
    """Every figure's smallest text lands at >= 11 CSS px, and every figure says what it shows."""
    page = site_page(path, "desktop").page
    images = page.evaluate(IMAGES_JS)
    url = page.url
    assert images, f"{page_id(path)}: no figure"
    problems = []
    for img in images:
        data = _image_bytes(url, img["src"])
        name = "player frame" if img["player"] else img["src"]
        dpi = png_dpi(data)
        if dpi is None and img["player"]:
            dpi = float(PLAYER_DPI)
        if dpi is None:
            problems.append(f"{name}: no pHYs chunk, its scale cannot be told")
            continue
        px_per_pt = img["shown"] / img["natural"] * dpi / 72.0
        smallest = MIN_FONT_PT * px_per_pt
        if smallest < MIN_TEXT_PX:
            problems.append(
                f"{name}: {img['natural']} px at {dpi:.0f} dpi shown {img['shown']:.0f} px wide: "
                f"{MIN_FONT_PT:g} pt text at {smallest:.1f} CSS px (< {MIN_TEXT_PX:g})"
            )
        alt = img["alt"].strip()
        if len(alt) < 30 or alt.lower().endswith((".png", ".svg", ".jpg")):
            problems.append(f"{name}: alternative text {alt[:60]!r} does not say what the figure shows")
    assert not problems, f"{page_id(path)}:\n  " + "\n  ".join(problems)


OVERFLOW_JS = """() => {
  const visible = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const out = [];
  for (const pre of document.querySelectorAll('article pre')) {
    if (visible(pre) && pre.scrollWidth > pre.clientWidth + 1) {
      out.push('code: ' + pre.textContent.split('\\n').sort((a, b) => b.length - a.length)[0].slice(0, 90));
    }
  }
  for (const table of document.querySelectorAll('article table')) {
    if (!visible(table)) continue;
    for (let box = table; box && box.tagName !== 'ARTICLE'; box = box.parentElement) {
      if (box.scrollWidth > box.clientWidth + 1 && getComputedStyle(box).overflowX !== 'visible') {
        out.push('table: ' + table.textContent.trim().slice(0, 60)); break;
      }
    }
    const article = document.querySelector('article').getBoundingClientRect();
    if (table.getBoundingClientRect().right > article.right + 1) {
      out.push('table beyond the column: ' + table.textContent.trim().slice(0, 60));
    }
  }
  return {blocks: document.querySelectorAll('article pre').length, overflowing: out};
}"""


@pytest.mark.parametrize("path", CONTENT_PAGES, ids=page_id)
def test_code_and_tables_fit_the_column(path: Path, site_page) -> None:
    """No code block or table scrolls horizontally at a 1280 px window."""
    result = site_page(path, "desktop").page.evaluate(OVERFLOW_JS)
    assert not result["overflowing"], (
        f"{page_id(path)}: {len(result['overflowing'])} of {result['blocks']} code blocks/tables scroll:\n  "
        + "\n  ".join(result["overflowing"])
    )


# resultTypes: only violations are reported in full (passes and incomplete results with one node each),
# which makes axe-core 3x faster on these pages and finds the same violations.
AXE_OPTIONS = {"rules": {"label-content-name-mismatch": {"enabled": True}}, "resultTypes": ["violations"]}


def axe_violations(page, path: Path) -> list[str]:
    """axe-core's violations of a failing impact on ``page`` (the page of ``path``), one line each."""
    from axe_playwright_python.sync_playwright import Axe

    # label-content-name-mismatch (WCAG 2.5.3, level A) is "experimental" in this axe bundle and
    # off by default; the current axe-core runs it: enabled here (_ext/book_a11y.py fixes it)
    results = Axe().run(page, options=AXE_OPTIONS).response
    return [
        f"{page_id(path)}: {v['id']} ({v['impact']}, {len(v['nodes'])} elements): {v['help']}; e.g. "
        + "; ".join(str(n["target"]) for n in v["nodes"][:3])
        for v in results["violations"]
        if v["impact"] in FAILING_IMPACTS
    ]


@pytest.mark.parametrize("path", CONTENT_PAGES, ids=page_id)
def test_accessibility_axe(path: Path, site_page) -> None:
    """axe-core finds no serious or critical violation (alt text, contrast, ARIA, labels, ...)."""
    report = axe_violations(site_page(path, "desktop").finished().page, path)
    assert not report, "\n  ".join(report)


# Every formula's speech and braille labels (MathJax 4: an mjx-speech element in its mjx-container):
# how many formulas, and those without a label.
SPEECH_JS = """() => {
  const formulas = Array.from(document.querySelectorAll('mjx-container'));
  const labels = formulas.map(c => c.querySelector('mjx-speech'));
  const missing = [];
  const has = (s, name) => !!s && !!(s.getAttribute(name) || '').trim();
  formulas.forEach((c, i) => {
    if (!has(labels[i], 'aria-label') || !has(labels[i], 'aria-braillelabel')) {
      const tex = (c.firstElementChild && c.firstElementChild.dataset.latex) || '?';
      missing.push(i + ': ' + tex.slice(0, 60));
    }
  });
  return {formulas: formulas.length, labelled: labels.filter(Boolean).length, missing};
}"""


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("path", MOST_DISPLAYS, ids=page_id)  # (grouped with that page's checks)
def test_speech_labels(path: Path, viewport: str, site_page, own_site_page) -> None:
    """MathJax's speech and braille labels, as readers get them by default, on a load of its own with
    them on: every formula of the page has both; its log holds no console error, failed request or
    request off 127.0.0.1 (the speech worker and its locale files come from the site); the layout when
    MathJax has finished is the layout at typesetting (what the shared loads' checks read) and the
    shared load's, which has the labels off (and none: conftest.SPEECH_OFF_JS took effect); at 1280 px,
    axe-core finds no serious or critical violation with them."""
    with own_site_page(path, viewport, speech=True) as loaded:
        loaded.finished()
        speech = loaded.page.evaluate(SPEECH_JS)
        report = axe_violations(loaded.page, path) if viewport == "desktop" else []
        name = f"{page_id(path)} at {loaded.page.viewport_size['width']} px"
    assert speech["formulas"] > 0, f"{name}: no formula"
    missing = speech["missing"]
    assert not missing, f"{name}: {len(missing)} formulas without speech or braille labels: {missing[:5]}"
    assert not (loaded.console or loaded.failed or loaded.offsite), (
        f"{name}: console {loaded.console}, failed {loaded.failed}, off 127.0.0.1 {loaded.offsite}"
    )
    changes = layout_changes(loaded.typeset_layout, loaded.finished_layout)
    assert not changes, f"{name}: the layout changed after typesetting:\n  " + "\n  ".join(changes)
    quiet = site_page(path, viewport).finished()
    assert quiet.page.evaluate(SPEECH_JS)["labelled"] == 0, f"{name}: the shared load has speech labels"
    changes = layout_changes(loaded.finished_layout, quiet.finished_layout)
    assert not changes, f"{name}: the speech labels move formulas:\n  " + "\n  ".join(changes)
    assert not report, "\n  ".join(report)


@pytest.mark.parametrize("path", CONTENT_PAGES, ids=page_id)
def test_footer_says_edition_licence_and_how_to_run(path: Path) -> None:
    """Every page: the edition stamp (version, date, commit), the licences, and how to run a notebook."""
    html = path.read_text(encoding="utf-8")
    footer = html[html.find('<footer class="bd-footer') :]
    assert re.search(r"Edition \d+\.\d+\.\d+, \d{4}-\d\d-\d\d, commit [0-9a-f]{7,}", footer), page_id(path)
    for words in ("CC BY 4.0", "MIT", "make lab", "CITATION.cff"):
        assert words in footer, f"{page_id(path)}: the footer does not say {words!r}"


#: The lecture's share of a page (issue 22), at 1280 px: visible code and printed output at most these
#: fractions of the article's height. Hidden inputs (folded, or in folded solutions) do not count.
MAX_CODE_SHARE, MAX_OUTPUT_SHARE = 0.15, 0.05
LECTURE_PAGES = [p for p in CONTENT_PAGES if page_id(p).startswith("notebooks/")]

SHARES_JS = """() => {
  const art = document.querySelector('article.bd-article');
  const shown = e => e.checkVisibility({contentVisibilityAuto: true, visibilityProperty: true,
                                        opacityProperty: true});
  const height = sel => [...art.querySelectorAll(sel)].filter(shown)
    .reduce((s, e) => s + e.getBoundingClientRect().height, 0);
  const total = art.getBoundingClientRect().height;
  return {code: height('.cell .cell_input') / total,
          output: height('.cell .cell_output .output.stream, .cell .cell_output .output.text_plain') / total};
}"""


@pytest.mark.parametrize("path", LECTURE_PAGES, ids=page_id)
def test_page_reads_as_a_lecture(path: Path, site_page) -> None:
    """Visible code ≤ 15 % and printed output ≤ 5 % of the page's height (the rest: prose, math,
    figures, checks tables, explorers)."""
    shares = site_page(path, "desktop").page.evaluate(SHARES_JS)
    print(f"\n{page_id(path)}: code {shares['code']:.0%}, printed output {shares['output']:.0%}")
    assert shares["code"] <= MAX_CODE_SHARE, f"{page_id(path)}: code is {shares['code']:.0%} of the page"
    assert shares["output"] <= MAX_OUTPUT_SHARE, (
        f"{page_id(path)}: output is {shares['output']:.0%} of the page"
    )


# ---------------------------------------------------------------------------- tables on a phone (issue 22)
# (at conftest's "phone" load: 390 x 844)

PHONE_TABLES_JS = """() => {
  const visible = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const out = [];
  if (!document.querySelector('article')) return out;
  const article = document.querySelector('article').getBoundingClientRect();
  for (const table of document.querySelectorAll('article table')) {
    if (!visible(table)) continue;
    const box = table.closest('.pst-scrollable-table-container') || table.parentElement;
    const what = table.textContent.trim().replace(/\\s+/g, ' ').slice(0, 60);
    if (box.scrollWidth > box.clientWidth + 1) out.push('scrolls: ' + what);
    else if (table.scrollWidth > table.clientWidth + 1) out.push('content wider than the table: ' + what);
    else if (table.getBoundingClientRect().right > article.right + 1) out.push('beyond the column: ' + what);
  }
  return out;
}"""


@pytest.mark.parametrize("path", CONTENT_PAGES, ids=page_id)
def test_tables_reflow_on_a_phone(path: Path, site_page) -> None:
    """At 390 px no table is wider than its column or scrolls sideways: each row reflows into a block
    whose cells are headed by their column's name (_static/tables.js, _static/reader.css)."""
    page = site_page(path, "phone").page
    wide = page.evaluate(PHONE_TABLES_JS)
    unlabelled = page.evaluate(
        "() => [...document.querySelectorAll('article table.reflow td[data-label]')].length"
        " - [...document.querySelectorAll('article table.reflow td')]"
        ".filter(td => td.dataset.label && getComputedStyle(td, '::before').content !== 'none').length"
    )
    tables = page.evaluate(
        "() => [document.querySelectorAll('article table').length,"
        " document.querySelectorAll('article table.reflow').length]"
    )
    assert not wide, f"{page_id(path)} at 390 px: {len(wide)} tables wider than the column:\n  " + (
        "\n  ".join(wide)
    )
    assert tables[0] == tables[1], f"{page_id(path)}: {tables[0] - tables[1]} tables do not reflow"
    assert unlabelled == 0, f"{page_id(path)}: {unlabelled} cells do not show their column's name"


HEADER_WORDS_JS = """() => {
  const split = [];
  for (const th of document.querySelectorAll('article table th')) {
    const r = th.getBoundingClientRect();
    if (!r.width || !r.height || getComputedStyle(th.closest('thead') || th).clip !== 'auto') continue;
    const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.textContent.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter(b => b.width > 0)
          .map(b => Math.round(b.top)));
        if (tops.size > 1) split.push(m[0]);
      }
    }
  }
  return split;
}"""


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("path", CONTENT_PAGES, ids=page_id)
def test_table_headers_keep_their_words(path: Path, viewport: str, site_page) -> None:
    """No table header splits a word across lines ("Ma / cro", "Symbo / l" on the notation page)."""
    page = site_page(path, viewport).page
    split = page.evaluate(HEADER_WORDS_JS)
    width = page.viewport_size["width"]
    assert not split, f"{page_id(path)} at {width} px: header words split across lines: {split}"


def test_notation_headings_do_not_repeat_page_names_as_links() -> None:
    """The notation page's section headings are plain titles; the pages they cover are named in the
    sentence below each (a link in a heading repeats the page's name in the heading and the contents)."""
    html = (SITE / "book" / "notation.html").read_text(encoding="utf-8")
    headings = re.findall(r"<h2>(.*?)</h2>", html, re.S)
    assert len(headings) >= 10, headings
    linked = [h for h in headings if re.search(r'<a class="reference', h)]
    assert not linked, f"headings with a link: {[re.sub(r'<[^>]+>', '', h).strip() for h in linked]}"


def test_intro_has_the_lazy_active_figure() -> None:
    """The book's face: the intro shows page 08's lazy/active figure, the very PNG notebook 08 stores
    (the executor copies it: the output of the current code), with a caption and an alternative text."""
    import importlib.util

    import nbformat

    root = SITE.parents[1]
    spec = importlib.util.spec_from_file_location("execute_notebooks", root / "_ext" / "execute_notebooks.py")
    assert spec is not None and spec.loader is not None
    executor = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(executor)
    ((notebook, name, _),) = executor.INTRO_FIGURES
    stored = executor.stored_figure(nbformat.read(root / "notebooks" / notebook, as_version=4), name)
    html = (SITE / "book" / "intro.html").read_text(encoding="utf-8")
    figure = re.search(r"<figure[^>]*>(.*?)</figure>", html, re.S)
    assert figure, "the intro has no figure"
    img = re.search(r'<img alt="([^"]+)" src="([^"]+)"', figure.group(1))
    assert img, "the intro's figure has no image with an alternative text"
    assert len(img.group(1)) > 60, img.group(1)
    assert (SITE / "book" / unquote(img.group(2))).resolve().read_bytes() == stored, (
        "the intro's figure is not the PNG notebook 08 stores: run `make execute` (the executor copies it)"
    )
    caption = re.search(r"<figcaption>(.*?)</figcaption>", figure.group(1), re.S)
    assert caption, "the intro's figure has no caption"
    words = re.sub(r"<[^>]+>", "", caption.group(1)).lower()
    assert "lazy" in words and "active" in words, words
