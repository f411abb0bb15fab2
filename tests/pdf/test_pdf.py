"""Checks of the PDF edition in ``_build/pdf`` with poppler's tools (pdftotext, pdffonts, pdfinfo, pdfimages).

``make book`` (or ``make pdf``) builds ``lazy-training.pdf`` (the whole book) and one ``NN_topic.pdf``
per section, refusing any LaTeX log with an undefined reference, a multiply-defined label or a missing
character (``_ext/build_pdf.py``). Here, in the PDFs themselves: every section title and every
theorem/lemma/proposition title of the notebooks is in the book and in its section's PDF; no ``??``
(unresolved reference), no raw ``\\begin`` or ``$`` and no Python repr string (an output that had no
printable form) in the text; every font embedded; each section PDF holds its explorer's still (the
default setting, drawn at print resolution) and every image is at ≥ 150 ppi on the page; the
bibliography is there; page counts in a sane range. Run with ``pytest -m pdf tests/pdf``
(``make pdf-test``).
"""

from __future__ import annotations

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
BOOK = PDF_DIR / "lazy-training.pdf"
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
