"""The operator-norm Lipschitz bound of the shallow net's Jacobian (case-study page), brute force."""

from __future__ import annotations

import numpy as np
import pytest

from lazylib.activations import NotSmoothError
from lazylib.data import sphere
from lazylib.models import ShallowNet
from lazylib.theory import jacobian_lipschitz_bound, jacobian_lipschitz_bound_op


def _pairs(net: ShallowNet, X: np.ndarray, rng: np.random.Generator, k: int):
    """Random pairs (w, v), half of them adversarial: every neuron steps along one input."""
    for i in range(k):
        w = net.W + rng.standard_normal(net.W.shape) * rng.uniform(0.01, 3.0)
        if i % 2:
            x = X[rng.integers(X.shape[0])]
            v = w + np.outer(rng.standard_normal(net.m) * rng.uniform(1e-3, 1.0), x)
        else:
            v = w + rng.standard_normal(net.W.shape) * rng.uniform(1e-3, 1.0)
        yield w, v


@pytest.mark.parametrize("act", ["tanh", "softplus"])
@pytest.mark.parametrize("scale", [1.0, 0.3])
def test_operator_bound_holds_on_materialised_jacobians(act: str, scale: float) -> None:
    rng = np.random.default_rng(0)
    X = rng.standard_normal((7, 4)) * rng.uniform(0.3, 2.0, size=(7, 1))  # unequal norms
    net = ShallowNet.random(9, 4, act, rng=1, scale=scale)
    beta_op = jacobian_lipschitz_bound_op(net, X)
    beta_f = jacobian_lipschitz_bound(net, X)
    # independent evaluation of the formula: largest singular value of X, largest row norm
    expected = scale * net.act.beta0 * np.linalg.svd(X, compute_uv=False)[0] * max(np.linalg.norm(X, axis=1))
    assert beta_op == pytest.approx(expected, rel=1e-12)
    for w, v in _pairs(net, X, rng, 60):
        diff = net.with_weights(w).jacobian(X) - net.with_weights(v).jacobian(X)
        step = np.linalg.norm(w - v)
        assert np.linalg.norm(diff, 2) <= beta_op * step * (1 + 1e-12)
        assert np.linalg.norm(diff, "fro") <= beta_f * step * (1 + 1e-12)  # the slide's bound


def test_operator_bound_is_sharper_for_unit_inputs_and_not_always() -> None:
    net = ShallowNet.random(3, 20, "tanh", rng=0)
    for n in (2, 5, 12):
        X = sphere(n, 20, rng=n)
        op, fro = jacobian_lipschitz_bound_op(net, X), jacobian_lipschitz_bound(net, X)
        assert op <= fro * (1 + 1e-12)
        assert fro == pytest.approx(net.act.beta0 * np.sqrt(n), rel=1e-12)
    assert jacobian_lipschitz_bound_op(net, sphere(12, 20, rng=3)) < 0.6 * jacobian_lipschitz_bound(
        net, sphere(12, 20, rng=3)
    )
    # two parallel inputs of very different norms: the Frobenius bound is the smaller one
    X = np.zeros((2, 20))
    X[0, 0], X[1, 0] = 1.0, 0.1
    assert jacobian_lipschitz_bound_op(net, X) > jacobian_lipschitz_bound(net, X)


def test_operator_bound_is_attained_in_the_limit() -> None:
    # n = 1, every neuron at the point of maximal |tanh''| and stepping along x: ratio -> β₀‖x‖².
    x = np.array([[0.0, 2.0, 0.0]])
    z_star = np.arctanh(1 / np.sqrt(3)) / 2.0
    W = np.tile([0.4, z_star, -0.7], (5, 1))
    net = ShallowNet(W, np.ones(5))
    eps = 1e-6
    diff = net.jacobian(x) - net.with_weights(W + eps * x / 2.0).jacobian(x)
    ratio = np.linalg.norm(diff, 2) / (eps * np.sqrt(5))
    assert ratio == pytest.approx(jacobian_lipschitz_bound_op(net, x), rel=1e-4)


def test_operator_bound_rejects_bad_input() -> None:
    X = sphere(4, 3, rng=0)
    with pytest.raises(NotSmoothError):
        jacobian_lipschitz_bound_op(ShallowNet.random(5, 3, "relu", rng=0), X)
    bad = X.copy()
    bad[0, 0] = np.nan
    with pytest.raises(ValueError, match="X"):
        jacobian_lipschitz_bound_op(ShallowNet.random(5, 3, "tanh", rng=0), bad)
    with pytest.raises(ValueError):
        jacobian_lipschitz_bound_op(ShallowNet.random(5, 3, "tanh", rng=0), X[:, :2])
