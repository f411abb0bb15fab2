"""Unit tests of the book's build extensions that decide what a reader reads: the author–year
bibliography style (``_ext/book_cite.py``), the text of references to unnumbered statements
(``_ext/book_refs.py``), and the one-edition ``div`` (``_ext/book_pdf.py``), each against a tiny
Sphinx project built in a temporary directory where the behaviour needs Sphinx."""

from __future__ import annotations

import pytest
from pybtex.database import parse_string
from pybtex.plugin import find_plugin

from _ext import book_cite

BIB = r"""
@article{one, author = {Telgarsky, Matus}, title = {Notes}, year = {2021}, journal = {J}}
@article{two, author = {Cho, Youngmin and Saul, Lawrence K.}, title = {Kernels}, year = {2009}, journal = {J}}
@article{three, author = {Sch{\"o}lkopf, Bernhard and Herbrich, Ralf and Smola, Alex J.}, title = {Repr},
         year = {2001}, journal = {J}}
@article{tropp1, author = {Tropp, Joel A.}, title = {B first}, year = {2012}, journal = {J}}
@article{tropp2, author = {Tropp, Joel A.}, title = {A second}, year = {2012}, journal = {J}}
"""


def formatted() -> dict[str, str]:
    """Entry key -> label, as sphinxcontrib-bibtex gets them from the registered style."""
    style = find_plugin("pybtex.style.formatting", book_cite.STYLE)()
    entries = parse_string(BIB, "bibtex").entries
    return {e.key: e.label for e in style.format_entries(entries.values())}


def test_author_year_labels() -> None:
    labels = formatted()
    assert labels["one"] == "Telgarsky, 2021"
    assert labels["two"] == "Cho and Saul, 2009"
    assert labels["three"] == "Schölkopf et al., 2001"
    # two entries with one author and year get distinct labels, in the sorted (title) order
    assert {labels["tropp1"], labels["tropp2"]} == {"Tropp, 2012a", "Tropp, 2012b"}
    assert labels["tropp2"] == "Tropp, 2012a"  # "A second" sorts before "B first"


def test_sorted_by_author_then_year() -> None:
    style = find_plugin("pybtex.style.formatting", book_cite.STYLE)()
    entries = parse_string(BIB, "bibtex").entries
    order = [e.key for e in style.format_entries(entries.values())]
    assert order == ["two", "three", "one", "tropp2", "tropp1"]


PAGE = """# Page

## Section

```{prf:proposition} Per-neuron speed
:label: prop-speed
:nonumber:

A statement with $x$.
```

```{prf:lemma}
:label: lem-bare
:nonumber:

Untitled.
```

```{prf:theorem} Numbered
:label: thm-num

A theorem.
```

See {prf:ref}`prop-speed`, {prf:ref}`lem-bare`, {prf:ref}`thm-num` and {prf:ref}`the bound <prop-speed>`.

:::{div}
:class: only-html
WEBONLY
:::

:::{div}
:class: only-latex hidden
PDFONLY
:::
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A two-builder Sphinx project (HTML and LaTeX) with the page above."""
    from sphinx.application import Sphinx

    src = tmp_path_factory.mktemp("src")
    (src / "conf.py").write_text(
        "extensions = ['myst_parser', 'sphinx_proof', 'sphinx_exercise', 'sphinxcontrib.bibtex',\n"
        "              '_ext.book_refs', '_ext.book_pdf']\n"
        "bibtex_bibfiles = ['refs.bib']\n"
        "myst_enable_extensions = ['colon_fence', 'dollarmath']\n"
        "numfig = True\n"
        "latex_documents = [('index', 'page.tex', 'Page', 'A', 'manual')]\n",
        encoding="utf-8",
    )
    (src / "index.md").write_text(PAGE, encoding="utf-8")
    (src / "refs.bib").write_text(BIB, encoding="utf-8")
    out: dict[str, str] = {}
    for builder in ("html", "latex"):
        dest = tmp_path_factory.mktemp(builder)
        doctrees = dest / ".doctrees"
        app = Sphinx(str(src), str(src), str(dest), str(doctrees), builder, status=None, warning=None)
        app.build()
        out[builder] = (dest / ("index.html" if builder == "html" else "lazy-training.tex")).read_text(
            encoding="utf-8"
        )
    return out


def test_unnumbered_references_read_with_their_title(built: dict[str, str]) -> None:
    import re

    html = built["html"]
    refs = dict(re.findall(r'<a class="reference internal" href="#([\w-]+)">(.*?)</a>', html))
    text = {k: re.sub(r"<[^>]+>", "", v) for k, v in refs.items()}
    assert "Proposition (Per-neuron speed)" in re.findall(r'href="#prop-speed">([^<]*)<', html)
    assert "the bound" in re.findall(r'href="#prop-speed">([^<]*)<', html)  # explicit text kept
    assert text["lem-bare"] == "Lemma"  # no title: the type alone, no trailing space
    assert text["thm-num"] == "Theorem 1"  # numbered statements untouched


def test_one_edition_divs(built: dict[str, str]) -> None:
    assert "WEBONLY" in built["html"] and "PDFONLY" not in built["html"]
    assert "PDFONLY" in built["latex"] and "WEBONLY" not in built["latex"]
