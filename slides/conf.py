"""Sphinx configuration of the lecturer's edition (the reveal.js decks): the book's own settings,
read from ``_config.yml`` (the one place for the macros), with the decks' overrides
(``_ext/book_slides.py``, :func:`_ext.book_slides.sphinx_config`). Built by ``make slides``
(``python -m _ext.book_slides``, which runs sphinx-build from the repository's root)."""

from _ext.book_slides import sphinx_config

globals().update(sphinx_config())
