"""The result objects the pages 05-08 draw: lemmas.family_risk, flow_risk_check, projected_paths,
kernel_spectrum_change and lazy_active.compare_clocks, each pinned against
an independent computation (closed forms, direct calls of the underlying numerics)."""

from __future__ import annotations

import numpy as np
import pytest

from lazylib import gradient_flow, lemma_8_1_bound, risk, theorem_8_1
from lazylib.lazy_active import compare_clocks, paper_gradient_flow
from lazylib.lemmas import (
    family_risk,
    flow_risk_check,
    kernel_path,
    kernel_spectra,
    kernel_spectrum_change,
    preconditioned_flow,
    projected_paths,
    random_pd_family,
    smooth_problem,
)
from lazylib.models import ShallowNet


@pytest.fixture(scope="module")
def problem():
    return smooth_problem(n=5, d=3, m=20, rng=0)


def test_family_risk_is_the_flow_risk_with_lemma_8_1_bound() -> None:
    t = np.linspace(0.0, 3.0, 13)
    z0, y = np.array([1.0, -1.0, 0.5]), np.array([0.2, 0.0, -0.3])
    Q = random_pd_family(3, 0.4, "gram", rng=1)
    run = family_risk(Q, z0, y, t, name="gram")
    R = risk(preconditioned_flow(Q, z0, y, t), y)
    np.testing.assert_allclose(run.risk, R, rtol=1e-12)
    np.testing.assert_allclose(run.bound, R[0] * np.exp(-2 * 0.4 * t), rtol=1e-14)
    assert run.name == "gram" and run.lam == Q.lam and np.all(run.risk <= run.bound * (1 + 1e-12))
    # Q = λI: the equality case, risk = bound.
    ident = family_risk(random_pd_family(3, 0.4, "identity"), z0, y, t)
    np.testing.assert_allclose(ident.risk, ident.bound, rtol=1e-8)


def test_flow_risk_check_measures_lambda_along_the_path(problem) -> None:
    net, X, y = problem
    smin2_tau = np.linspace(0.0, 5.0, 11)
    check = flow_risk_check(net, X, y, 2.0, smin2_tau)
    th = theorem_8_1(net, X, y, 2.0)
    t = smin2_tau / (4.0 * th.sigma_min**2)
    traj = gradient_flow(net, X, y, 2.0, t)
    np.testing.assert_allclose(check.trajectory.risk, traj.risk, rtol=1e-12)
    lam = 4.0 * kernel_spectra(net, X, traj.weights)[:, 0].min()
    assert check.lam == pytest.approx(lam, rel=1e-10)
    np.testing.assert_allclose(check.bound, lemma_8_1_bound(th.risk0, lam, t), rtol=1e-10)
    assert check.risk_ratio[0] == pytest.approx(1.0)
    np.testing.assert_allclose(check.bound_ratio, np.exp(-2 * lam * t), rtol=1e-10)
    assert check.lam_drop == pytest.approx(1 - lam / (4.0 * th.sigma_min**2), rel=1e-10)
    assert np.all(check.trajectory.risk <= check.bound * (1 + 1e-9))  # Lemma 8.1


def test_projected_paths_project_both_flows(problem) -> None:
    net, X, y = problem
    smin2_tau = np.concatenate([[0.0], np.geomspace(1e-3, 5.0, 10)])
    paths = projected_paths(net, X, y, 3.0, smin2_tau)
    th = theorem_8_1(net, X, y, 3.0)
    dw = (paths.nonlinear.weights - net.W).reshape(smin2_tau.size, -1)
    du = (paths.linearized.weights - net.W).reshape(smin2_tau.size, -1)
    np.testing.assert_allclose(paths.path_gap, np.linalg.norm(dw - du, axis=1), rtol=1e-12, atol=1e-15)
    # An orthonormal projection never lengthens a displacement, and keeps most of these ones.
    assert np.all(np.linalg.norm(paths.w_coords, axis=1) <= paths.distance * (1 + 1e-12) + 1e-15)
    assert np.all(np.linalg.norm(paths.u_coords, axis=1) <= np.linalg.norm(du, axis=1) * (1 + 1e-12) + 1e-15)
    np.testing.assert_array_equal(paths.distance, paths.nonlinear.distance)
    assert (paths.ball_radius, paths.theorem_radius, paths.applies) == (th.ball_radius, th.radius, th.applies)
    assert paths.linearized.linearized and not paths.nonlinear.linearized


def test_kernel_spectrum_change_obeys_weyl(problem) -> None:
    net, X, y = problem
    kp = kernel_path(net, X, y, 1.0, tau=np.linspace(0.0, 2.0, 5))
    change = kernel_spectrum_change(net, X, kp)
    K0 = net.ntk(X)
    KT = net.with_weights(kp.trajectory.weights[-1]).ntk(X)
    np.testing.assert_allclose(change.initial, np.sort(np.linalg.eigvalsh(K0))[::-1], rtol=1e-12)
    np.testing.assert_allclose(change.final, np.sort(np.linalg.eigvalsh(KT))[::-1], rtol=1e-12)
    assert change.operator_change == pytest.approx(np.linalg.norm(KT - K0, 2), rel=1e-12)
    assert 0 < change.max_shift <= change.operator_change + 1e-12
    assert change.alpha == 1.0
    with pytest.raises(TypeError, match="path"):
        kernel_spectrum_change(net, X, kp.trajectory)


def test_compare_clocks_paper_path_is_the_slides_path() -> None:
    net = ShallowNet.random(10, 3, rng=2, symmetric=True)
    X = np.eye(3)[:2]
    y = np.array([0.5, -0.5])
    tau = np.linspace(0.0, 2.0, 5)
    clocks = compare_clocks(net, X, y, [1.0, 4.0], tau)
    assert list(clocks.paper) == [1.0, 4.0] and list(clocks.slides) == [1.0, 4.0]
    assert np.all(clocks.deviation < 1e-7)
    np.testing.assert_allclose(clocks.paper[4.0].risk, paper_gradient_flow(net, X, y, 4.0, tau).risk)
    np.testing.assert_allclose(clocks.slides[4.0].t, tau / 16.0)
    linearized = gradient_flow(net, X, y, 1.0, tau, linearized=True)
    np.testing.assert_allclose(clocks.linearized.risk, linearized.risk)
    with pytest.raises(ValueError, match="alphas"):
        compare_clocks(net, X, y, [0.0], tau)
