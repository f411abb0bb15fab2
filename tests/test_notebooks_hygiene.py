"""Hygiene of the stored notebooks: what nbval and the site build take for granted.

A notebook in notebooks/ must
- declare the book's kernel (kernelspec ``python3``),
- open with a markdown cell carrying its section label ``(sec-...)=`` and a ``#`` title (after the
  generated jupyterlab-myst frontmatter cell, hidden from the book: ``_ext/lab_myst.py``),
- have been executed top to bottom in a fresh kernel: every non-empty code cell executed, execution
  counts exactly 1, 2, ..., N in cell order, no empty code cells (stray cells),
- store no error output and nothing on stderr (warnings, progress bars),
- carry the stamp of the code that produced its outputs, equal to the stamp of the current code cells,
  lazylib and requirements (``_ext/execute_notebooks.py``): the site shows stored outputs, so a stale
  notebook would show numbers of older code,
- be listed in _toc.yml; and every _toc.yml entry must name an existing file.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
import yaml

from _ext import execute_notebooks as executor
from _ext import lab_myst
from lazylib.viz.explorer import WIDGET_VIEW

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SECTION_LABEL = re.compile(r"^\(sec-[a-z0-9-]+\)=\s*\n+# \S", re.MULTILINE)


def toc_entries(node: object) -> list[str]:
    """All ``file:`` entries of a jupyter-book _toc.yml (root included), in order."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("root", "file") and isinstance(value, str):
                found.append(value)
            else:
                found.extend(toc_entries(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(toc_entries(item))
    return found


def read_toc() -> list[str]:
    return toc_entries(yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8")))


def code_cells(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [cell for cell in nb.cells if cell.cell_type == "code"]


@pytest.fixture(params=NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def notebook(request: pytest.FixtureRequest) -> tuple[str, nbformat.NotebookNode]:
    path: Path = request.param
    return path.name, nbformat.read(path, as_version=4)


def test_toc_entries_exist() -> None:
    missing = [
        entry
        for entry in read_toc()
        if not any((ROOT / f"{entry}{suffix}").is_file() for suffix in ("", ".md", ".ipynb"))
    ]
    assert not missing, f"_toc.yml lists files that do not exist: {missing}"


def test_toc_has_no_duplicates() -> None:
    entries = read_toc()
    duplicates = sorted({e for e in entries if entries.count(e) > 1})
    assert not duplicates, f"_toc.yml lists these more than once: {duplicates}"


def test_every_notebook_in_toc() -> None:
    listed = {entry.removesuffix(".ipynb") for entry in read_toc()}
    orphans = [p.name for p in NOTEBOOKS if f"notebooks/{p.stem}" not in listed]
    assert not orphans, f"notebooks missing from _toc.yml (they would not be built): {orphans}"


def test_kernelspec(notebook: tuple[str, nbformat.NotebookNode]) -> None:
    name, nb = notebook
    spec = nb.metadata.get("kernelspec", {})
    assert spec.get("name") == "python3", f"{name}: kernelspec name is {spec.get('name')!r}, not 'python3'"
    assert spec.get("language") == "python", f"{name}: kernelspec language is {spec.get('language')!r}"


def test_opens_with_label_and_title(notebook: tuple[str, nbformat.NotebookNode]) -> None:
    name, nb = notebook
    cells = nb.cells[1:] if nb.cells and lab_myst.is_frontmatter_cell(nb.cells[0]) else nb.cells
    assert cells and cells[0].cell_type == "markdown", f"{name}: the first cell must be markdown"
    assert SECTION_LABEL.match(cells[0].source), (
        f"{name}: the first cell must start with a '(sec-...)=' label line followed by a '# Title'"
    )


def test_no_empty_code_cells(notebook: tuple[str, nbformat.NotebookNode]) -> None:
    name, nb = notebook
    empty = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code" and not cell.source.strip()]
    assert not empty, f"{name}: empty code cells at indices {empty} (delete stray cells)"


def test_executed_top_to_bottom(notebook: tuple[str, nbformat.NotebookNode]) -> None:
    name, nb = notebook
    cells = [cell for cell in code_cells(nb) if cell.source.strip()]
    assert cells, f"{name}: no code cells"
    counts = [cell.execution_count for cell in cells]
    assert None not in counts, (
        f"{name}: {counts.count(None)} code cells were never executed (run the notebook top to bottom)"
    )
    expected = list(range(1, len(cells) + 1))
    assert counts == expected, (
        f"{name}: execution counts {counts} are not 1..{len(cells)} in order; re-run in a fresh kernel: "
        f"make execute ALL=1 (or: .venv/bin/python -m _ext.execute_notebooks --all notebooks/{name})"
    )


def test_outputs_from_current_code(notebook: tuple[str, nbformat.NotebookNode]) -> None:
    name, nb = notebook
    stored = executor.stored_stamp(nb)
    assert stored == executor.stamp(nb), (
        f"{name}: its stored outputs were computed by other code (stamp {stored}, current "
        f"{executor.stamp(nb)}: its code cells, lazylib or requirements changed since); "
        "run `make execute` and commit the notebook"
    )


def test_no_stored_live_widgets(notebook: tuple[str, nbformat.NotebookNode]) -> None:
    name, nb = notebook
    stored = [
        i
        for i, cell in enumerate(code_cells(nb))
        if any(WIDGET_VIEW in o.get("data", {}) for o in cell.get("outputs", []))
    ]
    assert not stored, f"{name}: code cells {stored} store live widget views (run `make execute`)"
    assert "widgets" not in nb.metadata, f"{name}: stores widget state (run `make execute`)"


def test_stamp_follows_code_cells_and_library(tmp_path: Path) -> None:
    nb = nbformat.read(NOTEBOOKS[0], as_version=4)
    library = executor.library_digest()
    base = executor.stamp(nb, library)
    markdown = next(c for c in nb.cells if c.cell_type == "markdown")
    markdown.source += " (prose does not change outputs)"
    assert executor.stamp(nb, library) == base
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.source += "\n"
    assert executor.stamp(nb, library) != base
    code.source = code.source[:-1]
    assert executor.stamp(nb, library) == base
    assert executor.stamp(nb, library[::-1]) != base  # any library or requirements change
    # The library digest covers every lazylib file, so an edit anywhere in the package counts.
    fake = tmp_path / "lazylib"
    fake.mkdir()
    for name in executor.ENVIRONMENT_FILES:
        (tmp_path / name).write_text("x")
    (fake / "a.py").write_text("A = 1\n")
    before = executor.library_digest(tmp_path)
    (fake / "a.py").write_text("A = 2\n")
    assert executor.library_digest(tmp_path) != before
    (fake / "sub").mkdir()
    (fake / "sub" / "b.mplstyle").write_text("font.size: 9\n")
    assert executor.library_digest(tmp_path) not in {before}


def test_no_errors_or_stderr(notebook: tuple[str, nbformat.NotebookNode]) -> None:
    name, nb = notebook
    problems = []
    for index, cell in enumerate(code_cells(nb)):
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                problems.append(f"cell {index}: {output.ename}: {output.evalue}")
            elif output.output_type == "stream" and output.name == "stderr":
                problems.append(f"cell {index}: stderr: {output.text.strip()[:200]}")
    assert not problems, f"{name} stores errors or stderr output: {problems}"


def test_has_outputs(notebook: tuple[str, nbformat.NotebookNode]) -> None:
    name, nb = notebook
    assert any(cell.get("outputs") for cell in code_cells(nb)), f"{name}: no stored outputs at all"
