"""Tiny results of the numerics for the presentation layer's input tests (``test_viz_bad_input.py``,
``test_fuzz_viz.py``): each built once, on a problem small enough to take milliseconds."""

from __future__ import annotations

from functools import cache

import numpy as np

from lazylib import case_study, data, discrete_time, flows, lazy_active, lazy_solution, lemmas, models, recall

NET = models.ShallowNet.random(8, 3, "tanh", rng=1, symmetric=True)
X = data.sphere(4, 3, rng=2)
Y = np.array([0.5, -0.5, 0.25, 0.0])
T = np.array([0.0, 0.5, 1.0])
TASK = data.teacher_student(6, 2, n_teacher=2, rng=0, n_test=5)


@cache
def theorem_check() -> case_study.TheoremCheck:
    return case_study.check_theorem_8_1(NET, X, Y, 1.0, T)


@cache
def error_table() -> recall.ErrorLawTable:
    return recall.error_law_sweep("tanh", [8, 16], [0.1, 1.0], rng=0, n_nets=1, n_draws=2)


@cache
def gd_check() -> discrete_time.GDCheck:
    return discrete_time.check_gd_theorem(NET, X, Y, 2.0, [1e-3, 5e-4], 0.01, theta=0.5)


@cache
def euler_gap() -> discrete_time.EulerGap:
    return discrete_time.euler_gap(NET, X, Y, 1.0, 0.1, [8, 16], n_compare=4)


@cache
def step_scan() -> discrete_time.StepSizeScan:
    return discrete_time.step_size_scan(NET, X, Y, 1.0, [0.5, 3.0], 6, record_every=2)


@cache
def trajectory() -> flows.Trajectory:
    return flows.gradient_flow(NET, X, Y, 1.0, T)


@cache
def kernel_path() -> lemmas.KernelPath:
    return lemmas.kernel_path(NET, X, Y, 2.0, horizon=2.0, n_times=3)


@cache
def neuron_trajectories() -> lazy_active.NeuronTrajectories:
    return lazy_active.neuron_trajectories(TASK, [0.5, 2.0], m=4, seed=0, n_steps=4, record_every=2, c=0.5)


@cache
def limit_gap_sweep() -> lazy_solution.LimitGapSweep:
    return lazy_solution.limit_gap_sweep(NET, X, Y, [1.0, 3.0], X[:2], centring="symmetric", horizon=5.0)
