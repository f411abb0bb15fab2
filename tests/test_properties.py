"""Property tests (hypothesis) of Lemmas 8.1 and 8.2, driven through lazylib.lemmas.

Lemma 8.1: if ż = −Q(t)(z − y) with λ_min(Q(t)) ≥ λ > 0, then R(z(t)) = ½‖z(t) − y‖² ≤ R(z₀)e^{−2λt}.
The families Q(t) are lazylib.lemmas' own (``random_pd_family``: λ_min(Q(t)) = λ exactly at every t)
and the flow is ``preconditioned_flow`` (DOP853, rtol 1e-11).
Lemma 8.2: if v̇ = −S(v)ᵀ(g(v) − y) with S the Jacobian of g and λ ≤ eig(S Sᵀ) ≤ λ₁ along the
path, then ‖v(t) − v₀‖ ≤ √λ₁ ‖g(v₀) − y‖ (1 − e^{−λt})/λ ≤ √λ₁/λ · ‖g(v₀) − y‖ (``lemma_8_2_path_bound``,
``lemma_8_2_radius``): checked on a generic smooth map with known singular-value bounds, and on shallow
networks through ``lemma_8_2_sweep`` (λ, λ₁ measured along the path).
The only slack in the assertions is for the integration error: relative 1e-6 (the bounds are attained
with equality when Q = λI, so integration error alone can cross them; a real violation, e.g. a rate
off by any constant factor, is far larger).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp

from lazylib.lemmas import (
    lemma_8_2_path_bound,
    lemma_8_2_sweep,
    preconditioned_flow,
    random_pd_family,
    smooth_problem,
)
from lazylib.theory import lemma_8_1_bound, lemma_8_2_radius, risk

SETTINGS = settings(max_examples=25, deadline=None, derandomize=True, database=None)
TOL = 1e-6


@settings(max_examples=15, deadline=None, derandomize=True, database=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(2, 5),
    kind=st.sampled_from(["gram", "rotating", "identity"]),
    lam=st.floats(0.05, 2.0),
    omega=st.floats(0.01, 6.0),
    spread=st.floats(0.01, 3.0),
)
def test_lemma_8_1_risk_never_exceeds_the_exponential_bound(seed, n, kind, lam, omega, spread) -> None:
    rng = np.random.default_rng(seed)
    Q = random_pd_family(n, lam, kind, rng=rng, omega=omega, spread=spread)
    y = rng.standard_normal(n)
    z0 = rng.standard_normal(n) * 3
    horizon = np.log(1e6) / (2 * lam)  # until the bound reaches 1e-6·R₀
    t = np.linspace(0, horizon, 40)
    np.testing.assert_allclose(Q.lambda_min(t[::8]), lam, rtol=1e-9, atol=1e-12)  # the family's promise
    R = risk(preconditioned_flow(Q, z0, y, t), y)
    R0 = float(risk(z0, y))
    bound = lemma_8_1_bound(R0, lam, t)
    assert np.all(R <= bound * (1 + TOL) + 1e-14 * R0)
    if kind == "identity":  # the equality case
        np.testing.assert_allclose(R, bound, rtol=1e-8, atol=1e-14 * R0)


def test_lemma_8_1_is_tight_for_q_equal_to_lambda_identity() -> None:
    # Q = λI: z − y = e^{−λt}(z₀ − y) exactly, so R = R₀e^{−2λt}: the bound cannot be improved,
    # and a bound with a faster rate (e.g. e^{−3λt}) would fail here.
    lam, y, z0 = 0.7, np.array([1.0, -1.0]), np.array([3.0, 2.0])
    t = np.linspace(0, 5, 11)
    R = risk(preconditioned_flow(random_pd_family(2, lam, "identity"), z0, y, t), y)
    np.testing.assert_allclose(R, lemma_8_1_bound(float(risk(z0, y)), lam, t), rtol=1e-8)
    assert np.all(R[1:] > float(risk(z0, y)) * np.exp(-3 * lam * t[1:]))


@settings(max_examples=8, deadline=None, derandomize=True, database=None)
@given(
    seed=st.integers(0, 2**16),
    n=st.integers(2, 5),
    m=st.sampled_from([4, 8, 12]),
    activation=st.sampled_from(["tanh", "softplus"]),
    alpha=st.floats(0.3, 5.0),
)
def test_lemma_8_2_holds_along_network_gradient_flows(seed, n, m, activation, alpha) -> None:
    """With λ, λ₁ the extreme eigenvalues of α²J_tJ_tᵀ measured along w(t), every stored distance
    is within the time-dependent bound, hence within the radius (lemma_8_2_sweep's ratios)."""
    net, X, y = smooth_problem(n=n, d=3, m=m, activation=activation, seed=seed)
    sweep = lemma_8_2_sweep(net, X, y, [alpha], horizon=6.0, n_times=13)
    assert sweep.path_ratio_w[0] <= 1 + TOL and sweep.path_ratio_u[0] <= 1 + TOL
    assert sweep.distance_w[0] <= sweep.radius_w[0] * (1 + TOL)
    assert sweep.distance_u[0] <= sweep.radius_u[0] * (1 + TOL)


def smooth_map(rng: np.random.Generator, n: int, p: int, svals: np.ndarray, eps: float):
    """g(v) = B v + ε C tanh(v) with B's singular values ``svals`` and ‖C‖₂ = 1.

    S(v) = B + ε C diag(sech²(v)), and ‖ε C diag(sech²)‖₂ ≤ ε, so by Weyl every singular value
    of S(v) lies in [s_min(B) − ε, s_max(B) + ε] for every v.
    """
    U, _ = np.linalg.qr(rng.standard_normal((n, n)))
    V, _ = np.linalg.qr(rng.standard_normal((p, n)))
    B = U @ np.diag(svals) @ V.T
    C = rng.standard_normal((n, p))
    C /= np.linalg.norm(C, 2)

    def g(v: np.ndarray) -> np.ndarray:
        return B @ v + eps * C @ np.tanh(v)

    def S(v: np.ndarray) -> np.ndarray:
        return B + eps * C * (1 - np.tanh(v) ** 2)

    return g, S


@SETTINGS
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 4),
    extra=st.integers(0, 4),
    spread=st.floats(1.0, 4.0),
    eps_frac=st.floats(0.0, 0.8),
)
def test_lemma_8_2_the_path_stays_within_the_radius(seed, n, extra, spread, eps_frac) -> None:
    rng = np.random.default_rng(seed)
    p = n + extra
    svals = np.sort(rng.uniform(1.0, spread, n))
    eps = eps_frac * svals[0]
    g, S = smooth_map(rng, n, p, svals, eps)
    lam, lam1 = (svals[0] - eps) ** 2, (svals[-1] + eps) ** 2
    v0 = rng.standard_normal(p)
    y = rng.standard_normal(n) * 2
    R0 = float(risk(g(v0), y))
    horizon = np.log(1e6) / (2 * lam)
    t = np.linspace(0, horizon, 50)
    sol = solve_ivp(
        lambda s, v: -S(v).T @ (g(v) - y), (0, horizon), v0, method="DOP853", t_eval=t, rtol=1e-10, atol=1e-14
    )
    assert sol.success
    dist = np.linalg.norm(sol.y.T - v0, axis=1)
    radius = lemma_8_2_radius(lam, lam1, R0)
    assert radius == pytest.approx(np.sqrt(lam1) / lam * np.linalg.norm(g(v0) - y), rel=1e-12)
    assert np.all(dist <= radius * (1 + TOL))
    assert np.all(dist <= lemma_8_2_path_bound(lam, lam1, R0, t) * (1 + TOL) + 1e-12)
    # Lemma 8.1 applies to g(v(t)) with Q = S Sᵀ ⪰ λI (the lemma's proof):
    R = np.array([risk(g(v), y) for v in sol.y.T])
    # At n = 1, eps = 0 the bound is an equality, so the comparison is only as good as the solver:
    # an error dv in v moves R by at most |r| * |S| * |dv| (first order), with |dv| within about ten
    # times the requested tolerances (global error).
    dv = 10 * (1e-10 * np.abs(sol.y).max() + 1e-14 * np.sqrt(p))
    solver = np.sqrt(2 * R) * (svals[-1] + eps) * dv
    assert np.all(R <= lemma_8_1_bound(R0, lam, t) * (1 + TOL) + solver)


def test_lemma_8_2_is_tight_when_all_singular_values_are_equal() -> None:
    # g linear with S = s·(orthonormal rows): v(∞) − v₀ = −Sᵀ(SSᵀ)⁻¹r₀ has norm ‖r₀‖/s = √λ₁/λ‖r₀‖.
    rng = np.random.default_rng(0)
    g, S = smooth_map(rng, 3, 5, np.full(3, 2.0), 0.0)
    v0, y = rng.standard_normal(5), rng.standard_normal(3)
    sol = solve_ivp(lambda s, v: -S(v).T @ (g(v) - y), (0, 12), v0, rtol=1e-11, atol=1e-13)
    dist = np.linalg.norm(sol.y[:, -1] - v0)
    assert dist == pytest.approx(lemma_8_2_radius(4.0, 4.0, float(risk(g(v0), y))), rel=1e-6)
