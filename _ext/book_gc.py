"""The book's Sphinx builds run without Python's cyclic garbage collector.

docutils' trees are made of reference cycles (each node points to its parent and its document), so a
build of this book makes some 5 million objects that live until the end, and CPython's collector
walks them again each time the heap has grown by a quarter: measured on the book's 2-core machine,
a clean build with the LaTeX builder took 29 s with the collector and 14 s without it (peak memory
0.6 GB with, 1.3 GB without). With the collector off from the extension's setup (before any source
is read), and what is left frozen when the build ends (:func:`gc.freeze`: left out of the collection
CPython runs as the process exits, which took 4 s of the 29), the build spends nothing on it.

For the one-shot build processes (``jupyter-book build``, the decks' ``python -m sphinx``), which exit
when the build ends: a process that goes on after a build keeps the collector off and the build's
objects frozen (not freed). ``BOOK_GC=1`` in the environment leaves the collector alone (a machine
short of memory; ``benchmarks/bench_build.py --gc`` times a clean build both ways).
"""

from __future__ import annotations

import gc
import os

from sphinx.application import Sphinx


def _freeze(app: Sphinx, exc: BaseException | None) -> None:
    gc.freeze()


def setup(app: Sphinx) -> dict:
    if os.environ.get("BOOK_GC") != "1":
        gc.disable()
        app.connect("build-finished", _freeze)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
