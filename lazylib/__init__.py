"""lazylib: the computations behind the book *Lazy Training*.

Re-exports the public API; the implementation lives in small modules (see ``../shared/design.md``
of the project): ``activations``, ``data``, ``models``, ``tangent``, ``theory``, ``flows``,
``fitting`` (numerics), then ``plotting`` and ``widgets`` on top.
"""

from .activations import ACTIVATIONS, Activation, NotSmoothError, get_activation
from .data import TeacherStudent, sphere, teacher_student
from .fitting import fit_power_law
from .flows import Trajectory, gradient_descent, gradient_flow
from .models import ShallowNet
from .tangent import LinearizedNet, linearization_error, linearize
from .theory import (
    Theorem81,
    empirical_jacobian_lipschitz,
    jacobian_difference_norm,
    jacobian_lipschitz_bound,
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
    "empirical_jacobian_lipschitz",
    "fit_power_law",
    "get_activation",
    "gradient_descent",
    "gradient_flow",
    "jacobian_difference_norm",
    "jacobian_lipschitz_bound",
    "jacobian_singular_values",
    "lemma_8_1_bound",
    "lemma_8_2_radius",
    "lemma_8_3_bounds",
    "linearization_error",
    "linearize",
    "risk",
    "sphere",
    "teacher_student",
    "theorem_8_1",
]
