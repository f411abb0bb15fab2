"""lazylib: the computations behind the book *Lazy Training*.

Re-exports the public API; the implementation lives in small modules with one job each:

* core numerics: ``activations``, ``data``, ``models`` (ShallowNet, Jacobian, structured NTK),
  ``tangent`` (linearization), ``theory`` (Theorem 8.1 and Lemmas 8.1–8.3), ``flows`` (closed-form
  and ODE gradient flows, gradient descent), ``fitting``;
* one numerics module per section of the book, built on the core: ``recall`` (error laws, tangent-kernel
  regression), ``dynamics`` (Setup: prediction ODEs), ``case_study`` (Theorem 8.1 checks, width
  condition), ``lemmas`` (Lemmas 8.1–8.3, kernel along the flow), ``lazy_active`` (Chizat & Bach's
  experiments);
* on top, never imported by the numerics and not imported here (they need matplotlib/ipywidgets):
  ``plotting``, ``recall_plots``, ``widgets``.
"""

from . import case_study, dynamics, lazy_active, lemmas, recall
from .activations import ACTIVATIONS, Activation, NotSmoothError, get_activation
from .data import TeacherStudent, sphere, teacher_student
from .fitting import fit_power_law
from .flows import Trajectory, gradient_descent, gradient_flow
from .models import ShallowNet
from .recall import (
    cross_ntk,
    error_law_sweep,
    random_perturbation,
    tangent_kernel_regression,
    worst_case_perturbation,
)
from .tangent import LinearizedNet, linearization_error, linearize
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
    "cross_ntk",
    "dynamics",
    "empirical_jacobian_lipschitz",
    "error_law_sweep",
    "fit_power_law",
    "get_activation",
    "gradient_descent",
    "gradient_flow",
    "jacobian_difference_norm",
    "jacobian_lipschitz_bound",
    "jacobian_lipschitz_bound_op",
    "jacobian_singular_values",
    "lazy_active",
    "lemma_8_1_bound",
    "lemma_8_2_radius",
    "lemma_8_3_bounds",
    "lemmas",
    "linearization_error",
    "linearize",
    "random_perturbation",
    "recall",
    "risk",
    "sphere",
    "tangent_kernel_regression",
    "teacher_student",
    "theorem_8_1",
    "worst_case_perturbation",
]
