"""One Explore cell per notebook: merge the old live + static explorer cells into one (idempotent).

The old convention had two code cells in a notebook's ``## Explore`` section::

    topic_explorer()             # tags: remove-cell, nbval-ignore-output (the live widget)
    topic_explorer(static=True)  # tags: remove-input (the offline player, and its PNG for the PDF)

so that after *Run All* in JupyterLab both explorers showed. The convention now is one cell,
``topic_explorer()`` tagged ``remove-input``, whose one output bundle carries the live widget's view,
the player (``text/html``) and the still (``image/png``): every front end shows exactly one of them
(``lazylib.viz.explorer.ExplorerView``). Its output is compared by nbval like any other (nbval skips
the widget-view key; the rest is deterministic), so the cell has no ``nbval-ignore-output`` tag.

This script rewrites notebooks of the old form into the new one:

* the live cell (its source kept, e.g. with its ``from lazylib.viz import ...`` line) takes the place
  of the pair, with the static cell's id, outputs and metadata, tagged ``remove-input`` only;
* the standard sentence of the section's markdown about "the hidden cell below" is replaced by one
  true of the single cell (a different sentence is left alone and reported).

Code cells change, so the notebook's stamp becomes stale: execute it afterwards, by path
(``.venv/bin/python _ext/execute_notebooks.py --all notebooks/NN_topic.ipynb``). Notebooks already in
the new form are left untouched (byte for byte).

Usage: ``python _ext/explore_cells.py notebooks/NN_topic.ipynb ...`` rewrites the notebooks named;
``python _ext/explore_cells.py --check [notebooks...]`` (default: every notebook) lists the notebooks
not in the new form and exits 1, writing nothing.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"

#: A call of a page's explorer entry point (``lazylib.viz.<page>_explorer``), with its arguments.
CALL = re.compile(r"^(\w+_explorer)\((.*)\)\s*$", re.MULTILINE)
#: The tags of the one Explore cell.
TAGS = ["remove-input"]
#: The old markdown sentence about the two cells, and its replacement.
OLD_SENTENCE = re.compile(r"In Jupyter \(`make lab`\) the hidden cell below builds the live explorer\b[^\n]*")
NEW_SENTENCE = (
    "The player below shows this figure precomputed on a grid of settings: drag its sliders. "
    "In Jupyter (`make lab`), running the notebook turns it into the live explorer, which draws "
    "every setting on demand."
)


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _calls(cell: dict) -> list[tuple[str, str]]:
    """The explorer entry-point calls in a code cell: ``[(name, arguments), ...]``."""
    if cell.get("cell_type") != "code":
        return []
    return [(m.group(1), m.group(2).strip()) for m in CALL.finditer(_source(cell))]


def problems(nb: dict) -> list[str]:
    """Why ``nb`` is not in the one-cell form ([] if it is, or if it has no explorer)."""
    cells = [(i, c) for i, c in enumerate(nb["cells"]) if _calls(c)]
    if not cells:
        return []
    out = []
    if len(cells) != 1:
        out.append(f"{len(cells)} explorer cells (cells {[i for i, _ in cells]}), want one")
    for i, cell in cells:
        calls = _calls(cell)
        if len(calls) != 1 or calls[0][1]:
            out.append(f"cell {i} calls {calls}: want one call with no argument, e.g. `topic_explorer()`")
        tags = cell.get("metadata", {}).get("tags", [])
        if sorted(tags) != sorted(TAGS):
            out.append(f"cell {i} is tagged {tags}, want {TAGS}")
    return out


def convert(nb: dict) -> list[str]:
    """Rewrite ``nb`` (in place) into the one-cell form; return what was done (empty: nothing).

    Raises
    ------
    ValueError
        If an explorer cell is neither half of an old pair nor a cell of the new form (the notebook
        is left unchanged then).
    """
    cells = nb["cells"]
    done: list[str] = []
    i = 0
    new_cells = []
    pending_markdown: list[dict] = []
    while i < len(cells):
        cell = cells[i]
        calls = _calls(cell)
        nxt = cells[i + 1] if i + 1 < len(cells) else None
        nxt_calls = _calls(nxt) if nxt is not None else []
        if (
            len(calls) == 1
            and not calls[0][1]
            and len(nxt_calls) == 1
            and nxt_calls[0] == (calls[0][0], "static=True")
            and nxt is not None
        ):
            merged = copy.deepcopy(nxt)  # (keeps nbformat's NotebookNode type)
            merged["source"] = _source(cell)
            merged.setdefault("metadata", {})["tags"] = list(TAGS)
            new_cells.append(merged)
            done.append(f"merged cells {i} and {i + 1} ({calls[0][0]}) into one Explore cell")
            # the section's markdown (the last markdown cell before the pair)
            for md in reversed(new_cells[:-1]):
                if md.get("cell_type") == "markdown":
                    pending_markdown.append(md)
                    break
            i += 2
            continue
        if calls and problems({"cells": [cell]}):
            raise ValueError(f"cell {i}: explorer cell {calls} is neither an old pair nor the new form")
        new_cells.append(cell)
        i += 1
    for md in pending_markdown:
        text = _source(md)
        new = OLD_SENTENCE.sub(NEW_SENTENCE, text)
        if new != text:
            md["source"] = new
            done.append("rewrote the Explore text's sentence about the hidden cell")
        elif "hidden cell" in text:
            done.append("NOTE: the Explore text mentions a hidden cell in other words: edit it by hand")
    if done:
        nb["cells"] = new_cells
    return done


def notebooks(paths: Sequence[str] = ()) -> list[Path]:
    """The notebooks named (all of ``notebooks/*.ipynb`` if none)."""
    return [Path(p).resolve() for p in paths] if paths else sorted(NOTEBOOKS.glob("*.ipynb"))


def main(argv: Sequence[str] | None = None) -> int:
    import nbformat

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", help="notebooks to rewrite (--check: default all)")
    parser.add_argument("--check", action="store_true", help="only list notebooks not in the one-cell form")
    args = parser.parse_args(argv)
    if not args.check and not args.notebooks:
        parser.error("name the notebooks to rewrite (other notebooks may be in someone's hands)")
    status = 0
    for path in notebooks(args.notebooks):
        nb = nbformat.read(path, as_version=4)
        if args.check:
            found = problems(nb)
            if found:
                status = 1
                print(f"{path.name}: " + "; ".join(found) + " (run _ext/explore_cells.py on it)")
            continue
        done = convert(nb)
        for line in done:
            print(f"{path.name}: {line}")
        if done:
            nbformat.write(nb, path)
            found = problems(nb)
            if found:
                status = 1
                print(f"{path.name}: still " + "; ".join(found))
        else:
            print(f"{path.name}: already in the one-cell form" if not problems(nb) else f"{path.name}: ?")
    return status


if __name__ == "__main__":
    sys.exit(main())
