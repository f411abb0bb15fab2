"""lazylib.dynamics: the prediction ODEs of the slide "Evolution of predictions"."""

from __future__ import annotations

import numpy as np
import pytest
from factories import explicit_jacobian, make_problem
from scipy.linalg import expm

from lazylib.data import sphere
from lazylib.dynamics import (
    VelocityCheck,
    check_prediction_ode,
    compare_flows,
    finite_difference_velocity,
    kernel_drift,
    lazy_scaling_sweep,
    prediction_velocity,
    trajectory_velocity,
)
from lazylib.flows import gradient_flow
from lazylib.models import ShallowNet
from lazylib.theory import risk


@pytest.fixture(scope="module")
def problem() -> tuple[ShallowNet, np.ndarray, np.ndarray]:
    X = sphere(6, 4, rng=0)
    y = np.sin(3 * X[:, 0])
    return ShallowNet.random(40, 4, "tanh", rng=1, symmetric=True), X, y


def test_velocity_is_minus_alpha_squared_kernel_times_residual(problem) -> None:
    net, X, y = problem
    alpha = 0.3
    W = net.W + 0.1 * np.random.default_rng(2).standard_normal(net.W.shape)
    moved = net.with_weights(W)
    J = moved.jacobian(X)
    expected = -(alpha**2) * J @ J.T @ (alpha * moved(X) - y)
    np.testing.assert_allclose(prediction_velocity(net, X, y, alpha, W), expected, rtol=1e-12)


def test_linearized_velocity_uses_the_frozen_kernel(problem) -> None:
    net, X, y = problem
    alpha = 0.7
    U = net.W + np.random.default_rng(3).standard_normal(net.W.shape)
    J0 = net.jacobian(X)
    f0_u = net(X) + J0 @ (U - net.W).ravel()
    expected = -(alpha**2) * J0 @ J0.T @ (alpha * f0_u - y)
    got = prediction_velocity(net, X, y, alpha, U, linearized=True)
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    # at w(0) the two right-hand sides agree
    np.testing.assert_allclose(
        prediction_velocity(net, X, y, alpha, net.W, linearized=True),
        prediction_velocity(net, X, y, alpha, net.W),
        rtol=1e-14,
    )


@pytest.mark.parametrize("linearized", [False, True])
@pytest.mark.parametrize("alpha", [0.05, 2.0])
def test_solver_paths_satisfy_the_prediction_ode(problem, linearized: bool, alpha: float) -> None:
    net, X, y = problem
    check = check_prediction_ode(net, X, y, alpha, [0.05, 0.3], linearized=linearized)
    assert check.within_budget
    assert check.max_relative_error < (1e-9 if linearized else 1e-6)


def test_trajectory_velocity_matches_pointwise_velocity(problem) -> None:
    net, X, y = problem
    traj = gradient_flow(net, X, y, 1.0, [0.0, 0.01, 0.02])
    vel = trajectory_velocity(net, X, y, 1.0, traj)
    assert vel.shape == (3, 6)
    np.testing.assert_allclose(vel[1], prediction_velocity(net, X, y, 1.0, traj.weights[1]), rtol=1e-14)


def test_compare_flows_symmetric_start_and_exact_linear_scaling(problem) -> None:
    net, X, y = problem
    tau = np.linspace(0.0, 1.0, 21)
    small, large = compare_flows(net, X, y, 0.5, tau), compare_flows(net, X, y, 5.0, tau)
    assert small.prediction_gap[0] < 1e-14  # both start at alpha f(w(0)) = 0 (round-off only)
    # centred start: the linearized flow in tau is alpha-free and its distance is exactly ∝ 1/alpha
    np.testing.assert_allclose(small.linearized.risk, large.linearized.risk, rtol=1e-10)
    np.testing.assert_allclose(small.linearized.distance, 10 * large.linearized.distance, rtol=1e-10)
    assert large.max_prediction_gap < small.max_prediction_gap


def test_sweep_and_kernel_drift(problem) -> None:
    net, X, y = problem
    sweep = lazy_scaling_sweep(net, X, y, [1.0, 4.0], np.linspace(0.0, 2.0, 41))
    assert np.all(np.diff(sweep.max_gap) < 0)
    assert np.all(np.diff(sweep.max_kernel_drift) < 0)
    np.testing.assert_allclose(sweep.max_distance[0] / sweep.max_distance[1], 4.0, rtol=0.05)
    assert kernel_drift(net, X, net.W[None]) == pytest.approx([0.0], abs=1e-15)


def test_bad_input_raises_value_error_naming_the_argument(problem) -> None:
    net, X, y = problem
    with pytest.raises(ValueError, match="alpha"):
        prediction_velocity(net, X, y, 0.0, net.W)
    with pytest.raises(ValueError, match="W"):
        prediction_velocity(net, X, y, 1.0, net.W[:-1])
    with pytest.raises(ValueError, match="y"):
        prediction_velocity(net, X, y[:-1], 1.0, net.W)
    with pytest.raises(ValueError, match="times"):
        finite_difference_velocity(net, X, y, 1.0, [0.001], h=0.01)
    with pytest.raises(ValueError, match="h"):
        finite_difference_velocity(net, X, y, 1.0, [1.0], h=-1.0)
    traj = gradient_flow(net, X, y, 1.0, [0.0, 0.1], store_weights=False)
    with pytest.raises(ValueError, match="trajectory"):
        trajectory_velocity(net, X, y, 1.0, traj)
    with pytest.raises(ValueError, match="alphas"):
        lazy_scaling_sweep(net, X, y, [1.0, -1.0], [0.0, 1.0])
    with pytest.raises(ValueError, match="kernel_every"):
        lazy_scaling_sweep(net, X, y, [1.0], [0.0, 1.0], kernel_every=0)


# ---------------------------------------------------------------------------------------------
# Pins against independent computations
# ---------------------------------------------------------------------------------------------
def test_finite_difference_velocity_of_the_linear_flow_is_minus_alpha2_k_residual() -> None:
    """The linearized path is exactly p(t) = y + e^{−α²Kt}(p₀ − y): its derivative is −α²K(p(t) − y)."""
    net, X, y = make_problem(n=4, d=3, m=6, seed=1, symmetric=False)
    alpha, h = 0.8, 1e-3
    J0 = explicit_jacobian(net, X)
    K = J0 @ J0.T
    p0 = alpha * net(X)
    times = np.array([0.05, 0.4])
    q = finite_difference_velocity(net, X, y, alpha, times, h, linearized=True)
    for k, t in enumerate(times):
        pt = y + expm(-(alpha**2) * K * t) @ (p0 - y)
        np.testing.assert_allclose(q[k], -(alpha**2) * K @ (pt - y), rtol=1e-8)
    # unordered times come back in the caller's order
    q_rev = finite_difference_velocity(net, X, y, alpha, times[::-1], h, linearized=True)
    np.testing.assert_allclose(q_rev, q[::-1], rtol=1e-12)


def test_finite_difference_velocity_of_the_ode_path() -> None:
    net, X, y = make_problem(n=4, d=3, m=6, seed=2)
    alpha, h = 1.5, 2e-3
    times = np.array([0.01, 0.1])
    q = finite_difference_velocity(net, X, y, alpha, times, h)
    traj = gradient_flow(net, X, y, alpha, times, rtol=1e-10)
    for k, W in enumerate(traj.weights):
        J = explicit_jacobian(net, X, W)
        v = -(alpha**2) * J @ J.T @ (alpha * net.with_weights(W)(X) - y)
        # separate solves: each path is right to ~rtol·‖p‖, amplified by 1.5/h in the quotient
        np.testing.assert_allclose(q[k], v, rtol=2e-5, atol=1e-9)


def test_check_prediction_ode_budget_and_step_from_their_formulas() -> None:
    net, X, y = make_problem(n=4, d=3, m=6, seed=3)
    alpha = 0.9
    check = check_prediction_ode(net, X, y, alpha, [0.2, 0.5], linearized=True, h_scale=0.02)
    J0 = explicit_jacobian(net, X)
    lam_max = np.linalg.eigvalsh(J0 @ J0.T)[-1]
    h = 0.02 / (alpha**2 * lam_max)
    assert check.h == pytest.approx(h, rel=1e-10)
    np.testing.assert_allclose(check.t, np.array([0.2, 0.5]) / alpha**2)
    traj = gradient_flow(net, X, y, alpha, check.t, linearized=True)
    v = np.array([-(alpha**2) * J0 @ J0.T @ (p - y) for p in traj.predictions])
    q = finite_difference_velocity(net, X, y, alpha, check.t, h, linearized=True)
    np.testing.assert_allclose(check.velocity_norm, np.linalg.norm(v, axis=1), rtol=1e-10)
    np.testing.assert_allclose(check.error, np.linalg.norm(q - v, axis=1), rtol=1e-4, atol=1e-14)
    roundoff = 1.5 * 1e-15 * np.linalg.norm(traj.predictions, axis=1) / h
    budget = np.exp(0.04) * 0.02**4 / 30 * np.linalg.norm(v, axis=1) + roundoff
    np.testing.assert_allclose(check.budget, budget, rtol=1e-10)
    ode = check_prediction_ode(net, X, y, alpha, [0.2], rtol=1e-9)
    traj = gradient_flow(net, X, y, alpha, ode.t, rtol=1e-9)
    path_error = 1.5 * 1e-9 * np.linalg.norm(traj.predictions, axis=1) / ode.h
    expected = np.exp(0.02) * 0.01**4 / 30 * ode.velocity_norm + path_error
    np.testing.assert_allclose(ode.budget, expected, rtol=1e-8)


def test_check_prediction_ode_budget_bounds_the_stencil_error_of_one_mode() -> None:
    """With one data point the linearized flow is one exponential mode, whose five-point quotient's
    error is known in closed form: it exceeds h_scale⁴/30 (the largest |p⁽⁵⁾| on the stencil is
    e^{2 h_scale} times the one at t) and stays within the budget, which carries that factor."""
    net, X, y = make_problem(n=1, d=3, m=6, seed=5)
    for h_scale in (0.01, 0.5):
        check = check_prediction_ode(net, X, y, 1.3, [2.0], linearized=True, h_scale=h_scale)
        x = h_scale  # e^{-x s} sampled at s = -2, -1, 1, 2: the quotient of its slope -x at 0
        quotient = (-np.exp(-2 * x) + 8 * np.exp(-x) - 8 * np.exp(x) + np.exp(2 * x)) / 12
        relative = abs(quotient + x) / x
        assert check.max_relative_error == pytest.approx(relative, rel=1e-3)
        assert relative > h_scale**4 / 30 and check.within_budget


def test_velocity_check_properties() -> None:
    t, error, vnorm = np.array([0.1, 0.2]), np.array([1.0, 3.0]), np.array([10.0, 6.0])
    check = VelocityCheck(t=t, h=0.01, error=error, velocity_norm=vnorm, budget=np.array([1.0, 3.5]))
    assert check.within_budget and check.max_relative_error == pytest.approx(0.5)
    over = VelocityCheck(t=t, h=0.01, error=error, velocity_norm=vnorm, budget=np.array([0.9, 3.5]))
    assert not over.within_budget


def test_compare_flows_against_the_flows_at_rescaled_times() -> None:
    net, X, y = make_problem(n=4, d=3, m=6, seed=4, symmetric=False)
    tau = np.array([0.0, 0.3, 1.0])
    pair = compare_flows(net, X, y, 2.0, tau, store_weights=True)
    assert pair.alpha == 2.0
    np.testing.assert_array_equal(pair.tau, tau)
    w = gradient_flow(net, X, y, 2.0, tau / 4.0)
    u = gradient_flow(net, X, y, 2.0, tau / 4.0, linearized=True)
    np.testing.assert_allclose(pair.nonlinear.predictions, w.predictions, rtol=1e-12)
    np.testing.assert_allclose(pair.linearized.predictions, u.predictions, rtol=1e-12)
    gap = np.linalg.norm(w.predictions - u.predictions, axis=1)
    np.testing.assert_allclose(pair.prediction_gap, gap, rtol=1e-10, atol=1e-15)
    assert pair.max_prediction_gap == pytest.approx(gap.max(), rel=1e-10)
    assert pair.linearized.weights is not None
    assert compare_flows(net, X, y, 2.0, tau).nonlinear.weights is None


def test_kernel_drift_against_materialised_jacobians() -> None:
    net, X, _ = make_problem(n=4, d=3, m=6, seed=5)
    rng = np.random.default_rng(6)
    Ws = net.W + 0.5 * rng.standard_normal((2, *net.W.shape))
    J0 = explicit_jacobian(net, X)
    K0 = J0 @ J0.T
    expected = []
    for W in Ws:
        J = explicit_jacobian(net, X, W)
        expected.append(np.linalg.norm(J @ J.T - K0, 2) / np.linalg.norm(K0, 2))
    np.testing.assert_allclose(kernel_drift(net, X, Ws), expected, rtol=1e-10)


def test_lazy_scaling_sweep_replays_compare_flows_and_kernel_drift() -> None:
    net, X, y = make_problem(n=4, d=3, m=6, seed=7)
    tau = np.linspace(0.0, 1.0, 6)
    sweep = lazy_scaling_sweep(net, X, y, [0.5, 2.0], tau, kernel_every=3)
    np.testing.assert_array_equal(sweep.alphas, [0.5, 2.0])
    for k, alpha in enumerate([0.5, 2.0]):
        w = gradient_flow(net, X, y, alpha, tau / alpha**2)
        u = gradient_flow(net, X, y, alpha, tau / alpha**2, linearized=True)
        gap = np.linalg.norm(w.predictions - u.predictions, axis=1)
        assert sweep.max_gap[k] == pytest.approx(gap.max(), rel=1e-8)
        assert sweep.max_distance[k] == pytest.approx(w.distance.max(), rel=1e-8)
        assert sweep.max_distance_linearized[k] == pytest.approx(u.distance.max(), rel=1e-10)
        drift = kernel_drift(net, X, w.weights[::3])  # times 0 and 3 of 0..5
        assert sweep.max_kernel_drift[k] == pytest.approx(drift.max(), rel=1e-8)
        assert drift.max() < 0.99 * kernel_drift(net, X, w.weights).max()  # the subsampling matters


def test_centred_start_bookkeeping_of_the_setup_page(problem) -> None:
    """Identities the Setup page prints as bookkeeping: with f(w(0)) = 0, R₀ = ½‖y‖² at every α, and
    the initial speeds scale exactly like α (weights) and α² (predictions)."""
    net, X, y = problem
    assert np.max(np.abs(net(X))) < 1e-14
    K0 = net.ntk(X)
    for alpha in (0.01, 1.0, 100.0):
        assert float(risk(alpha * net(X), y)) == pytest.approx(0.5 * float(y @ y), rel=1e-12)
        r = alpha * net(X) - y
        w_dot = -alpha * net.vjp(X, r)
        np.testing.assert_allclose(np.linalg.norm(w_dot) / alpha, np.linalg.norm(net.vjp(X, y)), rtol=1e-12)
        p_dot = prediction_velocity(net, X, y, alpha, net.W)
        np.testing.assert_allclose(p_dot / alpha**2, K0 @ y, rtol=1e-10, atol=1e-12)


def test_check_prediction_ode_refuses_times_inside_the_first_stencil() -> None:
    net, X, y = make_problem(n=3, d=2, m=4, seed=12)
    J0 = explicit_jacobian(net, X)
    low = 2 * 0.01 / np.linalg.eigvalsh(J0 @ J0.T)[-1]
    with pytest.raises(ValueError, match="tau"):
        check_prediction_ode(net, X, y, 1.0, [0.5 * low], linearized=True)
    assert check_prediction_ode(net, X, y, 1.0, [1.01 * low], linearized=True).within_budget
