"""Seeded data generators used by the notebooks.

* :func:`sphere` — points uniform on the unit sphere ``S^{d−1}`` (``d = 2``: the unit circle of
  Chizat & Bach's Fig. 1a–b).
* :func:`circle_inputs` — points of the unit circle, with a bias coordinate (the Recall page's
  universal-approximation inputs).
* :func:`teacher_student` — targets from a small ReLU teacher network ``y = Σ_k relu(θ_kᵀx)``
  with unit-norm teacher directions (Chizat & Bach 2019, §5 / Fig. 1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ._checks import as_array, check_allocation, check_positive_int, make_rng
from ._types import Array, Seed

__all__ = ["TeacherStudent", "circle_inputs", "sphere", "teacher_student"]


def sphere(n: int, d: int, rng: Seed = None) -> Array:
    """``n`` points drawn uniformly on the unit sphere of ``R^d``, shape ``(n, d)``."""
    n = check_positive_int(n, "n")
    d = check_positive_int(d, "d")
    check_allocation((n, d), "n and d")
    g = make_rng(rng).standard_normal((n, d))
    return np.asarray(g / np.linalg.norm(g, axis=1, keepdims=True), dtype=np.float64)


@dataclass(frozen=True)
class TeacherStudent:
    """A teacher–student regression task.

    Attributes
    ----------
    X, y : ndarray, shapes (n, d) and (n,)
        Training inputs on the unit sphere and teacher outputs.
    X_test, y_test : ndarray, shapes (n_test, d) and (n_test,)
        Held-out inputs and outputs from the same teacher.
    teacher : ndarray, shape (k, d)
        Unit-norm teacher directions θ_k.
    """

    X: Array
    y: Array
    X_test: Array
    y_test: Array
    teacher: Array

    def target(self, X: Array) -> Array:
        """The teacher's output ``Σ_k relu(θ_kᵀ x)`` on any inputs."""
        X = as_array(X, "X", shape=(None, self.teacher.shape[1]))
        return np.asarray(np.maximum(X @ self.teacher.T, 0.0).sum(axis=1), dtype=np.float64)


def teacher_student(
    n: int,
    d: int,
    n_teacher: int = 3,
    rng: Seed = None,
    n_test: int = 1000,
) -> TeacherStudent:
    """Inputs uniform on ``S^{d−1}`` labelled by a ReLU teacher with ``n_teacher`` unit neurons."""
    n_teacher = check_positive_int(n_teacher, "n_teacher")
    n_test = check_positive_int(n_test, "n_test")
    rng = make_rng(rng)
    teacher = sphere(n_teacher, d, rng)
    X = sphere(n, d, rng)
    X_test = sphere(n_test, d, rng)
    task = TeacherStudent(X=X, y=np.empty(0), X_test=X_test, y_test=np.empty(0), teacher=teacher)
    return TeacherStudent(X=X, y=task.target(X), X_test=X_test, y_test=task.target(X_test), teacher=teacher)


def circle_inputs(theta: ArrayLike, bias: bool = True) -> Array:
    """Points ``(cos θ, sin θ)`` of the unit circle, with a constant third coordinate if ``bias``.

    With ``bias=True`` the inputs are ``(cos θ, sin θ, 1)/√2`` (unit norm): the constant coordinate
    gives every neuron a trainable bias, which the bias-free ``ShallowNet`` otherwise lacks.
    Shape ``(n, 3)`` or ``(n, 2)``.
    """
    theta = as_array(theta, "theta", ndim=1)
    if bias:
        out = np.column_stack([np.cos(theta), np.sin(theta), np.ones_like(theta)]) / np.sqrt(2.0)
    else:
        out = np.column_stack([np.cos(theta), np.sin(theta)])
    return np.asarray(out, dtype=np.float64)
