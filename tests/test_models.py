"""ShallowNet: Jacobian vs finite differences, structured NTK vs J Jᵀ, jvp/vjp, centring, immutability."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from lazylib.models import ShallowNet

SHAPES = [(1, 1, 1), (5, 3, 2), (7, 6, 4), (12, 10, 3)]  # (n, m, d)
ACTS = ["tanh", "softplus", "relu"]


def problem(n: int, m: int, d: int, act: str, seed: int = 0, scale: float = 1.0):
    rng = np.random.default_rng(seed)
    net = ShallowNet.random(m, d, act, rng, scale=scale)
    X = rng.standard_normal((n, d))
    return net, X


def fd_jacobian(net: ShallowNet, X: np.ndarray, h: float) -> np.ndarray:
    """Central differences, one weight at a time, in the order of W.ravel()."""
    w = net.W.ravel()
    cols = []
    for k in range(net.p):
        e = np.zeros(net.p)
        e[k] = h
        cols.append((net.with_weights(w + e)(X) - net.with_weights(w - e)(X)) / (2 * h))
    return np.stack(cols, axis=1)


@pytest.mark.parametrize("act", ACTS)
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("scale", [1.0, 0.3])
def test_jacobian_matches_central_differences(act: str, shape: tuple[int, int, int], scale: float) -> None:
    n, m, d = shape
    net, X = problem(n, m, d, act, scale=scale)
    h = 1e-6
    if act == "relu":
        # Away from kinks: a step of size h moves w_jᵀx_i by at most h‖x_i‖; demand a 100× margin.
        margin = np.min(np.abs(X @ net.W.T) / np.linalg.norm(X, axis=1)[:, None])
        assert margin > 100 * h, "seed puts a preactivation on a ReLU kink; pick another seed"
    J = net.jacobian(X)
    assert J.shape == (n, m * d)
    # Central differences: truncation h²·|f'''|·‖x‖³ ≈ 1e-11, round-off ε·|f|/h ≈ 1e-9.
    np.testing.assert_allclose(J, fd_jacobian(net, X, h), rtol=0, atol=1e-7 * max(1.0, np.abs(J).max()))


def test_jacobian_rows_are_neuron_major_kronecker_products() -> None:
    net, X = problem(4, 3, 2, "tanh")
    J = net.jacobian(X)
    D = net.derivative_features(X)
    for i in range(X.shape[0]):
        np.testing.assert_array_equal(J[i], np.kron(D[i], X[i]))
    # Column block j is neuron j's d weights: dJ[i, j*d + k] = scale·s_j σ'(w_jᵀx_i) x_ik.
    j, k = 2, 1
    np.testing.assert_allclose(J[:, j * 2 + k], net.s[j] * (1 - np.tanh(X @ net.W[j]) ** 2) * X[:, k])


@pytest.mark.parametrize("act", ACTS)
@pytest.mark.parametrize("shape", [(5, 3, 2), (30, 40, 7), (50, 8, 20)])
def test_structured_ntk_equals_j_jt(act: str, shape: tuple[int, int, int]) -> None:
    net, X = problem(*shape, act, scale=1 / np.sqrt(shape[1]))
    J = net.jacobian(X)
    K = net.ntk(X)
    assert K.shape == (shape[0], shape[0])
    # Both are sums of the same n·m·d products in a different order: float64 round-off ~1e-15.
    np.testing.assert_allclose(K, J @ J.T, rtol=0, atol=1e-12 * np.abs(K).max())
    np.testing.assert_array_equal(K, K.T)  # symmetric by construction, not merely to round-off


@pytest.mark.parametrize("act", ACTS)
def test_jvp_and_vjp_match_the_materialised_jacobian(act: str) -> None:
    net, X = problem(9, 6, 4, act, seed=3)
    rng = np.random.default_rng(7)
    J = net.jacobian(X)
    V = rng.standard_normal(net.W.shape)
    r = rng.standard_normal(X.shape[0])
    np.testing.assert_allclose(net.jvp(X, V), J @ V.ravel(), rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(net.jvp(X, V.ravel()), J @ V.ravel(), rtol=1e-12, atol=1e-13)
    vjp = net.vjp(X, r)
    assert vjp.shape == net.W.shape
    np.testing.assert_allclose(vjp.ravel(), J.T @ r, rtol=1e-12, atol=1e-13)


def test_forward_matches_the_formula() -> None:
    net, X = problem(6, 5, 3, "softplus", scale=0.5)
    expected = [0.5 * sum(net.s[j] * np.log1p(np.exp(net.W[j] @ x)) for j in range(net.m)) for x in X]
    np.testing.assert_allclose(net(X), expected, rtol=1e-13)


@pytest.mark.parametrize("act", ACTS)
def test_centring_makes_the_initial_network_exactly_zero(act: str) -> None:
    rng = np.random.default_rng(11)
    net = ShallowNet.random(50, 6, act, rng, symmetric=True)
    X = 10.0 * rng.standard_normal((40, 6))
    assert np.all(net(X) == 0.0)  # exact: identical pairs with opposite signs cancel term by term
    half = net.m // 2
    np.testing.assert_array_equal(net.W[:half], net.W[half:])
    np.testing.assert_array_equal(net.s[:half], -net.s[half:])
    # The Jacobian is not zero: centring kills f, not its gradient.
    assert np.abs(net.jacobian(X)).max() > 0.1


def test_random_init_is_standard_normal_with_random_signs_and_seeded() -> None:
    a = ShallowNet.random(4000, 5, rng=1)
    b = ShallowNet.random(4000, 5, rng=np.random.default_rng(1))
    np.testing.assert_array_equal(a.W, b.W)
    assert abs(a.W.mean()) < 0.02 and abs(a.W.std() - 1) < 0.02  # 20000 draws: 5 standard errors
    assert set(np.unique(a.s)) == {-1.0, 1.0} and abs(a.s.mean()) < 0.08


def test_network_is_immutable_and_copies_its_inputs() -> None:
    W = np.ones((3, 2))
    s = np.array([1.0, -1.0, 1.0])
    net = ShallowNet(W, s, "tanh", 2.0)
    W[0, 0] = 5.0
    s[0] = 7.0
    assert net.W[0, 0] == 1.0 and net.s[0] == 1.0
    with pytest.raises(ValueError, match="read-only"):
        net.W[0, 0] = 3.0
    with pytest.raises(ValueError, match="read-only"):
        net.s[1] = 3.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        net.scale = 1.0  # type: ignore[misc]


def test_with_weights_keeps_everything_but_the_weights() -> None:
    net = ShallowNet.random(4, 3, "softplus", rng=2, scale=0.25)
    W1 = np.arange(12.0).reshape(4, 3) / 10
    other = net.with_weights(W1)
    assert other is not net
    np.testing.assert_array_equal(other.W, W1)
    np.testing.assert_array_equal(other.s, net.s)
    assert (other.activation, other.scale) == ("softplus", 0.25)
    np.testing.assert_array_equal(net.with_weights(W1.ravel()).W, W1)  # flat vector accepted
    assert not np.array_equal(net.W, W1)  # the original is untouched
    assert (net.m, net.d, net.p) == (4, 3, 12)
