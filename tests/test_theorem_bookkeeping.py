"""Identities of Theorem 8.1's constants (bookkeeping moved off the Theorem 8.1 page).

They hold by algebra, whatever the network: the lemmas' radius and rate are the theorem's, the
theorem's radius is B/2 exactly at alpha_min, the linearized flow's radius is 1/6 of the theorem's,
and asking radius <= B instead of B/2 halves the threshold (1152 -> 288).
"""

from __future__ import annotations

import numpy as np
import pytest

from lazylib import ShallowNet, sphere, theorem_8_1
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
