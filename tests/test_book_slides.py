"""Unit tests of the slide selection of the lecturer's edition (``_ext/book_slides.py``), no build.

The convention (the room sees statements and display math, the notes get the prose), the per-cell
opt-in (``slideshow.slide_type`` / tags, markers inserted into Markdown cells as the notebook is read)
and the splitting of a list too long for one slide, on small hand-made doctrees and notebooks.
"""

from __future__ import annotations

import json

import pytest
from docutils import nodes

from _ext import book_slides


def _section(title: str, *children: nodes.Node, ids: str = "") -> nodes.section:
    section = nodes.section(ids=[ids or title.lower().replace(" ", "-")])
    section += nodes.title(text=title)
    for child in children:
        section += child
    return section


def _page(*sections: nodes.section) -> nodes.section:
    return _section("Page", nodes.paragraph(text="What you will see."), *sections, ids="page")


def test_convention_statements_to_the_room_prose_to_the_notes() -> None:
    prose = nodes.paragraph(text="An argument for the lecturer.")
    formula = nodes.math_block(text="a = b")
    _, title_notes, deck = book_slides.build_deck(_page(_section("Result", prose, formula)))
    assert [n.astext() for n in title_notes] == ["What you will see."]
    (slide,) = deck.slides
    assert slide.title == "Result" and slide.ids == ["result"]
    assert slide.room == [formula]
    assert slide.notes == [prose]


def test_prose_only_section_shows_its_first_paragraph() -> None:
    first, second = nodes.paragraph(text="One."), nodes.paragraph(text="Two.")
    _, _, deck = book_slides.build_deck(_page(_section("Discussion", first, second)))
    (slide,) = deck.slides
    assert slide.room == [first] and slide.notes == [second]


def _marked(*items: str | nodes.Node) -> nodes.section:
    """A section of the given blocks, a string standing for a ``slide-cell`` marker of that type."""
    blocks = [book_slides.slide_cell(slide_type=i) if isinstance(i, str) else i for i in items]
    return _section("Marked", *blocks)


@pytest.mark.parametrize(
    ("items", "slides"),
    [
        pytest.param(  # "slide": a new slide from the marker on, its prose shown to the room
            (nodes.math_block(text="x"), "slide", nodes.paragraph(text="Say this."), "end",
             nodes.paragraph(text="Back to the convention.")),
            [(["x"], []), (["Say this."], ["Back to the convention."])],
            id="opt-in-slide",
        ),
        pytest.param(  # "skip" leaves a block out, "notes" sends even display math to the notes
            (nodes.math_block(text="shown"), "skip", nodes.math_block(text="hidden"), "notes",
             nodes.math_block(text="noted"), "end"),
            [(["shown"], ["noted"])],
            id="skip-and-notes",
        ),
    ],
)  # fmt: skip
def test_cell_markers(items: tuple, slides: list[tuple[list[str], list[str]]]) -> None:
    _, _, deck = book_slides.build_deck(_page(_marked(*items)))
    assert [([n.astext() for n in s.room], [n.astext() for n in s.notes]) for s in deck.slides] == slides


def test_a_long_list_is_split_over_slides() -> None:
    items = nodes.bullet_list()
    for k in range(40):
        items += nodes.list_item("", nodes.paragraph(text=f"takeaway {k} " + "word " * 20))
    pieces = book_slides.split_block(items)
    assert len(pieces) > 1
    assert all(book_slides.estimate(p) <= book_slides.BUDGET for p in pieces)
    assert [i.astext() for p in pieces for i in p.children] == [i.astext() for i in items.children]


def test_cell_slide_type() -> None:
    assert book_slides.cell_slide_type({}) is None
    assert book_slides.cell_slide_type({"slideshow": {"slide_type": "-"}}) is None
    assert book_slides.cell_slide_type({"slideshow": {"slide_type": "fragment"}}) == "fragment"
    assert book_slides.cell_slide_type({"tags": ["hide-input", "slide"]}) == "slide"
    assert book_slides.cell_slide_type({"tags": ["slide-skip"]}) == "skip"
    with pytest.raises(ValueError, match="slide_type"):
        book_slides.cell_slide_type({"slideshow": {"slide_type": "sldie"}})


def _notebook(*cells: dict) -> str:
    return json.dumps({"cells": list(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def test_mark_notebook_inserts_markers_after_the_heading() -> None:
    cell = {
        "cell_type": "markdown",
        "metadata": {"slideshow": {"slide_type": "subslide"}},
        "source": ["(sec-x)=\n", "## A heading\n", "\n", "Some prose.\n"],
    }
    plain = {"cell_type": "markdown", "metadata": {}, "source": "Other prose."}
    marked = json.loads(book_slides.mark_notebook(_notebook(cell, plain)))
    source = marked["cells"][0]["source"]
    marker = source.index("```{slide-cell} subslide")
    assert source.index("## A heading") < marker < source.index("Some prose.")
    assert source.rstrip().endswith("```{slide-cell} end\n```")
    assert marked["cells"][1]["source"] == "Other prose."
    text = _notebook(plain)
    assert book_slides.mark_notebook(text) is text  # nothing marked: the very same text


def test_slide_mark_on_a_section_leaves_the_deck_as_the_section_makes_it() -> None:
    """``slide`` on a cell opening a section is JupyterLab's live-deck cut: the prose stays in the notes;
    on a cell without a heading it still puts the cell on a slide of its own."""
    meta = {"slideshow": {"slide_type": "slide"}}
    section = {"cell_type": "markdown", "metadata": meta, "source": "## A heading\n\nSome prose.\n"}
    text = _notebook(section)
    assert book_slides.mark_notebook(text) is text
    prose = {"cell_type": "markdown", "metadata": meta, "source": "Some prose.\n"}
    marked = json.loads(book_slides.mark_notebook(_notebook(prose)))
    assert marked["cells"][0]["source"].startswith("```{slide-cell} slide")
