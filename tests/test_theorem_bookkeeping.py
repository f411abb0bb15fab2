"""Identities of Theorem 8.1's constants (bookkeeping moved off the Theorem 8.1 page).

They hold by algebra, whatever the network: the lemmas' radius and rate are the theorem's, the
theorem's radius is B/2 exactly at alpha_min, the linearized flow's radius is 1/6 of the theorem's,
and asking radius <= B instead of B/2 halves the threshold (1152 -> 288); and the ratio of the risk
to its bound falls at t = 0 with a slope of at most -3 rates (a Rayleigh quotient), here checked
against the flow.
"""

from __future__ import annotations

import numpy as np
import pytest

from lazylib import ShallowNet, gradient_flow, sphere, theorem_8_1
from lazylib.theory import lemma_8_2_radius, lemma_8_3_bounds


@pytest.mark.parametrize(
    ("act", "seed", "alpha"), [("tanh", 0, 0.3), ("softplus", 1, 7.0), ("tanh", 2, 50.0)]
)
def test_theorem_constants_are_the_lemmas_constants(act: str, seed: int, alpha: float) -> None:
    rng = np.random.default_rng(seed)
    X = sphere(5, 4, rng=rng)
    y = rng.standard_normal(5)
    net = ShallowNet.random(30, 4, act, rng=rng, symmetric=bool(seed % 2))
    th = theorem_8_1(net, X, y, alpha)
    half_min, three_half_max = lemma_8_3_bounds(th.sigma_min, th.sigma_max)
    lam, lam1 = (alpha * half_min) ** 2, (alpha * three_half_max) ** 2
    assert lemma_8_2_radius(lam, lam1, th.risk0) == pytest.approx(th.radius, rel=1e-12)
    assert 2 * lam == pytest.approx(th.rate, rel=1e-12)
    assert th.linear_radius / th.radius == pytest.approx(1 / 6, rel=1e-12)
    assert th.linear_rate / th.rate == pytest.approx(4.0, rel=1e-12)
    # the radius is proportional to 1/alpha (R0 fixed by the net at this alpha): radius = B/2 at
    # alpha_min, radius = B at alpha_min / 2 = sqrt(288/1152) alpha_min
    alpha_half_ball = alpha * th.radius / (th.ball_radius / 2)
    alpha_full_ball = alpha * th.radius / th.ball_radius
    assert alpha_half_ball == pytest.approx(th.alpha_min, rel=1e-12)
    assert alpha_full_ball / alpha_half_ball == pytest.approx(np.sqrt(288 / 1152), rel=1e-12)


def test_radius_is_half_the_ball_at_alpha_min_for_a_centred_net() -> None:
    X = sphere(6, 5, rng=0)
    y = np.linspace(-1, 1, 6)
    net = ShallowNet.random(60, 5, rng=0, symmetric=True)  # R0 = |y|^2/2 whatever alpha
    alpha_min = theorem_8_1(net, X, y, 1.0).alpha_min
    th = theorem_8_1(net, X, y, alpha_min)
    assert th.radius == pytest.approx(th.ball_radius / 2, rel=1e-12)
    assert th.applies


def _initial_slope(net: ShallowNet, X: np.ndarray, y: np.ndarray, alpha: float) -> float:
    """d/dt (risk / Theorem 8.1's risk bound) at t = 0, in units of the rate α²σ_min²/2 (page 03's
    formula): −2α² r₀ᵀJ₀J₀ᵀr₀ / ‖r₀‖² / rate + 1, with r₀ = αf(w₀) − y."""
    th = theorem_8_1(net, X, y, alpha)
    r0 = alpha * net(X) - y
    return float(-2 * alpha**2 * (r0 @ net.ntk(X) @ r0) / (r0 @ r0) / th.rate + 1)


@pytest.mark.parametrize(
    ("act", "seed", "alpha", "bottom"),
    [("tanh", 0, 3.0, False), ("softplus", 1, 0.5, False), ("tanh", 2, 20.0, True)],
)
def test_risk_over_bound_falls_at_least_three_rates_at_t0(
    act: str, seed: int, alpha: float, bottom: bool
) -> None:
    """Page 03: the slope of risk/bound at t = 0 is at most −3 rates for every residual (Rayleigh:
    r₀ᵀJ₀J₀ᵀr₀ ≥ σ_min²‖r₀‖²), −3 exactly when r₀ is the bottom eigenvector of J₀J₀ᵀ. The formula is
    checked against a finite difference of the ODE solve of the network's flow."""
    rng = np.random.default_rng(seed)
    X = sphere(6, 4, rng=rng)
    net = ShallowNet.random(40, 4, act, rng=rng, symmetric=bottom)
    y = rng.standard_normal(6)
    if bottom:  # centred: r₀ = −y, along the bottom eigenvector
        y = np.linalg.eigh(net.ntk(X))[1][:, 0]
    th = theorem_8_1(net, X, y, alpha)
    slope = _initial_slope(net, X, y, alpha)
    h = 1e-5  # in units of 1/rate
    flow = gradient_flow(net, X, y, alpha, np.array([0.0, h, 2 * h]) / th.rate, rtol=1e-12, atol=1e-16)
    ratio = flow.risk / th.risk_bound(flow.t)
    finite_difference = 2 * (ratio[1] - 1) / h - (ratio[2] - 1) / (2 * h)  # O(h²): Richardson
    assert finite_difference == pytest.approx(slope, rel=1e-4)
    if bottom:
        assert slope == pytest.approx(-3.0, rel=1e-9)
    else:
        assert slope < -3.0
