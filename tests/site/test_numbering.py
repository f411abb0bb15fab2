"""Numbers and references of the built site, read from its HTML (issue 25).

* **One numbering scheme, by page.** The section pages are numbered as their files are (page
  ``05_*`` is page 5, in the sidebar too), and their figures and exercises by page, in order:
  "Fig. 5.1", "Fig. 5.2", ..., "Exercise 5.1", ... (``_toc.yml`` ``numbered``,
  ``numfig_secnum_depth``). The PDF edition uses the same numbers (``tests/pdf``).
* **References to unnumbered statements** read with the statement's type and title
  ("Proposition (Per-neuron speed)"), never as a bare type and a space ("Proposition ")
  (``_ext/book_refs.py``).
* **One citation style, author–year.** Every bibliography label is "Author, year", "Author and
  Author, year" or "Author et al., year" (never a number), the entries are sorted by author and
  year, and every parenthetical citation in the text is one of those labels
  (``_ext/book_cite.py``).

Run after `make book` with ``pytest -m site tests/site`` (``make site-test``).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.site

SITE = Path(__file__).resolve().parents[2] / "_build" / "html"
NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CAPTION = re.compile(r'class="caption-number">(Fig\.|Exercise) ([\d.]+)\s*<')
STATEMENT_TYPES = "Theorem|Lemma|Proposition|Corollary|Definition|Assumption|Remark|Conjecture|Example"


def page_html(stem: str) -> str:
    path = SITE / "notebooks" / f"{stem}.html"
    if not path.is_file():
        pytest.fail(f"{path} missing: run `make book` first")
    return path.read_text(encoding="utf-8")


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_figures_and_exercises_numbered_by_page(nb: Path) -> None:
    page = int(nb.stem[:2])
    found: dict[str, list[str]] = {"Fig.": [], "Exercise": []}
    for kind, number in CAPTION.findall(page_html(nb.stem)):
        found[kind].append(number)
    assert found["Fig."], f"{nb.stem}: no numbered figure"
    for kind, numbers in found.items():
        expected = [f"{page}.{k}" for k in range(1, len(numbers) + 1)]
        assert numbers == expected, f"{nb.stem}: {kind} numbered {numbers}, expected {expected}"


def test_first_figure_of_page_05_is_fig_5_1() -> None:
    stem = next(nb.stem for nb in NOTEBOOKS if nb.stem.startswith("05_"))
    first = CAPTION.search(page_html(stem))
    assert first and first.groups() == ("Fig.", "5.1"), f"page 05's first caption: {first and first.groups()}"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_sidebar_numbers_the_page_as_its_file(nb: Path) -> None:
    """The sidebar (the same on every page) gives page NN the number NN, and the notation page none."""
    sidebar = (SITE / "book" / "intro.html").read_text(encoding="utf-8")
    link = re.search(rf'<a class="reference internal" href="[^"]*{nb.stem}\.html">([^<]*)<', sidebar)
    assert link, f"no sidebar link to {nb.stem}"
    assert re.match(rf"{int(nb.stem[:2])}\. \S", text_of(link.group(1))), f"sidebar: {link.group(1)!r}"
    notation = re.search(r'<a class="reference internal" href="[^"]*notation\.html">([^<]*)<', sidebar)
    assert notation and not re.match(r"\d", text_of(notation.group(1))), "the notation page is numbered"


REFERENCE = re.compile(r'<a class="reference internal" href="[^"]*#([\w-]+)"[^>]*>(.*?)</a>', re.S)


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_references_to_statements_read_whole(nb: Path) -> None:
    """No reference is a bare statement type ("Proposition "); one to an unnumbered statement
    carries the statement's title as its heading on the page shows it."""
    source = page_html(nb.stem)
    bare_type = re.compile(rf"\s*({STATEMENT_TYPES})\s*")
    bare = [text for _, text in REFERENCE.findall(source) if bare_type.fullmatch(text_of(text))]
    assert not bare, f"{nb.stem}: references reading as a bare type: {bare[:5]}"


def test_unnumbered_proposition_reference_on_page_09() -> None:
    """Page 09 cites its unnumbered "Per-neuron speed" proposition: the reference reads with its title."""
    stem = next(nb.stem for nb in NOTEBOOKS if nb.stem.startswith("09_"))
    refs = [text_of(t) for target, t in REFERENCE.findall(page_html(stem)) if target == "prop-width-speed"]
    assert refs, "page 09 has no reference to prop-width-speed"
    assert all(r == "Proposition (Per-neuron speed)" for r in refs), refs


AUTHOR_YEAR = re.compile(r"[^\d,][^,]*?(?: and [^,]+| et al\.)?, \d{4}[a-z]?")


def bibliography_labels() -> list[str]:
    source = (SITE / "book" / "references.html").read_text(encoding="utf-8")
    labels = re.findall(r'<span class="label">(.*?)</span>\s*</span>', source, re.S)
    return [text_of(label).strip("[] \n") for label in labels]


def test_bibliography_is_author_year_and_sorted() -> None:
    labels = bibliography_labels()
    assert len(labels) >= 5, f"bibliography labels: {labels}"
    not_author_year = [label for label in labels if not AUTHOR_YEAR.fullmatch(label)]
    assert not not_author_year, f"labels that are not 'Author, year': {not_author_year}"
    keys = [(label.rsplit(", ", 1)[0].split(" ")[0].lower(), label.rsplit(", ", 1)[1]) for label in labels]
    assert keys == sorted(keys), f"bibliography not sorted by author, then year: {labels}"


def test_parenthetical_citations_match_the_bibliography() -> None:
    """A citation ``{cite:p}`` shows "[Chizat et al., 2019]": its text is the entry's label."""
    labels = set(bibliography_labels())
    cited = set()
    for path in [*(SITE / "notebooks").glob("*.html"), *(SITE / "book").glob("*.html")]:
        source = path.read_text(encoding="utf-8")
        for text in re.findall(r'href="[^"]*references\.html#id\d+"[^>]*>([^<]*)</a>', source):
            if AUTHOR_YEAR.fullmatch(html.unescape(text).strip()):
                cited.add(html.unescape(text).strip())
    assert cited, "no parenthetical citation found"
    assert cited <= labels, f"citations that are no bibliography label: {sorted(cited - labels)}"
