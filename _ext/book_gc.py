"""The book's Sphinx builds run without Python's cyclic garbage collector.

docutils' trees are made of reference cycles (each node points to its parent and its document), and a
build of this book keeps millions of objects alive (2.1 million at the end of a LaTeX build), which
CPython's collector walks again at each full collection (one each time the long-lived objects have grown
by a quarter: 25 in a clean LaTeX build, 7.5 s by ``gc.callbacks``' clock). Measured on the book's
2-core machine, clean builds with the collector and without it: LaTeX builder 29 s and 14 s (peak memory
0.6 and 1.3 GB), HTML 17 s and 12.5 s (0.43 and 0.63 GB), the decks 17 s and 11 s (0.43 and 0.65 GB);
the pages are byte for byte the same. The collector is off from this extension's setup (before any
source is read); what is left when the build ends is frozen (:func:`gc.freeze`), so that the collection
CPython runs as the process exits skips it (it took 4 s of the 29).

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
