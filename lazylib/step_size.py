"""The step size of gradient descent: the linear edge ``η_c = 2/(α²λ_max(J₀J₀ᵀ))`` and runs around it.

Beside :func:`lazylib.flows.gradient_descent`, used by the pages "Lazy vs active training" and
"Gradient descent" (:mod:`lazylib.discrete_time`). Gradient descent on the linearized model converges
iff ``η < η_c``; the network is not bound by that edge, its Jacobian moves.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ._checks import check_flag, check_instance, check_positive, check_positive_array, check_positive_int
from ._types import Array, BoolArray
from .flows import MAX_STEPS, Trajectory, gradient_descent
from .models import ShallowNet

__all__ = ["StepSizeEdge", "critical_step", "step_size_edge"]


def critical_step(net: ShallowNet, X: ArrayLike, alpha: float) -> float:
    """``η_c = 2/(α² λ_max(J₀J₀ᵀ))``: gradient descent on the linearized model converges for
    ``η < η_c`` and diverges for ``η > η_c`` (unless ``r₀`` has no component on the top
    eigenvector). One ``eigvalsh`` of the structured Gram, O(n²m + n³)."""
    net = check_instance(net, ShallowNet, "net")
    X = net.check_inputs(X)
    alpha = check_positive(alpha, "alpha")
    lam_max = float(np.linalg.eigvalsh(net.ntk(X))[-1])
    if lam_max <= 0:
        raise ValueError("J0 J0^T is zero on X: no critical step")
    with np.errstate(all="ignore"):
        eta_c = float(2.0 / (np.float64(alpha) ** 2 * lam_max))
    if not (np.isfinite(eta_c) and eta_c > 0):
        raise ValueError(f"alpha = {alpha:g} is out of range: 2/(alpha^2 lambda_max) is not a float64 > 0")
    return eta_c


@dataclass(frozen=True)
class StepSizeEdge:
    """Result of :func:`step_size_edge`.

    Attributes
    ----------
    factors : ndarray, shape (K,)
        Step sizes as multiples of :func:`critical_step`.
    eta_c : float
        ``2/(α² λ_max(J₀J₀ᵀ))``.
    diverged : ndarray of bool, shape (K,)
    final_risk : ndarray, shape (K,)
        Risk at the last step (``inf`` when diverged).
    max_risk : ndarray, shape (K,)
        Largest recorded risk along the run.
    distance : ndarray, shape (K,)
        ``‖w − w₀‖`` at the last step (``inf`` when diverged).
    sharpness : ndarray, shape (K,)
        ``η · α² λ_max(J J ᵀ)`` at the last weights (J frozen at ``J₀`` for the linearized model);
        a run can only settle where it is ≤ 2.
    runs : list of Trajectory
    """

    factors: Array
    eta_c: float
    diverged: BoolArray
    final_risk: Array
    max_risk: Array
    distance: Array
    sharpness: Array
    runs: list[Trajectory]


def step_size_edge(
    net: ShallowNet,
    X: ArrayLike,
    y: ArrayLike,
    alpha: float,
    factors: ArrayLike,
    n_steps: int,
    linearized: bool = True,
    record_every: int = 10,
) -> StepSizeEdge:
    """Run :func:`lazylib.flows.gradient_descent` at ``η = factor · η_c`` for each factor.

    On the linearized model the residual's component on the top eigenvector of ``J₀J₀ᵀ`` is
    multiplied by ``1 − ηα²λ_max`` per step, so the run converges iff ``η < η_c``. The nonlinear
    model is not bound by that edge: its Jacobian moves. Cost O(n·m·d) per step and factor.
    """
    net = check_instance(net, ShallowNet, "net")
    X = net.check_inputs(X)
    alpha = check_positive(alpha, "alpha")
    factors = check_positive_array(factors, "factors")
    linearized = check_flag(linearized, "linearized")
    n_steps = check_positive_int(n_steps, "n_steps")
    if n_steps * factors.size > MAX_STEPS:
        raise ValueError(
            f"n_steps = {n_steps} for {factors.size} step sizes is {n_steps * factors.size} steps, too many "
            f"(at most {MAX_STEPS} in all)"
        )
    eta_c = critical_step(net, X, alpha)
    runs = [
        gradient_descent(net, X, y, alpha, f * eta_c, n_steps, linearized, record_every=record_every)
        for f in factors
    ]
    diverged = np.array([r.diverged for r in runs])
    final = np.array([np.inf if r.diverged else float(r.risk[-1]) for r in runs])
    max_risk = np.array([np.inf if r.diverged else float(np.max(r.risk)) for r in runs])
    distance = np.array([np.inf if r.diverged else float(r.distance[-1]) for r in runs])
    lam0 = float(np.linalg.eigvalsh(net.ntk(X))[-1])
    sharp = []
    for f, r in zip(factors, runs, strict=True):
        if r.diverged:
            sharp.append(np.inf)
            continue
        last = net.with_weights(r.stored_weights()[-1])
        lam = lam0 if linearized else float(np.linalg.eigvalsh(last.ntk(X))[-1])
        sharp.append(f * eta_c * alpha**2 * lam)
    return StepSizeEdge(
        factors=factors,
        eta_c=eta_c,
        diverged=diverged,
        final_risk=final,
        max_risk=max_risk,
        distance=distance,
        sharpness=np.array(sharp),
        runs=runs,
    )
