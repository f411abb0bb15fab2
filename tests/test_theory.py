"""Theorem 8.1's constants and its four conclusions, Lemma 8.3's band, the Lipschitz bound β."""

from __future__ import annotations

import numpy as np
import pytest

from lazylib.data import sphere
from lazylib.flows import gradient_flow
from lazylib.models import ShallowNet
from lazylib.theory import (
    alpha_min,
    beta_bound,
    empirical_jacobian_lipschitz,
    jacobian_difference_norm,
    jacobian_lipschitz_bound,
    jacobian_lipschitz_bound_op,
    jacobian_singular_values,
    lemma_8_1_bound,
    lemma_8_2_radius,
    lemma_8_3_bounds,
    residual_risk,
    risk,
    theorem_8_1,
)


def problem(n=5, m=100, d=3, act="tanh", symmetric=True, seed=0, scale=1.0):
    rng = np.random.default_rng(seed)
    X = sphere(n, d, rng)
    y = rng.standard_normal(n)
    net = ShallowNet.random(m, d, act, rng, symmetric=symmetric, scale=scale)
    return net, X, y


def test_constants_match_their_definitions() -> None:
    net, X, y = problem(n=6, m=10, d=3, symmetric=False, act="softplus")
    alpha = 3.0
    th = theorem_8_1(net, X, y, alpha)
    sv = np.linalg.svd(net.jacobian(X), compute_uv=False)  # descending; σ_min is the n-th
    assert th.sigma_min == pytest.approx(sv[X.shape[0] - 1], rel=1e-10)
    assert th.sigma_max == pytest.approx(sv[0], rel=1e-12)
    assert th.beta == pytest.approx(0.25 * np.sqrt(np.sum(np.linalg.norm(X, axis=1) ** 4)), rel=1e-14)
    assert th.risk0 == pytest.approx(0.5 * np.sum((y - alpha * net(X)) ** 2), rel=1e-14)
    a_min = th.beta * np.sqrt(1152 * th.sigma_max**2 * th.risk0) / th.sigma_min**3
    assert th.alpha_min == pytest.approx(a_min, rel=1e-14)
    assert th.rate == pytest.approx(alpha**2 * th.sigma_min**2 / 2, rel=1e-14)
    assert th.radius == pytest.approx(np.sqrt(72 * th.sigma_max**2 * th.risk0) / (alpha * th.sigma_min**2))
    assert th.ball_radius == pytest.approx(th.sigma_min / (2 * th.beta), rel=1e-14)
    assert th.linear_rate == pytest.approx(4 * th.rate, rel=1e-14)
    assert th.linear_radius == pytest.approx(th.radius / 6, rel=1e-14)
    assert th.sigma_band == (th.sigma_min / 2, 1.5 * th.sigma_max)
    np.testing.assert_allclose(th.risk_bound([0.0, 2.0]), th.risk0 * np.exp([0.0, -2 * th.rate]))
    assert th.applies == (alpha >= th.alpha_min)


def test_the_constants_chain_through_the_lemmas() -> None:
    # Lemma 8.1 with λ = α²σ_min²/4 gives the rate; Lemma 8.2 with λ₁ = 9α²σ_max²/4 the radius;
    # at α = alpha_min the radius is exactly half the ball radius B = σ_min/(2β).
    net, X, y = problem()
    th = theorem_8_1(net, X, y, 7.0)
    lam, lam1 = th.alpha**2 * th.sigma_min**2 / 4, 9 * th.alpha**2 * th.sigma_max**2 / 4
    assert th.radius == pytest.approx(lemma_8_2_radius(lam, lam1, th.risk0), rel=1e-13)
    np.testing.assert_allclose(th.risk_bound([0.5, 1.0]), lemma_8_1_bound(th.risk0, lam, [0.5, 1.0]))
    at_min = theorem_8_1(net, X, y, th.alpha_min)
    assert at_min.applies
    assert at_min.radius == pytest.approx(at_min.ball_radius / 2, rel=1e-12)
    # Centring: R₀ = ½‖y‖² whatever α, so alpha_min does not depend on α.
    assert at_min.risk0 == pytest.approx(0.5 * np.sum(y**2), rel=1e-15)
    assert at_min.alpha_min == pytest.approx(th.alpha_min, rel=1e-12)
    assert not theorem_8_1(net, X, y, 0.99 * th.alpha_min).applies


@pytest.mark.parametrize(("act", "factor"), [("tanh", 1.0), ("softplus", 3.0)])
def test_theorem_8_1_four_conclusions_hold_at_every_time(act: str, factor: float) -> None:
    net, X, y = problem(act=act)
    th0 = theorem_8_1(net, X, y, 1.0)
    alpha = factor * th0.alpha_min  # centring: alpha_min is reachable at this width
    th = theorem_8_1(net, X, y, alpha)
    assert th.applies
    t = np.concatenate([[0.0], np.geomspace(1e-3, np.log(1e8), 40) / th.rate])  # bound to 1e-8·R₀
    w = gradient_flow(net, X, y, alpha, t)
    u = gradient_flow(net, X, y, alpha, t, linearized=True)
    bound = th.risk_bound(t)
    slack = 1e-9 * th.risk0  # integration error (the ODE risk is right to ~1e-9 relative)
    # (1) risk of w(t), (2) distance of w(t), (3) risk of u(t), (4) distance of u(t).
    assert np.all(w.risk <= bound + slack)
    assert np.all(w.distance <= th.radius)
    assert np.all(u.risk <= bound + slack)
    assert np.all(u.distance <= th.radius)
    # The linearized flow satisfies the sharper, exact statements (rate ×4, radius /6).
    assert np.all(u.risk <= th.risk0 * np.exp(-th.linear_rate * t) * (1 + 1e-12) + 1e-300)
    assert np.all(u.distance <= th.linear_radius)
    # How far the flows really go: u(∞) − w₀ = −J₀ᵀ(J₀J₀ᵀ)⁻¹r₀/α, of norm ≤ √(2R₀)/(α σ_min) — far
    # inside the theorem's radius (measured: ~0.4-0.8 % of it here; it carries σ_max/σ_min and a 6).
    K = net.ntk(X)
    far = np.sqrt(y @ np.linalg.solve(K, y)) / alpha  # r₀ = −y under centring
    assert u.distance[-1] == pytest.approx(far, rel=1e-6)
    assert far <= np.sqrt(2 * th.risk0) / (alpha * th.sigma_min)
    assert w.distance[-1] == pytest.approx(far, rel=0.1)  # the nonlinear flow goes nearly as far
    # Lemma 8.3 along the flow: w(t) stays in the ball and J_{w(t)}'s singular values in the band.
    assert np.all(w.distance <= th.ball_radius / 2)
    lo, hi = th.sigma_band
    for W in w.weights[:: len(t) // 8]:
        smin, smax = jacobian_singular_values(net.with_weights(W), X)
        assert lo <= smin and smax <= hi


@pytest.mark.parametrize("act", ["tanh", "softplus"])
def test_lemma_8_3_band_holds_at_random_points_of_the_ball(act: str) -> None:
    net, X, _ = problem(n=6, m=30, d=3, act=act, symmetric=False, seed=4)
    smin0, smax0 = jacobian_singular_values(net, X)
    B = smin0 / (2 * jacobian_lipschitz_bound(net, X))
    lo, hi = lemma_8_3_bounds(smin0, smax0)
    rng = np.random.default_rng(0)
    for _ in range(30):
        v = rng.standard_normal(net.p)
        v *= B * rng.uniform(0.5, 1.0) / np.linalg.norm(v)
        smin, smax = jacobian_singular_values(net.with_weights(net.W.ravel() + v), X)
        assert lo <= smin <= smax <= hi


@pytest.mark.parametrize("act", ["tanh", "softplus"])
@pytest.mark.parametrize("scale", [1.0, 0.1])
def test_empirical_jacobian_lipschitz_is_below_the_case_study_beta(act: str, scale: float) -> None:
    net, X, _ = problem(n=6, m=8, d=3, act=act, symmetric=False, scale=scale, seed=2)
    beta = jacobian_lipschitz_bound(net, X)
    for radius in (0.1, 3.0):
        est = empirical_jacobian_lipschitz(net, X, rng=1, n_pairs=60, radius=radius)
        assert 0 < est <= beta
    # Probing one neuron along its own input direction comes within a modest factor of β:
    # the bound is not loose by orders of magnitude on a small net.
    W = net.W.copy()
    W[0] += 0.05 * X[0]
    ratio = jacobian_difference_norm(net, W, net.W, X) / 0.05
    assert ratio > beta / 20


def test_jacobian_difference_norm_is_the_operator_norm() -> None:
    net, X, _ = problem(n=5, m=6, d=3, symmetric=False, seed=3)
    rng = np.random.default_rng(1)
    W, V = net.W + rng.standard_normal(net.W.shape), net.W - rng.standard_normal(net.W.shape)
    J = net.with_weights(W).jacobian(X) - net.with_weights(V).jacobian(X)
    assert jacobian_difference_norm(net, W, V, X) == pytest.approx(np.linalg.norm(J, 2), rel=1e-10)


def test_risk_and_lemma_formulas() -> None:
    y = np.array([1.0, -2.0])
    assert risk([0.0, 0.0], y) == pytest.approx(2.5, rel=1e-15)
    np.testing.assert_allclose(risk([[0.0, 0.0], [1.0, -2.0]], y), [2.5, 0.0], rtol=1e-15, atol=0.0)
    np.testing.assert_allclose(lemma_8_1_bound(2.0, 0.5, [0.0, 1.0]), [2.0, 2.0 * np.exp(-1.0)])
    assert lemma_8_2_radius(2.0, 8.0, 0.5) == pytest.approx(np.sqrt(8.0) / 2.0 * 1.0)
    assert lemma_8_3_bounds(2.0, 3.0) == (1.0, 4.5)


def test_risk_is_half_the_squared_residual_for_any_leading_shape() -> None:
    rng = np.random.default_rng(4)
    y = rng.standard_normal(3)
    P = rng.standard_normal((2, 4, 3))

    def half_sq(row):
        return 0.5 * sum((p - yi) ** 2 for p, yi in zip(row, y, strict=True))

    expected = np.array([[half_sq(row) for row in block] for block in P])
    got = risk(P, y)
    assert isinstance(got, np.ndarray) and got.shape == (2, 4)
    np.testing.assert_allclose(got, expected, rtol=1e-14)
    scalar = risk(P[0, 0], y)
    assert isinstance(scalar, np.ndarray) and scalar.shape == ()
    np.testing.assert_allclose(residual_risk(P - y), expected, rtol=1e-14)
    # residual_risk lets a diverging run through (gradient descent watches it); risk refuses it
    assert np.isinf(residual_risk(np.array([np.inf, 0.0])))
    with pytest.raises(ValueError, match="predictions"):
        risk(np.array([np.inf, 0.0, 0.0]), y)


def test_alpha_min_formula_broadcasts() -> None:
    beta, smin, smax, r0 = 0.7, np.array([0.5, 2.0]), 3.0, np.array([[1.0], [4.0]])
    expected = np.array([[0.7 * np.sqrt(1152 * 9.0 * r) / s**3 for s in (0.5, 2.0)] for r in (1.0, 4.0)])
    np.testing.assert_allclose(alpha_min(beta, smin, smax, r0), expected, rtol=1e-14)
    # sqrt(1152) = 24 sqrt(2): alpha_min = 24 sqrt(2) beta sigma_max sqrt(R0) / sigma_min^3
    assert float(alpha_min(1.0, 1.0, 1.0, 1.0)) == pytest.approx(24 * np.sqrt(2), rel=1e-15)


def test_beta_bound_both_kinds_against_loops() -> None:
    X = np.array([[1.0, 0.0], [0.6, 0.8], [0.0, 2.0]])
    frob = 0.25 * 3.0 * np.sqrt(sum(float(x @ x) ** 2 for x in X))
    top = np.sqrt(max(np.linalg.eigvalsh(X.T @ X)))  # ||X||_2 by the eigenvalues of X^T X
    op = 0.25 * 3.0 * top * max(np.sqrt(float(x @ x)) for x in X)
    assert beta_bound(X, 0.25, 3.0, "frobenius") == pytest.approx(frob, rel=1e-14)
    assert beta_bound(X, 0.25, 3.0, "operator") == pytest.approx(op, rel=1e-12)
    net = ShallowNet.random(4, 2, "softplus", rng=0, scale=3.0)
    assert jacobian_lipschitz_bound(net, X) == pytest.approx(beta_bound(X, 0.25, 3.0, "frobenius"), rel=1e-15)
    with pytest.raises(ValueError, match="kind"):
        beta_bound(X, 0.25, kind="spectral")


def test_empirical_jacobian_lipschitz_replays_its_random_pairs() -> None:
    """The largest ‖J_w − J_v‖₂/‖w − v‖ over the seeded pairs w = w₀ + a, v = w₀ + b (|a|, |b| ≤ radius
    uniform in norm), recomputed with materialised Jacobians."""
    from factories import explicit_jacobian, make_problem

    net, X, _ = make_problem(n=3, d=2, m=4, seed=5)
    got = empirical_jacobian_lipschitz(net, X, rng=7, n_pairs=6, radius=0.8)
    rng = np.random.default_rng(7)
    best = 0.0
    for _ in range(6):
        a, b = rng.standard_normal((2, net.p))
        a *= 0.8 * rng.uniform() / np.linalg.norm(a)
        b *= 0.8 * rng.uniform() / np.linalg.norm(b)
        Jw = explicit_jacobian(net, X, net.W.ravel() + a)
        Jv = explicit_jacobian(net, X, net.W.ravel() + b)
        best = max(best, np.linalg.norm(Jw - Jv, 2) / np.linalg.norm(a - b))
    assert got == pytest.approx(best, rel=1e-9)


def test_beta_carries_the_largest_output_weight_against_explicit_jacobians() -> None:
    """Issue 27 N01: with output weights ``10 s`` the Jacobian's Lipschitz constant is 10 times larger.

    Measured from materialised Jacobians ``J(W₁), J(W₂)`` at several points (random ``W₁``, ``W₂`` one
    neuron moved along an input): the largest ratio ``‖J(W₁) − J(W₂)‖₂/‖W₁ − W₂‖`` is above the bound
    without ``max|s_j|`` and below both bounds with it; so Theorem 8.1 does not apply at α = 1000.
    """
    from factories import explicit_jacobian

    unit = ShallowNet.random(6, 3, "tanh", rng=0, symmetric=True)
    net = ShallowNet(unit.W, 10.0 * unit.s, "tanh")
    X, y = sphere(4, 3, rng=1), np.array([1.0, -1.0, 0.5, 0.0])
    rng = np.random.default_rng(0)
    ratios = []
    for k in range(30):
        W1 = net.W + 0.5 * rng.standard_normal(net.W.shape)
        W2 = W1.copy()
        W2[k % 6] += 0.05 * X[k % 4]
        dJ = explicit_jacobian(net, X, W1) - explicit_jacobian(net, X, W2)
        ratios.append(np.linalg.norm(dJ, 2) / np.linalg.norm(W1 - W2))
    measured = max(ratios)
    beta, beta_op = jacobian_lipschitz_bound(net, X), jacobian_lipschitz_bound_op(net, X)
    assert net.s_max == pytest.approx(10.0 * unit.s_max, rel=1e-15)
    assert beta == pytest.approx(10.0 * jacobian_lipschitz_bound(unit, X), rel=1e-14)
    assert measured <= beta_op <= beta
    assert measured > beta / net.s_max  # the bound without max|s_j| is broken
    th, th_unit = theorem_8_1(net, X, y, 1000.0), theorem_8_1(unit, X, y, 1000.0)
    assert not th.applies
    assert th.alpha_min > 2000.0
    # everything derived follows: β 10×, σ 10×, R₀ the same, so α_min is 10·10/10³ = 1/10 of the unit net's
    assert th.alpha_min == pytest.approx(th_unit.alpha_min / 10.0, rel=1e-10)
    assert th.ball_radius == pytest.approx(th_unit.ball_radius, rel=1e-10)
