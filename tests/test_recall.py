"""Tests of lazylib.recall: worst-case perturbations, error-law sweeps, tangent-kernel regression."""

from __future__ import annotations

import numpy as np
import pytest

from lazylib.models import ShallowNet
from lazylib.recall import (
    circle_inputs,
    cross_ntk,
    error_law_sweep,
    fit_error_law,
    linearization_remainder,
    random_error_law,
    random_perturbation,
    relu_worst_case_law,
    smooth_error_bound,
    tangent_kernel_regression,
    universal_approximation_sweep,
    worst_case_perturbation,
)
from lazylib.tangent import linearization_error

X_UNIT = np.array([0.6, 0.0, 0.8])


@pytest.mark.parametrize("activation", ["tanh", "softplus", "relu"])
def test_remainder_matches_direct_difference(activation: str) -> None:
    net = ShallowNet.random(300, 3, activation, rng=0, scale=1 / np.sqrt(300))
    for dW in (random_perturbation(net, 0.7, rng=1), worst_case_perturbation(net, X_UNIT, 0.7)):
        assert np.linalg.norm(dW) == pytest.approx(0.7)
        direct = linearization_error(net, net.W + dW, X_UNIT[None, :])[0]
        assert abs(linearization_remainder(net, X_UNIT, dW)) == pytest.approx(direct, rel=1e-9, abs=1e-15)


@pytest.mark.parametrize("activation", ["tanh", "softplus"])
def test_smooth_bound_holds_and_is_nearly_attained(activation: str) -> None:
    net = ShallowNet.random(2000, 3, activation, rng=2, scale=1 / np.sqrt(2000))
    x = 1.7 * X_UNIT  # a non-unit input: the bound carries ‖x‖²
    for size in (0.01, 0.1, 1.0):
        bound = smooth_error_bound(net, x, size)
        worst = abs(linearization_remainder(net, x, worst_case_perturbation(net, x, size)))
        assert worst <= bound * (1 + 1e-12)
        assert worst >= 0.95 * bound
        for seed in range(5):
            assert abs(linearization_remainder(net, x, random_perturbation(net, size, seed))) <= bound


def test_relu_worst_case_beats_random_search() -> None:
    """The exact ReLU optimum: no perturbation of the same size found by search does better."""
    rng = np.random.default_rng(3)
    net = ShallowNet.random(12, 2, "relu", rng=4)
    x = np.array([1.0, 0.0])
    size = 0.8
    best = abs(linearization_remainder(net, x, worst_case_perturbation(net, x, size)))
    z = net.W @ x
    for _ in range(200):
        # candidate steps along x on random subsets, pushed towards the kinks, then rescaled to size
        mask = rng.random(12) < rng.uniform(0.1, 0.9)
        delta = -np.sign(z) * rng.random(12) * mask
        if not delta.any():
            continue
        delta *= size / np.linalg.norm(delta)
        assert abs(linearization_remainder(net, x, np.outer(delta, x))) <= best + 1e-12


def test_relu_worst_case_matches_flip_counting_law() -> None:
    m = 50_000
    net = ShallowNet.random(m, 3, "relu", rng=5, scale=1 / np.sqrt(m))
    errors = [
        abs(linearization_remainder(net, X_UNIT, worst_case_perturbation(net, X_UNIT, b))) for b in (1, 3)
    ]
    law = relu_worst_case_law(m, np.array([1.0, 3.0]), scale=1 / np.sqrt(m))
    np.testing.assert_allclose(errors, law, rtol=0.1)


def test_sweep_exponents_and_sampler() -> None:
    table = error_law_sweep("relu", [1000, 10_000], [0.5, 2.0], rng=6, n_seeds=3, n_draws=8)
    law = table.fit()
    assert abs(law.exponent_B - 4 / 3) < 0.15 and abs(law.exponent_m + 1 / 6) < 0.15
    pred = random_error_law(
        "relu", table.widths[:, None], table.sizes[None, :], d=3, scale=table.widths[:, None] ** -0.5
    )
    assert 0.6 < np.median(table.random / pred) < 1.6
    smooth = error_law_sweep("tanh", [100, 1000], [0.05, 0.2], rng=7, n_seeds=2, n_draws=4)
    assert np.all(smooth.worst_samples <= smooth.bound * (1 + 1e-12))
    assert abs(smooth.fit().exponent_m + 0.5) < 0.05


def test_fit_error_law_recovers_exact_power_law() -> None:
    widths, sizes = np.array([10.0, 100.0, 1000.0]), np.array([0.1, 1.0])
    errors = 0.3 * sizes[None, :] ** 1.25 * widths[:, None] ** -0.4
    law = fit_error_law(widths, sizes, errors)
    assert law.exponent_B == pytest.approx(1.25) and law.exponent_m == pytest.approx(-0.4)
    assert law.prefactor == pytest.approx(0.3)


def test_cross_ntk_matches_materialised_jacobian() -> None:
    net = ShallowNet.random(30, 3, "softplus", rng=8, scale=0.2)
    X1, X2 = circle_inputs(np.linspace(0, 6, 5)), circle_inputs(np.linspace(1, 2, 3))
    np.testing.assert_allclose(cross_ntk(net, X1, X2), net.jacobian(X1) @ net.jacobian(X2).T, rtol=1e-12)
    np.testing.assert_allclose(cross_ntk(net, X1, X1), net.ntk(X1), rtol=1e-12)


def test_kernel_regression_is_the_min_norm_least_squares_limit() -> None:
    net = ShallowNet.random(6, 3, "tanh", rng=9, scale=1 / np.sqrt(6))  # p = 18 < n: no interpolation
    theta = np.linspace(0, 2 * np.pi, 25, endpoint=False)
    X, y, X_test = circle_inputs(theta), np.sin(2 * theta), circle_inputs(theta + 0.1)
    fit = tangent_kernel_regression(net, X, y, X_test)
    J = net.jacobian(X)
    du = np.linalg.pinv(J, rcond=1e-12) @ (y - net(X))
    np.testing.assert_allclose(fit.train_pred, net(X) + J @ du, atol=1e-8)
    np.testing.assert_allclose(fit.test_pred, net(X_test) + net.jacobian(X_test) @ du, atol=1e-8)


def test_universal_approximation_improves_with_width() -> None:
    result = universal_approximation_sweep(
        "tanh", [2, 64], lambda t: np.cos(3 * t), n_train=64, rng=10, n_seeds=2
    )
    test = np.median(result.test_rmse, axis=0)
    assert test[1] < 1e-2 * test[0]


def test_bad_input_names_the_argument() -> None:
    net = ShallowNet.random(10, 3, "relu", rng=0)
    with pytest.raises(ValueError, match="x"):
        worst_case_perturbation(net, np.zeros(3), 1.0)
    with pytest.raises(ValueError, match="size"):
        worst_case_perturbation(net, X_UNIT, -1.0)
    with pytest.raises(ValueError, match="dW"):
        linearization_remainder(net, X_UNIT, np.ones((3, 3)))
    with pytest.raises(ValueError, match="activation"):
        error_law_sweep("sigmoid", [10], [1.0])
    with pytest.raises(ValueError, match="sizes"):
        error_law_sweep("relu", [10], [0.0])
    with pytest.raises(ValueError, match="ridge"):
        tangent_kernel_regression(net, np.eye(3), np.ones(3), np.eye(3), ridge=-1.0)
    with pytest.raises(ValueError, match=r"beta0|smooth"):
        smooth_error_bound(net, X_UNIT, 1.0)
