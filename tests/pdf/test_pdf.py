"""Checks of the PDF edition in ``_build/pdf`` with poppler's tools (pdftotext, pdftohtml, pdffonts, pdfinfo,
pdfimages).

``make book`` (or ``make pdf``) builds ``lazy-training.pdf`` (the whole book), one ``NN_topic.pdf``
per section and ``api.pdf`` (the API reference, which the book leaves out), refusing any LaTeX log
with an undefined reference, a multiply-defined label or a missing character
(``_ext/build_pdf.py``). Here, in the PDFs themselves: every section title and every
theorem/lemma/proposition title of the notebooks is in the book and in its section's PDF; no ``??``
(unresolved reference), no raw ``\\begin`` or ``$`` and no Python repr string (an output that had no
printable form) in the text; every font embedded; each section PDF holds its explorer's still (the
default setting, drawn at print resolution) and every image is at ≥ 150 ppi on the page; the
bibliography is there, author–year; page counts in a sane range. For readers (issue 25): no text
line passes the text area's margins (poppler's bounding boxes against the page geometry in the LaTeX
log); figures and exercises numbered by page as on the site ("Fig. 5.1" is page 05's first figure,
the book's chapter 5); the book holds the lecture, not the API reference; the solutions are in an
appendix "Solutions", each linked from its exercise and back; no lecture page is more than 40 % code
and output (issue 22: monospaced lines against the text area's height, ``pdftohtml -xml``). Run
with ``pytest -m pdf tests/pdf`` (``make pdf-test``).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.pdf

ROOT = Path(__file__).resolve().parents[2]
PDF_DIR = ROOT / "_build" / "pdf"
LATEX_DIR = ROOT / "_build" / "latex"
SITE = ROOT / "_build" / "html"
BOOK = PDF_DIR / "lazy-training.pdf"
API = PDF_DIR / "api.pdf"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

BOOK_PAGES = (60, 400)
SECTION_PAGES = (3, 60)
MIN_PPI = 150  # every image, as placed on the page
# The explorer's still: drawn at PRINT_DPI (200) 7 inches wide, and palette-quantised (128 colours,
# lazylib.viz.explorer), so it is the one indexed-colour image of a section; figures are RGB.
EXPLORER_MIN_WIDTH = 1300

# Statement directives whose titles must be in the PDF (exercises are numbered, checked by count).
STATEMENT = re.compile(r"^(?:```|:::)\{prf:(theorem|lemma|proposition|corollary)\}[ \t]*(.*)$", re.M)
HEADING = re.compile(r"^\(sec-[^)]*\)=\s*\n# (.+)$", re.M)  # the label line, then the title
RAW_LABEL = re.compile(r"(?<![\w/-])(?:sec|thm|lem|prop|def|asm|ex)-[a-z0-9]+(?:-[a-z0-9]+)*")
REPRS = ("IPython.core.display", "<Figure size", " object at 0x", "<matplotlib.")


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} not found: apt-get install poppler-utils (see README)")
    return path


def run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True, errors="replace").stdout


@cache
def text_of(pdf: Path) -> str:
    return run(tool("pdftotext"), "-enc", "UTF-8", str(pdf), "-")


def key(text: str) -> str:
    """Text for comparison: no whitespace, hyphens or apostrophes (line breaks, typography)."""
    return re.sub(r"[\s\-‐’'`]", "", text).lower()


def plain_title(title: str) -> list[str]:
    """The pieces of a MyST title outside math and markup, each long enough to be meaningful."""
    no_math = re.sub(r"\$[^$]*\$", "|", title)
    no_markup = re.sub(r"\{[a-z:]+\}`([^`<]*)(<[^>]*>)?`", r"\1", no_math).replace("`", "").replace("*", "")
    return [p.strip(" ,.:;()") for p in no_markup.split("|") if len(p.strip(" ,.:;()")) >= 3]


def notebook_markdown(nb: Path) -> str:
    cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def section_title(nb: Path) -> str:
    match = HEADING.search(notebook_markdown(nb))
    assert match, f"{nb.name}: no '(sec-...)=' label line followed by the '# title'"
    return match.group(1)


def statements(nb: Path) -> list[tuple[str, str]]:
    return [(kind, title) for kind, title in STATEMENT.findall(notebook_markdown(nb)) if title.strip()]


def section_pdf(nb: Path) -> Path:
    return PDF_DIR / f"{nb.stem}.pdf"


def test_pdfs_exist() -> None:
    assert BOOK.is_file(), f"{BOOK} missing: run `make pdf` (needs TeX Live, see README)"
    missing = [section_pdf(nb).name for nb in NOTEBOOKS if not section_pdf(nb).is_file()]
    assert not missing, f"section PDFs missing: {missing}"
    assert API.is_file(), f"{API} missing (the API reference's own PDF)"


ALL_PDFS = [BOOK, *(section_pdf(nb) for nb in NOTEBOOKS)]


@pytest.mark.parametrize("pdf", ALL_PDFS, ids=lambda p: p.name)
def test_page_count_and_fonts(pdf: Path) -> None:
    info = run(tool("pdfinfo"), str(pdf))
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    lo, hi = BOOK_PAGES if pdf == BOOK else SECTION_PAGES
    assert lo <= pages <= hi, f"{pdf.name}: {pages} pages, expected {lo}..{hi}"
    # pdffonts: name, type, encoding, emb, sub, uni, object ID; 'emb' must be 'yes' everywhere.
    rows = run(tool("pdffonts"), str(pdf)).splitlines()[2:]
    not_embedded = [r for r in rows if r.split()[-5] != "yes"]
    assert rows and not not_embedded, f"{pdf.name}: fonts not embedded:\n" + "\n".join(not_embedded)


@pytest.mark.parametrize("pdf", ALL_PDFS, ids=lambda p: p.name)
def test_text_has_nothing_raw(pdf: Path) -> None:
    text = text_of(pdf)
    problems = []
    if "??" in text:
        problems.append("'??' (an unresolved reference)")
    # Python string literals of the printed code (straight quotes: Sphinx curls the prose's quotes)
    # may hold TeX, e.g. a Checks claim "$\\hat R \\le ...$": not raw prose
    text = re.sub(r'"[^"\n]*"', '""', text)
    for raw in ("\\begin", "\\end{", "$"):
        if raw in text:
            i = text.index(raw)
            problems.append(f"raw {raw!r} in the text: ...{text[max(0, i - 60) : i + 60]!r}...")
    for label in sorted(set(RAW_LABEL.findall(text))):
        problems.append(f"a reference shown as its bare label: {label!r}")
    for rep in REPRS:
        if rep in text:
            i = text.index(rep)
            problems.append(f"a repr string instead of an output: ...{text[max(0, i - 60) : i + 60]!r}...")
    assert not problems, f"{pdf.name}:\n  " + "\n  ".join(problems)


DOUBLE_NUMBER = re.compile(r"^\d+(?:\.\d+)*[ \t]+\d+\.[ \t]+[A-Z]", re.M)


@pytest.mark.parametrize("pdf", ALL_PDFS, ids=lambda p: p.name)
def test_headings_numbered_once(pdf: Path) -> None:
    """A heading numbered by hand on the site ("## 1. Two clocks") is numbered by LaTeX alone."""
    doubled = DOUBLE_NUMBER.findall(text_of(pdf))
    assert not doubled, f"{pdf.name}: headings numbered twice: {doubled[:5]}"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_section_and_statement_titles(nb: Path) -> None:
    """The section's title and each statement's title are in the book and in the section's PDF."""
    wanted = [("section", section_title(nb)), *statements(nb)]
    for pdf in (BOOK, section_pdf(nb)):
        text = key(text_of(pdf))
        missing = [
            f"{kind}: {title}"
            for kind, title in wanted
            if not all(key(piece) in text for piece in plain_title(title))
        ]
        assert not missing, f"{pdf.name} lacks titles of {nb.name}:\n  " + "\n  ".join(missing)


@pytest.mark.parametrize("pdf", ALL_PDFS, ids=lambda p: p.name)
def test_bibliography(pdf: Path) -> None:
    text = text_of(pdf)
    heading = "Bibliography" if pdf == BOOK else "References"  # (Sphinx's manual / howto classes)
    assert heading in text and "Chizat" in text, f"{pdf.name}: no bibliography"


def images(pdf: Path) -> list[dict[str, Any]]:
    """pdfimages -list: page, num, type, width, height, color, ..., x-ppi, y-ppi, ... per image."""
    rows = run(tool("pdfimages"), "-list", str(pdf)).splitlines()[2:]
    out = []
    for row in rows:
        f = row.split()
        if f[2] == "smask":  # the transparency mask of the image before it
            continue
        ppi = min(int(f[12]), int(f[13]))
        out.append({"page": int(f[0]), "width": int(f[3]), "height": int(f[4]), "color": f[5], "ppi": ppi})
    return out


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_figures_at_print_resolution(nb: Path) -> None:
    imgs = images(section_pdf(nb))
    assert imgs, f"{nb.stem}.pdf has no figure"
    low = [i for i in imgs if i["ppi"] < MIN_PPI]
    assert not low, f"{nb.stem}.pdf: images below {MIN_PPI} ppi on the page: {low}"
    assert any(i["color"] == "index" and i["width"] >= EXPLORER_MIN_WIDTH for i in imgs), (
        f"{nb.stem}.pdf: no explorer still (an indexed-colour image >= {EXPLORER_MIN_WIDTH} px wide, "
        "the default setting the static player carries as image/png): re-execute the notebook "
        "(make execute)"
    )


# ---------------------------------------------------------------------------------------------- margins
BP_PER_PT = 72 / 72.27  # PDF coordinates are big points; TeX's log gives TeX points
MARGIN_TOLERANCE_BP = 1.5  # glyph bounding boxes (italic overhang) may pass the box by a hair
LINE = re.compile(r'<line xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</line>', re.S)


def text_area(pdf: Path) -> tuple[float, float]:
    """Left and right edges of the text area (bp), from the geometry package's report in the
    document's LaTeX log ("h-part:(L,W,R)=(...)"; the margins are the same on odd and even pages)."""
    log = LATEX_DIR / f"{pdf.stem}.log"
    assert log.is_file(), f"{log} missing: the PDF tests read the page geometry from it (run `make pdf`)"
    hpart = r"h-part:\(L,W,R\)=\(([\d.]+)pt, ([\d.]+)pt, ([\d.]+)pt\)"
    match = re.search(hpart, log.read_text(errors="replace"))
    assert match, f"{log.name}: no geometry report (h-part)"
    left, width, _ = map(float, match.groups())
    return left * BP_PER_PT, (left + width) * BP_PER_PT


def overflowing_lines(pdf: Path) -> list[tuple[int, float, str]]:
    """(page, bp past the text area, the line's text) of every text line outside the text area."""
    left, right = text_area(pdf)
    layout = run(tool("pdftotext"), "-bbox-layout", str(pdf), "-")
    found = []
    for number, page in enumerate(layout.split("<page ")[1:], start=1):
        for x0, x1, words in LINE.findall(page):
            past = max(float(x1) - right, left - float(x0))
            if past > MARGIN_TOLERANCE_BP:
                text = " ".join(html.unescape(w) for w in re.findall(r">([^<]*)</word>", words))
                found.append((number, round(past, 1), text[:120]))
    return found


@pytest.mark.parametrize("pdf", [*ALL_PDFS, API], ids=lambda p: p.name)
def test_no_line_past_the_margin(pdf: Path) -> None:
    over = overflowing_lines(pdf)
    assert not over, f"{pdf.name}: text lines outside the text area (page, bp, text):\n  " + "\n  ".join(
        f"p. {page}: {past} bp: {text}" for page, past, text in over
    )


# ---------------------------------------------------------------------------------------------- numbering
FIG_CAPTION = re.compile(r"(?:^|\f)Fig\. (\d+)\.(\d+):", re.M)  # (\f: a page starts with the caption)
EXERCISE_TITLE = re.compile(r"(?:^|\f)Exercise (\d+)\.(\d+)(?= \(|$)", re.M)  # an exercise box's title


def page_no(nb: Path) -> int:
    return int(nb.stem[:2])


def numbers(pattern: re.Pattern[str], text: str, page: int) -> list[str]:
    return [f"{a}.{b}" for a, b in pattern.findall(text) if int(a) == page]


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_figures_and_exercises_numbered_by_page(nb: Path) -> None:
    """Page NN's figures are Fig. NN.1, NN.2, ... in its section PDF and in the book (whose chapter
    NN it is), and its exercises Exercise NN.1, ...; the same counts in both."""
    n = page_no(nb)
    seen = {}
    for pdf in (section_pdf(nb), BOOK):
        text = text_of(pdf)
        figs = numbers(FIG_CAPTION, text, n)
        exercises = list(dict.fromkeys(numbers(EXERCISE_TITLE, text, n)))
        assert figs, f"{pdf.name}: no caption 'Fig. {n}.k:'"
        assert figs == [f"{n}.{k}" for k in range(1, len(figs) + 1)], f"{pdf.name}: figures {figs}"
        assert exercises == [f"{n}.{k}" for k in range(1, len(exercises) + 1)], f"{pdf.name}: {exercises}"
        seen[pdf.name] = (figs, exercises)
    assert seen[section_pdf(nb).name] == seen[BOOK.name], f"section PDF and book disagree: {seen}"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_pdf_numbers_match_the_site(nb: Path) -> None:
    """The site numbers the same figures: "Fig. N.k" in the same order (tests/site checks the site)."""
    page = SITE / "notebooks" / f"{nb.stem}.html"
    if not page.is_file():
        pytest.skip("the site is not built (make html)")
    site = re.findall(r'class="caption-number">Fig\. ([\d.]+)\s*<', page.read_text(encoding="utf-8"))
    assert numbers(FIG_CAPTION, text_of(section_pdf(nb)), page_no(nb)) == site


def test_first_figure_of_page_05_is_fig_5_1() -> None:
    nb = next(nb for nb in NOTEBOOKS if nb.stem.startswith("05_"))
    for pdf in (section_pdf(nb), BOOK):
        first = next((m.groups() for m in FIG_CAPTION.finditer(text_of(pdf)) if m.group(1) == "5"), None)
        assert first == ("5", "1"), f"{pdf.name}: page 05's first figure is {first}"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_book_chapter_number_is_the_page_number(nb: Path) -> None:
    """The book's table of contents lists page NN's title as chapter NN (not NN + 1: the notation
    and reference pages are unnumbered chapters, as they are unnumbered pages on the site)."""
    words = plain_title(section_title(nb))[0].split()[:3]
    toc = text_of(BOOK)
    # (a title may hold no-break spaces; a page of pdftotext starts with \f)
    pattern = rf"(?:^|\f){page_no(nb)}\s+" + r"\s+".join(map(re.escape, words))
    assert re.search(pattern, toc, re.M), (
        f"the book's contents have no line '{page_no(nb)} {' '.join(words)}...'"
    )
    # only the table of contents (up to the last page's entry): a running head "Notation" after a
    # page number further on is not a chapter number
    last = NOTEBOOKS[-1]
    last_words = plain_title(section_title(last))[0].split()[:3]
    last_entry = re.search(
        rf"(?:^|\f){page_no(last)}\s+" + r"\s+".join(map(re.escape, last_words)), toc, re.M
    )
    contents = toc[: last_entry.end()] if last_entry else toc
    assert not re.search(r"(?:^|\f)\d+\s+Notation\b", contents, re.M), "the notation chapter is numbered"


# ---------------------------------------------------------------------------------------------- API reference
SIGNATURE = re.compile(r"\blazylib\.\w+\.\w+\(")  # an autodoc signature, "lazylib.flows.gradient_flow("


def test_api_reference_in_its_own_pdf() -> None:
    assert len(SIGNATURE.findall(text_of(API))) >= 50, "api.pdf lacks the API's signatures"
    in_book = SIGNATURE.findall(text_of(BOOK))
    assert not in_book, f"the book holds API signatures: {in_book[:5]}"
    links = [href for _, _, href in links_of(BOOK) if href.split("#")[0] == "api.pdf"]
    assert links, "the book does not link to api.pdf"


# ---------------------------------------------------------------------------------------------- solutions
@cache
def pdf_xml(pdf: Path) -> str:
    return run(tool("pdftohtml"), "-xml", "-i", "-q", "-stdout", str(pdf))


def links_of(pdf: Path) -> list[tuple[int, str, str]]:
    """(page, link text, target) of every link: pdftohtml writes an internal target as
    ``name.html#PAGE``, an external one as its URI."""
    out = []
    for page in re.finditer(r'<page number="(\d+)"(.*?)</page>', pdf_xml(pdf), re.S):
        for href, text in re.findall(r'<a href="([^"]*)">(.*?)</a>', page.group(2), re.S):
            out.append((int(page.group(1)), html.unescape(re.sub(r"<[^>]+>", "", text)).strip(), href))
    return out


def pages_of(pdf: Path) -> list[str]:
    return text_of(pdf).split("\f")


def internal_target(href: str) -> int | None:
    name, _, page = href.rpartition("#")
    return int(page) if name.endswith(".html") and page.isdigit() else None


SOLUTION_LINE = re.compile(r"Solution to Exercise (\d+\.\d+), page")


@pytest.mark.parametrize("pdf", ALL_PDFS, ids=lambda p: p.name)
def test_solutions_in_an_appendix_linked_both_ways(pdf: Path) -> None:
    """Where each solution was, a line "Solution to Exercise N.k, page P" links to the solution in
    the appendix "Solutions" (after every exercise); the solution's title, "Solution to Exercise
    N.k", links back to the page of the exercise. Every exercise has its solution there."""
    pages = pages_of(pdf)
    exercises: dict[str, int] = {}
    pointers: dict[str, int] = {}
    for i, page in enumerate(pages, start=1):
        for a, b in EXERCISE_TITLE.findall(page):
            exercises.setdefault(f"{a}.{b}", i)
        for num in SOLUTION_LINE.findall(key_space(page)):
            pointers.setdefault(num, i)
    assert exercises, f"{pdf.name}: no exercise"
    assert set(pointers) == set(exercises), f"{pdf.name}: exercises {sorted(exercises)}; {sorted(pointers)}"
    links = links_of(pdf)
    problems = []
    for num, where in sorted(pointers.items()):
        forward = [internal_target(h) for p, t, h in links if p == where and t.endswith(f"Exercise {num}")]
        target = next((t for t in forward if t), None)
        if target is None:
            problems.append(f"Exercise {num}: no link from page {where} to its solution")
            continue
        # (the solution's title, not a pointer "Solution to Exercise N.k, page P", after the pointer)
        title = re.compile(rf"Solution to Exercise {re.escape(num)}(?!, page|\d)")
        if not title.search(key_space(pages[target - 1])) or target < where:
            problems.append(f"Exercise {num}: the link goes to page {target}, not to the solution")
            continue
        back = [
            internal_target(h) for p, t, h in links if p in (target, target + 1) and t == f"Exercise {num}"
        ]
        if exercises[num] not in back:
            problems.append(f"Exercise {num}: solution (p. {target}) links to {back}, not {exercises[num]}")
    assert not problems, f"{pdf.name}:\n  " + "\n  ".join(problems)


def key_space(text: str) -> str:
    """Text with runs of whitespace as one space (a title may break across lines)."""
    return re.sub(r"\s+", " ", text)


# ---------------------------------------------------------------------------------------------- citations
@pytest.mark.parametrize("pdf", ALL_PDFS, ids=lambda p: p.name)
def test_bibliography_author_year(pdf: Path) -> None:
    """The bibliography's labels are the author–year citations of the text, not numbers."""
    text = key_space(text_of(pdf))
    assert "[Chizat et al., 2019]" in text, f"{pdf.name}: no author-year label [Chizat et al., 2019]"
    bibliography = text[text.rfind("Bibliography") :]  # (code elsewhere may print "x[0]" before a word)
    numbered = re.search(r"\[\d{1,2}\] [A-Z][a-zé]+ ", bibliography)
    assert not numbered, f"{pdf.name}: a numbered bibliography entry"


# ---------------------------------------------------------------------------------- code share (issue 22)
#: Issue 22, §5: "In the PDF, no lecture page is more than 40 % code and output".
MAX_CODE_SHARE = 0.40
TEXT = re.compile(r'<text top="(-?\d+)" left="-?\d+" width="\d+" height="(\d+)" font="(\d+)">', re.S)
FONTSPEC = re.compile(r'<fontspec id="(\d+)" size="[\d.]+" family="([^"]+)"')
OUTLINE_ITEM = re.compile(r'<item page="(\d+)">(.*?)</item>|(<outline>)|(</outline>)')


@cache
def pdf_layout(pdf: Path) -> str:
    """poppler's XML of the PDF in PDF units (bp): every text run with its box and font, the outline."""
    return run(tool("pdftohtml"), "-xml", "-i", "-stdout", "-q", "-zoom", "1", str(pdf))


def text_height(pdf: Path) -> float:
    """Height of the text area (bp), from the geometry package's report ("v-part:(T,H,B)")."""
    log = LATEX_DIR / f"{pdf.stem}.log"
    assert log.is_file(), f"{log} missing: the PDF tests read the page geometry from it (run `make pdf`)"
    match = re.search(r"v-part:\(T,H,B\)=\(([\d.]+)pt, ([\d.]+)pt", log.read_text(errors="replace"))
    assert match, f"{log.name}: no geometry report (v-part)"
    return float(match.group(2)) * BP_PER_PT


def chapter_pages(pdf: Path) -> dict[str, range]:
    """``title -> pages`` of every chapter of the outline that is a notebook's section (the lecture):
    from its page to the page before the next item of its level or above."""
    items: list[tuple[int, int, str]] = []  # (depth, page, title)
    depth = 0
    for page, title, opened, closed in OUTLINE_ITEM.findall(pdf_layout(pdf)):
        depth += 1 if opened else -1 if closed else 0
        if page:
            items.append((depth, int(page), html.unescape(title)))
    titles = {key(section_title(nb)) for nb in NOTEBOOKS}
    last = int(re.findall(r'<page number="(\d+)"', pdf_layout(pdf))[-1])
    out = {}
    for i, (d, page, title) in enumerate(items):
        if key(title) in titles:
            end = next((p for dd, p, _ in items[i + 1 :] if dd <= d), last + 1)
            out[title] = range(page, max(end, page + 1))
    return out


def code_share(pdf: Path) -> dict[int, float]:
    """``page -> share of the text area's height`` that code and output take, on every page.

    A line is code or output when every text run on it is set in a monospaced font (a prose line
    with inline code is prose); consecutive such lines closer than 1.6 line heights are one block
    (blank lines inside a cell), and a block counts from its first line's top to its last line's
    bottom.
    """
    xml = pdf_layout(pdf)
    mono = {i for i, family in FONTSPEC.findall(xml) if "mono" in family.lower()}
    height = text_height(pdf)
    shares = {}
    for chunk in xml.split("<page number=")[1:]:
        number = int(chunk.split('"', 2)[1])
        lines: dict[int, list[tuple[float, float, bool]]] = {}
        for top, h, font in TEXT.findall(chunk):
            lines.setdefault(round(float(top) / 2), []).append((float(top), float(h), font in mono))
        code = sorted(
            (min(t for t, _, _ in runs), max(t + h for t, h, _ in runs))
            for runs in lines.values()
            if all(m for _, _, m in runs)
        )
        covered, block = 0.0, None
        for top, bottom in code:
            if block and top - block[1] <= 1.6 * (bottom - top):
                block = (block[0], max(block[1], bottom))
                continue
            if block:
                covered += block[1] - block[0]
            block = (top, bottom)
        if block:
            covered += block[1] - block[0]
        shares[number] = covered / height
    return shares


def test_code_share_of_the_lecture_pages() -> None:
    """No lecture page of the book is more than MAX_CODE_SHARE code and output (issue 22, §5)."""
    chapters = chapter_pages(BOOK)
    assert len(chapters) == len(NOTEBOOKS), f"chapters found in the outline: {sorted(chapters)}"
    shares = code_share(BOOK)
    assert any(s > 0.05 for s in shares.values()), "no code found: the monospaced font was not recognised"
    over = [
        (page, title, shares[page])
        for title, pages in chapters.items()
        for page in pages
        if shares.get(page, 0.0) > MAX_CODE_SHARE
    ]
    assert not over, (
        f"{len(over)} lecture pages over {MAX_CODE_SHARE:.0%} code and output (PDF page, chapter, share):\n  "
        + "\n  ".join(f"p. {p}: {s:.0%}  {t[:60]}" for p, t, s in over)
    )


def test_intro_has_its_figure() -> None:
    """The book's face (issue 25): the intro ("About this book") holds page 08's lazy/active figure
    at print resolution, with its caption, before the first lecture chapter."""
    items = [(int(p), html.unescape(t)) for p, t, _, _ in OUTLINE_ITEM.findall(pdf_layout(BOOK)) if p]
    intro = next((p for p, t in items if t == "About this book"), None)
    assert intro is not None, f"no 'About this book' in the outline: {items[:5]}"
    end = next(p for p, t in items if p > intro)
    pictures = [i for i in images(BOOK) if intro <= i["page"] <= end]
    assert pictures, f"no image on the intro's pages {intro}-{end}"
    assert all(i["ppi"] >= MIN_PPI for i in pictures), pictures
    text = run(tool("pdftotext"), "-f", str(intro), "-l", str(end), "-enc", "UTF-8", str(BOOK), "-")
    assert re.search(r"Fig\. [\d.]+: What lazy training is\.", text), "the intro's figure has no caption"
