"""Gradient flow and gradient descent on the scaled risk ``R(αf) = ½‖y − αf(w)‖²``.

The flow is ``ẇ = −α J_wᵀ (α f(w) − y)`` (slide "Setup"). Three solvers:

* ``gradient_flow(..., linearized=True)``: the linearized flow ``u̇ = −α J₀ᵀ(α f₀(u) − y)`` in
  closed form. With ``J₀J₀ᵀ = V Λ Vᵀ`` and ``r = αf₀ − y``, ``r(t) = V e^{−α²Λt} Vᵀ r₀`` and
  ``u(t) − w₀ = −α J₀ᵀ V diag((1 − e^{−α²λ_k t})/(α²λ_k)) Vᵀ r₀`` (the factor is ``t`` for
  ``λ_k = 0``, whose directions J₀ᵀ annihilates anyway). One ``eigh``, exact at any t.
* ``gradient_flow(..., linearized=False)``: ``scipy.integrate.solve_ivp`` on the rescaled
  displacement ``α(w − w₀)`` in rescaled time ``α²t`` with a matrix-free right-hand side (two
  (n×d)(d×m)-sized products and one pass of σ).
* :func:`gradient_descent`: ``w_{k+1} = w_k − η α J_kᵀ(α f(w_k) − y)``, plotted at times ``kη``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy.integrate import solve_ivp

from ._checks import (
    as_array,
    check_choice,
    check_flag,
    check_instance,
    check_positive,
    check_positive_int,
    check_times,
    check_tolerance,
    finite_result,
)
from ._types import Array
from .models import ShallowNet
from .theory import residual_risk, risk

__all__ = ["Trajectory", "flow_pair", "gradient_descent", "gradient_flow"]


#: Most gradient-descent steps one call of a sweep runs in all
#: (:func:`lazylib.discrete_time.check_gd_theorem`, :func:`lazylib.step_size.step_size_edge`;
#: the book's pages run about 3000 per call).
MAX_STEPS = 50_000

#: Risk above ``DIVERGENCE_FACTOR · max(R₀, 1)`` stops gradient descent as diverged.
DIVERGENCE_FACTOR = 1e12

#: Largest stiffness ``α² λ_max(J₀J₀ᵀ) · t_end`` an explicit ODE solve is given: its step is capped
#: near ``3/(α²λ_max)``, so this is about 3·10⁵ steps (2·10⁶ right-hand sides), seconds to minutes.
#: The notebooks stay below 10⁴ (κ(J₀J₀ᵀ) ≈ 70 over 10 slowest time scales).
MAX_STIFFNESS = 1e6

#: Round-off in ``α f(w)`` relative to the residual's scale above which the nonlinear ODE is refused:
#: the right-hand side then has fewer than 6 correct digits and an adaptive solver chases the noise
#: (measured: 632 evaluations at α = 1e6, 1.2·10⁶ at α = 1e10 for a centred net).
MAX_ROUNDOFF = 1e-6

#: Right-hand-side evaluations allowed per unit of stiffness (measured: ≈ 3; plus a fixed allowance).
NFEV_PER_STIFFNESS = 20
NFEV_ALLOWANCE = 20_000


class _BudgetExceeded(Exception):
    """Raised inside an ODE right-hand side when the evaluation budget is used up."""


def bounded_rhs(
    rhs: Callable[[float, Array], Array], stiffness: float
) -> tuple[Callable[[float, Array], Array], int]:
    """``rhs`` that raises :class:`_BudgetExceeded` after ``NFEV_PER_STIFFNESS · stiffness +
    NFEV_ALLOWANCE`` calls (so no solve can run unbounded), and that budget."""
    budget = int(NFEV_PER_STIFFNESS * stiffness) + NFEV_ALLOWANCE
    calls = 0

    def counted(t: float, state: Array) -> Array:
        nonlocal calls
        calls += 1
        if calls > budget:
            raise _BudgetExceeded
        return rhs(t, state)

    return counted, budget


def solve_bounded(
    rhs: Callable[[float, Array], Array],
    t_end: float,
    state0: Array,
    t_eval: Array,
    stiffness: float,
    **options: Any,
) -> tuple[Array, int]:
    """``solve_ivp`` on ``[0, t_end]`` with an evaluation budget; returns the states ``(T, p)`` and
    ``nfev``. Raises ``ValueError`` if the solve does not finish in bounded time, fails (step
    size underflow: the inputs blow the solution up) or leaves float64."""
    counted, budget = bounded_rhs(rhs, stiffness)
    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # reported below
            sol = solve_ivp(counted, (0.0, t_end), state0, t_eval=t_eval, **options)
    except _BudgetExceeded:
        raise ValueError(
            f"the ODE solve needed more than {budget} right-hand-side evaluations (stiffness "
            f"{stiffness:.3g}): the inputs are too ill-conditioned or the scale too extreme for an "
            "explicit solver; use fewer/shorter times, better-separated inputs or the closed form"
        ) from None
    if not sol.success:
        raise ValueError(f"the ODE solve failed ({sol.message}): the inputs are too large or too extreme")
    states = finite_result(np.asarray(sol.y, dtype=np.float64).T, "the ODE solution")
    return states, int(sol.nfev)


def check_stiffness(stiffness: float, name: str, what: str) -> float:
    """Refuse a solve whose stiffness (rate × duration) is above :data:`MAX_STIFFNESS`."""
    if not stiffness <= MAX_STIFFNESS:  # also catches NaN
        raise ValueError(
            f"{name} is too long for an explicit ODE solver: {what} = {stiffness:.3g} > "
            f"{MAX_STIFFNESS:.0e} (the step is capped near 3/rate, so this many steps would be "
            "needed); use shorter times, better-separated inputs, or the closed form"
        )
    return stiffness


def check_flow_cost(
    net: ShallowNet, X: Array, y: Array, alpha: float, t_end: float, name: str = "t_eval"
) -> float:
    """Refuse a nonlinear flow that an explicit solver cannot finish in bounded time; return its
    stiffness ``α² λ_max(J₀J₀ᵀ) · t_end``.

    Two causes: a stiffness above :data:`MAX_STIFFNESS` (ill-conditioned or nearly duplicate inputs
    over a long horizon; ``name`` is the caller's time argument), and a scale at which float64
    cannot follow the network (``check_roundoff``).
    """
    net = check_instance(net, ShallowNet, "net")
    lam_max = float(np.linalg.eigvalsh(net.ntk(X))[-1])
    with np.errstate(over="ignore"):
        stiffness = alpha * alpha * lam_max * t_end
    check_stiffness(stiffness, name, "alpha^2 * lambda_max(J0 J0^T) * t")
    check_roundoff(net, X, y, alpha, "the nonlinear ODE")
    return stiffness


def check_roundoff(net: ShallowNet, X: Array, y: Array, alpha: float, what: str) -> None:
    """Refuse to train the network itself (``what``: the ODE, gradient descent) at a scale where
    float64 cannot follow it.

    The round-off in ``αf(w)`` is about ``α · eps · scale · Σ|s_j|``; above :data:`MAX_ROUNDOFF` of
    the residual's size the predictions have fewer than 6 correct digits, and the weights' motion,
    ``O(1/α)`` against ``O(1)`` weights, is absorbed when it is added to them (gradient descent at
    α = 1e17 did not move at all). The model is then in the linear regime anyway (its distance from
    the linearized model is ``O(1/α)``), and ``linearized=True`` computes that exactly.
    """
    f0 = net(X)
    size = max(float(np.max(np.abs(y), initial=0.0)), alpha * float(np.max(np.abs(f0), initial=0.0)))
    noise = alpha * np.finfo(np.float64).eps * net.scale * float(np.sum(np.abs(net.s)))
    if size > 0.0 and noise > MAX_ROUNDOFF * size:  # size 0: r = 0, nothing moves, exactly
        raise ValueError(
            f"alpha = {alpha:g} is too large for {what}: float64 round-off in alpha*f(w) "
            f"(about {noise:.1e}) is above {MAX_ROUNDOFF:g} of the residual's size ({size:.3g}), "
            "and the model is in the linear regime anyway (distance from the linearized model "
            "O(1/alpha)): use linearized=True"
        )


@dataclass(frozen=True)
class Trajectory:
    """A training trajectory sampled at times ``t``.

    Attributes
    ----------
    t : ndarray, shape (T,)
        Times (flow time; for gradient descent ``k·η``).
    risk : ndarray, shape (T,)
        ``½‖y − αf‖²`` at each time.
    distance : ndarray, shape (T,)
        ``‖w(t) − w(0)‖`` (Frobenius).
    predictions : ndarray, shape (T, n)
        The scaled predictions ``α f(w(t))`` (or ``α f₀(u(t))``).
    weights : ndarray, shape (T, m, d), or None
        The weights at each time (None when ``store_weights=False``).
    linearized : bool
        Whether this is the linearized model's trajectory ``u(t)``.
    method : str
        ``"closed-form"``, the ``solve_ivp`` method, or ``"gd"``.
    nfev : int
        Right-hand-side (gradient) evaluations used.
    diverged : bool
        Gradient descent only: the risk blew up and the run was stopped early.
    """

    t: Array
    risk: Array
    distance: Array
    predictions: Array
    weights: Array | None
    linearized: bool
    method: str
    nfev: int = 0
    diverged: bool = False

    def stored_weights(self) -> Array:
        """``weights``, or ``ValueError`` if the run did not store them (``store_weights=False``)."""
        if self.weights is None:
            raise ValueError("the trajectory has no stored weights (run it with store_weights=True)")
        return self.weights


def check_problem(net: ShallowNet, X: ArrayLike, y: ArrayLike, alpha: float) -> tuple[Array, Array, float]:
    """Validate a training problem: inputs ``(n, d)`` for ``net``, targets ``(n,)``, ``alpha > 0``."""
    net = check_instance(net, ShallowNet, "net")
    X = net.check_inputs(X)
    y = as_array(y, "y", shape=(X.shape[0],))
    alpha = check_positive(alpha, "alpha")
    if alpha * alpha == 0.0:
        raise ValueError(f"alpha = {alpha:g} is too small: alpha^2 underflows float64 (the flow never moves)")
    with np.errstate(over="ignore", invalid="ignore"):
        r0 = alpha * net(X) - y
        risk0 = 0.5 * float(r0 @ r0)
    if not np.isfinite(risk0):
        raise ValueError(f"alpha = {alpha:g} and y overflow float64: the initial risk is inf")
    return X, y, alpha


def _finite(traj: Trajectory, alpha: float) -> Trajectory:
    """Refuse to return a trajectory holding NaN/inf (overflow for absurd ``alpha`` or times)."""
    if not (np.isfinite(traj.risk).all() and np.isfinite(traj.distance).all()):
        raise ValueError(
            f"alpha = {alpha:g} with these inputs overflows float64 (non-finite risk or distance): "
            "use a smaller alpha or shorter times"
        )
    return traj


def _linear_flow(
    net: ShallowNet, X: Array, y: Array, alpha: float, t: Array, store_weights: bool
) -> Trajectory:
    gram = net.ntk(X)
    lam, V = np.linalg.eigh(gram)
    # A singular J₀J₀ᵀ (duplicate inputs, p < n) has eigenvalues that round-off turns into ±ε·λ_max.
    # Below the usual numerical-rank tolerance n·ε·λ_max they are set to exactly 0, so the residual
    # along the kernel of J₀ᵀ stays constant, as it does in exact arithmetic.
    lam = np.where(lam > lam[-1] * lam.size * np.finfo(np.float64).eps, lam, 0.0)
    r0 = alpha * net(X) - y
    coef = V.T @ r0
    a2l = alpha * alpha * lam
    decay = np.exp(-np.outer(t, a2l))  # (T, n)
    residuals = (decay * coef) @ V.T  # r(t) = αf₀(u(t)) − y
    # ∫₀ᵗ e^{−α²λs} ds, equal to t where λ = 0.
    safe = np.where(a2l > 0, a2l, 1.0)
    integral = np.where(a2l > 0, -np.expm1(-np.outer(t, a2l)) / safe, t[:, None])
    c_eig = -alpha * integral * coef  # u(t) − w₀ = J₀ᵀ V c_eig(t)
    # ‖J₀ᵀ V c‖² = cᵀ Λ c, so the distance needs no weights.
    distance = np.sqrt(np.sum(lam * c_eig * c_eig, axis=1))
    traj = Trajectory(
        t=t,
        risk=residual_risk(residuals),
        distance=distance,
        predictions=residuals + y,
        weights=None,
        linearized=True,
        method="closed-form",
    )
    _finite(traj, alpha)  # before the weights, whose computation would fail less legibly
    weights = None
    if store_weights:
        W0 = net.W
        weights = np.stack([W0 + net.vjp(X, V @ c) for c in c_eig])
    return replace(traj, weights=weights)


#: Explicit Runge–Kutta methods accepted for the nonlinear flow. Implicit ones (BDF, Radau, LSODA)
#: would need the p×p Jacobian of the right-hand side (p = m·d), which is what we never form.
ODE_METHODS = ("RK45", "DOP853", "RK23")


def _flow_rhs(
    net: ShallowNet, X: Array, y: Array, alpha: float, rescale: bool
) -> tuple[Callable[[float, Array], Array], float, float]:
    """The matrix-free right-hand side of the flow, with its state and time scales.

    ``rescale=True``: the state is ``ε = α(w − w₀)`` and the time ``τ = α²t``, so that
    ``dε/dτ = −J_wᵀ(αf(w) − y)``. Both are O(1) whatever α (``w − w₀ = O(1/α)``, the flow's time
    scale is ``1/(α²σ²)``), so ``rtol``/``atol`` mean the same thing at every α.
    ``rescale=False``: the state is ``δ = w − w₀`` in time t, ``dδ/dt = −αJ_wᵀ(αf(w) − y)``.
    Returns ``(rhs, state_scale, time_scale)``; ``benchmarks/bench_flow.py`` times ``rhs``.
    """
    W0 = net.W
    shape = W0.shape
    act = net.act
    coeff = net.scale * net.s  # output weights, folded with the scale
    state_scale, time_scale = (alpha, alpha * alpha) if rescale else (1.0, 1.0)
    rate = alpha * state_scale / time_scale  # d(state)/dτ = −rate · J_wᵀ r
    inv_state = 1.0 / state_scale

    def rhs(_: float, state: Array) -> Array:
        # J never formed: (J_wᵀ r)_j = scale·s_j Σ_i r_i σ'(w_jᵀx_i) x_i = coeff_j (Sᵀ (r ⊙ X))_j
        # with S = σ'(X Wᵀ). Cost: two (n×d)(d×m)-sized products, one σ pass, one σ' pass.
        W = W0 + inv_state * state.reshape(shape)
        V = act.sigma_inplace(X @ W.T)  # σ(Z), shape (n, m)
        r = alpha * (V @ coeff) - y
        S = act.dsigma_from_sigma(V, out=V)  # σ'(Z), reusing the σ pass
        g = S.T @ (X * (-rate * r)[:, None])
        g *= coeff[:, None]
        return g.ravel()

    return rhs, state_scale, time_scale


def _ode_flow(
    net: ShallowNet,
    X: Array,
    y: Array,
    alpha: float,
    t: Array,
    store_weights: bool,
    method: str,
    rtol: float,
    atol: float,
    rescale: bool,
    stiffness: float,
) -> Trajectory:
    W0 = net.W
    shape = W0.shape
    rhs, state_scale, time_scale = _flow_rhs(net, X, y, alpha, rescale)
    inv_state = 1.0 / state_scale
    # solve_ivp wants strictly increasing output times: solve on the distinct ones, then map back
    # (t_eval may repeat a time, or be [0] alone).
    t_unique, where = np.unique(t, return_inverse=True)
    states = np.zeros((t_unique.size, net.p))
    nfev = 0
    if t_unique[-1] > 0:
        states, nfev = solve_bounded(
            rhs,
            float(t_unique[-1]) * time_scale,
            np.zeros(net.p),
            t_unique * time_scale,
            stiffness,
            method=method,
            rtol=rtol,
            atol=atol,
        )
    deltas = states[where] * inv_state  # (T, p): w(t) − w₀
    preds = np.stack([alpha * net.with_weights(W0.ravel() + dl)(X) for dl in deltas])
    weights = (W0.ravel() + deltas).reshape(len(t), *shape) if store_weights else None
    return Trajectory(
        t=t,
        risk=risk(preds, y),
        distance=np.linalg.norm(deltas, axis=1),
        predictions=preds,
        weights=weights,
        linearized=False,
        method=method,
        nfev=nfev,
    )


def gradient_flow(
    net: ShallowNet,
    X: ArrayLike,
    y: ArrayLike,
    alpha: float,
    t_eval: ArrayLike,
    linearized: bool = False,
    *,
    store_weights: bool = True,
    method: str = "RK45",
    rtol: float = 1e-8,
    atol: float = 1e-14,
    rescale: bool = True,
) -> Trajectory:
    """Gradient flow of ``R(αf) = ½‖y − αf(w)‖²`` from the network's weights ``w₀``.

    Parameters
    ----------
    net : ShallowNet
        The network at initialization.
    X : array_like, shape (n, d)
        Training inputs.
    y : array_like, shape (n,)
        Targets.
    alpha : float
        The scale α > 0 of the lecture.
    t_eval : array_like, shape (T,)
        Non-negative, non-decreasing times at which to report the state.
    linearized : bool
        False: the network's flow ``w(t)`` (ODE solve). True: the linearized model's flow
        ``u(t)`` in closed form (exact; one eigendecomposition of ``J₀J₀ᵀ``).
    store_weights : bool
        Keep the weights at every time (``T·m·d`` floats).
    method, rtol, atol
        ``solve_ivp`` settings for the nonlinear flow (explicit Runge–Kutta only: ``"RK45"``,
        ``"DOP853"``, ``"RK23"``). With ``rescale=True`` the state is ``α(w − w₀)``, so ``atol`` is
        absolute on that O(1) quantity and means the same at every α. The defaults give the risk
        curve to better than 1e-6 relative (tests: against a DOP853 solve at rtol 1e-12;
        benchmark: ≤ 1e-9 at (n, m, d) = (200, 4000, 20)).
    rescale : bool
        Integrate ``ε = α(w − w₀)`` in ``τ = α²t`` (default) instead of ``w − w₀`` in ``t``.

    Returns
    -------
    Trajectory

    Notes
    -----
    Cost of the nonlinear flow: O(n·m·d) per right-hand side (one σ pass; σ' is recovered from σ).
    The flow's time scale is ``1/(α²σ²)``; an explicit method's step is capped by stability at
    about ``3/(α²λ_max(J₀J₀ᵀ))``, so reaching risk ε·R₀ takes about ``κ(J₀J₀ᵀ)·log(1/ε)`` steps —
    set by the conditioning, not by α. Why these defaults: the run is stability-limited, so DOP853
    needs about as many evaluations as RK45, RK23 several times more, and loosening rtol to 1e-6
    saves little (``benchmarks/bench_flow.py`` prints the evaluation counts and wall times of each
    setting at α = 1 and α = 100 over the same rescaled horizon). Implicit (stiff) methods would
    need the p×p Jacobian. Choose ``t_eval`` on the scale ``1/(α²σ_min²)``: the cost grows
    like ``α² λ_max · t_eval[-1]``. Slides "Setup" and "Evolution of predictions".
    """
    net = check_instance(net, ShallowNet, "net")
    X, y, alpha = check_problem(net, X, y, alpha)
    linearized = check_flag(linearized, "linearized")
    t = check_times(t_eval, "t_eval")
    if not np.isfinite(alpha * alpha * max(1.0, float(t[-1]))):
        raise ValueError(f"alpha = {alpha:g} is too large: alpha^2 * t overflows float64")
    if linearized:
        with np.errstate(over="ignore", invalid="ignore"):  # overflow is reported by _finite
            return _finite(_linear_flow(net, X, y, alpha, t, store_weights), alpha)
    method = check_choice(method, "method", ODE_METHODS)  # explicit: implicit ones need the p×p Jacobian
    rtol = check_tolerance(rtol, "rtol")
    atol = check_positive(atol, "atol")
    stiffness = check_flow_cost(net, X, y, alpha, float(t[-1]))
    return _finite(
        _ode_flow(net, X, y, alpha, t, store_weights, method, rtol, atol, rescale, stiffness), alpha
    )


def flow_pair(
    net: ShallowNet,
    X: ArrayLike,
    y: ArrayLike,
    alpha: float,
    t_eval: ArrayLike,
    *,
    store_weights: bool = True,
    store_linearized_weights: bool = False,
) -> tuple[Trajectory, Trajectory]:
    """The network's flow ``w(t)`` and the linearized flow ``u(t)`` from ``net`` on one time grid.

    The one place where the pair is run: :func:`lazylib.dynamics.compare_flows` (in the lazy clock),
    the Theorem 8.1 check, the Lemma 8.2 sweep and the centring sweep call it. Arguments as in
    :func:`gradient_flow`; ``store_weights`` keeps the weights of ``w(t)``,
    ``store_linearized_weights`` those of ``u(t)``. Returns ``(w, u)``.
    """
    net = check_instance(net, ShallowNet, "net")
    w = gradient_flow(net, X, y, alpha, t_eval, store_weights=store_weights)
    u = gradient_flow(net, X, y, alpha, t_eval, linearized=True, store_weights=store_linearized_weights)
    return w, u


def gradient_descent(
    net: ShallowNet,
    X: ArrayLike,
    y: ArrayLike,
    alpha: float,
    lr: float,
    n_steps: int,
    linearized: bool = False,
    *,
    record_every: int = 1,
    store_weights: bool = True,
) -> Trajectory:
    """Gradient descent ``w_{k+1} = w_k − η α J_kᵀ(αf(w_k) − y)`` with step size ``η = lr``.

    The run is reported at flow times ``t = k·η`` (every ``record_every`` steps, plus the last),
    so it can be drawn on the same axis as :func:`gradient_flow`. With ``linearized=True`` the
    Jacobian is frozen at ``J₀`` (the linearized model). If the risk exceeds
    ``DIVERGENCE_FACTOR · max(R₀, 1)`` or stops being finite, the run stops and the trajectory
    ends there with ``diverged=True`` (on the linearized model this happens exactly when
    ``η > 2/(α² λ_max(J₀J₀ᵀ))``). Cost O(n·m·d) per step.

    As the flows do, the iteration runs on the displacement ``δ_k = w_k − w₀``, whose steps are
    ``O(1/α)``: added to ``O(1)`` weights they would be lost to round-off at large α. The linearized
    model needs only ``δ_k`` (``αf₀(u) = αf(w₀) + αJ₀δ``), so it runs at any α. The network needs
    ``f(w₀ + δ)``; at a scale where float64 cannot follow it (``check_roundoff``) it is refused
    with ``ValueError``, as :func:`gradient_flow` refuses it.
    """
    net = check_instance(net, ShallowNet, "net")
    X, y, alpha = check_problem(net, X, y, alpha)
    linearized = check_flag(linearized, "linearized")
    lr = check_positive(lr, "lr")
    n_steps = check_positive_int(n_steps, "n_steps")
    record_every = check_positive_int(record_every, "record_every")
    if not linearized:
        check_roundoff(net, X, y, alpha, "gradient descent on the network")
    W0 = net.W
    delta = np.zeros_like(W0)
    D0 = net.derivative_features(X)
    f0 = net(X)

    def predictions(delta: Array) -> Array:
        if linearized:
            return np.asarray(alpha * f0 + alpha * np.einsum("ij,ij->i", D0, X @ delta.T), dtype=np.float64)
        return alpha * net.with_weights(W0 + delta)(X)

    def gradient(delta: Array, r: Array) -> Array:
        D = D0 if linearized else net.with_weights(W0 + delta).derivative_features(X)
        return alpha * ((D * r[:, None]).T @ X)

    def risk_value(pred: Array) -> float:
        with np.errstate(over="ignore", invalid="ignore"):
            return float(residual_risk(pred - y))

    times, preds, dists, ws = [], [], [], []
    with np.errstate(over="ignore", invalid="ignore"):
        pred = predictions(delta)
    if not np.isfinite(risk_value(pred)):
        raise ValueError(f"alpha = {alpha:g} with these inputs overflows float64 (the initial risk)")
    limit = DIVERGENCE_FACTOR * max(risk_value(pred), 1.0)
    diverged = False
    for k in range(n_steps + 1):
        if k % record_every == 0 or k == n_steps:  # delta passed the divergence check below
            times.append(k * lr)
            preds.append(pred)
            dists.append(np.linalg.norm(delta))
            if store_weights:
                ws.append(W0 + delta)
        if k == n_steps:
            break
        with np.errstate(over="ignore", invalid="ignore"):
            delta = delta - lr * gradient(delta, pred - y)
            pred = predictions(delta) if np.isfinite(delta).all() else np.full_like(pred, np.inf)
        with np.errstate(over="ignore", invalid="ignore"):
            moved = float(np.linalg.norm(delta))
        if not np.isfinite(pred).all() or not risk_value(pred) <= limit or not np.isfinite(moved):
            diverged = True
            break
    P = np.array(preds)
    return Trajectory(
        t=np.array(times),
        risk=risk(P, y),
        distance=np.array(dists),
        predictions=P,
        weights=np.array(ws) if store_weights else None,
        linearized=linearized,
        method="gd",
        nfev=k + 1,
        diverged=diverged,
    )
