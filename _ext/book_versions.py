"""Sphinx extension: a ``{package-versions}`` directive listing the versions the book was built with.

The versions are read with :mod:`importlib.metadata` at every build (the page holding the directive is
marked outdated on each run), so ``book/status.md`` never shows stale numbers.
"""

from __future__ import annotations

import platform
from importlib import metadata

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

PACKAGES = (
    "numpy",
    "scipy",
    "matplotlib",
    "ipywidgets",
    "jupyter-book",
    "sphinx",
    "myst-nb",
    "sphinx-book-theme",
    "sphinx-proof",
    "sphinx-exercise",
    "sphinxcontrib-bibtex",
    "sphinx-mathjax-offline",
    "nbval",
    "pytest",
    "playwright",
    "lazylib",
)


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


class PackageVersions(SphinxDirective):
    """Render a two-column table: package, installed version (Python first)."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        self.env.book_versions_docs = getattr(self.env, "book_versions_docs", set())
        self.env.book_versions_docs.add(self.env.docname)
        rows = [("Python", platform.python_version())] + [(p, _version(p)) for p in PACKAGES]
        table = nodes.table(classes=["package-versions"])
        group = nodes.tgroup(cols=2)
        table += group
        group += nodes.colspec(colwidth=1)
        group += nodes.colspec(colwidth=1)
        head = nodes.thead()
        group += head
        head += self._row(("Package", "Version"))
        body = nodes.tbody()
        group += body
        for row in rows:
            body += self._row(row)
        return [table]

    @staticmethod
    def _row(cells: tuple[str, str]) -> nodes.row:
        row = nodes.row()
        for text in cells:
            entry = nodes.entry()
            entry += nodes.paragraph(text=text)
            row += entry
        return row


def _always_outdated(app: Sphinx, env, added, changed, removed) -> list[str]:
    return sorted(getattr(env, "book_versions_docs", set()) - set(removed))


def _purge(app: Sphinx, env, docname: str) -> None:
    getattr(env, "book_versions_docs", set()).discard(docname)


def _merge(app: Sphinx, env, docnames, other) -> None:
    env.book_versions_docs = getattr(env, "book_versions_docs", set()) | getattr(
        other, "book_versions_docs", set()
    )


def setup(app: Sphinx) -> dict:
    app.add_directive("package-versions", PackageVersions)
    app.connect("env-get-outdated", _always_outdated)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
