"""Tests of lazylib.recall: worst-case perturbations, error-law sweeps, tangent-kernel regression."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from factories import SIGMA, explicit_forward, explicit_jacobian
from scipy import integrate

from lazylib.data import circle_inputs
from lazylib.fitting import fit_error_law
from lazylib.linearization import linearization_error
from lazylib.models import ShallowNet
from lazylib.recall import (
    PHI0,
    error_law_sweep,
    linearization_remainder,
    random_error_law,
    random_perturbation,
    relu_worst_case_law,
    smooth_error_bound,
    tangent_kernel_regression,
    universal_approximation_sweep,
    worst_case_perturbation,
)

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


def test_relu_worst_case_below_every_kink_has_the_promised_size_and_no_error() -> None:
    """ρ‖x‖ below every |z_j|: no neuron can cross, so the error is 0 for every perturbation of that
    size, and the returned one still has norm ρ (it used to be ΔW = 0)."""
    W = np.array([[1.0, 0.0], [-0.5, 0.2], [2.0, 1.0]])
    net = ShallowNet(W, np.array([1.0, -1.0, 1.0]), "relu")
    x = np.array([1.0, 0.0])  # z = (1, -0.5, 2): the nearest kink is 0.5 away
    dW = worst_case_perturbation(net, x, 0.3)
    assert np.linalg.norm(dW) == pytest.approx(0.3, rel=1e-12)
    f1 = explicit_forward(W + dW, net.s, x[None, :], "relu")[0]
    jac = explicit_jacobian(net, x[None, :])[0]
    f0 = explicit_forward(W, net.s, x[None, :], "relu")[0] + jac @ dW.ravel()
    assert f1 - f0 == pytest.approx(0.0, abs=1e-15)
    moved = np.flatnonzero(np.abs(dW).sum(axis=1))
    assert moved.tolist() == [1]  # the nearest neuron
    # at ρ = 0.6 > 0.5 the nearest neuron crosses and the error is positive
    crossing = worst_case_perturbation(net, x, 0.6)
    assert abs(linearization_remainder(net, x, crossing)) == pytest.approx(0.1)


def test_relu_worst_case_matches_flip_counting_law() -> None:
    m = 50_000
    net = ShallowNet.random(m, 3, "relu", rng=5, scale=1 / np.sqrt(m))
    errors = [
        abs(linearization_remainder(net, X_UNIT, worst_case_perturbation(net, X_UNIT, b))) for b in (1, 3)
    ]
    law = relu_worst_case_law(m, np.array([1.0, 3.0]), scale=1 / np.sqrt(m))
    np.testing.assert_allclose(errors, law, rtol=0.1)


def test_sweep_exponents_and_sampler() -> None:
    table = error_law_sweep("relu", [1000, 10_000], [0.5, 2.0], rng=6, n_nets=3, n_draws=8)
    law = table.fit()
    assert abs(law.exponent_rho - 4 / 3) < 0.15 and abs(law.exponent_m + 1 / 6) < 0.15
    pred = random_error_law(
        "relu", table.widths[:, None], table.sizes[None, :], d=3, scale=table.widths[:, None] ** -0.5
    )
    assert 0.6 < np.median(table.random / pred) < 1.6
    smooth = error_law_sweep("tanh", [100, 1000], [0.05, 0.2], rng=7, n_nets=2, n_draws=4)
    # the proposition |f − f₀| ≤ β₀‖x‖²ρ²/(2√m), for the sweep's worst and random perturbations
    # (page 01 states it as a theorem, not as a measured claim)
    assert np.all(smooth.worst_samples <= smooth.bound * (1 + 1e-12))
    assert np.all(smooth.random_samples <= smooth.bound[None, :, :, None])
    assert np.all(smooth.worst_samples >= 0.9 * smooth.bound)
    law = smooth.fit()
    assert abs(law.exponent_m + 0.5) < 0.05 and abs(law.exponent_rho - 2.0) < 0.05


def test_fit_error_law_recovers_exact_power_law() -> None:
    widths, sizes = np.array([10.0, 100.0, 1000.0]), np.array([0.1, 1.0])
    errors = 0.3 * sizes[None, :] ** 1.25 * widths[:, None] ** -0.4
    law = fit_error_law(widths, sizes, errors)
    assert law.exponent_rho == pytest.approx(1.25) and law.exponent_m == pytest.approx(-0.4)
    assert law.prefactor == pytest.approx(0.3)


def test_cross_ntk_of_the_net_matches_materialised_jacobians() -> None:
    net = ShallowNet.random(30, 3, "softplus", rng=8, scale=0.2)
    X1, X2 = circle_inputs(np.linspace(0, 6, 5)), circle_inputs(np.linspace(1, 2, 3))
    np.testing.assert_allclose(net.ntk(X1, X2), net.jacobian(X1) @ net.jacobian(X2).T, rtol=1e-12)
    np.testing.assert_allclose(net.ntk(X1, X1), net.ntk(X1), rtol=1e-12)
    np.testing.assert_allclose(net.ntk(X2, X1), net.ntk(X1, X2).T, rtol=1e-15)


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
        "tanh", [2, 64], lambda t: np.cos(3 * t), n_train=64, rng=10, n_nets=2
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


# ---------------------------------------------------------------------------------------------
# Pins against independent computations (explicit loops, brute force, quadrature, Monte Carlo)
# ---------------------------------------------------------------------------------------------
PHI = lambda z: np.exp(-0.5 * z * z) / np.sqrt(2.0 * np.pi)  # noqa: E731


@pytest.mark.parametrize("activation", ["tanh", "softplus", "relu"])
def test_remainder_is_signed_f_minus_f0_by_explicit_loops(activation: str) -> None:
    net = ShallowNet.random(7, 3, activation, rng=21, scale=0.4)
    x = np.array([0.3, -1.1, 0.7])
    dW = 0.4 * np.random.default_rng(22).standard_normal(net.W.shape)
    f = explicit_forward(net.W + dW, net.s, x[None], activation, net.scale)[0]
    f0 = explicit_forward(net.W, net.s, x[None], activation, net.scale)[0]
    f0 += explicit_jacobian(net, x[None])[0] @ dW.ravel()
    assert linearization_remainder(net, x, dW) == pytest.approx(f - f0, rel=1e-10, abs=1e-14)


def test_smooth_error_bound_closed_form() -> None:
    net = ShallowNet.random(9, 2, "tanh", rng=0, scale=0.3)
    x = np.array([1.5, -2.0])  # ‖x‖² = 6.25
    beta0 = 4.0 / (3.0 * np.sqrt(3.0))
    assert smooth_error_bound(net, x, 0.8) == pytest.approx(0.3 * beta0 * 6.25 * 0.64 / 2, rel=1e-14)
    soft = ShallowNet(net.W, net.s, "softplus", scale=2.0)
    sizes = np.array([0.0, 0.5, 2.0])
    expected = 2.0 * 0.25 * 6.25 * sizes**2 / 2
    np.testing.assert_allclose(smooth_error_bound(soft, x, sizes), expected, rtol=1e-14)


def _fibonacci_sphere(k: int) -> np.ndarray:
    i = np.arange(k) + 0.5
    phi = np.arccos(1 - 2 * i / k)
    theta = np.pi * (1 + 5**0.5) * i
    return np.column_stack([np.cos(theta) * np.sin(phi), np.sin(theta) * np.sin(phi), np.cos(phi)])


@pytest.mark.parametrize(
    ("z", "s"),
    [
        ([0.1, -0.15, 0.3], [1.0, 1.0, 1.0]),  # one sign group: the best is to flip all three
        ([0.05, -0.4, 0.9], [1.0, -1.0, 1.0]),  # mixed signs: flip within one group only
        ([0.0, 0.6, -0.2], [-1.0, -1.0, 1.0]),  # a neuron exactly at its kink
        ([0.1, -0.15, 0.3], [-1.0, -1.0, -1.0]),  # the group s = +1 is empty
    ],
)
def test_relu_worst_case_is_the_brute_force_maximum_on_the_sphere(z, s) -> None:
    """Exact ReLU worst case against a brute-force search over 200,000 steps δ with ‖δ‖ = B‖x‖."""
    x = np.array([2.0, 0.0])  # ‖x‖ = 2: steps δ_j = Δw_jᵀx, cheapest as Δw_j = δ_j x/‖x‖²
    W = np.column_stack([np.array(z) / 2.0, [0.3, -0.7, 1.1]])
    net = ShallowNet(W, np.array(s), "relu", scale=0.5)
    size = 0.6
    dW = worst_case_perturbation(net, x, size)
    assert np.linalg.norm(dW) == pytest.approx(size, rel=1e-12)
    np.testing.assert_allclose(dW[:, 1], 0.0, atol=1e-15)  # every step along x
    worst = abs(linearization_remainder(net, x, dW))
    deltas = size * np.linalg.norm(x) * _fibonacci_sphere(200_000)
    zz = W @ x
    r = np.maximum(zz + deltas, 0) - np.maximum(zz, 0) - (zz > 0) * deltas
    brute = np.max(np.abs(0.5 * r @ np.array(s)))
    # the grid spacing is ~0.008 rad, so the grid maximum is within ~0.01·B‖x‖ of the true one
    assert brute <= worst + 1e-12
    assert worst <= brute + 0.01 * size * np.linalg.norm(x)


@pytest.mark.parametrize("activation", ["tanh", "softplus"])
def test_smooth_worst_case_is_the_best_aligned_sign_pattern(activation: str) -> None:
    """spread = m = 3: the best of all ±R/√k step patterns over the neurons whose curvature
    ε s_j σ''(z_j) is positive, for ε = ±1 (brute force over every pattern)."""
    net = ShallowNet.random(3, 2, activation, rng=5, scale=0.7)
    x = np.array([0.8, -0.6])
    size = 0.9
    dW = worst_case_perturbation(net, x, size, spread=3)
    assert np.linalg.norm(dW) == pytest.approx(size, rel=1e-12)
    np.testing.assert_allclose(dW @ np.array([0.6, 0.8]), 0.0, atol=1e-14)  # rows along x
    got = abs(linearization_remainder(net, x, dW))
    sigma, dsigma, d2sigma = SIGMA[activation]
    z = net.W @ x
    R = size * np.linalg.norm(x)
    best = 0.0
    for eps in (1.0, -1.0):
        group = [j for j in range(3) if eps * net.s[j] * d2sigma(z[j]) > 0]
        for signs in np.array(np.meshgrid(*[[1.0, -1.0]] * len(group))).reshape(len(group), -1).T:
            delta = np.zeros(3)
            delta[group] = signs * R / np.sqrt(len(group))
            rem = sigma(z + delta) - sigma(z) - dsigma(z) * delta
            best = max(best, abs(0.7 * rem @ net.s))
    assert got == pytest.approx(best, rel=1e-10)


def test_smooth_worst_case_default_spread_moves_a_twentieth_of_the_neurons() -> None:
    net = ShallowNet.random(100, 3, "tanh", rng=6)
    dW = worst_case_perturbation(net, X_UNIT, 0.5)
    moved = np.flatnonzero(np.linalg.norm(dW, axis=1))
    assert moved.size == 5  # ⌈100/20⌉
    # equal shares of the budget: |δ_j| = B‖x‖/√5
    np.testing.assert_allclose(np.abs(dW[moved] @ X_UNIT), 0.5 / np.sqrt(5), rtol=1e-12)
    # and they are the five neurons of largest ε s_j σ''(z_j) for the winning ε
    curv = net.s * SIGMA["tanh"][2](net.W @ X_UNIT)
    eps = np.sign(linearization_remainder(net, X_UNIT, dW))
    assert set(moved) == set(np.argsort(-eps * curv)[:5])


def test_random_perturbation_is_a_normalised_gaussian_draw() -> None:
    net = ShallowNet.random(4, 3, "relu", rng=0)
    dW = random_perturbation(net, 2.5, rng=9)
    G = np.random.default_rng(9).standard_normal((4, 3))
    np.testing.assert_allclose(dW, 2.5 * G / np.sqrt(np.sum(G**2)), rtol=1e-14)
    assert np.all(random_perturbation(net, 0.0, rng=1) == 0.0)


def test_relu_worst_case_law_is_the_maximum_of_the_flip_count_tradeoff() -> None:
    """(3/4)(φ(0)/2)^{1/3}‖x‖B^{4/3}m^{1/3} = max_k B‖x‖√k − k²/(2κm), κ = φ(0)/‖x‖, by a grid in k."""
    k = np.linspace(0.0, 2e4, 2_000_001)
    for m, size, norm_x in ((1000.0, 0.7, 1.3), (50.0, 2.0, 0.5)):
        kappa = PHI0 / norm_x
        direct = np.max(size * norm_x * np.sqrt(k) - k**2 / (2 * kappa * m))
        assert relu_worst_case_law(m, size, norm_x) == pytest.approx(direct, rel=1e-6)
        assert relu_worst_case_law(m, size, norm_x, scale=0.1) == pytest.approx(0.1 * direct, rel=1e-6)
    grid = relu_worst_case_law(np.array([[10.0], [80.0]]), np.array([1.0, 8.0]))
    np.testing.assert_allclose(grid / grid[0, 0], [[1.0, 16.0], [2.0, 32.0]], rtol=1e-12)


def _relu_mean_square_remainder(tau: float) -> float:
    """E r(z, δ)² for z ~ N(0, 1), δ ~ N(0, τ²), r the exact ReLU Taylor remainder (2-d quadrature)."""

    def r(z: float, dl: float) -> float:
        return max(z + dl, 0.0) - max(z, 0.0) - (z > 0) * dl

    def inner(dl: float) -> float:  # r vanishes unless |z| < |δ|
        a = abs(dl)
        return integrate.quad(lambda z: r(z, dl) ** 2 * PHI(z), -a, a, points=[0.0])[0]

    return integrate.quad(lambda dl: inner(dl) * PHI(dl / tau) / tau, -12 * tau, 12 * tau, points=[0.0])[0]


def _smooth_mean_square_remainder(activation: str, tau: float) -> float:
    sigma, dsigma, _ = SIGMA[activation]

    def f(dl: float, z: float) -> float:
        rem = sigma(z + dl) - sigma(z) - dsigma(z) * dl
        return rem**2 * PHI(z) * PHI(dl / tau) / tau

    return integrate.dblquad(f, -10, 10, -10 * tau, 10 * tau, epsabs=1e-20, epsrel=1e-6)[0]


@pytest.mark.parametrize("activation", ["relu", "tanh", "softplus"])
def test_random_error_law_matches_quadrature_of_the_exact_remainder(activation: str) -> None:
    """RMS law = scale·√m·(E r(z, δ)²)^{1/2}, δ ~ N(0, τ²), τ = B/√(md): exact remainder by quadrature."""
    m, d, tau = 50, 3, 0.02
    size = tau * np.sqrt(m * d)
    if activation == "relu":
        per_neuron = np.sqrt(_relu_mean_square_remainder(tau))
    else:
        per_neuron = np.sqrt(_smooth_mean_square_remainder(activation, tau))
    law = random_error_law(activation, m, size, d, scale=0.3)
    # the law keeps the leading order in τ; the next one is O(τ²) relative (here ~1e-3)
    assert law == pytest.approx(0.3 * np.sqrt(m) * per_neuron, rel=5e-3)
    np.testing.assert_allclose(
        random_error_law(activation, np.array([m, 4 * m]), size, d),
        [law / 0.3, law / 0.3 * (0.5 if activation != "relu" else 4.0**-0.25)],
        rtol=1e-12,
    )


def test_sweep_worst_case_replays_the_public_functions() -> None:
    """With n_draws = 0 the sweep's random stream is the networks only: rebuild them and compare."""
    widths, sizes = [20, 60], np.array([0.3, 1.2])
    for activation in ("relu", "softplus"):
        table = error_law_sweep(
            activation,
            widths,
            sizes,
            rng=3,
            d=2,
            n_nets=2,
            n_draws=0,
            scale_exponent=0.25,
            spread_fraction=0.1,
        )
        rng = np.random.default_rng(3)
        x = np.array([1.0, 0.0])
        moved = np.zeros((2, 2))
        window = np.zeros((2, 2))
        for i, m in enumerate(widths):
            for seed in range(2):
                net = ShallowNet.random(m, 2, activation, rng, scale=m**-0.25)
                for b, size in enumerate(sizes):
                    spread = int(np.ceil(0.1 * m))
                    dW = worst_case_perturbation(net, x, size, spread=spread)
                    err = abs(linearization_remainder(net, x, dW))
                    assert table.worst_samples[seed, i, b] == pytest.approx(err, rel=1e-10)
                    rows = np.flatnonzero(np.linalg.norm(dW, axis=1))
                    moved[i, b] += (rows.size if activation == "relu" else spread) / m / 2
                    window[i, b] += np.abs(net.W[rows] @ x).max() / 2
        np.testing.assert_allclose(table.moved_fraction, moved, rtol=1e-12)
        assert table.random_samples.shape == (2, 2, 2, 0)
        if activation == "relu":
            np.testing.assert_allclose(table.kink_window, window, rtol=1e-12)
            assert np.isnan(table.bound).all()
        else:
            assert np.isnan(table.kink_window).all()
            np.testing.assert_allclose(
                table.bound, np.array(widths)[:, None] ** -0.25 * 0.25 * sizes**2 / 2, rtol=1e-12
            )
        np.testing.assert_allclose(table.worst, table.worst_samples.mean(axis=0), rtol=1e-15)


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_sweep_random_errors_agree_with_explicit_random_perturbations(activation: str) -> None:
    """Monte Carlo: the sweep's E|f − f₀|² (steps drawn without forming ΔW) against explicit
    random_perturbation + linearization_remainder on other networks; tolerance 5 standard errors."""
    m, d, size = 40, 3, 1.5
    table = error_law_sweep(activation, [m], [size], rng=11, d=d, n_nets=150, n_draws=4)
    sweep = (table.random_samples[:, 0, 0, :] ** 2).mean(axis=1)  # one value per network
    rng = np.random.default_rng(12)
    x = np.array([1.0, 0.0, 0.0])
    ref = np.empty(600)
    for k in range(600):
        net = ShallowNet.random(m, d, activation, rng, scale=m**-0.5)
        ref[k] = linearization_remainder(net, x, random_perturbation(net, size, rng)) ** 2
    se = np.sqrt(sweep.var(ddof=1) / sweep.size + ref.var(ddof=1) / ref.size)
    assert abs(sweep.mean() - ref.mean()) < 5 * se
    assert table.random[0, 0] == pytest.approx(np.sqrt(sweep.mean()), rel=1e-12)
    assert se < 0.15 * ref.mean()  # the test has the power to see a wrong step size


def test_fit_of_a_table_and_its_bad_argument() -> None:
    table = error_law_sweep("softplus", [30, 300], [0.1, 0.4], rng=1, n_nets=2, n_draws=0)
    law = table.fit("worst")
    direct = fit_error_law(table.widths, table.sizes, table.worst)
    assert law == direct
    with pytest.raises(ValueError, match="n_draws"):
        _ = table.random
    with pytest.raises(ValueError, match="which"):
        table.fit("best")


def test_tangent_kernel_regression_with_ridge_against_the_materialised_jacobian() -> None:
    net = ShallowNet.random(5, 3, "softplus", rng=13, scale=0.8)  # p = 15 > n = 6
    theta = np.linspace(0.0, 5.0, 6)
    X, X_test = circle_inputs(theta), circle_inputs(theta + 0.3)
    y = np.cos(theta)
    J, Jt = explicit_jacobian(net, X), explicit_jacobian(net, X_test)
    K = J @ J.T
    fit = tangent_kernel_regression(net, X, y, X_test, ridge=0.05)
    coef = np.linalg.solve(K + 0.05 * np.eye(6), y - net(X))
    np.testing.assert_allclose(fit.coef, coef, rtol=1e-8)
    np.testing.assert_allclose(fit.train_pred, net(X) + K @ coef, rtol=1e-8)
    np.testing.assert_allclose(fit.test_pred, net(X_test) + Jt @ J.T @ coef, rtol=1e-8)
    np.testing.assert_allclose(fit.eigenvalues, np.linalg.eigvalsh(K), rtol=1e-10, atol=1e-13)
    assert fit.rank == 6
    # rank-deficient K (p = 6 < n = 8): the pseudo-inverse keeps six eigenvalues
    small = ShallowNet.random(2, 3, "tanh", rng=14)
    Xs = circle_inputs(np.linspace(0.0, 6.0, 8))
    assert tangent_kernel_regression(small, Xs, np.sin(np.arange(8.0)), Xs).rank == 6


def test_circle_inputs_closed_form() -> None:
    theta = np.array([0.0, np.pi / 3, 2.0])
    unit = np.column_stack([np.cos(theta), np.sin(theta)])
    biased = np.column_stack([unit, np.ones(3)]) / np.sqrt(2)
    np.testing.assert_allclose(circle_inputs(theta), biased, rtol=1e-15)
    np.testing.assert_allclose(circle_inputs(theta, bias=False), unit)


def test_universal_approximation_sweep_replays_min_norm_least_squares() -> None:
    """Rebuild the sweep: same stream (test angles, then the centred nets), fits by pinv(J₀)."""
    target = lambda t: np.sin(t) + 0.3 * np.cos(2 * t)  # noqa: E731
    res = universal_approximation_sweep("tanh", [2, 6], target, n_train=7, n_test=5, rng=4, n_nets=2)
    rng = np.random.default_rng(4)
    theta = 2 * np.pi * np.arange(7) / 7
    theta_test = rng.uniform(0.0, 2 * np.pi, 5)
    np.testing.assert_allclose(res.theta_test, theta_test)
    X, Xt = circle_inputs(theta), circle_inputs(theta_test)
    y, yt = target(theta), target(theta_test)
    assert res.target_rms == pytest.approx(np.sqrt(np.mean(yt**2)), rel=1e-14)
    for i, m in enumerate([2, 6]):
        for seed in range(2):
            net = ShallowNet.random(m, 3, "tanh", rng, symmetric=True, scale=1 / np.sqrt(m))
            J = explicit_jacobian(net, X)
            du = np.linalg.pinv(J, rcond=1e-12) @ y
            assert res.train_rmse[seed, i] == pytest.approx(np.sqrt(np.mean((J @ du - y) ** 2)), rel=1e-6)
            pred = explicit_jacobian(net, Xt) @ du
            assert res.test_rmse[seed, i] == pytest.approx(np.sqrt(np.mean((pred - yt) ** 2)), rel=1e-6)
            sv = np.linalg.svd(J, compute_uv=False)
            assert res.jacobian_rank[seed, i] == np.sum(sv > sv[0] * max(J.shape) * np.finfo(float).eps)
            assert res.kept[seed, i] == np.sum(sv**2 > 1e-12 * sv[0] ** 2)
    np.testing.assert_array_equal(res.widths, [2.0, 6.0])
    # m = 2, 6 centred neurons in d = 3: one pair, three pairs, so ranks 3 and min(9, n = 7)
    np.testing.assert_array_equal(res.jacobian_rank, [[3, 7], [3, 7]])


def test_centred_jacobian_has_rank_at_most_half_the_weights() -> None:
    """Page 01: the two neurons of a centring pair share w₀ and have opposite signs, so their
    Jacobian columns are opposite and rank J₀ ≤ (m/2)·d, not m·d; without pairing it is m·d."""
    theta = np.linspace(0.0, 2 * np.pi, 40, endpoint=False)
    X = circle_inputs(theta)  # d = 3 with the bias coordinate, n = 40 > m·d = 24
    centred = ShallowNet.random(8, 3, "tanh", rng=16, symmetric=True, scale=1 / np.sqrt(8))
    J = explicit_jacobian(centred, X)
    np.testing.assert_array_equal(J[:, :12], -J[:, 12:])  # the pairs' columns, neuron-major
    assert np.linalg.matrix_rank(J) == 12  # = (m/2)·d: the bound is attained
    plain = ShallowNet.random(8, 3, "tanh", rng=16, scale=1 / np.sqrt(8))
    assert np.linalg.matrix_rank(explicit_jacobian(plain, X)) == 24
    res = universal_approximation_sweep("tanh", [8], np.cos, n_train=40, n_test=3, rng=16, n_nets=2)
    assert np.all(res.jacobian_rank <= 12)


def test_remainder_is_proportional_to_the_output_scale() -> None:
    """f − f₀ is linear in the output factor: the normalisation rows of 01 are rescalings (bookkeeping)."""
    from lazylib.recall import linearization_remainder

    x = np.array([0.6, 0.8, 0.0])
    base = ShallowNet.random(500, 3, "relu", rng=2)
    dW = worst_case_perturbation(base, x, 1.0)
    for scale in (1 / np.sqrt(500), 1 / 500, 3.0):
        scaled = ShallowNet(base.W, base.s, "relu", scale=scale)
        ratio = linearization_remainder(scaled, x, dW) / linearization_remainder(base, x, dW)
        assert ratio == pytest.approx(scale, rel=1e-12)


# ---------------------------------------------------------------------------------------------
# Killing the survivors of the mutation run (benchmarks/mutation.md)
# ---------------------------------------------------------------------------------------------
def test_smooth_worst_case_with_non_unit_output_weights() -> None:
    """Output weights need not be ±1: the aligned sign pattern weighs each remainder by s_j."""
    W = np.array([[0.4, 0.1], [-0.9, 0.3], [1.3, -0.2]])
    net = ShallowNet(W, np.array([2.0, -0.5, 1.5]), "tanh", scale=0.7)
    x = np.array([0.8, -0.6])
    got = abs(linearization_remainder(net, x, worst_case_perturbation(net, x, 0.9, spread=3)))
    sigma, dsigma, d2sigma = SIGMA["tanh"]
    z, R, best = W @ x, 0.9, 0.0
    for eps in (1.0, -1.0):
        group = [j for j in range(3) if eps * net.s[j] * d2sigma(z[j]) > 0]
        for signs in itertools.product([1.0, -1.0], repeat=len(group)):
            delta = np.zeros(3)
            delta[group] = np.array(signs) * R / np.sqrt(max(len(group), 1))
            best = max(best, abs(0.7 * (sigma(z + delta) - sigma(z) - dsigma(z) * delta) @ net.s))
    assert got == pytest.approx(best, rel=1e-10)


def test_default_spread_of_a_narrow_net_is_one_neuron() -> None:
    net = ShallowNet.random(10, 3, "softplus", rng=3)  # ⌈10/20⌉ = 1
    dW = worst_case_perturbation(net, X_UNIT, 0.4)
    assert np.count_nonzero(np.linalg.norm(dW, axis=1)) == 1


def test_relu_sweep_below_every_kink_moves_nothing() -> None:
    """B‖x‖ below every |w_jᵀx|: no flip gains, so the worst error is 0, nothing moves, window 0."""
    table = error_law_sweep("relu", [8, 12], [1e-9], rng=2, n_nets=2, n_draws=0)
    assert np.all(table.worst_samples == 0.0)
    assert np.all(table.moved_fraction == 0.0) and np.all(table.kink_window == 0.0)


def test_relu_random_errors_never_beat_the_exact_worst_case_in_one_dimension() -> None:
    """d = 1, x = 1: every random step vector has ‖δ‖ = B exactly, and the ReLU worst case is the
    maximum over that sphere, so no random draw can exceed it (network by network)."""
    table = error_law_sweep("relu", [6, 30], [0.5, 2.0], rng=4, d=1, n_nets=3, n_draws=5)
    assert np.all(table.random_samples <= table.worst_samples[..., None] * (1 + 1e-12))
    assert np.all(table.random_samples >= 0) and np.any(table.random_samples > 0)


def test_tangent_kernel_regression_truncates_relative_to_the_top_eigenvalue() -> None:
    net = ShallowNet.random(5, 3, "tanh", rng=15)
    theta = np.linspace(0.0, 5.0, 6)
    X, y = circle_inputs(theta), np.sin(theta)
    J = explicit_jacobian(net, X)
    evals, V = np.linalg.eigh(J @ J.T)
    # rcond between e₃/λ_max and e₃/λ₅: relative to λ_max, e₃ is dropped (relative to λ₅ it would not be)
    rcond = 0.5 * (evals[2] / evals[-1] + evals[2] / evals[-2])
    keep = evals > rcond * evals[-1]
    assert keep.sum() == 3 and evals[2] > rcond * evals[-2]
    fit = tangent_kernel_regression(net, X, y, X, rcond=rcond)
    assert fit.rank == keep.sum()
    coef = V[:, keep] @ ((V[:, keep].T @ (y - net(X))) / evals[keep])
    np.testing.assert_allclose(fit.coef, coef, rtol=1e-8, atol=1e-12)
    with pytest.raises(ValueError, match="rcond"):
        tangent_kernel_regression(net, X, y, X, rcond=0.0)


def test_smooth_bound_carries_the_largest_output_weight() -> None:
    """Issue 27 N01: the remainder bound needs ``max|s_j|``. With output weights ``10 s``, one neuron
    moved along the unit input ``x`` by ``ρ`` (so ``‖ΔW‖_F = ρ``): the largest measured
    ``|f − f₀|/ρ²`` is below the bound per unit ``ρ²`` and above it without ``max|s_j|``."""
    from lazylib.recall import linearization_remainder, smooth_error_bound

    base = ShallowNet.random(4, 2, "tanh", rng=0)
    net = ShallowNet(base.W, 10.0 * base.s)
    x = np.array([0.6, 0.8])
    worst = 0.0
    for j in range(4):
        for rho in np.linspace(0.05, 2.0, 40):
            for sign in (1.0, -1.0):
                dW = np.zeros((4, 2))
                dW[j] = sign * rho * x
                worst = max(worst, abs(linearization_remainder(net, x, dW)) / rho**2)
    per_unit = float(smooth_error_bound(net, x, 1.0))
    assert worst <= per_unit
    assert worst > per_unit / net.s_max
