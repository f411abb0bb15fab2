"""Numerics of the sections "Theorem 8.1" and "Case study: Shallow neural net".

The case-study model is ``f(x; W) = Σ_j s_j σ(w_jᵀx)`` (no width normalisation, ``scale = 1``),
rows of ``W`` i.i.d. N(0, I_d), signs uniform on {−1, +1}. This module holds what the two pages
compute beyond the single-network constants of :mod:`lazylib.theory`:

* independent checks of the slide formulas: a finite-difference Jacobian
  (:func:`finite_difference_jacobian`) and the large-width limits computed by quadrature,
  ``J₀J₀ᵀ/m → K`` (:func:`~lazylib.infinite_width.expected_ntk`) and ``E R₀`` (:func:`expected_risk0`);
* sweeps over the width ``m`` and the scale ``α``: singular values and Gram deviations
  (:func:`width_sweep`), samples of ``R₀`` (:func:`initial_risk_samples`);
* the width condition hidden in Theorem 8.1's threshold: ``α_min/α`` along a growing network
  (:func:`width_condition_path`), the smallest width that satisfies it (:func:`minimal_width`),
  and its large-width prediction (:func:`predicted_minimal_width`);
* all four conclusions of Theorem 8.1 checked along both flows (:func:`check_theorem_8_1`); the
  decay rate of a risk curve is fitted by :func:`lazylib.fitting.fit_decay_rate`.

Everything is seeded (``rng``), vectorised, and uses the structured Gram ``(XXᵀ) ⊙ (DDᵀ)``
instead of materialised Jacobians, except :func:`finite_difference_jacobian` (small nets only).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ._checks import (
    as_array,
    as_inputs,
    check_in_range,
    check_instance,
    check_positive,
    check_positive_array,
    check_positive_int,
    check_times,
    finite_result,
    make_rng,
    quiet_overflow,
)
from ._types import Array, IntArray, Seed
from .activations import get_activation
from .flows import Trajectory, flow_pair

# The large-width limits live in their concept module; their names stay importable from here.
from .infinite_width import expected_ntk, expected_output_mean, expected_output_moment
from .models import ShallowNet
from .theory import (
    RANK_TOL,
    Theorem81,
    alpha_min,
    beta_bound,
    jacobian_singular_values,
    residual_risk,
    theorem_8_1,
)

__all__ = [
    "TheoremCheck",
    "WidthFactors",
    "WidthPath",
    "WidthSweep",
    "check_theorem_8_1",
    "expected_ntk",
    "expected_output_mean",
    "expected_output_moment",
    "expected_risk0",
    "finite_difference_jacobian",
    "initial_risk_samples",
    "minimal_width",
    "predicted_minimal_width",
    "width_condition_factors",
    "width_condition_path",
    "width_sweep",
]


def _check_widths(widths: ArrayLike) -> IntArray:
    w = np.asarray(widths)
    if w.ndim != 1 or w.size == 0:
        raise ValueError(f"widths must be a non-empty 1-d sequence, got shape {w.shape}")
    if not np.issubdtype(w.dtype, np.integer) or np.any(w < 1):
        raise ValueError("widths must be integers >= 1")
    return w.astype(np.int64)


# ---------------------------------------------------------------------------------------------
# Independent checks of the slide formulas
# ---------------------------------------------------------------------------------------------
def finite_difference_jacobian(net: ShallowNet, X: ArrayLike, eps: float = 1e-6) -> Array:
    """Central-difference Jacobian ``∂f(x_i)/∂W_k ≈ (f(W + εe_k) − f(W − εe_k))/(2ε)``.

    Uses only the forward pass (``net.with_weights(W)(X)``), so it checks the slide's Jacobian
    formula (:meth:`~lazylib.models.ShallowNet.jacobian`) independently. Slide "Case study: Shallow
    neural net".

    Parameters
    ----------
    net : ShallowNet
    X : array_like, shape (n, d)
    eps : float
        Step ε > 0; the truncation error is ``O(ε²·sup|σ'''|·‖x‖³)``.

    Returns
    -------
    ndarray, shape (n, m·d)
        Columns in the order of ``W.ravel()``. Cost: 2·m·d forward passes, O(n·m²·d²): small nets.
    """
    net = check_instance(net, ShallowNet, "net")
    X = net.check_inputs(X)
    eps = check_positive(eps, "eps")
    w0 = net.W.ravel()
    J = np.empty((X.shape[0], net.p))
    for k in range(net.p):
        step = np.zeros(net.p)
        step[k] = eps
        J[:, k] = (net.with_weights(w0 + step)(X) - net.with_weights(w0 - step)(X)) / (2.0 * eps)
    return J


def expected_risk0(X: ArrayLike, y: ArrayLike, alpha: ArrayLike, m: int, activation: str = "tanh") -> Array:
    """``E R₀ = ½‖y‖² + (α² m / 2) Σ_i E[σ(gᵀx_i)²]`` over random ``W₀`` and signs ``s``.

    Slide "Initial risk": ``E s_j = 0`` removes the cross term ``−α yᵀf``, ``E s_j s_k = 0``
    (``j ≠ k``) the cross terms between neurons; so ``E R₀ = Θ(α² m n)`` once α²m dominates ‖y‖².

    Parameters
    ----------
    X : array_like, shape (n, d)
    y : array_like, shape (n,)
    alpha : float or array_like
        The scale(s); the result has the shape of ``alpha``.
    m : int
        Width.
    activation : str
    """
    X = as_inputs(X)
    y = as_array(y, "y", shape=(X.shape[0],))
    alpha = as_array(alpha, "alpha")
    if np.any(alpha <= 0):
        raise ValueError("alpha must be > 0")
    m = check_positive_int(m, "m")
    with np.errstate(over="ignore"):
        out = 0.5 * float(y @ y) + 0.5 * alpha**2 * m * float(expected_output_moment(X, activation).sum())
    return finite_result(out, "E R0 (alpha too large?)")


# ---------------------------------------------------------------------------------------------
# Sweeps over the width and the scale
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class WidthSweep:
    """Singular values of ``J₀`` and the deviation of ``J₀J₀ᵀ/m`` from its limit, per seed and width.

    Attributes
    ----------
    widths : ndarray, shape (W,)
    sigma_min, sigma_max : ndarray, shape (S, W)
        Extreme singular values of ``J₀`` (σ_min the n-th) for ``S`` independent networks per width.
    gram_deviation : ndarray, shape (S, W)
        ``max_ij |(J₀J₀ᵀ/m)_ij − K_ij|`` with ``K`` from :func:`~lazylib.infinite_width.expected_ntk`.
    limit : ndarray, shape (n, n)
        ``K``.
    """

    widths: IntArray
    sigma_min: Array
    sigma_max: Array
    gram_deviation: Array
    limit: Array


def width_sweep(
    X: ArrayLike,
    widths: Sequence[int] | ArrayLike,
    activation: str = "tanh",
    n_nets: int = 5,
    rng: Seed = None,
) -> WidthSweep:
    """σ_min, σ_max of ``J₀`` and ``max|J₀J₀ᵀ/m − K|`` for fresh random networks of each width.

    Slide "Singular values": entries of ``J₀J₀ᵀ`` are sums of ``m`` i.i.d. terms, so
    ``σ_min, σ_max ≈ √(m λ(K))`` and the deviation of ``J₀J₀ᵀ/m`` shrinks like ``m^{−1/2}``.

    Cost: per network one structured Gram, O(n²m + nmd), and an n×n ``eigvalsh``.
    """
    X = as_inputs(X)
    widths = _check_widths(widths)
    n_nets = check_positive_int(n_nets, "n_nets")
    rng = make_rng(rng)
    K = expected_ntk(X, activation)
    shape = (n_nets, widths.size)
    smin, smax, dev = np.empty(shape), np.empty(shape), np.empty(shape)
    for s in range(n_nets):
        for k, m in enumerate(widths):
            net = ShallowNet.random(int(m), X.shape[1], activation, rng=rng)
            gram = net.ntk(X)
            eig = np.linalg.eigvalsh(gram)
            smin[s, k] = np.sqrt(max(eig[0], 0.0))
            smax[s, k] = np.sqrt(eig[-1])
            dev[s, k] = np.max(np.abs(gram / m - K))
    return WidthSweep(widths=widths, sigma_min=smin, sigma_max=smax, gram_deviation=dev, limit=K)


def initial_risk_samples(
    X: ArrayLike,
    y: ArrayLike,
    alphas: ArrayLike,
    m: int,
    activation: str = "tanh",
    n_nets: int = 100,
    rng: Seed = None,
    symmetric: bool = False,
) -> Array:
    """``R₀ = ½‖y − α f(W₀)‖²`` for ``n_nets`` random networks of width ``m`` and every α.

    Slide "Initial risk". The same networks serve every α, so curves in α are smooth.
    Vectorised over seeds in blocks of about 2²² preactivations.

    Returns
    -------
    ndarray, shape (n_nets, len(alphas))
    """
    X = as_inputs(X)
    n, d = X.shape
    y = as_array(y, "y", shape=(n,))
    alphas = as_array(alphas, "alphas", ndim=1)
    if np.any(alphas <= 0):
        raise ValueError("alphas must be > 0")
    m = check_positive_int(m, "m")
    n_nets = check_positive_int(n_nets, "n_nets")
    if symmetric and m % 2:
        raise ValueError(f"m must be even for symmetric=True, got {m}")
    act = get_activation(activation)
    rng = make_rng(rng)
    block = max(1, 2**22 // (n * m))
    f0 = np.empty((n_nets, n))
    for start in range(0, n_nets, block):
        k = min(block, n_nets - start)
        if symmetric:  # f(·; W₀) ≡ 0 exactly: pairs of equal neurons with opposite signs
            f0[start : start + k] = 0.0
            continue
        W = rng.standard_normal((k, m, d))
        s = rng.choice([-1.0, 1.0], size=(k, m))
        # f₀ = Σ_j s_j σ(w_jᵀx): preactivations (k, m, n) by one matmul, σ in place, signs by a second
        f0[start : start + k] = (s[:, None, :] @ act.sigma_inplace(W @ X.T))[:, 0, :]
    with np.errstate(over="ignore", invalid="ignore"):
        out = residual_risk(y[None, None, :] - alphas[None, :, None] * f0[:, None, :])
    return finite_result(out, "R0 (alphas too large?)")


# ---------------------------------------------------------------------------------------------
# The width condition
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class WidthPath:
    """``α_min/α`` along one growing network (the first ``m`` neurons of a single random stream).

    Attributes
    ----------
    widths : ndarray, shape (W,)
    alphas : ndarray, shape (A,)
    ratio : ndarray, shape (A, W)
        ``α_min/α`` (Theorem 8.1 applies where ≤ 1).
    sigma_min, sigma_max : ndarray, shape (W,)
    risk0 : ndarray, shape (A, W)
    beta : float
    """

    widths: IntArray
    alphas: Array
    ratio: Array
    sigma_min: Array
    sigma_max: Array
    risk0: Array
    beta: float


class _GrowingNet:
    """One random network grown neuron by neuron, keeping ``D Dᵀ`` and ``f(W)`` on ``X`` up to date.

    With ``symmetric=True`` every drawn neuron comes with a twin of opposite sign (the centring
    trick): the width grows by 2, the Gram counts the neuron twice and ``f`` stays exactly 0.
    Growing to width ``m`` costs O(n²m + nmd) in blocks of at most ``chunk`` neurons.
    """

    def __init__(
        self, X: Array, activation: str, rng: np.random.Generator, symmetric: bool, chunk: int
    ) -> None:
        self.X = X
        self.act = get_activation(activation)
        self.rng = rng
        self.symmetric = symmetric
        self.chunk = chunk
        n = X.shape[0]
        self.gram = np.zeros((n, n))  # D Dᵀ; J Jᵀ = (X Xᵀ) ⊙ (D Dᵀ) is formed when read
        self.f = np.zeros(n)
        self.width = 0

    def grow_to(self, m: int) -> None:
        step = 2 if self.symmetric else 1
        if m % step:
            raise ValueError(f"widths must be even for symmetric=True, got {m}")
        todo = (m - self.width) // step
        if todo < 0:
            raise ValueError("widths must be increasing")
        while todo > 0:
            k = min(todo, self.chunk)
            W = self.rng.standard_normal((k, self.X.shape[1]))
            s = self.rng.choice([-1.0, 1.0], size=k)
            Z = self.X @ W.T  # (n, k)
            S = self.act.sigma(Z)
            D = self.act.dsigma_from_sigma(S)  # tanh: σ' = 1 − σ², one transcendental pass
            self.gram += step * (D @ D.T)  # s_j² = 1, so signs drop out of the Gram
            if not self.symmetric:
                self.f += S @ s
            self.width += step * k
            todo -= k

    def singular_values(self) -> tuple[float, float]:
        with np.errstate(over="ignore", invalid="ignore"):
            gram = finite_result(self.gram * (self.X @ self.X.T), "the Gram matrix J J^T (inputs too large)")
        eig = np.linalg.eigvalsh(gram)
        return float(np.sqrt(max(eig[0], 0.0))), float(np.sqrt(eig[-1]))


_LIPSCHITZ = ("operator", "frobenius")


def _beta_bound(X: Array, activation: str, lipschitz: str = "operator") -> float:
    """β of the case study on ``X``: the sharper operator-norm bound or the slide's Frobenius one.

    ``"operator"``: ``min(β₀‖X‖₂ max_i‖x_i‖, β₀√(Σ‖x_i‖⁴))``
    (:func:`lazylib.theory.jacobian_lipschitz_bound_op`; the minimum of two valid bounds);
    ``"frobenius"``: ``β₀√(Σ_i ‖x_i‖⁴)`` (:func:`lazylib.theory.jacobian_lipschitz_bound`).
    Neither depends on the weights (:func:`lazylib.theory.beta_bound`).
    """
    if lipschitz not in _LIPSCHITZ:
        raise ValueError(f"lipschitz must be one of {_LIPSCHITZ}, got {lipschitz!r}")
    beta0 = get_activation(activation).beta0
    frobenius = beta_bound(X, beta0, kind="frobenius")
    if lipschitz == "frobenius":
        return frobenius
    return min(beta_bound(X, beta0, kind="operator"), frobenius)


@quiet_overflow
def width_condition_path(
    X: ArrayLike,
    y: ArrayLike,
    alphas: ArrayLike,
    widths: Sequence[int] | ArrayLike,
    activation: str = "tanh",
    rng: Seed = None,
    symmetric: bool = False,
    chunk: int = 8192,
    lipschitz: str = "operator",
) -> WidthPath:
    """Theorem 8.1's ratio ``α_min/α = β √(1152 σ_max² R₀) / (α σ_min³)`` as one network grows.

    The network at width ``m`` is the first ``m`` neurons of a single random stream (rows
    N(0, I_d), signs ±1), so the curve in ``m`` is that of one growing network; all ``alphas``
    share it. Slide "Case study" (last bullet): without centring ``R₀ ≈ α² ‖f(W₀)‖²/2`` so the
    ratio hardly depends on α and falls like ``m^{−1/2}`` — a width condition; with
    ``symmetric=True`` ``R₀ = ½‖y‖²`` and the ratio is ∝ ``1/(α m)``.

    Parameters
    ----------
    X : array_like, shape (n, d)
    y : array_like, shape (n,)
    alphas : array_like, shape (A,)
    widths : sequence of int, shape (W,)
        Strictly increasing (even if ``symmetric``).
    activation : {"tanh", "softplus"}
        Smooth activations only (β must exist).
    rng, symmetric, chunk
        Randomness, centring trick, and the block size of the Gram accumulation.
    lipschitz : {"operator", "frobenius"}
        Which bound on β enters ``α_min`` (see :func:`lazylib.theory.jacobian_lipschitz_bound_op`).

    Returns
    -------
    WidthPath
        Cost O(n² m_max + n m_max d) and one n×n ``eigvalsh`` per width.
    """
    X = as_inputs(X)
    y = as_array(y, "y", shape=(X.shape[0],))
    alphas = check_positive_array(alphas, "alphas")
    widths = _check_widths(widths)
    if np.any(np.diff(widths) <= 0):
        raise ValueError("widths must be strictly increasing")
    n, d = X.shape
    if widths[0] * d < n:
        raise ValueError(
            f"widths must give p = m*d >= n = {n} (else sigma_min = 0 and Theorem 8.1 cannot apply), "
            f"got m = {widths[0]} with d = {d}"
        )
    chunk = check_positive_int(chunk, "chunk")
    beta = _beta_bound(X, activation, lipschitz)
    net = _GrowingNet(X, activation, make_rng(rng), symmetric, chunk)
    smin, smax = np.empty(widths.size), np.empty(widths.size)
    risk0 = np.empty((alphas.size, widths.size))
    for k, m in enumerate(widths):
        net.grow_to(int(m))
        smin[k], smax[k] = net.singular_values()
        if smin[k] <= np.sqrt(RANK_TOL) * smax[k]:
            raise ValueError(
                f"J0 is rank-deficient on X at width m = {m} (sigma_min = {smin[k]:.3e}, sigma_max = "
                f"{smax[k]:.3e}): duplicate, parallel or zero inputs?"
            )
        risk0[:, k] = residual_risk(y[None, :] - alphas[:, None] * net.f[None, :])
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        ratio = alpha_min(beta, smin, smax, risk0) / alphas[:, None]
    ratio = finite_result(ratio, "alpha_min/alpha")
    return WidthPath(
        widths=widths, alphas=alphas, ratio=ratio, sigma_min=smin, sigma_max=smax, risk0=risk0, beta=beta
    )


@quiet_overflow
def minimal_width(
    X: ArrayLike,
    y: ArrayLike,
    alpha: float,
    activation: str = "tanh",
    rng: Seed = None,
    symmetric: bool = False,
    m_start: int = 8,
    m_max: int = 2**24,
    per_octave: int = 16,
    lipschitz: str = "operator",
) -> int | None:
    """Smallest width ``m*`` on a geometric grid at which ``α_min/α ≤ 1`` (Theorem 8.1 applies).

    Grows one random network (see :func:`width_condition_path`) along widths
    ``m_start · 2^{k/per_octave}`` and stops at the first width where the threshold is met, so the
    answer is resolved to a factor ``2^{1/per_octave}``. Returns ``None`` if ``m_max`` is reached
    first. ``lipschitz`` chooses the bound on β (as in :func:`width_condition_path`).
    Cost O(n² m* + n m* d).
    """
    X = as_inputs(X)
    y = as_array(y, "y", shape=(X.shape[0],))
    alpha = check_positive(alpha, "alpha")
    m_start = check_positive_int(m_start, "m_start")
    m_max = check_positive_int(m_max, "m_max")
    per_octave = check_positive_int(per_octave, "per_octave")
    beta = _beta_bound(X, activation, lipschitz)
    net = _GrowingNet(X, activation, make_rng(rng), symmetric, 8192)
    step = 2 if symmetric else 1
    k = 0
    while True:
        m = round(m_start * 2.0 ** (k / per_octave))
        m += m % step
        k += 1
        if m <= net.width:
            continue
        if m > m_max:
            return None
        net.grow_to(m)
        smin, smax = net.singular_values()
        if smin <= 0:
            continue
        risk0 = residual_risk(y - alpha * net.f)
        if alpha_min(beta, smin, smax, risk0) / alpha <= 1.0:
            return int(m)


@dataclass(frozen=True)
class WidthFactors:
    """The factors of the large-width prediction ``m* ≈ 1152 β² λ_max(K) M / λ_min(K)³`` on one data set.

    Attributes
    ----------
    n : int
        Number of inputs.
    beta_op, beta_frobenius : float
        The operator-norm bound on β (the smaller of the two valid bounds) and the slide's Frobenius
        bound ``β₀√(Σ‖x_i‖⁴)``.
    M : float
        ``½ Σ_i E σ(gᵀx_i)²``, so that ``E R₀ ≈ α² m M`` without centring.
    lam_max, lam_min : float
        Extreme eigenvalues of the limiting kernel ``K`` (:func:`~lazylib.infinite_width.expected_ntk`).
    """

    n: int
    beta_op: float
    beta_frobenius: float
    M: float
    lam_max: float
    lam_min: float

    def m_star(self, lipschitz: str = "operator") -> float:
        """``1152 β² λ_max M / λ_min³`` with the chosen bound on β (``"operator"`` or ``"frobenius"``)."""
        if lipschitz not in _LIPSCHITZ:
            raise ValueError(f"lipschitz must be one of {_LIPSCHITZ}, got {lipschitz!r}")
        beta = self.beta_op if lipschitz == "operator" else self.beta_frobenius
        # α_min/α with σ² = m λ and R₀ = α² m M is alpha_min(β, √λ_min, √λ_max, M)/√m, which is 1 at this m
        return float(alpha_min(beta, np.sqrt(self.lam_min), np.sqrt(self.lam_max), self.M) ** 2)


def width_condition_factors(X: ArrayLike, activation: str = "tanh") -> WidthFactors:
    """β (both bounds), ``M`` and the extreme eigenvalues of ``K`` for the data ``X``.

    One quadrature of ``K`` (:func:`~lazylib.infinite_width.expected_ntk`, O(n²·321²)) and one of ``E σ²``.

    Raises
    ------
    ValueError
        Bad ``X``; a singular limiting kernel (duplicate or zero inputs); a non-smooth activation.
    """
    X = as_inputs(X)
    eig = np.linalg.eigvalsh(expected_ntk(X, activation))
    if eig[-1] <= 0 or eig[0] <= RANK_TOL * eig[-1]:
        raise ValueError(
            f"X gives a singular limiting kernel K (lambda_min = {eig[0]:.3e}, lambda_max = {eig[-1]:.3e}): "
            "duplicate, parallel or zero inputs?"
        )
    M = 0.5 * float(expected_output_moment(X, activation).sum())
    return WidthFactors(
        n=X.shape[0],
        beta_op=_beta_bound(X, activation, "operator"),
        beta_frobenius=_beta_bound(X, activation, "frobenius"),
        M=M,
        lam_max=float(eig[-1]),
        lam_min=float(eig[0]),
    )


def predicted_minimal_width(X: ArrayLike, activation: str = "tanh", lipschitz: str = "operator") -> float:
    """Large-width prediction of ``m*`` without centring: ``1152 β² λ_max(K) M / λ_min(K)³``.

    With ``σ² ≈ m λ(K)`` (:func:`~lazylib.infinite_width.expected_ntk`) and ``R₀/α² ≈ m M``, ``M = ½ Σ_i E
    σ(gᵀx_i)²``
    (α large enough that ``½‖y/α‖²`` is negligible), the ratio is
    ``α_min/α ≈ β √(1152 λ_max M) / (λ_min^{3/2} √m)``; it reaches 1 at this width. ``R₀`` is
    replaced by its expectation, so a single network's ``m*`` scatters around it by a factor
    set by ``‖f(W₀)‖² / E‖f(W₀)‖²`` (a χ²-like variable). ``lipschitz`` chooses the bound on β.
    """
    if lipschitz not in _LIPSCHITZ:
        raise ValueError(f"lipschitz must be one of {_LIPSCHITZ}, got {lipschitz!r}")
    return width_condition_factors(X, activation).m_star(lipschitz)


# ---------------------------------------------------------------------------------------------
# Theorem 8.1 along both flows
# ---------------------------------------------------------------------------------------------
def _ratio(measured: ArrayLike, bound: ArrayLike) -> Array:
    """``measured/bound``, 0 where both are 0 (a flow at rest, R₀ = 0), inf only where a zero bound
    is exceeded."""
    a, b = np.broadcast_arrays(np.asarray(measured, dtype=np.float64), np.asarray(bound, dtype=np.float64))
    out = np.where(a > 0, np.inf, 0.0)
    np.divide(a, b, out=out, where=b > 0)
    return out


@dataclass(frozen=True)
class TheoremCheck:
    """Both flows at one scale α beside the four bounds of Theorem 8.1.

    Attributes
    ----------
    theorem : Theorem81
        The constants (σ_min, σ_max, β, R₀, α_min, radius, rate, B, ...).
    nonlinear, linearized : Trajectory
        ``w(t)`` (ODE) and ``u(t)`` (closed form) on the same times.
    risk_bound : ndarray, shape (T,)
        ``R₀ exp(−t α² σ_min²/2)``.
    sigma_min_path, sigma_max_path : ndarray, shape (T,)
        Extreme singular values of ``J_{w(t)}`` along the nonlinear flow (Lemma 8.3's band).
    """

    theorem: Theorem81
    nonlinear: Trajectory
    linearized: Trajectory
    risk_bound: Array
    sigma_min_path: Array
    sigma_max_path: Array

    @property
    def t(self) -> Array:
        """The common time grid."""
        return self.nonlinear.t

    def _risk_ratio(self, risk: Array) -> Array:
        """``risk / risk_bound``; where the bound underflows to 0 (late times), in logarithms."""
        out = _ratio(risk, self.risk_bound)
        late = (self.risk_bound == 0) & (risk > 0)
        if np.any(late):
            th = self.theorem
            with np.errstate(over="ignore"):
                out[late] = np.exp(np.log(risk[late]) - np.log(th.risk0) + th.rate * self.t[late])
        return out

    def ratios(self) -> dict[str, Array]:
        """Measured/bound for the four conclusions at every time (≤ 1 where they hold).

        Keys: ``"risk w"``, ``"risk u"``, ``"distance w"``, ``"distance u"``.
        """
        th = self.theorem
        return {
            "risk w": self._risk_ratio(self.nonlinear.risk),
            "risk u": self._risk_ratio(self.linearized.risk),
            "distance w": _ratio(self.nonlinear.distance, th.radius),
            "distance u": _ratio(self.linearized.distance, th.radius),
        }

    def slacks(self, t_min: float) -> dict[str, float]:
        """``1 − max`` (measured/bound) over the grid times ``t ≥ t_min`` for each conclusion.

        The risk ratios equal 1 at ``t = 0`` and their derivative there is negative
        (``Ṙ(0)/R₀ = −2α² r₀ᵀJ₀J₀ᵀr₀/‖r₀‖² ≤ −2α²σ_min²`` against the bound's ``−α²σ_min²/2``), so
        their supremum over ``t > 0`` is 1, approached as ``t → 0⁺``: a maximum over ``t > 0`` on a
        grid only measures the first grid step. A slack is therefore reported for ``t ≥ t_min > 0``.

        Raises
        ------
        ValueError
            If ``t_min ≤ 0`` or no grid time is ``≥ t_min``.
        """
        t_min = check_positive(t_min, "t_min")
        keep = self.t >= t_min
        if not np.any(keep):
            raise ValueError(f"t_min = {t_min} is beyond the last time {self.t[-1]}")
        return {k: float(1.0 - np.max(v[keep])) for k, v in self.ratios().items()}

    def holds(self, rtol: float = 1e-9) -> bool:
        """Whether all four conclusions hold at every time (up to round-off ``rtol``, ``0 ≤ rtol < 1``)."""
        rtol = check_in_range(rtol, "rtol", 0.0, 1.0, high_open=True)
        return all(bool(np.all(v <= 1.0 + rtol)) for v in self.ratios().values())


def check_theorem_8_1(
    net: ShallowNet,
    X: ArrayLike,
    y: ArrayLike,
    alpha: float,
    t_eval: ArrayLike,
) -> TheoremCheck:
    """Run ``w(t)`` and ``u(t)`` at scale α and put them beside Theorem 8.1's four bounds.

    Also records σ_min and σ_max of ``J_{w(t)}`` at every time (one structured Gram and an n×n
    ``eigvalsh`` each), to see whether Lemma 8.3's band ``[σ_min/2, 3σ_max/2]`` holds. Nothing is
    asserted here: the caller decides (the theorem only promises the bounds when ``α ≥ α_min``).

    Cost: one ODE solve (O(n·m·d) per step), one ``eigh`` and T Grams of cost O(n²m).
    """
    net = check_instance(net, ShallowNet, "net")
    X = net.check_inputs(X)
    theorem = theorem_8_1(net, X, y, alpha)
    t = check_times(t_eval, "t_eval")
    bound = theorem.risk_bound(t)
    w, u = flow_pair(net, X, y, alpha, t)
    sv = np.array([jacobian_singular_values(net.with_weights(W), X) for W in w.stored_weights()])
    return TheoremCheck(
        theorem=theorem,
        nonlinear=w,
        linearized=u,
        risk_bound=bound,
        sigma_min_path=sv[:, 0],
        sigma_max_path=sv[:, 1],
    )
