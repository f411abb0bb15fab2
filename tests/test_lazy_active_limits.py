"""Tests of the Chizat et al. additions to lazylib.lazy_active: converged and early-stopped
tangent-kernel regression (lazy_limit), the weight-path gap of centring_sweep, and the threshold of
their Theorem 2.4, each against an independent computation."""

from __future__ import annotations

import numpy as np
import pytest

from lazylib import ShallowNet, gradient_flow, teacher_student, theorem_8_1
from lazylib.lazy_active import (
    ReLUNets,
    centring_sweep,
    chizat_bach_threshold,
    lazy_limit,
    lazy_limit_test_loss,
)


@pytest.fixture
def small_task():
    return teacher_student(12, 3, rng=1, n_test=7)


def _explicit_jacobian(nets: ReLUNets, X: np.ndarray) -> np.ndarray:
    A, b = nets.A[0], nets.b[0]
    Z = X @ A.T
    J_A = ((Z > 0) * b)[:, :, None] * X[:, None, :]
    return np.concatenate([J_A.reshape(len(X), -1), np.maximum(Z, 0.0)], axis=1)


def test_lazy_limit_early_stopped_is_explicit_kernel_gd(small_task) -> None:
    X, y = small_task.X, small_task.y
    nets = ReLUNets.random(10, 3, [1.0], [7])
    K, Kt = nets.ntk(X)[0], nets.ntk(small_task.X_test, X)[0]
    eta = 0.5 / np.linalg.eigvalsh(K)[-1]
    r, acc = -y.copy(), np.zeros_like(y)
    for _ in range(25):
        acc -= eta * r
        r = r - eta * K @ r
    got = lazy_limit(small_task, 10, [7], 25, c=0.5)
    assert got.n_steps == 25
    assert np.isclose(got.test_loss[0], 0.5 * np.mean((Kt @ acc - small_task.y_test) ** 2), rtol=1e-10)
    assert np.isclose(got.train_risk[0], 0.5 * r @ r, rtol=1e-10)
    legacy = lazy_limit_test_loss(small_task, 10, [7], 25, c=0.5)
    np.testing.assert_allclose(got.test_loss, legacy, rtol=1e-12)


def test_lazy_limit_converged_is_min_norm_interpolant(small_task) -> None:
    # independent: minimum-norm least squares in the explicit tangent features (p = 40 > n = 12)
    nets = ReLUNets.random(10, 3, [1.0], [7])
    J, Jt = _explicit_jacobian(nets, small_task.X), _explicit_jacobian(nets, small_task.X_test)
    u = np.linalg.pinv(J) @ small_task.y
    expected = 0.5 * np.mean((Jt @ u - small_task.y_test) ** 2)
    got = lazy_limit(small_task, 10, [7], None, c=0.5)
    assert got.n_steps is None
    assert np.isclose(got.test_loss[0], expected, rtol=1e-8)
    assert got.train_risk[0] < 1e-18
    # enough steps for the slowest mode, (1 - c λ_min/λ_max)^k < 1e-12, reach the converged limit
    lam = np.linalg.eigvalsh(nets.ntk(small_task.X)[0])
    k = int(np.ceil(np.log(1e-12) / np.log1p(-0.5 * lam[0] / lam[-1])))
    late = lazy_limit(small_task, 10, [7], k, c=0.5)
    assert np.isclose(late.test_loss[0], got.test_loss[0], rtol=1e-6)


def test_centring_path_gap_is_sup_of_weight_distance() -> None:
    task = teacher_student(6, 3, rng=3, n_test=1)
    net = ShallowNet.random(10, 3, "tanh", rng=4, symmetric=True)
    tau = np.array([0.0, 0.5, 2.0, 30.0])
    res = centring_sweep(net, task.X, task.y, [2.0, 8.0], tau, "symmetric")
    for k, alpha in enumerate((2.0, 8.0)):
        w = gradient_flow(net, task.X, task.y, alpha, tau / alpha**2)
        u = gradient_flow(net, task.X, task.y, alpha, tau / alpha**2, linearized=True)
        expected = np.max(np.linalg.norm((w.weights - u.weights).reshape(len(tau), -1), axis=1))
        assert np.isclose(res.path_gap[k], expected, rtol=1e-6)
    assert res.path_gap[1] < res.path_gap[0] / 4  # the paths get closer faster than 1/alpha


def test_chizat_bach_threshold() -> None:
    # by hand: 32 * kappa^1.5 * sigma_max * beta * |y| / sigma_min^3
    assert chizat_bach_threshold(2.0, 4.0, 0.5, 3.0) == pytest.approx(24.0, rel=1e-15)
    assert chizat_bach_threshold(2.0, 4.0, 0.5, 3.0, kappa=4.0) == pytest.approx(192.0, rel=1e-15)
    # square loss, centred net: 4/3 of Theorem 8.1's threshold (24 instead of sqrt(1152/2) = 24)
    task = teacher_student(6, 3, rng=3, n_test=1)
    net = ShallowNet.random(10, 3, "tanh", rng=4, symmetric=True)
    th = theorem_8_1(net, task.X, task.y, 1.0)
    cb = chizat_bach_threshold(th.sigma_min, th.sigma_max, th.beta, float(np.linalg.norm(task.y)))
    assert cb == pytest.approx(th.alpha_min * 32 / 24, rel=1e-12)


def test_bad_input(small_task) -> None:
    with pytest.raises(ValueError, match="c must be < 2"):
        lazy_limit(small_task, 10, [7], 5, c=2.5)
    with pytest.raises(ValueError, match="seeds"):
        lazy_limit(small_task, 10, [], 5)
    with pytest.raises(ValueError, match="n_steps"):
        lazy_limit(small_task, 10, [7], 0)
    with pytest.raises(ValueError, match="sigma_min must be <= sigma_max"):
        chizat_bach_threshold(3.0, 2.0, 1.0, 1.0)
    with pytest.raises(ValueError, match="kappa"):
        chizat_bach_threshold(1.0, 2.0, 1.0, 1.0, kappa=0.5)
    with pytest.raises(ValueError, match="target_norm"):
        chizat_bach_threshold(1.0, 2.0, 1.0, -1.0)
    with pytest.raises(ValueError, match="beta"):
        chizat_bach_threshold(1.0, 2.0, 0.0, 1.0)
