"""Tests of lazylib.lazy_active: exact identities against independent computations, and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from factories import explicit_forward, explicit_jacobian, explicit_risk, make_problem

from lazylib import ShallowNet, gradient_flow, teacher_student
from lazylib.flows import gradient_descent
from lazylib.lazy_active import (
    ReLUNets,
    centring_sweep,
    chizat_bach_threshold,
    critical_step,
    lazy_limit,
    lazy_limit_test_loss,
    neuron_trajectories,
    paper_gradient_flow,
    relu_step_sizes,
    scale_sweep,
    signs_unchanged,
    step_size_edge,
    teacher_alignment,
    train_relu_nets,
)


def _risk(A: np.ndarray, b: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
    r = np.maximum(X @ A.T, 0.0) @ b - y
    return 0.5 * float(r @ r)


@pytest.fixture
def small_task():
    return teacher_student(12, 3, rng=1, n_test=7)


def test_random_layout_and_symmetry(small_task) -> None:
    nets = ReLUNets.random(6, 3, [0.5, 2.0], [3, 4])
    assert nets.shape == (4, 6, 3)
    # nu-major: networks 0,1 at nu = 0.5 (seeds 3,4), networks 2,3 at nu = 2 with the same draws.
    np.testing.assert_allclose(nets.A[2], 4.0 * nets.A[0])
    np.testing.assert_allclose(nets.b[3], 4.0 * nets.b[1])
    np.testing.assert_allclose(nets(small_task.X), 0.0, atol=1e-14)  # doubling trick


def test_homogeneity(small_task) -> None:
    unit = ReLUNets.random(8, 3, [1.0], [0], symmetric=False)
    scaled = ReLUNets(0.3 * unit.A, 0.3 * unit.b)
    np.testing.assert_allclose(scaled(small_task.X), 0.09 * unit(small_task.X), rtol=1e-12)
    np.testing.assert_allclose(scaled.ntk(small_task.X), 0.09 * unit.ntk(small_task.X), rtol=1e-12)


def test_ntk_matches_explicit_jacobian(small_task) -> None:
    nets = ReLUNets.random(8, 3, [1.0], [2], symmetric=False)
    X = small_task.X
    A, b = nets.A[0], nets.b[0]
    Z = X @ A.T
    J_b = np.maximum(Z, 0.0)  # d h / d b_j
    J_A = ((Z > 0) * b)[:, :, None] * X[:, None, :]  # d h / d a_j
    J = np.concatenate([J_A.reshape(len(X), -1), J_b], axis=1)
    np.testing.assert_allclose(nets.ntk(X)[0], J @ J.T, rtol=1e-12, atol=1e-12)
    assert np.isclose(nets.ntk_max(X)[0], np.linalg.eigvalsh(J @ J.T)[-1], rtol=1e-12)


def test_gd_step_is_gradient_step(small_task) -> None:
    X, y = small_task.X, small_task.y
    nets = ReLUNets.random(8, 3, [1.0], [5], symmetric=False)
    lr = 1e-3
    out = train_relu_nets(nets, X, y, lr, 1).nets
    A, b = nets.A[0], nets.b[0]
    eps = 1e-6
    grad_b = np.array(
        [(_risk(A, b + eps * e, X, y) - _risk(A, b - eps * e, X, y)) / (2 * eps) for e in np.eye(8)]
    )
    grad_A = np.zeros_like(A)
    for j in range(8):
        for k in range(3):
            E = np.zeros_like(A)
            E[j, k] = eps
            grad_A[j, k] = (_risk(A + E, b, X, y) - _risk(A - E, b, X, y)) / (2 * eps)
    np.testing.assert_allclose(out.b[0], b - lr * grad_b, atol=1e-8)
    np.testing.assert_allclose(out.A[0], A - lr * grad_A, atol=1e-8)


def test_divergence_is_flagged(small_task) -> None:
    nets = ReLUNets.random(8, 3, [1.0], [0])
    run = train_relu_nets(nets, small_task.X, small_task.y, 10.0, 200)
    assert run.diverged.all() and np.isinf(run.risk[-1]).all()


def test_lazy_limit_matches_explicit_linear_gd(small_task) -> None:
    X, y = small_task.X, small_task.y
    nets = ReLUNets.random(10, 3, [1.0], [7])
    K, Kt = nets.ntk(X)[0], nets.ntk(small_task.X_test, X)[0]
    eta = 0.5 / np.linalg.eigvalsh(K)[-1]
    r, acc = -y.copy(), np.zeros_like(y)
    for _ in range(25):  # linear GD in prediction space; test predictions accumulate K_t r
        acc -= eta * r
        r = r - eta * K @ r
    expected = 0.5 * np.mean((Kt @ acc - small_task.y_test) ** 2)
    got = lazy_limit_test_loss(small_task, 10, [7], 25, c=0.5)
    assert np.isclose(got[0], expected, rtol=1e-10)


def test_scale_sweep_large_nu_is_kernel_limit(small_task) -> None:
    sweep = scale_sweep(small_task, [1e3], [1, 2], m=10, n_steps=30, c=0.5)
    np.testing.assert_allclose(sweep.test_loss[0], sweep.lazy_test_loss, rtol=1e-3)
    assert sweep.signs_unchanged.min() > 0.99


def test_paper_clock_is_slides_clock_rescaled() -> None:
    task = teacher_student(6, 3, rng=3, n_test=1)
    net = ShallowNet.random(10, 3, "tanh", rng=4, symmetric=True)
    t = np.linspace(0.0, 2.0, 5)
    alpha = 3.0
    p = paper_gradient_flow(net, task.X, task.y, alpha, t)
    s = gradient_flow(net, task.X, task.y, alpha, t / alpha**2, rtol=1e-10)
    np.testing.assert_allclose(p.weights, s.weights, atol=1e-9)


def test_centring_risk0_and_step_edge() -> None:
    task = teacher_student(6, 3, rng=3, n_test=1)
    sym = ShallowNet.random(10, 3, "tanh", rng=4, symmetric=True)
    plain = ShallowNet.random(10, 3, "tanh", rng=4)
    t = np.array([0.0, 1.0, 30.0])
    for net, how in ((sym, "symmetric"), (plain, "subtract")):
        res = centring_sweep(net, task.X, task.y, [2.0, 8.0], t, how)
        np.testing.assert_allclose(res.risk0, 0.5 * task.y @ task.y, rtol=1e-12)
    edge = step_size_edge(sym, task.X, task.y, 5.0, [0.95, 1.05], 3000)
    assert edge.diverged.tolist() == [False, True]
    lam = np.linalg.eigvalsh(sym.ntk(task.X))[-1]
    assert np.isclose(critical_step(sym, task.X, 5.0), 2.0 / (25.0 * lam))


def test_alignment_and_signs(small_task) -> None:
    teacher = small_task.teacher
    perfect = ReLUNets(teacher[None], np.ones((1, teacher.shape[0])))
    assert np.isclose(teacher_alignment(perfect, teacher)[0], 1.0)
    assert signs_unchanged(perfect, perfect, small_task.X)[0] == 1.0


def test_bad_input(small_task) -> None:
    X, y = small_task.X, small_task.y
    with pytest.raises(ValueError, match="nus"):
        ReLUNets.random(4, 3, [0.0], [0])
    with pytest.raises(ValueError, match="m must be even"):
        ReLUNets.random(5, 3, [1.0], [0])
    with pytest.raises(ValueError, match="seeds"):
        ReLUNets.random(4, 3, [1.0], [])
    nets = ReLUNets.random(4, 3, [1.0], [0])
    with pytest.raises(ValueError, match="lr"):
        train_relu_nets(nets, X, y, -1.0, 3)
    with pytest.raises(ValueError, match="n_steps"):
        train_relu_nets(nets, X, y, 0.1, 0)
    with pytest.raises(ValueError, match="X"):
        nets(np.ones((3, 2)))
    with pytest.raises(ValueError, match="lam_ref"):
        relu_step_sizes([1.0], [1.0], 0.0)
    net = ShallowNet.random(6, 3, "tanh", rng=0)
    with pytest.raises(ValueError, match="centring"):
        centring_sweep(net, X, y, [1.0], [0.0, 1.0], "nope")
    with pytest.raises(ValueError, match="symmetric"):
        centring_sweep(net, X, y, [1.0], [0.0, 1.0], "symmetric")
    with pytest.raises(ValueError, match="alpha"):
        paper_gradient_flow(net, X, y, -1.0, [0.0, 1.0])
    with pytest.raises(ValueError, match="factors"):
        step_size_edge(net, X, y, 1.0, [], 10)


# ---------------------------------------------------------------------------------------------
# Pins against independent computations
# ---------------------------------------------------------------------------------------------
def _explicit_relu_jacobian(A: np.ndarray, b: np.ndarray, X: np.ndarray) -> np.ndarray:
    """∂h/∂(a_j, b_j) of h(x) = Σ_j b_j relu(a_jᵀx), by explicit loops (inner block, then output)."""
    m, d = A.shape
    J = np.zeros((len(X), m * d + m))
    for i, x in enumerate(X):
        for j in range(m):
            z = float(A[j] @ x)
            J[i, j * d : (j + 1) * d] = b[j] * (z > 0) * x
            J[i, m * d + j] = max(z, 0.0)
    return J


def test_relu_nets_forward_norm_positions_and_cross_kernel(small_task) -> None:
    nets = ReLUNets.random(5, 3, [0.7, 1.3], [2], symmetric=False)
    X, Xt = small_task.X, small_task.X_test
    for k in range(2):
        A, b = nets.A[k], nets.b[k]
        h = [sum(b[j] * max(float(A[j] @ x), 0.0) for j in range(5)) for x in X]
        np.testing.assert_allclose(nets(X)[k], h, rtol=1e-12)
        assert nets.norm()[k] == pytest.approx(np.sqrt(np.sum(A**2) + np.sum(b**2)), rel=1e-14)
        np.testing.assert_allclose(nets.positions()[k], np.abs(b)[:, None] * A, rtol=1e-15)
        J, Jt = _explicit_relu_jacobian(A, b, X), _explicit_relu_jacobian(A, b, Xt)
        np.testing.assert_allclose(nets.ntk(Xt, X)[k], Jt @ J.T, rtol=1e-12, atol=1e-12)
    # unit draw shared across ν, from the seed's own stream (rows of A, then b)
    rng = np.random.default_rng(2)
    A1, b1 = rng.standard_normal((5, 3)), rng.standard_normal(5)
    np.testing.assert_allclose(nets.A[1], 1.3 * A1, rtol=1e-15)
    np.testing.assert_allclose(nets.b[0], 0.7 * b1, rtol=1e-15)


def test_train_relu_nets_records_and_per_network_steps(small_task) -> None:
    X, y = small_task.X, small_task.y
    nets = ReLUNets.random(6, 3, [0.5, 1.0], [3], symmetric=False)
    lr = np.array([0.01, 0.003])
    run = train_relu_nets(nets, X, y, lr, 5, record_every=2, record_positions=True)
    np.testing.assert_array_equal(run.steps, [0, 2, 4, 5])
    # explicit gradient descent, network by network, with its own step size
    for k in range(2):
        A, b = nets.A[k].copy(), nets.b[k].copy()
        risks, pos = [], []
        for step in range(6):
            Z = X @ A.T
            r = np.maximum(Z, 0.0) @ b - y
            if step in (0, 2, 4, 5):
                risks.append(0.5 * r @ r)
                pos.append(np.abs(b)[:, None] * A)
            gA = ((Z > 0) * r[:, None] * b[None, :]).T @ X
            gb = np.maximum(Z, 0.0).T @ r
            A, b = A - lr[k] * gA, b - lr[k] * gb
            if step == 4:
                A_end, b_end = A, b
        np.testing.assert_allclose(run.risk[:, k], risks, rtol=1e-12)
        np.testing.assert_allclose(run.positions[:, k], pos, rtol=1e-12)
        np.testing.assert_allclose(run.nets.A[k], A_end, rtol=1e-12)
        np.testing.assert_allclose(run.nets.b[k], b_end, rtol=1e-12)
    assert not run.diverged.any()
    assert train_relu_nets(nets, X, y, 0.01, 3).positions is None
    assert train_relu_nets(nets, X, y, 0.01, 3).steps.tolist() == [0, 3]


def test_divergence_freezes_only_the_blown_up_network(small_task) -> None:
    X, y = small_task.X, small_task.y
    nets = ReLUNets.random(8, 3, [1.0, 1.0], [0])
    run = train_relu_nets(nets, X, y, np.array([10.0, 1e-3]), 200, record_every=50)
    assert run.diverged.tolist() == [True, False]
    assert np.isinf(run.risk[-1, 0]) and np.isfinite(run.risk[-1, 1])
    good = train_relu_nets(ReLUNets(nets.A[1:], nets.b[1:]), X, y, 1e-3, 200, record_every=50)
    np.testing.assert_allclose(run.risk[:, 1], good.risk[:, 0], rtol=1e-12)


def test_relu_step_sizes_closed_form() -> None:
    got = relu_step_sizes([1.0, 3.0], [2.0, 0.5], 4.0, c=0.3)
    np.testing.assert_allclose(got, [0.3 / (2.0 + 4.0), 0.3 / (9 * 0.5 + 4.0)], rtol=1e-15)
    assert relu_step_sizes(2.0, 1.0, 1.0) == pytest.approx(0.5 / 5.0)


def test_teacher_alignment_by_explicit_loops(small_task) -> None:
    teacher = small_task.teacher
    nets = ReLUNets.random(10, 3, [1.0, 2.0], [4], symmetric=False)
    # put some neurons near teacher directions, with either sign
    A = nets.A.copy()
    A[:, 0] = 2.0 * teacher[0] + 0.01
    A[:, 1] = 0.5 * teacher[1]
    A[:, 2] = -teacher[2]
    b = np.abs(nets.b) * np.array([1, 1, -1, 1, 1, 1, 1, 1, 1, 1.0])  # near neurons 0, 1 count; 2 not
    nets = ReLUNets(A, b)
    for k in range(2):
        mass = near = 0.0
        for j in range(10):
            a, bj = nets.A[k, j], nets.b[k, j]
            w = abs(bj) * np.linalg.norm(a)
            mass += w
            angle = min(np.degrees(np.arccos(np.clip(a @ t / np.linalg.norm(a), -1, 1))) for t in teacher)
            near += w * (angle <= 10.0 and bj > 0)
        assert teacher_alignment(nets, teacher)[k] == pytest.approx(near / mass, rel=1e-12)
    assert teacher_alignment(nets, teacher, degrees=179.0)[0] > teacher_alignment(nets, teacher)[0]


def test_signs_unchanged_by_explicit_count(small_task) -> None:
    X = small_task.X
    before = ReLUNets.random(6, 3, [1.0], [5], symmetric=False)
    after = ReLUNets(before.A + 0.8 * np.random.default_rng(6).standard_normal(before.A.shape), before.b)
    pairs = list(zip(before.A[0], after.A[0], strict=True))
    same = sum((a0 @ x > 0) == (a1 @ x > 0) for x in X for a0, a1 in pairs)
    assert signs_unchanged(before, after, X)[0] == pytest.approx(same / (len(X) * 6))
    assert 0 < same < len(X) * 6
    with pytest.raises(ValueError, match="after"):
        signs_unchanged(before, ReLUNets(after.A[:, :5], after.b[:, :5]), X)


def _lam_bar_and_ref(task, m: int, seed: int) -> tuple[float, float]:
    unit = ReLUNets.random(m, task.X.shape[1], [1.0], [seed])
    J = _explicit_relu_jacobian(unit.A[0], unit.b[0], task.X)
    T = task.teacher
    Jt = _explicit_relu_jacobian(T, np.ones(len(T)), task.X)
    return np.linalg.eigvalsh(J @ J.T)[-1], np.linalg.eigvalsh(Jt @ Jt.T)[-1]


def test_neuron_trajectories_replays_training(small_task) -> None:
    nus = np.array([0.2, 1.5])
    res = neuron_trajectories(small_task, nus, m=4, seed=3, n_steps=12, record_every=4, c=0.4)
    lam_bar, lam_ref = _lam_bar_and_ref(small_task, 4, 3)
    lr = 0.4 / (nus**2 * lam_bar + lam_ref)
    np.testing.assert_allclose(res.lr, lr, rtol=1e-10)
    nets = ReLUNets.random(4, 3, nus, [3])
    run = train_relu_nets(nets, small_task.X, small_task.y, lr, 12, record_every=4, record_positions=True)
    np.testing.assert_allclose(res.positions, run.positions, rtol=1e-9)
    np.testing.assert_allclose(res.risk, run.risk, rtol=1e-9)
    np.testing.assert_array_equal(res.steps, [0, 4, 8, 12])
    np.testing.assert_array_equal(res.signs, np.sign(nets.b))
    for k in range(2):
        moved = np.sqrt(np.sum((run.nets.A[k] - nets.A[k]) ** 2) + np.sum((run.nets.b[k] - nets.b[k]) ** 2))
        norm0 = np.sqrt(np.sum(nets.A[k] ** 2) + np.sum(nets.b[k] ** 2))
        assert res.movement[k] == pytest.approx(moved / norm0, rel=1e-9)
        pred = run.nets(small_task.X_test)[k]
        assert res.test_loss[k] == pytest.approx(0.5 * np.mean((pred - small_task.y_test) ** 2), rel=1e-9)
    np.testing.assert_allclose(res.alignment, teacher_alignment(run.nets, small_task.teacher), rtol=1e-12)


def test_scale_sweep_replays_training(small_task) -> None:
    nus, seeds = np.array([0.3, 2.0]), [1, 2]
    sweep = scale_sweep(small_task, nus, seeds, m=4, n_steps=15, c=0.5)
    X, y = small_task.X, small_task.y
    lam = {s: _lam_bar_and_ref(small_task, 4, s) for s in seeds}
    nets = ReLUNets.random(4, 3, nus, seeds)
    lr = np.array([0.5 / (nu**2 * lam[s][0] + lam[s][1]) for nu in nus for s in seeds])
    np.testing.assert_allclose(sweep.lr.ravel(), lr, rtol=1e-10)
    run = train_relu_nets(nets, X, y, lr, 15)
    for idx, (i, k) in enumerate([(i, k) for i in range(2) for k in range(2)]):
        dA, db = run.nets.A[idx] - nets.A[idx], run.nets.b[idx] - nets.b[idx]
        moved = np.sqrt(np.sum(dA**2) + np.sum(db**2))
        norm0 = np.sqrt(np.sum(nets.A[idx] ** 2) + np.sum(nets.b[idx] ** 2))
        assert sweep.movement[i, k] == pytest.approx(moved / norm0, rel=1e-9)
        pred = run.nets(small_task.X_test)[idx]
        loss = 0.5 * np.mean((pred - small_task.y_test) ** 2)
        assert sweep.test_loss[i, k] == pytest.approx(loss, rel=1e-9)
        r = run.nets(X)[idx] - y
        assert sweep.train_risk[i, k] == pytest.approx(0.5 * r @ r, rel=1e-9)
    np.testing.assert_allclose(sweep.signs_unchanged.ravel(), signs_unchanged(nets, run.nets, X), rtol=1e-12)
    np.testing.assert_allclose(sweep.lazy_test_loss, lazy_limit_test_loss(small_task, 4, seeds, 15, 0.5))
    assert sweep.null_loss == pytest.approx(0.5 * np.mean(small_task.y_test**2), rel=1e-14)
    assert sweep.seeds == (1, 2) and not sweep.diverged.any()


@pytest.mark.parametrize("n_steps", [None, 20])
def test_lazy_limit_against_explicit_kernel_regression(small_task, n_steps) -> None:
    X, y, Xt, yt = small_task.X, small_task.y, small_task.X_test, small_task.y_test
    res = lazy_limit(small_task, 8, [3, 4], n_steps=n_steps, c=0.7)
    assert res.n_steps == n_steps
    for k, seed in enumerate([3, 4]):
        nets = ReLUNets.random(8, 3, [1.0], [seed])
        J = _explicit_relu_jacobian(nets.A[0], nets.b[0], X)
        Jt = _explicit_relu_jacobian(nets.A[0], nets.b[0], Xt)
        K = J @ J.T
        if n_steps is None:
            coef = np.linalg.pinv(K, rcond=1e-12, hermitian=True) @ y
        else:  # explicit gradient descent in prediction space from r₀ = −y
            eta = 0.7 / np.linalg.eigvalsh(K)[-1]
            r, coef = -y.copy(), np.zeros_like(y)
            for _ in range(n_steps):
                coef -= eta * r
                r = r - eta * K @ r
        assert res.test_loss[k] == pytest.approx(0.5 * np.mean((Jt @ J.T @ coef - yt) ** 2), rel=1e-7)
        res_train = K @ coef - y
        assert res.train_risk[k] == pytest.approx(0.5 * res_train @ res_train, rel=1e-6, abs=1e-12)


def test_paper_flow_fields_against_its_weights() -> None:
    net, X, y = make_problem(n=4, d=3, m=6, seed=8, symmetric=False)
    alpha = 1.7
    p = paper_gradient_flow(net, X, y, alpha, [0.0, 0.2, 0.9])
    for k, W in enumerate(p.weights):
        pred = alpha * explicit_forward(W, net.s, X, "tanh")
        np.testing.assert_allclose(p.predictions[k], pred, rtol=1e-12)
        assert p.risk[k] == pytest.approx(explicit_risk(pred, y), rel=1e-12)
        assert p.distance[k] == pytest.approx(np.linalg.norm(W - net.W), rel=1e-12, abs=1e-15)
    # the flow itself: ẇ = −(1/α) Jᵀ(αf − y), checked by a central difference at t = 0.2
    q = paper_gradient_flow(net, X, y, alpha, [0.2 - 1e-3, 0.2 + 1e-3])
    slope = (q.weights[1] - q.weights[0]).ravel() / 2e-3
    W = p.weights[1]
    rhs = -explicit_jacobian(net, X, W).T @ (alpha * explicit_forward(W, net.s, X, "tanh") - y) / alpha
    # truncation error of the quotient ~h²‖w'''‖/6 ≈ 1e-6; a wrong factor α^{±1} would be O(‖ẇ‖)
    np.testing.assert_allclose(slope, rhs, rtol=0, atol=1e-4 * np.abs(rhs).max())
    assert not p.linearized and p.method == "RK45" and p.nfev > 0


@pytest.mark.parametrize("centring", ["symmetric", "subtract"])
def test_centring_sweep_replays_the_flows(centring: str) -> None:
    net, X, y = make_problem(n=4, d=3, m=6, seed=9, symmetric=centring == "symmetric")
    t_paper = np.array([0.0, 0.5, 3.0])
    res = centring_sweep(net, X, y, [1.5, 4.0], t_paper, centring)
    assert res.centring == centring
    for k, alpha in enumerate([1.5, 4.0]):
        offset = alpha * net(X) if centring == "subtract" else 0.0
        t = t_paper / alpha**2
        w = gradient_flow(net, X, y + offset, alpha, t)
        u = gradient_flow(net, X, y + offset, alpha, t, linearized=True)
        assert res.risk0[k] == pytest.approx(explicit_risk(w.predictions[0] - offset, y), rel=1e-12)
        assert res.movement[k] == pytest.approx(np.linalg.norm(w.weights[-1] - net.W), rel=1e-7)
        gap = np.max(np.linalg.norm(w.predictions - u.predictions, axis=1))
        assert res.gap[k] == pytest.approx(gap, rel=1e-6)
        assert res.final_risk[k] == pytest.approx(explicit_risk(w.predictions[-1], y + offset), rel=1e-6)
        path = np.max([np.linalg.norm(a - b) for a, b in zip(w.weights, u.weights, strict=True)])
        assert res.path_gap[k] == pytest.approx(path, rel=1e-6)
    np.testing.assert_allclose(res.risk0, 0.5 * y @ y, rtol=1e-12)


def test_chizat_bach_threshold_closed_form_and_theorem_relation() -> None:
    got = chizat_bach_threshold(0.5, 2.0, 3.0, 1.5, kappa=4.0)
    assert got == pytest.approx(32 * 4.0**1.5 * 2.0 * 3.0 * 1.5 / 0.5**3, rel=1e-14)
    # square loss, h(w₀) = 0: 4/3 of Theorem 8.1's α_min = β√(1152 σ_max² R₀)/σ_min³ with R₀ = ½‖y‖²
    R0 = 0.5 * 1.5**2
    alpha_min = 3.0 * np.sqrt(1152 * 2.0**2 * R0) / 0.5**3
    assert chizat_bach_threshold(0.5, 2.0, 3.0, 1.5) == pytest.approx(4 / 3 * alpha_min, rel=1e-12)
    assert chizat_bach_threshold(0.5, 2.0, 3.0, 0.0) == 0.0
    with pytest.raises(ValueError, match="kappa"):
        chizat_bach_threshold(0.5, 2.0, 3.0, 1.5, kappa=0.5)
    with pytest.raises(ValueError, match="sigma_min"):
        chizat_bach_threshold(3.0, 2.0, 3.0, 1.5)


@pytest.mark.parametrize("linearized", [True, False])
def test_step_size_edge_replays_gradient_descent(linearized: bool) -> None:
    net, X, y = make_problem(n=4, d=3, m=6, seed=10)
    alpha = 2.0
    J0 = explicit_jacobian(net, X)
    eta_c = 2.0 / (alpha**2 * np.linalg.eigvalsh(J0 @ J0.T)[-1])
    edge = step_size_edge(net, X, y, alpha, [0.5, 1.5], 400, linearized=linearized, record_every=7)
    assert edge.eta_c == pytest.approx(eta_c, rel=1e-10)
    for k, f in enumerate([0.5, 1.5]):
        run = gradient_descent(net, X, y, alpha, f * eta_c, 400, linearized, record_every=7)
        np.testing.assert_allclose(edge.runs[k].risk, run.risk, rtol=1e-12)
        assert edge.diverged[k] == run.diverged
        if run.diverged:
            assert np.isinf([edge.final_risk[k], edge.max_risk[k], edge.distance[k], edge.sharpness[k]]).all()
            continue
        assert edge.final_risk[k] == pytest.approx(run.risk[-1], rel=1e-12)
        assert edge.max_risk[k] == pytest.approx(run.risk.max(), rel=1e-12)
        assert edge.distance[k] == pytest.approx(np.linalg.norm(run.weights[-1] - net.W), rel=1e-12)
        J = J0 if linearized else explicit_jacobian(net, X, run.weights[-1])
        sharp = f * eta_c * alpha**2 * np.linalg.eigvalsh(J @ J.T)[-1]
        assert edge.sharpness[k] == pytest.approx(sharp, rel=1e-10)
    if linearized:
        assert edge.diverged.tolist() == [False, True]


# ---------------------------------------------------------------------------------------------
# Killing the survivors of the mutation run (benchmarks/mutation.md)
# ---------------------------------------------------------------------------------------------
def test_divergence_is_flagged_when_the_risk_passes_the_limit_while_still_finite(small_task) -> None:
    X, y = small_task.X, small_task.y
    nets = ReLUNets.random(8, 3, [1.0], [0], symmetric=False)
    for n_steps in range(1, 40):  # the first step count whose final risk is finite but over the limit
        R = train_relu_nets(nets, X, y, 5.0, n_steps, record_every=1)
        if R.diverged[0]:
            break
    free = [_risk(nets.A[0], nets.b[0], X, y)]
    A, b = nets.A[0].copy(), nets.b[0].copy()
    for _ in range(n_steps):  # explicit GD: the risk where the run stopped
        Z = X @ A.T
        r = np.maximum(Z, 0.0) @ b - y
        A, b = A - 5.0 * ((Z > 0) * r[:, None] * b).T @ X, b - 5.0 * np.maximum(Z, 0.0).T @ r
        free.append(_risk(A, b, X, y))
    limit = 1e12 * max(free[0], 1.0)
    assert np.isfinite(free[-1]) and free[-1] > limit >= max(free[:-1])


def test_relu_nets_store_validated_float_arrays() -> None:
    nets = ReLUNets([[[1, 2], [3, 4]]], [[1, -1]])
    assert isinstance(nets.b, np.ndarray) and nets.b.dtype == np.float64
    assert isinstance(nets.A, np.ndarray) and nets.A.dtype == np.float64


@pytest.mark.parametrize("c", [0.7, 1.5])
def test_lazy_limit_steps_against_explicit_linear_gd(small_task, c: float) -> None:
    """c ≥ 1 makes η̄λ ≥ 1 on the top eigenvalues: the gain's power branch, with an oscillating factor."""
    X, y, Xt, yt = small_task.X, small_task.y, small_task.X_test, small_task.y_test
    nets = ReLUNets.random(8, 3, [1.0], [6])
    J = _explicit_relu_jacobian(nets.A[0], nets.b[0], X)
    Jt = _explicit_relu_jacobian(nets.A[0], nets.b[0], Xt)
    K = J @ J.T
    eta = c / np.linalg.eigvalsh(K)[-1]
    r, coef = -y.copy(), np.zeros_like(y)
    for _ in range(7):
        coef -= eta * r
        r = r - eta * K @ r
    expected = 0.5 * np.mean((Jt @ J.T @ coef - yt) ** 2)
    assert lazy_limit(small_task, 8, [6], n_steps=7, c=c).test_loss[0] == pytest.approx(expected, rel=1e-9)
    assert lazy_limit_test_loss(small_task, 8, [6], 7, c=c)[0] == pytest.approx(expected, rel=1e-9)


def test_neuron_trajectories_default_step_fraction_is_one_half(small_task) -> None:
    res = neuron_trajectories(small_task, [0.5], m=4, seed=1, n_steps=2, record_every=1)
    lam_bar, lam_ref = _lam_bar_and_ref(small_task, 4, 1)
    assert res.lr[0] == pytest.approx(0.5 / (0.25 * lam_bar + lam_ref), rel=1e-10)


def test_paper_flow_reports_its_time_grid_and_kind() -> None:
    net, X, y = make_problem(n=3, d=2, m=4, seed=9)
    p = paper_gradient_flow(net, X, y, 2.0, [0.0, 0.3])
    np.testing.assert_array_equal(p.t, [0.0, 0.3])
    assert p.linearized is False


def test_signs_unchanged_counts_a_preactivation_at_exactly_zero_as_inactive() -> None:
    X = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    before = ReLUNets(np.array([[[1.0, 0.0, 0.0]]]), np.array([[1.0]]))  # z = 0 on x₁, z = 1 on x₂
    after = ReLUNets(np.array([[[1.0, -0.5, 0.0]]]), np.array([[1.0]]))  # z = −0.5 on x₁, z = 1 on x₂
    assert signs_unchanged(before, after, X)[0] == 1.0  # 1[0 > 0] = 1[−0.5 > 0] = 0


def test_step_size_edge_reports_its_factors() -> None:
    net, X, y = make_problem(n=3, d=2, m=4, seed=11)
    edge = step_size_edge(net, X, y, 1.0, [0.5, 0.9], 5)
    np.testing.assert_array_equal(edge.factors, [0.5, 0.9])
    assert len(edge.runs) == 2


def test_chizat_bach_threshold_edges() -> None:
    # σ_min = σ_max is allowed (a perfectly conditioned Jacobian)
    assert chizat_bach_threshold(2.0, 2.0, 1.0, 1.0) == pytest.approx(32 * 2.0 / 8.0, rel=1e-14)
    with pytest.raises(ValueError, match="lam_bar"):
        relu_step_sizes([1.0], [0.0], 1.0)
