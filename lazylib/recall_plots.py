"""Compatibility alias of :mod:`lazylib.viz.recall` for ``notebooks/01_recall.ipynb``.

The Recall page's figures live in :mod:`lazylib.viz.recall`; this module re-exports the three names
the notebook imports, until it imports from :mod:`lazylib.viz` (issue 13, part B).
"""

from __future__ import annotations

from .viz.recall import label_sizes, plot_error_law, plot_universal_approximation

__all__ = ["label_sizes", "plot_error_law", "plot_universal_approximation"]
