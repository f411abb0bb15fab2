"""Tests of lazylib.width_scale against independent computations.

References never call the function they check: Jacobians are materialised (``net.jacobian``) and split
into neuron blocks, flows are rerun with :func:`lazylib.flows.gradient_flow` on hand-built networks,
Chernoff tails are evaluated in Tropp's original product form, the threshold through
:class:`lazylib.theory.Theorem81`, and the expected kernel by Monte Carlo.
"""

from __future__ import annotations

import numpy as np
import pytest
from factories import SIGMA

from lazylib import ShallowNet, sphere
from lazylib.case_study import expected_ntk
from lazylib.flows import gradient_flow
from lazylib.theory import Theorem81, jacobian_lipschitz_bound_op, jacobian_singular_values, risk
from lazylib.width_scale import (
    DSIGMA_SUP,
    WidthConditionSamples,
    chernoff_exponents,
    chernoff_tail,
    parametrisation_scale,
    parametrised_net,
    width_condition_samples,
    width_scale_run,
    width_scale_sweep,
    width_theorem,
)


def _data(n: int = 4, d: int = 20, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    X = sphere(n, d, rng=seed)
    v = np.sin(3.0 * np.sqrt(d) * X[:, 0]) + 0.3
    return X, v / np.linalg.norm(v)


# ---------------------------------------------------------------------------- width as scale
@pytest.mark.parametrize("activation", ["tanh", "softplus"])
def test_ntk_net_is_sqrt_m_times_mean_field_net(activation: str) -> None:
    X, y = _data(5, 3)
    base = ShallowNet.random(40, 3, activation, rng=1)
    f = parametrised_net(base, "ntk")
    h = parametrised_net(base, "mean_field")
    assert f.scale == pytest.approx(1 / np.sqrt(40), rel=1e-15) and h.scale == pytest.approx(
        1 / 40, rel=1e-15
    )
    assert parametrisation_scale("ntk", 40) / parametrisation_scale("mean_field", 40) == pytest.approx(
        np.sqrt(40)
    )
    np.testing.assert_allclose(f(X), np.sqrt(40) * h(X), rtol=1e-13, atol=1e-15)
    # The theorem's quantities of h are those of f divided by sqrt(m) (sigma's and beta) ...
    np.testing.assert_allclose(h.jacobian(X) * np.sqrt(40), f.jacobian(X), rtol=1e-13, atol=1e-15)
    sv_f = np.linalg.svd(f.jacobian(X), compute_uv=False)
    np.testing.assert_allclose(
        jacobian_singular_values(h, X), (sv_f[-1] / np.sqrt(40), sv_f[0] / np.sqrt(40))
    )
    assert jacobian_lipschitz_bound_op(h, X) * np.sqrt(40) == pytest.approx(jacobian_lipschitz_bound_op(f, X))
    # ... and R0 of alpha h at alpha = sqrt(m) is that of f.
    assert float(risk(np.sqrt(40) * h(X), y)) == pytest.approx(float(risk(f(X), y)), rel=1e-12)


@pytest.mark.parametrize("parametrisation", ["ntk", "mean_field"])
def test_run_matches_an_independent_flow(parametrisation: str) -> None:
    X, y = _data(4, 3)
    base = ShallowNet.random(12, 3, "tanh", rng=2)
    run = width_scale_run(base, X, y, parametrisation, horizon=2.0, n_times=5)
    scale = 1 / np.sqrt(12) if parametrisation == "ntk" else 1 / 12
    net = ShallowNet(base.W, base.s, "tanh", scale)
    times = np.linspace(0, 2.0, 5) * (1 if parametrisation == "ntk" else 12)
    w = gradient_flow(net, X, y, 1.0, times)
    u = gradient_flow(net, X, y, 1.0, times, linearized=True)
    np.testing.assert_allclose(run.risk, w.risk, rtol=1e-6)
    np.testing.assert_allclose(run.risk_linearized, u.risk, rtol=1e-10)
    W_end = w.weights[-1]
    assert run.movement == pytest.approx(np.linalg.norm(W_end - base.W) / np.linalg.norm(base.W), rel=1e-5)
    np.testing.assert_allclose(
        run.neuron_movement, np.linalg.norm(W_end - base.W, axis=1), rtol=1e-5, atol=1e-12
    )
    J0, JT = net.jacobian(X), net.with_weights(W_end).jacobian(X)
    K0, KT = J0 @ J0.T, JT @ JT.T
    assert run.kernel_change == pytest.approx(np.linalg.norm(KT - K0, 2) / np.linalg.norm(K0, 2), rel=1e-4)
    gap = np.linalg.norm(w.predictions - u.predictions, axis=1) / np.linalg.norm(y)
    np.testing.assert_allclose(run.gap, gap, rtol=1e-4, atol=1e-10)
    # every neuron's displacement is below the per-neuron speed bound integrated over the run
    assert np.all(run.neuron_movement <= run.neuron_bound)
    assert run.movement <= run.movement_bound and run.kernel_change <= run.kernel_bound
    beta = jacobian_lipschitz_bound_op(net, X)
    delta = np.linalg.norm(W_end - base.W)
    smax = np.linalg.norm(J0, 2)
    kernel_bound = beta * delta * (2 * smax + beta * delta) / smax**2
    assert run.kernel_bound == pytest.approx(kernel_bound, rel=1e-5)
    assert np.linalg.norm(JT - J0, 2) <= beta * delta  # the Lipschitz step of the bound


def test_both_parametrisations_start_with_the_same_effective_kernel() -> None:
    X, _ = _data(5, 3)
    base = ShallowNet.random(30, 3, "tanh", rng=3)
    f, h = parametrised_net(base, "ntk"), parametrised_net(base, "mean_field")
    Jf, Jh = f.jacobian(X), h.jacobian(X)
    np.testing.assert_allclose(30 * Jh @ Jh.T, Jf @ Jf.T, rtol=1e-12)  # learning rate m times K(h) = K(f)


def test_sweep_rows_are_the_runs_of_the_same_draws() -> None:
    X, y = _data(4, 3)
    sweep = width_scale_sweep(X, y, [6, 12], horizon=1.0, n_nets=2, n_times=4, rng=5)
    assert sweep.ntk.movement.shape == (2, 2) and sweep.mean_field.gap.shape == (2, 2)
    rng = np.random.default_rng(5)
    draws = [[ShallowNet.random(m, 3, "tanh", rng=rng) for _ in range(2)] for m in (6, 12)]
    run = width_scale_run(draws[1][1], X, y, "mean_field", 1.0, 4)
    assert sweep.get("mean_field").movement[1, 1] == pytest.approx(run.movement, rel=1e-12)
    assert sweep.get("mean_field").gap[1, 1] == pytest.approx(run.gap.max(), rel=1e-12)
    run = width_scale_run(draws[0][0], X, y, "ntk", 1.0, 4)
    assert sweep.ntk.kernel_change[0, 0] == pytest.approx(run.kernel_change, rel=1e-12)
    assert sweep.ntk.risk_end[0, 0] == pytest.approx(run.risk[-1] / run.risk[0], rel=1e-12)


# ---------------------------------------------------------------------------- matrix Chernoff
def test_chernoff_exponents_are_tropps_bases() -> None:
    kappa = np.linspace(0.0, 0.99, 100)
    lower, upper = chernoff_exponents(kappa)
    np.testing.assert_allclose(
        lower, -np.log(np.exp(-kappa) / (1 - kappa) ** (1 - kappa)), rtol=1e-12, atol=1e-15
    )
    np.testing.assert_allclose(
        upper, -np.log(np.exp(kappa) / (1 + kappa) ** (1 + kappa)), rtol=1e-12, atol=1e-15
    )
    assert np.all(lower >= kappa**2 / 2 - 1e-15) and np.all(upper >= kappa**2 / 3 - 1e-15)  # simplified forms
    assert lower[0] == 0 and upper[0] == 0


def test_chernoff_tail_in_product_form() -> None:
    kappa, mu, L = 0.3, 12.0, 1.7
    lower = 5 * (np.exp(-kappa) / (1 - kappa) ** (1 - kappa)) ** (mu / L)
    upper = 5 * (np.exp(kappa) / (1 + kappa) ** (1 + kappa)) ** (mu / L)
    assert float(chernoff_tail(5, mu, L, kappa, "lower")) == pytest.approx(lower, rel=1e-12)
    assert float(chernoff_tail(5, mu, L, kappa, "upper")) == pytest.approx(upper, rel=1e-12)


@pytest.mark.parametrize("activation", ["tanh", "softplus"])
def test_neuron_terms_are_psd_bounded_and_sum_to_the_gram(activation: str) -> None:
    X, _ = _data(6, 4)
    net = ShallowNet.random(25, 4, activation, rng=4)
    J = net.jacobian(X)  # materialised, neuron-major columns
    blocks = [J[:, 4 * j : 4 * (j + 1)] for j in range(25)]
    terms = [B @ B.T for B in blocks]
    np.testing.assert_allclose(sum(terms), net.ntk(X), rtol=1e-12)
    L = DSIGMA_SUP[activation] ** 2 * np.linalg.norm(X, 2) ** 2
    for Y in terms:
        eig = np.linalg.eigvalsh(Y)
        assert eig[0] >= -1e-12 and eig[-1] <= L * (1 + 1e-12)
    z = np.linspace(-20, 20, 400_001)
    assert np.max(np.abs(SIGMA[activation][1](z))) <= DSIGMA_SUP[activation] + 1e-12
    assert np.max(np.abs(SIGMA[activation][1](z))) >= DSIGMA_SUP[activation] - 1e-6  # the sup is sharp


def test_expected_gram_is_m_times_the_limit_kernel() -> None:
    """Monte Carlo: E(J0 J0^T)/m = K_inf, the mean the theorem's Chernoff bound is taken around."""
    X, _ = _data(3, 5)
    grams = np.array([ShallowNet.random(50, 5, "tanh", rng=s).ntk(X) / 50 for s in range(400)])
    K = expected_ntk(X, "tanh")
    se = grams.std(axis=0, ddof=1) / np.sqrt(400)
    assert np.all(np.abs(grams.mean(axis=0) - K) <= 4 * se + 1e-12)


# ---------------------------------------------------------------------------- the width theorem
@pytest.mark.parametrize("activation", ["tanh", "softplus"])
def test_width_theorem_constants(activation: str) -> None:
    X, y = _data(3, 20)
    fail_prob = 0.1
    th = width_theorem(X, y, fail_prob, activation)
    lam = np.linalg.eigvalsh(expected_ntk(X, activation))
    beta0 = 4 / (3 * np.sqrt(3)) if activation == "tanh" else 0.25
    norm_X = np.linalg.norm(X, 2)
    assert th.lam_min == pytest.approx(lam[0], rel=1e-12) and th.lam_max == pytest.approx(lam[-1], rel=1e-12)
    assert th.beta_op == pytest.approx(beta0 * norm_X * np.max(np.linalg.norm(X, axis=1)), rel=1e-9)
    assert th.term_bound == pytest.approx(2 * norm_X**2, rel=1e-12)
    assert th.risk0 == pytest.approx(0.5 * y @ y, rel=1e-12)
    m, kappa = th.m_star, th.kappa
    assert m % 2 == 0 and 0 < kappa < 1
    # Chernoff with m/2 independent pair terms, each <= L, mean m K: both tails <= fail_prob/2 at m*
    lower = X.shape[0] * (np.exp(-kappa) / (1 - kappa) ** (1 - kappa)) ** (m * th.lam_min / th.term_bound)
    upper = X.shape[0] * (np.exp(kappa) / (1 + kappa) ** (1 + kappa)) ** (m * th.lam_max / th.term_bound)
    assert lower <= fail_prob / 2 and upper <= fail_prob / 2
    # On that event the NTK network at alpha = 1 meets Theorem 8.1's threshold
    worst = Theorem81(
        sigma_min=np.sqrt((1 - kappa) * th.lam_min),
        sigma_max=np.sqrt((1 + kappa) * th.lam_max),
        beta=th.beta_op / np.sqrt(m),
        risk0=th.risk0,
        alpha=1.0,
    )
    assert worst.applies
    m2 = 1152 * th.beta_op**2 * th.risk0 * (1 + kappa) * th.lam_max / ((1 - kappa) ** 3 * th.lam_min**3)
    assert float(th.m_threshold(kappa)) == pytest.approx(m2, rel=1e-12)
    assert th.m_expected == pytest.approx(
        1152 * th.beta_op**2 * th.risk0 * th.lam_max / th.lam_min**3, rel=1e-12
    )
    # kappa is (nearly) optimal: no other kappa gives a smaller width
    for other in (0.05, 0.2, 0.5, 0.9):
        assert m <= max(float(th.m_chernoff(other)), float(th.m_threshold(other))) * (1 + 2e-3) + 2
    assert th.m_expected < m


def test_condition_samples_match_a_materialised_network() -> None:
    X, y = _data(3, 6)
    widths = [4, 10]
    samples = width_condition_samples(X, y, widths, "tanh", n_nets=2, rng=7, chunk=100)
    # network s: the first m/2 pairs of its own stream, child s of the seed
    rows_of = [g.standard_normal((5, 6)) for g in np.random.default_rng(7).spawn(2)]
    for s in range(2):
        for k, (m, rows) in enumerate(((4, rows_of[s][:2]), (10, rows_of[s]))):
            signs = np.where(np.arange(m // 2) % 2 == 0, 1.0, -1.0)
            net = ShallowNet(
                np.concatenate([rows, rows]), np.concatenate([signs, -signs]), "tanh", 1 / np.sqrt(m)
            )
            assert np.allclose(net(X), 0.0)  # centred: R0 = |y|^2/2
            sv = np.linalg.svd(net.jacobian(X), compute_uv=False)
            th = Theorem81(
                sigma_min=sv[X.shape[0] - 1],
                sigma_max=sv[0],
                beta=jacobian_lipschitz_bound_op(net, X),
                risk0=float(risk(net(X), y)),
                alpha=1.0,
            )
            assert samples.ratio[s, k] == pytest.approx(th.alpha_min, rel=1e-8)
            assert samples.lam_min[s, k] == pytest.approx(sv[X.shape[0] - 1] ** 2, rel=1e-8)


def test_condition_samples_do_not_depend_on_chunk_or_on_smaller_grid_widths() -> None:
    """Issue 27 N07: chunk=1 and chunk=4096 drew different networks, and width 16 in [16] differed
    from width 16 in [4, 16]."""
    X, y = _data(3, 6)
    ref = width_condition_samples(X, y, [16], "tanh", n_nets=3, rng=0)
    for chunk in (1, 3, 4096):
        for widths in ([16], [4, 16], [2, 8, 16]):
            got = width_condition_samples(X, y, widths, "tanh", n_nets=3, rng=0, chunk=chunk)
            np.testing.assert_allclose(got.ratio[:, -1], ref.ratio[:, 0], rtol=1e-10)
            np.testing.assert_allclose(got.lam_min[:, -1], ref.lam_min[:, 0], rtol=1e-10)


def test_first_width_and_fraction() -> None:
    ratio = np.array([[2.0, 0.5, 1.5, 0.9, 0.8], [0.5, 0.6, 0.7, 0.8, 0.9], [3.0, 2.0, 2.0, 2.0, 1.1]])
    samples = WidthConditionSamples(
        widths=np.array([2, 4, 8, 16, 32]), ratio=ratio, lam_min=ratio, lam_max=ratio
    )
    np.testing.assert_array_equal(samples.first_width(), [16.0, 2.0, np.inf])
    np.testing.assert_allclose(samples.fraction(), [1 / 3, 2 / 3, 1 / 3, 2 / 3, 2 / 3])


def test_every_network_at_the_proven_width_meets_the_condition() -> None:
    X, y = _data(2, 20)
    th = width_theorem(X, y, 0.1, "tanh")
    samples = width_condition_samples(X, y, [th.m_star], "tanh", n_nets=200, rng=11)
    assert np.all(samples.ratio <= 1.0)
    # and the Chernoff event itself holds on every draw
    assert np.all(samples.lam_min >= (1 - th.kappa) * th.lam_min) and np.all(
        samples.lam_max <= (1 + th.kappa) * th.lam_max
    )


# ---------------------------------------------------------------------------- bad input
def test_bad_input_names_the_argument() -> None:
    X, y = _data(3, 4)
    net = ShallowNet.random(8, 4, "tanh", rng=0)
    cases = [
        (lambda: parametrised_net(net, "mup"), "parametrisation"),
        (lambda: parametrisation_scale("ntk", 0), "m"),
        (lambda: width_scale_run(net, X, y, "ntk", 0.0), "horizon"),
        (lambda: width_scale_run(net, X, np.zeros(3), "ntk", 1.0), "y"),
        (lambda: width_scale_run(net, X, y, "ntk", 1.0, n_times=1), "n_times"),
        (lambda: width_scale_run(ShallowNet.random(8, 4, "relu", rng=0), X, y, "ntk", 1.0), "activation"),
        (lambda: width_scale_sweep(X, y, [8, 4], 1.0), "widths"),
        (lambda: width_scale_sweep(X, y, [8], 1.0, n_nets=0), "n_nets"),
        (lambda: width_theorem(X, y, 1.0), "fail_prob"),
        (lambda: width_theorem(X, y[:2], 0.1), "y"),
        (lambda: width_theorem(np.vstack([X, X[:1]]), np.append(y, 0.0), 0.1), "X"),
        (lambda: width_condition_samples(X, y, [4, 7], n_nets=2), "widths"),
        (lambda: width_condition_samples(X, y, [4], "relu"), "activation"),
        (lambda: chernoff_exponents(1.0), "kappa"),
        (lambda: chernoff_tail(3, 1.0, 0.0, 0.5, "lower"), "term_bound"),
        (lambda: chernoff_tail(3, 1.0, 1.0, 0.5, "middle"), "side"),
    ]
    for call, name in cases:
        with pytest.raises(ValueError, match=name):
            call()
    with pytest.raises(TypeError, match="net"):
        parametrised_net("net", "ntk")  # type: ignore[arg-type]


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_kernel_bound_holds_with_large_output_weights(seed: int) -> None:
    """Issue 27 N01: β without ``max|s_j|`` let ``kernel_change`` exceed ``kernel_bound`` for ``30 s``
    (seed 3: 0.53 against 0.092); β now carries ``max|s_j|``, as the flow's per-neuron bound did."""
    X, y = sphere(4, 3, rng=1), np.array([1.0, -1.0, 0.5, 0.0])
    base = ShallowNet.random(6, 3, "tanh", rng=seed)
    net = ShallowNet(base.W, 30.0 * base.s)
    for p in ("ntk", "mean_field"):
        run = width_scale_run(net, X, y, p, 3.0)
        assert run.kernel_change <= run.kernel_bound
        assert np.all(run.neuron_movement <= run.neuron_bound)
