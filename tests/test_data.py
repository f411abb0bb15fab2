"""lazylib.data: the seeded generators, against their definitions (replayed streams, Monte Carlo moments)."""

from __future__ import annotations

import numpy as np
import pytest

from lazylib.data import TeacherStudent, sphere, teacher_student


def test_sphere_is_normalised_gaussian_draws() -> None:
    X = sphere(5, 3, rng=4)
    G = np.random.default_rng(4).standard_normal((5, 3))
    np.testing.assert_allclose(X, G / np.sqrt(np.sum(G**2, axis=1, keepdims=True)), rtol=1e-14)
    gen = np.random.default_rng(1)
    first, second = sphere(2, 2, gen), sphere(2, 2, gen)  # one stream threads through calls
    assert not np.allclose(first, second)


def test_sphere_is_uniform_in_its_first_two_moments() -> None:
    """Uniform on S^{d−1}: E x = 0 and E x xᵀ = I/d; Monte Carlo tolerance 5 standard errors."""
    n, d = 4000, 3
    X = sphere(n, d, rng=0)
    np.testing.assert_allclose(np.linalg.norm(X, axis=1), 1.0, rtol=1e-14)
    assert np.all(np.abs(X.mean(axis=0)) < 5 * np.sqrt(1 / (d * n)))
    # Var(x_k²) = E x_k⁴ − 1/d² = 3/(d(d+2)) − 1/d²
    se = np.sqrt((3 / (d * (d + 2)) - 1 / d**2) / n)
    assert np.all(np.abs(np.diag(X.T @ X) / n - 1 / d) < 5 * se)


def test_teacher_student_replays_its_stream_and_labels() -> None:
    task = teacher_student(6, 3, n_teacher=2, rng=7, n_test=4)
    rng = np.random.default_rng(7)
    teacher, X, X_test = sphere(2, 3, rng), sphere(6, 3, rng), sphere(4, 3, rng)
    np.testing.assert_array_equal(task.teacher, teacher)
    np.testing.assert_array_equal(task.X, X)
    np.testing.assert_array_equal(task.X_test, X_test)
    for inputs, labels in ((X, task.y), (X_test, task.y_test)):
        expected = [sum(max(float(t @ x), 0.0) for t in teacher) for x in inputs]
        np.testing.assert_allclose(labels, expected, rtol=1e-14)
    np.testing.assert_allclose(task.target(X_test), task.y_test, rtol=1e-15)
    assert isinstance(task, TeacherStudent)


def test_teacher_student_defaults() -> None:
    task = teacher_student(3, 2, rng=0)
    assert task.teacher.shape == (3, 2) and task.X_test.shape == (1000, 2) and task.y_test.shape == (1000,)
    with pytest.raises(ValueError, match="n_teacher"):
        teacher_student(3, 2, n_teacher=0)
    with pytest.raises(ValueError, match="n_test"):
        teacher_student(3, 2, n_test=0)
