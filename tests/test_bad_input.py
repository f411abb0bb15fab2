"""Every public entry rejects bad input with a ValueError whose message names the argument."""

from __future__ import annotations

import numpy as np
import pytest

from lazylib.activations import NotSmoothError, get_activation
from lazylib.data import sphere, teacher_student
from lazylib.fitting import fit_power_law
from lazylib.flows import gradient_descent, gradient_flow
from lazylib.linearization import linearization_error, linearize
from lazylib.models import ShallowNet
from lazylib.theory import (
    empirical_jacobian_lipschitz,
    jacobian_difference_norm,
    jacobian_lipschitz_bound,
    jacobian_singular_values,
    lemma_8_1_bound,
    lemma_8_2_radius,
    lemma_8_3_bounds,
    risk,
    theorem_8_1,
)

NET = ShallowNet.random(6, 3, "tanh", rng=0)
RELU = ShallowNet.random(6, 3, "relu", rng=0)
X = sphere(4, 3, rng=1)
Y = np.array([1.0, -1.0, 0.5, 0.0])
W = NET.W
T = np.array([0.0, 1.0])


def with_nan(a: np.ndarray, value: float = np.nan) -> np.ndarray:
    b = np.array(a, dtype=float)
    b.flat[0] = value
    return b


DUPLICATES = np.vstack([X, X[:1]])
Y5 = np.append(Y, 2.0)
BIG_N = sphere(30, 3, rng=2)  # n = 30 > p = 18

CASES = [
    # --- ShallowNet
    ("W nan", lambda: ShallowNet(with_nan(W), NET.s), "W contains NaN"),
    ("W inf", lambda: ShallowNet(with_nan(W, np.inf), NET.s), "W contains NaN or inf"),
    ("W 1-d", lambda: ShallowNet(W.ravel(), NET.s), "W must be 2-dimensional"),
    ("W empty", lambda: ShallowNet(np.zeros((0, 3)), np.zeros(0)), "W must have at least one"),
    ("W text", lambda: ShallowNet("abc", NET.s), "W must be a numeric array"),
    ("s shape", lambda: ShallowNet(W, np.ones(5)), r"s must have shape \(6\)"),
    ("s nan", lambda: ShallowNet(W, with_nan(NET.s)), "s contains NaN"),
    ("activation", lambda: ShallowNet(W, NET.s, "sigmoid"), "activation must be one of"),
    ("scale 0", lambda: ShallowNet(W, NET.s, scale=0.0), "scale must be > 0"),
    ("scale nan", lambda: ShallowNet(W, NET.s, scale=np.nan), "scale must be finite"),
    ("random m", lambda: ShallowNet.random(0, 3), "m must be >= 1"),
    ("random m float", lambda: ShallowNet.random(2.5, 3), "m must be an integer"),
    ("random d", lambda: ShallowNet.random(4, -1), "d must be >= 1"),
    ("random odd m", lambda: ShallowNet.random(5, 3, symmetric=True), "m must be even"),
    ("random activation", lambda: ShallowNet.random(4, 3, "gelu"), "activation must be one of"),
    ("random scale", lambda: ShallowNet.random(4, 3, scale=-1.0), "scale must be > 0"),
    ("call X shape", lambda: NET(np.ones((4, 2))), r"X must have shape \(\*, 3\)"),
    ("call X 1-d", lambda: NET(np.ones(3)), "X must have shape"),
    ("call X nan", lambda: NET(with_nan(X)), "X contains NaN"),
    ("call X inf", lambda: NET(with_nan(X, -np.inf)), "X contains NaN or inf"),
    ("jacobian X", lambda: NET.jacobian(with_nan(X)), "X contains NaN"),
    ("ntk X", lambda: NET.ntk(np.ones((4, 5))), "X must have shape"),
    ("derivative_features X", lambda: NET.derivative_features(with_nan(X)), "X contains"),
    ("jvp V size", lambda: NET.jvp(X, np.ones(5)), "V must have 18 entries"),
    ("jvp V nan", lambda: NET.jvp(X, with_nan(W)), "V contains NaN"),
    ("vjp r shape", lambda: NET.vjp(X, np.ones(3)), r"r must have shape \(4\)"),
    ("vjp r nan", lambda: NET.vjp(X, with_nan(Y)), "r contains NaN"),
    ("with_weights size", lambda: NET.with_weights(np.ones(17)), "W must have 18 entries"),
    ("with_weights nan", lambda: NET.with_weights(with_nan(W)), "W contains NaN"),
    # --- activations
    ("get_activation", lambda: get_activation("swish"), "activation must be one of"),
    ("relu beta0", lambda: get_activation("relu").beta0, "activation 'relu' is not smooth"),
    # --- tangent
    ("linearize X", lambda: linearize(NET, with_nan(X)), "X contains NaN"),
    ("linearized U size", lambda: linearize(NET, X)(np.ones(3)), "U must have 18 entries"),
    ("linearized U nan", lambda: linearize(NET, X)(with_nan(W)), "U contains NaN"),
    ("linearization_error W", lambda: linearization_error(NET, np.ones(4), X), "W must have 18"),
    ("linearization_error X", lambda: linearization_error(NET, W, np.ones((2, 2))), "X must have shape"),
    # --- theory
    ("risk nan", lambda: risk(with_nan(Y), Y), "predictions contains NaN"),
    ("risk y nan", lambda: risk(Y, with_nan(Y)), "y contains NaN"),
    ("risk shapes", lambda: risk(np.ones(3), Y), "predictions must have shape"),
    ("singular values p < n", lambda: jacobian_singular_values(NET, BIG_N), r"p = m\*d = 18 < n = 30"),
    ("singular values duplicates", lambda: jacobian_singular_values(NET, DUPLICATES), "sigma_min = 0"),
    ("lipschitz relu", lambda: jacobian_lipschitz_bound(RELU, X), "activation 'relu' is not smooth"),
    ("lipschitz X", lambda: jacobian_lipschitz_bound(NET, with_nan(X)), "X contains"),
    ("difference W", lambda: jacobian_difference_norm(NET, np.ones(3), W, X), "W must have 18"),
    ("difference V nan", lambda: jacobian_difference_norm(NET, W, with_nan(W), X), "W contains NaN"),
    ("empirical n_pairs", lambda: empirical_jacobian_lipschitz(NET, X, n_pairs=0), "n_pairs must be >= 1"),
    ("empirical radius", lambda: empirical_jacobian_lipschitz(NET, X, radius=-1.0), "radius must be > 0"),
    ("lemma 8.1 risk0", lambda: lemma_8_1_bound(-1.0, 1.0, T), "risk0 must be finite and >= 0"),
    ("lemma 8.1 lam", lambda: lemma_8_1_bound(1.0, 0.0, T), "lam must be > 0"),
    ("lemma 8.1 t nan", lambda: lemma_8_1_bound(1.0, 1.0, with_nan(T)), "t contains NaN"),
    ("lemma 8.1 t < 0", lambda: lemma_8_1_bound(1.0, 1.0, [-1.0]), "t must be >= 0"),
    ("lemma 8.2 lam", lambda: lemma_8_2_radius(-1.0, 1.0, 1.0), "lam must be > 0"),
    ("lemma 8.2 lam1", lambda: lemma_8_2_radius(2.0, 1.0, 1.0), "lam1 must be >= lam"),
    ("lemma 8.2 risk0", lambda: lemma_8_2_radius(1.0, 2.0, np.nan), "risk0 must be finite"),
    ("lemma 8.3 sigma_min", lambda: lemma_8_3_bounds(0.0, 1.0), "sigma_min must be > 0"),
    ("lemma 8.3 order", lambda: lemma_8_3_bounds(2.0, 1.0), "sigma_max must be >= sigma_min"),
    ("theorem alpha 0", lambda: theorem_8_1(NET, X, Y, 0.0), "alpha must be > 0"),
    ("theorem alpha < 0", lambda: theorem_8_1(NET, X, Y, -2.0), "alpha must be > 0"),
    ("theorem alpha nan", lambda: theorem_8_1(NET, X, Y, np.nan), "alpha must be finite"),
    ("theorem alpha text", lambda: theorem_8_1(NET, X, Y, "big"), "alpha must be a real number"),
    ("theorem y shape", lambda: theorem_8_1(NET, X, Y[:3], 1.0), r"y must have shape \(4\)"),
    ("theorem y nan", lambda: theorem_8_1(NET, X, with_nan(Y), 1.0), "y contains NaN"),
    ("theorem X nan", lambda: theorem_8_1(NET, with_nan(X), Y, 1.0), "X contains NaN"),
    ("theorem p < n", lambda: theorem_8_1(NET, BIG_N, np.zeros(30), 1.0), r"p = m\*d = 18 < n = 30"),
    ("theorem duplicates", lambda: theorem_8_1(NET, DUPLICATES, Y5, 1.0), "sigma_min = 0"),
    ("theorem relu", lambda: theorem_8_1(RELU, X, Y, 1.0), "activation 'relu' is not smooth"),
    ("risk_bound t < 0", lambda: theorem_8_1(NET, X, Y, 1.0).risk_bound([-1.0]), "t must be >= 0"),
    # --- flows
    ("flow alpha 0", lambda: gradient_flow(NET, X, Y, 0.0, T), "alpha must be > 0"),
    ("flow alpha < 0", lambda: gradient_flow(NET, X, Y, -1.0, T, linearized=True), "alpha must be > 0"),
    ("flow alpha inf", lambda: gradient_flow(NET, X, Y, np.inf, T), "alpha must be finite"),
    ("flow alpha overflow", lambda: gradient_flow(NET, X, Y, 1e300, T, linearized=True), "alpha = 1e"),
    ("flow alpha overflow ode", lambda: gradient_flow(NET, X, Y, 1e200, T), "alpha = 1e"),
    (
        "flow risk overflow",
        lambda: gradient_flow(NET.__class__(W, NET.s, scale=100.0), X, Y, 1e154, [0.0], linearized=True),
        "overflows? float64",
    ),
    ("flow X", lambda: gradient_flow(NET, with_nan(X), Y, 1.0, T), "X contains NaN"),
    ("flow y", lambda: gradient_flow(NET, X, np.ones(5), 1.0, T), r"y must have shape \(4\)"),
    ("flow y inf", lambda: gradient_flow(NET, X, with_nan(Y, np.inf), 1.0, T), "y contains NaN or inf"),
    ("flow t order", lambda: gradient_flow(NET, X, Y, 1.0, [1.0, 0.5]), "t_eval must be non-negative"),
    ("flow t < 0", lambda: gradient_flow(NET, X, Y, 1.0, [-1.0, 0.5]), "t_eval must be non-negative"),
    ("flow t empty", lambda: gradient_flow(NET, X, Y, 1.0, []), "t_eval must hold at least one"),
    ("flow t nan", lambda: gradient_flow(NET, X, Y, 1.0, with_nan(T)), "t_eval contains NaN"),
    ("flow t 2-d", lambda: gradient_flow(NET, X, Y, 1.0, np.ones((2, 2))), "t_eval must be 1-dimensional"),
    ("flow method", lambda: gradient_flow(NET, X, Y, 1.0, T, method="BDF"), "method must be one of"),
    ("flow rtol", lambda: gradient_flow(NET, X, Y, 1.0, T, rtol=0.0), r"rtol must be in \["),
    ("flow atol", lambda: gradient_flow(NET, X, Y, 1.0, T, atol=-1.0), "atol must be > 0"),
    ("gd lr", lambda: gradient_descent(NET, X, Y, 1.0, 0.0, 10), "lr must be > 0"),
    ("gd lr nan", lambda: gradient_descent(NET, X, Y, 1.0, np.nan, 10), "lr must be finite"),
    ("gd n_steps", lambda: gradient_descent(NET, X, Y, 1.0, 0.1, 0), "n_steps must be >= 1"),
    ("gd n_steps float", lambda: gradient_descent(NET, X, Y, 1.0, 0.1, 1.5), "n_steps must be an integer"),
    ("gd record_every", lambda: gradient_descent(NET, X, Y, 1.0, 0.1, 5, record_every=0), "record_every"),
    ("gd alpha", lambda: gradient_descent(NET, X, Y, -1.0, 0.1, 5), "alpha must be > 0"),
    ("gd y", lambda: gradient_descent(NET, X, Y[:2], 1.0, 0.1, 5), "y must have shape"),
    # --- data and fitting
    ("sphere n", lambda: sphere(0, 3), "n must be >= 1"),
    ("sphere d", lambda: sphere(3, 0), "d must be >= 1"),
    ("teacher n", lambda: teacher_student(0, 3), "n must be >= 1"),
    ("teacher d", lambda: teacher_student(5, 1.5), "d must be an integer"),
    ("teacher n_teacher", lambda: teacher_student(5, 3, n_teacher=0), "n_teacher must be >= 1"),
    ("teacher n_test", lambda: teacher_student(5, 3, n_test=-2), "n_test must be >= 1"),
    ("fit shapes", lambda: fit_power_law([1.0, 2.0], [1.0, 2.0, 3.0]), r"y must have shape \(2\)"),
    ("fit one point", lambda: fit_power_law([1.0], [1.0]), "at least two points"),
    ("fit nonpositive", lambda: fit_power_law([1.0, 2.0], [1.0, -2.0]), "x and y must be > 0"),
    ("fit nan", lambda: fit_power_law([1.0, np.nan], [1.0, 2.0]), "x contains NaN"),
]


@pytest.mark.parametrize(("call", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_raises_value_error_naming_the_argument(call, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


def test_relu_error_is_the_specific_not_smooth_error() -> None:
    with pytest.raises(NotSmoothError):
        theorem_8_1(RELU, X, Y, 1.0)


def test_flows_accept_repeated_and_single_times() -> None:
    # Not bad input: t_eval only has to be non-decreasing. Repeats give repeated states.
    for lin in (True, False):
        tr = gradient_flow(NET, X, Y, 1.0, [0.0, 0.3, 0.3], linearized=lin)
        np.testing.assert_array_equal(tr.predictions[1], tr.predictions[2])
        single = gradient_flow(NET, X, Y, 1.0, [0.0], linearized=lin)
        np.testing.assert_allclose(single.predictions[0], NET(X), rtol=1e-13, atol=1e-15)


# --------------------------------------------------------------------------------------------------
# Issue 11, §5: the faults a fuzz of the whole public API found, each pinned.
from lazylib import case_study, dynamics, fitting, lazy_active, lemmas, recall  # noqa: E402
from lazylib.theory import Theorem81  # noqa: E402

CENTRED = ShallowNet.random(8, 3, "tanh", rng=3, symmetric=True)
NEAR_DUP = np.vstack([X, X[:1] + 1e-4 * np.array([1.0, -1.0, 0.5])])  # two inputs 1e-4 apart
NEAR_DUP = NEAR_DUP / np.linalg.norm(NEAR_DUP, axis=1, keepdims=True)
TASK = teacher_student(6, 2, rng=0, n_test=5)
ZERO_X = np.zeros((4, 3))
EMPTY_X = np.zeros((0, 3))

FAULTS = [
    # --- shape, not just size
    ("with_weights W.T", lambda: NET.with_weights(NET.W.T), r"W must have 18 entries, as shape \(6, 3\)"),
    ("linearization_error W.T", lambda: linearization_error(NET, NET.W.T, X), r"W must have 18 entries"),
    ("jvp V.T", lambda: NET.jvp(X, NET.W.T), r"V must have 18 entries"),
    ("linearized U.T", lambda: linearize(NET, X)(NET.W.T), r"U must have 18 entries"),
    ("difference V.T", lambda: jacobian_difference_norm(NET, W, W.T, X), r"W must have 18 entries"),
    ("prediction_velocity W.T", lambda: dynamics.prediction_velocity(NET, X, Y, 1.0, W.T), "W must have"),
    (
        "kernel_spectra (T, d, m)",
        lambda: lemmas.kernel_spectra(NET, X, W.T[None]),
        r"weights must have shape",
    ),
    ("relative_kernel_change W.T", lambda: lemmas.relative_kernel_change(NET, X, W.T), "weights must have"),
    # --- integers are integers: 4.7, True and '8' are refused, never truncated or converted
    ("width 4.7", lambda: ShallowNet.random(4.7, 3), "m must be an integer"),
    ("width True", lambda: ShallowNet.random(True, 3), "m must be an integer"),
    ("width '8'", lambda: ShallowNet.random("8", 3), "m must be an integer"),
    (
        "sweep widths 4.7",
        lambda: recall.error_law_sweep("tanh", [4.7, 8], [0.1, 1.0]),
        "widths must be an int",
    ),
    (
        "sweep widths True",
        lambda: recall.error_law_sweep("tanh", [True, 8], [0.1, 1.0]),
        "widths must be an int",
    ),
    (
        "ua widths '8'",
        lambda: recall.universal_approximation_sweep("tanh", ["8"], np.sin),
        "widths must be an",
    ),
    (
        "scale_sweep seeds 1.5",
        lambda: lazy_active.scale_sweep(TASK, [1.0], [1.5], m=4, n_steps=2),
        "seeds must",
    ),
    ("width_sweep widths 4.7", lambda: case_study.width_sweep(X, [4.7]), "widths must be integers"),
    (
        "n_boot 2000.0",
        lambda: __import__("lazylib.fitting").fitting.bootstrap_power_law(
            [1.0, 2.0], np.ones((3, 2)), n_boot=2000.0
        ),
        "n_boot must be an integer",
    ),
    # --- wrong answers instead of errors
    ("flow rtol 10", lambda: gradient_flow(NET, X, Y, 1.0, T, rtol=10.0), r"rtol must be in \["),
    ("flow rtol 1e-20", lambda: gradient_flow(NET, X, Y, 1.0, T, rtol=1e-20), r"rtol must be in \["),
    (
        "preconditioned rtol",
        lambda: lemmas.preconditioned_flow(
            lemmas.random_pd_family(2, 1.0, rng=0), [1.0, 0.0], [0.0, 0.0], T, rtol=0.5
        ),
        r"rtol must be in",
    ),
    ("fit equal x", lambda: fit_power_law([2.0, 2.0, 2.0], [1.0, 2.0, 3.0]), "two distinct values"),
    (
        "fit_error_law equal widths",
        lambda: fitting.fit_error_law([8, 8], [0.1, 1.0], np.ones((2, 2))),
        "distinct",
    ),
    ("fit_decay_rate equal t", lambda: fitting.fit_decay_rate([1.0, 1.0, 1.0], [1.0, 0.5, 0.2]), "distinct"),
    (
        "predicted width duplicates",
        lambda: case_study.predicted_minimal_width(DUPLICATES),
        "singular limiting",
    ),
    (
        "width path p < n",
        lambda: case_study.width_condition_path(BIG_N, np.zeros(30), [1.0], [2, 4]),
        "p = m",
    ),
    ("random law m = 0", lambda: recall.random_error_law("tanh", 0, 1.0, 3), "m must be > 0"),
    ("worst law m < 0", lambda: recall.relu_worst_case_law(-1.0, 1.0), "m must be > 0"),
    ("law size < 0", lambda: recall.random_error_law("relu", 8, -1.0, 3), "size must be finite and >= 0"),
    ("lazy limit c 2.5", lambda: lazy_active.lazy_limit_test_loss(TASK, 4, [0], 5, c=2.5), "c must be < 2"),
    # --- empty data: ValueError, not IndexError
    ("theorem empty", lambda: theorem_8_1(NET, EMPTY_X, np.zeros(0), 1.0), "X must hold at least one input"),
    (
        "linear flow empty",
        lambda: gradient_flow(NET, EMPTY_X, np.zeros(0), 1.0, T, linearized=True),
        "X must",
    ),
    (
        "kernel regression empty",
        lambda: recall.tangent_kernel_regression(NET, X, Y, EMPTY_X),
        "X_test must hold",
    ),
    ("critical_step empty", lambda: lazy_active.critical_step(NET, EMPTY_X, 1.0), "X must hold at least one"),
    (
        "kernel_spectra empty",
        lambda: lemmas.kernel_spectra(NET, EMPTY_X, W[None]),
        "X must hold at least one",
    ),
    (
        "relu nets empty",
        lambda: lazy_active.ReLUNets.random(4, 3, [1.0], [0]).ntk_max(EMPTY_X),
        "X must hold",
    ),
    # --- extreme alpha: refused up front, not ZeroDivisionError/OverflowError from a property later
    ("theorem alpha 1e-170", lambda: theorem_8_1(NET, X, Y, 1e-170), "outside float64"),
    ("theorem alpha 1e170", lambda: theorem_8_1(NET, X, Y, 1e170), "overflows float64|outside float64"),
    (
        "Theorem81 direct",
        lambda: Theorem81(sigma_min=1e-120, sigma_max=1.0, beta=1.0, risk0=1.0, alpha=1.0),
        "outside float64",
    ),
    ("critical_step alpha 1e200", lambda: lazy_active.critical_step(NET, X, 1e200), "out of range"),
    ("compare_flows alpha 1e200", lambda: dynamics.compare_flows(NET, X, Y, 1e200, [0.0, 1.0]), "alpha = 1e"),
    # --- X = 0 and huge X
    ("prediction ode X = 0", lambda: dynamics.check_prediction_ode(NET, ZERO_X, Y, 1.0, [1.0]), "zero on X"),
    ("kernel_drift X = 0", lambda: dynamics.kernel_drift(NET, ZERO_X, W[None]), "zero on X"),
    ("singular values huge X", lambda: jacobian_singular_values(NET, 1e200 * X), "overflows float64"),
    ("risk overflow", lambda: risk(1e200 * Y, Y), "overflows float64"),
    # --- messages name the caller's arguments
    ("compare_flows tau", lambda: dynamics.compare_flows(NET, X, Y, 1.0, [1.0, 0.5]), "tau must be non-neg"),
    ("centring tau", lambda: lazy_active.centring_sweep(CENTRED, X, Y, [1.0], [-1.0]), "tau must be non-neg"),
    ("ntk X2", lambda: NET.ntk(X, np.ones((2, 2))), r"X2 must have shape"),
    (
        "fd velocity times",
        lambda: dynamics.finite_difference_velocity(NET, X, Y, 1.0, [1.0], 1e-300),
        "h is too small",
    ),
    (
        "kernel_path horizon",
        lambda: lemmas.kernel_path(CENTRED, NEAR_DUP, np.append(Y, 0.2), 1.0),
        "horizon is too long",
    ),
]


@pytest.mark.parametrize(("call", "message"), [c[1:] for c in FAULTS], ids=[c[0] for c in FAULTS])
def test_fuzz_faults_are_clear_value_errors(call, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


def test_wrong_types_raise_type_or_value_errors() -> None:
    with pytest.raises(TypeError, match="rng must be an int seed"):
        sphere(3, 2, rng=1.5)
    with pytest.raises(TypeError, match="trajectory must be a Trajectory"):
        dynamics.trajectory_velocity(NET, X, Y, 1.0, "not a trajectory")
    with pytest.raises(TypeError, match="task must be a TeacherStudent"):
        lazy_active.lazy_limit_test_loss("task", 4, [0], 5)
    with pytest.raises(TypeError, match="Q must be a PDFamily or a callable"):
        lemmas.preconditioned_flow(3.0, [1.0], [0.0], T)


def test_list_single_and_repeated_time_grids_work() -> None:
    # paper_gradient_flow and preconditioned_flow raised AttributeError on lists, SciPy refused repeats.
    for t in ([0.0], [0.0, 0.5, 0.5, 1.0]):
        paper = lazy_active.paper_gradient_flow(NET, X, Y, 1.0, t)
        assert paper.predictions.shape == (len(t), 4)
        Q = lemmas.random_pd_family(3, 0.5, rng=0)
        z = lemmas.preconditioned_flow(Q, [1.0, 0.0, -1.0], [0.0, 0.0, 0.0], t)
        assert z.shape == (len(t), 3)
        np.testing.assert_array_equal(z[0], [1.0, 0.0, -1.0])
    np.testing.assert_array_equal(paper.predictions[1], paper.predictions[2])
    np.testing.assert_array_equal(z[1], z[2])
    # paper clock = slides' clock times alpha^2 (alpha = 1 here)
    slides = gradient_flow(NET, X, Y, 1.0, [0.0, 0.5, 0.5, 1.0], rtol=1e-10)
    np.testing.assert_allclose(paper.risk, slides.risk, rtol=1e-6)


def test_check_theorem_at_t_zero_only() -> None:
    check = case_study.check_theorem_8_1(CENTRED, X, Y, 1.0, [0.0])
    ratios = check.ratios()
    assert all(np.isfinite(v).all() for v in ratios.values())
    assert ratios["risk w"][0] == pytest.approx(1.0)


def test_smallest_problem_n_m_d_one() -> None:
    net = ShallowNet.random(1, 1, rng=0)
    Xs, ys = np.array([[0.7]]), np.array([0.3])
    for lin in (True, False):
        tr = gradient_flow(net, Xs, ys, 1.0, [0.0, 1.0], linearized=lin)
        assert np.isfinite(tr.risk).all() and tr.risk[1] <= tr.risk[0]
    th = theorem_8_1(net, Xs, ys, 1.0)
    assert np.isfinite([th.alpha_min, th.radius, th.rate]).all()


def test_huge_centred_alpha_answers_in_bounded_time() -> None:
    # 187,172 right-hand sides at alpha = 1e12 and a hang at 1e14 before: now refused at once with a
    # pointer to the closed form, which answers.
    import time

    t = np.array([0.0, 1.0]) / 1e28
    start = time.perf_counter()
    with pytest.raises(ValueError, match="linearized=True"):
        gradient_flow(CENTRED, X, Y, 1e14, t)
    lin = gradient_flow(CENTRED, X, Y, 1e14, t, linearized=True)
    assert time.perf_counter() - start < 5.0
    assert np.isfinite(lin.risk).all() and lin.risk[1] < lin.risk[0]


def test_nearly_duplicate_inputs_are_refused_quickly() -> None:
    import time

    y5 = np.append(Y, 0.2)
    calls = [
        lambda: lemmas.kernel_path(CENTRED, NEAR_DUP, y5, 1.0),
        lambda: lemmas.kernel_change_vs_alpha(CENTRED, NEAR_DUP, y5, [1.0, 4.0]),
        lambda: lemmas.lemma_8_2_sweep(CENTRED, NEAR_DUP, y5, [1.0], n_times=5),
    ]
    for call in calls:
        start = time.perf_counter()
        with pytest.raises(ValueError, match=r"nearly duplicate inputs\?"):
            call()
        assert time.perf_counter() - start < 5.0


def test_lazy_limit_c_above_one_is_finite() -> None:
    # (1 - c)^k with c in (1, 2): log1p gave NaN; the factor is negative but |.| < 1.
    loss = lazy_active.lazy_limit_test_loss(TASK, 4, [0, 1], 7, c=1.5)
    assert np.isfinite(loss).all()
    limit = lazy_active.lazy_limit(TASK, 4, [0, 1], n_steps=7, c=1.5)
    np.testing.assert_allclose(limit.test_loss, loss, rtol=1e-10)


# ------------------------------------------------------------------ issue 27: the second fuzz
def _round2():
    from lazylib import discrete_time as dt
    from lazylib import lazy_active as la
    from lazylib import lazy_solution as ls
    from lazylib import lemmas
    from lazylib import width_scale as ws

    snet = ShallowNet.random(6, 3, "tanh", rng=0, symmetric=True)
    th = ws.width_theorem(X, Y, 0.1)
    check = dt.check_gd_theorem(snet, X, Y, 1.0, [1.0], 1.0)
    task = teacher_student(8, 5, rng=0, n_test=10)
    fields = {**th.__dict__}
    return [
        (
            "N03 relu nu 1e10",
            lambda: ls.converged_scale_sweep(task, [1e10], [0], m=4, n_steps=200),
            "too large for gradient descent in float64",
        ),
        (
            "N04 euler gap at round-off",
            lambda: dt.euler_gap(snet, X, Y, 1e-6, 0.1, [16, 32], n_compare=4),
            "at the round-off",
        ),
        (
            "N05 width run X = 0",
            lambda: ws.width_scale_run(NET, np.zeros((4, 3)), Y, "ntk", 1.0),
            "zero tangent kernel",
        ),
        (
            "N05 width run W = 0",
            lambda: ws.width_scale_run(ShallowNet(np.zeros((6, 3)), NET.s), X, Y, "ntk", 1.0),
            "nonzero weights",
        ),
        (
            "N06 condition samples m d < n",
            lambda: ws.width_condition_samples(sphere(8, 3, rng=1), np.ones(8), [2], n_nets=3, rng=0),
            r"m\*d >= n",
        ),
        ("N08 m_threshold kappa < 0", lambda: th.m_threshold(-0.5), r"kappa must be in \[0, 1\)"),
        ("N08 m_chernoff kappa 0", lambda: th.m_chernoff(0.0), r"kappa must be in \(0, 1\)"),
        ("N08 record n = 0", lambda: ws.WidthTheorem(**{**fields, "n": 0}), "n must be >= 1"),
        (
            "N08 record fail_prob 2",
            lambda: ws.WidthTheorem(**{**fields, "fail_prob": 2.0}),
            "fail_prob must be in",
        ),
        ("N10 GDCheck tol inf", lambda: check.holds(tol=np.inf), "tol must be finite"),
        ("N10 GDCheck tol < 0", lambda: check.holds(tol=-1e-3), "tol must be in"),
        (
            "N10 TheoremCheck rtol nan",
            lambda: (
                __import__("lazylib.case_study")
                .case_study.check_theorem_8_1(snet, X, Y, 1.0, [0.0, 1.0])
                .holds(rtol=np.nan)
            ),
            "rtol must be finite",
        ),
        (
            "N11 limit_gap_bound False",
            lambda: ls.limit_gap_bound(theorem_8_1(snet, X, Y, 1.0), 1.0, False),
            "jacobian_test_norm must be a real number",
        ),
        (
            "N12 clocks no alphas",
            lambda: la.compare_clocks(snet, X, Y, [], [0.0, 1.0]),
            "alphas must be a non-empty",
        ),
        ("N12 clocks tau 0", lambda: la.compare_clocks(snet, X, Y, [1.0], [0.0]), "tau must hold a time > 0"),
        (
            "N12 clocks alphas scalar",
            lambda: la.compare_clocks(snet, X, Y, 2.0, [0.0, 1.0]),
            "alphas must be 1-dim",
        ),
        (
            "N12 clocks repeated",
            lambda: la.compare_clocks(snet, X, Y, [1.0, 1.0], [0.0, 1.0]),
            "alphas must be distinct",
        ),
        (
            "N13 euler n_steps int",
            lambda: dt.euler_gap(snet, X, Y, 1.0, 0.1, 16),
            "n_steps must be a sequence",
        ),
        ("N14 scan 1e5 steps", lambda: dt.step_size_scan(NET, X, Y, 1.0, [0.5], 10**5), "too many"),
        ("N14 edge 1e5 steps", lambda: la.step_size_edge(NET, X, Y, 1.0, [0.5, 0.9], 10**5), "too many"),
        (
            "N16 unsigned decreasing widths",
            lambda: ws.width_scale_sweep(X, Y, np.array([8, 4], dtype=np.uint8), 1.0, n_nets=1),
            "strictly increasing",
        ),
        (
            "N17 chernoff shapes",
            lambda: ws.chernoff_tail(4, [1.0, 2.0], 1.0, [0.1, 0.2, 0.3], "lower"),
            "mu and kappa must broadcast",
        ),
        ("relu_step_sizes empty", lambda: la.relu_step_sizes([], [], 1.0), "must not be empty"),
        (
            "ReLUNets no nets",
            lambda: la.ReLUNets(np.zeros((0, 2, 3)), np.zeros((0, 2))),
            "at least one network",
        ),
        (
            "gd linearized 'no'",
            lambda: gradient_descent(snet, X, Y, 1.0, 0.1, 2, "no"),
            "linearized must be True",
        ),
        ("flow linearized 1", lambda: gradient_flow(snet, X, Y, 1.0, T, 1), "linearized must be True"),
        (
            "PDFamily lam < 0",
            lambda: lemmas.PDFamily(kind="identity", lam=-1.0, mats=(), omega=1.0, n=2),
            "lam must be > 0",
        ),
        ("huge net", lambda: ShallowNet.random(10**6, 10**4), "GiB"),
        ("huge sphere", lambda: sphere(10**9, 3), "GiB"),
        ("huge relu batch", lambda: la.ReLUNets.random(10**5, 10**3, np.ones(10), [0]), "GiB"),
    ]


ROUND2 = _round2()


@pytest.mark.parametrize(("call", "message"), [c[1:] for c in ROUND2], ids=[c[0] for c in ROUND2])
def test_second_fuzz_faults_are_clear_value_errors(call, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


def test_second_fuzz_answers_that_were_wrong() -> None:
    from lazylib import discrete_time as dt
    from lazylib import width_scale as ws

    snet = ShallowNet.random(6, 3, "tanh", rng=0, symmetric=True)
    # N09: y = 0 trivially meets every bound (ratios 0, not 0/0)
    check = dt.check_gd_theorem(snet, X, np.zeros(4), 1.0, [0.1], 1.0)
    assert all(np.all(v == 0.0) for v in check.worst().values()) and check.holds()
    # N06: a duplicated input makes every J0 J0^T singular: no finite alpha_min, ratio inf
    dup = X.copy()
    dup[1] = dup[0]
    assert np.all(np.isinf(ws.width_condition_samples(dup, Y, [4, 8], n_nets=3, rng=0).ratio))
    # N08: a tiny failure probability gives a large but finite width (log(2n/p) without overflow)
    tiny = ws.width_theorem(X, Y, 5e-324)
    assert tiny.m_star >= ws.width_theorem(X, Y, 1e-300).m_star > ws.width_theorem(X, Y, 0.1).m_star


def test_lazy_solution_interpolates_a_near_duplicate_as_least_squares_on_j0() -> None:
    """Issue 27 N15: the Gram K = J Jᵀ squares κ(J); the interpolation error was 2e-5 for inputs 1e-5
    apart, where least squares on the materialised J₀ gets ~1e-11."""
    from factories import explicit_jacobian

    from lazylib.lazy_solution import lazy_solution

    snet = ShallowNet.random(6, 3, "tanh", rng=0, symmetric=True)
    Xn = np.vstack([X, X[0] + 1e-5 * np.array([1.0, -1.0, 0.5])])
    yn = np.append(Y, 0.3)
    sol = lazy_solution(snet, Xn, yn, 1.0, X, "symmetric")
    J = explicit_jacobian(snet, Xn)
    delta = np.linalg.lstsq(J, yn, rcond=None)[0]
    lstsq_error = np.abs(J @ delta - yn).max()
    assert np.abs(sol.train_pred - yn).max() <= 10 * max(lstsq_error, 1e-12)
    assert np.abs(J @ sol.displacement.ravel() - yn).max() <= 10 * max(lstsq_error, 1e-12)
    # the minimum-norm interpolant: no component in the null space of J0
    assert np.linalg.norm(sol.displacement.ravel() - delta) <= 1e-4 * np.linalg.norm(delta)
