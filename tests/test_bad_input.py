"""Every public entry rejects bad input with a ValueError whose message names the argument."""

from __future__ import annotations

import numpy as np
import pytest

from lazylib.activations import NotSmoothError, get_activation
from lazylib.data import sphere, teacher_student
from lazylib.fitting import fit_power_law
from lazylib.flows import gradient_descent, gradient_flow
from lazylib.models import ShallowNet
from lazylib.tangent import linearization_error, linearize
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
    ("flow risk overflow", lambda: gradient_flow(NET.__class__(W, NET.s, scale=100.0), X, Y, 1e154, [0.0],
                                                  linearized=True), "overflows float64"),
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
