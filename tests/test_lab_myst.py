"""The notebooks carry what JupyterLab (jupyterlab-myst) needs to render them as the site does.

``_ext/lab_myst.py`` writes it: a first, book-hidden cell with the page frontmatter holding the book's
math macros (generated from ``_config.yml``, the one source of truth: this test fails when the two
disagree), cross-page references as links to files, folded solution code. Fix a failure with
``.venv/bin/python -m _ext.lab_myst`` (markdown and metadata only: stamps stay valid).
"""

from __future__ import annotations

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
