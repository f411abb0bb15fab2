"""The evolution of predictions in function space (slide "Evolution of predictions").

Along the gradient flow ``ẇ = −α J_wᵀ(αf(w) − y)`` the chain rule moves the scaled predictions by

    d/dt αf(w(t)) = α J_t ẇ(t) = −α² J_t J_tᵀ (αf(w(t)) − y),

and along the linearized flow ``u̇ = −α J₀ᵀ(αf₀(u) − y)`` by the same law with the frozen kernel
``J₀J₀ᵀ``. This module evaluates both right-hand sides (matrix-free, through the structured NTK),
differentiates the solvers' prediction paths numerically to check them, and runs the nonlinear and
linearized flows side by side on a time grid measured in units of ``1/α²``. Used by the Setup
section (``notebooks/02_setup.ipynb``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ._checks import (
    as_array,
    as_weights,
    check_flag,
    check_instance,
    check_positive,
    check_positive_array,
    check_positive_int,
    check_times,
    check_tolerance,
    finite_result,
    quiet_overflow,
)
from ._types import Array
from .flows import Trajectory, check_flow_cost, check_problem, flow_pair, gradient_flow
from .linearization import linearize
from .models import ShallowNet

__all__ = [
    "FlowPair",
    "ScalingSweep",
    "VelocityCheck",
    "check_prediction_ode",
    "compare_flows",
    "finite_difference_velocity",
    "kernel_drift",
    "lazy_scaling_sweep",
    "prediction_velocity",
    "trajectory_velocity",
]


#: Weights of the five-point central difference ``(−p(t+2h) + 8p(t+h) − 8p(t−h) + p(t−2h))/(12h)``.
_STENCIL_OFFSETS = np.array([-2.0, -1.0, 1.0, 2.0])
_STENCIL_WEIGHTS = np.array([1.0, -8.0, 8.0, -1.0]) / 12.0


def _flow_times(tau: ArrayLike, alpha: float, name: str = "tau") -> tuple[Array, Array]:
    """Validated rescaled times ``τ`` and the flow times ``t = τ/α²`` (refused if they underflow)."""
    tau = check_times(tau, name)
    with np.errstate(over="ignore", under="ignore"):
        t = np.asarray(tau / np.square(np.float64(alpha)), dtype=np.float64)
    if np.any((t == 0) & (tau > 0)):
        raise ValueError(f"alpha = {alpha:g} is too large: the times {name}/alpha^2 underflow to 0")
    return tau, t


def _lambda_max(net: ShallowNet, X: Array) -> float:
    lam_max = float(np.linalg.eigvalsh(net.ntk(X))[-1])
    if lam_max <= 0:
        raise ValueError("J0 J0^T is zero on X (all inputs zero?): the flow does not move")
    return lam_max


def prediction_velocity(
    net: ShallowNet,
    X: ArrayLike,
    y: ArrayLike,
    alpha: float,
    W: ArrayLike,
    linearized: bool = False,
) -> Array:
    """The right-hand side of the prediction ODE at weights ``W``, shape ``(n,)``.

    ``linearized=False``: ``−α² J_W J_Wᵀ (αf(W) − y)`` with the kernel of the network at ``W``.
    ``linearized=True``: ``−α² J₀ J₀ᵀ (αf₀(W) − y)``, the linearized model at ``u = W``, where
    ``f₀(u) = f(w₀) + J₀(u − w₀)`` is the linearization of ``net`` at its own weights ``w₀``.

    Parameters
    ----------
    net : ShallowNet
        The network at initialization ``w₀`` (its weights are the expansion point).
    X : array_like, shape (n, d)
        Training inputs (the predictor vector's baked-in data).
    y : array_like, shape (n,)
        Targets.
    alpha : float
        The scale α > 0.
    W : array_like, shape (m, d) or (m·d,)
        The current weights ``w(t)`` (or ``u(t)`` when ``linearized``).
    linearized : bool
        Use the frozen kernel and the linearized predictions.

    Returns
    -------
    ndarray, shape (n,)
        ``d/dt αf(w(t))`` (or ``d/dt αf₀(u(t))``) at the state ``W``.

    Notes
    -----
    Cost O(n²m + nmd) through :meth:`~lazylib.models.ShallowNet.ntk`; ``J`` is never formed. Slide
    "Evolution of predictions".
    """
    net = check_instance(net, ShallowNet, "net")
    X, y, alpha = check_problem(net, X, y, alpha)
    linearized = check_flag(linearized, "linearized")
    W = as_weights(W, "W", (net.m, net.d))
    if linearized:
        residual = alpha * linearize(net, X)(W) - y
        kernel = net.ntk(X)
    else:
        moved = net.with_weights(W)
        residual = alpha * moved(X) - y
        kernel = moved.ntk(X)
    with np.errstate(over="ignore", invalid="ignore"):
        return finite_result(-(alpha * alpha) * (kernel @ residual), "the prediction velocity")


def trajectory_velocity(
    net: ShallowNet, X: ArrayLike, y: ArrayLike, alpha: float, trajectory: Trajectory
) -> Array:
    """:func:`prediction_velocity` at every stored state of a trajectory, shape ``(T, n)``.

    ``trajectory`` must come from :func:`~lazylib.flows.gradient_flow` on the same ``(net, X, y,
    alpha)`` with its weights stored; its ``linearized`` flag selects the kernel (``J_tJ_tᵀ`` or
    ``J₀J₀ᵀ``). Cost O(T·(n²m + nmd)).
    """
    net = check_instance(net, ShallowNet, "net")
    if not isinstance(trajectory, Trajectory):
        raise TypeError(f"trajectory must be a Trajectory, got {type(trajectory).__name__}")
    if trajectory.weights is None:
        raise ValueError("trajectory must store its weights (gradient_flow(..., store_weights=True))")
    return np.stack(
        [prediction_velocity(net, X, y, alpha, W, trajectory.linearized) for W in trajectory.weights]
    )


def finite_difference_velocity(
    net: ShallowNet,
    X: ArrayLike,
    y: ArrayLike,
    alpha: float,
    times: ArrayLike,
    h: float,
    linearized: bool = False,
    *,
    rtol: float = 1e-10,
    atol: float = 1e-14,
) -> Array:
    """Time derivative of the solver's prediction path by a five-point central difference.

    ``(−p(t+2h) + 8p(t+h) − 8p(t−h) + p(t−2h)) / (12h)`` with ``p(t) = αf(w(t))`` (or
    ``αf₀(u(t))``) taken from :func:`~lazylib.flows.gradient_flow`; it knows nothing of the
    prediction ODE, so comparing it with :func:`prediction_velocity` checks the chain rule.

    Parameters
    ----------
    net, X, y, alpha
        As in :func:`prediction_velocity`.
    times : array_like, shape (K,)
        Times at which to differentiate; each must be ≥ ``2h``.
    h : float
        Step of the stencil (> 0).
    linearized : bool
        Differentiate the closed-form linearized path instead of the ODE solution.
    rtol, atol : float
        Solver tolerances for the nonlinear flow.

    Returns
    -------
    ndarray, shape (K, n)

    Notes
    -----
    Error: truncation ``h⁴/30 · max‖p⁽⁵⁾‖`` plus, for the ODE, the solver's error on ``p``
    amplified by ``(1 + 8 + 8 + 1)/(12h) = 1.5/h``. One flow solve with ``4K`` output times.
    """
    net = check_instance(net, ShallowNet, "net")
    X, y, alpha = check_problem(net, X, y, alpha)
    linearized = check_flag(linearized, "linearized")
    h = check_positive(h, "h")
    times = as_array(times, "times", ndim=1)
    if times.size == 0 or np.any(times < 2 * h):
        raise ValueError(f"times must be non-empty and every time must be >= 2h = {2 * h:.3g}")
    rtol = check_tolerance(rtol, "rtol")
    atol = check_positive(atol, "atol")
    stencil = times[:, None] + h * _STENCIL_OFFSETS[None, :]
    if not np.all(np.isfinite(stencil)) or np.any(np.diff(stencil, axis=1) <= 0):
        raise ValueError("h is too small for these times: float64 cannot resolve the stencil t ± h, t ± 2h")
    grid = stencil.ravel()
    order = np.argsort(grid, kind="stable")
    if linearized:
        traj = gradient_flow(net, X, y, alpha, grid[order], linearized=True, store_weights=False)
    else:
        check_flow_cost(net, X, y, alpha, float(grid.max()), name="times")
        traj = gradient_flow(net, X, y, alpha, grid[order], store_weights=False, rtol=rtol, atol=atol)
    preds = np.empty_like(traj.predictions)
    preds[order] = traj.predictions
    preds = preds.reshape(times.size, _STENCIL_OFFSETS.size, -1)
    return finite_result(np.einsum("k,tkn->tn", _STENCIL_WEIGHTS, preds) / h, "the difference quotient")


@dataclass(frozen=True)
class FlowPair:
    """The nonlinear flow ``w(t)`` and the linearized flow ``u(t)`` on one time grid.

    Attributes
    ----------
    alpha : float
        The scale.
    tau : ndarray, shape (T,)
        Rescaled times ``α² t`` (the prediction ODE runs at rate α², so curves for different α
        share this axis).
    nonlinear, linearized : Trajectory
        The two flows at times ``t = τ/α²``.
    """

    alpha: float
    tau: Array
    nonlinear: Trajectory
    linearized: Trajectory

    @property
    def prediction_gap(self) -> Array:
        """``‖αf(w(t)) − αf₀(u(t))‖`` at each time, shape ``(T,)``."""
        gap = np.linalg.norm(self.nonlinear.predictions - self.linearized.predictions, axis=1)
        return np.asarray(gap, dtype=np.float64)

    @property
    def max_prediction_gap(self) -> float:
        """``max_t ‖αf(w(t)) − αf₀(u(t))‖`` over the grid."""
        return float(self.prediction_gap.max())


def compare_flows(
    net: ShallowNet,
    X: ArrayLike,
    y: ArrayLike,
    alpha: float,
    tau: ArrayLike,
    *,
    store_weights: bool = False,
) -> FlowPair:
    """Run the nonlinear and the linearized gradient flows from ``net`` at times ``t = τ/α²``.

    Parameters
    ----------
    net : ShallowNet
        The network at initialization (``symmetric=True`` makes ``f(w₀) = 0``, so ``R₀ = ½‖y‖²``
        for every α and the runs at different α start from the same predictions).
    X, y, alpha
        Data and scale, as in :func:`~lazylib.flows.gradient_flow`.
    tau : array_like, shape (T,)
        Non-negative, non-decreasing rescaled times ``α² t``.
    store_weights : bool
        Keep the weights of both flows (needed by :func:`trajectory_velocity`).

    Returns
    -------
    FlowPair

    Notes
    -----
    Cost: one ODE solve (O(n·m·d) per right-hand side, steps ∝ the condition number of ``J₀J₀ᵀ``)
    and one eigendecomposition. Slides "Setup" and "Evolution of predictions".
    """
    net = check_instance(net, ShallowNet, "net")
    X, y, alpha = check_problem(net, X, y, alpha)
    tau, t = _flow_times(tau, alpha)
    check_flow_cost(net, X, y, alpha, float(t[-1]), name="tau")
    w, u = flow_pair(net, X, y, alpha, t, store_weights=store_weights, store_linearized_weights=store_weights)
    return FlowPair(alpha=alpha, tau=tau, nonlinear=w, linearized=u)


@dataclass(frozen=True)
class VelocityCheck:
    """A finite-difference check of the prediction ODE at a few times.

    Attributes
    ----------
    t : ndarray, shape (K,)
        Times checked.
    h : float
        Step of the five-point stencil.
    error : ndarray, shape (K,)
        ``‖q − v‖``: difference quotient of the solver's path against the ODE's right-hand side.
    velocity_norm : ndarray, shape (K,)
        ``‖v‖``, the size of the right-hand side.
    budget : ndarray, shape (K,)
        The error the numerics allow: ``(α²λ_max h)⁴/30 · ‖v‖`` (stencil truncation, exact for the
        linear ODE) ``+ 1.5 ε/h`` (path error ``ε = eps·‖p‖`` amplified by the quotient).
    """

    t: Array
    h: float
    error: Array
    velocity_norm: Array
    budget: Array

    @property
    def within_budget(self) -> bool:
        """Whether every error is within its budget."""
        return bool(np.all(self.error <= self.budget))

    @property
    def max_relative_error(self) -> float:
        """``max_k ‖q − v‖ / ‖v‖``."""
        return float(np.max(self.error / self.velocity_norm))


@quiet_overflow
def check_prediction_ode(
    net: ShallowNet,
    X: ArrayLike,
    y: ArrayLike,
    alpha: float,
    tau: ArrayLike,
    linearized: bool = False,
    *,
    h_scale: float = 0.01,
    rtol: float = 1e-10,
    roundoff: float = 1e-15,
) -> VelocityCheck:
    """Compare ``d/dt`` of the solver's prediction path with the prediction ODE's right-hand side.

    At times ``t = τ/α²`` the five-point difference quotient ``q`` of :func:`finite_difference_velocity`
    (step ``h = h_scale/(α² λ_max(J₀J₀ᵀ))``) is compared with ``v = −α² J_tJ_tᵀ(αf − y)`` (or the
    frozen-kernel version) from :func:`trajectory_velocity`.

    Parameters
    ----------
    net, X, y, alpha
        As in :func:`prediction_velocity`.
    tau : array_like, shape (K,)
        Rescaled times ``α² t`` (each ≥ ``2 h_scale/λ_max``).
    linearized : bool
        Check the linearized flow (closed form) instead of the ODE solve.
    h_scale : float
        Stencil step in units of the fastest time scale ``1/(α²λ_max)``.
    rtol : float
        Solver tolerance; also the relative path error ``eps`` budgeted for the ODE.
    roundoff : float
        Relative path error budgeted for the closed form.

    Returns
    -------
    VelocityCheck

    Notes
    -----
    The stencil's truncation error is at most ``h⁴/30`` times the largest ``‖p⁽⁵⁾‖`` on
    ``[t − 2h, t + 2h]``. For the linear ODE ``p⁽⁵⁾(s) = (α²J₀J₀ᵀ)⁴ v(s)`` with
    ``v(s) = exp(−α²J₀J₀ᵀ(s − t)) v(t)``, so that error is at most
    ``e^{2 h_scale} (α²λ_max h)⁴/30 · ‖v‖ = e^{2 h_scale} h_scale⁴/30 · ‖v‖``; the budget uses the same
    term for the network, whose kernel stays within a small factor of ``J₀J₀ᵀ`` here. Section
    "Evolution of predictions".
    """
    net = check_instance(net, ShallowNet, "net")
    X, y, alpha = check_problem(net, X, y, alpha)
    linearized = check_flag(linearized, "linearized")
    h_scale = check_positive(h_scale, "h_scale")
    rtol = check_positive(rtol, "rtol")
    roundoff = check_positive(roundoff, "roundoff")
    tau, t = _flow_times(tau, alpha)
    lam_max = _lambda_max(net, X)
    if np.any(tau < 2 * h_scale / lam_max):
        low = 2 * h_scale / lam_max
        raise ValueError(f"each tau must be >= 2 h_scale / lambda_max(J0 J0^T) = {low:.3g}")
    with np.errstate(over="ignore", under="ignore"):
        h = float(h_scale / (np.square(np.float64(alpha)) * lam_max))
    if not (np.isfinite(h) and h > 0):
        raise ValueError(f"alpha = {alpha:g} is out of range: the stencil step underflows or overflows")
    quotient = finite_difference_velocity(net, X, y, alpha, t, h, linearized=linearized, rtol=rtol)
    traj = gradient_flow(net, X, y, alpha, t, linearized=linearized, rtol=rtol)
    velocity = trajectory_velocity(net, X, y, alpha, traj)
    vnorm = np.linalg.norm(velocity, axis=1)
    eps = roundoff if linearized else rtol
    budget = (
        np.exp(2 * h_scale) * h_scale**4 / 30.0 * vnorm
        + 1.5 * eps * np.linalg.norm(traj.predictions, axis=1) / h
    )
    return VelocityCheck(
        t=t,
        h=h,
        error=finite_result(np.linalg.norm(quotient - velocity, axis=1), "the velocity error"),
        velocity_norm=finite_result(vnorm, "the velocity norm (alpha too large?)"),
        budget=finite_result(budget, "the error budget"),
    )


def kernel_drift(net: ShallowNet, X: ArrayLike, weights: ArrayLike) -> Array:
    """``‖J_wJ_wᵀ − J₀J₀ᵀ‖₂ / ‖J₀J₀ᵀ‖₂`` for each weight matrix in ``weights`` (shape ``(T, m, d)``).

    ``J₀`` is taken at the network's own weights. Cost O(T·(n²m + nmd + n³)).
    """
    net = check_instance(net, ShallowNet, "net")
    X = net.check_inputs(X)
    weights = as_array(weights, "weights", ndim=3)
    K0 = net.ntk(X)
    scale = float(np.linalg.norm(K0, 2))
    if scale == 0:
        raise ValueError("J0 J0^T is zero on X (all inputs zero?): no relative kernel drift")
    return np.array([np.linalg.norm(net.with_weights(W).ntk(X) - K0, 2) / scale for W in weights])


@dataclass(frozen=True)
class ScalingSweep:
    """How far the network strays from its linearization, as a function of the scale α.

    Attributes
    ----------
    alphas : ndarray, shape (A,)
        Scales.
    max_gap : ndarray, shape (A,)
        ``max_t ‖αf(w(t)) − αf₀(u(t))‖``.
    max_distance : ndarray, shape (A,)
        ``max_t ‖w(t) − w(0)‖``.
    max_distance_linearized : ndarray, shape (A,)
        ``max_t ‖u(t) − u(0)‖``.
    max_kernel_drift : ndarray, shape (A,)
        ``max_t ‖J_tJ_tᵀ − J₀J₀ᵀ‖₂/‖J₀J₀ᵀ‖₂`` (over every ``kernel_every``-th time).
    """

    alphas: Array
    max_gap: Array
    max_distance: Array
    max_distance_linearized: Array
    max_kernel_drift: Array


def lazy_scaling_sweep(
    net: ShallowNet,
    X: ArrayLike,
    y: ArrayLike,
    alphas: ArrayLike,
    tau: ArrayLike,
    *,
    kernel_every: int = 10,
) -> ScalingSweep:
    """Run :func:`compare_flows` for each α and record gap, distances and kernel drift.

    Parameters
    ----------
    net : ShallowNet
        Network at initialization (centred, ``symmetric=True``, for a fair comparison across α).
    X, y
        Data.
    alphas : array_like, shape (A,)
        Positive scales.
    tau : array_like, shape (T,)
        Rescaled times ``α² t``.
    kernel_every : int
        Evaluate the kernel drift at every ``kernel_every``-th time (it costs an NTK each).

    Returns
    -------
    ScalingSweep

    Notes
    -----
    One ODE solve and one closed form per α. Sections "Setup" (lazy scaling) and "Lazy vs active".
    """
    net = check_instance(net, ShallowNet, "net")
    alphas = check_positive_array(alphas, "alphas")
    kernel_every = check_positive_int(kernel_every, "kernel_every")
    rows = []
    for alpha in alphas:
        pair = compare_flows(net, X, y, float(alpha), tau, store_weights=True)
        weights = pair.nonlinear.weights
        if weights is None:  # pragma: no cover - store_weights=True always stores them
            raise RuntimeError("gradient_flow did not store the weights")
        rows.append(
            (
                pair.max_prediction_gap,
                float(pair.nonlinear.distance.max()),
                float(pair.linearized.distance.max()),
                float(kernel_drift(net, X, weights[::kernel_every]).max()),
            )
        )
    cols = np.array(rows).T
    return ScalingSweep(
        alphas=alphas,
        max_gap=cols[0],
        max_distance=cols[1],
        max_distance_linearized=cols[2],
        max_kernel_drift=cols[3],
    )
