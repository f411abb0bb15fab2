"""lazylib: the computations behind the book *Lazy Training*.

Re-exports the public API; the implementation lives in small modules with one job each:

* core numerics: ``activations``, ``data``, ``models`` (ShallowNet, Jacobian, structured NTK),
  ``linearization`` (the linearized model and its error), ``theory`` (Theorem 8.1 and
  Lemmas 8.1–8.3), ``flows`` (closed-form and ODE gradient flows, gradient descent), ``fitting``;
* concept modules shared by several pages, also built on the core: ``infinite_width`` (large-width
  limit kernels by quadrature), ``relu_nets`` (two-layer ReLU teacher–student networks, their
  training and their ν → ∞ limit), ``step_size`` (the step-size edge of gradient descent); page
  modules import these and never each other (``tests/test_import_rules.py``);
* one numerics module per section of the book, built on the core: ``recall`` (error laws, tangent-kernel
  regression), ``dynamics`` (Setup: prediction ODEs), ``case_study`` (Theorem 8.1 checks, width
  condition), ``lemmas`` (Lemmas 8.1–8.3, kernel along the flow), ``lazy_active`` (Chizat et al.'s
  experiments), ``width_scale`` (width as a scale), ``discrete_time`` (Theorem 8.1 for gradient
  descent; not named ``gradient_descent``, the function of ``flows`` re-exported here),
  ``lazy_solution`` (what lazy training learns);
* on top, never imported by the numerics and not imported here (it needs matplotlib, ipywidgets and
  Pillow): the presentation package ``viz`` — ``viz.style`` (the one figure style), ``viz.explorer``
  (Control, Explorer, the offline player) and one module per page holding its
  ``plot_<what>(ax, result)`` figures and its explorer, whose frames call the same functions.

Page → numerics → figures and explorer:

=====================================  ===========================  ======================
page                                   numerics                     figures, explorer
=====================================  ===========================  ======================
``01_recall``                          ``recall``                   ``viz.recall``
``02_setup``                           ``dynamics``                 ``viz.setup``
``03_theorem_8_1``                     ``theory``, ``case_study``   ``viz.theorem``
``04_case_study``                      ``case_study``               ``viz.case_study``
``05_lemma_8_1``                       ``lemmas``                   ``viz.lemma_8_1``
``06_lemma_8_2``                       ``lemmas``                   ``viz.lemma_8_2``
``07_eigenvalues``                     ``lemmas``                   ``viz.eigenvalues``
``08_lazy_vs_active``                  ``lazy_active``              ``viz.lazy_active``
``09_width_as_scale``                  ``width_scale``              ``viz.width_scale``
``10_gradient_descent``                ``discrete_time``            ``viz.discrete_time``
``11_what_lazy_learns``                ``lazy_solution``            ``viz.lazy_solution``
=====================================  ===========================  ======================
"""

from . import (
    case_study,
    discrete_time,
    dynamics,
    infinite_width,
    lazy_active,
    lazy_solution,
    lemmas,
    recall,
    relu_nets,
    step_size,
)
from .activations import ACTIVATIONS, Activation, NotSmoothError, get_activation
from .data import TeacherStudent, sphere, teacher_student
from .fitting import fit_power_law
from .flows import Trajectory, gradient_descent, gradient_flow
from .linearization import LinearizedNet, linearization_error, linearize
from .models import ShallowNet
from .recall import (
    error_law_sweep,
    random_perturbation,
    tangent_kernel_regression,
    worst_case_perturbation,
)
from .theory import (
    Theorem81,
    empirical_jacobian_lipschitz,
    jacobian_difference_norm,
    jacobian_lipschitz_bound,
    jacobian_lipschitz_bound_op,
    jacobian_singular_values,
    lemma_8_1_bound,
    lemma_8_2_radius,
    lemma_8_3_bounds,
    risk,
    theorem_8_1,
)

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "LinearizedNet",
    "NotSmoothError",
    "ShallowNet",
    "TeacherStudent",
    "Theorem81",
    "Trajectory",
    "case_study",
    "discrete_time",
    "dynamics",
    "empirical_jacobian_lipschitz",
    "error_law_sweep",
    "fit_power_law",
    "get_activation",
    "gradient_descent",
    "gradient_flow",
    "infinite_width",
    "jacobian_difference_norm",
    "jacobian_lipschitz_bound",
    "jacobian_lipschitz_bound_op",
    "jacobian_singular_values",
    "lazy_active",
    "lazy_solution",
    "lemma_8_1_bound",
    "lemma_8_2_radius",
    "lemma_8_3_bounds",
    "lemmas",
    "linearization_error",
    "linearize",
    "random_perturbation",
    "recall",
    "relu_nets",
    "risk",
    "sphere",
    "step_size",
    "tangent_kernel_regression",
    "teacher_student",
    "theorem_8_1",
    "worst_case_perturbation",
]
