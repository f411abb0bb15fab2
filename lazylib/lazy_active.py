"""Lazy versus active training: the numerics behind Chizat & Bach's experiments.

Section "Lazy vs active training" (``notebooks/08_lazy_vs_active.ipynb``, beyond the slides). Four jobs:

* **Clocks.** :func:`paper_gradient_flow` integrates the flow of Chizat & Bach's objective
  ``R(αf)/α²``, ``ẇ = −(1/α) J_wᵀ(αf(w) − y)``, independently of :func:`lazylib.flows.gradient_flow`
  (the slides' ``R(αf)``, ``ẇ = −α J_wᵀ(αf(w) − y)``); the two paths agree after ``t ↦ t/α²``.
* **Two-layer ReLU networks with both layers trained**, a whole batch at once: the networks, their
  training and the ν → ∞ limit live in :mod:`lazylib.relu_nets` (shared with page 11).
  :func:`neuron_trajectories` (their Fig. 1a–b) and :func:`scale_sweep` (their Fig. 1c, smaller)
  are built on them.
* **Centring.** :func:`centring_sweep`: weight movement and the gap between the nonlinear and the
  linearized predictions against α, for the symmetric ("doubling") initialization and for the
  model with its initial output subtracted.
* **Step size.** :func:`~lazylib.step_size.critical_step` and :func:`~lazylib.step_size.step_size_edge`
  live in :mod:`lazylib.step_size`
  (shared with page 10): gradient descent converges on the linearized model iff
  ``η < 2/(α² λ_max(J₀J₀ᵀ))``.

The names that moved to :mod:`lazylib.relu_nets` and :mod:`lazylib.step_size` stay importable from
here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ._checks import (
    as_array,
    check_choice,
    check_instance,
    check_nonnegative,
    check_positive,
    check_positive_array,
    check_times,
    check_tolerance,
)
from ._types import Array, BoolArray
from .data import TeacherStudent
from .flows import Trajectory, check_flow_cost, flow_pair, gradient_flow, solve_bounded
from .models import ShallowNet

# The two-layer ReLU networks and the step-size edge live in their concept modules; their names stay
# importable from here (the page's public API before they moved).
from .relu_nets import (
    LazyLimit,
    ReLUNets,
    ReLUTraining,
    check_seeds,
    check_step_fraction,
    held_out_loss,
    lazy_limit,
    lazy_limit_test_loss,
    relative_movement,
    relu_step_sizes,
    signs_unchanged,
    sweep_batch,
    teacher_alignment,
    teacher_curvature,
    train_relu_nets,
)
from .step_size import StepSizeEdge, critical_step, step_size_edge
from .theory import risk

__all__ = [
    "CentringSweep",
    "Clocks",
    "LazyLimit",
    "NeuronTrajectories",
    "ReLUNets",
    "ReLUTraining",
    "ScaleSweep",
    "StepSizeEdge",
    "centring_sweep",
    "chizat_bach_threshold",
    "compare_clocks",
    "critical_step",
    "lazy_limit",
    "lazy_limit_test_loss",
    "neuron_trajectories",
    "paper_gradient_flow",
    "relu_step_sizes",
    "scale_sweep",
    "signs_unchanged",
    "step_size_edge",
    "teacher_alignment",
    "train_relu_nets",
]


# ---------------------------------------------------------------------------------------------- clocks
def paper_gradient_flow(
    net: ShallowNet,
    X: ArrayLike,
    y: ArrayLike,
    alpha: float,
    t_eval: ArrayLike,
    *,
    rtol: float = 1e-10,
    atol: float = 1e-14,
) -> Trajectory:
    """Gradient flow of Chizat & Bach's objective ``R(αf)/α² = ½‖y − αf(w)‖²/α²``.

    ``ẇ = −(1/α) J_wᵀ (αf(w) − y)``, so the predictions obey ``d(αf)/dt = −J_wJ_wᵀ(αf − y)``:
    no α on the right, time comparable across α. The slides' flow (:func:`lazylib.flows.gradient_flow`)
    is ``α²`` times faster: ``w_paper(t) = w_slides(t/α²)``. Integrated here with its own
    ``solve_ivp`` (RK45) on the displacement ``w − w₀``, matrix-free, O(n·m·d) per evaluation, so
    the identity can be checked rather than assumed.

    Parameters
    ----------
    net : ShallowNet
        The network at initialization ``w₀``.
    X, y : array_like, shapes (n, d) and (n,)
        Training data.
    alpha : float
        Scale α > 0.
    t_eval : array_like, shape (T,)
        Non-negative, non-decreasing times (the paper's clock).
    rtol, atol : float
        ``solve_ivp`` tolerances on the displacement.

    Returns
    -------
    Trajectory
        ``predictions`` are ``αf(w(t))``, ``risk`` is ``R(αf)`` (without the 1/α²).
    """
    net = check_instance(net, ShallowNet, "net")
    X = net.check_inputs(X)
    y = as_array(y, "y", shape=(X.shape[0],))
    alpha = check_positive(alpha, "alpha")
    t = check_times(t_eval, "t_eval")
    rtol = check_tolerance(rtol, "rtol")
    atol = check_positive(atol, "atol")
    # The paper's clock is the slides' clock times α²: the same cost check on t/α².
    with np.errstate(over="ignore", under="ignore", divide="ignore"):
        t_slides = float(t[-1] / np.square(np.float64(alpha)))
    stiffness = check_flow_cost(net, X, y, alpha, t_slides, name="t_eval")
    W0 = net.W
    act = net.act
    coeff = net.scale * net.s
    XW0 = X @ W0.T

    def rhs(_: float, delta: Array) -> Array:
        Z = XW0 + X @ delta.reshape(W0.shape).T
        r = alpha * (act.sigma(Z) @ coeff) - y
        G = act.dsigma(Z) * coeff * (-r[:, None] / alpha)
        return (G.T @ X).ravel()

    # solve_ivp wants strictly increasing output times: solve on the distinct ones, map back.
    t_unique, where = np.unique(t, return_inverse=True)
    states, nfev = np.zeros((t_unique.size, net.p)), 0
    if t_unique[-1] > 0:
        states, nfev = solve_bounded(
            rhs, float(t_unique[-1]), np.zeros(net.p), t_unique, stiffness, rtol=rtol, atol=atol
        )
    deltas = states[where]
    preds = np.stack([alpha * net.with_weights(W0.ravel() + dl)(X) for dl in deltas])
    return Trajectory(
        t=t,
        risk=risk(preds, y),
        distance=np.linalg.norm(deltas, axis=1),
        predictions=preds,
        weights=(W0.ravel() + deltas).reshape(len(t), *W0.shape),
        linearized=False,
        method="RK45",
        nfev=nfev,
    )


# ------------------------------------------------------------------------- two-layer ReLU networks


@dataclass(frozen=True)
class NeuronTrajectories:
    """Result of :func:`neuron_trajectories` (one network per ν, same unit-scale init).

    Attributes
    ----------
    nus : ndarray, shape (K,)
    steps : ndarray, shape (T,)
    positions : ndarray, shape (T, K, m, d)
        ``|b_j| a_j`` along training.
    signs : ndarray, shape (K, m)
        ``sign(b_j)`` at initialization (the colour in Fig. 1a–b).
    movement : ndarray, shape (K,)
        Relative movement ``‖w(T) − w₀‖ / ‖w₀‖`` (both layers).
    risk : ndarray, shape (T, K)
        Training risk ``½‖h(X) − y‖²``.
    test_loss : ndarray, shape (K,)
        ``½ mean (h − y)²`` on the held-out points.
    alignment : ndarray, shape (K,)
        Share of the output mass ``Σ_j |b_j|‖a_j‖`` carried by positive-output neurons within
        ``align_degrees`` of a teacher direction.
    lr : ndarray, shape (K,)
    """

    nus: Array
    steps: Array
    positions: Array
    signs: Array
    movement: Array
    risk: Array
    test_loss: Array
    alignment: Array
    lr: Array


def neuron_trajectories(
    task: TeacherStudent,
    nus: ArrayLike,
    m: int = 20,
    seed: int = 0,
    n_steps: int = 10_000,
    record_every: int = 50,
    c: float = 0.5,
    align_degrees: float = 10.0,
) -> NeuronTrajectories:
    """Chizat & Bach's Fig. 1a–b: train one ReLU network per initial scale ν and record the
    neuron positions ``|b_j| a_j``.

    Symmetric initialization (``h(w₀) = 0``), entries ``ν·N(0, 1)`` with the same draw for every ν,
    gradient descent on ``½‖h(X) − y‖²`` with :func:`~lazylib.relu_nets.relu_step_sizes`. Cost O(K·n·m·d)
    per step.
    """
    check_instance(task, TeacherStudent, "task")
    nus = check_positive_array(nus, "nus")
    nets = ReLUNets.random(m, task.X.shape[1], nus, [seed])
    lam_bar = ReLUNets.random(m, task.X.shape[1], [1.0], [seed]).ntk_max(task.X)
    lr = relu_step_sizes(nus, lam_bar, teacher_curvature(task), c)
    run = train_relu_nets(nets, task.X, task.y, lr, n_steps, record_every=record_every, record_positions=True)
    if run.positions is None:  # pragma: no cover - record_positions=True always records them
        raise RuntimeError("train_relu_nets did not record the positions")
    moved = np.sqrt(
        np.sum((run.nets.A - nets.A) ** 2, axis=(1, 2)) + np.sum((run.nets.b - nets.b) ** 2, axis=1)
    )
    return NeuronTrajectories(
        nus=nus,
        steps=run.steps,
        positions=run.positions,
        signs=np.sign(nets.b),
        movement=moved / nets.norm(),
        risk=run.risk,
        test_loss=held_out_loss(run.nets(task.X_test), task.y_test),
        alignment=teacher_alignment(run.nets, task.teacher, align_degrees),
        lr=lr,
    )


@dataclass(frozen=True)
class ScaleSweep:
    """Result of :func:`scale_sweep` (Chizat & Bach's Fig. 1c, smaller).

    Attributes
    ----------
    nus : ndarray, shape (K,)
    seeds : tuple of int
    test_loss, train_risk, movement : ndarray, shape (K, S)
        ``½ mean (h − y)²`` on the test set, ``½‖h(X) − y‖²`` on the training set and
        ``‖w(T) − w₀‖/‖w₀‖`` after ``n_steps`` steps.
    lazy_test_loss : ndarray, shape (S,)
        The ν → ∞ limit (:func:`~lazylib.relu_nets.lazy_limit_test_loss`).
    null_loss : float
        ``½ mean y²`` on the test set (the zero predictor's loss).
    signs_unchanged : ndarray, shape (K, S)
        Share of the ReLU activation signs ``1[a_jᵀx_i > 0]`` on the training set that are the
        same after training as at initialization (Chizat & Bach's diagnostic for their CNNs).
    lr : ndarray, shape (K, S)
    diverged : ndarray of bool, shape (K, S)
    """

    nus: Array
    seeds: tuple[int, ...]
    test_loss: Array
    train_risk: Array
    movement: Array
    signs_unchanged: Array
    lazy_test_loss: Array
    null_loss: float
    lr: Array
    diverged: BoolArray


def scale_sweep(
    task: TeacherStudent,
    nus: ArrayLike,
    seeds: Sequence[int],
    m: int = 60,
    n_steps: int = 1000,
    c: float = 0.5,
) -> ScaleSweep:
    """Test loss after training against the initial scale ν, all (ν, seed) pairs in one batch.

    Symmetric initialization (``h(w₀) = 0``) with entries ``ν·N(0, 1)``, the draw shared across
    ν for a given seed; gradient descent on ``½‖h(X) − y‖²`` with :func:`~lazylib.relu_nets.relu_step_sizes`.
    Cost O(K·S·n·m·d) per step.
    """
    check_instance(task, TeacherStudent, "task")
    nus = check_positive_array(nus, "nus")
    seeds = tuple(check_seeds(seeds))
    c = check_step_fraction(c)
    K, S = nus.size, len(seeds)
    nets, lr = sweep_batch(task, nus, seeds, m, c)
    run = train_relu_nets(nets, task.X, task.y, lr, n_steps)
    return ScaleSweep(
        nus=nus,
        seeds=seeds,
        test_loss=held_out_loss(run.nets(task.X_test), task.y_test).reshape(K, S),
        train_risk=run.risk[-1].reshape(K, S),
        movement=relative_movement(nets, run.nets).reshape(K, S),
        signs_unchanged=signs_unchanged(nets, run.nets, task.X).reshape(K, S),
        lazy_test_loss=lazy_limit_test_loss(task, m, seeds, n_steps, c),
        null_loss=float(0.5 * np.mean(task.y_test**2)),
        lr=lr.reshape(K, S),
        diverged=run.diverged.reshape(K, S),
    )


# ------------------------------------------------------------------------------------- centring
@dataclass(frozen=True)
class CentringSweep:
    """Result of :func:`centring_sweep`.

    Attributes
    ----------
    alphas : ndarray, shape (K,)
    centring : str
        ``"symmetric"`` (doubling trick, ``f(w₀) = 0``) or ``"subtract"`` (model ``f − f(w₀)``).
    risk0 : ndarray, shape (K,)
        Initial risk (``½‖y‖²`` for every α in both centrings).
    movement : ndarray, shape (K,)
        ``‖w(T) − w₀‖`` at the last time (the flow has converged there).
    gap : ndarray, shape (K,)
        ``sup_t ‖αh(w(t)) − αh₀(u(t))‖``: nonlinear against linearized predictions, each along
        its own flow, the sup over the time grid.
    final_risk : ndarray, shape (K,)
        Risk of the nonlinear flow at the last time.
    path_gap : ndarray, shape (K,)
        ``sup_t ‖w(t) − u(t)‖``: distance between the nonlinear and the linearized weight paths,
        the sup over the time grid (Chizat & Bach's Thm 2.4 bounds it by ``O(log α/α²)``).
    """

    alphas: Array
    centring: str
    risk0: Array
    movement: Array
    gap: Array
    final_risk: Array
    path_gap: Array


def centring_sweep(
    net: ShallowNet,
    X: ArrayLike,
    y: ArrayLike,
    alphas: ArrayLike,
    tau: ArrayLike,
    centring: str = "symmetric",
) -> CentringSweep:
    """Weight movement and nonlinear-vs-linearized prediction gap against α (Chizat & Bach Thm 2.4).

    For each α, the slides' flow (:func:`lazylib.flows.gradient_flow`, nonlinear by ODE and
    linearized in closed form) is sampled at the slides' times ``tau/α²``, i.e. on a fixed grid
    of the paper's clock ``τ = α²t`` (the lazy clock), so that every α has converged by the last time.

    ``centring="symmetric"``: ``net`` must satisfy ``f(·; w₀) = 0`` on ``X`` (built with
    ``ShallowNet.random(..., symmetric=True)``). ``centring="subtract"``: the model is
    ``h(w) = f(w) − f(w₀)``; its flow is the flow of ``f`` towards the shifted targets
    ``y + αf(w₀)``, which is how it is computed. Either way ``R₀ = ½‖y‖²`` for every α.
    """
    net = check_instance(net, ShallowNet, "net")
    X = net.check_inputs(X)
    y = as_array(y, "y", shape=(X.shape[0],))
    alphas = check_positive_array(alphas, "alphas")
    tau = check_times(tau, "tau")
    centring = check_choice(centring, "centring", ("symmetric", "subtract"))
    f0 = net(X)
    if centring == "symmetric" and not np.allclose(f0, 0.0, atol=1e-12):
        raise ValueError("centring='symmetric' needs a net with f(X; w0) = 0 (symmetric=True)")
    risk0, movement, gap, final, path_gap = [], [], [], [], []
    for alpha in alphas:
        offset = alpha * f0 if centring == "subtract" else np.zeros_like(y)
        target = y + offset
        with np.errstate(over="ignore", under="ignore"):
            t = tau / alpha**2
        check_flow_cost(net, X, target, float(alpha), float(t[-1]), name="tau")
        nl, lin = flow_pair(net, X, target, alpha, t, store_linearized_weights=True)
        risk0.append(float(risk(nl.predictions[0] - offset, y)))
        movement.append(float(nl.distance[-1]))
        gap.append(float(np.max(np.linalg.norm(nl.predictions - lin.predictions, axis=1))))
        final.append(float(nl.risk[-1]))
        dw = (nl.stored_weights() - lin.stored_weights()).reshape(len(t), -1)
        path_gap.append(float(np.max(np.linalg.norm(dw, axis=1))))
    return CentringSweep(
        alphas=alphas,
        centring=centring,
        risk0=np.array(risk0),
        movement=np.array(movement),
        gap=np.array(gap),
        final_risk=np.array(final),
        path_gap=np.array(path_gap),
    )


def chizat_bach_threshold(
    sigma_min: float, sigma_max: float, beta: float, target_norm: float, kappa: float = 1.0
) -> float:
    """The scale above which Chizat & Bach's Theorem 2.4 applies: ``α > ‖y*‖/C₀``,
    ``C₀ = σ_min³ / (32 κ^{3/2} σ_max β)``.

    Parameters
    ----------
    sigma_min, sigma_max : float
        Smallest and largest singular values of the Jacobian ``Dh(w₀)``, ``0 < σ_min ≤ σ_max``.
    beta : float
        Lipschitz constant of ``w ↦ Dh(w)`` (operator norm), > 0.
    target_norm : float
        ``‖y*‖``, the norm of the loss's minimizer (``‖y‖`` for the square loss), ≥ 0.
    kappa : float
        Condition number ``M/m`` of the loss (1 for the square loss), ≥ 1.

    Returns
    -------
    float
        ``32 κ^{3/2} σ_max β ‖y*‖ / σ_min³``. The theorem also needs ``‖h(w₀)‖ ≤ C₀``, which the
        centred models of this book (``h(w₀) = 0``) meet.

    Notes
    -----
    For the square loss and ``h(w₀) = 0`` (so ``√(2R̂₀) = ‖y‖``) this is ``4/3`` of Theorem 8.1's
    ``α_min = β√(1152 σ_max² R̂₀)/σ_min³ = 24 β σ_max ‖y‖/σ_min³``. Section "Lazy vs active".
    """
    sigma_min = check_positive(sigma_min, "sigma_min")
    sigma_max = check_positive(sigma_max, "sigma_max")
    beta = check_positive(beta, "beta")
    kappa = check_positive(kappa, "kappa")
    target_norm = check_nonnegative(target_norm, "target_norm")
    if sigma_min > sigma_max:
        raise ValueError(f"sigma_min must be <= sigma_max, got {sigma_min} > {sigma_max}")
    if kappa < 1:
        raise ValueError(f"kappa must be >= 1 (a condition number), got {kappa}")
    with np.errstate(all="ignore"):
        c0 = np.float64(sigma_min) ** 3 / (32.0 * np.float64(kappa) ** 1.5 * sigma_max * beta)
        threshold = target_norm / c0
    if not np.isfinite(threshold):
        raise ValueError("threshold overflows float64: sigma_min too small or sigma_max, beta, kappa too big")
    return float(threshold)


# ------------------------------------------------------------------------------------- step size


# ----------------------------------------------------------------- results the page draws
@dataclass(frozen=True, kw_only=True)
class Clocks:
    """The same runs in the slides' time ``t`` and in the paper's time ``τ = α²t``
    (see :func:`compare_clocks`).

    Attributes
    ----------
    tau : ndarray, shape (T,)
        The paper's times (the lazy clock).
    slides : dict of float to Trajectory
        Per α, the slides' flow (:func:`lazylib.flows.gradient_flow`) at ``t = τ/α²``.
    paper : dict of float to Trajectory
        Per α, the paper's flow (:func:`paper_gradient_flow`) at ``τ``.
    linearized : Trajectory
        The linearized flow at α = 1 on ``τ``: α-free in the paper's clock for a centred start.
    deviation : ndarray, shape (A,)
        Per α, ``max |w_paper(τ) − w_slides(τ/α²)| / max |w − w₀|``.
    """

    tau: Array
    slides: dict[float, Trajectory]
    paper: dict[float, Trajectory]
    linearized: Trajectory
    deviation: Array


def compare_clocks(
    net: ShallowNet,
    X: ArrayLike,
    y: ArrayLike,
    alphas: Sequence[float],
    tau: ArrayLike,
    *,
    rtol: float = 1e-10,
) -> Clocks:
    """Run each α in both clocks (the slides' flow with tolerance ``rtol``) and the linearized
    flow on ``tau``: the paper's path is the slides' path with time divided by α²."""
    tau = check_times(tau, "tau")
    if not tau[-1] > 0:
        raise ValueError("tau must hold a time > 0 (the deviation is relative to the distance moved)")
    alpha_values = check_positive_array(alphas, "alphas")
    if np.unique(alpha_values).size != alpha_values.size:
        raise ValueError("alphas must be distinct (the runs are keyed by alpha)")
    paper, slides, deviation = {}, {}, []
    for alpha in map(float, alpha_values):
        paper[alpha] = paper_gradient_flow(net, X, y, alpha, tau)
        slides[alpha] = gradient_flow(net, X, y, alpha, tau / alpha**2, rtol=rtol)
        w_paper, w_slides = paper[alpha].stored_weights(), slides[alpha].stored_weights()
        moved = np.abs(w_paper - net.W).max()
        deviation.append(np.abs(w_paper - w_slides).max() / moved)
    linearized = gradient_flow(net, X, y, 1.0, tau, linearized=True)
    return Clocks(tau=tau, slides=slides, paper=paper, linearized=linearized, deviation=np.array(deviation))
