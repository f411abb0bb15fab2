"""Compatibility alias of :mod:`lazylib.viz` for the explorer cells of pages 01–04.

The explorers live in ``lazylib/viz/`` (framework in :mod:`lazylib.viz.explorer`, one module per
page). This module only re-exports the entry points those notebooks import; it goes once they
import from :mod:`lazylib.viz` (issue 13, part B).
"""

from __future__ import annotations

from .viz import (
    EXPLORERS,
    case_study_explorer,
    explorer,
    recall_explorer,
    setup_explorer,
    theorem_explorer,
)

__all__ = [
    "EXPLORERS",
    "case_study_explorer",
    "explorer",
    "recall_explorer",
    "setup_explorer",
    "theorem_explorer",
]
