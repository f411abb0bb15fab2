"""lazylib.lemmas: PD families, the flow of Lemma 8.1, kernel along a path, Lemma 8.2 sweep."""

from __future__ import annotations

import numpy as np
import pytest
from factories import explicit_jacobian, explicit_risk, make_problem
from scipy.integrate import quad
from scipy.linalg import expm

from lazylib.data import sphere
from lazylib.flows import gradient_flow
from lazylib.lemmas import (
    exit_time,
    family_risk,
    jacobian_drift,
    kernel_change_vs_alpha,
    kernel_path,
    kernel_spectra,
    lemma_8_2_path_bound,
    lemma_8_2_sweep,
    preconditioned_flow,
    principal_directions,
    random_pd_family,
    relative_kernel_change,
    smooth_problem,
)
from lazylib.models import ShallowNet
from lazylib.theory import lemma_8_1_bound, lemma_8_2_radius, risk, theorem_8_1


@pytest.mark.parametrize("kind", ["gram", "rotating"])
def test_pd_family_has_exact_lambda_min(kind: str) -> None:
    Q = random_pd_family(5, 0.3, kind, rng=0, omega=1.5)
    t = np.linspace(0.0, 6.0, 25)
    assert np.allclose(Q.lambda_min(t), 0.3, rtol=0, atol=1e-12)
    for s in t[:5]:
        M = Q(float(s))
        assert np.allclose(M, M.T, atol=1e-13)


def test_rotating_family_keeps_its_spectrum() -> None:
    Q = random_pd_family(4, 0.5, "rotating", rng=1)
    spec0 = np.linalg.eigvalsh(Q(0.0))
    assert np.allclose(np.linalg.eigvalsh(Q(2.7)), spec0, atol=1e-12)


def test_flow_equality_case_and_bound() -> None:
    t = np.linspace(0.0, 5.0, 51)
    z0, y = np.random.default_rng(2).standard_normal((2, 3))
    Q = random_pd_family(3, 0.7, "identity")
    R = risk(preconditioned_flow(Q, z0, y, t), y)
    assert np.max(np.abs(R / lemma_8_1_bound(R[0], 0.7, t) - 1)) < 1e-8
    Qg = random_pd_family(3, 0.7, "gram", rng=3)
    Rg = risk(preconditioned_flow(Qg, z0, y, t), y)
    assert np.all(Rg <= lemma_8_1_bound(Rg[0], 0.7, t))


def test_kernel_spectra_and_drift_match_materialised_jacobians() -> None:
    net, X, y = smooth_problem(n=5, d=3, m=8, seed=1)
    traj = gradient_flow(net, X, y, 1.0, np.linspace(0.0, 0.5, 4))
    spectra = kernel_spectra(net, X, traj.weights)
    drift = jacobian_drift(net, X, traj.weights)
    J0 = net.jacobian(X)
    for k, W in enumerate(traj.weights):
        J = net.with_weights(W).jacobian(X)
        assert np.allclose(spectra[k], np.linalg.eigvalsh(J @ J.T), rtol=1e-10, atol=1e-12)
        assert drift[k] == pytest.approx(np.linalg.norm(J - J0, 2), rel=1e-8, abs=1e-12)
    assert relative_kernel_change(net, X, net.W) == 0.0


def test_kernel_path_weyl_chain() -> None:
    net, X, y = smooth_problem(n=6, d=3, m=20, seed=2)
    kp = kernel_path(net, X, y, 1.0, horizon=5.0, n_times=21)
    sv = np.sqrt(kp.spectra)
    assert np.all(np.abs(sv[:, 0] - kp.sigma_min) <= kp.drift + 1e-12)
    assert np.all(kp.drift <= kp.beta * kp.trajectory.distance + 1e-12)


def test_kernel_change_decays_with_alpha() -> None:
    net, X, y = smooth_problem(n=6, d=3, m=20, seed=3)
    kc = kernel_change_vs_alpha(net, X, y, [2.0, 8.0])
    assert kc.relative_change[1] < kc.relative_change[0]
    assert kc.distance[1] == pytest.approx(kc.distance[0] / 4, rel=0.05)


def test_lemma_8_2_sweep_and_path_bound() -> None:
    net, X, y = smooth_problem(n=6, d=3, m=20, seed=4)
    sw = lemma_8_2_sweep(net, X, y, [1.0, 10.0], n_times=21)
    assert np.all(sw.distance_w <= sw.radius_w) and np.all(sw.distance_u <= sw.radius_u)
    assert np.all(sw.path_ratio_w <= 1) and np.all(sw.path_ratio_u <= 1)
    big = lemma_8_2_path_bound(0.5, 2.0, 1.0, np.array([0.0, 1e3]))
    assert big[0] == 0.0 and big[1] == pytest.approx(lemma_8_2_radius(0.5, 2.0, 1.0))


def test_principal_directions_and_exit_time() -> None:
    rng = np.random.default_rng(5)
    D = rng.standard_normal((10, 7))
    V = principal_directions([D, 2 * D], k=2)
    assert np.allclose(V @ V.T, np.eye(2), atol=1e-12)
    t = np.arange(5.0)
    assert exit_time(t, np.array([0.0, 0.1, 0.3, 0.2, 0.4]), 0.25) == 2.0
    assert exit_time(t, np.zeros(5), 0.25) == np.inf


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: random_pd_family(3, -1.0), "lam"),
        (lambda: random_pd_family(3, 1.0, "spiral"), "kind"),
        (lambda: random_pd_family(1, 1.0, "gram"), "n"),
        (lambda: preconditioned_flow(random_pd_family(3, 1.0), np.zeros(3), np.zeros(2), [0, 1]), "y"),
        (lambda: preconditioned_flow(random_pd_family(3, 1.0), np.zeros(3), np.zeros(3), [1, 0]), "t_eval"),
        (lambda: exit_time([0, 1], [0, 1], 0.0), "radius"),
        (lambda: principal_directions([np.zeros((3, 4))], k=5), "k"),
        (lambda: lemma_8_2_path_bound(1.0, 2.0, 1.0, [-1.0]), "t"),
    ],
)
def test_bad_input_names_the_argument(call, name: str) -> None:
    with pytest.raises(ValueError, match=name):
        call()


def test_bad_weights_and_alphas() -> None:
    net, X, y = smooth_problem(n=4, d=3, m=6)
    with pytest.raises(ValueError, match="weights"):
        kernel_spectra(net, X, np.zeros((2, 5)))
    with pytest.raises(ValueError, match="alphas"):
        kernel_change_vs_alpha(net, X, y, [1.0, -2.0])
    with pytest.raises(ValueError, match="tau"):
        kernel_path(net, X, y, 1.0, tau=[1.0, 0.5])


# ---------------------------------------------------------------------------------------------
# Pins against independent computations
# ---------------------------------------------------------------------------------------------
def _omega_and_spectrum(Q) -> tuple[np.ndarray, np.ndarray]:
    U, theta, mu = Q.mats
    return ((U * (1j * theta)) @ U.conj().T).real, mu


def test_pd_families_against_their_construction() -> None:
    # gram: the same stream gives A₀, A₁ with entries N(0, spread/(2k)), k = n − 1
    Q = random_pd_family(4, 0.2, "gram", rng=7, omega=1.3, spread=3.0)
    A0, A1 = np.random.default_rng(7).standard_normal((2, 4, 3)) * np.sqrt(3.0 / 6)
    for t in (0.0, 0.4, 2.5):
        A = A0 * np.cos(1.3 * t) + A1 * np.sin(1.3 * t)
        np.testing.assert_allclose(Q(t), 0.2 * np.eye(4) + A @ A.T, rtol=1e-13)
    # rotating: Q(t) = e^{tΩ} Q(0) e^{−tΩ} with Ω = ω(G − Gᵀ)/2 from the same stream
    R = random_pd_family(4, 0.5, "rotating", rng=8, omega=0.7, spread=2.0)
    G = np.random.default_rng(8).standard_normal((4, 4))
    Omega = 0.7 * (G - G.T) / 2
    np.testing.assert_allclose(_omega_and_spectrum(R)[0], Omega, atol=1e-13)
    Q0 = R(0.0)
    for t in (0.3, 1.7):
        E = expm(t * Omega)
        np.testing.assert_allclose(R(t), E @ Q0 @ E.T, atol=1e-12)
    mu = np.linalg.eigvalsh(Q0)
    assert mu[0] == pytest.approx(0.5, abs=1e-13) and np.all(mu <= 0.5 + 2.0 + 1e-12)
    np.testing.assert_allclose(mu, np.sort(R.mats[2]), atol=1e-12)
    # identity
    Id = random_pd_family(3, 0.9, "identity")
    np.testing.assert_array_equal(Id(1.234), 0.9 * np.eye(3))
    np.testing.assert_allclose(Id.lambda_min([0.0, 5.0]), [0.9, 0.9])


def test_gram_family_spread_sets_the_size_of_the_variable_part() -> None:
    """E‖A(t)A(t)ᵀ‖_F-scale: trace of A Aᵀ has mean n·spread/2 (entries of variance spread/(2k))."""
    traces = [np.trace(random_pd_family(6, 1.0, "gram", rng=s, spread=4.0)(0.0)) - 6.0 for s in range(200)]
    # trace(A₀A₀ᵀ) = (spread/(2k))·χ²_{n·k}: mean n·spread/2 = 12, sd (spread/(2k))·√(2nk) ≈ 2.2
    assert np.mean(traces) == pytest.approx(12.0, abs=5 * 2.2 / np.sqrt(200))


@pytest.mark.parametrize("kind", ["rotating", "identity"])
def test_preconditioned_flow_against_the_closed_form(kind: str) -> None:
    """Rotating Q(t) = e^{tΩ} Q(0) e^{−tΩ}: in the frame ξ = e^{−tΩ}(z − y), ξ̇ = −(Q(0) + Ω)ξ
    (Ω commutes with e^{tΩ}), so z(t) = y + e^{tΩ} e^{−t(Q(0) + Ω)} (z₀ − y), by scipy.linalg.expm."""
    Q = random_pd_family(3, 0.4, kind, rng=2, omega=0.8)
    rng = np.random.default_rng(3)
    z0, y = rng.standard_normal((2, 3))
    t = np.array([0.0, 0.5, 1.5, 4.0])
    z = preconditioned_flow(Q, z0, y, t)
    if kind == "identity":
        expected = y + np.exp(-0.4 * t)[:, None] * (z0 - y)
    else:
        Omega, Q0 = _omega_and_spectrum(Q)[0], Q(0.0)
        expected = np.array([y + expm(s * Omega) @ expm(-s * (Q0 + Omega)) @ (z0 - y) for s in t])
    np.testing.assert_allclose(z, expected, rtol=1e-8, atol=1e-10)


def test_preconditioned_flow_accepts_any_callable() -> None:
    M = np.array([[2.0, 0.5], [0.5, 1.0]])
    z = preconditioned_flow(lambda t: M, [1.0, -1.0], [0.0, 2.0], [0.0, 1.0])
    np.testing.assert_allclose(z[-1], [0.0, 2.0] + expm(-M) @ np.array([1.0, -3.0]), rtol=1e-8)


def test_kernel_path_replays_its_building_blocks() -> None:
    net, X, y = make_problem(n=4, d=3, m=6, seed=11)
    kp = kernel_path(net, X, y, 2.0, horizon=3.0, n_times=5)
    J0 = explicit_jacobian(net, X)
    sv = np.linalg.svd(J0, compute_uv=False)
    assert kp.sigma_min == pytest.approx(sv[-1], rel=1e-10)
    assert kp.sigma_max == pytest.approx(sv[0], rel=1e-10)
    beta = (4 / (3 * np.sqrt(3))) * np.sqrt(np.sum(np.sum(X**2, axis=1) ** 2))
    assert kp.beta == pytest.approx(beta, rel=1e-12)
    assert kp.ball_radius == pytest.approx(sv[-1] / (2 * beta), rel=1e-10)
    np.testing.assert_allclose(kp.tau, np.linspace(0.0, 3.0, 5) / sv[-1] ** 2, rtol=1e-10)
    np.testing.assert_allclose(kp.trajectory.t, kp.tau / 4.0, rtol=1e-12)
    traj = gradient_flow(net, X, y, 2.0, kp.tau / 4.0)
    np.testing.assert_allclose(kp.trajectory.weights, traj.weights, rtol=1e-12, atol=1e-14)
    for k, W in enumerate(traj.weights):
        J = explicit_jacobian(net, X, W)
        np.testing.assert_allclose(kp.spectra[k], np.linalg.eigvalsh(J @ J.T), rtol=1e-9, atol=1e-12)
        assert kp.drift[k] == pytest.approx(np.linalg.norm(J - J0, 2), rel=1e-8, abs=1e-13)
    np.testing.assert_array_equal(kp.inside, kp.trajectory.distance <= kp.ball_radius)
    given = kernel_path(net, X, y, 2.0, tau=[0.0, 0.1])
    np.testing.assert_allclose(given.trajectory.t, [0.0, 0.025])


def test_relative_kernel_change_against_materialised_jacobians() -> None:
    net, X, _ = make_problem(n=4, d=3, m=6, seed=12)
    W = net.W + 0.3 * np.random.default_rng(0).standard_normal(net.W.shape)
    J0, J = explicit_jacobian(net, X), explicit_jacobian(net, X, W)
    expected = np.linalg.norm(J @ J.T - J0 @ J0.T) / np.linalg.norm(J0 @ J0.T)
    assert relative_kernel_change(net, X, W) == pytest.approx(expected, rel=1e-10)


@pytest.mark.parametrize("subtract", [False, True])
def test_kernel_change_vs_alpha_replays_the_flows(subtract: bool) -> None:
    net, X, y = make_problem(n=4, d=3, m=6, seed=13, symmetric=False)
    kc = kernel_change_vs_alpha(net, X, y, [1.5, 3.0], horizon=2.0, subtract_initial=subtract)
    smin = np.linalg.svd(explicit_jacobian(net, X), compute_uv=False)[-1]
    assert kc.horizon == 2.0
    for k, alpha in enumerate([1.5, 3.0]):
        T = 2.0 / (alpha**2 * smin**2)
        targets = y + alpha * net(X) if subtract else y
        traj = gradient_flow(net, X, targets, alpha, [0.0, T])
        W = traj.weights[-1]
        assert kc.distance[k] == pytest.approx(np.linalg.norm(W - net.W), rel=1e-7)
        final = explicit_risk(alpha * net.with_weights(W)(X), targets)
        assert kc.final_risk[k] == pytest.approx(final, rel=1e-7)
        assert kc.relative_change[k] == pytest.approx(relative_kernel_change(net, X, W), rel=1e-7)


def test_lemma_8_2_path_bound_is_the_integral_of_the_speed_bound() -> None:
    lam, lam1, R0 = 0.3, 2.0, 1.7
    t = np.array([0.0, 0.5, 4.0])
    speed = lambda s: np.sqrt(lam1) * np.sqrt(2 * R0) * np.exp(-lam * s)  # noqa: E731
    expected = [quad(speed, 0.0, s)[0] for s in t]
    np.testing.assert_allclose(lemma_8_2_path_bound(lam, lam1, R0, t), expected, rtol=1e-12)


def test_lemma_8_2_sweep_replays_one_scale() -> None:
    net, X, y = make_problem(n=4, d=3, m=6, seed=14)
    sw = lemma_8_2_sweep(net, X, y, [2.0, 5.0], horizon=4.0, n_times=6)
    J0 = explicit_jacobian(net, X)
    sv = np.linalg.svd(J0, compute_uv=False)
    R0 = explicit_risk(np.zeros(4), y)  # centred net: R₀ = ½‖y‖²
    beta = (4 / (3 * np.sqrt(3))) * np.sqrt(np.sum(np.sum(X**2, axis=1) ** 2))
    assert sw.ball_radius == pytest.approx(sv[-1] / (2 * beta), rel=1e-10)
    assert sw.alpha_min == pytest.approx(beta * np.sqrt(1152 * sv[0] ** 2 * R0) / sv[-1] ** 3, rel=1e-10)
    for k, alpha in enumerate([2.0, 5.0]):
        t = np.linspace(0.0, 4.0, 6) / (alpha**2 * sv[-1] ** 2)
        w = gradient_flow(net, X, y, alpha, t)
        u = gradient_flow(net, X, y, alpha, t, linearized=True)
        jacobians = [explicit_jacobian(net, X, W) for W in w.weights]
        spectra = alpha**2 * np.array([np.linalg.eigvalsh(J @ J.T) for J in jacobians])
        lam_w, lam1_w = spectra[:, 0].min(), spectra[:, -1].max()
        lam_u, lam1_u = (alpha * sv[-1]) ** 2, (alpha * sv[0]) ** 2
        assert sw.distance_w[k] == pytest.approx(w.distance.max(), rel=1e-7)
        assert sw.distance_u[k] == pytest.approx(u.distance.max(), rel=1e-9)
        assert sw.radius_w[k] == pytest.approx(np.sqrt(2 * lam1_w * R0) / lam_w, rel=1e-8)
        assert sw.radius_u[k] == pytest.approx(np.sqrt(2 * lam1_u * R0) / lam_u, rel=1e-9)
        path_w = np.sqrt(2 * lam1_w * R0) / lam_w * (1 - np.exp(-lam_w * t[1:]))
        path_u = np.sqrt(2 * lam1_u * R0) / lam_u * (1 - np.exp(-lam_u * t[1:]))
        assert sw.path_ratio_w[k] == pytest.approx(np.max(w.distance[1:] / path_w), rel=1e-7)
        assert sw.path_ratio_u[k] == pytest.approx(np.max(u.distance[1:] / path_u), rel=1e-9)
        theorem_radius = np.sqrt(72 * sv[0] ** 2 * R0) / (alpha * sv[-1] ** 2)
        assert sw.theorem_radius[k] == pytest.approx(theorem_radius, rel=1e-9)
        outside = np.flatnonzero(w.distance > sw.ball_radius)
        exit_t = t[outside[0]] * alpha**2 * sv[-1] ** 2 if outside.size else np.inf
        assert sw.exit_time[k] == pytest.approx(exit_t, rel=1e-9)


def test_lemma_8_2_sweep_records_a_finite_exit_time_when_the_path_leaves_the_ball() -> None:
    net, X, y = make_problem(n=4, d=3, m=6, seed=14)
    sw = lemma_8_2_sweep(net, X, y, [0.05], horizon=4.0, n_times=6)  # small α: the path leaves B
    assert np.isfinite(sw.exit_time[0]) and sw.distance_w[0] > sw.ball_radius
    grid = np.linspace(0.0, 4.0, 6)
    k = int(np.argmin(np.abs(grid - sw.exit_time[0])))
    assert sw.exit_time[0] == pytest.approx(grid[k], rel=1e-12, abs=1e-12)  # a grid time, not rescaled
    # and the first one outside the ball, recomputed from the flow at the same times
    th = theorem_8_1(net, X, y, 0.05)
    w = gradient_flow(net, X, y, 0.05, grid / (0.05**2 * th.sigma_min**2))
    outside = np.flatnonzero(w.distance > th.ball_radius)
    assert outside.size and k == outside[0]


def test_principal_directions_are_the_top_eigenvectors_of_the_uncentred_scatter() -> None:
    rng = np.random.default_rng(15)
    D1 = rng.standard_normal((6, 4)) + np.array([3.0, 0.0, 0.0, 0.0])  # a large mean along e₁
    D2 = rng.standard_normal((5, 2, 2))
    V = principal_directions([D1, D2], k=2)
    S = np.concatenate([D1, D2.reshape(5, 4)])
    evecs = np.linalg.eigh(S.T @ S)[1]  # no mean-centring: w₀ stays at the origin
    top = evecs[:, ::-1][:, :2]
    np.testing.assert_allclose(V.T @ V, top @ top.T, atol=1e-10)  # same subspace, any signs
    np.testing.assert_allclose(np.abs(V[0]), np.abs(top[:, 0]), atol=1e-10)
    with pytest.raises(ValueError, match="same number"):
        principal_directions([D1, np.zeros((2, 5))])
    with pytest.raises(ValueError, match="displacements"):
        principal_directions([])


def test_principal_directions_are_oriented_by_the_first_paths_end() -> None:
    """One sign convention: the first trajectory ends on the positive side of each direction, so a
    path sampled on two time grids (page figure, explorer frame) is drawn the same way round."""
    rng = np.random.default_rng(3)
    t_fine, t_coarse = np.linspace(0, 1, 200), np.linspace(0, 1, 37)
    a, b = rng.standard_normal(5), rng.standard_normal(5)
    path = lambda t: np.outer(t, a) + np.outer(t**2, b)  # noqa: E731
    for t in (t_fine, t_coarse):
        for sign in (1.0, -1.0):  # the same paths with the trajectories given either way round
            V = principal_directions([sign * path(t), -sign * path(t)], k=2)
            assert np.all(V @ (sign * path(t)[-1]) >= 0)


def test_exit_time_is_strictly_outside() -> None:
    t = np.array([0.0, 1.0, 2.0, 3.0])
    assert exit_time(t, np.array([0.0, 0.25, 0.25, 0.3]), 0.25) == 3.0
    assert exit_time(t, np.array([0.0, 0.5, 0.1, 0.3]), 0.25) == 1.0


def test_smooth_problem_against_its_definition() -> None:
    net, X, y = smooth_problem(n=7, d=4, m=10, activation="softplus", seed=3)
    rng = np.random.default_rng(3)
    X_ref = sphere(7, 4, rng)
    ref = ShallowNet.random(10, 4, "softplus", rng, symmetric=True)
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_allclose(np.linalg.norm(X, axis=1), 1.0, rtol=1e-14)
    np.testing.assert_allclose(y, np.sin(3 * X[:, 0]) + 0.5 * X[:, 1], rtol=1e-15)
    np.testing.assert_array_equal(net.W, ref.W)
    np.testing.assert_array_equal(net.s, ref.s)
    assert net.activation == "softplus" and np.all(net(X) == 0.0)
    with pytest.raises(ValueError, match="d"):
        smooth_problem(d=1)


# ---------------------------------------------------------------------------------------------
# Killing the survivors of the mutation run (benchmarks/mutation.md)
# ---------------------------------------------------------------------------------------------
def test_rotating_family_spectrum_from_its_stream() -> None:
    """μ = λ + spread·sort(u) with u ~ U(0, 1)ⁿ drawn after G, then μ₁ set to λ exactly."""
    Q = random_pd_family(4, 0.5, "rotating", rng=21, omega=0.9, spread=2.0)
    rng = np.random.default_rng(21)
    rng.standard_normal((4, 4))
    mu = 0.5 + 2.0 * np.sort(rng.uniform(size=4))
    mu[0] = 0.5
    np.testing.assert_allclose(np.linalg.eigvalsh(Q(0.0)), mu, rtol=1e-12)
    np.testing.assert_allclose(np.linalg.eigvalsh(Q(1.3)), mu, rtol=1e-12)
    assert Q.n == 4 and Q.kind == "rotating"


def test_family_spectrum_against_the_construction() -> None:
    """Rotating: the fixed spectrum μ at every time; identity: λ n times; gram: λ once (A Aᵀ has
    rank k < n) and the rest λ + eig(A Aᵀ), computed here from A(t) directly."""
    t = np.array([0.0, 0.7, 2.9])
    rot = random_pd_family(4, 0.5, "rotating", rng=3, omega=1.3)
    mu = rot.mats[2]
    np.testing.assert_allclose(rot.spectrum(t), np.tile(np.sort(mu), (3, 1)), rtol=1e-12)
    np.testing.assert_allclose(random_pd_family(2, 0.7, "identity").spectrum(t), np.full((3, 2), 0.7))
    gram = random_pd_family(3, 0.2, "gram", rng=5, omega=2.0)
    A0, A1 = gram.mats
    for s, row in zip(t, gram.spectrum(t), strict=True):
        A = A0 * np.cos(2.0 * s) + A1 * np.sin(2.0 * s)
        np.testing.assert_allclose(row, 0.2 + np.linalg.eigvalsh(A @ A.T), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(gram.lambda_min(t), gram.spectrum(t)[:, 0])


def test_family_risk_carries_the_spectrum_at_its_times() -> None:
    Q = random_pd_family(3, 0.4, "rotating", rng=2)
    t = np.linspace(0.0, 2.0, 5)
    run = family_risk(Q, np.zeros(3), np.ones(3), t)
    np.testing.assert_allclose(run.spectrum, [np.linalg.eigvalsh(Q(s)) for s in t], rtol=1e-12)


def test_identity_family_fields() -> None:
    Q = random_pd_family(3, 0.2, "identity")
    assert Q.mats == () and Q.n == 3 and Q.lam == 0.2
