"""The lecturer's edition: one reveal.js deck per page, built by sphinx-revealjs from the book's sources.

Active only for the ``revealjs`` builder (``make slides``, :func:`build`); the site and the PDF never
see it. The decks are made from the very doctrees the site is made from, regrouped into slides
(:func:`build_deck`) by the convention and the per-cell opt-in described in ``slides/README.md``:
each section a slide, continued on more when the room's part does not fit 1280×720 (an estimate of
each block's height, checked in Chromium by ``tests/slides``); statements, display math, figures,
printed computations, tables and players to the room, prose to the speaker notes; code, exercises'
bodies and solutions dropped.

myst-nb keeps no metadata of Markdown cells in the doctree, so for the revealjs builder only, the
notebook is rewritten as it is read (``source-read``): a marked Markdown cell gets a ``{slide-cell}``
directive (an invisible marker node) after its leading headings and another at its end. Code cells
carry their metadata in the doctree.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

ROOT = Path(__file__).resolve().parents[1]
SLIDES_DIR = ROOT / "slides"
#: The decks are part of the site: ``_build/html/slides/NN_topic.html`` beside the pages they present.
OUT = ROOT / "_build" / "html" / "slides"
#: Where the site's pages are, relative to a deck (the decks' folder is in the site's root).
SITE_URL = "../"
#: Where a page's deck is, relative to the site's root (the page's "Slides" button).
DECKS_DIR = "slides"

#: The wide renderings of the figures too tall for a slide (:func:`slide_figures`), one file per notebook.
FIGURES_DIR = ROOT / "_build" / "slides-figures"
#: A figure slide shows its image in at most this box (CSS px; slides/_static/slides.css, under the
#: title); legible when its smallest text (9 pt at 200 dpi: 25 px) is >= 20 px there.
FIGURE_BOX = (1232, 690)
MIN_TEXT_PX = 20.0
FIGURE_TEXT_PX = 9 * 200 / 72  # lazylib.viz.style: MIN_FONT_PT at FIGURE_DPI (tests/test_book_slides.py)

BUILDERS = ("revealjs", "dirrevealjs")
SLIDE_TYPES = ("slide", "subslide", "fragment", "notes", "skip")
TAG_TYPES = {"slide": "slide", "slide-notes": "notes", "slide-skip": "skip"}

# The frame and the room's budget, in CSS pixels of a 1280×720 slide (slides/_static/slides.css).
SLIDE_HEIGHT = 720
BUDGET = 470  # below the title (estimates run short for wrapped table cells and math: margin kept)
CHARS_PER_LINE = 78  # body text, 26px
LINE = 36
CODE_CHARS = 100  # stream outputs, 20px monospace
CODE_LINE = 26


# ------------------------------------------------------------------------------------------------
# The opt-in markers


class slide_cell(nodes.Invisible, nodes.Element):
    """Marks where a Markdown cell with slide metadata starts (``slide_type``) or ends (``end``)."""


class slide_notes(nodes.General, nodes.Element):
    """The speaker notes of one slide: ``<aside class="notes">`` with the blocks rendered as HTML."""


class SlideCell(SphinxDirective):
    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        kind = self.arguments[0]
        if kind not in (*SLIDE_TYPES, "end"):
            raise self.error(f"slide-cell: unknown slide type {kind!r}")
        return [slide_cell(slide_type=kind)]


def cell_slide_type(metadata: dict[str, Any]) -> str | None:
    """The slide type a cell's metadata asks for (``None``: the convention decides).

    Raises
    ------
    ValueError
        If ``metadata["slideshow"]["slide_type"]`` is not one of nbconvert's types.
    """
    kind = (metadata.get("slideshow") or {}).get("slide_type")
    if kind not in (None, "-", *SLIDE_TYPES):
        raise ValueError(f"metadata: slideshow.slide_type {kind!r} is not one of {SLIDE_TYPES}")
    if kind in SLIDE_TYPES:
        return str(kind)
    for tag in metadata.get("tags", []):
        if tag in TAG_TYPES:
            return TAG_TYPES[tag]
    return None


_HEADING = re.compile(r"^(\(.*\)=\s*|#{1,6}\s.*|\s*)$")


def mark_notebook(text: str) -> str:
    """Insert ``{slide-cell}`` markers into the Markdown cells of a notebook (JSON text) that carry
    slide metadata; returns the text unchanged when no cell does.

    ``slide`` on a cell that opens with a heading marks nothing: the section starts a slide in the
    decks anyway, and the mark is there for JupyterLab's live deck (jupyterlab-deck), which cuts a
    notebook into slides at such cells; the cell's prose stays in the speaker notes."""
    nb = json.loads(text)
    changed = False
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        kind = cell_slide_type(cell.get("metadata", {}))
        if kind is None:
            continue
        src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        lines = src.split("\n")
        k = 0  # keep the leading heading (and its label) in its section
        while k < len(lines) and _HEADING.match(lines[k]):
            k += 1
        if kind == "slide" and any(line.startswith("#") for line in lines[:k]):
            continue  # a section already opens a slide here (the mark JupyterLab's live deck cuts at)
        head, body = "\n".join(lines[:k]), "\n".join(lines[k:])
        marked = f"{head}\n\n```{{slide-cell}} {kind}\n```\n\n{body}\n\n```{{slide-cell}} end\n```\n"
        cell["source"] = marked.lstrip("\n")
        changed = True
    return json.dumps(nb) if changed else text


def _source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    if app.builder.name in BUILDERS and str(app.env.doc2path(docname)).endswith(".ipynb"):
        path = Path(app.env.doc2path(docname))
        figures = read_slide_figures(path)
        keys = app.env.__dict__.setdefault("slides_figure_keys", {})
        keys[docname] = figures["key"] if figures else None
        source[0] = mark_notebook(use_slide_figures(source[0], figures))


def _outdated(app: Sphinx, env: Any, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    """Decks to rebuild although their notebook did not change: their wide figures did."""
    if app.builder.name not in BUILDERS:
        return []
    keys = env.__dict__.get("slides_figure_keys", {})
    out = []
    for docname, key in keys.items():
        if docname in changed or docname in removed or docname not in env.found_docs:
            continue
        figures = read_slide_figures(Path(env.doc2path(docname)))
        if (figures["key"] if figures else None) != key:
            out.append(docname)
    return out


# ------------------------------------------------------------------------------------------------
# Figures too tall for a slide: rendered again, wide, from the same cells


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG image (its header)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("data is not a PNG image")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def fits_legibly(width: int, height: int) -> bool:
    """Whether a notebook figure of this natural size (px) fits a slide's figure box at a scale where
    its smallest text is >= 20 px."""
    scale = MIN_TEXT_PX / FIGURE_TEXT_PX
    return width * scale <= FIGURE_BOX[0] + 0.5 and height * scale <= FIGURE_BOX[1] + 0.5


def too_tall_cells(nb: dict[str, Any]) -> list[int]:
    """Indices of the code cells whose stored figure (an ``image/png`` output; not an explorer's still,
    which the player replaces on a slide) cannot be shown legibly on a slide."""
    import base64

    found = []
    for k, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "image/png" in data and "text/html" not in data:
                if not fits_legibly(*png_size(base64.b64decode(data["image/png"]))):
                    found.append(k)
                    break
    return found


def _figures_file(path: Path) -> Path:
    return FIGURES_DIR / f"{path.stem}.json"


def read_slide_figures(path: Path) -> dict[str, Any] | None:
    """The wide figures :func:`slide_figures` rendered for a notebook, if any."""
    cache = _figures_file(path)
    return json.loads(cache.read_text(encoding="utf-8")) if cache.is_file() else None


def slide_figures(path: Path, timeout: int = 120) -> dict[str, Any] | None:
    """Render a notebook's figures that are too tall for a slide in the wide layout (16:9, the panels
    in fewer rows: :func:`lazylib.viz.layout.widen`): the notebook's cells up to the last such figure
    run in a fresh kernel with ``LAZYLIB_FIGURE_LAYOUT=wide`` (and ``LAZYLIB_BOOK_EXECUTE=1``: the
    wide figures pass the same legibility checks). Stored in ``_build/slides-figures/NN_topic.json``
    with the notebook's execution stamp (its code, lazylib, the lock): rendered again only when that
    changes. ``None`` (and no file) when every figure fits.

    A figure cell that fails in the wide layout (its legibility checks) keeps its page figure on the
    slide, and says so.

    Raises
    ------
    RuntimeError
        If the kernel fails, a figure cell writes to stderr, or a rendering still does not fit a slide
        legibly.
    """
    import base64
    import os

    import nbformat
    from nbclient import NotebookClient

    from _ext.execute_notebooks import stamp

    nb = nbformat.read(path, as_version=4)
    cells = too_tall_cells(nb)
    cache = _figures_file(path)
    if not cells:
        cache.unlink(missing_ok=True)
        return None
    key = stamp(nb)
    old = read_slide_figures(path)
    if old and old.get("key") == key and old.get("tried") == cells:
        return old
    start = time.perf_counter()
    prefix = nbformat.from_dict({**nb, "cells": nb.cells[: cells[-1] + 1]})
    client = NotebookClient(
        prefix,
        timeout=timeout,
        kernel_name=nb.metadata.get("kernelspec", {}).get("name", "python3"),
        resources={"metadata": {"path": str(path.parent)}},
        allow_errors=True,  # a figure cell that fails in the wide layout: the others still render
    )
    try:
        client.execute(env={**os.environ, "LAZYLIB_FIGURE_LAYOUT": "wide", "LAZYLIB_BOOK_EXECUTE": "1"})
    except Exception as err:
        raise RuntimeError(f"{path.name}: rendering the wide figures failed: {err}") from err
    rendered: dict[str, Any] = {}
    for k in cells:
        cell = prefix.cells[k]
        errors = [o for o in cell.outputs if o.get("output_type") == "error"]
        if errors:  # e.g. a wide layout that fails the legibility checks: the slide keeps the page's
            print(f"make slides: {path.name}: cell {k} has no wide figure: {errors[0].get('evalue', '')}")
            continue
        if any(o.get("name") == "stderr" for o in cell.outputs):
            raise RuntimeError(f"{path.name}: cell {k} wrote to stderr in the wide layout")
        pngs = [o["data"]["image/png"] for o in cell.outputs if "image/png" in o.get("data", {})]
        for png in pngs:
            size = png_size(base64.b64decode(png))
            if not fits_legibly(*size):
                raise RuntimeError(
                    f"{path.name}: cell {k}'s wide figure ({size[0]}x{size[1]} px) still "
                    "does not fit a slide legibly"
                )
        rendered[str(k)] = {"source": nb.cells[k].source, "png": pngs}
    FIGURES_DIR.mkdir(parents=True, exist_ok=True)
    result = {"key": key, "tried": cells, "cells": rendered}
    cache.write_text(json.dumps(result), encoding="utf-8")
    print(
        f"make slides: {path.name}: {len(rendered)} of {len(cells)} figures rendered wide "
        f"in {time.perf_counter() - start:.0f} s"
    )
    return result


def use_slide_figures(text: str, figures: dict[str, Any] | None) -> str:
    """A notebook (JSON text) with the ``image/png`` of each cell rendered wide by
    :func:`slide_figures` replaced by its wide rendering (a cell whose source changed since keeps its
    own); the text unchanged when there is none."""
    if not figures or not figures.get("cells"):
        return text
    nb = json.loads(text)
    for index, entry in figures["cells"].items():
        k = int(index)
        if k >= len(nb["cells"]):
            continue
        cell = nb["cells"][k]
        src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        images = [o for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
        if src != entry["source"] or len(images) != len(entry["png"]):
            continue
        for out, png in zip(images, entry["png"], strict=True):
            out["data"]["image/png"] = png
            out.get("metadata", {}).pop("image/png", None)  # the page image's size, if stored
    return json.dumps(nb)


# ------------------------------------------------------------------------------------------------
# Regrouping a page into slides


@dataclass
class Slide:
    title: str
    ids: list[str] = field(default_factory=list)
    room: list[nodes.Node] = field(default_factory=list)
    notes: list[nodes.Node] = field(default_factory=list)
    kind: str = "text"  # text | figure | player
    height: float = 0.0


def _math_height(tex: str) -> float:
    rows = tex.count("\\\\") + 1
    tall = any(s in tex for s in ("\\frac", "\\dfrac", "\\sum", "\\int", "\\begin{bmatrix}", "\\sqrt"))
    return rows * (68 if tall else 50) + 28


def _text_height(node: nodes.Node, chars_per_line: int = CHARS_PER_LINE) -> float:
    """Height of a paragraph-like block: inline TeX counts about half its source length."""
    text = node.astext()
    for m in node.findall(nodes.math):
        text = text.replace(m.astext(), "x" * (len(m.astext()) // 2))
    return max(1, math.ceil(len(text) / chars_per_line)) * LINE + 14


def _row_height(row: nodes.row) -> float:
    return 36 * max(1, math.ceil(len(row.astext()) / 60)) + 10


def _runs(items: list[Any], height: Any, base: float, budget: float) -> list[list[Any]]:
    """``items`` in order, in runs that fit ``budget`` (each run starts at ``base``; at least one item)."""
    runs: list[list[Any]] = [[]]
    total = base
    for item in items:
        if runs[-1] and total + height(item) > budget:
            runs.append([])
            total = base
        runs[-1].append(item)
        total += height(item)
    return runs


def split_block(node: nodes.Node, budget: float = BUDGET) -> list[nodes.Node]:
    """A list or a table taller than ``budget`` as pieces that fit (a table repeats its header);
    any other block (or one that fits) as itself."""
    if estimate(node) <= budget:
        return [node]
    tables = list(node.findall(nodes.table))
    pieces = []
    if isinstance(node, (nodes.bullet_list, nodes.enumerated_list)):
        runs = _runs(node.children, lambda item: _text_height(item, CHARS_PER_LINE - 4), 10.0, budget)
        for k, run in enumerate(runs):
            pieces.append(node.copy())
            pieces[-1].extend(item.deepcopy() for item in run)
            if k and isinstance(node, nodes.enumerated_list):
                pieces[-1]["start"] = sum(map(len, runs[:k])) + 1
        return pieces
    if len(tables) == 1 and list(tables[0].findall(nodes.tbody)):
        body = next(tables[0].findall(nodes.tbody))
        head = sum(_row_height(r) for r in tables[0].findall(nodes.row) if r.parent is not body) + 50
        for run in _runs(body.children, _row_height, head, budget):
            pieces.append(node.deepcopy())
            piece_body = next(pieces[-1].findall(nodes.tbody))
            piece_body.children = []
            piece_body.extend(row.deepcopy() for row in run)
        return pieces
    return [node]


def estimate(node: nodes.Node) -> float:
    """Estimated height (CSS px) of a block shown to the room."""
    if isinstance(node, nodes.math_block):
        return _math_height(node.astext())
    if isinstance(node, nodes.literal_block):
        lines = sum(max(1, math.ceil(len(ln) / CODE_CHARS)) for ln in node.astext().rstrip().split("\n"))
        return lines * CODE_LINE + 28
    if isinstance(node, nodes.table):
        return sum(_row_height(row) for row in node.findall(nodes.row)) + 50
    if isinstance(node, (nodes.bullet_list, nodes.enumerated_list)):
        return sum(_text_height(item, CHARS_PER_LINE - 4) for item in node.children) + 10
    if isinstance(node, (nodes.Admonition, nodes.container)) or _is_prf(node):
        body = 0.0
        for child in node.children:
            if isinstance(child, nodes.title):
                body += 48
            elif isinstance(child, (nodes.Element,)) and not isinstance(child, nodes.Invisible):
                body += (
                    estimate(child)
                    if not isinstance(child, nodes.paragraph)
                    else _text_height(child, CHARS_PER_LINE - 6)
                )
        return body + 36
    if isinstance(node, nodes.paragraph):
        return _text_height(node)
    if isinstance(node, nodes.Invisible) or isinstance(node, nodes.target):
        return 0.0
    return _text_height(node)


def _module(node: nodes.Node) -> str:
    return type(node).__module__


def _is_prf(node: nodes.Node) -> bool:
    return _module(node).startswith("sphinx_proof")


def _is_proof(node: nodes.Node) -> bool:
    return _is_prf(node) and type(node).__name__ == "proof_node"


def _is_exercise(node: nodes.Node) -> bool:
    return _module(node).startswith("sphinx_exercise")


def _is_solution(node: nodes.Node) -> bool:
    return _is_exercise(node) and "solution" in type(node).__name__


def _is_summary(title: str) -> bool:
    return bool(re.match(r"\s*(summary|key takeaways|takeaways)\b", title, re.IGNORECASE))


def _cell_outputs(cell: nodes.container) -> list[tuple[str, nodes.Node]]:
    """The outputs of a code cell as (kind, node): figure, player, or text (printed computations, tables)."""
    items: list[tuple[str, nodes.Node]] = []
    for part in cell.children:
        if not (isinstance(part, nodes.container) and part.get("nb_element") == "cell_code_output"):
            continue
        for out in part.children:
            if any("lazy-player" in r.astext() for r in out.findall(nodes.raw)):
                items.append(("player", out))
            elif any(True for _ in out.findall(nodes.image)):
                items.append(("figure", out))
            elif any(True for _ in out.findall(nodes.table)) or (
                isinstance(out, nodes.literal_block)
                and "stderr" not in out.get("classes", [])
                and out.astext().strip()
            ):
                items.append(("text", out))
    return items


class Deck:
    """Packs the blocks of one page, in order, into slides."""

    def __init__(self) -> None:
        self.slides: list[Slide] = []
        self.current: Slide | None = None
        self.pending_notes: list[nodes.Node] = []
        self.section_ids: dict[str, list[str]] = {}
        self.titles: dict[str, nodes.title] = {}

    def room(self, node: nodes.Node, kind: str, title: str, force_new: bool = False) -> None:
        """Show a block (``kind``: text, figure or player) on the current slide or on a new one: a
        figure or a player gets a slide of its own, text that does not fit is split (:func:`split_block`)."""
        for k, piece in enumerate(split_block(node) if kind == "text" else [node]):
            height = estimate(piece) if kind == "text" else BUDGET
            cur = self.current
            if (
                force_new
                or k > 0
                or cur is None
                or cur.title != title
                or kind != "text"
                or cur.kind != "text"
                or (cur.room and cur.height + height > BUDGET)
            ):
                ids = self.section_ids.pop(title, []) if cur is None or cur.title != title else []
                cur = self.current = Slide(title, ids, notes=self.pending_notes, kind=kind)
                self.pending_notes = []
                self.slides.append(cur)
            cur.room.append(piece)
            cur.height += height

    def note(self, node: nodes.Node) -> None:
        if self.current is None:
            self.pending_notes.append(node)
        else:
            self.current.notes.append(node)


def _groups(top: nodes.section) -> list[tuple[nodes.section, list[nodes.Node]]]:
    """(section, its own blocks) for the top section and every subsection, in document order."""
    out: list[tuple[nodes.section, list[nodes.Node]]] = []

    def walk(section: nodes.section) -> None:
        own: list[nodes.Node] = []
        out.append((section, own))
        for child in section.children:
            if isinstance(child, nodes.title):
                continue
            if isinstance(child, nodes.section):
                walk(child)
            else:
                own.append(child)

    walk(top)
    return out


def _decide(block: nodes.Node, summary: bool, override: str | None) -> str:
    """Where a non-code block goes: ``room``, ``notes`` or ``drop``."""
    if override == "skip" or _is_solution(block):
        return "drop"
    if isinstance(block, (nodes.target, nodes.substitution_definition, nodes.comment)):
        return "drop"  # labels live on the section; nothing to show
    if override in ("slide", "subslide", "fragment"):
        return "room"
    if override == "notes" or _is_proof(block):
        return "notes"
    if _is_prf(block) or isinstance(block, (nodes.math_block, nodes.table, nodes.figure, nodes.image)):
        return "room"
    if summary and isinstance(block, (nodes.bullet_list, nodes.enumerated_list)):
        return "room"
    return "notes"


def build_deck(top: nodes.section) -> tuple[nodes.title, list[nodes.Node], Deck]:
    """Regroup the page's top section into slides (the title slide's notes and the deck)."""
    deck = Deck()
    title_notes: list[nodes.Node] = []
    override: str | None = None  # the opt-in slide type of the Markdown cell being read
    force_new = False
    for section, blocks in _groups(top):
        is_top = section is top
        title = section[0].astext()
        deck.titles.setdefault(title, section[0])
        if not is_top:
            deck.section_ids[title] = list(section["ids"])
        summary = _is_summary(title)
        exercises: list[str] = []
        # Decide every block first: a section of prose alone shows its first paragraph or list.
        plan: list[tuple[str, str, nodes.Node, str | None]] = []  # (where, kind, node, cell type)
        for block in blocks:
            if isinstance(block, slide_cell):
                override = None if block["slide_type"] == "end" else block["slide_type"]
                plan.append(("marker", "", block, override))
                continue
            if isinstance(block, nodes.container) and block.get("nb_element") == "cell_code":
                kind = cell_slide_type(block.get("cell_metadata", {}))
                if kind == "skip" or override == "skip":
                    continue
                for out_kind, out in _cell_outputs(block):
                    where = "notes" if (kind or override) == "notes" else "room"
                    plan.append((where, out_kind, out, kind))
                continue
            if _is_exercise(block) and not _is_solution(block):
                first = block.children[0] if block.children else None
                name = first.astext().strip() if isinstance(first, nodes.title) else ""
                exercises.append(
                    f"Exercise {len(exercises) + 1}" + (f": {name.strip('() ')}" if name else "")
                )
                continue
            plan.append((_decide(block, summary, override), "text", block, None))
        if not is_top and not exercises and not any(p[0] == "room" for p in plan):
            for k, (where, kind, block, cell) in enumerate(plan):
                if where == "notes" and isinstance(
                    block, (nodes.paragraph, nodes.bullet_list, nodes.enumerated_list)
                ):
                    plan[k] = ("room", kind, block, cell)
                    break
        for where, kind, block, cell in plan:
            if where == "marker":
                force_new = cell in ("slide", "subslide")
            elif where == "drop":
                continue
            elif is_top and deck.current is None and where == "notes":
                title_notes.append(block)  # the title slide: the page's opening prose in its notes
            elif where == "room":
                deck.room(block, kind, title, force_new=force_new or cell in ("slide", "subslide"))
                force_new = False
            else:
                deck.note(block)
        if exercises:
            items = nodes.bullet_list()
            for text in exercises:
                items += nodes.list_item("", nodes.paragraph(text=text))
            deck.room(items, "text", title, force_new=True)
    return top[0], title_notes, deck


def _attr(text: str) -> str:
    """Text for an HTML attribute (sphinx-revealjs writes attribute values as they are)."""
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def _flat_copy(block: nodes.Node) -> nodes.Node:
    """A copy of a block with no section inside (sphinx-proof wraps a box's body in a section, which
    the revealjs writer would turn into a slide of its own): inner sections become containers."""
    copy_ = block.deepcopy()
    for inner in list(copy_.findall(nodes.section, include_self=False)):
        box = nodes.container("", *inner.children, classes=[*inner["classes"], *inner["ids"]])
        inner.replace_self(box)
    return copy_


def _notes_node(blocks: list[nodes.Node]) -> slide_notes:
    notes = slide_notes()
    for block in blocks:
        notes += _flat_copy(block)
    return notes


def restructure(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace the page's sections by slides (the revealjs builders only)."""
    from sphinx_revealjs.nodes import revealjs_section

    tops = [s for s in doctree.children if isinstance(s, nodes.section)]
    if app.builder.name not in BUILDERS or not tops:
        return
    top = tops[0]
    title, title_notes, deck = build_deck(top)
    new = nodes.section(ids=list(top["ids"]), names=list(top["names"]))
    new += revealjs_section(**{"data-slide-kind": "title", "data-slide-title": _attr(title.astext())})
    new += title.deepcopy()
    site = SITE_URL + docname + ".html"
    new += nodes.paragraph(
        "",
        "",
        nodes.Text(f"{app.config.html_title or app.config.project} · the lecturer's edition · "),
        nodes.reference("", "read this page in the book", refuri=site, classes=["slides-site-link"]),
        classes=["slides-subtitle"],
    )
    new += nodes.paragraph(
        "", "← → move · S speaker notes · F full screen · Esc overview", classes=["slides-keys"]
    )
    if title_notes:
        new += _notes_node(title_notes)
    seen: dict[str, int] = {}
    for k, slide in enumerate(deck.slides, start=1):
        count = seen.get(slide.title, 0)
        seen[slide.title] = count + 1
        section = nodes.section(ids=slide.ids or [f"slide-{k}"])
        heading = slide.title if count == 0 else f"{slide.title} (cont.)"
        section += revealjs_section(**{"data-slide-kind": slide.kind, "data-slide-title": _attr(heading)})
        title_node = nodes.title("", "", *[c.deepcopy() for c in deck.titles[slide.title].children])
        if count:
            title_node += nodes.Text(" (cont.)")
        section += title_node
        captions: list[nodes.Node] = []
        for block in slide.room:
            shown = _flat_copy(block)
            if slide.kind == "figure":  # the caption goes to the notes: the figure gets the height
                for caption in list(shown.findall(nodes.caption)):
                    captions.append(nodes.paragraph("", "", *[c.deepcopy() for c in caption.children]))
                    caption.parent.remove(caption)
            section += shown
        if slide.notes or captions:
            section += _notes_node([*captions, *slide.notes])
        new += section
    doctree.replace(top, new)
    for other in tops[1:]:
        doctree.remove(other)


# ------------------------------------------------------------------------------------------------
# The Sphinx configuration of the decks (slides/conf.py) and the build (make slides)

#: Extensions of the site that the decks do without: the book theme (sphinx-revealjs brings its own),
#: Thebe and comments (launchers of the site), the edition stamp, the PDF edition and LaTeX.
NOT_IN_DECKS = (
    "sphinx_book_theme",
    "sphinx_thebe",
    "sphinx_comments",
    "_ext.book_pdf",
    "sphinx_jupyterbook_latex",
    "sphinx_togglebutton",
    "sphinx_copybutton",
)


def sphinx_config(root: Path = ROOT) -> dict[str, Any]:
    """The decks' Sphinx configuration: the book's (``_config.yml`` through jupyter-book, so the
    macros, MyST extensions and bibliography are the site's), with the slides' overrides."""
    from jupyter_book.config import get_final_config

    config, _ = get_final_config(
        user_yaml=root / "_config.yml", cli_config={"latex_individualpages": False}, sourcedir=root
    )
    config["extensions"] = [e for e in config["extensions"] if e not in (*NOT_IN_DECKS, "book_slides")] + [
        "sphinx_revealjs",
        "_ext.book_slides",
    ]
    # Paths that Sphinx or its extensions resolve against the configuration directory (slides/).
    config["bibtex_bibfiles"] = [str(root / p) for p in config.get("bibtex_bibfiles", [])]
    config["exclude_patterns"] = [*config.get("exclude_patterns", []), "slides"]
    # myst-nb's output priority for the html builder (the offline player, text/html, before its still)
    from myst_nb.core.render import base_render_priority

    config["nb_mime_priority_overrides"] = [("*", m, i) for m, i in base_render_priority()["html"].items()]
    tex = config["mathjax3_config"]["tex"]
    config["mathjax3_config"] = {"tex": tex, "svg": {"fontCache": "local"}}
    config.update(
        revealjs_html_theme="revealjs-basic",
        revealjs_style_theme="white",
        revealjs_static_path=[str(root / "_static"), str(root / "slides" / "_static")],
        revealjs_css_files=["proof.css", "exercise.css", "slides.css"],
        revealjs_js_files=["slides.js"],
        revealjs_use_section_ids=True,
        revealjs_script_conf=json.dumps(
            {
                "width": 1280,
                "height": 720,
                "margin": 0.0,
                "center": False,
                "hash": True,
                "navigationMode": "linear",
                "transition": "none",
                "slideNumber": "c/t",
                "controls": True,
                "progress": True,
            }
        ),
        revealjs_script_plugins=[{"name": "RevealNotes", "src": "revealjs/plugin/notes/notes.js"}],
    )
    return config


_HREF = re.compile(r'(<a\b[^>]*\bhref=")([^"#:]*)(#[^"]*)?"')
_ID = re.compile(r'\bid="([^"]+)"')


def relocate(html: str, here: str, ids: dict[str, set[str]], site_url: str = SITE_URL) -> str:
    """Deck ``here``, written to notebooks/ by Sphinx, moved up to the output's root: its links to the
    build's folders lose one ``../``; a link to a page that has no deck (``book/``) or to an anchor
    that the deck it points to does not carry (an exercise's label) goes to the site's page instead.
    ``ids``: the ids of every deck, by file name."""
    html = re.sub(r'((?:href|src)=")\.\./(?=_static/|_images/)', r"\1", html)

    def link(m: re.Match[str]) -> str:
        path, frag = m.group(2), (m.group(3) or "")
        if path.startswith(("../book/", "../index")):
            return f'{m.group(1)}{site_url}{path[3:]}{frag}"'
        name = path or here  # (a path with a folder is no deck's name: left as it is)
        if frag and name in ids and frag[1:] not in ids[name]:
            return f'{m.group(1)}{site_url}notebooks/{name}{frag}"'
        return m.group(0)

    return _HREF.sub(link, html)


def write_index(out: Path, decks: dict[str, dict[str, Any]], site_url: str = SITE_URL) -> None:
    """``index.html``: every deck, its number of slides, and its page on the site."""
    rows = []
    for docname, info in sorted(decks.items()):
        if not docname.startswith("notebooks/"):
            continue
        name = docname.split("/", 1)[1]
        rows.append(
            f'<li><a href="{name}.html">{info["title"]}</a> <span class="n">({info["slides"]} slides)</span>'
            f' · <a class="site" href="{site_url}{docname}.html">the page in the book</a></li>'
        )
    _write_if_changed(
        out / "index.html",
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>Lazy Training: the lecturer's edition</title>"
        '<link rel="stylesheet" href="_static/slides-index.css"></head><body><main>'
        "<h1>Lazy Training: the lecturer's edition</h1>"
        "<p>One reveal.js deck per page, built from the notebooks (<code>make slides</code>). "
        "Arrow keys move, <kbd>S</kbd> opens the speaker notes (the page's prose), <kbd>F</kbd> full "
        "screen, <kbd>Esc</kbd> the overview. Nothing loads from another host.</p>"
        f'<ol class="decks">{"".join(rows)}</ol>'
        f'<p><a href="{site_url}index.html">The book</a></p></main></body></html>\n',
    )


_SLIDE = re.compile(r'<section data-slide-kind="(\w+)" data-slide-title="([^"]*)"')


def deck_info(html: str) -> dict[str, Any]:
    """A built deck's number of slides and title (its title slide's), read from its HTML: the same
    whether Sphinx wrote the deck in this build or an earlier one."""
    import html as html_lib

    slides = _SLIDE.findall(html)
    titles = [title for kind, title in slides if kind == "title"]
    if not titles:
        raise ValueError("html: no title slide in the deck")
    return {"slides": len(slides), "title": html_lib.unescape(titles[0])}


def _write_if_changed(path: Path, text: str) -> None:
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def build(out: Path = OUT, sphinx_args: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """Build every deck into ``out`` (``_build/html/slides/NN_topic.html``, beside the site's pages) and
    the index page; first the wide figures (:func:`slide_figures`)."""
    start = time.perf_counter()
    from _ext.execute_notebooks import in_kernels

    # each notebook's in a kernel of its own, two at a time; the first failure stops the build
    for _, outcome in in_kernels(slide_figures, sorted((ROOT / "notebooks").glob("*.ipynb"))):
        if isinstance(outcome, Exception):
            raise outcome
    work = ROOT / "_build" / "slides-sphinx"
    cmd = [
        sys.executable, "-m", "sphinx", "-b", "revealjs", "-c", str(SLIDES_DIR), "-q",
        "-d", str(ROOT / "_build" / "slides-doctrees"), *(sphinx_args or []), str(ROOT), str(work),
    ]  # fmt: skip
    subprocess.run(cmd, check=True, cwd=ROOT)
    # Into the site's folder, writing only what changed (MathJax alone is thousands of files): with
    # nothing changed, `make book` rewrites nothing here.
    from sphinx.util.osutil import copyfile

    for folder in ("_static", "_images"):
        if (work / folder).is_dir():
            shutil.copytree(work / folder, out / folder, dirs_exist_ok=True, copy_function=copyfile)
    pages = {p.name: p.read_text(encoding="utf-8") for p in sorted((work / "notebooks").glob("*.html"))}
    ids = {name: set(_ID.findall(html)) for name, html in pages.items()}
    for name, html in pages.items():
        _write_if_changed(out / name, relocate(html, name, ids))
    decks = {f"notebooks/{Path(name).stem}": deck_info(html) for name, html in pages.items()}
    write_index(out, decks)
    _write_if_changed(out / "decks.json", json.dumps(decks, indent=1, sort_keys=True))
    n = {k: v["slides"] for k, v in decks.items() if k.startswith("notebooks/")}
    print(
        f"make slides: {len(n)} decks, {sum(n.values())} slides in {time.perf_counter() - start:.0f} s: {out}"
    )
    return decks


# ------------------------------------------------------------------------------------------------
# HTML of the notes node and the marker


def visit_slide_notes(self: Any, node: slide_notes) -> None:
    self.body.append('<aside class="notes">\n')


def depart_slide_notes(self: Any, node: slide_notes) -> None:
    self.body.append("</aside>\n")


def skip(self: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode


def _slides_button(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """On the site (the ``html`` builder: the PDF never sees it), each lecture page's header gets a
    "Slides" button to its deck, ``slides/NN_topic.html`` of the site (``make book`` builds the decks
    there, :func:`build`)."""
    if app.builder.name != "html" or not pagename.startswith("notebooks/") or "header_buttons" not in context:
        return
    name = pagename.split("/", 1)[1]
    context["header_buttons"].insert(
        0,
        {
            "type": "link",
            "url": context["pathto"](f"{DECKS_DIR}/{name}.html", 1),
            "text": "Slides",
            "tooltip": "This page as slides (the lecturer's edition)",
            "icon": "fas fa-person-chalkboard",
            "label": "slides-button",
        },
    )


def _stable_static_path(app: Sphinx) -> None:
    """sphinx-revealjs appends its own static folder to ``revealjs_static_path`` in place as its
    builder starts, so the pickled configuration never equals the next build's, and every build read
    every page again ("config changed"): the builder keeps its list (as ``html_static_path``), the
    configuration gets its own value back."""
    if app.builder.name in BUILDERS:
        from sphinx_revealjs.utils import get_internal_static_path

        static = list(app.config.revealjs_static_path)
        app.config.html_static_path = static
        internal = str(get_internal_static_path())
        app.config.revealjs_static_path = [p for p in static if p != internal]


def _mathjax_svg(app: Sphinx) -> None:
    """The decks typeset with MathJax's SVG output and a font cache local to each formula: the speaker
    view copies the notes' HTML into its own window, where CHTML's stylesheet would be missing."""
    if app.builder.name in BUILDERS:
        app.config.mathjax_path = "mathjax/tex-svg.js"


def setup(app: Sphinx) -> dict[str, Any]:
    # (both nodes exist in the decks' builds only: the markers are inserted for BUILDERS alone)
    app.add_node(slide_cell, **{b: (skip, None) for b in BUILDERS})
    app.add_node(slide_notes, **{b: (visit_slide_notes, depart_slide_notes) for b in BUILDERS})
    app.add_directive("slide-cell", SlideCell)
    # the pages' one-edition text (``:::{div}`` with ``:class: only-html`` / ``only-latex``): the
    # decks are HTML, so they show what the site shows (book_pdf is not loaded for the slides)
    from _ext.book_pdf import edition_div

    app.add_directive("div", edition_div(), override=True)
    app.connect("source-read", _source_read)
    app.connect("env-get-outdated", _outdated)
    app.connect("doctree-resolved", restructure, priority=900)
    app.connect("builder-inited", _mathjax_svg, priority=900)
    app.connect("builder-inited", _stable_static_path, priority=1)  # before others append to it
    # after sphinx-book-theme's header buttons (priority 501)
    app.connect("html-page-context", _slides_button, priority=900)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    # `make slides`: python -m _ext.book_slides [sphinx-build options, e.g. -n -W --keep-going]
    try:
        build(sphinx_args=sys.argv[1:])
    except subprocess.CalledProcessError as err:
        sys.exit(f"make slides: sphinx-build failed (exit status {err.returncode}); its messages are above")
