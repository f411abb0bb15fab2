"""Compatibility alias of :mod:`lazylib.viz.style` for pages 01–04 and ``lazylib.recall_plots``.

The book's one figure style and its drawing helpers live in :mod:`lazylib.viz.style`; this module
re-exports the two names those files import, until they import from :mod:`lazylib.viz` (issue 13,
part B).
"""

from __future__ import annotations

from .viz.style import loglog_with_fit, use_book_style

__all__ = ["loglog_with_fit", "use_book_style"]
