"""What lazy training learns: the numerics of ``notebooks/11_what_lazy_learns.ipynb`` (beyond the slides).

Three jobs:

* **The lazy solution.** The linearized flow ``u̇ = −α J₀ᵀ(αf₀(u) − y)`` converges to the
  interpolant closest to ``w₀``, ``u∞ − w₀ = J₀⁺(y − αf(X; w₀))/α``, whose predictor is ridgeless
  kernel regression with the tangent kernel ``K₀ = J₀J₀ᵀ`` plus the initial function:
  ``αf₀(x; u∞) = αf(x; w₀) + K₀(x, X) K₀⁻¹ (y − αf(X; w₀))``. :func:`lazy_solution` computes it in
  closed form (one ``eigh`` of ``K₀``, J never formed).
* **How far the network's limit is from it.** :func:`limit_gap_sweep` trains the network to
  convergence by gradient flow (:func:`lazylib.flows.gradient_flow`) for several α and measures the
  gap between its test predictions and the lazy solution's; :func:`limit_gap_bound` is the page's
  proven bound, ``O(1/α)`` for a centred model, built from Theorem 8.1's radius and β.
* **What it costs.** :func:`converged_scale_sweep`: Chizat & Bach's teacher–student task, two-layer
  ReLU networks (:class:`lazylib.relu_nets.ReLUNets`) trained by gradient descent *to convergence*
  across the initial scale ν, against converged tangent-kernel regression
  (:func:`lazylib.relu_nets.lazy_limit`) and regression with the infinite-width kernel
  (:func:`~lazylib.infinite_width.expected_relu_kernel`).

Plus the RKHS check of the page: :func:`null_space_interpolants` (other interpolants of the
linearized model, all farther from ``w₀``).
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
    check_positive_int,
    finite_result,
    make_rng,
)
from ._types import Array, BoolArray, Seed
from .data import TeacherStudent
from .flows import gradient_flow
from .infinite_width import expected_relu_kernel  # moved to its concept module; still importable here
from .models import ShallowNet
from .relu_nets import held_out_loss, lazy_limit, relative_movement, sweep_batch, train_relu_nets
from .theory import RANK_TOL, Theorem81, jacobian_lipschitz_bound_op, theorem_8_1

__all__ = [
    "CENTRINGS",
    "ConvergedSweep",
    "Interpolants",
    "LazySolution",
    "LimitGapSweep",
    "converged_scale_sweep",
    "expected_relu_kernel",
    "kernel_regression",
    "lazy_solution",
    "limit_gap_bound",
    "limit_gap_sweep",
    "null_space_interpolants",
]

#: The three ways of (not) centring the model. ``"none"`` trains ``f`` itself, ``"subtract"`` trains
#: ``f − f(·; w₀)``, ``"symmetric"`` uses a net with ``f(·; w₀) ≡ 0`` by the doubling trick (built
#: with ``ShallowNet.random(..., symmetric=True)``).
CENTRINGS = ("none", "subtract", "symmetric")


def _check_centring(net: ShallowNet, X: Array, centring: str) -> str:
    centring = check_choice(centring, "centring", CENTRINGS)
    if centring == "symmetric" and not np.allclose(net(X), 0.0, atol=1e-12):
        raise ValueError(
            "centring='symmetric' needs a net with f(X; w0) = 0 (ShallowNet.random(symmetric=True))"
        )
    return centring


def _eigh_pd(K: Array, what: str) -> tuple[Array, Array]:
    """``eigh`` of a Gram matrix that must be positive definite (λ_min > RANK_TOL·λ_max)."""
    lam, V = np.linalg.eigh(K)
    if not lam[-1] > 0 or lam[0] <= RANK_TOL * lam[-1]:
        raise ValueError(
            f"{what} is singular (lambda_min = {lam[0]:.3e}, lambda_max = {lam[-1]:.3e}): the interpolant "
            "is not unique (duplicate inputs, or fewer parameters than points?)"
        )
    return lam, V


#: Refinement steps of :func:`_min_norm_solution` at most (each gains about ``−log10(eps·κ(K₀))`` digits).
REFINE_STEPS = 4


def _min_norm_solution(net: ShallowNet, X: Array, lam: Array, V: Array, b: Array) -> tuple[Array, Array]:
    """``(c, δ)`` with ``c = K₀⁻¹b`` and ``δ = J₀ᵀc = J₀⁺b`` (shape ``(m, d)``), ``K₀ = V diag(λ) Vᵀ``.

    Through the Gram alone, ``J₀δ`` misses ``b`` by about ``eps·κ(K₀)·‖b‖``: ``K₀ = J₀J₀ᵀ`` squares the
    condition number of ``J₀`` (6e-6 for a near-duplicate input, where least squares on ``J₀`` gives
    1e-12). So ``δ`` is refined in weight space: ``δ ← δ + J₀ᵀK₀⁻¹(b − J₀δ)`` with the residual taken
    matrix-free (:meth:`~lazylib.models.ShallowNet.jvp`, error about ``eps·κ(J₀)·‖b‖``); each step
    multiplies the error by about ``eps·κ(K₀) < 1`` (``RANK_TOL`` keeps κ(K₀) below 1e12), until the
    residual stops falling. Cost per step O(n·m·d + n²).
    """

    def solve(r: Array) -> Array:
        return np.asarray(V @ ((V.T @ r) / lam), dtype=np.float64)

    c = solve(b)
    delta = net.vjp(X, c)
    best = float(np.linalg.norm(b - net.jvp(X, delta)))
    for _ in range(REFINE_STEPS):
        if best == 0.0:
            break
        dc = solve(b - net.jvp(X, delta))
        trial = delta + net.vjp(X, dc)
        res = float(np.linalg.norm(b - net.jvp(X, trial)))
        if not res < best:
            break
        c, delta, best = c + dc, trial, res
    return c, delta


# ------------------------------------------------------------------------------ the lazy solution
@dataclass(frozen=True, kw_only=True)
class LazySolution:
    """The limit ``u∞`` of the linearized flow and its predictor (see :func:`lazy_solution`).

    Attributes
    ----------
    alpha : float
        The scale α.
    centring : str
        ``"none"``, ``"subtract"`` or ``"symmetric"``.
    coef : ndarray, shape (n,)
        ``c = K₀⁻¹ b / α`` with ``u∞ − w₀ = J₀ᵀ c`` and ``b`` the initial residual's negative
        (``y − αf(X; w₀)``, or ``y`` for a centred model).
    displacement : ndarray, shape (m, d)
        ``u∞ − w₀ = J₀⁺ b / α``.
    distance : float
        ``‖u∞ − w₀‖ = √(bᵀK₀⁻¹b)/α``: also the RKHS norm, for the kernel ``α²K₀``, of the function
        the training added, ``x ↦ αf₀(x; u∞) − αf(x; w₀)``.
    train_pred : ndarray, shape (n,)
        ``αf₀(X; u∞)`` (equal to ``y``: an interpolant).
    test_pred : ndarray, shape (n_test,)
        ``αf₀(X_test; u∞) = αf(X_test; w₀) + K₀(X_test, X) K₀⁻¹ b`` (without the first term for a
        centred model).
    eigenvalues : ndarray, shape (n,)
        Spectrum of ``K₀ = J₀J₀ᵀ``, ascending.
    """

    alpha: float
    centring: str
    coef: Array
    displacement: Array
    distance: float
    train_pred: Array
    test_pred: Array
    eigenvalues: Array


def lazy_solution(
    net: ShallowNet,
    X: ArrayLike,
    y: ArrayLike,
    alpha: float,
    X_test: ArrayLike,
    centring: str = "none",
) -> LazySolution:
    """The limit of the linearized gradient flow in closed form: the interpolant closest to ``w₀``.

    With ``K₀ = J₀J₀ᵀ`` positive definite (``n ≤ p``, distinct inputs) and ``b = y − αf(X; w₀)``
    (``b = y`` when ``centring`` is ``"subtract"`` or ``"symmetric"``):
    ``u∞ − w₀ = J₀ᵀK₀⁻¹b/α = J₀⁺b/α`` and ``αf₀(x; u∞) = αf(x; w₀) + K₀(x, X)K₀⁻¹b`` — ridgeless
    kernel regression with the tangent kernel, plus the initial function (absent for a centred model).

    Parameters
    ----------
    net : ShallowNet
        The network at initialization ``w₀``.
    X, y : array_like, shapes (n, d) and (n,)
        Training data.
    alpha : float
        The scale α > 0.
    X_test : array_like, shape (n_test, d)
        Where to evaluate the predictor.
    centring : {"none", "subtract", "symmetric"}
        The model: ``f`` itself, ``f − f(·; w₀)``, or a net with ``f(·; w₀) ≡ 0``.

    Returns
    -------
    LazySolution

    Raises
    ------
    ValueError
        Bad shapes or NaN/inf, ``alpha ≤ 0``, a singular ``K₀``, ``centring="symmetric"`` for a net
        whose ``f(X; w₀) ≠ 0``.

    Notes
    -----
    Cost O(n²m + n³ + n·n_test·m) (structured Gram, :meth:`~lazylib.models.ShallowNet.ntk`), J never
    formed. Section "What lazy training learns".
    """
    net = check_instance(net, ShallowNet, "net")
    X = net.check_inputs(X)
    y = as_array(y, "y", shape=(X.shape[0],))
    alpha = check_positive(alpha, "alpha")
    X_test = net.check_inputs(X_test, "X_test")
    centring = _check_centring(net, X, centring)
    plain = centring == "none"
    with np.errstate(over="ignore", invalid="ignore"):
        f0 = alpha * net(X) if plain else np.zeros_like(y)
        f0_test = alpha * net(X_test) if plain else np.zeros(X_test.shape[0])
        b = finite_result(y - f0, "y - alpha f(X; w0) (alpha too large?)")
    lam, V = _eigh_pd(net.ntk(X), "the tangent kernel J0 J0^T on X")
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        kinv_b, pinv_b = _min_norm_solution(net, X, lam, V, b)
        coef = finite_result(kinv_b / alpha, "the coefficients (alpha too small?)")
        displacement = finite_result(pinv_b / alpha, "the displacement (alpha too small?)")
        train = finite_result(f0 + net.jvp(X, pinv_b), "the training predictions")
        test = finite_result(f0_test + net.jvp(X_test, pinv_b), "the test predictions")
        distance = float(np.linalg.norm(pinv_b) / alpha)
    if not np.isfinite(distance):
        raise ValueError(f"alpha = {alpha:g} is out of range: the distance |u - w0| is not finite")
    return LazySolution(
        alpha=alpha,
        centring=centring,
        coef=coef,
        displacement=displacement,
        distance=distance,
        train_pred=train,
        test_pred=test,
        eigenvalues=lam,
    )


# ------------------------------------------------------------------------------ the proven bound
def limit_gap_bound(theorem: Theorem81, beta_test: float, jacobian_test_norm: float) -> tuple[float, float]:
    """The page's bound on how far the network's limit ``w∞`` is from the lazy solution ``u∞``.

    Under Theorem 8.1's hypotheses (``theorem.applies``), with ``ρ`` its radius, ``R₀`` its initial
    risk and ``β`` its Lipschitz constant of ``w ↦ J_w`` on the training inputs:

    * ``‖w∞ − u∞‖ ≤ Δ := βρ²/(2σ_min) + 4βρ√(2R₀)/(α σ_min²)`` (a range part from the Taylor
      remainder on the training set, a null-space part from the Jacobian's motion);
    * ``‖αf(X_test; w∞) − αf₀(X_test; u∞)‖ ≤ α (β_test ρ²/2 + G_test Δ)``, with ``β_test`` a Lipschitz
      constant of the Jacobian on ``X_test`` and ``G_test = ‖J₀(X_test)‖₂``.

    For a centred model ``R₀ = ½‖y‖²`` does not depend on α, ``ρ ∝ 1/α``, so ``Δ = O(1/α²)`` and the
    test bound is ``O(1/α)``. The proof is on the page (section 1).

    Parameters
    ----------
    theorem : Theorem81
        The constants at this α (:func:`lazylib.theory.theorem_8_1`, for a centred model with the
        targets it is trained on).
    beta_test : float
        Lipschitz constant of the Jacobian on the test inputs (e.g.
        :func:`lazylib.theory.jacobian_lipschitz_bound_op`), > 0.
    jacobian_test_norm : float
        ``‖J₀(X_test)‖₂`` (the square root of ``λ_max`` of ``net.ntk(X_test)``), ≥ 0.

    Returns
    -------
    (weights, test) : tuple of float
        The two bounds. They hold when ``theorem.applies``; the formula is returned for every α.
    """
    theorem = check_instance(theorem, Theorem81, "theorem")
    beta_test = check_positive(beta_test, "beta_test")
    g_test = check_nonnegative(jacobian_test_norm, "jacobian_test_norm")
    th = theorem
    with np.errstate(over="ignore", invalid="ignore"):
        rho = th.radius
        weights = th.beta * rho**2 / (2.0 * th.sigma_min) + 4.0 * th.beta * rho * np.sqrt(2.0 * th.risk0) / (
            th.alpha * th.sigma_min**2
        )
        test = th.alpha * (beta_test * rho**2 / 2.0 + g_test * weights)
    if not (np.isfinite(weights) and np.isfinite(test)):
        raise ValueError("the bound overflows float64: beta_test or jacobian_test_norm too large")
    return float(weights), float(test)


# ------------------------------------------------------------------------------ the gap sweep
@dataclass(frozen=True, kw_only=True)
class LimitGapSweep:
    """Result of :func:`limit_gap_sweep`: the network's limit against the lazy solution, per α.

    Attributes
    ----------
    alphas : ndarray, shape (K,)
    centring : str
    test_gap : ndarray, shape (K,)
        ``‖αh(X_test; w(T)) − αh₀(X_test; u∞)‖`` (h the centred model), at the last time T.
    weight_gap : ndarray, shape (K,)
        ``‖w(T) − u∞‖``.
    movement : ndarray, shape (K,)
        ``‖w(T) − w₀‖``.
    final_risk : ndarray, shape (K,)
        Training risk of the network at T (the flow has converged there).
    weight_bound, test_bound : ndarray, shape (K,)
        :func:`limit_gap_bound` at each α (valid where ``applies``).
    alpha_min : ndarray, shape (K,)
        Theorem 8.1's threshold (the same for every α of a centred model).
    applies : ndarray of bool, shape (K,)
        ``α ≥ alpha_min``.
    network_test, lazy_test : ndarray, shape (K, n_test)
        The two predictors on the test inputs: ``αh(X_test; w(T))`` and ``αh₀(X_test; u∞)``.
    """

    alphas: Array
    centring: str
    test_gap: Array
    weight_gap: Array
    movement: Array
    final_risk: Array
    weight_bound: Array
    test_bound: Array
    alpha_min: Array
    applies: BoolArray
    network_test: Array
    lazy_test: Array


def limit_gap_sweep(
    net: ShallowNet,
    X: ArrayLike,
    y: ArrayLike,
    alphas: ArrayLike,
    X_test: ArrayLike,
    centring: str = "symmetric",
    horizon: float = 40.0,
    rtol: float = 1e-10,
) -> LimitGapSweep:
    """Train the network to convergence for each α and compare with :func:`lazy_solution`.

    The nonlinear flow (:func:`lazylib.flows.gradient_flow`, ODE) runs to the slides' time
    ``T = horizon/(α² λ_min(K₀))``, where the linearized residual is ``e^{−horizon}`` of its start;
    for ``centring="subtract"`` it is the flow of ``f`` towards ``y + αf(X; w₀)`` (the flow of
    ``f − f(w₀)`` towards ``y``), and predictions are taken with ``αf(·; w₀)`` subtracted.

    Parameters
    ----------
    net : ShallowNet
        The network at initialization (smooth activation).
    X, y : array_like, shapes (n, d) and (n,)
    alphas : array_like, shape (K,)
        Scales, > 0.
    X_test : array_like, shape (n_test, d)
    centring : {"symmetric", "subtract"}
        A centred model, so that ``R₀ = ½‖y‖²`` at every α.
    horizon : float
        ``α²λ_min(K₀) T`` (default 40: the residual has shrunk by ``e^{−40}``).
    rtol : float
        Relative tolerance of the ODE solve (RK45 on ``α(w − w₀)``). It sets the floor of the measured
        gaps: about ``1e-9`` in the test predictions at the solver's default ``1e-8``, ``1e-10`` at
        ``1e-10`` (the page's network), so a gap falling like ``1/α²`` needs the tighter tolerance.

    Returns
    -------
    LimitGapSweep

    Notes
    -----
    Cost: per α one ODE solve of stiffness ``horizon · κ(K₀)`` (``κ`` the condition number).
    """
    net = check_instance(net, ShallowNet, "net")
    X = net.check_inputs(X)
    y = as_array(y, "y", shape=(X.shape[0],))
    alphas = check_positive_array(alphas, "alphas")
    X_test = net.check_inputs(X_test, "X_test")
    centring = check_choice(centring, "centring", ("symmetric", "subtract"))
    centring = _check_centring(net, X, centring)
    horizon = check_positive(horizon, "horizon")
    lam, _ = _eigh_pd(net.ntk(X), "the tangent kernel J0 J0^T on X")
    beta_test = jacobian_lipschitz_bound_op(net, X_test)
    g_test = float(np.sqrt(max(np.linalg.eigvalsh(net.ntk(X_test))[-1], 0.0)))
    f0, f0_test = net(X), net(X_test)
    rows: dict[str, list[float]] = {k: [] for k in ("test", "weights", "move", "risk", "wb", "tb", "amin")}
    preds: list[Array] = []
    lazies: list[Array] = []
    for alpha in alphas:
        alpha = float(alpha)
        target = y + alpha * f0 if centring == "subtract" else y
        with np.errstate(over="ignore"):
            t_end = float(finite_result(horizon / (alpha * alpha * lam[0]), "horizon / (alpha^2 lambda_min)"))
        run = gradient_flow(net, X, target, alpha, np.array([0.0, t_end]), rtol=rtol)
        w_end = run.stored_weights()[-1]
        lazy = lazy_solution(net, X, y, alpha, X_test, centring)
        pred = alpha * (net.with_weights(w_end)(X_test) - (f0_test if centring == "subtract" else 0.0))
        th = theorem_8_1(net, X, target, alpha)
        wb, tb = limit_gap_bound(th, beta_test, g_test)
        rows["test"].append(float(np.linalg.norm(pred - lazy.test_pred)))
        rows["weights"].append(float(np.linalg.norm(w_end - net.W - lazy.displacement)))
        rows["move"].append(float(run.distance[-1]))
        rows["risk"].append(float(run.risk[-1]))
        rows["wb"].append(wb)
        rows["tb"].append(tb)
        rows["amin"].append(float(th.alpha_min))
        preds.append(pred)
        lazies.append(lazy.test_pred)
    amin = np.array(rows["amin"])
    return LimitGapSweep(
        alphas=alphas,
        centring=centring,
        test_gap=np.array(rows["test"]),
        weight_gap=np.array(rows["weights"]),
        movement=np.array(rows["move"]),
        final_risk=np.array(rows["risk"]),
        weight_bound=np.array(rows["wb"]),
        test_bound=np.array(rows["tb"]),
        alpha_min=amin,
        applies=alphas >= amin,
        network_test=np.array(preds),
        lazy_test=np.array(lazies),
    )


# ------------------------------------------------------------------------------ RKHS view
@dataclass(frozen=True, kw_only=True)
class Interpolants:
    """Result of :func:`null_space_interpolants`.

    Attributes
    ----------
    lazy_distance : float
        ``‖u∞ − w₀‖`` of the lazy solution.
    sizes : ndarray, shape (K,)
        ``‖z_k‖`` of the null-space directions added.
    distances : ndarray, shape (K,)
        ``‖u∞ + z_k − w₀‖`` for each other interpolant.
    residuals : ndarray, shape (K,)
        ``‖αf₀(X; u∞ + z_k) − y‖``: how well each one interpolates (round-off level).
    test_change : ndarray, shape (K,)
        ``‖αf₀(X_test; u∞ + z_k) − αf₀(X_test; u∞)‖``: each is a different function off the data.
    """

    lazy_distance: float
    sizes: Array
    distances: Array
    residuals: Array
    test_change: Array


def null_space_interpolants(
    net: ShallowNet,
    X: ArrayLike,
    y: ArrayLike,
    alpha: float,
    X_test: ArrayLike,
    sizes: ArrayLike,
    rng: Seed = None,
) -> Interpolants:
    """Other interpolants of the linearized model: ``u∞ + z`` with ``z`` in the null space of ``J₀``.

    Each ``z`` is a random Gaussian direction projected on ``ker J₀`` (``z ← g − J₀ᵀK₀⁻¹J₀g``, matrix-free)
    and scaled to the given size. Every ``u∞ + z`` fits the training data exactly (``J₀z = 0``) and
    computes another function off the data; the lazy solution (centring ``"none"``) is the closest
    to ``w₀``.

    Parameters
    ----------
    net : ShallowNet
    X, y : array_like, shapes (n, d) and (n,)
    alpha : float
    X_test : array_like, shape (n_test, d)
    sizes : array_like, shape (K,)
        Norms of the null-space directions, > 0.
    rng : Seed
        Randomness of the directions.

    Returns
    -------
    Interpolants
    """
    net = check_instance(net, ShallowNet, "net")
    X = net.check_inputs(X)
    sizes = check_positive_array(sizes, "sizes")
    lazy = lazy_solution(net, X, y, alpha, X_test)
    y = np.asarray(y, dtype=np.float64)
    X_test = net.check_inputs(X_test, "X_test")
    if net.p <= X.shape[0]:
        raise ValueError(f"p = m*d = {net.p} <= n = {X.shape[0]}: J0 has no null space to move in")
    rng = make_rng(rng)
    lam, V = np.linalg.eigh(net.ntk(X))
    base = net.W + lazy.displacement
    f0, f0_test = net(X), net(X_test)
    dist, res, change = [], [], []
    for size in sizes:
        g = rng.standard_normal(net.W.shape)
        z = g - net.vjp(X, V @ ((V.T @ net.jvp(X, g)) / lam))
        with np.errstate(over="ignore", invalid="ignore"):
            z *= size / np.linalg.norm(z)
            u = base + z
            du = u - net.W
            train = alpha * (f0 + net.jvp(X, du))
            test = alpha * (f0_test + net.jvp(X_test, du))
        dist.append(float(np.linalg.norm(du)))
        res.append(float(np.linalg.norm(train - y)))
        change.append(float(np.linalg.norm(test - lazy.test_pred)))
    out = [
        finite_result(np.array(v), what)
        for v, what in ((dist, "distances"), (res, "residuals"), (change, "test changes"))
    ]
    return Interpolants(
        lazy_distance=lazy.distance, sizes=sizes, distances=out[0], residuals=out[1], test_change=out[2]
    )


# ------------------------------------------------------------------------------ the cost


def kernel_regression(K: ArrayLike, K_test: ArrayLike, y: ArrayLike) -> Array:
    """Ridgeless kernel regression ``K(x, X) K⁻¹ y`` for a positive-definite Gram matrix ``K``.

    Parameters
    ----------
    K : array_like, shape (n, n)
        Symmetric positive-definite Gram matrix on the training inputs.
    K_test : array_like, shape (n_test, n)
        Cross kernel ``K(X_test, X)``.
    y : array_like, shape (n,)

    Returns
    -------
    ndarray, shape (n_test,)
        The interpolant's predictions. ``ValueError`` if ``K`` is not symmetric or singular.
    """
    K = as_array(K, "K", ndim=2)
    n = K.shape[0]
    if K.shape != (n, n) or n == 0:
        raise ValueError(f"K must be a non-empty square matrix, got shape {K.shape}")
    if not np.allclose(K, K.T, rtol=1e-10, atol=1e-12 * float(np.abs(K).max(initial=0.0))):
        raise ValueError("K must be symmetric")
    K_test = as_array(K_test, "K_test", shape=(None, n))
    y = as_array(y, "y", shape=(n,))
    lam, V = _eigh_pd(0.5 * (K + K.T), "K")
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        return finite_result(K_test @ (V @ ((V.T @ y) / lam)), "the kernel predictions")


@dataclass(frozen=True, kw_only=True)
class ConvergedSweep:
    """Result of :func:`converged_scale_sweep`.

    Attributes
    ----------
    nus : ndarray, shape (K,)
    seeds : tuple of int
    test_loss : ndarray, shape (K, S)
        ``½ mean (h − y)²`` on the test set after ``n_steps`` steps.
    test_loss_half : ndarray, shape (K, S)
        The same after ``n_steps // 2`` steps (to see that it has settled).
    train_risk : ndarray, shape (K, S)
        ``½‖h(X) − y‖²`` after ``n_steps`` steps.
    risk0 : float
        ``½‖y‖²`` (the initial risk: symmetric init).
    movement : ndarray, shape (K, S)
        ``‖w − w₀‖/‖w₀‖``.
    tangent_kernel : ndarray, shape (S,)
        Test loss of converged regression with the tangent kernel of the unit-scale init of each seed
        (:func:`lazylib.relu_nets.lazy_limit` with ``n_steps=None``): the ν → ∞ limit.
    expected_kernel : float
        Test loss of converged regression with the infinite-width kernel
        :func:`~lazylib.infinite_width.expected_relu_kernel`.
    null_loss : float
        ``½ mean y²`` on the test set.
    diverged : ndarray of bool, shape (K, S)
    """

    nus: Array
    seeds: tuple[int, ...]
    test_loss: Array
    test_loss_half: Array
    train_risk: Array
    risk0: float
    movement: Array
    tangent_kernel: Array
    expected_kernel: float
    null_loss: float
    diverged: BoolArray


def converged_scale_sweep(
    task: TeacherStudent,
    nus: ArrayLike,
    seeds: Sequence[int],
    m: int = 60,
    n_steps: int = 2000,
    c: float = 1.5,
) -> ConvergedSweep:
    """Test loss of two-layer ReLU nets trained to convergence across the initial scale ν.

    The setting of :func:`lazylib.lazy_active.scale_sweep` (symmetric init with entries ``ν·N(0, 1)``,
    the draw shared across ν, step sizes :func:`lazylib.relu_nets.relu_step_sizes`), run for
    ``n_steps`` steps of :func:`lazylib.relu_nets.train_relu_nets` and recorded halfway, beside
    converged tangent-kernel regression (:func:`lazylib.relu_nets.lazy_limit`, ``n_steps=None``)
    and converged regression with the infinite-width kernel
    (:func:`~lazylib.infinite_width.expected_relu_kernel`).

    Parameters
    ----------
    task : TeacherStudent
    nus : array_like, shape (K,)
        Initial scales ν > 0 (``α = ν²``).
    seeds : sequence of int
    m : int
        Width (even).
    n_steps : int
        Gradient-descent steps (even, ≥ 2); choose enough for the training risk to reach round-off.
    c : float
        Step fraction, ``0 < c < 2``.

    Returns
    -------
    ConvergedSweep

    Notes
    -----
    Cost O(K·S·n·m·d) per step, all networks in one batch.
    """
    if not isinstance(task, TeacherStudent):
        raise TypeError(f"task must be a TeacherStudent (from teacher_student), got {type(task).__name__}")
    nus = check_positive_array(nus, "nus")
    n_steps = check_positive_int(n_steps, "n_steps", minimum=2)
    if n_steps % 2:
        raise ValueError(f"n_steps must be even (recorded halfway), got {n_steps}")
    limit = lazy_limit(task, m, seeds, None, c)  # checks m, seeds and c
    seeds = tuple(int(s) for s in seeds)
    K, S = nus.size, len(seeds)
    nets, lr = sweep_batch(task, nus, seeds, m, c)  # as scale_sweep
    half = train_relu_nets(nets, task.X, task.y, lr, n_steps // 2)
    run = train_relu_nets(half.nets, task.X, task.y, lr, n_steps // 2)
    expected = kernel_regression(
        expected_relu_kernel(task.X), expected_relu_kernel(task.X_test, task.X), task.y
    )
    return ConvergedSweep(
        nus=nus,
        seeds=seeds,
        test_loss=held_out_loss(run.nets(task.X_test), task.y_test).reshape(K, S),
        test_loss_half=held_out_loss(half.nets(task.X_test), task.y_test).reshape(K, S),
        train_risk=np.where(run.diverged, np.inf, run.risk[-1]).reshape(K, S),
        risk0=float(0.5 * task.y @ task.y),
        movement=relative_movement(nets, run.nets).reshape(K, S),
        tangent_kernel=limit.test_loss,
        expected_kernel=float(held_out_loss(expected, task.y_test)),
        null_loss=float(0.5 * np.mean(task.y_test**2)),
        diverged=(run.diverged | half.diverged).reshape(K, S),
    )
