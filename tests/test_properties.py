"""Property tests (hypothesis) of Lemmas 8.1 and 8.2 on random smooth problems.

Lemma 8.1: if ż = −Q(t)(z − y) with λ_min(Q(t)) ≥ λ > 0, then R(z(t)) = ½‖z(t) − y‖² ≤ R(z₀)e^{−2λt}.
Lemma 8.2: if v̇ = −S(v)ᵀ(g(v) − y) with S the Jacobian of g and λ ≤ eig(S Sᵀ) ≤ λ₁ along the
path, then ‖v(t) − v₀‖ ≤ √λ₁/λ · ‖g(v₀) − y‖.
Both ODEs are integrated by solve_ivp (DOP853, rtol 1e-10); the only slack in the assertions is
for that integration error: relative 1e-6 (the bounds are attained with equality when Q = λI,
so integration error alone can cross them; a real violation, e.g. a rate off by any constant
factor, is far larger).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp

from lazylib.theory import lemma_8_1_bound, lemma_8_2_radius, risk

SETTINGS = settings(max_examples=25, deadline=None, derandomize=True, database=None)
TOL = 1e-6


def pd_family(rng: np.random.Generator, n: int, k: int, lam: float, amp: float, omega: float):
    """Q(t) = A(t)A(t)ᵀ + λI with A(t) = amp·(A₀ + sin(ωt)A₁ + cos(ωt/3)A₂), smooth in t, ≻ λI."""
    A0, A1, A2 = amp * rng.standard_normal((3, n, k))

    def Q(t: float) -> np.ndarray:
        A = A0 + np.sin(omega * t) * A1 + np.cos(omega * t / 3) * A2
        return A @ A.T + lam * np.eye(n)

    return Q


@SETTINGS
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 5),
    k=st.integers(1, 4),
    lam=st.floats(0.05, 2.0),
    amp=st.floats(0.0, 1.5),
    omega=st.floats(0.0, 6.0),
)
def test_lemma_8_1_risk_never_exceeds_the_exponential_bound(seed, n, k, lam, amp, omega) -> None:
    rng = np.random.default_rng(seed)
    Q = pd_family(rng, n, k, lam, amp, omega)
    y = rng.standard_normal(n)
    z0 = rng.standard_normal(n) * 3
    horizon = np.log(1e6) / (2 * lam)  # until the bound reaches 1e-6·R₀
    t = np.linspace(0, horizon, 60)
    sol = solve_ivp(lambda s, z: -Q(s) @ (z - y), (0, horizon), z0, method="DOP853",
                    t_eval=t, rtol=1e-10, atol=1e-14)
    assert sol.success
    R = risk(sol.y.T, y)
    R0 = float(risk(z0, y))
    bound = lemma_8_1_bound(R0, lam, t)
    assert np.all(R <= bound * (1 + TOL) + 1e-14 * R0)


def test_lemma_8_1_is_tight_for_q_equal_to_lambda_identity() -> None:
    # Q = λI: z − y = e^{−λt}(z₀ − y) exactly, so R = R₀e^{−2λt}: the bound cannot be improved,
    # and a bound with a faster rate (e.g. e^{−3λt}) would fail here.
    lam, y, z0 = 0.7, np.array([1.0, -1.0]), np.array([3.0, 2.0])
    t = np.linspace(0, 5, 11)
    sol = solve_ivp(lambda s, z: -lam * (z - y), (0, 5), z0, t_eval=t, rtol=1e-11, atol=1e-13)
    R = risk(sol.y.T, y)
    np.testing.assert_allclose(R, lemma_8_1_bound(float(risk(z0, y)), lam, t), rtol=1e-8)
    assert np.all(R[1:] > float(risk(z0, y)) * np.exp(-3 * lam * t[1:]))


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
    sol = solve_ivp(lambda s, v: -S(v).T @ (g(v) - y), (0, horizon), v0, method="DOP853",
                    t_eval=t, rtol=1e-10, atol=1e-14)
    assert sol.success
    dist = np.linalg.norm(sol.y.T - v0, axis=1)
    radius = lemma_8_2_radius(lam, lam1, R0)
    assert radius == pytest.approx(np.sqrt(lam1) / lam * np.linalg.norm(g(v0) - y), rel=1e-12)
    assert np.all(dist <= radius * (1 + TOL))
    # Lemma 8.1 applies to g(v(t)) with Q = S Sᵀ ⪰ λI (the lemma's proof):
    R = np.array([risk(g(v), y) for v in sol.y.T])
    assert np.all(R <= lemma_8_1_bound(R0, lam, t) * (1 + TOL) + 1e-14 * R0)


def test_lemma_8_2_is_tight_when_all_singular_values_are_equal() -> None:
    # g linear with S = s·(orthonormal rows): v(∞) − v₀ = −Sᵀ(SSᵀ)⁻¹r₀ has norm ‖r₀‖/s = √λ₁/λ‖r₀‖.
    rng = np.random.default_rng(0)
    g, S = smooth_map(rng, 3, 5, np.full(3, 2.0), 0.0)
    v0, y = rng.standard_normal(5), rng.standard_normal(3)
    sol = solve_ivp(lambda s, v: -S(v).T @ (g(v) - y), (0, 12), v0, rtol=1e-11, atol=1e-13)
    dist = np.linalg.norm(sol.y[:, -1] - v0)
    assert dist == pytest.approx(lemma_8_2_radius(4.0, 4.0, float(risk(g(v0), y))), rel=1e-6)
