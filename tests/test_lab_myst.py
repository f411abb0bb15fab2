"""The notebooks carry what JupyterLab (jupyterlab-myst) needs to render them as the site does.

``_ext/lab_myst.py`` writes it: a first, book-hidden cell with the page frontmatter holding the book's
math macros (generated from ``_config.yml``, the one source of truth: this test fails when the two
disagree), cross-page references as links to files, folded solution code. Fix a failure with
``.venv/bin/python -m _ext.lab_myst`` (markdown and metadata only: stamps stay valid).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from _ext import book_cite, lab_myst

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.fixture(params=NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def notebook(request: pytest.FixtureRequest) -> tuple[Path, nbformat.NotebookNode]:
    return request.param, nbformat.read(request.param, as_version=4)


def test_macros_are_those_of_config(notebook: tuple[Path, nbformat.NotebookNode]) -> None:
    path, nb = notebook
    first = nb.cells[0]
    assert lab_myst.is_frontmatter_cell(first), f"{path.name}: no jupyterlab-myst frontmatter cell first"
    assert "remove-cell" in first.metadata.get("tags", []), f"{path.name}: frontmatter cell not hidden"
    assert lab_myst.frontmatter_macros(first.source) == lab_myst.config_macros(), (
        f"{path.name}: macros differ from _config.yml; run .venv/bin/python -m _ext.lab_myst"
    )


def test_up_to_date(notebook: tuple[Path, nbformat.NotebookNode]) -> None:
    """Frontmatter, cross-page links and folded solutions as the script writes them."""
    path, nb = notebook
    changed = lab_myst.update(nb, path, lab_myst.label_index(), lab_myst.frontmatter_source())
    assert not changed, f"{path.name} is out of date: run .venv/bin/python -m _ext.lab_myst"


def test_config_macros_parse() -> None:
    macros = lab_myst.config_macros()
    assert macros["\\R"] == "\\mathbb{R}"
    assert macros["\\inner"].count("#") == 2
    assert lab_myst.frontmatter_macros(lab_myst.frontmatter_source()) == macros


def test_rewrites_only_cross_page_references(tmp_path: Path) -> None:
    index = {
        "sec-setup": (ROOT / "notebooks" / "02_setup.ipynb", "Setup", True),
        "thm-8-1": (ROOT / "notebooks" / "03_theorem_8_1.ipynb", "Theorem 8.1", False),
        "sec-notation": (ROOT / "book" / "notation.md", "Notation", True),
    }
    here = ROOT / "notebooks" / "03_theorem_8_1.ipynb"
    text = (
        "{ref}`sec-setup`, {ref}`the setup <sec-setup>`, {prf:ref}`Theorem 8.1 <thm-8-1>`, "
        "{ref}`sec-notation`"
    )
    assert lab_myst.rewrite_references(text, here, index) == (
        "[Setup](02_setup.ipynb), [the setup](02_setup.ipynb), {prf:ref}`Theorem 8.1 <thm-8-1>`, "
        "[Notation](../book/notation.md)"
    )


def test_citations_become_author_year_links() -> None:
    """JupyterLab shows a citation as its author–year text; the build reads it back as the role."""
    text = "as {cite:t}`chizat2019lazy` show ({cite}`jacot2018ntk`; also {cite:p}`tropp2012userfriendly`)"
    links = lab_myst.rewrite_citations(text)
    assert links == (
        "as [Chizat et al. (2019)](../book/references.md#chizat2019lazy) show "
        "(([Jacot et al., 2018](../book/references.md#jacot2018ntk)); "
        "also ([Tropp, 2012](../book/references.md#tropp2012userfriendly)))"
    )
    assert "{cite" not in links
    labels = book_cite.bib_labels(lab_myst.BIBFILE)
    assert book_cite.link_roles(links, labels) == (
        "as {cite:t}`chizat2019lazy` show ({cite:p}`jacot2018ntk`; also {cite:p}`tropp2012userfriendly`)"
    )
    assert lab_myst.rewrite_citations(links) == links  # idempotent


def test_citation_links_must_read_the_label() -> None:
    labels = book_cite.bib_labels(lab_myst.BIBFILE)
    with pytest.raises(ValueError, match="should read"):
        book_cite.link_roles("([Chizat, 2019](../book/references.md#chizat2019lazy))", labels, "p")
    with pytest.raises(ValueError, match="no entry 'nobody2020'"):
        book_cite.link_roles("([Nobody, 2020](../book/references.md#nobody2020))", labels, "p")
    with pytest.raises(ValueError, match="not in the bibliography"):
        lab_myst.rewrite_citations("{cite}`nobody2020`")
    with pytest.raises(ValueError, match="one key per role"):
        lab_myst.rewrite_citations("{cite}`chizat2019lazy,jacot2018ntk`")


def test_bibliography_labels_are_distinct_like_the_bibliography(tmp_path: Path) -> None:
    """Two entries that share author and year get letters, in the bibliography's order (by title)."""
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@article{b, author={Tropp, Joel}, title={Zeta}, year={2012}, journal={J}}\n"
        "@article{a, author={Tropp, Joel}, title={Alpha}, year={2012}, journal={J}}\n"
        "@article{c, author={Cho, Y. and Saul, L.}, title={K}, year={2009}, journal={J}}\n"
        "@article{d, author={Chizat, L. and Oyallon, E. and Bach, F.}, title={L}, year={2019}}\n",
        encoding="utf-8",
    )
    labels = book_cite.bib_labels(bib)
    assert labels == {
        "a": "Tropp, 2012a",
        "b": "Tropp, 2012b",
        "c": "Cho and Saul, 2009",
        "d": "Chizat et al., 2019",
    }
    assert lab_myst.rewrite_citations("{cite:t}`b`", bib) == "[Tropp (2012b)](../book/references.md#b)"


#: A Markdown link to a notebook or a book page (``[text](08_x.ipynb)``, ``[text](../book/x.md#y)``).
_PAGE_LINK = re.compile(r"\[([^\[\]]+)\]\((?:\.\./(?:notebooks|book)/)?([\w.-]+\.(?:ipynb|md))(?:#[\w-]*)?\)")


def test_links_that_name_a_page_use_its_current_title() -> None:
    """``_ext/lab_myst.py`` writes a cross-page reference as a link carrying the page's title at the
    time, which a later change of the title leaves stale (three links still read "... Chizat et al.'s
    experiments" after page 08 became "... Chizat, Oyallon & Bach's experiments"). A link whose text
    is a page's title up to the colon must read the whole current title; shorter texts ("Lemma 8.1",
    "the case study") are free."""
    titles = {path.name: title for path, title, is_page in lab_myst.label_index().values() if is_page}
    pages = NOTEBOOKS + sorted((ROOT / "book").glob("*.md"))
    stale = []
    for path in pages:
        if path.suffix == ".ipynb":
            nb = nbformat.read(path, as_version=4)
            text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        else:
            text = path.read_text(encoding="utf-8")
        for shown, target in _PAGE_LINK.findall(text):
            title = titles.get(target)
            if title and ":" in shown and shown.split(":")[0] == title.split(":")[0] and shown != title:
                stale.append(f"{path.name}: [{shown}]({target}) should read [{title}]")
    assert not stale, "\n".join(stale)
