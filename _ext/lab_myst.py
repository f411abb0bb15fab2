"""Make the notebooks read in JupyterLab (jupyterlab-myst) as they read on the site (jupyter-book).

jupyterlab-myst renders each notebook on its own, with no project around it. Three things then differ
from the site, and this script fixes them in the notebooks, idempotently (markdown cells and cell
metadata only: code cells' sources, hence the execution stamps, are never touched):

1. **Macros.** The book's math macros live in ``_config.yml`` (``sphinx.config.mathjax3_config``);
   jupyterlab-myst reads macros only from the page frontmatter (``math:``), i.e. a YAML block opening
   the notebook's first markdown cell. Every notebook gets a first markdown cell holding exactly that
   frontmatter, generated from ``_config.yml`` (and ``numbering: equation: false``: display equations are
   unnumbered on the site). It is tagged ``remove-cell``, so jupyter-book skips it; jupyterlab-myst
   consumes the YAML, so the cell renders empty. ``_config.yml`` stays the one source of truth;
   ``tests/test_lab_myst.py`` fails when a notebook's copy differs (re-run this script).
2. **Cross-notebook references.** ``{ref}`` / ``{prf:ref}`` to a label of another page cannot resolve
   in JupyterLab (a warning mark, and "Cross reference target was not found" in the console). They are
   written as Markdown links to the page's file instead, which both resolve: ``[Setup](02_setup.ipynb)``
   (myst-parser turns a link to a source file into a link to its page; JupyterLab opens the notebook).
   References inside one notebook stay roles (both builders resolve them and link to the exact target).
3. **Folded solutions with code.** sphinx-exercise's ``solution-start`` ... ``solution-end`` fold every
   cell in between on the site; jupyterlab-myst folds only the markdown of the ``solution-start`` cell.
   Code cells in between get ``metadata.jupyter.source_hidden/outputs_hidden`` (JupyterLab shows them
   collapsed; a click unfolds them; jupyter-book ignores the keys).
4. **Citations.** jupyterlab-myst has no bibliography: ``{cite}`` roles are written as Markdown links
   that carry the author–year text, which ``_ext/book_cite.py`` reads back as the roles (its docstring).

Usage: ``python -m _ext.lab_myst [--check] [notebooks...]`` (default: ``notebooks/*.ipynb``);
``--check`` lists the notebooks that are out of date and exits 1 without writing.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from _ext import book_cite

ROOT = Path(__file__).resolve().parent.parent
BIBFILE = ROOT / "book" / "references.bib"
NOTEBOOKS = ROOT / "notebooks"
BOOK_PAGES = ROOT / "book"
#: First line of the generated frontmatter cell (how it is recognised).
MARKER = "# jupyterlab-myst frontmatter, generated from _config.yml by _ext/lab_myst.py: do not edit"

_ROLE = re.compile(r"\{(ref|prf:ref)\}`([^`]*)`")
_EXPLICIT = re.compile(r"^(.*?)\s*<([^<>]+)>$", re.DOTALL)
_SECTION_LABEL = re.compile(r"^\(([A-Za-z0-9_.:-]+)\)=\s*$", re.MULTILINE)
#: A directive's opening line, its options before ``:label:``, and the label (title in group 1).
_DIRECTIVE_LABEL = re.compile(
    r"^(?:```|:::)\{[\w:-]+\}[ \t]*(.*)\n(?::[\w-]+:.*\n)*?:label:\s*(\S+)[ \t]*$", re.MULTILINE
)
_TITLE = re.compile(r"^# (.+)$", re.MULTILINE)


# ---------------------------------------------------------------------------------------- macros
def config_macros(config: Path = ROOT / "_config.yml") -> dict[str, str]:
    """The book's macros as ``{"\\R": "\\mathbb{R}", ...}`` (argument counts are implied by ``#n``)."""
    import yaml

    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    macros = data["sphinx"]["config"]["mathjax3_config"]["tex"]["macros"]
    out = {}
    for name, value in macros.items():
        body, nargs = (value, 0) if isinstance(value, str) else (value[0], int(value[1]))
        used = max((int(n) for n in re.findall(r"#(\d)", body)), default=0)
        if used != nargs:  # KaTeX infers the count from the body: it must match MathJax's
            raise ValueError(f"macro \\{name}: {nargs} arguments declared, #{used} used in {body!r}")
        out["\\" + name] = body
    return out


def _yaml_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def frontmatter_source(config: Path = ROOT / "_config.yml") -> str:
    """Source of the frontmatter cell: the macros of ``_config.yml`` for jupyterlab-myst."""
    lines = ["---", MARKER, "math:"]
    lines += [f"  {_yaml_str(name)}: {_yaml_str(body)}" for name, body in config_macros(config).items()]
    lines += ["numbering:", "  equation: false", "---"]
    return "\n".join(lines)


def frontmatter_macros(source: str) -> dict[str, str]:
    """The ``math:`` mapping of a frontmatter cell's source (for the agreement test)."""
    import yaml

    body = source.strip()
    if not (body.startswith("---\n") and body.endswith("\n---")):
        raise ValueError("not a YAML frontmatter block")
    return dict(yaml.safe_load(body[4:-4])["math"])


def is_frontmatter_cell(cell: dict) -> bool:
    return cell.get("cell_type") == "markdown" and MARKER in cell["source"]


# ---------------------------------------------------------------------------------------- references


def _page_of(path: Path) -> tuple[str, list[str]]:
    """Title and markdown texts of a notebook or markdown page."""
    import nbformat

    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        texts = [c.source for c in nb.cells if c.cell_type == "markdown" and not is_frontmatter_cell(c)]
    else:
        texts = [path.read_text(encoding="utf-8")]
    match = _TITLE.search("\n".join(texts))
    return (match.group(1).strip() if match else path.stem), texts


def label_index(notebooks: Sequence[Path] | None = None) -> dict[str, tuple[Path, str, bool]]:
    """Every label of the book: ``label -> (file, title, is the page's section label)``.

    The title is the page's for a section label, the directive's (what sphinx-proof and
    sphinx-exercise show for an un-numbered target) for a directive's label.
    """
    paths = list(notebooks or sorted(NOTEBOOKS.glob("*.ipynb"))) + sorted(BOOK_PAGES.glob("*.md"))
    index: dict[str, tuple[Path, str, bool]] = {}
    for path in paths:
        title, texts = _page_of(path)
        for i, text in enumerate(texts):
            for match in _SECTION_LABEL.finditer(text):
                index[match.group(1)] = (path, title, i == 0 and match.start() == 0)
            for match in _DIRECTIVE_LABEL.finditer(text):
                index[match.group(2)] = (path, match.group(1).strip(), False)
    return index


def rewrite_references(text: str, here: Path, index: dict[str, tuple[Path, str, bool]]) -> str:
    """``{ref}``/``{prf:ref}`` to another page → ``[text](relative/file)``; local ones unchanged."""

    def replace(match: re.Match[str]) -> str:
        content = match.group(2)
        explicit = _EXPLICIT.match(content)
        label = explicit.group(2) if explicit else content.strip()
        if label not in index:
            return match.group(0)  # not a markdown label (a figure name, say): leave it to the build
        target, title, _ = index[label]
        if target.name == here.name:
            return match.group(0)
        text_ = explicit.group(1) if explicit else title
        if not text_:
            raise ValueError(f"{here.name}: {match.group(0)} points to another page: give it a link text")
        # notebooks sit side by side in notebooks/; the other pages in book/
        rel = target.name if target.suffix == ".ipynb" else f"../{target.parent.name}/{target.name}"
        return f"[{text_}]({rel})"

    return _ROLE.sub(replace, text)


# ---------------------------------------------------------------------------------------- citations
def rewrite_citations(text: str, bibfile: Path = BIBFILE) -> str:
    """``{cite}``/``{cite:p}``/``{cite:t}`` roles → links with the author–year text (see item 4)."""
    return book_cite.role_links(text, book_cite.bib_labels(bibfile))


# ---------------------------------------------------------------------------------------- notebooks
def update(nb: dict, path: Path, index: dict[str, tuple[Path, str, bool]], frontmatter: str) -> bool:
    """Bring one notebook (an nbformat node) up to date in memory; return whether it changed."""
    import nbformat

    before = nbformat.writes(nb)
    cells = nb["cells"]
    if cells and is_frontmatter_cell(cells[0]):
        cells[0]["source"] = frontmatter
        cells[0]["metadata"]["tags"] = sorted(set(cells[0]["metadata"].get("tags", [])) | {"remove-cell"})
    else:
        cells.insert(0, nbformat.v4.new_markdown_cell(frontmatter, metadata={"tags": ["remove-cell"]}))
    in_solution = False
    for cell in cells[1:]:
        if cell["cell_type"] == "markdown":
            text = cell["source"] = rewrite_citations(rewrite_references(cell["source"], path, index))
            starts, ends = text.rfind("{solution-start}"), text.rfind("{solution-end}")
            if starts >= 0 or ends >= 0:
                in_solution = starts > ends
        elif cell["cell_type"] == "code" and in_solution:
            cell["metadata"]["jupyter"] = {"source_hidden": True, "outputs_hidden": True}
    return nbformat.writes(nb) != before


def main(argv: Sequence[str] | None = None) -> int:
    import nbformat

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", help="notebooks (default: notebooks/*.ipynb)")
    parser.add_argument("--check", action="store_true", help="list out-of-date notebooks, exit 1 if any")
    args = parser.parse_args(argv)
    paths = [Path(p).resolve() for p in args.notebooks] or sorted(NOTEBOOKS.glob("*.ipynb"))
    index = label_index()
    frontmatter = frontmatter_source()
    stale = []
    for path in paths:  # all updated in memory first: an error leaves every file untouched
        nb = nbformat.read(path, as_version=4)
        if update(nb, path, index, frontmatter):
            stale.append((path, nb))
    for path, nb in stale:
        if not args.check:
            nbformat.write(nb, path)
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        print(f"{'out of date' if args.check else 'updated'}: {shown}")
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
