"""Gradient flows and gradient descent on R(αf) = ½‖y − αf‖²."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from lazylib.data import sphere
from lazylib.fitting import fit_power_law
from lazylib.flows import flow_pair, gradient_descent, gradient_flow
from lazylib.models import ShallowNet
from lazylib.theory import risk


def problem(n=6, m=8, d=3, act="tanh", symmetric=False, seed=0):
    rng = np.random.default_rng(seed)
    X = sphere(n, d, rng)
    y = rng.standard_normal(n)
    net = ShallowNet.random(m, d, act, rng, symmetric=symmetric)
    return net, X, y


def linear_ode_reference(net, X, y, alpha, t):
    """The linearized flow written independently: materialised J₀, generic ODE solver, u as the state.

    u̇ = −α J₀ᵀ(α(f(w₀) + J₀(u − w₀)) − y).
    """
    J0 = net.jacobian(X)
    f0 = net(X)
    w0 = net.W.ravel()

    def rhs(_, u):
        return -alpha * J0.T @ (alpha * (f0 + J0 @ (u - w0)) - y)

    # The linear ODE is stiff (κ(J₀J₀ᵀ) ~ 1e2): an implicit method with the exact Jacobian.
    jac = -(alpha**2) * J0.T @ J0
    sol = solve_ivp(rhs, (0, t[-1]), w0, method="Radau", jac=jac, t_eval=t, rtol=1e-12, atol=1e-12)
    assert sol.success
    U = sol.y.T
    preds = alpha * (f0 + (U - w0) @ J0.T)
    return U, preds


@pytest.mark.parametrize("alpha", [0.5, 3.0])
def test_closed_form_linear_flow_matches_an_independent_ode_solve(alpha: float) -> None:
    net, X, y = problem()
    lam_min = np.linalg.eigvalsh(net.ntk(X))[0]
    t = np.linspace(0, 3 / (alpha**2 * lam_min), 25)
    traj = gradient_flow(net, X, y, alpha, t, linearized=True)
    U, preds = linear_ode_reference(net, X, y, alpha, t)
    # The reference is integrated to rtol 1e-12; 1e-8 leaves margin for its accumulated error.
    np.testing.assert_allclose(traj.predictions, preds, rtol=0, atol=1e-8 * np.abs(y).max())
    np.testing.assert_allclose(traj.weights.reshape(len(t), -1), U, rtol=0, atol=1e-8)
    np.testing.assert_allclose(traj.distance, np.linalg.norm(U - U[0], axis=1), rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(traj.risk, risk(preds, y), rtol=1e-7)
    assert traj.method == "closed-form" and traj.linearized
    # The risk of a gradient flow never increases.
    assert np.all(np.diff(traj.risk) <= 0)


def test_closed_form_handles_a_singular_gram_from_duplicate_inputs() -> None:
    rng = np.random.default_rng(5)
    X = sphere(5, 3, rng)
    X = np.vstack([X, X[:2]])  # inputs 5, 6 duplicate inputs 0, 1: rank(J₀J₀ᵀ) = 5 < 7
    y = rng.standard_normal(7)
    net = ShallowNet.random(10, 3, "softplus", rng)
    lam = np.linalg.eigvalsh(net.ntk(X))
    assert lam[0] < 1e-12 * lam[-1]
    alpha = 2.0
    t = np.concatenate([np.linspace(0, 2 / (alpha**2 * lam[2]), 20), [1e6]])
    traj = gradient_flow(net, X, y, alpha, t, linearized=True)
    assert np.isfinite(traj.risk).all() and np.isfinite(traj.weights).all()
    U, preds = linear_ode_reference(net, X, y, alpha, t[:-1])
    np.testing.assert_allclose(traj.predictions[:-1], preds, rtol=0, atol=1e-8)
    np.testing.assert_allclose(traj.weights[:-1].reshape(len(t) - 1, -1), U, rtol=0, atol=1e-8)
    # Duplicated inputs get equal predictions forever; the best they can do is the mean of their
    # targets, so the risk tends to Σ_pairs (y_a − y_b)²/4, not to 0 — and the weights stay finite.
    floor = ((y[0] - y[5]) ** 2 + (y[1] - y[6]) ** 2) / 4
    assert traj.risk[-1] == pytest.approx(floor, rel=1e-9)
    np.testing.assert_allclose(traj.predictions[-1, [0, 1]], traj.predictions[-1, [5, 6]], atol=1e-9)
    assert traj.distance[-1] < 10 * traj.distance[-2]


def test_nonlinear_flow_tolerances_give_the_risk_to_1e_6_relative() -> None:
    net, X, y = problem(n=8, m=12, d=3, act="tanh")
    alpha = 2.0
    lam_min = np.linalg.eigvalsh(net.ntk(X))[0]
    t = np.linspace(0, 3 / (alpha**2 * lam_min), 15)
    default = gradient_flow(net, X, y, alpha, t)
    tight = gradient_flow(net, X, y, alpha, t, method="DOP853", rtol=1e-12, atol=1e-16)
    assert np.max(np.abs(default.risk / tight.risk - 1)) < 1e-6
    assert default.risk[-1] < 1e-3 * default.risk[0]  # the horizon covers most of the decay
    unscaled = gradient_flow(net, X, y, alpha, t, rescale=False)
    assert np.max(np.abs(unscaled.risk / tight.risk - 1)) < 1e-6
    np.testing.assert_allclose(default.distance, tight.distance, rtol=1e-6, atol=1e-12)
    W = default.weights
    np.testing.assert_allclose(default.distance, np.linalg.norm((W - W[0]).reshape(len(t), -1), axis=1))
    np.testing.assert_allclose(default.predictions[-1], alpha * net.with_weights(W[-1])(X))
    assert default.nfev > 0 and not default.linearized
    assert np.all(np.diff(default.risk) <= 1e-12 * default.risk[0])


def gap_laws(act: str, symmetric: bool, alphas: np.ndarray) -> dict[str, float]:
    """Exponents k of (prediction gap, weight gap, distance) ∝ α^k over a common rescaled horizon."""
    net, X, y = problem(n=6, m=20, d=3, act=act, symmetric=symmetric, seed=1)
    lam_min = np.linalg.eigvalsh(net.ntk(X))[0]
    gaps: dict[str, list[float]] = {"pred": [], "weights": [], "distance": []}
    for a in alphas:
        t = np.linspace(0, 4 / lam_min, 12) / a**2  # the flow's time scale is 1/(α²λ)
        w = gradient_flow(net, X, y, a, t)
        u = gradient_flow(net, X, y, a, t, linearized=True)
        gaps["pred"].append(np.max(np.abs(w.predictions - u.predictions)))
        gaps["weights"].append(np.max(np.linalg.norm((w.weights - u.weights).reshape(len(t), -1), axis=1)))
        gaps["distance"].append(np.max(w.distance))
    return {k: fit_power_law(alphas, np.array(v))[0] for k, v in gaps.items()}


@pytest.mark.parametrize("act", ["tanh", "softplus"])
def test_with_centring_the_nonlinear_flow_approaches_the_linearized_one(act: str) -> None:
    # Measured, and what is asserted: with the symmetric init the weights move like 1/α, but the
    # gaps to the linearized flow fall like 1/α² — faster than the O(1/α) of Chizat, Oyallon & Bach's
    # bound — because f(w₀) = 0 and the second-order term cancels within each pair of neurons
    # (their displacements are opposite to leading order, their Hessian blocks of opposite sign).
    k = gap_laws(act, True, np.array([4.0, 8.0, 16.0, 32.0]))
    assert k["distance"] == pytest.approx(-1.0, abs=0.05)
    assert k["pred"] == pytest.approx(-2.0, abs=0.1)
    assert k["weights"] == pytest.approx(-2.0, abs=0.1)


def test_without_centring_the_flows_do_not_approach_each_other() -> None:
    # f(w₀) ≠ 0 makes R₀ ∝ α²: the weights travel O(1) whatever α and the prediction gap grows ∝ α.
    k = gap_laws("tanh", False, np.array([4.0, 16.0, 64.0]))
    assert k["distance"] > -0.2
    assert k["pred"] > 0.5


def test_nonlinear_flow_cost_and_accuracy_do_not_degrade_for_large_alpha() -> None:
    net, X, y = problem(n=6, m=20, d=3, symmetric=True, seed=2)
    lam_min = np.linalg.eigvalsh(net.ntk(X))[0]
    runs = {}
    for a in [1.0, 1e3]:
        t = np.linspace(0, 4 / lam_min, 10) / a**2
        runs[a] = (gradient_flow(net, X, y, a, t), gradient_flow(net, X, y, a, t, linearized=True))
    (w1, _), (wbig, ubig) = runs[1.0], runs[1e3]
    assert wbig.nfev <= 1.5 * w1.nfev  # steps are set by κ(J₀J₀ᵀ), not by α (time is rescaled)
    # At α = 1e3 the nonlinear flow is the linearized one up to O(1/α²) ≈ 1e-6 relative.
    np.testing.assert_allclose(wbig.risk, ubig.risk, rtol=1e-4)


def test_gradient_descent_with_small_steps_tracks_the_flow() -> None:
    net, X, y = problem(n=5, m=10, d=3, symmetric=True, seed=3)
    alpha = 2.0
    lam = np.linalg.eigvalsh(net.ntk(X))
    horizon = 2 / (alpha**2 * lam[0])
    gaps = []
    for lin in (True, False):
        gaps_lr = []
        for frac in (0.02, 0.01):
            lr = frac / (alpha**2 * lam[-1])
            steps = int(np.ceil(horizon / lr))
            gd = gradient_descent(net, X, y, alpha, lr, steps, linearized=lin, record_every=steps // 8)
            flow = gradient_flow(net, X, y, alpha, gd.t, linearized=lin)
            assert not gd.diverged and gd.method == "gd"
            every = steps // 8
            recorded = np.append(np.arange(0, steps, every), steps)  # every `every` steps, plus the last
            np.testing.assert_allclose(gd.t, lr * recorded, rtol=1e-14)
            gaps_lr.append(np.max(np.abs(gd.predictions - flow.predictions)) / np.abs(y).max())
        gaps.append(gaps_lr)
    for coarse, fine in gaps:
        assert coarse < 0.05  # a step of 1/50 of the stability limit keeps GD within a few % of the flow
        assert fine / coarse == pytest.approx(0.5, abs=0.05)  # Euler's method: error ∝ step size


def test_gradient_descent_on_the_linearized_model_diverges_exactly_above_2_over_alpha2_lambda_max() -> None:
    net, X, y = problem(n=5, m=10, d=3, seed=4)
    alpha = 1.5
    lam = np.linalg.eigvalsh(net.ntk(X))
    critical = 2 / (alpha**2 * lam[-1])
    above = gradient_descent(net, X, y, alpha, 1.05 * critical, 3000, linearized=True, store_weights=False)
    assert above.diverged
    below = gradient_descent(net, X, y, alpha, 0.95 * critical, 3000, linearized=True, store_weights=False)
    assert not below.diverged
    assert np.all(np.diff(below.risk) <= 1e-12 * below.risk[0])  # monotone for a quadratic, η < 2/L
    # Slowest mode contracts by (1 − 0.95·2·λ_min/λ_max) per step.
    rho = 1 - 0.95 * 2 * lam[0] / lam[-1]
    assert below.risk[-1] <= below.risk[0] * rho ** (2 * 3000) * 10 + 1e-20


def test_trajectory_shapes_and_optional_weights() -> None:
    net, X, y = problem(n=4, m=6, d=2)
    t = np.array([0.0, 0.1, 0.1, 0.5])
    for lin in (True, False):
        tr = gradient_flow(net, X, y, 1.0, t, linearized=lin)
        assert tr.risk.shape == (4,) and tr.distance.shape == (4,) and tr.predictions.shape == (4, 4)
        assert tr.weights.shape == (4, 6, 2)
        assert tr.distance[0] == 0 and tr.risk[0] == pytest.approx(risk(net(X), y))
        assert gradient_flow(net, X, y, 1.0, t, linearized=lin, store_weights=False).weights is None
    gd = gradient_descent(net, X, y, 1.0, 0.01, 10, record_every=4)
    np.testing.assert_allclose(gd.t, [0.0, 0.04, 0.08, 0.10])


def test_flow_pair_is_both_flows_on_one_grid() -> None:
    X = sphere(4, 3, rng=0)
    y = np.linspace(-1.0, 1.0, 4)
    net = ShallowNet.random(12, 3, "tanh", rng=1, symmetric=True)
    t = np.array([0.0, 0.1, 0.5])
    w, u = flow_pair(net, X, y, 1.5, t)
    w_ref = gradient_flow(net, X, y, 1.5, t)
    u_ref = gradient_flow(net, X, y, 1.5, t, linearized=True)
    np.testing.assert_allclose(w.predictions, w_ref.predictions, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(u.predictions, u_ref.predictions, rtol=1e-12, atol=1e-14)
    assert not w.linearized and u.linearized
    assert w.weights is not None and u.weights is None
    _, u_kept = flow_pair(net, X, y, 1.5, t, store_weights=False, store_linearized_weights=True)
    np.testing.assert_allclose(u_kept.stored_weights(), u_ref.stored_weights(), rtol=1e-14)


# ---------------------------------------------------------------------------------------------
# Killing surviving mutants (benchmarks/mutation.md)
# ---------------------------------------------------------------------------------------------
def test_flow_with_non_unit_output_weights_and_either_state_scaling() -> None:
    """s_j need not be ±1; rescale=False integrates w itself: both agree with an explicit solve."""
    from factories import explicit_forward, explicit_jacobian

    rng = np.random.default_rng(3)
    X = rng.standard_normal((3, 2))
    net = ShallowNet(rng.standard_normal((4, 2)), np.array([2.0, -0.5, 1.5, -1.0]), "tanh", scale=0.7)
    y, alpha, t = np.array([0.3, -0.2, 0.5]), 1.3, np.array([0.0, 0.2, 0.6])

    def rhs(_, w):
        W = w.reshape(4, 2)
        r = alpha * explicit_forward(W, net.s, X, "tanh", 0.7) - y
        return -alpha * explicit_jacobian(net, X, W).T @ r

    ref = solve_ivp(rhs, (0, 0.6), net.W.ravel(), t_eval=t, rtol=1e-11, atol=1e-13).y.T
    for rescale in (True, False):
        traj = gradient_flow(net, X, y, alpha, t, rescale=rescale, rtol=1e-10)
        np.testing.assert_allclose(traj.weights.reshape(3, -1), ref, rtol=1e-7, atol=1e-9)
        assert traj.method == "RK45" and isinstance(traj.nfev, int) and traj.nfev > 0


def test_gradient_descent_overflowing_weights_is_divergence_not_an_exception() -> None:
    rng = np.random.default_rng(4)
    net = ShallowNet.random(4, 2, "tanh", rng=rng)
    X, y = rng.standard_normal((3, 2)), np.ones(3)
    run = gradient_descent(net, X, y, 1.0, 1e308, 5)  # the first step overflows W to ±inf
    assert run.diverged and len(run.t) == 1
    ok = gradient_descent(net, X, y, 1.0, 1e-3, 4)
    assert not ok.diverged and ok.nfev == 5
