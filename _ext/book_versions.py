"""Sphinx extension: what the book was built with, for ``book/status.md``.

* ``{package-versions}``: the installed versions, read with :mod:`importlib.metadata`;
* ``{notebook-stamps}``: each notebook, the seconds its last execution took, and whether its stored
  outputs carry the stamp of the current code (``_ext.execute_notebooks``); a stale notebook is a
  build warning, hence an error under ``-W``.

* the edition stamp: the version of ``pyproject.toml``, the date and short hash of the commit the book
  is built from (``git``; "+ local changes" when the working tree differs from it), shown in every
  page's footer and, as the LaTeX ``release``, on the PDF's title page. It changes only with the
  commit, so a build with nothing changed rebuilds nothing.

The directives' pages are read again at every build (Sphinx's ``note_reread``), so
``book/status.md`` never shows stale facts.
"""

from __future__ import annotations

import platform
import re
import subprocess
from importlib import metadata
from pathlib import Path

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


def _row(cells: tuple[str, ...]) -> nodes.row:
    row = nodes.row()
    for text in cells:
        entry = nodes.entry()
        entry += nodes.paragraph(text=text)
        row += entry
    return row


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]], classes: list[str]) -> nodes.table:
    table = nodes.table(classes=classes)
    group = nodes.tgroup(cols=len(header))
    table += group
    for _ in header:
        group += nodes.colspec(colwidth=1)
    group += nodes.thead("", _row(header))
    group += nodes.tbody("", *(_row(row) for row in rows))
    return table


class NotebookStamps(SphinxDirective):
    """One row per notebook: its name, execution seconds, stamp, and whether the stamp is current."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        import nbformat

        from _ext import execute_notebooks as ex

        self.env.note_reread()
        library = ex.library_digest()
        rows = []
        for path in ex.notebooks():
            nb = nbformat.read(path, as_version=4)
            stored, current = ex.stored_stamp(nb), ex.stamp(nb, library)
            info = nb.metadata.get(ex.KEY, {})
            seconds = info.get("seconds")
            rows.append(
                (
                    f"notebooks/{path.name}",
                    "–" if seconds is None else f"{seconds:.1f} s",
                    stored or "none",
                    "current" if stored == current else "STALE: run make execute",
                )
            )
            if stored != current:
                self.state.document.reporter.warning(
                    f"notebooks/{path.name} shows outputs of older code (stamp {stored}, current "
                    f"{current}); run `make execute`",
                    line=self.lineno,
                )
        header = ("Notebook", "Last execution", "Stamp of its outputs", "Matches the current code")
        return [_table(header, rows, ["notebook-stamps"])]


class PackageVersions(SphinxDirective):
    """Render a two-column table: package, installed version (Python first)."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        self.env.note_reread()
        rows = [("Python", platform.python_version())] + [(p, _version(p)) for p in PACKAGES]
        return [_table(("Package", "Version"), rows, ["package-versions"])]


ROOT = Path(__file__).resolve().parent.parent


def _git(*args: str) -> str:
    try:
        out = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""


def edition() -> str:
    """``0.1.0, 2026-12-07, commit 95f71b2`` (version, commit date and hash; no git: the version)."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    match = re.search(r'^version\s*=\s*"([^"]+)"', text, re.M)
    version = match.group(1) if match else "unknown"
    commit, date = _git("rev-parse", "--short", "HEAD"), _git("log", "-1", "--format=%cs")
    if not commit:
        return version
    dirty = " + local changes" if _git("status", "--porcelain", "--untracked-files=no") else ""
    return f"{version}, {date}, commit {commit}{dirty}"


def _stamp_edition(app: Sphinx, config) -> None:
    stamp = edition()
    config.version, config.release = stamp.split(",")[0], stamp
    options = config.html_theme_options
    footer = options.get("extra_footer", "")
    options["extra_footer"] = f'{footer} <span class="edition">Edition {stamp}.</span>'


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _stamp_edition)
    app.add_directive("package-versions", PackageVersions)
    app.add_directive("notebook-stamps", NotebookStamps)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
