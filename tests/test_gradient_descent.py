"""lazylib.discrete_time (page 10, Theorem 8.1 for gradient descent) against independent computations:
gradient descent written out with explicit Jacobians, the constants from their formulas, the one-step
remainder measured, eigenvalues of explicit ``J Jᵀ``."""

from __future__ import annotations

import numpy as np
import pytest

from lazylib import ShallowNet, sphere, teacher_student
from lazylib.discrete_time import (
    GDTheorem81,
    check_gd_theorem,
    euler_gap,
    gd_theorem_8_1,
    page_problem,
    smallest_theta,
    step_size_scan,
)
from lazylib.flows import MAX_STEPS, gradient_descent
from lazylib.lazy_active import critical_step
from lazylib.lemmas import kernel_spectra
from lazylib.theory import theorem_8_1


@pytest.fixture(scope="module")
def problem():
    X = sphere(5, 3, rng=0)
    y = np.sin(3 * X[:, 0]) + 0.5 * X[:, 1]
    net = ShallowNet.random(60, 3, "tanh", rng=1, symmetric=True)
    alpha = theorem_8_1(net, X, y, 1.0).alpha_min  # centred: R0 = |y|^2/2 at every alpha
    return net, X, y, alpha


def _explicit_gd(net, X, y, alpha, eta, n_steps, linearized=False):
    """Gradient descent with the Jacobian formed explicitly (independent of flows.gradient_descent)."""
    w0 = net.W.ravel().copy()
    J0 = net.jacobian(X)
    f0 = net(X)
    w = w0.copy()
    risks, dists = [], []
    for _ in range(n_steps + 1):
        if linearized:
            pred, J = alpha * (f0 + J0 @ (w - w0)), J0
        else:
            m = net.with_weights(w)
            pred, J = alpha * m(X), m.jacobian(X)
        r = pred - y
        risks.append(0.5 * r @ r)
        dists.append(np.linalg.norm(w - w0))
        w = w - eta * alpha * J.T @ r
    return np.array(risks), np.array(dists)


def test_constants_from_their_formulas(problem) -> None:
    net, X, y, alpha = problem
    for theta in (0.5, 0.2, 0.9):
        gd = gd_theorem_8_1(net, X, y, 2 * alpha, theta)
        th = theorem_8_1(net, X, y, 2 * alpha)
        smin, smax, beta, r0 = th.sigma_min, th.sigma_max, th.beta, th.risk0
        a = 2 * alpha
        assert gd.step_limit == pytest.approx(4 / (9 * a**2 * smax**2), rel=1e-12)
        assert gd.radius == pytest.approx(6 * smax * np.sqrt(2 * r0) / ((1 - theta) * a * smin**2), rel=1e-12)
        assert gd.linear_radius == pytest.approx(smax * np.sqrt(2 * r0) / (a * smin**2), rel=1e-12)
        flow_min = beta * np.sqrt(1152 * smax**2 * r0) / smin**3
        factor = max(1 / (2 * (1 - theta)), smin / (12 * theta * smax))
        assert gd.alpha_min == pytest.approx(flow_min * factor, rel=1e-12)
        eta = 0.3 * gd.step_limit
        assert gd.contraction(eta) == pytest.approx(1 - (1 - theta) * eta * a**2 * smin**2 / 4, rel=1e-14)
        k = np.array([0.0, 1.0, 7.0])
        assert np.allclose(gd.risk_bound(eta, k), r0 * gd.contraction(eta) ** (2 * k), rtol=1e-12)
        linear = r0 * (1 - eta * a**2 * smin**2) ** (2 * k)
        assert np.allclose(gd.linear_risk_bound(eta, k), linear, rtol=1e-12)
    # theta = 1/2 is the flow's threshold, and the step limit is 2/9 of the edge
    gd = gd_theorem_8_1(net, X, y, alpha, 0.5)
    assert gd.threshold_factor == pytest.approx(1.0, rel=1e-15)
    assert gd.applies(gd.step_limit) and not gd.applies(1.001 * gd.step_limit)
    assert gd.step_limit / critical_step(net, X, alpha) == pytest.approx(2 / 9, rel=1e-12)
    assert not gd_theorem_8_1(net, X, y, 0.99 * alpha, 0.5).applies(gd.step_limit)


def test_best_theta_gives_half_plus_c(problem) -> None:
    net, X, y, alpha = problem
    flow = theorem_8_1(net, X, y, alpha)
    grid = np.linspace(1e-4, 1 - 1e-4, 20001)
    best = min(GDTheorem81(flow=flow, theta=t).threshold_factor for t in grid)
    assert best == pytest.approx(0.5 + flow.sigma_min / (12 * flow.sigma_max), abs=1e-4)


def test_smallest_theta_meets_the_remainder_condition_with_equality(problem) -> None:
    net, X, y, alpha = problem
    flow = theorem_8_1(net, X, y, 3 * alpha)
    theta = smallest_theta(flow)
    # (beta/2) alpha |r0| = theta alpha^2 sigma_min^2 / 4
    lhs = flow.beta / 2 * flow.alpha * np.linalg.norm(y)
    assert lhs == pytest.approx(theta * flow.alpha**2 * flow.sigma_min**2 / 4, rel=1e-12)
    assert gd_theorem_8_1(net, X, y, 3 * alpha, theta * (1 + 1e-9)).applies(1e-12)


def test_runs_match_explicit_gradient_descent_and_the_bounds_hold(problem) -> None:
    net, X, y, alpha = problem
    gd = gd_theorem_8_1(net, X, y, alpha)
    etas = gd.step_limit * np.array([1.0, 0.5])
    t_end = 2.0 / gd.flow.rate
    chk = check_gd_theorem(net, X, y, alpha, etas, t_end)
    assert chk.holds()
    for i, (eta, run, lin) in enumerate(zip(etas, chk.network, chk.linearized, strict=True)):
        n_steps = int(np.ceil(t_end / eta))
        assert len(run.t) == n_steps + 1
        risks, dists = _explicit_gd(net, X, y, alpha, eta, n_steps)
        # the ratios it reports: the explicit risks over this alpha's bound at every step
        assert np.allclose(chk.risk_ratio[i], risks / gd.risk_bound(eta, np.arange(n_steps + 1)), rtol=1e-8)
        assert np.allclose(run.risk, risks, rtol=1e-8, atol=1e-14)
        assert np.allclose(run.distance, dists, rtol=1e-8, atol=1e-14)
        lrisks, ldists = _explicit_gd(net, X, y, alpha, eta, n_steps, linearized=True)
        assert np.allclose(lin.risk, lrisks, rtol=1e-8, atol=1e-14)
        assert np.allclose(lin.distance, ldists, rtol=1e-8, atol=1e-14)
        k = np.arange(n_steps + 1)
        assert np.all(risks <= gd.risk_bound(eta, k) * (1 + 1e-9))
        assert np.all(dists <= gd.radius) and np.all(ldists <= gd.linear_radius)
    # with_theta re-reads the same runs against other bounds
    other = chk.with_theta(0.3)
    direct = check_gd_theorem(net, X, y, alpha, etas, t_end, theta=0.3)
    for a, b in zip(other.risk_ratio, direct.risk_ratio, strict=True):
        assert np.allclose(a, b, rtol=1e-12)


def test_the_check_can_fail() -> None:
    """Above the edge the linearized run grows, and its risk ratio exceeds 1."""
    X = sphere(5, 3, rng=0)
    y = 3 * np.sign(X[:, 0])
    net = ShallowNet.random(8, 3, "tanh", rng=2, symmetric=True)
    eta_c = critical_step(net, X, 1.0)
    chk = check_gd_theorem(net, X, y, 1.0, [1.1 * eta_c], 200 * eta_c)
    assert not chk.holds() and chk.worst()["linear_risk_ratio"][0] > 1
    # holds(tol): every ratio at most 1 + tol; here the worst ratio is between 1 and 2 (1.44)
    near = check_gd_theorem(net, X, y, 1.0, [1.05 * eta_c], 5 * eta_c)
    worst = max(float(w.max()) for w in near.worst().values())
    assert 1.1 < worst < 1.9
    assert not near.holds() and not near.holds(worst - 1 - 0.05) and near.holds(worst - 1 + 0.05)
    with pytest.raises(ValueError, match="tol"):
        near.holds(1.0)


def test_one_step_remainder_below_its_bound() -> None:
    """The one-step lemma, measured with explicit Jacobians on an uncentred net, not lazy."""
    rng = np.random.default_rng(3)
    X = sphere(6, 4, rng=4)
    y = rng.standard_normal(6)
    net = ShallowNet.random(10, 4, "tanh", rng=5)
    beta = theorem_8_1(net, X, y, 1.0).beta
    for alpha, eta in ((1.0, 0.05), (2.0, 0.01), (0.5, 0.3)):
        J = net.jacobian(X)
        r = alpha * net(X) - y
        g = J.T @ r
        step = net.with_weights(net.W.ravel() - eta * alpha * g)
        e = (alpha * step(X) - y) - (r - eta * alpha**2 * J @ g)
        assert np.linalg.norm(e) <= beta / 2 * eta**2 * alpha**3 * (g @ g)
        assert np.linalg.norm(e) > 0


def test_first_step_moves_the_two_neurons_of_a_pair_oppositely() -> None:
    """Page 10 (the remainder exercise): the two neurons of a centred pair share their row and have
    opposite signs, so their gradient blocks ``scale·s_j Xᵀ(r ⊙ tanh'(X w_j))`` are exactly opposite
    and the first step moves them by opposite amounts. Written out here with plain numpy; without
    centring the same step is not antisymmetric over the halves."""
    X = sphere(6, 4, rng=0)
    y = np.sin(2 * X[:, 0]) + X[:, 1]
    alpha, eta = 3.0, 0.02
    for symmetric in (True, False):
        net = ShallowNet.random(10, 4, "tanh", rng=1, symmetric=symmetric)
        step = gradient_descent(net, X, y, alpha, eta, 1).weights[1] - net.W
        r = alpha * net.scale * np.tanh(X @ net.W.T) @ net.s - y
        dsigma = 1.0 - np.tanh(X @ net.W.T) ** 2  # (n, m)
        explicit = -eta * alpha * net.scale * net.s[:, None] * ((dsigma * r[:, None]).T @ X)
        assert np.allclose(step, explicit, rtol=1e-12, atol=1e-15)
        half = net.m // 2
        asymmetry = np.abs(step[:half] + step[half:]).max() / np.abs(step).max()
        if symmetric:
            assert asymmetry <= 1e-12
        else:
            assert asymmetry > 0.1


def test_euler_gap_is_first_order(problem) -> None:
    net, X, y, alpha = problem
    gd = gd_theorem_8_1(net, X, y, alpha)
    t_end = 50 * gd.step_limit  # steps of 0.78, 0.39, 0.20 step limits
    gap = euler_gap(net, X, y, alpha, t_end, [64, 128, 256], n_compare=8)
    assert abs(gap.order - 1) < 0.1
    assert np.all(np.diff(gap.gap) < 0) and np.allclose(gap.etas * gap.n_steps, t_end)
    assert gap.flow.t[-1] == pytest.approx(t_end)
    with pytest.raises(ValueError, match="n_steps"):
        euler_gap(net, X, y, alpha, 1.0, [30, 64], n_compare=8)
    with pytest.raises(ValueError, match="n_steps"):
        euler_gap(net, X, y, alpha, 1.0, [64])


def test_lambda_max_along_a_run_against_explicit_jacobians(problem) -> None:
    """step_size_scan's sharpness reads lambda_max as the top of lemmas.kernel_spectra."""
    net, X, _, _ = problem
    rng = np.random.default_rng(0)
    W = net.W + 0.3 * rng.standard_normal((3, *net.W.shape))
    got = kernel_spectra(net, X, W)[:, -1]
    for w, lam in zip(W, got, strict=True):
        J = net.with_weights(w).jacobian(X)
        assert lam == pytest.approx(np.linalg.eigvalsh(J @ J.T)[-1], rel=1e-10)
    with pytest.raises(ValueError, match="weights"):
        kernel_spectra(net, X, net.W)


def test_step_size_scan(problem) -> None:
    net, X, y, alpha = problem
    factors = [0.5, 0.9, 1.2]
    scan = step_size_scan(net, X, y, alpha, factors, 200, record_every=10)
    assert list(scan.linearized.diverged) == [False, False, True]
    for f, sharp in zip(factors, scan.sharpness, strict=True):
        assert sharp[0] == pytest.approx(2 * f, rel=1e-10)  # eta alpha^2 lambda_max(J0 J0^T) = 2 eta/eta_c
    th = scan.theorem.flow
    c = 0.5 * th.sigma_min**2 / (2 * th.sigma_max**2)
    assert scan.crossover == pytest.approx(2 / (2 + c), rel=1e-12)
    for i, run in enumerate(scan.network.runs):
        eta = factors[i] * scan.eta_c
        k = np.rint(run.t / eta)
        assert np.array_equal(k, scan.steps[i])
        formula = scan.theorem.risk_bound(eta, k)
        expected = bool(np.all(run.risk <= formula * (1 + 1e-9))) and not run.diverged
        assert scan.below_bound[i] == expected
    assert scan.below_bound[:2].all()


def test_page_problem_is_the_theorem_page_network() -> None:
    net, X, y = page_problem()
    task = teacher_student(8, 5, rng=0, n_test=10)
    ref = ShallowNet.random(400, 5, "tanh", rng=0, symmetric=True)
    assert np.array_equal(net.W, ref.W) and np.array_equal(X, task.X) and np.array_equal(y, task.y)
    assert np.max(np.abs(net(X))) < 1e-12


def test_bad_inputs(problem) -> None:
    net, X, y, alpha = problem
    for theta in (0.0, 1.0, -0.5, np.nan):
        with pytest.raises(ValueError, match="theta"):
            gd_theorem_8_1(net, X, y, alpha, theta)
    gd = gd_theorem_8_1(net, X, y, alpha)
    with pytest.raises(ValueError, match="eta"):
        gd.contraction(0.0)
    with pytest.raises(ValueError, match="k"):
        gd.risk_bound(1e-6, [-1.0])
    with pytest.raises(ValueError, match="etas"):
        check_gd_theorem(net, X, y, alpha, [-1.0], 1.0)
    with pytest.raises(ValueError, match="steps"):
        check_gd_theorem(net, X, y, alpha, [1e-12], 1.0)
    # each step size within MAX_STEPS, not all together: refused before any run
    with pytest.raises(ValueError, match="steps is too many"):
        check_gd_theorem(net, X, y, alpha, [1.0 / (0.6 * MAX_STEPS)] * 2, 1.0)
    with pytest.raises(ValueError, match="m"):
        page_problem(401)
    with pytest.raises(ValueError, match="alpha"):
        gd_theorem_8_1(net, X, y, 0.0)


def test_gradient_descent_at_huge_alpha_follows_an_explicit_loop_or_is_refused() -> None:
    """Issue 27 N02: at α = 1e17 the steps, O(1/α), were absorbed by the O(1) weights (risk stuck at R₀,
    even linearized), and ``check_gd_theorem`` at α = 1e20 "disproved" the theorem.

    The linearized run is compared with an explicit loop on the residual, ``r ← r − ηα²J₀J₀ᵀr``, and
    on the displacement ``δ ← δ − ηαJ₀ᵀr`` (J₀ materialised by loops); the network is refused at
    scales where float64 cannot follow it, at the same threshold as the flow."""
    from factories import explicit_forward, explicit_jacobian

    from lazylib.flows import gradient_descent, gradient_flow

    net = ShallowNet.random(6, 3, "tanh", rng=0, symmetric=True)
    X, y = sphere(4, 3, rng=1), np.array([1.0, -1.0, 0.5, 0.0])
    J0 = explicit_jacobian(net, X)
    assert np.abs(explicit_forward(net.W, net.s, X, "tanh")).max() < 1e-15
    for alpha in (1e3, 1e16, 1e17):
        eta = 0.5 * critical_step(net, X, alpha)
        run = gradient_descent(net, X, y, alpha, eta, 200, True)
        r = -y.copy()  # centred: f(w₀) = 0 (to round-off, which α = 1e17 would amplify)
        delta = np.zeros(net.p)
        risks, dists = [], []
        for _ in range(201):
            risks.append(0.5 * r @ r)
            dists.append(np.linalg.norm(delta))
            delta = delta - eta * alpha * (J0.T @ r)
            r = r - eta * alpha**2 * (J0 @ (J0.T @ r))
        np.testing.assert_allclose(run.risk, risks, rtol=1e-7, atol=1e-12 * risks[0])
        np.testing.assert_allclose(run.distance, dists, rtol=1e-7)
        assert run.risk[-1] < 0.2 * run.risk[0]
    for alpha in (1e16, 1e17):
        eta = 0.5 * critical_step(net, X, alpha)
        with pytest.raises(ValueError, match="linearized=True"):
            gradient_descent(net, X, y, alpha, eta, 200)
        with pytest.raises(ValueError, match="linearized=True"):  # the flow refuses it alike
            gradient_flow(net, X, y, alpha, [0.0, 10 * eta])
    assert gd_theorem_8_1(net, X, y, 1e20).applies(1e-43)
    with pytest.raises(ValueError, match="too large for gradient descent on the network"):
        check_gd_theorem(net, X, y, 1e20, [1e-43], 1e-40)
    # below the threshold the network's run still matches the explicit loop
    eta = 0.5 * critical_step(net, X, 1e3)
    risks, dists = _explicit_gd(net, X, y, 1e3, eta, 50)
    run = gradient_descent(net, X, y, 1e3, eta, 50)
    np.testing.assert_allclose(run.risk, risks, rtol=1e-7, atol=1e-12 * risks[0])
    np.testing.assert_allclose(run.distance, dists, rtol=1e-6)
