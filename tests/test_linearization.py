"""Linearization f₀(u) = f(w₀) + J₀(u − w₀) and its error."""

from __future__ import annotations

import numpy as np
import pytest

from lazylib.fitting import fit_power_law
from lazylib.linearization import linearization_error, linearize
from lazylib.models import ShallowNet


def setup(act: str = "tanh", m: int = 8, d: int = 3, n: int = 6, seed: int = 0, scale: float = 1.0):
    rng = np.random.default_rng(seed)
    net = ShallowNet.random(m, d, act, rng, scale=scale)
    X = rng.standard_normal((n, d))
    return net, X, rng


@pytest.mark.parametrize("act", ["tanh", "softplus", "relu"])
def test_linearized_model_is_the_hand_written_taylor_expansion(act: str) -> None:
    net, X, rng = setup(act)
    lin = linearize(net, X)
    U = net.W + 0.3 * rng.standard_normal(net.W.shape)
    # Hand Taylor expansion from a materialised Jacobian and a separate forward pass.
    J0 = net.jacobian(X)
    hand = net(X) + J0 @ (U - net.W).ravel()
    np.testing.assert_allclose(lin(U), hand, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(lin(U.ravel()), hand, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(lin(net.W), net(X))  # exact at the expansion point
    np.testing.assert_allclose(lin.ntk(), J0 @ J0.T, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(lin.jacobian(), J0)
    np.testing.assert_array_equal(lin.w0, net.W)


@pytest.mark.parametrize("act", ["tanh", "softplus"])
def test_linearization_error_is_second_order_for_smooth_activations(act: str) -> None:
    net, X, rng = setup(act, m=20, d=4, n=5, scale=1 / np.sqrt(20))
    V = rng.standard_normal(net.W.shape)
    V /= np.linalg.norm(V)
    eps = np.geomspace(1e-3, 1e-1, 7)
    errs = np.array([np.max(linearization_error(net, net.W + e * V, X)) for e in eps])
    k, _ = fit_power_law(eps, errs)
    # Taylor: error = ½ Σ_j scale·s_j σ''(w_jᵀx)(ε v_jᵀx)² + O(ε³); the cubic term shifts the
    # fitted slope by O(ε) ≲ 0.05 over this range.
    assert k == pytest.approx(2.0, abs=0.05)
    # and the constant is the second-order term itself:
    z = X @ net.W.T
    quad = 0.5 * net.scale * ((net.act.d2sigma(z) * (X @ V.T) ** 2) @ net.s)
    np.testing.assert_allclose(linearization_error(net, net.W + 1e-3 * V, X), np.abs(quad) * 1e-6, rtol=2e-2)


@pytest.mark.parametrize("act", ["tanh", "softplus"])
def test_linearization_error_obeys_the_smoothness_bound(act: str) -> None:
    # |f − f₀| ≤ scale·β₀/2 · Σ_j (δ_jᵀx)² ≤ scale·β₀‖x‖²/2 · ‖W − W₀‖_F² (Recall section).
    net, X, rng = setup(act, m=50, d=3, n=8, scale=1 / np.sqrt(50))
    for size in [0.01, 0.3, 3.0]:
        delta = rng.standard_normal(net.W.shape)
        delta *= size / np.linalg.norm(delta)
        err = linearization_error(net, net.W + delta, X)
        bound = net.scale * net.act.beta0 * np.sum(X * X, axis=1) / 2 * size**2
        assert np.all(err <= bound * (1 + 1e-12))
        assert np.max(err / bound) > 1e-3  # the bound is not vacuous by orders of magnitude


def test_relu_linearization_error_vanishes_without_sign_flips() -> None:
    # ReLU is piecewise linear: if no preactivation changes sign, f = f₀ exactly (up to round-off).
    net, X, rng = setup("relu", m=10, d=3, n=4)
    z = X @ net.W.T
    delta = rng.standard_normal(net.W.shape)
    delta *= 0.5 * np.min(np.abs(z)) / (np.linalg.norm(delta) * np.max(np.linalg.norm(X, axis=1)))
    assert np.max(linearization_error(net, net.W + delta, X)) < 1e-13
    assert np.max(linearization_error(net, net.W + 5 * net.W, X)) == pytest.approx(0, abs=1e-12)  # scaling w
