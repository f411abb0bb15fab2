"""lazylib.dynamics: the prediction ODEs of the slide "Evolution of predictions"."""

from __future__ import annotations

import numpy as np
import pytest

from lazylib.data import sphere
from lazylib.dynamics import (
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
