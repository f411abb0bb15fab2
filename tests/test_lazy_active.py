"""Tests of lazylib.lazy_active: exact identities against independent computations, and bad input."""

from __future__ import annotations

import numpy as np
import pytest

from lazylib import ShallowNet, gradient_flow, teacher_student
from lazylib.lazy_active import (
    ReLUNets,
    centring_sweep,
    critical_step,
    lazy_limit_test_loss,
    paper_gradient_flow,
    relu_step_sizes,
    scale_sweep,
    signs_unchanged,
    step_size_edge,
    teacher_alignment,
    train_relu_nets,
)


def _risk(A: np.ndarray, b: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
    r = np.maximum(X @ A.T, 0.0) @ b - y
    return 0.5 * float(r @ r)


@pytest.fixture
def small_task():
    return teacher_student(12, 3, rng=1, n_test=7)


def test_random_layout_and_symmetry(small_task) -> None:
    nets = ReLUNets.random(6, 3, [0.5, 2.0], [3, 4])
    assert nets.shape == (4, 6, 3)
    # nu-major: networks 0,1 at nu = 0.5 (seeds 3,4), networks 2,3 at nu = 2 with the same draws.
    np.testing.assert_allclose(nets.A[2], 4.0 * nets.A[0])
    np.testing.assert_allclose(nets.b[3], 4.0 * nets.b[1])
    np.testing.assert_allclose(nets(small_task.X), 0.0, atol=1e-14)  # doubling trick


def test_homogeneity(small_task) -> None:
    unit = ReLUNets.random(8, 3, [1.0], [0], symmetric=False)
    scaled = ReLUNets(0.3 * unit.A, 0.3 * unit.b)
    np.testing.assert_allclose(scaled(small_task.X), 0.09 * unit(small_task.X), rtol=1e-12)
    np.testing.assert_allclose(scaled.ntk(small_task.X), 0.09 * unit.ntk(small_task.X), rtol=1e-12)


def test_ntk_matches_explicit_jacobian(small_task) -> None:
    nets = ReLUNets.random(8, 3, [1.0], [2], symmetric=False)
    X = small_task.X
    A, b = nets.A[0], nets.b[0]
    Z = X @ A.T
    J_b = np.maximum(Z, 0.0)  # d h / d b_j
    J_A = ((Z > 0) * b)[:, :, None] * X[:, None, :]  # d h / d a_j
    J = np.concatenate([J_A.reshape(len(X), -1), J_b], axis=1)
    np.testing.assert_allclose(nets.ntk(X)[0], J @ J.T, rtol=1e-12, atol=1e-12)
    assert np.isclose(nets.ntk_max(X)[0], np.linalg.eigvalsh(J @ J.T)[-1], rtol=1e-12)


def test_gd_step_is_gradient_step(small_task) -> None:
    X, y = small_task.X, small_task.y
    nets = ReLUNets.random(8, 3, [1.0], [5], symmetric=False)
    lr = 1e-3
    out = train_relu_nets(nets, X, y, lr, 1).nets
    A, b = nets.A[0], nets.b[0]
    eps = 1e-6
    grad_b = np.array(
        [(_risk(A, b + eps * e, X, y) - _risk(A, b - eps * e, X, y)) / (2 * eps) for e in np.eye(8)]
    )
    grad_A = np.zeros_like(A)
    for j in range(8):
        for k in range(3):
            E = np.zeros_like(A)
            E[j, k] = eps
            grad_A[j, k] = (_risk(A + E, b, X, y) - _risk(A - E, b, X, y)) / (2 * eps)
    np.testing.assert_allclose(out.b[0], b - lr * grad_b, atol=1e-8)
    np.testing.assert_allclose(out.A[0], A - lr * grad_A, atol=1e-8)


def test_divergence_is_flagged(small_task) -> None:
    nets = ReLUNets.random(8, 3, [1.0], [0])
    run = train_relu_nets(nets, small_task.X, small_task.y, 10.0, 200)
    assert run.diverged.all() and np.isinf(run.risk[-1]).all()


def test_lazy_limit_matches_explicit_linear_gd(small_task) -> None:
    X, y = small_task.X, small_task.y
    nets = ReLUNets.random(10, 3, [1.0], [7])
    K, Kt = nets.ntk(X)[0], nets.ntk(small_task.X_test, X)[0]
    eta = 0.5 / np.linalg.eigvalsh(K)[-1]
    r, acc = -y.copy(), np.zeros_like(y)
    for _ in range(25):  # linear GD in prediction space; test predictions accumulate K_t r
        acc -= eta * r
        r = r - eta * K @ r
    expected = 0.5 * np.mean((Kt @ acc - small_task.y_test) ** 2)
    got = lazy_limit_test_loss(small_task, 10, [7], 25, c=0.5)
    assert np.isclose(got[0], expected, rtol=1e-10)


def test_scale_sweep_large_nu_is_kernel_limit(small_task) -> None:
    sweep = scale_sweep(small_task, [1e3], [1, 2], m=10, n_steps=30, c=0.5)
    np.testing.assert_allclose(sweep.test_loss[0], sweep.lazy_test_loss, rtol=1e-3)
    assert sweep.signs_unchanged.min() > 0.99


def test_paper_clock_is_slides_clock_rescaled() -> None:
    task = teacher_student(6, 3, rng=3, n_test=1)
    net = ShallowNet.random(10, 3, "tanh", rng=4, symmetric=True)
    t = np.linspace(0.0, 2.0, 5)
    alpha = 3.0
    p = paper_gradient_flow(net, task.X, task.y, alpha, t)
    s = gradient_flow(net, task.X, task.y, alpha, t / alpha**2, rtol=1e-10)
    np.testing.assert_allclose(p.weights, s.weights, atol=1e-9)


def test_centring_risk0_and_step_edge() -> None:
    task = teacher_student(6, 3, rng=3, n_test=1)
    sym = ShallowNet.random(10, 3, "tanh", rng=4, symmetric=True)
    plain = ShallowNet.random(10, 3, "tanh", rng=4)
    t = np.array([0.0, 1.0, 30.0])
    for net, how in ((sym, "symmetric"), (plain, "subtract")):
        res = centring_sweep(net, task.X, task.y, [2.0, 8.0], t, how)
        np.testing.assert_allclose(res.risk0, 0.5 * task.y @ task.y, rtol=1e-12)
    edge = step_size_edge(sym, task.X, task.y, 5.0, [0.95, 1.05], 3000)
    assert edge.diverged.tolist() == [False, True]
    lam = np.linalg.eigvalsh(sym.ntk(task.X))[-1]
    assert np.isclose(critical_step(sym, task.X, 5.0), 2.0 / (25.0 * lam))


def test_alignment_and_signs(small_task) -> None:
    teacher = small_task.teacher
    perfect = ReLUNets(teacher[None], np.ones((1, teacher.shape[0])))
    assert np.isclose(teacher_alignment(perfect, teacher)[0], 1.0)
    assert signs_unchanged(perfect, perfect, small_task.X)[0] == 1.0


def test_bad_input(small_task) -> None:
    X, y = small_task.X, small_task.y
    with pytest.raises(ValueError, match="nus"):
        ReLUNets.random(4, 3, [0.0], [0])
    with pytest.raises(ValueError, match="m must be even"):
        ReLUNets.random(5, 3, [1.0], [0])
    with pytest.raises(ValueError, match="seeds"):
        ReLUNets.random(4, 3, [1.0], [])
    nets = ReLUNets.random(4, 3, [1.0], [0])
    with pytest.raises(ValueError, match="lr"):
        train_relu_nets(nets, X, y, -1.0, 3)
    with pytest.raises(ValueError, match="n_steps"):
        train_relu_nets(nets, X, y, 0.1, 0)
    with pytest.raises(ValueError, match="X"):
        nets(np.ones((3, 2)))
    with pytest.raises(ValueError, match="lam_ref"):
        relu_step_sizes([1.0], [1.0], 0.0)
    net = ShallowNet.random(6, 3, "tanh", rng=0)
    with pytest.raises(ValueError, match="centring"):
        centring_sweep(net, X, y, [1.0], [0.0, 1.0], "nope")
    with pytest.raises(ValueError, match="symmetric"):
        centring_sweep(net, X, y, [1.0], [0.0, 1.0], "symmetric")
    with pytest.raises(ValueError, match="alpha"):
        paper_gradient_flow(net, X, y, -1.0, [0.0, 1.0])
    with pytest.raises(ValueError, match="factors"):
        step_size_edge(net, X, y, 1.0, [], 10)
