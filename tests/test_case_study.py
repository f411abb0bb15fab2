"""Tests of lazylib.case_study: quadrature limits, the width condition, the Theorem 8.1 checks."""

import numpy as np
import pytest

from lazylib import ShallowNet, sphere, theorem_8_1
from lazylib.case_study import (
    check_theorem_8_1,
    expected_ntk,
    expected_output_mean,
    expected_output_moment,
    expected_risk0,
    finite_difference_jacobian,
    fit_decay_rate,
    initial_risk_samples,
    minimal_width,
    predicted_minimal_width,
    width_condition_factors,
    width_condition_path,
    width_sweep,
)


@pytest.fixture
def data():
    X = sphere(6, 4, rng=0)
    return X, np.linspace(-1.0, 1.0, 6)


@pytest.mark.parametrize("activation", ["tanh", "softplus"])
def test_expected_ntk_matches_monte_carlo(data, activation):
    X, _ = data
    V = np.random.default_rng(0).standard_normal((200_000, X.shape[1]))
    net = ShallowNet(V, np.ones(len(V)), activation)
    assert np.allclose(expected_ntk(X, activation), net.ntk(X) / len(V), atol=3e-3)
    moment = np.mean(net.act.sigma(X @ V.T) ** 2, axis=1)
    assert np.allclose(expected_output_moment(X, activation), moment, rtol=1e-2)


def test_expected_ntk_diagonal_closed_form():
    # For a unit input, K_ii = E[sech^4(Z)]; compare with a fine 1-d trapezoid sum.
    z = np.linspace(-12, 12, 200_001)
    exact = np.trapezoid((1 - np.tanh(z) ** 2) ** 2 * np.exp(-(z**2) / 2) / np.sqrt(2 * np.pi), z)
    K = expected_ntk(np.array([[1.0, 0.0]]))
    assert K[0, 0] == pytest.approx(exact, rel=1e-10)


def test_finite_difference_jacobian(data):
    X, _ = data
    net = ShallowNet.random(5, 4, rng=1)
    assert np.allclose(finite_difference_jacobian(net, X), net.jacobian(X), atol=1e-8)


def test_width_path_matches_theorem_on_explicit_net(data):
    X, y = data
    path = width_condition_path(X, y, [10.0], [10, 20, 40], rng=3, lipschitz="frobenius")
    rng = np.random.default_rng(3)
    parts = [(rng.standard_normal((k, 4)), rng.choice([-1.0, 1.0], size=k)) for k in (10, 10, 20)]
    net = ShallowNet(np.concatenate([w for w, _ in parts]), np.concatenate([s for _, s in parts]))
    th = theorem_8_1(net, X, y, 10.0)
    assert path.ratio[0, -1] == pytest.approx(th.alpha_min / th.alpha, rel=1e-10)
    # the default uses the operator-norm β: the same ratio scaled by beta_op / beta_frobenius
    sharp = width_condition_path(X, y, [10.0], [10, 20, 40], rng=3)
    row_sq = np.sum(X**2, axis=1)
    beta_op = min(np.linalg.norm(X, 2) * np.sqrt(row_sq.max()), np.sqrt(np.sum(row_sq**2)))
    assert sharp.beta == pytest.approx(net.act.beta0 * beta_op, rel=1e-12)
    assert sharp.ratio[0, -1] == pytest.approx(path.ratio[0, -1] * sharp.beta / path.beta, rel=1e-12)
    with pytest.raises(ValueError, match="lipschitz"):
        width_condition_path(X, y, [10.0], [10], lipschitz="spectral")


def test_width_path_centred_is_one_over_alpha(data):
    X, y = data
    path = width_condition_path(X, y, [1.0, 4.0], [20, 40, 80], rng=0, symmetric=True)
    assert np.allclose(path.risk0, 0.5 * y @ y)
    assert np.allclose(path.ratio[1] * 4.0, path.ratio[0])


def test_minimal_width_meets_threshold(data):
    X, y = data
    X2, y2 = X[:2], y[:2]
    m_star = minimal_width(X2, y2, 1.0, rng=0, per_octave=4)
    assert m_star is not None
    assert minimal_width(X2, y2, 1.0, rng=0, m_max=8) is None


def test_initial_risk_mean(data):
    X, y = data
    samples = initial_risk_samples(X, y, [3.0], 50, n_seeds=2000, rng=0)
    assert samples.mean() == pytest.approx(expected_risk0(X, y, 3.0, 50), rel=0.05)
    centred = initial_risk_samples(X, y, [3.0], 50, n_seeds=3, rng=0, symmetric=True)
    assert np.allclose(centred, 0.5 * y @ y)


def test_width_sweep_shapes(data):
    X, _ = data
    sweep = width_sweep(X, [50, 100], n_seeds=2, rng=0)
    assert sweep.sigma_min.shape == (2, 2) and np.all(sweep.sigma_min < sweep.sigma_max)


def test_check_theorem_holds_at_threshold(data):
    X, y = data
    net = ShallowNet.random(200, 4, rng=0, symmetric=True)
    alpha = theorem_8_1(net, X, y, 1.0).alpha_min
    th = theorem_8_1(net, X, y, alpha)
    check = check_theorem_8_1(net, X, y, alpha, np.linspace(0, 4 / th.rate, 41))
    assert check.holds()
    assert fit_decay_rate(check.t, check.linearized.risk) == pytest.approx(th.linear_rate, rel=0.05)


@pytest.mark.parametrize(
    ("call", "word"),
    [
        (lambda X, y: expected_ntk(X[:, :, None]), "X"),
        (lambda X, y: expected_risk0(X, y, -1.0, 10), "alpha"),
        (lambda X, y: width_condition_path(X, y, [1.0], [20, 10]), "widths"),
        (lambda X, y: width_condition_path(X, y, [1.0], [11], symmetric=True), "even"),
        (lambda X, y: minimal_width(X, y, 0.0), "alpha"),
        (lambda X, y: fit_decay_rate([0.0, 1.0], [1.0, 0.5], start=1.5), "start"),
        (lambda X, y: initial_risk_samples(X, y[:3], [1.0], 10), "y"),
    ],
)
def test_bad_input(data, call, word):
    X, y = data
    with pytest.raises(ValueError, match=word):
        call(X, y)


def test_width_condition_factors_against_direct_formulas(data):
    X, _ = data
    f = width_condition_factors(X)
    eig = np.linalg.eigvalsh(expected_ntk(X))
    row_sq = np.sum(X**2, axis=1)
    beta0 = 4 / (3 * np.sqrt(3))
    assert f.n == X.shape[0] and f.lam_min == pytest.approx(eig[0]) and f.lam_max == pytest.approx(eig[-1])
    assert f.beta_frobenius == pytest.approx(beta0 * np.sqrt(np.sum(row_sq**2)), rel=1e-12)
    assert f.beta_op == pytest.approx(
        beta0 * min(np.linalg.norm(X, 2) * np.sqrt(row_sq.max()), np.sqrt(np.sum(row_sq**2))), rel=1e-12
    )
    assert f.M == pytest.approx(0.5 * expected_output_moment(X).sum(), rel=1e-12)
    for lip, beta in (("operator", f.beta_op), ("frobenius", f.beta_frobenius)):
        expected = 1152 * beta**2 * eig[-1] * f.M / eig[0] ** 3
        assert predicted_minimal_width(X, lipschitz=lip) == pytest.approx(expected, rel=1e-10)
    with pytest.raises(ValueError, match="lipschitz"):
        f.m_star("spectral")


def test_expected_output_mean_against_scipy_quad() -> None:
    from scipy.integrate import quad

    X = np.array([[1.0, 0.0], [0.0, 2.0]])
    for act, sigma in (("softplus", lambda z: np.logaddexp(0.0, z)), ("tanh", np.tanh)):
        for i, a in enumerate((1.0, 2.0)):
            def integrand(z, a=a, sigma=sigma):
                return sigma(a * z) * np.exp(-z * z / 2) / np.sqrt(2 * np.pi)

            exact = quad(integrand, -np.inf, np.inf)[0]
            assert expected_output_mean(X, act)[i] == pytest.approx(exact, abs=1e-10)
    assert expected_output_mean(X[:1], "softplus")[0] == pytest.approx(0.806, abs=5e-4)


def test_slacks_are_taken_after_t_min():
    X = sphere(4, 5, rng=0)
    y = np.array([0.5, -0.3, 0.2, 0.4])
    net = ShallowNet.random(100, 5, rng=0, symmetric=True)
    th = theorem_8_1(net, X, y, 1.0)
    t = np.linspace(0.0, 3.0, 31) / th.rate
    check = check_theorem_8_1(net, X, y, 1.0, t)
    ratios = check.ratios()
    slack = check.slacks(t[10])
    for name, r in ratios.items():
        assert slack[name] == pytest.approx(1.0 - r[10:].max(), rel=1e-12)
    # the risk ratio starts at 1 and falls: the first grid step sets any maximum over t > 0
    assert ratios["risk w"][0] == pytest.approx(1.0) and ratios["risk w"][1] == ratios["risk w"][1:].max()
    with pytest.raises(ValueError, match="t_min"):
        check.slacks(0.0)
    with pytest.raises(ValueError, match="t_min"):
        check.slacks(2 * t[-1])
