"""Numerics of the Recall section: linearization error laws and tangent-kernel regression.

The slides open with three facts about the network ``f(x; W) = scale · Σ_j s_j σ(w_jᵀ x)`` near its
initialization ``W₀`` and its linearization ``f₀(x; W) = f(x; W₀) + ⟨∂_W f(x; W₀), W − W₀⟩``:

* smooth σ: ``|f − f₀| ≤ scale · β₀ ‖x‖² ‖W − W₀‖_F² / 2`` (``= β₀‖x‖²ρ²/(2√m)`` under the NTK
  normalisation ``scale = 1/√m``), attained up to a factor close to 1 by :func:`worst_case_perturbation`;
* ReLU: the worst perturbation of Frobenius size ``ρ`` gives ``|f − f₀| ≈ scale · c ρ^{4/3} m^{1/3}``,
  i.e. ``ρ^{4/3}/m^{1/6}`` under ``scale = 1/√m`` (:func:`relu_worst_case_law`);
* the linearized model trained to convergence is kernel regression with the tangent kernel
  ``K = J₀J₀ᵀ`` (:func:`tangent_kernel_regression`), which approximates smooth targets as m grows.

Everything here depends on a perturbation ``ΔW`` only through the per-neuron steps
``δ_j = Δw_jᵀ x``: ``f − f₀ = scale · Σ_j s_j rem(z_j, δ_j)`` with ``z_j = w_{0j}ᵀ x`` and the
Taylor remainder ``rem(z, δ) = σ(z + δ) − σ(z) − σ'(z) δ``. The sweeps use that to stay O(m) per
perturbation (Recall section of the book, ``notebooks/01_recall.ipynb``; slide "Recall").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ._checks import (
    as_array,
    check_finite_scalar,
    check_in_range,
    check_instance,
    check_nonnegative,
    check_positive,
    check_positive_array,
    check_positive_int,
    finite_result,
    make_rng,
    quiet_overflow,
)
from ._types import Array, IntArray, Seed
from .activations import Activation, get_activation
from .data import circle_inputs
from .fitting import ErrorLaw, fit_error_law
from .models import ShallowNet

__all__ = [
    "ErrorLawTable",
    "KernelFit",
    "UniversalApproximation",
    "error_law_sweep",
    "linearization_remainder",
    "random_error_law",
    "random_perturbation",
    "relu_worst_case_law",
    "smooth_error_bound",
    "tangent_kernel_regression",
    "universal_approximation_sweep",
    "worst_case_perturbation",
]


#: Standard normal density at 0, the density of kinks ``w_jᵀx = 0`` per unit of ``w_jᵀx/‖x‖``.
PHI0 = 1.0 / np.sqrt(2.0 * np.pi)

#: Default fraction of neurons that share the budget of the smooth worst case.
SPREAD_FRACTION = 0.05


# ---------------------------------------------------------------------------- remainders
def _remainder(act: Activation, z: Array, delta: Array) -> Array:
    """Taylor remainder ``σ(z + δ) − σ(z) − σ'(z) δ`` elementwise (broadcasting)."""
    return act.sigma(z + delta) - act.sigma(z) - act.dsigma(z) * delta


def _check_input(net: ShallowNet, x: ArrayLike) -> Array:
    x = as_array(x, "x", shape=(net.d,))
    if not np.any(x):
        raise ValueError("x must be nonzero (the laws are stated for an input x ≠ 0)")
    return x


def _check_sizes(size: ArrayLike, name: str) -> Array:
    """Perturbation sizes ρ: finite and >= 0 (any shape)."""
    size = as_array(size, name)
    if np.any(size < 0):
        raise ValueError(f"{name} must be finite and >= 0")
    return size


def linearization_remainder(net: ShallowNet, x: ArrayLike, dW: ArrayLike) -> float:
    """Signed linearization error ``f(x; W₀ + ΔW) − f₀(x; W₀ + ΔW)`` at one input.

    Computed neuron by neuron as ``scale · Σ_j s_j rem(w_{0j}ᵀx, Δw_jᵀx)`` with the Taylor remainder
    ``rem(z, δ) = σ(z + δ) − σ(z) − σ'(z)δ``, which avoids subtracting two O(1) predictions.
    Agrees with :func:`lazylib.linearization.linearization_error` (up to sign). Cost O(m·d).

    Parameters
    ----------
    net : ShallowNet
        The network at its initialization ``W₀``.
    x : array_like, shape (d,)
        The input.
    dW : array_like, shape (m, d)
        The perturbation ``ΔW = W − W₀``.
    """
    net = check_instance(net, ShallowNet, "net")
    x = _check_input(net, x)
    dW = as_array(dW, "dW", shape=net.W.shape)
    return float(net.scale * (_remainder(net.act, net.W @ x, dW @ x) @ net.s))


def _smooth_bound(scale: ArrayLike, beta0: float, x_sq: float, size: ArrayLike) -> Array:
    """``scale · β₀ ‖x‖² ρ² / 2``: the one home of the smooth bound (broadcasting, no checks)."""
    return np.asarray(np.asarray(scale) * beta0 * x_sq * np.asarray(size) ** 2 / 2.0, dtype=np.float64)


def smooth_error_bound(net: ShallowNet, x: ArrayLike, size: float | ArrayLike) -> Array:
    """The smooth-activation bound ``scale · max_j|s_j| · β₀ ‖x‖² ρ² / 2`` (``= β₀‖x‖²ρ²/(2√m)`` at
    scale 1/√m with signs ±1).

    Taylor's theorem with Lagrange remainder gives ``|rem(z, δ)| ≤ β₀ δ²/2`` and
    ``Σ_j δ_j² ≤ ‖x‖² ‖ΔW‖_F²`` (Cauchy–Schwarz), hence, with ``|s_j| ≤ max_j|s_j|``, the bound
    for every ``‖ΔW‖_F ≤ ρ``.

    Raises
    ------
    lazylib.activations.NotSmoothError
        For ReLU (no β₀).
    """
    net = check_instance(net, ShallowNet, "net")
    x = _check_input(net, x)
    size = _check_sizes(size, "size")
    with np.errstate(over="ignore"):
        out = _smooth_bound(net.scale * net.s_max, net.act.beta0, float(x @ x), size)
    return finite_result(out, "the bound (size or x too large)")


# ---------------------------------------------------------------------------- perturbations
def _relu_worst_steps(z: Array, s: Array, radius: Array) -> tuple[Array, Array, Array, Array]:
    """Worst ReLU steps ``δ`` for each radius ``R = ρ‖x‖``; returns (deltas, errors/scale, k, window).

    ``window`` is the largest ``|z_j|`` among the flipped neurons (the kink window a*).

    Within the sign group ``G_ε = {j : s_j = ε}``, sort ``a_j = |z_j|`` increasingly and let
    ``P_k`` be the sum of the k smallest. Moving the k nearest neurons across their kink to
    ``|δ_j| = R/√k`` gives ``Σ_j (|δ_j| − a_j) = R√k − P_k``, and by Cauchy–Schwarz no perturbation
    of size R does better; maximise over k (vectorised: one cumulative sum per group).
    """
    m = z.size
    best_val = np.zeros(radius.size)
    best = [(np.empty(0, dtype=np.intp), 1.0)] * radius.size
    best_k: IntArray = np.zeros(radius.size, dtype=np.int64)
    for eps in (1.0, -1.0):
        idx = np.flatnonzero(s == eps)
        if idx.size == 0:
            continue
        order = idx[np.argsort(np.abs(z[idx]), kind="stable")]
        cum = np.cumsum(np.abs(z[order]))
        k = np.arange(1, order.size + 1)
        gain = radius[:, None] * np.sqrt(k)[None, :] - cum[None, :]  # (n_sizes, |G_ε|)
        kbest = np.argmax(gain, axis=1)
        val = gain[np.arange(radius.size), kbest]
        for i in np.flatnonzero(val > best_val):
            best_val[i] = val[i]
            best[i] = (order[: kbest[i] + 1], eps)
            best_k[i] = kbest[i] + 1
    deltas = np.zeros((radius.size, m))
    for b, (chosen, _eps) in enumerate(best):
        if chosen.size:
            # move each chosen neuron against the sign of its pre-activation, to |δ| = R/√k
            deltas[b, chosen] = -np.sign(z[chosen]) * radius[b] / np.sqrt(chosen.size)
            deltas[b, chosen[z[chosen] == 0.0]] = radius[b] / np.sqrt(chosen.size)
        elif radius[b] > 0:
            # R is below every kink: no perturbation of this size flips a neuron, so every one has
            # error 0; still return one of the promised size (the nearest neuron, towards its kink)
            j = int(np.argmin(np.abs(z)))
            deltas[b, j] = -np.sign(z[j]) * radius[b]
    signs = np.array([eps for _c, eps in best])
    window = np.array([np.abs(z[c]).max() if c.size else 0.0 for c, _eps in best], dtype=np.float64)
    return deltas, signs * best_val, best_k.astype(np.float64), window


def _smooth_worst_steps(
    act: Activation, z: Array, s: Array, radius: Array, spread: int
) -> tuple[Array, Array, Array]:
    """Aligned smooth steps for each radius; returns (deltas, errors/scale, k).

    For each sign ε, take the ``spread`` neurons with the largest ``ε s_j σ''(z_j)`` (their
    remainders ``≈ σ''(z_j)δ²/2`` then add up with the same sign), give each the step
    ``|δ_j| = R/√k`` and choose the sign of each step so that the exact remainder
    ``ε s_j rem(z_j, ±|δ_j|)`` is the larger one (the third-order term adds too). Keep the better ε.
    """
    m = z.size
    curv = s * act.d2sigma(z)
    best_val = np.full(radius.size, -np.inf)
    deltas = np.zeros((radius.size, m))
    signed = np.zeros(radius.size)
    for eps in (1.0, -1.0):
        k = min(spread, m)
        top = np.argpartition(-eps * curv, k - 1)[:k]  # the k largest ε s_j σ''(z_j), O(m)
        order = top[np.argsort(-eps * curv[top], kind="stable")]
        order = order[eps * curv[order] > 0]
        if order.size == 0:
            continue
        step = radius[:, None] / np.sqrt(order.size) * np.ones((1, order.size))
        gain_plus = eps * s[order] * _remainder(act, z[order], step)
        gain_minus = eps * s[order] * _remainder(act, z[order], -step)
        use_plus = gain_plus >= gain_minus
        val = np.where(use_plus, gain_plus, gain_minus).sum(axis=1)
        better = val > best_val
        best_val = np.where(better, val, best_val)
        signed = np.where(better, eps * val, signed)
        rows = np.flatnonzero(better)
        deltas[rows] = 0.0
        deltas[rows[:, None], order[None, :]] = np.where(use_plus, step, -step)[rows]
    return deltas, signed, np.full(radius.size, min(spread, m))


def _default_spread(m: int) -> int:
    return max(1, int(np.ceil(SPREAD_FRACTION * m)))


@quiet_overflow
def worst_case_perturbation(net: ShallowNet, x: ArrayLike, size: float, spread: int | None = None) -> Array:
    """A perturbation ``ΔW`` with ``‖ΔW‖_F = size`` that makes ``|f(x; W₀+ΔW) − f₀(x; W₀+ΔW)|`` large.

    Only the steps ``δ_j = Δw_jᵀx`` matter, so every moved neuron moves along ``x``
    (``Δw_j = δ_j x/‖x‖²``, the cheapest way to get a step ``δ_j``).

    * ReLU — exact worst case. Only neurons that cross their kink contribute, each
      ``(|δ_j| − |z_j|)·s_j`` (``z_j = w_{0j}ᵀx``), so use one sign group ``s_j = ε``, sort
      ``|z_j|`` and move the k nearest to ``|δ_j| = ρ‖x‖/√k`` across the kink; k maximises
      ``ρ‖x‖√k − Σ_{i≤k}|z|_(i)``. Asymptotically ``k* ≈ (φ(0) m ρ/2)^{2/3}`` neurons flip and the
      error is :func:`relu_worst_case_law`. When ``ρ‖x‖`` is below every ``|z_j|`` no neuron can
      cross, every perturbation of size ρ has error 0, and the one returned moves the nearest neuron
      towards its kink.
    * smooth σ — aligned perturbation: the ``spread`` neurons (default ⌈m/20⌉) with the largest
      ``ε s_j σ''(z_j)`` share the budget equally, step signs chosen so the errors add. It
      attains :func:`smooth_error_bound` up to the factor (mean of ``|σ''(z_j)|`` over them)/β₀.

    Parameters
    ----------
    net : ShallowNet
        Network at its initialization ``W₀`` (any scale).
    x : array_like, shape (d,)
        The input at which the error is measured (nonzero).
    size : float
        Frobenius norm ``ρ`` of the perturbation (≥ 0).
    spread : int, optional
        Smooth σ only: number of neurons that move.

    Returns
    -------
    ndarray, shape (m, d)
        ``ΔW``. Cost O(m log m + m·d) (one sort).
    """
    net = check_instance(net, ShallowNet, "net")
    x = _check_input(net, x)
    size = check_finite_scalar(size, "size")
    if size < 0:
        raise ValueError(f"size must be >= 0, got {size}")
    spread = _default_spread(net.m) if spread is None else check_positive_int(spread, "spread")
    z = net.W @ x
    nx = float(np.linalg.norm(x))
    radius = np.array([size * nx])
    if net.act.smooth:
        deltas, _, _ = _smooth_worst_steps(net.act, z, net.s, radius, spread)
    else:
        deltas, _, _, _ = _relu_worst_steps(z, net.s, radius)
    if not nx**2 > 0:
        raise ValueError("x is too small: ||x||^2 underflows float64")
    return finite_result(np.outer(deltas[0], x / nx**2), "the perturbation (size or x too large)")


@quiet_overflow
def random_perturbation(net: ShallowNet, size: float, rng: Seed = None) -> Array:
    """A uniformly random direction of Frobenius norm ``size``: ``ΔW = ρ·G/‖G‖_F``, G i.i.d. N(0, 1).

    Returns an ``(m, d)`` array. Then ``δ_j = Δw_jᵀx`` are of typical size ``ρ‖x‖/√(m·d)``:
    the "typical" perturbation of the Recall section, next to :func:`worst_case_perturbation`.
    """
    net = check_instance(net, ShallowNet, "net")
    size = check_finite_scalar(size, "size")
    if size < 0:
        raise ValueError(f"size must be >= 0, got {size}")
    G = make_rng(rng).standard_normal(net.W.shape)
    return finite_result(size * G / np.linalg.norm(G), "the perturbation (size too large)")


# ---------------------------------------------------------------------------- laws
@quiet_overflow
def relu_worst_case_law(m: ArrayLike, size: ArrayLike, norm_x: float = 1.0, scale: ArrayLike = 1.0) -> Array:
    """Asymptotic worst ReLU error ``scale · (3/4)(φ(0)/2)^{1/3} ‖x‖ ρ^{4/3} m^{1/3}``.

    Flip-counting: about ``φ_x m a`` neurons of one sign group have ``|w_{0j}ᵀx| ≤ a``
    (``φ_x = φ(0)/‖x‖``, the density of ``z_j`` at 0), so ``P_k ≈ k²/(2φ_x m)`` and
    ``max_k R√k − k²/(2φ_x m)`` (``R = ρ‖x‖``) is
    ``(3/4) R^{4/3} (φ_x m/2)^{1/3}`` at ``k* = (φ_x mR/2)^{2/3}``. Under ``scale = 1/√m`` this is
    ``≈ 0.438 ‖x‖ ρ^{4/3}/m^{1/6}``. Valid for ``1/m ≪ ρ ≪ √m`` (many flips, all near the kink).
    """
    m, size, scale = _check_law_args(m, size, scale)
    norm_x = check_positive(norm_x, "norm_x")
    with np.errstate(over="ignore"):
        law = scale * 0.75 * (PHI0 / 2.0) ** (1.0 / 3.0) * norm_x * size ** (4.0 / 3.0) * m ** (1.0 / 3.0)
    return finite_result(law, "the law (arguments too large)")


def _check_law_args(m: ArrayLike, size: ArrayLike, scale: ArrayLike) -> tuple[Array, Array, Array]:
    """Widths > 0, sizes >= 0 and scales > 0 of an error law (broadcastable arrays)."""
    m = as_array(m, "m")
    if np.any(m <= 0):
        raise ValueError("m must be > 0")
    scale = as_array(scale, "scale")
    if np.any(scale <= 0):
        raise ValueError("scale must be > 0")
    return m, _check_sizes(size, "size"), scale


@quiet_overflow
def random_error_law(activation: str, m: ArrayLike, size: ArrayLike, d: int, scale: ArrayLike = 1.0) -> Array:
    """Predicted RMS linearization error of a random perturbation (:func:`random_perturbation`), ‖x‖ = 1.

    Each step ``δ_j = Δw_jᵀx`` is ≈ N(0, ς²) with ``ς = ρ/√(m·d)``, and the random output signs
    make the neurons' remainders add like a random walk: ``E(f − f₀)² ≈ scale² · m · E rem(z, δ)²``
    with ``z ~ N(0, 1)``.

    * smooth σ: ``rem ≈ σ''(z)δ²/2``, so ``RMS ≈ scale · √m · √(3 E σ''(z)²)/2 · ς²``
      (``∝ ρ²/m`` under ``scale = 1/√m``);
    * ReLU: ``rem = (|δ| − |z|)_+`` on a crossing, ``E rem² = φ(0) E|δ|³/3 = φ(0)·2√(2/π)·ς³/3``, so
      ``RMS ≈ scale · √m · 0.461 ς^{3/2}`` (``∝ ρ^{3/2}/m^{3/4}`` under ``scale = 1/√m``).

    ``E σ''(z)²`` is computed by 80-point Gauss–Hermite quadrature.
    """
    act = get_activation(activation)
    d = check_positive_int(d, "d")
    m, size, scale = _check_law_args(m, size, scale)
    tau = size / np.sqrt(m * d)
    if act.smooth:
        nodes, weights = np.polynomial.hermite_e.hermegauss(80)
        second_moment = float(weights @ act.d2sigma(nodes) ** 2) / np.sqrt(2.0 * np.pi)
        per_neuron = np.sqrt(3.0 * second_moment) / 2.0 * tau**2
    else:
        per_neuron = np.sqrt(PHI0 * 2.0 * np.sqrt(2.0 / np.pi) / 3.0) * tau**1.5
    with np.errstate(over="ignore"):
        law = scale * np.sqrt(m) * per_neuron
    return finite_result(law, "the law (arguments too large)")


@dataclass(frozen=True)
class ErrorLawTable:
    """Linearization errors on a (widths × sizes) grid, from :func:`error_law_sweep`.

    Attributes
    ----------
    activation : str
    widths, sizes : ndarray, shapes (n_m,), (n_B,)
    scale_exponent : float
        The networks have ``scale = m^{−scale_exponent}`` (1/2: NTK normalisation).
    worst_samples : ndarray, shape (n_nets, n_m, n_B)
        ``|f − f₀|`` of the worst-case perturbation, one network per seed.
    random_samples : ndarray, shape (n_nets, n_m, n_B, n_draws)
        ``|f − f₀|`` of random perturbations (same size ρ).
    bound : ndarray, shape (n_m, n_B)
        Smooth bound ``scale · β₀‖x‖²ρ²/2`` (NaN for ReLU).
    moved_fraction : ndarray, shape (n_m, n_B)
        Mean fraction of neurons moved by the worst case (for ReLU: the flipped ones, ``k*/m``).
    kink_window : ndarray, shape (n_m, n_B)
        ReLU: mean over seeds of the largest ``|w_{0j}ᵀx|`` among the flipped neurons (the window
        ``a*`` of the flip-counting argument, in units of the typical ``|w_{0j}ᵀx| ≈ ‖x‖``);
        NaN for smooth σ.
    """

    activation: str
    widths: Array
    sizes: Array
    scale_exponent: float
    worst_samples: Array
    random_samples: Array
    bound: Array
    moved_fraction: Array
    kink_window: Array

    @property
    def worst(self) -> Array:
        """Mean worst-case error over seeds, shape (n_m, n_B)."""
        return np.asarray(self.worst_samples.mean(axis=0), dtype=np.float64)

    @property
    def random(self) -> Array:
        """Root-mean-square random-perturbation error over seeds and draws, shape (n_m, n_B)."""
        if self.random_samples.shape[-1] == 0:
            raise ValueError("the sweep was run with n_draws=0: no random perturbations")
        return np.asarray(np.sqrt(np.mean(self.random_samples**2, axis=(0, 3))), dtype=np.float64)

    def fit(self, which: str = "worst") -> ErrorLaw:
        """Joint exponents in ρ and m of ``worst`` or ``random``
        (see :func:`~lazylib.fitting.fit_error_law`)."""
        if which not in ("worst", "random"):
            raise ValueError(f"which must be 'worst' or 'random', got {which!r}")
        return fit_error_law(self.widths, self.sizes, getattr(self, which))


def _check_width_list(widths: Sequence[int]) -> list[int]:
    """A non-empty sequence of integer widths >= 1 (4.7, True or "8" are refused, not truncated)."""
    if isinstance(widths, (str, bytes)) or not hasattr(widths, "__iter__"):
        raise ValueError(f"widths must be a sequence of integers, got {widths!r}")
    out = [check_positive_int(w, "widths") for w in np.asarray(widths, dtype=object).ravel()]
    if not out:
        raise ValueError("widths must hold at least one width")
    return out


def _random_steps(rng: np.random.Generator, m: int, d: int, n_draws: int, norm_x: float) -> Array:
    """Steps ``δ = ΔW x`` of ``n_draws`` random unit-Frobenius perturbations, shape (n_draws, m).

    Exact in distribution without forming ΔW: with ``G`` i.i.d. N(0,1), ``u = G x/‖x‖`` is
    N(0, I_m) and independent of the components of ``G`` orthogonal to x, whose squared norm is
    χ² with m(d−1) degrees of freedom, so ``‖G‖_F² = ‖u‖² + χ²``.
    """
    u = rng.standard_normal((n_draws, m))
    rest = rng.chisquare(m * (d - 1), size=n_draws) if d > 1 else np.zeros(n_draws)
    frob = np.sqrt(np.sum(u * u, axis=1) + rest)
    return np.asarray(norm_x * u / frob[:, None], dtype=np.float64)


def error_law_sweep(
    activation: str,
    widths: Sequence[int],
    sizes: ArrayLike,
    rng: Seed = None,
    *,
    d: int = 3,
    n_nets: int = 8,
    n_draws: int = 16,
    scale_exponent: float = 0.5,
    spread_fraction: float = SPREAD_FRACTION,
) -> ErrorLawTable:
    """Worst-case and random linearization errors over widths m and perturbation sizes ρ.

    For each seed and width: a fresh ``ShallowNet.random(m, d, activation, scale=m^{−γ})``, a
    fixed unit input ``x`` (first basis vector: the law is rotation invariant), the worst case of
    :func:`worst_case_perturbation` for every ρ, and ``n_draws`` random directions (each scaled
    to every ρ). Cost O(n_nets · Σ_m m·(log m + n_B·n_draws)); ΔW is never formed (only
    ``δ = ΔW x`` matters, see :func:`linearization_remainder`).

    Parameters
    ----------
    activation : {"tanh", "softplus", "relu"}
    widths : sequence of int
    sizes : array_like of float > 0
        Frobenius sizes ``ρ = ‖ΔW‖_F``.
    rng : numpy.random.Generator or int, optional
    d : int
        Input dimension.
    n_nets, n_draws : int
        Networks per width; random perturbations per network (``n_draws=0``: worst case only).
    scale_exponent : float
        γ in ``scale = m^{−γ}``: 0.5 (NTK, default), 0 (the case study), 1 (mean field).
    spread_fraction : float
        Smooth σ: fraction of neurons sharing the worst-case budget.
    """
    act = get_activation(activation)
    widths_arr = np.array(_check_width_list(widths), dtype=np.float64)
    sizes = check_positive_array(sizes, "sizes")
    d = check_positive_int(d, "d")
    n_nets = check_positive_int(n_nets, "n_nets")
    n_draws = check_positive_int(n_draws, "n_draws", minimum=0)
    gamma = check_finite_scalar(scale_exponent, "scale_exponent")
    spread_fraction = check_in_range(spread_fraction, "spread_fraction", 0.0, 1.0, low_open=True)
    rng = make_rng(rng)
    x = np.zeros(d)
    x[0] = 1.0
    n_m, n_b = widths_arr.size, sizes.size
    worst = np.empty((n_nets, n_m, n_b))
    rand = np.empty((n_nets, n_m, n_b, n_draws))
    moved = np.zeros((n_m, n_b))
    window = np.zeros((n_m, n_b)) if not act.smooth else np.full((n_m, n_b), np.nan)
    for i, m in enumerate(widths_arr.astype(int)):
        scale = float(m) ** (-gamma)
        spread = max(1, int(np.ceil(spread_fraction * m)))
        for seed in range(n_nets):
            net = ShallowNet.random(m, d, act.name, rng, scale=scale)
            z, s = net.W @ x, net.s
            if act.smooth:
                _, err, k = _smooth_worst_steps(act, z, s, sizes, spread)
            else:
                _, err, k, r = _relu_worst_steps(z, s, sizes)
                window[i] += r / n_nets
            worst[seed, i] = scale * np.abs(err)
            moved[i] += k / m / n_nets
            if n_draws == 0:
                continue
            steps = _random_steps(rng, m, d, n_draws, 1.0)  # (n_draws, m), unit Frobenius size
            if act.smooth:
                sig0, dsig0 = act.sigma(z), act.dsigma(z)
                for b, size in enumerate(sizes):
                    delta = size * steps
                    rem = act.sigma(z + delta) - sig0 - dsig0 * delta
                    rand[seed, i, b] = scale * np.abs(rem @ s)
            else:
                # ReLU: rem(z, δ) = max(−|z| − sign(z) δ, 0) vanishes unless |δ| > |z|, so only the
                # neurons within the largest step of their kink matter (exact, and ~5x cheaper).
                near = np.abs(z) < sizes.max() * np.abs(steps).max(axis=0)
                zn, sn, stn = z[near], s[near], steps[:, near]
                for b, size in enumerate(sizes):
                    rem = np.maximum(-np.abs(zn) - np.sign(zn) * (size * stn), 0.0)
                    rand[seed, i, b] = scale * np.abs(rem @ sn)
    if act.smooth:
        bound = _smooth_bound(widths_arr[:, None] ** (-gamma), act.beta0, float(x @ x), sizes[None, :])
    else:
        bound = np.full((n_m, n_b), np.nan)
    return ErrorLawTable(
        activation=act.name,
        widths=widths_arr,
        sizes=sizes,
        scale_exponent=gamma,
        worst_samples=worst,
        random_samples=rand,
        bound=bound,
        moved_fraction=moved,
        kink_window=window,
    )


@dataclass(frozen=True)
class KernelFit:
    """The linearized model trained to convergence (:func:`tangent_kernel_regression`).

    Attributes
    ----------
    train_pred, test_pred : ndarray, shapes (n,), (n_test,)
        ``f₀`` at the limit ``u_∞`` on the training and test inputs.
    coef : ndarray, shape (n,)
        ``c`` with ``u_∞ − w₀ = J₀ᵀ c``.
    rank : int
        Number of eigenvalues of ``K`` kept (above ``rcond · λ_max``).
    eigenvalues : ndarray, shape (n,)
        Spectrum of ``K = J₀J₀ᵀ`` (clipped at 0), ascending.
    """

    train_pred: Array
    test_pred: Array
    coef: Array
    rank: int
    eigenvalues: Array


def tangent_kernel_regression(
    net: ShallowNet,
    X: ArrayLike,
    y: ArrayLike,
    X_test: ArrayLike,
    ridge: float = 0.0,
    rcond: float = 1e-12,
) -> KernelFit:
    """Train the linearized model ``f₀`` to convergence: kernel regression with ``K = J₀J₀ᵀ``.

    Gradient flow on ``½‖y − f₀(u)‖²`` from ``u = w₀`` only moves in the row space of ``J₀``
    and converges to ``u_∞ = w₀ + J₀ᵀ K⁺ (y − f(X; w₀))`` (minimum-norm least squares; with
    ``ridge = λ > 0``, ``(K + λI)^{-1}`` instead: the ridge-regularised limit). The predictions
    are ``f(x; w₀) + K(x, X) c`` with the cross kernel ``net.ntk(X_test, X)``
    (:meth:`~lazylib.models.ShallowNet.ntk`).

    Parameters
    ----------
    net : ShallowNet
        The network at initialization (use ``symmetric=True`` so that ``f(·; w₀) ≡ 0``).
    X, y : array_like, shapes (n, d), (n,)
    X_test : array_like, shape (n_test, d)
    ridge : float
        λ ≥ 0.
    rcond : float
        Eigenvalues of K below ``rcond · λ_max`` count as zero (pseudo-inverse), as
        ``numpy.linalg.pinv`` does; guards against the fast spectral decay of smooth kernels.

    Returns
    -------
    KernelFit
        Cost O(n²m + n³ + n·n_test·m); ``J₀`` is never formed.
    """
    net = check_instance(net, ShallowNet, "net")
    X = net.check_inputs(X)
    y = as_array(y, "y", shape=(X.shape[0],))
    X_test = net.check_inputs(X_test, "X_test")
    ridge = check_nonnegative(ridge, "ridge")
    rcond = check_in_range(rcond, "rcond", 0.0, 1.0, low_open=True)
    K = net.ntk(X)
    evals, evecs = np.linalg.eigh(K)
    evals = np.clip(evals, 0.0, None)
    keep = evals > rcond * max(evals[-1], np.finfo(float).tiny)
    inv = np.zeros_like(evals)
    inv[keep] = 1.0 / (evals[keep] + ridge)
    residual0 = y - net(X)
    coef = evecs @ (inv * (evecs.T @ residual0))
    train_pred = net(X) + K @ coef
    test_pred = net(X_test) + net.ntk(X_test, X) @ coef
    return KernelFit(
        train_pred=finite_result(train_pred, "the training predictions"),
        test_pred=finite_result(test_pred, "the test predictions"),
        coef=finite_result(coef, "the coefficients"),
        rank=int(keep.sum()),
        eigenvalues=evals,
    )


@dataclass(frozen=True)
class UniversalApproximation:
    """Train/test errors of the converged linearized model over widths (one row per seed).

    Attributes
    ----------
    widths : ndarray, shape (n_m,)
    train_rmse, test_rmse : ndarray, shape (n_nets, n_m)
        Root-mean-square errors of the predictions against the target.
    target_rms : float
        RMS of the target on the test points (the error of predicting 0).
    theta_test : ndarray, shape (n_test,)
        The test angles.
    kept : ndarray of int, shape (n_nets, n_m), or None
        Eigenvalues of ``K₀ = J₀J₀ᵀ`` the pseudo-inverse keeps (``KernelFit.rank``): the
        dimension the fit actually uses. ``None`` for a result built by hand.
    jacobian_rank : ndarray of int, shape (n_nets, n_m), or None
        Numerical rank of ``J₀`` on the training inputs (``numpy.linalg.matrix_rank``, its default
        tolerance). The centring pairs give opposite columns, so it is at most ``m·d/2``.
        ``None`` for a result built by hand.
    """

    widths: Array
    train_rmse: Array
    test_rmse: Array
    target_rms: float
    theta_test: Array
    kept: IntArray | None = None
    jacobian_rank: IntArray | None = None


def universal_approximation_sweep(
    activation: str,
    widths: Sequence[int],
    target: Callable[[Array], Array],
    n_train: int = 48,
    n_test: int = 400,
    rng: Seed = None,
    n_nets: int = 4,
    bias: bool = True,
) -> UniversalApproximation:
    """Fit ``y = target(θ)`` on the circle with the converged linearized model, for each width.

    Training angles are ``n_train`` equispaced points, test angles ``n_test`` uniform random
    ones; networks are ``ShallowNet.random(m, d, activation, symmetric=True, scale=1/√m)`` (the
    centring trick, so ``f(·; w₀) ≡ 0`` and the fit is pure tangent-kernel regression). Each
    fit also records how many eigenvalues of ``K₀`` it keeps and the numerical rank of ``J₀``
    (an SVD of the materialised n_train × m·d Jacobian). Cost
    O(n_nets · Σ_m ((n_train + n_test)·n_train·m + n_train²·m·d)).
    """
    act = get_activation(activation)
    widths_arr = np.array(_check_width_list(widths))
    if not callable(target):
        raise TypeError(f"target must be a callable theta -> values, got {type(target).__name__}")
    if np.any(widths_arr % 2):
        raise ValueError("widths must be even (symmetric initialization)")
    n_train = check_positive_int(n_train, "n_train")
    n_test = check_positive_int(n_test, "n_test")
    n_nets = check_positive_int(n_nets, "n_nets")
    rng = make_rng(rng)
    theta = 2.0 * np.pi * np.arange(n_train) / n_train
    theta_test = rng.uniform(0.0, 2.0 * np.pi, n_test)
    X, X_test = circle_inputs(theta, bias), circle_inputs(theta_test, bias)
    y = as_array(target(theta), "target(theta)", shape=(n_train,))
    y_test = as_array(target(theta_test), "target(theta)", shape=(n_test,))
    train = np.empty((n_nets, widths_arr.size))
    test = np.empty((n_nets, widths_arr.size))
    kept = np.empty((n_nets, widths_arr.size), dtype=np.int64)
    jacobian_rank = np.empty((n_nets, widths_arr.size), dtype=np.int64)
    for i, m in enumerate(widths_arr):
        for seed in range(n_nets):
            net = ShallowNet.random(int(m), X.shape[1], act.name, rng, symmetric=True, scale=1 / np.sqrt(m))
            fit = tangent_kernel_regression(net, X, y, X_test)
            train[seed, i] = np.sqrt(np.mean((fit.train_pred - y) ** 2))
            test[seed, i] = np.sqrt(np.mean((fit.test_pred - y_test) ** 2))
            kept[seed, i] = fit.rank
            jacobian_rank[seed, i] = np.linalg.matrix_rank(net.jacobian(X))
    return UniversalApproximation(
        widths=widths_arr.astype(float),
        train_rmse=train,
        test_rmse=test,
        target_rms=float(np.sqrt(np.mean(y_test**2))),
        theta_test=theta_test,
        kept=kept,
        jacobian_rank=jacobian_rank,
    )
