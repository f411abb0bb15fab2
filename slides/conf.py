"""Sphinx configuration of the lecturer's edition (the reveal.js decks): the book's own settings,
read from ``_config.yml`` (the one place for the macros), with the decks' overrides
(``_ext/book_slides.py``, :func:`book_slides.sphinx_config`). Built by ``make slides``."""

import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / "_ext")]
from book_slides import sphinx_config  # noqa: E402

globals().update(sphinx_config())
