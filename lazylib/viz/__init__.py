"""lazylib.viz: the presentation layer — figures and explorers, one module per page.

Imports the numerics; the numerics never import it (nor does ``lazylib/__init__``: it needs
matplotlib, ipywidgets and Pillow). Layout:

* :mod:`~lazylib.viz.style`: the one figure style (:data:`~lazylib.viz.style.BOOK_STYLE`), used by
  notebooks (:func:`~lazylib.viz.style.use_book_style`), explorers and players;
* :mod:`~lazylib.viz.legibility`: the checks that a figure can be read (run by
  :func:`~lazylib.viz.style.finish_figure` when the book is executed or tested);
* :mod:`~lazylib.viz.execution`: whether the notebooks run for the book (``LAZYLIB_BOOK_EXECUTE=1``:
  legibility checks and the offline players' frames) or in a reader's kernel (neither);
* :mod:`~lazylib.viz.explorer`: the framework (:class:`~lazylib.viz.explorer.Control`,
  :class:`~lazylib.viz.explorer.Explorer`, the offline HTML player);
* one module per page, named after its numerics module: ``plot_<what>(ax, result)`` functions that
  only draw a result of the numerics, and ``build_explorer()`` whose frames call the same functions.

======================  ===========================  ===========================
page (notebook)         numerics                     figures and explorer
======================  ===========================  ===========================
01_recall               ``lazylib.recall``           :mod:`lazylib.viz.recall`
02_setup                ``lazylib.dynamics``         :mod:`lazylib.viz.setup`
03_theorem_8_1          ``lazylib.theory``,          :mod:`lazylib.viz.theorem`
                        ``lazylib.case_study``
04_case_study           ``lazylib.case_study``       :mod:`lazylib.viz.case_study`
05_lemma_8_1            ``lazylib.lemmas``           :mod:`lazylib.viz.lemma_8_1`
06_lemma_8_2            ``lazylib.lemmas``           :mod:`lazylib.viz.lemma_8_2`
07_eigenvalues          ``lazylib.lemmas``           :mod:`lazylib.viz.eigenvalues`
08_lazy_vs_active       ``lazylib.lazy_active``      :mod:`lazylib.viz.lazy_active`
09_width_as_scale       ``lazylib.width_scale``      ``lazylib.viz.width_scale``
10_gradient_descent     ``lazylib.discrete_time``    :mod:`lazylib.viz.discrete_time`
11_what_lazy_learns     ``lazylib.lazy_solution``    :mod:`lazylib.viz.lazy_solution`
======================  ===========================  ===========================

Entry points, one per page: ``recall_explorer()``, ``setup_explorer()``, ``theorem_explorer()``,
``case_study_explorer()``, ``lemma_8_1_explorer()``, ``lemma_8_2_explorer()``,
``eigenvalues_explorer()``, ``lazy_active_explorer()``, ``width_scale_explorer()``,
``discrete_time_explorer()``, ``lazy_solution_explorer()`` return what the
page's one Explore cell displays, an :class:`~lazylib.viz.explorer.ExplorerView` (one output bundle:
the live widget where a kernel runs it, the offline player everywhere else, a still in the PDF), and
with ``static=True`` the offline player alone. :data:`EXPLORERS` maps each page to its builder, and
:func:`page_explorer` (or ``lazylib.viz.explorer(section)``, the module made callable) builds one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import (
    case_study,
    discrete_time,
    eigenvalues,
    lazy_active,
    lazy_solution,
    lemma_8_1,
    lemma_8_2,
    recall,
    setup,
    theorem,
    width_scale,
)
from .explorer import Control, Explorer
from .style import BOOK_STYLE, use_book_style

__all__ = [
    "BOOK_STYLE",
    "EXPLORERS",
    "Control",
    "Explorer",
    "case_study_explorer",
    "discrete_time_explorer",
    "eigenvalues_explorer",
    "explorer",
    "lazy_active_explorer",
    "lazy_solution_explorer",
    "lemma_8_1_explorer",
    "lemma_8_2_explorer",
    "page_explorer",
    "recall_explorer",
    "setup_explorer",
    "theorem_explorer",
    "use_book_style",
    "width_scale_explorer",
]

#: Page name → builder of its :class:`Explorer` (in slide order).
EXPLORERS: dict[str, Callable[[], Explorer]] = {
    "recall": recall.build_explorer,
    "setup": setup.build_explorer,
    "theorem": theorem.build_explorer,
    "case_study": case_study.build_explorer,
    "lemma_8_1": lemma_8_1.build_explorer,
    "lemma_8_2": lemma_8_2.build_explorer,
    "eigenvalues": eigenvalues.build_explorer,
    "lazy_active": lazy_active.build_explorer,
    "width_scale": width_scale.build_explorer,
    "discrete_time": discrete_time.build_explorer,
    "lazy_solution": lazy_solution.build_explorer,
}


def page_explorer(section: str) -> Explorer:
    """The :class:`Explorer` of a page (a key of :data:`EXPLORERS`).

    Also callable as ``lazylib.viz.explorer(section)``: the name ``lazylib.viz.explorer`` is the
    module :mod:`lazylib.viz.explorer` (the framework), made callable for this (a function of that
    name would hide the module, so that ``import lazylib.viz.explorer as ex`` gave the function).
    """
    if not isinstance(section, str) or section not in EXPLORERS:
        raise ValueError(f"section must be one of {sorted(EXPLORERS)}, got {section!r}")
    return EXPLORERS[section]()


def _entry(section: str, static: bool) -> Any:
    if not isinstance(static, bool | np.bool_):
        raise ValueError(f"static must be True or False, got {static!r}")
    ex = page_explorer(section)
    return ex.player() if static else ex.view()


def recall_explorer(static: bool = False) -> Any:
    """Recall: activation, width m and step size ρ → the linearization error and its law.

    The live ``ipywidgets`` UI and the offline HTML player in one output (the front end picks),
    or with ``static=True`` the player alone.
    """
    return _entry("recall", static)


def setup_explorer(static: bool = False) -> Any:
    """Setup: α → the prediction paths of the network's flow and of the linearized flow."""
    return _entry("setup", static)


def theorem_explorer(static: bool = False) -> Any:
    """Theorem 8.1: α, m, centring → risk against its bound, distance against the radius, α vs α_min."""
    return _entry("theorem", static)


def case_study_explorer(static: bool = False) -> Any:
    """Case study: m, n → σ_min, σ_max and α_min/α (the condition as a width requirement)."""
    return _entry("case_study", static)


def lemma_8_1_explorer(static: bool = False) -> Any:
    """Lemma 8.1: a family Q(t) → the risk of ż = −Q(t)(z − y) against R₀exp(−2λt)."""
    return _entry("lemma_8_1", static)


def lemma_8_2_explorer(static: bool = False) -> Any:
    """Lemma 8.2: α → the trajectory w(t) in the ball B, and the distances against the radii."""
    return _entry("lemma_8_2", static)


def eigenvalues_explorer(static: bool = False) -> Any:
    """Eigenvalue analysis: α → the drift of λ_min and λ_max of J_tJ_tᵀ along the flow."""
    return _entry("eigenvalues", static)


def lazy_active_explorer(static: bool = False) -> Any:
    """Lazy vs active: the initial scale ν → the neuron paths of a two-layer ReLU network."""
    return _entry("lazy_active", static)


def discrete_time_explorer(static: bool = False) -> Any:
    """Gradient descent: the step size η/η_c → risks of the network and the linearized model, sharpness."""
    return _entry("discrete_time", static)


def width_scale_explorer(static: bool = False) -> Any:
    """Width as scale: width m and parametrisation (NTK or mean field) → risks and neuron movement."""
    return _entry("width_scale", static)


def lazy_solution_explorer(static: bool = False) -> Any:
    """What lazy training learns: α → the network's limit beside the lazy solution (kernel regression)."""
    return _entry("lazy_solution", static)
