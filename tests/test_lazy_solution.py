"""lazylib.lazy_solution against independent computations: explicit Jacobians and pseudo-inverses,
the closed-form linearized flow run long, scipy quadrature and Monte Carlo for the ReLU kernel,
``numpy.linalg.solve`` for kernel regression."""

from __future__ import annotations

import numpy as np
import pytest
from factories import explicit_jacobian, make_problem
from scipy import integrate, linalg

from lazylib import ShallowNet, sphere, teacher_student
from lazylib.flows import gradient_flow
from lazylib.lazy_active import ReLUNets, lazy_limit
from lazylib.lazy_solution import (
    converged_scale_sweep,
    expected_relu_kernel,
    kernel_regression,
    lazy_solution,
    limit_gap_bound,
    limit_gap_sweep,
    null_space_interpolants,
)
from lazylib.theory import theorem_8_1


def _rel(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(np.asarray(a) - b) / np.linalg.norm(b))


# ------------------------------------------------------------------------------ lazy_solution
@pytest.mark.parametrize("centring", ["none", "subtract"])
def test_lazy_solution_is_the_pseudo_inverse_step_and_kernel_regression(centring: str) -> None:
    net, X, y = make_problem(n=5, d=3, m=8, symmetric=False, seed=3)
    X_test = sphere(7, 3, rng=11)
    alpha = 1.7
    J = explicit_jacobian(net, X)
    J_test = explicit_jacobian(net, X_test)
    offset = alpha * net(X) if centring == "none" else np.zeros(5)
    offset_test = alpha * net(X_test) if centring == "none" else np.zeros(7)
    b = y - offset
    sol = lazy_solution(net, X, y, alpha, X_test, centring)
    step = np.linalg.pinv(J) @ b / alpha
    assert _rel(sol.displacement.ravel(), step) < 1e-10
    assert np.isclose(sol.distance, np.linalg.norm(step), rtol=1e-10)
    # The linearized model at u_inf: explicit Jacobians, no kernel.
    assert np.allclose(sol.train_pred, offset + alpha * J @ step, atol=1e-10)
    assert np.allclose(sol.train_pred, y, atol=1e-10)
    assert _rel(sol.test_pred, offset_test + alpha * J_test @ step) < 1e-10
    # ... and kernel regression with J J^T, solved directly.
    kernel = offset_test + (J_test @ J.T) @ np.linalg.solve(J @ J.T, b)
    assert _rel(sol.test_pred, kernel) < 1e-10
    # What it records: c = K0^{-1} b / alpha (u_inf - w0 = J^T c), the spectrum of K0 = J J^T, alpha.
    assert _rel(sol.coef, np.linalg.solve(J @ J.T, b) / alpha) < 1e-10
    assert _rel(J.T @ sol.coef, step) < 1e-10
    assert np.allclose(sol.eigenvalues, np.linalg.eigvalsh(J @ J.T), rtol=1e-10)
    assert (sol.alpha, sol.centring) == (alpha, centring)


def test_lazy_solution_is_the_limit_of_the_linearized_flow() -> None:
    net, X, y = make_problem(n=6, d=3, m=10, symmetric=False, seed=5)
    alpha = 3.0
    lam = np.linalg.eigvalsh(explicit_jacobian(net, X) @ explicit_jacobian(net, X).T)
    run = gradient_flow(net, X, y, alpha, [0.0, 50.0 / (alpha**2 * lam[0])], linearized=True)
    sol = lazy_solution(net, X, y, alpha, X)
    moved = run.stored_weights()[-1] - net.W
    assert _rel(sol.displacement, moved) < 1e-9
    # The flow from a short time is NOT there yet: the comparison can fail.
    early = gradient_flow(net, X, y, alpha, [0.0, 0.1 / (alpha**2 * lam[0])], linearized=True)
    assert _rel(sol.displacement, early.stored_weights()[-1] - net.W) > 0.1


def test_lazy_solution_centred_predictor_does_not_depend_on_alpha() -> None:
    net, X, y = make_problem(n=5, d=3, m=8, symmetric=True, seed=2)
    X_test = sphere(6, 3, rng=1)
    a = lazy_solution(net, X, y, 0.5, X_test, "symmetric")
    b = lazy_solution(net, X, y, 50.0, X_test, "symmetric")
    assert np.allclose(a.test_pred, b.test_pred, rtol=1e-10)
    assert np.isclose(a.distance, 100.0 * b.distance, rtol=1e-10)  # |u - w0| ∝ 1/alpha


def test_lazy_solution_is_the_closest_interpolant() -> None:
    net, X, y = make_problem(n=4, d=3, m=6, symmetric=False, seed=7)
    alpha = 2.0
    sol = lazy_solution(net, X, y, alpha, X)
    J = explicit_jacobian(net, X)
    null = linalg.null_space(J)  # p x (p - n)
    rng = np.random.default_rng(0)
    for _ in range(20):
        u = sol.displacement.ravel() + null @ rng.standard_normal(null.shape[1]) * rng.uniform(0.01, 1)
        assert np.allclose(alpha * (net(X) + J @ u), y, atol=1e-9)  # an interpolant
        assert np.linalg.norm(u) > sol.distance


def test_lazy_solution_bad_input() -> None:
    net, X, y = make_problem(n=4, d=3, m=6, symmetric=False)
    with pytest.raises(ValueError, match="alpha must be > 0"):
        lazy_solution(net, X, y, 0.0, X)
    with pytest.raises(ValueError, match="centring must be one of"):
        lazy_solution(net, X, y, 1.0, X, "centre")
    with pytest.raises(ValueError, match="centring='symmetric' needs"):
        lazy_solution(net, X, y, 1.0, X, "symmetric")
    with pytest.raises(ValueError, match="singular"):
        lazy_solution(net, np.vstack([X, X[:1]]), np.append(y, 0.0), 1.0, X)
    with pytest.raises(ValueError, match="X_test must have shape"):
        lazy_solution(net, X, y, 1.0, X[:, :2])
    with pytest.raises(ValueError, match="y contains NaN"):
        lazy_solution(net, X, np.full(4, np.nan), 1.0, X)
    with pytest.raises(ValueError, match=r"y must have shape \(4\), got \(5,\)"):
        lazy_solution(net, X, np.append(y, 0.0), 1.0, X)


def test_singular_means_relative_to_the_largest_eigenvalue() -> None:
    """A Gram matrix counts as singular when λ_min <= RANK_TOL·λ_max, whatever its other eigenvalues."""
    from lazylib.lazy_solution import _eigh_pd
    from lazylib.theory import RANK_TOL

    rotation = np.linalg.qr(np.random.default_rng(0).standard_normal((3, 3)))[0]

    def gram(*lam: float) -> np.ndarray:
        return rotation @ np.diag(lam) @ rotation.T

    big = 1e10
    with pytest.raises(ValueError, match="K is singular"):  # λ_min below RANK_TOL·λ_max, above RANK_TOL·λ_2
        _eigh_pd(gram(0.5 * RANK_TOL * big, 1.0, big), "K")
    lam, _ = _eigh_pd(gram(2.0 * RANK_TOL * big, 1.0, big), "K")
    assert np.allclose(lam, [2.0 * RANK_TOL * big, 1.0, big], rtol=1e-6)
    with pytest.raises(ValueError, match="K is singular"):
        _eigh_pd(gram(-1.0, -0.5, -0.1), "K")


# ------------------------------------------------------------------------------ gap and bound
def test_limit_gap_sweep_matches_a_direct_run_and_its_bound() -> None:
    net, X, y = make_problem(n=4, d=3, m=30, symmetric=False, seed=1)
    X_test = sphere(5, 3, rng=4)
    alpha = 4.0
    sweep = limit_gap_sweep(net, X, y, [alpha], X_test, "subtract", horizon=30.0)
    # Direct: the flow of f towards y + alpha f(w0), long enough, by DOP853 at tight tolerance.
    lam = np.linalg.eigvalsh(explicit_jacobian(net, X) @ explicit_jacobian(net, X).T)
    run = gradient_flow(
        net, X, y + alpha * net(X), alpha, [0.0, 40.0 / (alpha**2 * lam[0])], method="DOP853", rtol=1e-11
    )
    w_end = run.stored_weights()[-1]
    pred = alpha * (net.with_weights(w_end)(X_test) - net(X_test))
    J, J_test = explicit_jacobian(net, X), explicit_jacobian(net, X_test)
    lazy = J_test @ J.T @ np.linalg.solve(J @ J.T, y)
    assert np.isclose(sweep.test_gap[0], np.linalg.norm(pred - lazy), rtol=1e-4)
    u_step = (np.linalg.pinv(J) @ y / alpha).reshape(net.W.shape)
    assert np.isclose(sweep.weight_gap[0], np.linalg.norm(w_end - net.W - u_step), rtol=1e-4)
    assert sweep.final_risk[0] < 1e-12
    assert np.allclose(sweep.lazy_test[0], lazy, rtol=1e-9)


def test_limit_gap_bound_holds_and_scales_like_one_over_alpha() -> None:
    net, X, y = make_problem(n=3, d=3, m=60, symmetric=True, seed=2)
    X_test = sphere(4, 3, rng=5)
    th = theorem_8_1(net, X, y, 1.0)
    alphas = [th.alpha_min * 1.01, th.alpha_min * 10.1]
    sweep = limit_gap_sweep(net, X, y, alphas, X_test, "symmetric", horizon=30.0)
    assert sweep.applies.all()
    assert np.all(sweep.test_gap <= sweep.test_bound) and np.all(sweep.weight_gap <= sweep.weight_bound)
    # Centred: R0 fixed, so the test bound scales exactly like 1/alpha and the weight bound like 1/alpha^2.
    assert np.isclose(sweep.test_bound[0] / sweep.test_bound[1], 10.0, rtol=1e-10)
    assert np.isclose(sweep.weight_bound[0] / sweep.weight_bound[1], 100.0, rtol=1e-10)


def test_limit_gap_bound_pieces() -> None:
    net, X, y = make_problem(n=3, d=3, m=10, symmetric=True, seed=2)
    th = theorem_8_1(net, X, y, 5.0)
    weights, test = limit_gap_bound(th, 2.0, 0.0)
    assert np.isclose(test, 5.0 * 2.0 * th.radius**2 / 2.0)  # G_test = 0 leaves the Taylor term
    _, test_g = limit_gap_bound(th, 2.0, 3.0)
    assert np.isclose(test_g - test, 5.0 * 3.0 * weights)
    with pytest.raises(ValueError, match="beta_test must be > 0"):
        limit_gap_bound(th, -1.0, 1.0)
    with pytest.raises(ValueError, match="jacobian_test_norm must be finite and >= 0"):
        limit_gap_bound(th, 1.0, -1.0)
    with pytest.raises(TypeError, match="theorem must be a Theorem81"):
        limit_gap_bound("th", 1.0, 1.0)  # type: ignore[arg-type]


def test_limit_gap_sweep_subtract_rate_is_one_over_alpha() -> None:
    net, X, y = make_problem(n=4, d=3, m=20, symmetric=False, seed=3)
    X_test = sphere(10, 3, rng=6)
    sweep = limit_gap_sweep(net, X, y, [100.0, 1000.0], X_test, "subtract", horizon=25.0)
    assert 8.0 < sweep.test_gap[0] / sweep.test_gap[1] < 12.5
    assert 80.0 < sweep.weight_gap[0] / sweep.weight_gap[1] < 125.0


# ------------------------------------------------------------------------------ interpolants
def test_null_space_interpolants_pythagoras() -> None:
    net, X, y = make_problem(n=4, d=3, m=6, symmetric=False, seed=4)
    sizes = np.array([1e-3, 0.1, 2.0])
    out = null_space_interpolants(net, X, y, 1.5, sphere(5, 3, rng=0), sizes, rng=1)
    assert np.allclose(out.distances, np.hypot(out.lazy_distance, sizes), rtol=1e-10)
    assert out.residuals.max() < 1e-10 and np.all(out.test_change > 0)
    with pytest.raises(ValueError, match="sizes must be"):
        null_space_interpolants(net, X, y, 1.5, X, [-1.0])
    small = ShallowNet.random(1, 3, "tanh", rng=0)
    with pytest.raises(ValueError, match=r"no null space|singular"):
        null_space_interpolants(small, X[:3], y[:3], 1.0, X, [1.0])


# ------------------------------------------------------------------------------ ReLU kernel
def test_expected_relu_kernel_special_angles_and_quadrature() -> None:
    x = np.array([[1.0, 0.0], [2.0, 0.0], [-1.0, 0.0], [0.6, 0.8]])
    K = expected_relu_kernel(x)
    # theta = 0: E relu(g)^2 |x||x'| + x.x' / 2 = |x||x'|/2 + x.x'/2.
    assert np.isclose(K[0, 1], 1.0 + 1.0)
    # theta = pi: both parts vanish.
    assert np.isclose(K[0, 2], 0.0, atol=1e-15)
    # Generic angle: the 2-d Gaussian integral in polar coordinates g = r e(phi). The radial integrals
    # are exact (int r^3 e^{-r^2/2} dr = 2, int r e^{-r^2/2} dr = 1); scipy integrates over phi, with
    # the sign changes of e.a and e.c as breakpoints.
    a, c = x[0], x[3]

    def integrand(phi: float) -> float:
        e = np.array([np.cos(phi), np.sin(phi)])
        za, zc = e @ a, e @ c
        return (2.0 * max(za, 0.0) * max(zc, 0.0) + float(za > 0 and zc > 0) * (a @ c)) / (2 * np.pi)

    kinks = [
        np.arctan2(v[1], v[0]) % (2 * np.pi)
        for v in (
            np.array([-a[1], a[0]]),
            np.array([a[1], -a[0]]),
            np.array([-c[1], c[0]]),
            np.array([c[1], -c[0]]),
        )
    ]
    ref, _ = integrate.quad(integrand, 0.0, 2 * np.pi, points=sorted(kinks), epsabs=1e-13, limit=200)
    assert np.isclose(K[0, 3], ref, rtol=1e-6)


def test_expected_relu_kernel_is_the_mean_of_wide_tangent_kernels() -> None:
    X = sphere(4, 5, rng=3) * np.array([[1.0], [2.0], [0.5], [1.5]])
    X2 = sphere(3, 5, rng=4)
    m = 200_000
    wide = ReLUNets.random(m, 5, [1.0], [0], symmetric=False)
    mc = wide.ntk(X, X2)[0] / m
    assert _rel(mc, expected_relu_kernel(X, X2)) < 0.01
    assert expected_relu_kernel(X, X2).shape == (4, 3)


def test_kernel_regression_against_solve_and_bad_input() -> None:
    X = sphere(5, 3, rng=0)
    Xt = sphere(4, 3, rng=1)
    y = np.arange(5.0)
    K, Kt = expected_relu_kernel(X), expected_relu_kernel(Xt, X)
    assert np.allclose(kernel_regression(K, Kt, y), Kt @ np.linalg.solve(K, y), rtol=1e-10)
    with pytest.raises(ValueError, match="symmetric"):
        kernel_regression(K + np.triu(np.ones((5, 5)), 1), Kt, y)
    with pytest.raises(ValueError, match="singular"):
        kernel_regression(np.ones((5, 5)), Kt, y)
    with pytest.raises(ValueError, match="K_test must have shape"):
        kernel_regression(K, Kt[:, :3], y)


# ------------------------------------------------------------------------------ converged sweep
def test_converged_scale_sweep_lazy_end_is_kernel_regression() -> None:
    task = teacher_student(12, 4, rng=0, n_test=50)
    sweep = converged_scale_sweep(task, [0.05, 30.0], [0, 1], m=40, n_steps=3000, c=1.5)
    limit = lazy_limit(task, 40, [0, 1], None, c=1.5)
    assert np.allclose(sweep.tangent_kernel, limit.test_loss)
    # Very large nu, trained to convergence: the tangent-kernel interpolant (same draw per seed).
    assert np.all(sweep.train_risk[1] < 1e-8 * sweep.risk0)
    assert np.allclose(sweep.test_loss[1], sweep.tangent_kernel, rtol=0.02)
    # The infinite-width reference: regression with a very wide net's tangent kernel approaches it.
    wide = ReLUNets.random(100_000, 4, [1.0], [3], symmetric=False)
    pred = kernel_regression(wide.ntk(task.X)[0], wide.ntk(task.X_test, task.X)[0], task.y)
    assert np.isclose(sweep.expected_kernel, 0.5 * np.mean((pred - task.y_test) ** 2), rtol=0.1)
    assert sweep.test_loss.shape == sweep.test_loss_half.shape == (2, 2)


def test_converged_scale_sweep_bad_input() -> None:
    task = teacher_student(6, 2, rng=0, n_test=5)
    with pytest.raises(ValueError, match="n_steps must be even"):
        converged_scale_sweep(task, [1.0], [0], m=4, n_steps=3)
    with pytest.raises(ValueError, match="nus must be"):
        converged_scale_sweep(task, [-1.0], [0], m=4, n_steps=2)
    with pytest.raises(ValueError, match="c must be < 2"):
        converged_scale_sweep(task, [1.0], [0], m=4, n_steps=2, c=2.5)
    with pytest.raises(TypeError, match="task must be a TeacherStudent"):
        converged_scale_sweep("task", [1.0], [0], m=4, n_steps=2)  # type: ignore[arg-type]
