"""Unit tests (no build) of the decks' wide figures in ``_ext/book_slides.py``: which stored figures are
too tall for a slide, and how the wide renderings replace them in the notebook the decks are built from.
Not marked ``slides``: they run with the unit tests."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from _ext import book_slides

ROOT = Path(__file__).resolve().parents[2]


def _png(width: int, height: int) -> str:
    """Base64 of a PNG header of that size (all that png_size reads)."""
    head = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + width.to_bytes(4, "big") + height.to_bytes(4, "big")
    return base64.b64encode(head + b"\x08\x06\x00\x00\x00").decode()


def _notebook(*sizes: tuple[int, int] | None) -> dict:
    cells = []
    for k, size in enumerate(sizes):
        outputs = (
            [] if size is None else [{"output_type": "display_data", "data": {"image/png": _png(*size)}}]
        )
        cells.append({"cell_type": "code", "source": f"plot({k})", "metadata": {}, "outputs": outputs})
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def test_fits_legibly_is_the_box_at_scale_0_8() -> None:
    # 9 pt at 200 dpi is 25 px: shown at 20 px means a scale of 0.8, so the box 1232x690 holds 1540x862
    assert book_slides.fits_legibly(1540, 862)
    assert not book_slides.fits_legibly(1541, 700)
    assert not book_slides.fits_legibly(1380, 864)
    assert book_slides.fits_legibly(1380, 740)


def test_png_size_reads_the_header_and_refuses_other_data() -> None:
    assert book_slides.png_size(base64.b64decode(_png(1380, 1660))) == (1380, 1660)
    with pytest.raises(ValueError, match="PNG"):
        book_slides.png_size(b"GIF89a" + b"\x00" * 20)


def test_too_tall_cells_skips_fitting_figures_and_explorer_stills() -> None:
    nb = _notebook((1380, 740), (1380, 1660), None, (1380, 940))
    explorer_still = {"image/png": _png(1380, 2000), "text/html": "<div class='lazy-player'></div>"}
    nb["cells"][2]["outputs"] = [{"output_type": "display_data", "data": explorer_still}]
    assert book_slides.too_tall_cells(nb) == [1, 3]


def test_use_slide_figures_replaces_matching_cells_only() -> None:
    nb = _notebook((1380, 1660), (1380, 940))
    wide = _png(1500, 820)
    figures = {
        "key": "k",
        "cells": {
            "0": {"source": "plot(0)", "png": [wide]},
            "1": {"source": "an older plot(1)", "png": [wide]},  # the cell changed since: kept
        },
    }
    out = json.loads(book_slides.use_slide_figures(json.dumps(nb), figures))
    assert out["cells"][0]["outputs"][0]["data"]["image/png"] == wide
    assert (
        out["cells"][1]["outputs"][0]["data"]["image/png"]
        == nb["cells"][1]["outputs"][0]["data"]["image/png"]
    )
    text = json.dumps(nb)
    assert book_slides.use_slide_figures(text, None) is text
