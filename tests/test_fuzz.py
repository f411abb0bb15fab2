"""Hypothesis fuzz of the public API of the numerics modules (issue 11, §5).

Every public function (and the public methods of the result and model classes) gets a valid call
on a tiny problem; the fuzz replaces one or two of its arguments by a drawn value: arrays of every
small shape (including 0) filled with special floats (NaN, ±inf, −0, 1e308, 1e-320, ...), scalars,
integers, and wrong types (strings, None, bools, 4.7 where an int is due, transposed weights).
Each call must then

* raise nothing but ``ValueError`` or ``TypeError`` (the library's clear errors),
* return no NaN or inf, except in the few result fields documented to hold them (``inf`` for a
  diverged run or a path that never leaves the ball, NaN for a bound that does not exist),
* answer within ``CALL_SECONDS`` (a signal alarm; the library refuses or bounds long solves).

The run is derandomized (same examples every time) and sized to take well under a minute here.
NumPy's floating-point warnings are errors under ``-W error``; the fuzz does not silence them, so a
call that overflows must say so with a ``ValueError`` rather than warn.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
from factories import fuzz_tests
from hypothesis import strategies as st

from lazylib import (
    _checks,
    activations,
    case_study,
    data,
    discrete_time,
    dynamics,
    fitting,
    flows,
    infinite_width,
    lazy_active,
    lazy_solution,
    lemmas,
    linearization,
    models,
    recall,
    relu_nets,
    step_size,
    theory,
    width_scale,
)

#: Wall-clock bound of one call (the slowest valid template takes about 0.3 s here).
CALL_SECONDS = 10.0
#: Examples per function: about 110 functions and methods, so about 3300 fuzzed calls (~30 s alone here).
EXAMPLES = 30

# ------------------------------------------------------------------------------------ tiny problem
NET = models.ShallowNet.random(6, 3, "tanh", rng=0)
CENTRED = models.ShallowNet.random(8, 3, "tanh", rng=1, symmetric=True)
RELU = models.ShallowNet.random(6, 3, "relu", rng=0)
X = data.sphere(4, 3, rng=2)
Y = np.array([0.5, -0.5, 0.25, 0.0])
W = NET.W
T = np.array([0.0, 0.5, 1.0])
TASK = data.teacher_student(6, 2, n_teacher=2, rng=0, n_test=5)
RELU_NETS = lazy_active.ReLUNets.random(4, 2, [1.0], [0])
PD = lemmas.random_pd_family(3, 0.5, rng=0)
TRAJ = flows.gradient_flow(NET, X, Y, 1.0, T)
THEOREM = theory.theorem_8_1(NET, X, Y, 1.0)
CHECK = case_study.check_theorem_8_1(CENTRED, X, Y, 1.0, T)
TABLE = recall.error_law_sweep("tanh", [8, 16], [0.1, 1.0], rng=0, n_nets=1, n_draws=2)
LIN = linearization.linearize(NET, X)
GD_THEOREM = discrete_time.gd_theorem_8_1(CENTRED, X, Y, 2.0)
GD_CHECK = discrete_time.check_gd_theorem(CENTRED, X, Y, 2.0, [1e-3], 0.005)
PATH = lemmas.kernel_path(CENTRED, X, Y, 2.0, horizon=2.0, n_times=3)
WIDTH_THEOREM = width_scale.width_theorem(X, Y, 0.1)
SAMPLES = width_scale.width_condition_samples(X, Y, [4, 8], n_nets=2, rng=0)
SWEEP = width_scale.width_scale_sweep(X, Y, [4, 6], 0.5, n_nets=1, n_times=3, rng=0)


def _first(*modules: Any, name: str) -> Callable[..., Any]:
    """``name`` from the first module that has it (the fits are moving into ``fitting``)."""
    return next(getattr(mod, name) for mod in modules if hasattr(mod, name))


def _sin(theta: np.ndarray) -> np.ndarray:
    return np.sin(theta)


# name -> (callable, valid keyword arguments). Methods are wrapped so that every argument is named.
# test_every_public_function_has_a_template keeps this list complete.
TEMPLATES: dict[str, tuple[Callable[..., Any], dict[str, Any]]] = {
    # _checks (the helpers themselves; only the checked value is fuzzed, see FIXED)
    "as_array": (_checks.as_array, {"value": X, "name": "X", "ndim": 2}),
    "as_weights": (_checks.as_weights, {"value": W, "name": "W", "shape": (6, 3)}),
    "check_times": (_checks.check_times, {"value": T, "name": "t"}),
    "check_positive_int": (_checks.check_positive_int, {"value": 3, "name": "n"}),
    "check_tolerance": (_checks.check_tolerance, {"value": 1e-8, "name": "rtol"}),
    "check_instance": (_checks.check_instance, {"value": NET, "cls": models.ShallowNet, "name": "net"}),
    "make_rng": (_checks.make_rng, {"rng": 3}),
    # activations, data
    "get_activation": (activations.get_activation, {"name": "tanh"}),
    "beta0": (lambda name: activations.get_activation(name).beta0, {"name": "softplus"}),
    "sphere": (data.sphere, {"n": 3, "d": 2, "rng": 0}),
    "teacher_student": (data.teacher_student, {"n": 4, "d": 2, "n_teacher": 2, "rng": 0, "n_test": 3}),
    "TeacherStudent.target": (lambda X: TASK.target(X), {"X": TASK.X}),
    # models
    "ShallowNet": (models.ShallowNet, {"W": W, "s": NET.s, "activation": "tanh", "scale": 1.0}),
    "ShallowNet.random": (
        models.ShallowNet.random,
        {"m": 4, "d": 2, "activation": "softplus", "rng": 0, "symmetric": True, "scale": 0.5},
    ),
    "net(X)": (lambda X: NET(X), {"X": X}),
    "net.jacobian": (lambda X: NET.jacobian(X), {"X": X}),
    "net.ntk": (lambda X: NET.ntk(X), {"X": X}),
    "net.derivative_features": (lambda X: NET.derivative_features(X), {"X": X}),
    "net.jvp": (lambda X, V: NET.jvp(X, V), {"X": X, "V": W}),
    "net.vjp": (lambda X, r: NET.vjp(X, r), {"X": X, "r": Y}),
    "net.with_weights": (lambda W: NET.with_weights(W), {"W": W}),
    # linearization
    "linearize": (linearization.linearize, {"net": NET, "X": X}),
    "LinearizedNet()": (lambda U: LIN(U), {"U": W}),
    "linearization_error": (linearization.linearization_error, {"net": NET, "W": W + 0.1, "X": X}),
    # theory
    "risk": (theory.risk, {"predictions": Y + 0.1, "y": Y}),
    "jacobian_singular_values": (theory.jacobian_singular_values, {"net": NET, "X": X}),
    "jacobian_lipschitz_bound": (theory.jacobian_lipschitz_bound, {"net": NET, "X": X}),
    "jacobian_lipschitz_bound_op": (theory.jacobian_lipschitz_bound_op, {"net": NET, "X": X}),
    "jacobian_difference_norm": (theory.jacobian_difference_norm, {"net": NET, "W": W, "V": W + 0.1, "X": X}),
    "empirical_jacobian_lipschitz": (
        theory.empirical_jacobian_lipschitz,
        {"net": NET, "X": X, "rng": 0, "n_pairs": 3, "radius": 1.0},
    ),
    "lemma_8_1_bound": (theory.lemma_8_1_bound, {"risk0": 1.0, "lam": 0.5, "t": T}),
    "lemma_8_2_radius": (theory.lemma_8_2_radius, {"lam": 0.5, "lam1": 2.0, "risk0": 1.0}),
    "lemma_8_3_bounds": (theory.lemma_8_3_bounds, {"sigma_min": 0.5, "sigma_max": 2.0}),
    "theorem_8_1": (theory.theorem_8_1, {"net": NET, "X": X, "y": Y, "alpha": 2.0}),
    "Theorem81": (
        theory.Theorem81,
        {"sigma_min": 0.5, "sigma_max": 2.0, "beta": 1.0, "risk0": 1.0, "alpha": 3.0},
    ),
    "Theorem81.risk_bound": (lambda t: THEOREM.risk_bound(t), {"t": T}),
    "alpha_min": (theory.alpha_min, {"beta": 1.0, "sigma_min": 0.5, "sigma_max": 2.0, "risk0": 1.0}),
    "beta_bound": (theory.beta_bound, {"X": X, "beta0": 0.77, "scale": 1.0, "kind": "operator"}),
    "residual_risk": (theory.residual_risk, {"residuals": Y}),
    # flows
    "gradient_flow": (
        flows.gradient_flow,
        {"net": NET, "X": X, "y": Y, "alpha": 1.0, "t_eval": T, "linearized": False, "rtol": 1e-6},
    ),
    "gradient_flow linearized": (
        flows.gradient_flow,
        {"net": CENTRED, "X": X, "y": Y, "alpha": 1.0, "t_eval": T, "linearized": True},
    ),
    "flow_pair": (flows.flow_pair, {"net": CENTRED, "X": X, "y": Y, "alpha": 1.0, "t_eval": T}),
    "gradient_descent": (
        flows.gradient_descent,
        {"net": NET, "X": X, "y": Y, "alpha": 1.0, "lr": 0.1, "n_steps": 5, "record_every": 2},
    ),
    # fitting
    "fit_power_law": (fitting.fit_power_law, {"x": [1.0, 2.0, 4.0], "y": [1.0, 4.0, 16.0]}),
    "bootstrap_power_law": (
        fitting.bootstrap_power_law,
        {
            "x": [1.0, 2.0, 4.0],
            "samples": np.ones((3, 3)) + np.arange(3),
            "rng": 0,
            "n_boot": 10,
            "level": 0.9,
        },
    ),
    # recall
    "linearization_remainder": (recall.linearization_remainder, {"net": NET, "x": X[0], "dW": 0.1 * W}),
    "smooth_error_bound": (recall.smooth_error_bound, {"net": NET, "x": X[0], "size": [0.1, 1.0]}),
    "worst_case_perturbation": (
        recall.worst_case_perturbation,
        {"net": RELU, "x": X[0], "size": 0.5, "spread": 2},
    ),
    "random_perturbation": (recall.random_perturbation, {"net": NET, "size": 0.5, "rng": 0}),
    "relu_worst_case_law": (
        recall.relu_worst_case_law,
        {"m": [8, 16], "size": 0.5, "norm_x": 1.0, "scale": 0.5},
    ),
    "random_error_law": (recall.random_error_law, {"activation": "tanh", "m": [8, 16], "size": 0.5, "d": 3}),
    "fit_error_law": (
        _first(fitting, recall, name="fit_error_law"),
        {"widths": [8, 16], "sizes": [0.1, 1.0], "errors": [[1.0, 2.0], [0.5, 1.5]]},
    ),
    "error_law_sweep": (
        recall.error_law_sweep,
        {
            "activation": "relu",
            "widths": [8, 16],
            "sizes": [0.1, 1.0],
            "rng": 0,
            "d": 2,
            "n_nets": 1,
            "n_draws": 2,
            "scale_exponent": 0.5,
            "spread_fraction": 0.1,
        },
    ),
    "ErrorLawTable.fit": (lambda which: TABLE.fit(which), {"which": "random"}),
    "net.ntk(X, X2)": (lambda X, X2: NET.ntk(X, X2), {"X": X, "X2": X[:2]}),
    "tangent_kernel_regression": (
        recall.tangent_kernel_regression,
        {"net": CENTRED, "X": X, "y": Y, "X_test": X[:2], "ridge": 0.0, "rcond": 1e-12},
    ),
    "circle_inputs": (data.circle_inputs, {"theta": T, "bias": True}),
    "universal_approximation_sweep": (
        recall.universal_approximation_sweep,
        {
            "activation": "tanh",
            "widths": [4],
            "target": _sin,
            "n_train": 5,
            "n_test": 4,
            "rng": 0,
            "n_nets": 1,
        },
    ),
    # dynamics
    "prediction_velocity": (
        dynamics.prediction_velocity,
        {"net": NET, "X": X, "y": Y, "alpha": 1.0, "W": W + 0.1, "linearized": True},
    ),
    "trajectory_velocity": (
        dynamics.trajectory_velocity,
        {"net": NET, "X": X, "y": Y, "alpha": 1.0, "trajectory": TRAJ},
    ),
    "finite_difference_velocity": (
        dynamics.finite_difference_velocity,
        {"net": NET, "X": X, "y": Y, "alpha": 1.0, "times": [0.5], "h": 0.01, "linearized": True},
    ),
    "compare_flows": (dynamics.compare_flows, {"net": CENTRED, "X": X, "y": Y, "alpha": 2.0, "tau": T}),
    "check_prediction_ode": (
        dynamics.check_prediction_ode,
        {"net": CENTRED, "X": X, "y": Y, "alpha": 1.0, "tau": [1.0], "linearized": True},
    ),
    "kernel_drift": (dynamics.kernel_drift, {"net": NET, "X": X, "weights": TRAJ.weights}),
    "lazy_scaling_sweep": (
        dynamics.lazy_scaling_sweep,
        {"net": CENTRED, "X": X, "y": Y, "alphas": [1.0, 4.0], "tau": T, "kernel_every": 2},
    ),
    # case_study
    "finite_difference_jacobian": (case_study.finite_difference_jacobian, {"net": NET, "X": X, "eps": 1e-6}),
    "expected_ntk": (case_study.expected_ntk, {"X": X[:2], "activation": "tanh"}),
    "expected_output_moment": (case_study.expected_output_moment, {"X": X, "activation": "softplus"}),
    "expected_output_mean": (case_study.expected_output_mean, {"X": X, "activation": "softplus"}),
    "expected_risk0": (case_study.expected_risk0, {"X": X, "y": Y, "alpha": [1.0, 2.0], "m": 8}),
    "width_sweep": (case_study.width_sweep, {"X": X[:2], "widths": [4, 8], "n_nets": 1, "rng": 0}),
    "initial_risk_samples": (
        case_study.initial_risk_samples,
        {"X": X, "y": Y, "alphas": [1.0, 2.0], "m": 4, "n_nets": 3, "rng": 0},
    ),
    "width_condition_path": (
        case_study.width_condition_path,
        {"X": X, "y": Y, "alphas": [1.0, 10.0], "widths": [4, 8], "rng": 0, "chunk": 4},
    ),
    "minimal_width": (
        case_study.minimal_width,
        {
            "X": X,
            "y": Y,
            "alpha": 1.0,
            "rng": 0,
            "symmetric": True,
            "m_start": 4,
            "m_max": 64,
            "per_octave": 2,
        },
    ),
    "width_condition_factors": (case_study.width_condition_factors, {"X": X[:2], "activation": "tanh"}),
    "predicted_minimal_width": (case_study.predicted_minimal_width, {"X": X[:2], "lipschitz": "frobenius"}),
    "check_theorem_8_1": (
        case_study.check_theorem_8_1,
        {"net": CENTRED, "X": X, "y": Y, "alpha": 1.0, "t_eval": T},
    ),
    "TheoremCheck.slacks": (lambda t_min: CHECK.slacks(t_min), {"t_min": 0.5}),
    "TheoremCheck.holds": (lambda rtol: CHECK.holds(rtol), {"rtol": 1e-9}),
    "fit_decay_rate": (
        _first(fitting, case_study, name="fit_decay_rate"),
        {"t": T, "risk": [1.0, 0.5, 0.2], "start": 0.0},
    ),
    # lemmas
    "random_pd_family": (
        lemmas.random_pd_family,
        {"n": 3, "lam": 0.5, "kind": "rotating", "rng": 0, "omega": 1.0, "spread": 2.0},
    ),
    "PDFamily()": (lambda t: PD(t), {"t": 0.5}),
    "PDFamily.lambda_min": (lambda t: PD.lambda_min(t), {"t": T}),
    "PDFamily.spectrum": (lambda t: PD.spectrum(t), {"t": T}),
    "preconditioned_flow": (
        lemmas.preconditioned_flow,
        {"Q": PD, "z0": [1.0, 0.0, -1.0], "y": [0.0, 0.5, 0.0], "t_eval": T, "rtol": 1e-8},
    ),
    "family_risk": (
        lemmas.family_risk,
        {"Q": PD, "z0": [1.0, 0.0, -1.0], "y": [0.0, 0.5, 0.0], "t_eval": T, "rtol": 1e-8},
    ),
    "flow_risk_check": (
        lemmas.flow_risk_check,
        {"net": CENTRED, "X": X, "y": Y, "alpha": 1.0, "smin2_tau": [0.0, 0.5, 1.0]},
    ),
    "projected_paths": (
        lemmas.projected_paths,
        {"net": CENTRED, "X": X, "y": Y, "alpha": 1.0, "smin2_tau": [0.0, 0.5, 1.0]},
    ),
    "kernel_spectrum_change": (lemmas.kernel_spectrum_change, {"net": CENTRED, "X": X, "path": PATH}),
    "kernel_spectra": (lemmas.kernel_spectra, {"net": NET, "X": X, "weights": TRAJ.weights}),
    "jacobian_drift": (lemmas.jacobian_drift, {"net": NET, "X": X, "weights": TRAJ.weights}),
    "kernel_path": (
        lemmas.kernel_path,
        {"net": CENTRED, "X": X, "y": Y, "alpha": 2.0, "horizon": 2.0, "n_times": 3},
    ),
    "relative_kernel_change": (lemmas.relative_kernel_change, {"net": NET, "X": X, "weights": W + 0.1}),
    "kernel_change_vs_alpha": (
        lemmas.kernel_change_vs_alpha,
        {"net": CENTRED, "X": X, "y": Y, "alphas": [1.0, 2.0], "horizon": 2.0},
    ),
    "lemma_8_2_path_bound": (lemmas.lemma_8_2_path_bound, {"lam": 0.5, "lam1": 2.0, "risk0": 1.0, "t": T}),
    "lemma_8_2_sweep": (
        lemmas.lemma_8_2_sweep,
        {"net": CENTRED, "X": X, "y": Y, "alphas": [1.0, 2.0], "horizon": 2.0, "n_times": 3},
    ),
    "principal_directions": (lemmas.principal_directions, {"displacements": [TRAJ.weights - W], "k": 2}),
    "exit_time": (lemmas.exit_time, {"t": T, "distance": [0.0, 0.5, 2.0], "radius": 1.0}),
    "smooth_problem": (lemmas.smooth_problem, {"n": 3, "d": 2, "m": 4, "activation": "tanh", "seed": 0}),
    # lazy_active
    "paper_gradient_flow": (
        lazy_active.paper_gradient_flow,
        {"net": NET, "X": X, "y": Y, "alpha": 1.0, "t_eval": T, "rtol": 1e-6},
    ),
    "ReLUNets": (lazy_active.ReLUNets, {"A": RELU_NETS.A, "b": RELU_NETS.b}),
    "ReLUNets.random": (
        lazy_active.ReLUNets.random,
        {"m": 4, "d": 2, "nus": [0.5, 1.0], "seeds": [0, 1], "symmetric": True},
    ),
    "ReLUNets()": (lambda X: RELU_NETS(X), {"X": TASK.X}),
    "ReLUNets.ntk": (lambda X, X2: RELU_NETS.ntk(X, X2), {"X": TASK.X, "X2": TASK.X_test}),
    "ReLUNets.ntk_max": (lambda X: RELU_NETS.ntk_max(X), {"X": TASK.X}),
    "train_relu_nets": (
        lazy_active.train_relu_nets,
        {
            "nets": RELU_NETS,
            "X": TASK.X,
            "y": TASK.y,
            "lr": 0.1,
            "n_steps": 4,
            "record_every": 2,
            "record_positions": True,
        },
    ),
    "relu_step_sizes": (
        lazy_active.relu_step_sizes,
        {"nus": [0.5, 2.0], "lam_bar": [1.0, 1.0], "lam_ref": 1.0},
    ),
    "teacher_alignment": (
        lazy_active.teacher_alignment,
        {"nets": RELU_NETS, "teacher": TASK.teacher, "degrees": 10.0},
    ),
    "neuron_trajectories": (
        lazy_active.neuron_trajectories,
        {"task": TASK, "nus": [0.5, 2.0], "m": 4, "seed": 0, "n_steps": 4, "record_every": 2, "c": 0.5},
    ),
    "signs_unchanged": (lazy_active.signs_unchanged, {"before": RELU_NETS, "after": RELU_NETS, "X": TASK.X}),
    "lazy_limit_test_loss": (
        lazy_active.lazy_limit_test_loss,
        {"task": TASK, "m": 4, "seeds": [0], "n_steps": 5},
    ),
    "lazy_limit": (
        lazy_active.lazy_limit,
        {"task": TASK, "m": 4, "seeds": [0, 1], "n_steps": None, "c": 1.5},
    ),
    "scale_sweep": (
        lazy_active.scale_sweep,
        {"task": TASK, "nus": [0.5, 2.0], "seeds": [0], "m": 4, "n_steps": 3},
    ),
    "centring_sweep": (
        lazy_active.centring_sweep,
        {"net": NET, "X": X, "y": Y, "alphas": [1.0, 2.0], "tau": T, "centring": "subtract"},
    ),
    "compare_clocks": (
        getattr(lazy_active, "compare_clocks", None),  # added while this test was written
        {"net": CENTRED, "X": X, "y": Y, "alphas": [1.0, 2.0], "tau": T, "rtol": 1e-6},
    ),
    "chizat_bach_threshold": (
        lazy_active.chizat_bach_threshold,
        {"sigma_min": 0.5, "sigma_max": 2.0, "beta": 1.0, "target_norm": 1.0, "kappa": 1.0},
    ),
    "critical_step": (lazy_active.critical_step, {"net": NET, "X": X, "alpha": 2.0}),
    # lazy_solution (page 11)
    "lazy_solution": (
        lazy_solution.lazy_solution,
        {"net": NET, "X": X, "y": Y, "alpha": 2.0, "X_test": X[:2], "centring": "subtract"},
    ),
    "limit_gap_bound": (
        lazy_solution.limit_gap_bound,
        {"theorem": THEOREM, "beta_test": 1.0, "jacobian_test_norm": 2.0},
    ),
    "limit_gap_sweep": (
        lazy_solution.limit_gap_sweep,
        {
            "net": CENTRED,
            "X": X,
            "y": Y,
            "alphas": [1.0, 3.0],
            "X_test": X[:2],
            "centring": "symmetric",
            "horizon": 5.0,
        },
    ),
    "null_space_interpolants": (
        lazy_solution.null_space_interpolants,
        {"net": NET, "X": X, "y": Y, "alpha": 1.0, "X_test": X[:2], "sizes": [0.1, 1.0], "rng": 0},
    ),
    "expected_relu_kernel": (lazy_solution.expected_relu_kernel, {"X": X, "X2": X[:2]}),
    "kernel_regression": (
        lazy_solution.kernel_regression,
        {
            "K": lazy_solution.expected_relu_kernel(X),
            "K_test": lazy_solution.expected_relu_kernel(X[:2], X),
            "y": Y,
        },
    ),
    "converged_scale_sweep": (
        lazy_solution.converged_scale_sweep,
        {"task": TASK, "nus": [0.5, 2.0], "seeds": [0], "m": 4, "n_steps": 4, "c": 1.5},
    ),
    "step_size_edge": (
        lazy_active.step_size_edge,
        {"net": NET, "X": X, "y": Y, "alpha": 1.0, "factors": [0.5, 3.0], "n_steps": 6, "record_every": 2},
    ),
    # discrete_time (page 10)
    "gd_theorem_8_1": (
        discrete_time.gd_theorem_8_1,
        {"net": CENTRED, "X": X, "y": Y, "alpha": 2.0, "theta": 0.5},
    ),
    "GDTheorem81": (discrete_time.GDTheorem81, {"flow": THEOREM, "theta": 0.5}),
    "GDTheorem81.risk_bound": (lambda eta, k: GD_THEOREM.risk_bound(eta, k), {"eta": 1e-3, "k": T}),
    "GDTheorem81.applies": (lambda eta: GD_THEOREM.applies(eta), {"eta": 1e-3}),
    "smallest_theta": (discrete_time.smallest_theta, {"flow": THEOREM}),
    "page_problem": (discrete_time.page_problem, {"m": 400}),
    "check_gd_theorem": (
        discrete_time.check_gd_theorem,
        {"net": CENTRED, "X": X, "y": Y, "alpha": 2.0, "etas": [1e-3, 5e-4], "t_end": 0.01, "theta": 0.5},
    ),
    "GDCheck.with_theta": (lambda theta: GD_CHECK.with_theta(theta), {"theta": 0.3}),
    "euler_gap": (
        discrete_time.euler_gap,
        {"net": CENTRED, "X": X, "y": Y, "alpha": 1.0, "t_end": 0.1, "n_steps": [8, 16], "n_compare": 4},
    ),
    "step_size_scan": (
        discrete_time.step_size_scan,
        {"net": NET, "X": X, "y": Y, "alpha": 1.0, "factors": [0.5, 3.0], "n_steps": 6, "record_every": 2},
    ),
    # relu_nets, the shared helpers of pages 08 and 11 (the rest is templated under lazy_active)
    "check_seeds": (relu_nets.check_seeds, {"seeds": [0, 3]}),
    "check_step_fraction": (relu_nets.check_step_fraction, {"c": 0.5}),
    "held_out_loss": (relu_nets.held_out_loss, {"pred": TASK.y_test + 0.1, "y": TASK.y_test}),
    "relative_movement": (relu_nets.relative_movement, {"before": RELU_NETS, "after": RELU_NETS}),
    "sweep_batch": (
        relu_nets.sweep_batch,
        {"task": TASK, "nus": np.array([0.5, 2.0]), "seeds": [0], "m": 4, "c": 0.5},
    ),
    "teacher_curvature": (relu_nets.teacher_curvature, {"task": TASK}),
    # width_scale (page 09)
    "parametrisation_scale": (width_scale.parametrisation_scale, {"parametrisation": "ntk", "m": 8}),
    "parametrised_net": (width_scale.parametrised_net, {"net": NET, "parametrisation": "mean_field"}),
    "width_scale_run": (
        width_scale.width_scale_run,
        {"net": NET, "X": X, "y": Y, "parametrisation": "ntk", "horizon": 0.5, "n_times": 3},
    ),
    "width_scale_sweep": (
        width_scale.width_scale_sweep,
        {
            "X": X,
            "y": Y,
            "widths": [4, 6],
            "horizon": 0.5,
            "activation": "tanh",
            "n_nets": 1,
            "n_times": 3,
            "rng": 0,
        },
    ),
    "WidthScaleSweep.get": (lambda parametrisation: SWEEP.get(parametrisation), {"parametrisation": "ntk"}),
    "chernoff_exponents": (width_scale.chernoff_exponents, {"kappa": [0.1, 0.5]}),
    "chernoff_tail": (
        width_scale.chernoff_tail,
        {"n": 4, "mu": [1.0, 2.0], "term_bound": 0.5, "kappa": 0.3, "side": "lower"},
    ),
    "width_theorem": (width_scale.width_theorem, {"X": X, "y": Y, "fail_prob": 0.1, "activation": "tanh"}),
    "WidthTheorem": (width_scale.WidthTheorem, dict(WIDTH_THEOREM.__dict__)),
    "WidthTheorem.m_chernoff": (lambda kappa: WIDTH_THEOREM.m_chernoff(kappa), {"kappa": [0.2, 0.5]}),
    "WidthTheorem.m_threshold": (lambda kappa: WIDTH_THEOREM.m_threshold(kappa), {"kappa": [0.0, 0.5]}),
    "WidthTheorem.m_star": (
        lambda fail_prob: dataclasses.replace(WIDTH_THEOREM, fail_prob=fail_prob).m_star,
        {"fail_prob": 0.1},
    ),
    "width_condition_samples": (
        width_scale.width_condition_samples,
        {"X": X, "y": Y, "widths": [4, 8], "activation": "tanh", "n_nets": 2, "rng": 0, "chunk": 3},
    ),
    "WidthConditionSamples": (width_scale.WidthConditionSamples, dict(SAMPLES.__dict__)),
}

TEMPLATES = {name: entry for name, entry in TEMPLATES.items() if entry[0] is not None}

#: Arguments that are not input: the private helpers' own settings (a name, a target shape or class).
FIXED = {"name", "ndim", "shape", "cls"}

#: Result fields documented to hold inf (a diverged run, a path that never leaves the ball) or NaN
#: (a bound that does not exist for that activation), by template name.
MAY_BE_INF = {
    "exit_time": {""},
    "residual_risk": {""},  # documented: no checks, so that gradient descent can watch a blow-up
    "lemma_8_2_sweep": {"exit_time"},
    "step_size_edge": {"final_risk", "max_risk", "distance", "sharpness"},
    "train_relu_nets": {"risk", "positions"},
    "neuron_trajectories": {"risk", "positions"},
    "scale_sweep": {"train_risk"},
    "step_size_scan": {"network", "linearized"},  # its StepSizeEdge fields (diverged runs)
    "check_gd_theorem": {"risk_ratio", "linear_risk_ratio"},  # documented: bound underflowed to 0
    "GDCheck.with_theta": {"risk_ratio", "linear_risk_ratio"},
    "converged_scale_sweep": {"train_risk"},
    "width_condition_samples": {"ratio"},  # documented: inf where J0 J0^T is singular
    "WidthConditionSamples": {"ratio"},
}
MAY_BE_NAN = {"error_law_sweep": {"bound", "kink_window"}, "residual_risk": {""}}

# ------------------------------------------------------------------------------------ values drawn
SPECIAL = [math.nan, math.inf, -math.inf, -0.0, 0.0, 1e308, -1e308, 1e-320, 5e-324, 1.0, -1.0, 0.5, 3.0, 1e6]
SHAPES = [
    (),
    (0,),
    (1,),
    (2,),
    (3,),
    (4,),
    (6,),
    (0, 3),
    (1, 1),
    (2, 2),
    (3, 4),
    (4, 3),
    (6, 3),
    (4, 3, 1),
    (1, 6, 3),
]
WRONG_TYPES = [None, "abc", "8", True, False, 4.7, -2, 0, 1, 2, 7, [], [[]], {}, object(), b"x", 1 + 2j]


@st.composite
def arrays(draw: st.DrawFn) -> np.ndarray:
    shape = draw(st.sampled_from(SHAPES))
    fill = draw(st.sampled_from(["normal", "special", "constant"]))
    size = int(np.prod(shape)) if shape else 1
    if fill == "constant":
        return np.full(shape, draw(st.sampled_from(SPECIAL)))
    seed = draw(st.integers(0, 2**16))
    values = np.random.default_rng(seed).standard_normal(size)
    if fill == "special" and size:
        idx = draw(st.integers(0, size - 1))
        values[idx] = draw(st.sampled_from(SPECIAL))
    return values.reshape(shape)


def variants(valid: Any) -> st.SearchStrategy[Any]:
    """Values that look like ``valid`` but are off: transposed, a special float inside, a list."""
    options: list[Any] = []
    if isinstance(valid, np.ndarray) and valid.dtype.kind == "f" and valid.size:
        options.append(valid.T.copy())
        options.append(valid.tolist())
        for special in (math.nan, math.inf, 1e308, 0.0, -1.0):
            bad = valid.copy()
            bad.flat[0] = special
            options.append(bad)
        options.append(np.zeros_like(valid))
        options.append(valid[:0])
        options.append(valid[None])
    return st.sampled_from(options) if options else st.nothing()


def values(valid: Any) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.sampled_from(SPECIAL),
        st.sampled_from(WRONG_TYPES),
        arrays(),
        variants(valid),
    )


# ------------------------------------------------------------------------------------ checks
def leaves(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every numeric leaf of a result, with its top-level field name."""
    if isinstance(value, (models.ShallowNet, lazy_active.ReLUNets, linearization.LinearizedNet)):
        return
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from leaves(getattr(value, f.name), path or f.name)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from leaves(v, path or str(k))
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from leaves(v, path)
    elif isinstance(value, (np.ndarray, float, np.floating)):
        yield path, value


def check_result(name: str, result: Any) -> None:
    for field, leaf in leaves(result):
        arr = np.asarray(leaf)
        if arr.dtype.kind != "f":
            continue
        if np.isnan(arr).any():
            assert field in MAY_BE_NAN.get(name, set()), f"{name} returned NaN in {field or 'its result'}"
        if np.isinf(arr).any():
            assert field in MAY_BE_INF.get(name, set()), f"{name} returned inf in {field or 'its result'}"


# ------------------------------------------------------------------------------------ the tests
NUMERICS = [
    activations,
    data,
    models,
    linearization,
    theory,
    flows,
    fitting,
    recall,
    dynamics,
    case_study,
    lemmas,
    lazy_active,
    lazy_solution,
    discrete_time,
    width_scale,
    infinite_width,
    relu_nets,
    step_size,
]


(
    test_every_public_function_has_a_template,
    test_valid_template_answers,
    test_fuzzed_call_raises_only_clear_errors,
) = fuzz_tests(
    TEMPLATES,
    NUMERICS,
    values,
    check_result,
    examples=EXAMPLES,
    seconds=CALL_SECONDS,
    fixed=lambda func, key: key in FIXED and func.__module__ == _checks.__name__,
)
