"""Browser checks of the lecturer's edition: the reveal.js decks of ``_build/html/slides`` in Chromium.

For each deck, walked slide by slide with the arrow keys at 1280×720: every slide renders (a visible
heading, its images loaded), no slide's content overflows the frame (each slide's scroll size), every
formula (slides and speaker notes) typeset by MathJax with no error and no raw TeX left, no request to
any host but 127.0.0.1 (aborted and recorded), no failed request, no console error; figures are
legible (their smallest text, 9 pt at 200 dpi, is >= 20 CSS px); the deck links back to its page on
the site, whose "Slides" button opens the deck; ArrowLeft goes back. Each deck's offline player
answers the keyboard (a focused slider moves with the arrow keys, the frame changes, the deck stays
on its slide). Each deck's own content (its HTML, the player's frames inside it, and every image of
its slides, all loaded by the walk) weighs at most ``serve.MAX_CONTENT_BYTES``, as every page of the
site (tests/site/test_weight.py). Every slide of the seed deck maps
to an existing deck slide (``slides/seed_map.yml``). Run after ``make slides`` with
``pytest -m slides tests/slides`` (``make slides-test``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from serve import PageLog, is_local, over_budget, received_bytes, record_page, shown_image_bytes

from lazylib.viz.style import FIGURE_DPI, MIN_FONT_PT

pytestmark = pytest.mark.slides

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "_build" / "html"
OUT = SITE / "slides"
SEED_MAP = ROOT / "slides" / "seed_map.yml"
NOTEBOOKS = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9]*.ipynb"))
DECKS = [OUT / f"{name}.html" for name in NOTEBOOKS]
WIDTH, HEIGHT = 1280, 720
MIN_TEXT_PX = 20.0
# A figure slide shows its image in at most this box (slides/_static/slides.css, under a 26 px title).
FIGURE_BOX = (1232, 690)
# The smallest text of a notebook figure, in CSS px at its natural size (9 pt at 200 dpi).
FIGURE_TEXT_PX = MIN_FONT_PT * FIGURE_DPI / 72


def can_be_legible(width: int, height: int) -> bool:
    """Whether a figure of this natural size fits the box at a scale where its text is >= 20 px."""
    scale = MIN_TEXT_PX / FIGURE_TEXT_PX
    return width * scale <= FIGURE_BOX[0] + 0.5 and height * scale <= FIGURE_BOX[1] + 0.5


RAW_TEX = re.compile(r"\\\(|\\\)|\\\[|\\\]|\$\$|\$\\[A-Za-z]")

READY_JS = """async () => {
  if (window.MathJax && MathJax.startup) await MathJax.startup.promise;
  await document.fonts.ready;
  return Reveal.isReady();
}"""

MATH_JS = """() => {
  const math = Array.from(document.querySelectorAll('.math'));
  return {
    math: math.length,
    untypeset: math.filter(e => !e.querySelector('mjx-container')).map(e => e.textContent.slice(0, 80)),
    errors: Array.from(document.querySelectorAll('mjx-merror, [data-mjx-error]'))
      .map(e => (e.getAttribute('data-mjx-error') || e.textContent).slice(0, 120)),
  };
}"""

# The current slide: its title, kind, scroll size, a visible heading, its images and its visible text.
SLIDE_JS = """async () => {
  const s = Reveal.getCurrentSlide();
  const imgs = Array.from(s.querySelectorAll('img'));
  await Promise.all(imgs.map(i => i.complete ? null : new Promise(r => {
    i.addEventListener('load', r); i.addEventListener('error', r); })));
  const h = s.querySelector('h1, h2');
  const r = h ? h.getBoundingClientRect() : null;
  const clone = s.cloneNode(true);
  clone.querySelectorAll('aside.notes, pre, code, script, style, mjx-container').forEach(e => e.remove());
  return {
    indices: Reveal.getIndices(),
    title: s.getAttribute('data-slide-title'),
    kind: s.getAttribute('data-slide-kind'),
    scroll: [s.scrollWidth, s.scrollHeight],
    heading: !!(r && r.width > 0 && r.height > 0 && r.bottom <= window.innerHeight),
    broken: imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src.slice(0, 80)),
    figures: (s.getAttribute('data-slide-kind') === 'figure' ? imgs : [])
      .map(i => ({width: i.getBoundingClientRect().width,
                  natural: i.naturalWidth, naturalHeight: i.naturalHeight})),
    text: clone.textContent,
    // the smallest text size on the slide (text nodes outside formulas, notes and the slide number)
    minFont: (() => { let m = Infinity; const w = document.createTreeWalker(s, NodeFilter.SHOW_TEXT);
      for (let n = w.nextNode(); n; n = w.nextNode()) {
        const e = n.parentElement;
        if (!n.textContent.trim() || !e || e.closest('mjx-container, aside.notes, script, style')) continue;
        const r = e.getBoundingClientRect(); if (!(r.width > 0 && r.height > 0)) continue;
        m = Math.min(m, parseFloat(getComputedStyle(e).fontSize)); }
      return m; })(),
  };
}"""


def deck_id(path: Path) -> str:
    return path.name


def open_deck(browser, base_url: str, path: Path, log: PageLog):
    """Open a deck at 1280×720 in a new tab whose requests off 127.0.0.1 are aborted, recording what it
    does into ``log`` (:func:`serve.record_page`)."""
    page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
    record_page(page, log)
    response = page.goto(f"{base_url}/{path.name}", wait_until="load")
    assert response is not None and response.ok, f"{path.name}: {response and response.status}"
    assert page.evaluate(READY_JS), f"{path.name}: reveal.js is not ready"
    return page


def to_first_slide(page) -> None:
    """Back to the deck's first slide with the Home key, wherever another check of the shared load left
    it (the focus taken out of a player's control first, where reveal.js leaves keys alone)."""
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.keyboard.press("Home")
    page.wait_for_function("Reveal.getSlidePastCount() === 0", timeout=5000)


@pytest.fixture(scope="module")
def deck_page(base_url: str, browser):
    """``deck_page(path)``: (page, log) of the deck ``path`` opened by :func:`open_deck`, shared by the
    checks of that deck (run one after the other: conftest's ``pytest_collection_modifyitems``): one
    load per deck is kept open until a check asks for another."""
    current: dict[Path, tuple[object, PageLog]] = {}

    def get(path: Path):
        if path not in current:
            for page, _ in current.values():
                page.close()
            current.clear()
            log = PageLog()
            current[path] = (open_deck(browser, base_url, path, log), log)
        return current[path]

    try:
        yield get
    finally:
        for page, _ in current.values():
            page.close()


def test_one_deck_per_page_and_an_index(decks: Path) -> None:
    missing = [p.name for p in DECKS if not p.is_file()]
    assert not missing, f"pages without a deck: {missing}"
    index = (decks / "index.html").read_text(encoding="utf-8")
    unlisted = [p.name for p in DECKS if f'href="{p.name}"' not in index]
    assert not unlisted, f"decks missing from index.html: {unlisted}"


@pytest.mark.parametrize("path", DECKS, ids=deck_id)
def test_deck(path: Path, deck_page) -> None:
    page, log = deck_page(path)
    problems: list[str] = []
    to_first_slide(page)
    total = page.evaluate("Reveal.getTotalSlides()")
    math = page.evaluate(MATH_JS)
    site_links = page.evaluate(
        "() => Array.from(document.querySelectorAll('a.slides-site-link')).map(a => a.getAttribute('href'))"
    )
    slides = []
    for k in range(total):
        if k:
            page.keyboard.press("ArrowRight")
            page.wait_for_function(f"Reveal.getSlidePastCount() === {k}", timeout=5000)
        slides.append(page.evaluate(SLIDE_JS))
    last = page.evaluate("Reveal.isLastSlide()")
    page.keyboard.press("ArrowLeft")
    back = page.evaluate("Reveal.getSlidePastCount()")
    sizes = received_bytes(list(log.responses))  # every slide shown: every image loaded

    assert total >= 3, f"{path.name}: only {total} slides"
    assert last, f"{path.name}: {total - 1} ArrowRight presses did not reach the last slide"
    if back != total - 2:
        problems.append(f"ArrowLeft from the last slide went to slide {back}, not {total - 2}")
    for key in ("offsite", "failed", "console"):
        if getattr(log, key):
            problems.append(f"{key}: {getattr(log, key)[:5]}")
    if not math["math"]:
        problems.append("no formula in the deck")
    if math["untypeset"]:
        problems.append(f"formulas not typeset: {math['untypeset'][:5]}")
    if math["errors"]:
        problems.append(f"MathJax errors: {math['errors'][:5]}")
    # the weight: the deck's HTML counted whole and every image file it shows, within the budget
    shown = shown_image_bytes(path)
    if sizes["document"] != path.stat().st_size or sizes["image"] < shown:
        problems.append(
            f"the weight misses part of the deck: {sizes['document']} B of HTML counted for a "
            f"{path.stat().st_size} B file, {sizes['image']} B of images for {shown} B shown"
        )
    heavy = over_budget(sizes)
    if heavy:
        problems.append(heavy)
    if site_links != [f"../notebooks/{path.stem}.html"]:
        problems.append(f"the link back to the site is {site_links}")
    for k, s in enumerate(slides, start=1):
        name = f"slide {k} ({s['title']!r})"
        if not s["heading"]:
            problems.append(f"{name}: no visible heading")
        if s["scroll"][0] > WIDTH + 1 or s["scroll"][1] > HEIGHT + 1:
            problems.append(f"{name}: content {s['scroll'][0]}x{s['scroll'][1]} overflows {WIDTH}x{HEIGHT}")
        if s["minFont"] < MIN_TEXT_PX:
            problems.append(f"{name}: text of {s['minFont']:.1f} px < {MIN_TEXT_PX:.0f} px")
        if s["broken"]:
            problems.append(f"{name}: images not loaded: {s['broken']}")
        raw = sorted({m.group(0) for m in RAW_TEX.finditer(s["text"])})
        if raw:
            problems.append(f"{name}: raw TeX {raw}")
        for fig in s["figures"]:
            px = FIGURE_TEXT_PX * fig["width"] / fig["natural"]
            # (a figure too tall for any legible scale is test_figures_fit_a_slide_legibly's failure)
            if px < MIN_TEXT_PX - 0.05 and can_be_legible(fig["natural"], fig["naturalHeight"]):
                problems.append(f"{name}: figure text {px:.1f} px < {MIN_TEXT_PX:.0f} px")
    assert not problems, f"{path.name}:\n  " + "\n  ".join(problems)


# The player's slider and frame, the deck's position: before and after a key press on the slider.
PLAYER_STATE_JS = """() => {
  const p = Reveal.getCurrentSlide().querySelector('div.lazy-player');
  const s = p.querySelector('input.lazy-player-slider');
  const img = p.querySelector('img.lazy-player-frame');
  return {value: s.value, max: s.max, frame: img.dataset.frame + ':' + img.src.length,
          focused: document.activeElement === s, past: Reveal.getSlidePastCount(),
          loaded: img.complete && img.naturalWidth > 0};
}"""


@pytest.mark.parametrize("path", DECKS, ids=deck_id)
def test_player_answers_the_keyboard(path: Path, deck_page) -> None:
    page, log = deck_page(path)
    to_first_slide(page)
    total = page.evaluate("Reveal.getTotalSlides()")
    for _ in range(total):  # to the player's slide, with the keyboard
        if page.evaluate("!!Reveal.getCurrentSlide().querySelector('div.lazy-player')"):
            break
        page.keyboard.press("ArrowRight")
    else:
        pytest.fail(f"{path.name}: no slide carries the explorer's player")
    page.focus("section.present input.lazy-player-slider")
    before = page.evaluate(PLAYER_STATE_JS)
    key = "ArrowLeft" if before["value"] == before["max"] else "ArrowRight"
    page.keyboard.press(key)
    page.wait_for_timeout(200)
    after = page.evaluate(PLAYER_STATE_JS)
    # a yes/no control (a checkbox): Space toggles it, and is not the deck's "next slide"
    toggles = []
    for box in page.query_selector_all("section.present input.lazy-player-toggle"):
        box.focus()
        state, checked = page.evaluate(PLAYER_STATE_JS), box.is_checked()
        page.keyboard.press("Space")
        page.wait_for_timeout(200)
        toggles.append((state, box.is_checked() != checked, page.evaluate(PLAYER_STATE_JS)))
    for state, toggled, then in toggles:
        assert toggled, f"{path.name}: Space did not toggle the player's checkbox"
        assert then["frame"] != state["frame"] and then["loaded"], (
            f"{path.name}: Space did not change the frame"
        )
        assert then["past"] == state["past"], f"{path.name}: Space on the checkbox also moved the deck"
    assert before["focused"], f"{path.name}: the slider cannot take the focus"
    assert after["value"] != before["value"], f"{path.name}: {key} did not move the slider"
    assert after["frame"] != before["frame"] and after["loaded"], (
        f"{path.name}: {key} did not change the frame"
    )
    assert after["past"] == before["past"], f"{path.name}: {key} on the slider also moved the deck"
    assert not log.console and not log.offsite, f"{path.name}: {log}"


def _seed_titles(text: str) -> list[str]:
    """The seed deck's slide titles: its level-1 headings after the first (the deck's own title)."""
    return [m.group(1).strip() for m in re.finditer(r"^# (.+)$", text, re.MULTILINE)][1:]


def _slides_of(html: str) -> dict[str, list[tuple[str, str]]]:
    """data-slide-title -> [(kind, the slide's HTML)] of a built deck."""
    out: dict[str, list[tuple[str, str]]] = {}
    for m in re.finditer(
        r'<section data-slide-kind="(\w+)" data-slide-title="([^"]*)"[^>]*>(.*?)</section>', html, re.S
    ):
        title = (
            m.group(2).replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        )
        out.setdefault(title, []).append((m.group(1), m.group(3)))
    return out


def test_every_seed_slide_maps_to_a_deck_slide(decks: Path) -> None:
    spec = yaml.safe_load(SEED_MAP.read_text(encoding="utf-8"))
    entries = spec["slides"]
    assert len(entries) == 20, f"the seed deck has 20 slides, the map {len(entries)} entries"
    seed_file = (ROOT / spec["seed_file"]).resolve()
    if seed_file.is_file():  # outside the repository: checked where it exists
        assert [e["seed"] for e in entries] == _seed_titles(seed_file.read_text(encoding="utf-8"))
    problems = []
    for k, entry in enumerate(entries, start=1):
        deck = decks / entry["deck"]
        if not deck.is_file():
            problems.append(f"seed slide {k} ({entry['seed']}): no deck {entry['deck']}")
            continue
        found = [
            s for s in _slides_of(deck.read_text(encoding="utf-8")).get(entry["slide"], []) if s[0] != "title"
        ]
        if not found:
            problems.append(
                f"seed slide {k} ({entry['seed']}): {entry['deck']} has no slide {entry['slide']!r}"
            )
        elif entry.get("notes") and not any('<aside class="notes">' in body for _, body in found):
            problems.append(f"seed slide {k} ({entry['seed']}): {entry['slide']!r} has no speaker notes")
    assert not problems, "\n".join(problems)


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def test_figures_fit_a_slide_legibly(decks: Path) -> None:
    """Every figure on a figure slide can be shown whole with its smallest text >= 20 px (the figures
    too tall for a slide are rendered wide for the decks: ``make slides``, lazylib.viz.layout)."""
    too_tall = []
    for deck in DECKS:
        html = deck.read_text(encoding="utf-8")
        for m in re.finditer(
            r'<section data-slide-kind="figure" data-slide-title="([^"]*)"(.*?)</section>', html, re.S
        ):
            for src in re.findall(r'<img[^>]*src="(_images/[^"]+\.png)"', m.group(2)):
                size = _png_size(decks / src)
                if not can_be_legible(*size):
                    too_tall.append(f"{deck.name}, {m.group(1)!r}: {size[0]}x{size[1]} px")
    assert not too_tall, "figures too tall for a legible slide:\n  " + "\n  ".join(too_tall)


SPEAKER_NOTES_JS = """() => {
  const notes = document.querySelector('.speaker-controls-notes .value');
  return notes && {text: notes.textContent, svgs: notes.querySelectorAll('svg').length,
                   assistive: notes.querySelectorAll('mjx-assistive-mml').length};
}"""


def test_speaker_view_shows_the_notes(base_url: str, browser) -> None:
    """Key S opens reveal.js's speaker view, offline, with the slide's notes: the page's prose, its
    formulas drawn (SVG, no second copy from the assistive MathML)."""
    deck = OUT / "03_theorem_8_1.html"
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    offsite: list[str] = []

    def route(route) -> None:
        if is_local(route.request.url):
            route.continue_()
        else:
            offsite.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    try:
        page = context.new_page()
        page.goto(f"{base_url}/{deck.name}", wait_until="load")
        assert page.evaluate(READY_JS)
        page.evaluate("Reveal.slide(Reveal.getSlides().findIndex(s => s.dataset.slideTitle=='The theorem'))")
        with context.expect_page() as popup:
            page.keyboard.press("s")
        speaker = popup.value
        filled = SPEAKER_NOTES_JS.replace("notes &&", "notes && notes.textContent.trim() &&")
        speaker.wait_for_function(filled)
        notes = speaker.evaluate(SPEAKER_NOTES_JS)
    finally:
        context.close()
    assert "Where the slides are loose" in notes["text"], notes["text"][:300]
    assert notes["svgs"] > 0 and notes["assistive"] == 0, notes
    assert not offsite, offsite


def test_links_resolve(decks: Path) -> None:
    """Every relative link of a deck reaches a deck and an id on it, or a page of the site (the decks
    are in the site's ``slides/``)."""
    ids = {p.name: set(re.findall(r'\bid="([^"]+)"', p.read_text(encoding="utf-8"))) for p in DECKS}
    problems = []
    for deck in DECKS:
        for href in re.findall(r'<a\b[^>]*\bhref="([^"]+)"', deck.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", href):
                continue  # external (not requested: the network test aborts any such request)
            path, _, frag = href.partition("#")
            if path.startswith("../"):
                target = SITE / path.removeprefix("../")
                if not target.is_file():
                    problems.append(f"{deck.name}: {href}: no page {target.relative_to(ROOT)}")
                continue
            name = path or deck.name
            if name not in ids:
                problems.append(f"{deck.name}: {href}: no deck {name}")
            elif frag and frag not in ids[name]:
                problems.append(f"{deck.name}: {href}: no id {frag!r} in {name}")
    assert not problems, "\n".join(problems[:30])


# The page's "Slides" button: its text, whether it shows, and where it points (absolute).
SLIDES_BUTTON_JS = """() => Array.from(
  document.querySelectorAll('.article-header-buttons a.btn-slides-button')).map(a => {
    const r = a.getBoundingClientRect();
    return {text: a.textContent.trim(), href: a.href, visible: r.width > 0 && r.height > 0}; })"""


#: The site's MathJax 4 (the pages'; the decks load their MathJax 3 from slides/_static/mathjax/tex-svg.js).
PAGE_MATHJAX = "**/_static/mathjax/tex-chtml.js"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_page_and_deck_link_each_other(name: str, site_url: str, browser) -> None:
    """Each lecture page's header has a visible "Slides" button to its own deck, and that deck's link
    back (title slide) returns to the page: both followed in the browser, on the served site. The page
    is loaded without its MathJax (the button is the theme's, drawn without it; typesetting the page's
    formulas took 3-5 s of CPU per page here, and tests/site checks them); the deck has its own."""
    page_url = f"{site_url}/notebooks/{name}.html"
    page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
    page.route(PAGE_MATHJAX, lambda route: route.abort())
    try:
        response = page.goto(page_url, wait_until="load")
        assert response is not None and response.ok, f"{page_url}: {response and response.status}"
        buttons = page.evaluate(SLIDES_BUTTON_JS)
        assert len(buttons) == 1, f"{name}: Slides buttons {buttons}"
        (button,) = buttons
        assert button["visible"] and button["text"] == "Slides", f"{name}: {button}"
        deck_url = f"{site_url}/slides/{name}.html"
        assert button["href"] == deck_url, f"{name}: the button opens {button['href']}"
        response = page.goto(button["href"], wait_until="load")
        assert response is not None and response.ok, f"{button['href']}: {response and response.status}"
        assert page.evaluate(READY_JS), f"{name}: the deck is not ready"
        title = page.evaluate("Reveal.getCurrentSlide().dataset.slideKind")
        assert title == "title", f"{name}: the deck opens on a {title!r} slide"
        page.click("section.present a.slides-site-link")
        # (the page's address is enough: its load, players and all, takes long on a loaded machine)
        page.wait_for_url(page_url, wait_until="commit", timeout=60000)
    finally:
        page.close()
