"""Tests of lazylib.case_study: quadrature limits, the width condition, the Theorem 8.1 checks."""

import numpy as np
import pytest
from factories import SIGMA, explicit_forward, explicit_jacobian, explicit_risk, make_problem
from scipy import integrate

from lazylib import ShallowNet, case_study, gradient_flow, sphere, theorem_8_1
from lazylib.case_study import (
    TheoremCheck,
    check_theorem_8_1,
    expected_ntk,
    expected_output_mean,
    expected_output_moment,
    expected_risk0,
    finite_difference_jacobian,
    initial_risk_samples,
    minimal_width,
    predicted_minimal_width,
    width_condition_factors,
    width_condition_path,
    width_sweep,
)
from lazylib.fitting import fit_decay_rate


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


def _width_grid(m_start: int, per_octave: int, m_max: int) -> list[int]:
    """minimal_width's geometric grid m_start·2^{k/per_octave}, rounded, without repeats."""
    grid: list[int] = []
    k = 0
    while (m := round(m_start * 2.0 ** (k / per_octave))) <= m_max:
        if not grid or m > grid[-1]:
            grid.append(m)
        k += 1
    return grid


def test_minimal_width_is_the_first_grid_width_that_meets_the_threshold(data):
    """Along the same growing network (same stream, same growth steps), α_min/α ≤ 1 first at m*."""
    X, y = data
    X2, y2 = X[:2], y[:2]
    m_star = minimal_width(X2, y2, 1.0, rng=0, per_octave=4)
    grid = _width_grid(8, 4, 2**24)
    assert m_star in grid
    upto = grid[: grid.index(m_star) + 1]
    path = width_condition_path(X2, y2, [1.0], upto, rng=0, chunk=8192)
    assert path.ratio[0, -1] <= 1.0 < path.ratio[0, -2]
    assert np.all(path.ratio[0, :-1] > 1.0)
    # the same network checked directly by Theorem 8.1 at m*
    assert minimal_width(X2, y2, 1.0, rng=0, per_octave=4, m_max=upto[-2]) is None
    assert minimal_width(X2, y2, 1.0, rng=0, m_max=8) is None
    # a larger α meets the threshold no later (R₀/α² falls with α: ratio ≈ √(‖f‖²/2 + ‖y‖²/(2α²)))
    assert minimal_width(X2, y2, 50.0, rng=0, per_octave=4) <= m_star


def test_initial_risk_mean(data):
    X, y = data
    samples = initial_risk_samples(X, y, [3.0], 50, n_nets=2000, rng=0)
    assert samples.mean() == pytest.approx(expected_risk0(X, y, 3.0, 50), rel=0.05)
    centred = initial_risk_samples(X, y, [3.0], 50, n_nets=3, rng=0, symmetric=True)
    assert np.allclose(centred, 0.5 * y @ y)


def test_width_sweep_replays_explicit_singular_values(data):
    """σ_min, σ_max from the SVD of the materialised Jacobian of each network of the stream."""
    X, _ = data
    X = X[:4]
    sweep = width_sweep(X, [3, 7], activation="softplus", n_nets=2, rng=5)
    K = expected_ntk(X, "softplus")
    np.testing.assert_allclose(sweep.limit, K, rtol=1e-14)
    np.testing.assert_array_equal(sweep.widths, [3, 7])
    rng = np.random.default_rng(5)
    for s in range(2):
        for k, m in enumerate([3, 7]):
            net = ShallowNet.random(m, 4, "softplus", rng=rng)
            J = explicit_jacobian(net, X)
            sv = np.linalg.svd(J, compute_uv=False)  # p = 4m ≥ n = 4: σ_min is the 4th
            assert sweep.sigma_max[s, k] == pytest.approx(sv[0], rel=1e-10)
            assert sweep.sigma_min[s, k] == pytest.approx(sv[3], rel=1e-8)
            assert sweep.gram_deviation[s, k] == pytest.approx(np.max(np.abs(J @ J.T / m - K)), rel=1e-10)


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


# ---------------------------------------------------------------------------------------------
# Pins against independent computations
# ---------------------------------------------------------------------------------------------
def test_expected_ntk_relu_is_the_arc_cosine_kernel(data):
    """σ' = 1[z > 0]: E[1[vᵀx>0]1[vᵀx'>0]] = (π − θ)/(2π), so K = xᵀx'(π − θ)/(2π) (closed form)."""
    X, _ = data
    X = X[:3] * np.array([[1.0], [2.0], [0.5]])
    K = expected_ntk(X, "relu")
    norms = np.linalg.norm(X, axis=1)
    theta = np.arccos(np.clip(X @ X.T / np.outer(norms, norms), -1, 1))
    np.testing.assert_allclose(K, X @ X.T * (np.pi - theta) / (2 * np.pi), rtol=1e-12, atol=1e-15)
    # and the probability itself by Monte Carlo (independent of the formula)
    G = np.random.default_rng(5).standard_normal((400_000, X.shape[1]))
    P = G @ X.T > 0
    freq = P.T.astype(float) @ P / len(G)  # standard error <= 8e-4
    np.testing.assert_allclose((np.pi - theta) / (2 * np.pi), freq, atol=4e-3)


def test_expected_ntk_off_diagonal_by_dblquad():
    x1, x2 = np.array([1.0, 0.0]), np.array([0.6, 1.2])  # unequal norms, angle ≈ 63°
    K = expected_ntk(np.array([x1, x2]), "tanh")
    dsigma = SIGMA["tanh"][1]

    def integrand(v2: float, v1: float) -> float:
        v = np.array([v1, v2])
        return dsigma(v @ x1) * dsigma(v @ x2) * np.exp(-0.5 * v @ v) / (2 * np.pi)

    exact = x1 @ x2 * integrate.dblquad(integrand, -9, 9, -9, 9, epsabs=1e-12)[0]
    assert K[0, 1] == pytest.approx(exact, rel=1e-8) and K[1, 0] == K[0, 1]


@pytest.mark.parametrize("activation", ["tanh", "softplus", "relu"])
def test_expected_output_moment_by_quad(activation):
    X = np.array([[0.3, 0.4], [1.0, -2.0]])
    sigma = SIGMA[activation][0]
    for i, x in enumerate(X):
        a = np.linalg.norm(x)
        density = lambda z, a=a: sigma(a * z) ** 2 * np.exp(-0.5 * z * z) / np.sqrt(2 * np.pi)  # noqa: E731
        exact = integrate.quad(density, -12, 12)[0]
        tol = 1e-3 if activation == "relu" else 1e-10  # the kink of relu² at 0 is integrated by trapezoids
        assert expected_output_moment(X, activation)[i] == pytest.approx(exact, rel=tol)
    if activation == "relu":  # E relu(vᵀx)² = ‖x‖²/2
        np.testing.assert_allclose(expected_output_moment(X, "relu"), [0.125, 2.5], rtol=1e-3)


def test_expected_risk0_closed_form_for_relu(data):
    X, y = data
    # E R₀ = ½‖y‖² + (α²m/2) Σ_i E relu(vᵀx_i)² = ½‖y‖² + α² m Σ_i ‖x_i‖²/4
    got = expected_risk0(X, y, np.array([0.5, 2.0]), 30, "relu")
    exact = 0.5 * y @ y + np.array([0.25, 4.0]) * 30 * np.sum(X**2) / 4
    np.testing.assert_allclose(got, exact, rtol=1e-3)
    assert np.shape(expected_risk0(X, y, 1.0, 3)) == ()


def test_initial_risk_samples_replay_the_drawn_networks(data):
    """One block: W (S, m, d) then signs (S, m) from the stream; R₀ summed by explicit loops."""
    X, y = data
    alphas = np.array([0.3, 2.0])
    samples = initial_risk_samples(X, y, alphas, 5, "softplus", n_nets=3, rng=8)
    rng = np.random.default_rng(8)
    W = rng.standard_normal((3, 5, 4))
    s = rng.choice([-1.0, 1.0], size=(3, 5))
    for k in range(3):
        f = explicit_forward(W[k], s[k], X, "softplus")
        for a, alpha in enumerate(alphas):
            assert samples[k, a] == pytest.approx(explicit_risk(alpha * f, y), rel=1e-12)


def test_initial_risk_samples_replay_the_stream_block_by_block(data):
    """Wide nets are drawn in blocks of 2²² // (n m) nets, W then signs per block: 7 nets as 3, 3, 1."""
    X, y = data
    m = 2**22 // (3 * X.shape[0])  # block = 3 nets
    samples = initial_risk_samples(X, y, [0.5], m, "tanh", n_nets=7, rng=4)
    rng = np.random.default_rng(4)
    expected = []
    for k in (3, 3, 1):
        W = rng.standard_normal((k, m, X.shape[1]))
        s = rng.choice([-1.0, 1.0], size=(k, m))
        for i in range(k):
            expected.append(explicit_risk(0.5 * (s[i] @ np.tanh(W[i] @ X.T)), y))
    np.testing.assert_allclose(samples[:, 0], expected, rtol=1e-9)


def test_ratio_is_infinite_only_where_a_zero_bound_is_exceeded():
    got = case_study._ratio([0.0, 0.5, 2.0, 3.0, 1.0], [0.0, 0.0, 0.0, 2.0, 4.0])
    np.testing.assert_array_equal(got, [0.0, np.inf, np.inf, 1.5, 0.25])


def test_initial_risk_mean_within_its_monte_carlo_error(data):
    X, y = data
    samples = initial_risk_samples(X, y, [3.0], 50, n_nets=2000, rng=0)[:, 0]
    se = samples.std(ddof=1) / np.sqrt(samples.size)
    assert abs(samples.mean() - expected_risk0(X, y, 3.0, 50)) < 4 * se


def test_width_path_singular_values_and_risk_against_the_grown_network(data):
    X, y = data
    path = width_condition_path(X, y, [0.5, 3.0], [4, 9], rng=2, chunk=3, lipschitz="frobenius")
    rng = np.random.default_rng(2)
    W, s = np.empty((0, 4)), np.empty(0)
    for m, chunks in ((4, (3, 1)), (9, (3, 2))):  # growth in blocks of at most `chunk` neurons
        for k in chunks:
            W = np.concatenate([W, rng.standard_normal((k, 4))])
            s = np.concatenate([s, rng.choice([-1.0, 1.0], size=k)])
        net = ShallowNet(W, s, "tanh")
        sv = np.linalg.svd(explicit_jacobian(net, X), compute_uv=False)
        col = [4, 9].index(m)
        assert path.sigma_max[col] == pytest.approx(sv[0], rel=1e-10)
        assert path.sigma_min[col] == pytest.approx(sv[5], rel=1e-8)
        for a, alpha in enumerate([0.5, 3.0]):
            R0 = explicit_risk(alpha * explicit_forward(W, s, X, "tanh"), y)
            assert path.risk0[a, col] == pytest.approx(R0, rel=1e-12)
            ratio = path.beta * np.sqrt(1152 * sv[0] ** 2 * R0) / (alpha * sv[5] ** 3)
            assert path.ratio[a, col] == pytest.approx(ratio, rel=1e-8)


def test_check_theorem_8_1_fields_against_the_flows():
    net, X, y = make_problem(n=4, d=3, m=6, seed=3)
    th = theorem_8_1(net, X, y, 2.0)
    t = np.array([0.0, 0.1, 0.5]) / th.rate
    check = check_theorem_8_1(net, X, y, 2.0, t)
    np.testing.assert_array_equal(check.t, t)
    bound = th.risk0 * np.exp(-0.5 * 4.0 * th.sigma_min**2 * t)
    np.testing.assert_allclose(check.risk_bound, bound, rtol=1e-12)
    w = gradient_flow(net, X, y, 2.0, t)
    u = gradient_flow(net, X, y, 2.0, t, linearized=True)
    np.testing.assert_allclose(check.nonlinear.risk, w.risk, rtol=1e-12)
    np.testing.assert_allclose(check.linearized.risk, u.risk, rtol=1e-12)
    for k, W in enumerate(w.weights):
        sv = np.linalg.svd(explicit_jacobian(net, X, W), compute_uv=False)
        assert check.sigma_max_path[k] == pytest.approx(sv[0], rel=1e-10)
        assert check.sigma_min_path[k] == pytest.approx(sv[3], rel=1e-8)
    ratios = check.ratios()
    np.testing.assert_allclose(ratios["risk w"], w.risk / check.risk_bound, rtol=1e-12)
    np.testing.assert_allclose(ratios["risk u"], u.risk / check.risk_bound, rtol=1e-12)
    np.testing.assert_allclose(ratios["distance w"], w.distance / th.radius, rtol=1e-12)
    np.testing.assert_allclose(ratios["distance u"], u.distance / th.radius, rtol=1e-12)
    slacks = check.slacks(t[1])
    for name, r in ratios.items():
        assert slacks[name] == pytest.approx(1.0 - r[1:].max(), rel=1e-12)


def _check_with_ratios(risk_w, risk_u, dist_w, dist_u) -> TheoremCheck:
    """A TheoremCheck whose four ratios are the given arrays (bound 1, radius 1)."""
    from lazylib.flows import Trajectory
    from lazylib.theory import Theorem81

    th = Theorem81(sigma_min=1.0, sigma_max=1.0, beta=1.0, risk0=1.0, alpha=1.0)
    t = np.array([0.0, 1.0])
    radius = th.radius
    bound = th.risk_bound(t)

    def traj(risk, dist):
        return Trajectory(
            t=t,
            risk=np.asarray(risk) * bound,
            distance=np.asarray(dist) * radius,
            predictions=np.zeros((2, 1)),
            weights=None,
            linearized=False,
            method="x",
        )

    return TheoremCheck(
        theorem=th,
        nonlinear=traj(risk_w, dist_w),
        linearized=traj(risk_u, dist_u),
        risk_bound=bound,
        sigma_min_path=np.ones(2),
        sigma_max_path=np.ones(2),
    )


def test_holds_is_every_ratio_at_most_one_up_to_rtol():
    ok = _check_with_ratios([1.0, 0.5], [1.0, 0.2], [0.0, 1.0], [0.0, 0.3])
    assert ok.holds()
    for bad in range(4):
        arrays = [[1.0, 0.5], [1.0, 0.2], [0.0, 1.0], [0.0, 0.3]]
        arrays[bad] = [arrays[bad][0], 1.0 + 1e-6]
        assert not _check_with_ratios(*arrays).holds()
        assert _check_with_ratios(*arrays).holds(rtol=1e-5)


def test_fit_decay_rate_recovers_the_late_exponential():
    t = np.linspace(0.0, 10.0, 101)
    risk = 2.0 * np.exp(-0.7 * t) + 5.0 * np.exp(-3.0 * t)  # the fast mode is gone after t ≈ 5
    assert fit_decay_rate(t, risk, start=0.6) == pytest.approx(0.7, rel=1e-6)
    assert fit_decay_rate(t, 3.0 * np.exp(-1.3 * t), start=0.0) == pytest.approx(1.3, rel=1e-12)
    assert fit_decay_rate(t, risk, start=0.0) > 0.73  # the window matters
    with pytest.raises(ValueError, match="positive"):
        fit_decay_rate(t, np.where(t > 8, 0.0, risk), start=0.9)


# ---------------------------------------------------------------------------------------------
# Killing the survivors of the mutation run (benchmarks/mutation.md)
# ---------------------------------------------------------------------------------------------
def test_expected_output_mean_defaults_to_tanh_and_vanishes_for_it(data):
    X, _ = data
    np.testing.assert_array_equal(expected_output_mean(X), expected_output_mean(X, "tanh"))
    np.testing.assert_allclose(expected_output_mean(X), 0.0, atol=1e-15)  # tanh is odd


def test_minimal_width_defaults_and_the_m_max_edge(data):
    X, y = data
    X2, y2 = X[:2], y[:2]
    m_star = minimal_width(X2, y2, 1.0, rng=0)
    assert m_star == minimal_width(X2, y2, 1.0, rng=0, per_octave=16, m_start=8)
    assert m_star in _width_grid(8, 16, 2**24)
    assert minimal_width(X2, y2, 1.0, rng=0, m_max=m_star) == m_star  # m* itself is allowed


def test_width_factors_follow_the_activation(data):
    X, _ = data
    f = width_condition_factors(X, "softplus")
    eig = np.linalg.eigvalsh(expected_ntk(X, "softplus"))
    assert f.lam_min == pytest.approx(eig[0], rel=1e-12) and f.lam_max == pytest.approx(eig[-1], rel=1e-12)
    assert f.M == pytest.approx(0.5 * expected_output_moment(X, "softplus").sum(), rel=1e-12)
    assert predicted_minimal_width(X, "softplus") == pytest.approx(f.m_star(), rel=1e-12)
    assert predicted_minimal_width(X, "softplus") != pytest.approx(predicted_minimal_width(X), rel=1e-3)


def test_risk_ratio_in_logarithms_where_the_bound_underflows():
    """Bound R₀e^{−rate·t} = 0 in float64 at t = 1500 (rate 1/2): the ratio is computed in logs."""
    from lazylib.flows import Trajectory
    from lazylib.theory import Theorem81

    th = Theorem81(sigma_min=1.0, sigma_max=1.0, beta=1.0, risk0=2.0, alpha=1.0)
    t = np.array([0.0, 1500.0])
    bound = th.risk_bound(t)
    assert bound[1] == 0.0

    def traj(risk):
        return Trajectory(
            t=t,
            risk=np.asarray(risk),
            distance=np.zeros(2),
            predictions=np.zeros((2, 1)),
            weights=None,
            linearized=False,
            method="x",
        )

    check = TheoremCheck(
        theorem=th,
        nonlinear=traj([2.0, 1e-320]),
        linearized=traj([2.0, 0.0]),
        risk_bound=bound,
        sigma_min_path=np.ones(2),
        sigma_max_path=np.ones(2),
    )
    ratios = check.ratios()
    expected = np.exp(np.log(1e-320) - np.log(2.0) + 0.5 * 1500.0)
    assert ratios["risk w"][1] == pytest.approx(expected, rel=1e-9)
    assert ratios["risk u"][1] == 0.0  # a flow at rest under a vanished bound: ratio 0, no warning


def test_holds_accepts_a_ratio_of_exactly_one_at_zero_tolerance():
    assert _check_with_ratios([1.0, 1.0], [1.0, 0.2], [0.0, 1.0], [0.0, 0.3]).holds(rtol=0.0)


def test_centred_risk_samples_over_several_blocks(data):
    X, y = data
    # n·m = 6·2²⁰ > 2²²: one seed per block, five blocks, no network drawn (f(·; W₀) ≡ 0). Freed
    # junk of the size of the (5, 6) buffer first, so that a block left unwritten would not read 0.
    for _ in range(8):
        junk = np.full((5, 6), 7.0)
        del junk
    samples = initial_risk_samples(X, y, [1.0, 9.0], 2**20, n_nets=5, rng=0, symmetric=True)
    np.testing.assert_allclose(samples, np.full((5, 2), 0.5 * y @ y), rtol=1e-14)
