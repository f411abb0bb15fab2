"""lazylib.lemmas: PD families, the flow of Lemma 8.1, kernel along a path, Lemma 8.2 sweep."""

from __future__ import annotations

import numpy as np
import pytest

from lazylib.flows import gradient_flow
from lazylib.lemmas import (
    exit_time,
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
from lazylib.theory import lemma_8_1_bound, lemma_8_2_radius, risk


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
