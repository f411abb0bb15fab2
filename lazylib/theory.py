"""The constants and bounds of Theorem 8.1 and Lemmas 8.1–8.3 (Telgarsky §8.1; Chizat & Bach 2019).

Conventions of the lecture: the risk is ``R(αf) = ½‖y − αf‖²`` (no 1/n); ``σ_min`` is the n-th
singular value of ``J₀ ∈ R^{n×p}`` (so ``p ≥ n`` is needed), ``σ_max`` the largest; ``β`` bounds the
Lipschitz constant of ``w ↦ J_w``. For the shallow net the case study gives
``β ≤ scale · max_j|s_j| · β₀ · √(Σ_i ‖x_i‖⁴)`` with ``β₀ = sup|σ''|`` (``max_j|s_j| = 1`` for the
lecture's signs ``s_j = ±1``).

Theorem 8.1: if ``α ≥ β √(1152 σ_max² R₀) / σ_min³`` then for all ``t ≥ 0``
``R(αf(w(t))) ≤ R₀ exp(−t α² σ_min²/2)`` and ``‖w(t) − w₀‖ ≤ √(72 σ_max² R₀)/(α σ_min²)``, and the
same for the linearized trajectory ``u(t)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ._checks import (
    as_array,
    check_instance,
    check_nonnegative,
    check_positive,
    check_positive_int,
    finite_result,
    make_rng,
    quiet_overflow,
)
from ._types import Array, Seed
from .models import ShallowNet

__all__ = [
    "Theorem81",
    "alpha_min",
    "beta_bound",
    "empirical_jacobian_lipschitz",
    "jacobian_difference_norm",
    "jacobian_lipschitz_bound",
    "jacobian_lipschitz_bound_op",
    "jacobian_singular_values",
    "kernel_spectra",
    "lemma_8_1_bound",
    "lemma_8_2_radius",
    "lemma_8_3_bounds",
    "residual_risk",
    "risk",
    "theorem_8_1",
]


#: Relative size below which the smallest eigenvalue of J₀J₀ᵀ counts as zero (rank deficiency).
RANK_TOL = 1e-12


def residual_risk(residuals: ArrayLike) -> Array:
    """``½‖r‖²`` along the last axis: the risk of residuals ``r = prediction − y`` (no 1/n).

    The one home of the formula; :func:`risk` checks its inputs and calls it. No check here, so
    that gradient descent can watch a diverging run (inf/NaN pass through). Returns an array of
    shape ``residuals.shape[:-1]`` (0-d for a vector).
    """
    r = np.asarray(residuals, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):  # inf/NaN pass through, silently
        return np.asarray(0.5 * np.sum(r * r, axis=-1), dtype=np.float64)


def risk(predictions: ArrayLike, y: ArrayLike) -> Array:
    """``R = ½‖y − predictions‖²`` along the last axis (slide "Setup"; no 1/n factor).

    ``predictions`` has shape ``(..., n)`` (e.g. ``(n,)``, or ``(T, n)`` with one row per time),
    ``y`` shape ``(n,)``; returns an array of shape ``predictions.shape[:-1]`` (a 0-d array prints,
    formats and compares like a float; ``float(risk(...))`` gives one). Raises ``ValueError`` on
    NaN/inf or mismatched shapes.
    """
    y = as_array(y, "y", ndim=1)
    pred = as_array(predictions, "predictions")
    if pred.ndim == 0 or pred.shape[-1] != y.shape[0]:
        raise ValueError(
            f"predictions must have shape ({y.shape[0]},) or (..., {y.shape[0]}) to match y, got {pred.shape}"
        )
    with np.errstate(over="ignore"):
        return finite_result(residual_risk(pred - y), "the risk")


def alpha_min(beta: ArrayLike, sigma_min: ArrayLike, sigma_max: ArrayLike, risk0: ArrayLike) -> Array:
    """Theorem 8.1's threshold ``α_min = β √(1152 σ_max² R₀) / σ_min³`` (the one home of the formula).

    Broadcasts over its arguments; returns an array of the broadcast shape. With ``σ² = m λ`` and
    ``R₀ = α² m M`` the condition ``α ≥ α_min`` reads ``m ≥ alpha_min(β, √λ_min, √λ_max, M)²``
    (the case study's width condition). Raises ``ValueError`` unless β, σ_min, σ_max > 0 and
    R₀ >= 0 (finite), and if the threshold overflows float64.
    """
    b, smin, smax, r0 = (
        as_array(v, name)
        for v, name in ((beta, "beta"), (sigma_min, "sigma_min"), (sigma_max, "sigma_max"), (risk0, "risk0"))
    )
    for arr, name in ((b, "beta"), (smin, "sigma_min"), (smax, "sigma_max")):
        if np.any(arr <= 0):
            raise ValueError(f"{name} must be > 0")
    if np.any(r0 < 0):
        raise ValueError("risk0 must be >= 0")
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        threshold = b * np.sqrt(1152.0 * smax**2 * r0) / smin**3
    return finite_result(threshold, "alpha_min")


def beta_bound(
    X: ArrayLike, beta0: float, scale: float = 1.0, kind: str = "frobenius", *, s_max: float = 1.0
) -> float:
    """The case study's bound ``β`` on ``‖J_w − J_v‖ ≤ β‖w − v‖`` for the shallow net on ``X``.

    ``kind="frobenius"`` (the slides'): ``scale · s_max · β₀ · √(Σ_i ‖x_i‖⁴)``; ``kind="operator"``
    (sharper for spread inputs): ``scale · s_max · β₀ · ‖X‖₂ · max_i ‖x_i‖``, with
    ``s_max = max_j |s_j|`` the largest output weight (1 for the lecture's signs ±1): block ``j`` of
    ``J_w − J_v`` carries the factor ``scale · s_j``. Both are valid bounds; they do not depend on the
    inner weights. ``X`` must already be checked (shape ``(n, d)``, finite); ``s_max >= 0``.
    """
    X = np.asarray(X, dtype=np.float64)
    s_max = check_nonnegative(s_max, "s_max")
    with np.errstate(over="ignore", invalid="ignore"):
        sq_norms = np.sum(X * X, axis=1)
        if kind == "frobenius":
            beta = scale * s_max * beta0 * np.sqrt(np.sum(sq_norms**2))
        elif kind == "operator":
            beta = scale * s_max * beta0 * float(np.linalg.norm(X, 2)) * np.sqrt(np.max(sq_norms))
        else:
            raise ValueError(f"kind must be 'frobenius' or 'operator', got {kind!r}")
    return float(finite_result(beta, "beta (inputs too large)"))


def _check_targets(y: ArrayLike, n: int) -> Array:
    return as_array(y, "y", shape=(n,))


def jacobian_singular_values(net: ShallowNet, X: ArrayLike) -> tuple[float, float]:
    """``(σ_min, σ_max)`` of ``J₀`` on ``X``: square roots of the extreme eigenvalues of ``J₀J₀ᵀ``.

    ``σ_min`` is the n-th singular value (``√λ_min(J₀J₀ᵀ)``), the quantity of the slide
    "Assumptions". Uses the structured Gram (:meth:`~lazylib.models.ShallowNet.ntk`) and
    ``numpy.linalg.eigvalsh``: O(n²m + n³), J never formed.

    Raises
    ------
    ValueError
        If ``p = m·d < n`` (J₀ cannot have rank n) or if J₀ is rank-deficient
        (``λ_min ≤ RANK_TOL · λ_max``): σ_min = 0 and Theorem 8.1 cannot apply.
    """
    net = check_instance(net, ShallowNet, "net")
    X = net.check_inputs(X)
    n = X.shape[0]
    if net.p < n:
        raise ValueError(
            f"p = m*d = {net.p} < n = {n}: J0 has rank < n, so sigma_min = 0 and the "
            "assumptions of Theorem 8.1 cannot hold"
        )
    eig = np.linalg.eigvalsh(net.ntk(X))
    lam_min, lam_max = float(eig[0]), float(eig[-1])
    if lam_max <= 0 or lam_min <= RANK_TOL * lam_max:
        raise ValueError(
            f"J0 is rank-deficient on X (lambda_min(J0 J0^T) = {lam_min:.3e}, "
            f"lambda_max = {lam_max:.3e}): sigma_min = 0, Theorem 8.1 does not apply "
            "(duplicate or zero inputs?)"
        )
    return float(np.sqrt(lam_min)), float(np.sqrt(lam_max))


def kernel_spectra(net: ShallowNet, X: ArrayLike, weights: ArrayLike) -> Array:
    """Eigenvalues of the tangent kernel ``J_t J_tᵀ`` at each stored weight ``w(t)``.

    Parameters
    ----------
    net : ShallowNet
        The network (signs, activation, scale); only its structure is used.
    X : array_like, shape (n, d)
        Inputs.
    weights : array_like, shape (T, m, d) or (T, m·d)
        A trajectory, e.g. ``gradient_flow(...).weights``.

    Returns
    -------
    ndarray, shape (T, n)
        Ascending eigenvalues of ``J_t J_tᵀ`` (without the factor α²; ``Q_t = α² J_t J_tᵀ``).
        Tiny negative round-off is clipped to 0.

    Notes
    -----
    ``net.with_weights(w_t).ntk(X)`` (structured Gram) then ``eigvalsh``: O(T(n²m + nmd + n³)).
    Section "Eigenvalue analysis" (Lemma 8.3) and Lemmas 8.1–8.2 applied to ``w(t)``.
    """
    net = check_instance(net, ShallowNet, "net")
    X = net.check_inputs(X)
    W = net.check_weight_path(weights)
    spectra = np.stack([np.linalg.eigvalsh(net.with_weights(w).ntk(X)) for w in W])
    return np.clip(spectra, 0.0, None)


def jacobian_lipschitz_bound(net: ShallowNet, X: ArrayLike) -> float:
    """The case-study bound ``β = scale · max_j|s_j| · β₀ · √(Σ_i ‖x_i‖⁴)`` on ``‖J_w − J_v‖ ≤ β‖w − v‖``.

    Raises :class:`~lazylib.activations.NotSmoothError` (a ``ValueError``) for ReLU.
    """
    net = check_instance(net, ShallowNet, "net")
    X = net.check_inputs(X)
    return beta_bound(X, net.act.beta0, net.scale, "frobenius", s_max=net.s_max)


def jacobian_lipschitz_bound_op(net: ShallowNet, X: ArrayLike) -> float:
    """Sharper bound ``β_op = scale · max_j|s_j| · β₀ · ‖X‖₂ · max_i ‖x_i‖`` on ``‖J_w − J_v‖₂``.

    Proof (case-study page): for a unit ``a ∈ R^n``, ``(J_w − J_v)ᵀa`` has block ``j`` equal to
    ``scale · s_j Xᵀ(a ⊙ Δ_j)`` with ``Δ_{ij} = σ'(w_jᵀx_i) − σ'(v_jᵀx_i)``, so
    ``‖(J_w − J_v)ᵀa‖² ≤ scale² max_j s_j² ‖X‖₂² Σ_i a_i² Σ_j Δ_{ij}²
    ≤ (scale · max_j|s_j|)² ‖X‖₂² β₀² max_i‖x_i‖² ‖w − v‖²``.
    For inputs of equal norm it is at most the Frobenius bound :func:`jacobian_lipschitz_bound`
    (``‖X‖₂² ≤ Σ_i ‖x_i‖² = n‖x‖²``), usually far below it (``‖X‖₂² ≈ 1 + n/d`` for random unit
    inputs against ``n``); with very unequal norms it can exceed it. Both are valid: use the smaller.

    Parameters
    ----------
    net : ShallowNet
        Smooth activation (``β₀ = sup|σ''|`` must exist).
    X : array_like, shape (n, d)
        Training inputs.

    Returns
    -------
    float
        The bound; it does not depend on the weights of ``net``. Cost O(n²d + n³).

    Raises
    ------
    ValueError
        Bad ``X`` (shape, NaN/inf); :class:`~lazylib.activations.NotSmoothError` for ReLU.
    """
    net = check_instance(net, ShallowNet, "net")
    X = net.check_inputs(X)
    return beta_bound(X, net.act.beta0, net.scale, "operator", s_max=net.s_max)


def jacobian_difference_norm(net: ShallowNet, W: ArrayLike, V: ArrayLike, X: ArrayLike) -> float:
    """Operator norm ``‖J_W − J_V‖₂`` on ``X`` without forming either Jacobian.

    ``(J_W − J_V)(J_W − J_V)ᵀ = (X Xᵀ) ⊙ (Δ Δᵀ)`` with ``Δ = D_W − D_V``, so the norm is the square
    root of the top eigenvalue of an n×n matrix.
    """
    net = check_instance(net, ShallowNet, "net")
    X = net.check_inputs(X)
    delta = net.with_weights(W).derivative_features(X) - net.with_weights(V).derivative_features(X)
    with np.errstate(over="ignore", invalid="ignore"):
        gram = finite_result((X @ X.T) * (delta @ delta.T), "(J_W - J_V)(J_W - J_V)^T")
    return float(np.sqrt(max(np.linalg.eigvalsh(gram)[-1], 0.0)))


@quiet_overflow
def empirical_jacobian_lipschitz(
    net: ShallowNet,
    X: ArrayLike,
    rng: Seed = None,
    n_pairs: int = 200,
    radius: float = 1.0,
) -> float:
    """Largest ratio ``‖J_w − J_v‖₂ / ‖w − v‖`` over random pairs near ``w₀``.

    Pairs are ``w = w₀ + a``, ``v = w₀ + b`` with ``a, b`` uniform directions of norm up to
    ``radius``. A lower estimate of the true Lipschitz constant, to be compared with
    :func:`jacobian_lipschitz_bound` (which must be above it).
    """
    net = check_instance(net, ShallowNet, "net")
    X = net.check_inputs(X)
    n_pairs = check_positive_int(n_pairs, "n_pairs")
    radius = check_positive(radius, "radius")
    rng = make_rng(rng)
    best, pairs = 0.0, 0
    for _ in range(n_pairs):
        a, b = rng.standard_normal((2, net.p))
        a *= radius * rng.uniform() / np.linalg.norm(a)
        b *= radius * rng.uniform() / np.linalg.norm(b)
        w = net.W.ravel() + a
        v = net.W.ravel() + b
        gap = float(np.linalg.norm(a - b))
        if gap == 0.0 or not np.isfinite(gap):
            continue
        with np.errstate(over="ignore"):
            best = max(best, jacobian_difference_norm(net, w, v, X) / gap)
        pairs += 1
    if pairs == 0 or not np.isfinite(best):
        raise ValueError(f"radius = {radius:g} is out of range: the pairs' distances underflow or overflow")
    return best


def lemma_8_1_bound(risk0: float, lam: float, t: ArrayLike) -> Array:
    """Lemma 8.1: ``R(z(t)) ≤ R(z(0)) · exp(−2λt)`` when ``λ_min(Q(s)) ≥ λ`` on ``[0, t]``."""
    risk0 = check_nonnegative(risk0, "risk0")
    lam = check_positive(lam, "lam")
    t = as_array(t, "t")
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):  # exp(−∞) = 0 is right
        return np.asarray(risk0 * np.exp(np.where(t == 0, 0.0, -2.0 * lam * t)), dtype=np.float64)


def lemma_8_2_radius(lam: float, lam1: float, risk0: float) -> float:
    """Lemma 8.2: ``‖v(t) − v(0)‖ ≤ √λ₁/λ · ‖g(v₀) − y‖ = √(2 λ₁ R₀)/λ``.

    ``λ`` and ``λ₁`` bound the eigenvalues of ``S_t S_tᵀ`` from below and above along the path
    (``S_t`` the Jacobian of ``g`` at ``v(t)``).
    """
    lam = check_positive(lam, "lam")
    lam1 = check_positive(lam1, "lam1")
    if lam1 < lam:
        raise ValueError(f"lam1 must be >= lam, got lam1={lam1} < lam={lam}")
    risk0 = check_nonnegative(risk0, "risk0")
    with np.errstate(over="ignore"):
        radius = np.sqrt(2.0 * lam1 * risk0) / np.float64(lam)
    return float(finite_result(radius, "the radius sqrt(2 lam1 R0)/lam (lam too small?)"))


def lemma_8_3_bounds(sigma_min: float, sigma_max: float) -> tuple[float, float]:
    """Lemma 8.3: inside ``‖w − w₀‖ ≤ σ_min/(2β)``, ``σ_min(J_w) ≥ σ_min/2``, ``σ_max(J_w) ≤ 3σ_max/2``."""
    sigma_min = check_positive(sigma_min, "sigma_min")
    sigma_max = check_positive(sigma_max, "sigma_max")
    if sigma_max < sigma_min:
        raise ValueError(f"sigma_max must be >= sigma_min, got {sigma_max} < {sigma_min}")
    if not np.isfinite(1.5 * sigma_max):
        raise ValueError(f"sigma_max = {sigma_max:g} is too large: 3 sigma_max / 2 overflows float64")
    return 0.5 * sigma_min, 1.5 * sigma_max


@dataclass(frozen=True)
class Theorem81:
    """The quantities of Theorem 8.1 for one network, data set and scale ``α``.

    Attributes
    ----------
    sigma_min, sigma_max : float
        Extreme singular values of ``J₀`` (σ_min is the n-th).
    beta : float
        Lipschitz bound of the Jacobian (case-study formula).
    risk0 : float
        ``R₀ = ½‖y − αf(w₀)‖²``.
    alpha : float
        The scale.
    """

    sigma_min: float
    sigma_max: float
    beta: float
    risk0: float
    alpha: float

    def __post_init__(self) -> None:
        for name in ("sigma_min", "sigma_max", "beta", "alpha"):
            object.__setattr__(self, name, check_positive(getattr(self, name), name))
        object.__setattr__(self, "risk0", check_nonnegative(self.risk0, "risk0"))
        # Every derived constant must be a finite float: an absurd alpha (1e-170, 1e170) would
        # otherwise surface later as ZeroDivisionError or OverflowError from a property.
        with np.errstate(all="ignore"):
            try:
                derived = [
                    self.alpha_min,
                    self.rate,
                    self.radius,
                    self.ball_radius,
                    self.linear_rate,
                    self.linear_radius,
                ]
            except (OverflowError, ZeroDivisionError, ValueError):  # alpha_min refuses an overflow
                derived = [np.inf]
        if not (np.all(np.isfinite(derived)) and self.rate > 0 and self.linear_rate > 0):
            raise ValueError(
                f"alpha = {self.alpha:g} (with sigma_min = {self.sigma_min:.3g}, sigma_max = "
                f"{self.sigma_max:.3g}, R0 = {self.risk0:.3g}) puts the constants of Theorem 8.1 "
                "outside float64: use a scale alpha and inputs of moderate size"
            )

    @property
    def alpha_min(self) -> float:
        """Threshold ``β √(1152 σ_max² R₀) / σ_min³`` (R₀ taken at this α)."""
        return np.float64(alpha_min(self.beta, self.sigma_min, self.sigma_max, self.risk0))

    @property
    def applies(self) -> bool:
        """Whether ``α ≥ alpha_min``, so that the theorem's conclusions are guaranteed."""
        return bool(self.alpha >= self.alpha_min)

    @property
    def rate(self) -> float:
        """Decay rate of the risk bound, ``α² σ_min² / 2``."""
        return 0.5 * self.alpha**2 * self.sigma_min**2

    @property
    def radius(self) -> float:
        """Distance bound ``√(72 σ_max² R₀) / (α σ_min²)`` for ``w(t)`` and ``u(t)``."""
        return float(np.sqrt(72.0 * self.sigma_max**2 * self.risk0) / (self.alpha * self.sigma_min**2))

    @property
    def ball_radius(self) -> float:
        """Radius ``B = σ_min / (2β)`` of the ball of Lemma 8.3."""
        return self.sigma_min / (2.0 * self.beta)

    @property
    def linear_rate(self) -> float:
        """True decay rate of the linearized risk, ``2 α² σ_min²`` (4× the theorem's)."""
        return 2.0 * self.alpha**2 * self.sigma_min**2

    @property
    def linear_radius(self) -> float:
        """True distance bound of ``u(t)``, ``√(2 σ_max² R₀)/(α σ_min²)`` (6× below the theorem's)."""
        return float(np.sqrt(2.0 * self.sigma_max**2 * self.risk0) / (self.alpha * self.sigma_min**2))

    @property
    def sigma_band(self) -> tuple[float, float]:
        """Lemma 8.3's band ``(σ_min/2, 3σ_max/2)`` for the singular values inside the ball."""
        return lemma_8_3_bounds(self.sigma_min, self.sigma_max)

    def risk_bound(self, t: ArrayLike) -> Array:
        """``R₀ exp(−t α² σ_min²/2)``, the theorem's risk bound at times ``t``."""
        t = as_array(t, "t")
        if np.any(t < 0):
            raise ValueError("t must be >= 0")
        with np.errstate(over="ignore", under="ignore"):  # exp(−∞) = 0 is the right answer
            return np.asarray(self.risk0 * np.exp(-self.rate * t), dtype=np.float64)


def theorem_8_1(net: ShallowNet, X: ArrayLike, y: ArrayLike, alpha: float) -> Theorem81:
    """Compute every constant of Theorem 8.1 for ``net`` on ``(X, y)`` at scale ``alpha``.

    Raises
    ------
    ValueError
        Bad shapes or NaN/inf, ``alpha ≤ 0``, ``p < n`` or ``σ_min = 0``, and (as
        :class:`~lazylib.activations.NotSmoothError`) a non-smooth activation such as ReLU.
    """
    net = check_instance(net, ShallowNet, "net")
    X = net.check_inputs(X)
    y = _check_targets(y, X.shape[0])
    alpha = check_positive(alpha, "alpha")
    beta = jacobian_lipschitz_bound(net, X)
    sigma_min, sigma_max = jacobian_singular_values(net, X)
    with np.errstate(over="ignore"):
        risk0 = float(risk(finite_result(alpha * net(X), "alpha * f(X)"), y))
    return Theorem81(sigma_min=sigma_min, sigma_max=sigma_max, beta=beta, risk0=risk0, alpha=alpha)
