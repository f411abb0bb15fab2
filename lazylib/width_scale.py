"""Numerics of the page "Width as scale" (``notebooks/09_width_as_scale.ipynb``, beyond the slides).

Two facts about the shallow net ``f(x; W) = scale · Σ_j s_j σ(w_jᵀx)`` of :mod:`lazylib.models`:

* **Width acts as scale.** The NTK parametrisation (``scale = 1/√m``) is ``√m`` times the
  mean-field one (``scale = 1/m``): ``f_m = α h_m`` with ``α = √m`` (Chizat, Oyallon & Bach 2019,
  §2–3). :func:`parametrised_net` builds both from one draw; :func:`width_scale_sweep` trains both
  by gradient flow over a range of widths and measures how far the weights, the tangent kernel and
  the predictions (against the linearized model's) move.
* **A width theorem with probability.** ``J₀J₀ᵀ = Σ_j Y_j`` is a sum of independent positive
  semi-definite ``n×n`` terms, one per neuron (one per centred pair). The matrix Chernoff
  inequality (Tropp 2012, Thm 1.1) bounds its extreme eigenvalues, which gives an explicit width
  ``m̄(n, ϖ)`` beyond which Theorem 8.1 applies with probability ≥ 1 − ϖ
  (:func:`width_theorem`); :func:`width_condition_samples` measures the condition on many random
  networks for comparison.

Everything is seeded (``rng``), vectorised over networks where it matters, and uses the structured
Gram ``(XXᵀ) ⊙ (DDᵀ)`` (:meth:`lazylib.models.ShallowNet.ntk`); flows come from
:func:`lazylib.flows.flow_pair`, the threshold from :func:`lazylib.theory.alpha_min`, β from
:func:`lazylib.theory.beta_bound`, the limit kernel ``K_∞`` from
:func:`lazylib.infinite_width.expected_ntk`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ._checks import (
    as_array,
    as_inputs,
    check_allocation,
    check_choice,
    check_in_range,
    check_nonnegative,
    check_positive,
    check_positive_int,
    finite_result,
    make_rng,
)
from ._types import Array, IntArray, Seed
from .activations import get_activation
from .flows import flow_pair
from .infinite_width import expected_ntk
from .models import ShallowNet
from .theory import RANK_TOL, alpha_min, beta_bound

__all__ = [
    "DSIGMA_SUP",
    "PARAMETRISATIONS",
    "Laziness",
    "ScaleRun",
    "WidthConditionSamples",
    "WidthScaleSweep",
    "WidthTheorem",
    "chernoff_exponents",
    "chernoff_tail",
    "parametrisation_scale",
    "parametrised_net",
    "width_condition_samples",
    "width_scale_run",
    "width_scale_sweep",
    "width_theorem",
]

#: The two output scales compared on the page, ``1/√m`` (NTK) and ``1/m`` (mean field).
PARAMETRISATIONS = ("ntk", "mean_field")

#: ``sup_z |σ'(z)|`` of the smooth activations (tanh: 1 at 0; softplus: the sigmoid, sup 1, not
#: attained). It bounds each neuron's term of J₀J₀ᵀ: ``λ_max(Y_j) ≤ sup|σ'|² ‖X‖²``.
DSIGMA_SUP = {"tanh": 1.0, "softplus": 1.0}


def _check_widths(widths: ArrayLike, even: bool = False) -> IntArray:
    w = np.asarray(widths)
    if w.ndim != 1 or w.size == 0:
        raise ValueError(f"widths must be a non-empty 1-d sequence, got shape {w.shape}")
    if not np.issubdtype(w.dtype, np.integer) or np.any(w < 1):
        raise ValueError("widths must be integers >= 1")
    if np.any(w > np.iinfo(np.int64).max // 2):
        raise ValueError("widths are too large")
    w = w.astype(np.int64)  # unsigned widths would wrap in np.diff (a decreasing grid "increases")
    if np.any(np.diff(w) <= 0):
        raise ValueError("widths must be strictly increasing")
    if even and np.any(w % 2):
        raise ValueError("widths must be even (centred networks come in pairs of neurons)")
    return w.astype(np.int64)


def _smooth(activation: str) -> str:
    name = get_activation(activation).name
    return check_choice(name, "activation", tuple(DSIGMA_SUP))


# ---------------------------------------------------------------------------------------------
# Width acts as scale
# ---------------------------------------------------------------------------------------------
def parametrisation_scale(parametrisation: str, m: int) -> float:
    """The output factor of a parametrisation at width ``m``: ``1/√m`` (``"ntk"``) or ``1/m``
    (``"mean_field"``). Their ratio is ``√m``: the NTK network is ``α = √m`` times the mean-field one."""
    parametrisation = check_choice(parametrisation, "parametrisation", PARAMETRISATIONS)
    m = check_positive_int(m, "m")
    return 1.0 / np.sqrt(m) if parametrisation == "ntk" else 1.0 / m


def parametrised_net(net: ShallowNet, parametrisation: str) -> ShallowNet:
    """``net``'s weights and signs under the NTK (``scale = 1/√m``) or mean-field (``1/m``) output factor."""
    if not isinstance(net, ShallowNet):
        raise TypeError(f"net must be a ShallowNet, got {type(net).__name__}")
    scale = parametrisation_scale(parametrisation, net.m)
    return ShallowNet(net.W, net.s, net.activation, scale)


@dataclass(frozen=True)
class Laziness:
    """How far one parametrisation's flow moves, per network (rows) and width (columns).

    Attributes
    ----------
    movement : ndarray, shape (S, W)
        Relative weight movement ``‖w(T) − w₀‖ / ‖w₀‖``.
    kernel_change : ndarray, shape (S, W)
        Relative change of the tangent kernel ``‖K_T − K_0‖ / ‖K_0‖`` (operator norms).
    gap : ndarray, shape (S, W)
        ``max_t ‖f(w(t)) − f₀(u(t))‖ / ‖y‖``: network against linearized predictions on the data.
    risk_end : ndarray, shape (S, W)
        The network's risk at the horizon ``T``, relative to its initial risk.
    movement_bound, kernel_bound : ndarray, shape (S, W)
        The proven bounds on ``movement`` and ``kernel_change`` (:class:`ScaleRun`).
    """

    movement: Array
    kernel_change: Array
    gap: Array
    risk_end: Array
    movement_bound: Array
    kernel_bound: Array


@dataclass(frozen=True)
class WidthScaleSweep:
    """Both parametrisations trained from the same draws, over a range of widths.

    Attributes
    ----------
    widths : ndarray, shape (W,)
    horizon : float
        ``T``: the NTK flow runs on ``[0, T]``, the mean-field flow on ``[0, m T]`` (learning rate m).
    ntk, mean_field : Laziness
    """

    widths: IntArray
    horizon: float
    ntk: Laziness
    mean_field: Laziness

    def get(self, parametrisation: str) -> Laziness:
        """The :class:`Laziness` of ``"ntk"`` or ``"mean_field"``."""
        choice = check_choice(parametrisation, "parametrisation", PARAMETRISATIONS)
        return self.ntk if choice == "ntk" else self.mean_field


@dataclass(frozen=True)
class ScaleRun:
    """One draw trained under one parametrisation, beside its linearized flow (α = 1).

    Attributes
    ----------
    parametrisation : str
        ``"ntk"`` or ``"mean_field"``.
    t : ndarray, shape (T,)
        Times on ``[0, T]`` in the NTK clock (the mean-field flow ran at ``m·t``).
    risk, risk_linearized : ndarray, shape (T,)
        ``½‖y − g‖²`` of the network and of its linearization ``g₀``.
    gap : ndarray, shape (T,)
        ``‖g(w(t)) − g₀(u(t))‖ / ‖y‖``.
    movement : float
        ``‖w(T) − w₀‖ / ‖w₀‖``.
    kernel_change : float
        ``‖K_T − K_0‖ / ‖K_0‖`` (operator norms; invariant under the output factor).
    neuron_movement, neuron_norm : ndarray, shape (m,)
        ``‖w_j(T) − w_j(0)‖`` and ``‖w_j(0)‖`` per neuron.
    neuron_bound : float
        ``c · sup|σ'| · ‖X‖ · ∫₀ᵀ‖r(t)‖dt`` with ``c = 1/√m`` (NTK) or ``1`` (mean field, learning
        rate m times ``1/m``): every ``‖w_j(T) − w_j(0)‖`` is below it (the integral by the trapezoid
        rule on ``t``).
    movement_bound : float
        ``√m · neuron_bound / ‖w₀‖ ≥ movement`` (the per-neuron bound summed in squares).
    kernel_bound : float
        ``β Δ (2σ_max + β Δ) / σ_max² ≥ kernel_change`` with ``Δ = ‖w(T) − w₀‖``, ``β = scale · β_op``
        the parametrised net's own constant (``β_op`` at ``scale = 1``) and ``σ_max = ‖J₀‖``: from
        ``‖J_T − J_0‖ ≤ βΔ`` and ``J_TJ_Tᵀ − J_0J_0ᵀ = (J_T − J_0)J_Tᵀ + J_0(J_T − J_0)ᵀ``.
    """

    parametrisation: str
    t: Array
    risk: Array
    risk_linearized: Array
    gap: Array
    movement: float
    kernel_change: float
    neuron_movement: Array
    neuron_norm: Array
    neuron_bound: float
    movement_bound: float
    kernel_bound: float


def width_scale_run(
    net: ShallowNet, X: ArrayLike, y: ArrayLike, parametrisation: str, horizon: float, n_times: int = 12
) -> ScaleRun:
    """Train ``net``'s weights and signs under one parametrisation by gradient flow (α = 1) on
    ``½‖y − g(w)‖²``, beside the linearized flow; see :func:`width_scale_sweep` for the clocks.

    Raises
    ------
    ValueError
        Bad shapes, a zero ``y``, zero weights or a zero tangent kernel (``X = 0``), ``horizon ≤ 0``,
        ``n_times < 2``, an unknown parametrisation or a non-smooth activation.
    """
    if not isinstance(net, ShallowNet):
        raise TypeError(f"net must be a ShallowNet, got {type(net).__name__}")
    X = net.check_inputs(X)
    y = as_array(y, "y", shape=(X.shape[0],))
    if not np.any(y):
        raise ValueError("y must not be zero (the prediction gap is relative to ||y||)")
    horizon = check_positive(horizon, "horizon")
    n_times = check_positive_int(n_times, "n_times", minimum=2)
    activation = _smooth(net.activation)
    g = parametrised_net(net, parametrisation)
    m = g.m
    if not np.any(g.W):
        raise ValueError("net must have nonzero weights (the movement is relative to |w0|)")
    K0 = g.ntk(X)
    if not np.any(K0):
        raise ValueError("X gives a zero tangent kernel (zero inputs?): the kernel change is relative to K0")
    t = np.linspace(0.0, horizon, n_times)
    rate = 1.0 if parametrisation == "ntk" else float(m)  # mean field: learning rate m
    w, u = flow_pair(g, X, y, 1.0, rate * t)
    W_end = w.stored_weights()[-1]
    KT = g.with_weights(W_end).ntk(X)
    residual = np.linalg.norm(w.predictions - y, axis=1)
    integral = float(np.sum(0.5 * (residual[1:] + residual[:-1]) * np.diff(t)))
    s_max = g.s_max
    coeff = rate * g.scale * s_max
    neuron_bound = coeff * DSIGMA_SUP[activation] * float(np.linalg.norm(X, 2)) * integral
    beta = beta_bound(X, get_activation(activation).beta0, g.scale, kind="operator", s_max=s_max)
    moved = float(w.distance[-1])
    k0 = float(np.linalg.norm(K0, 2))
    return ScaleRun(
        parametrisation=parametrisation,
        t=t,
        risk=w.risk,
        risk_linearized=u.risk,
        gap=np.linalg.norm(w.predictions - u.predictions, axis=1) / np.linalg.norm(y),
        movement=float(w.distance[-1] / np.linalg.norm(g.W)),
        kernel_change=float(np.linalg.norm(KT - K0, 2)) / k0,
        neuron_movement=np.linalg.norm(W_end - g.W, axis=1),
        neuron_norm=np.linalg.norm(g.W, axis=1),
        neuron_bound=neuron_bound,
        movement_bound=float(np.sqrt(m) * neuron_bound / np.linalg.norm(g.W)),
        kernel_bound=beta * moved * (2.0 * np.sqrt(k0) + beta * moved) / k0,
    )


def width_scale_sweep(
    X: ArrayLike,
    y: ArrayLike,
    widths: Sequence[int] | ArrayLike,
    horizon: float,
    activation: str = "tanh",
    n_nets: int = 3,
    n_times: int = 12,
    rng: Seed = None,
) -> WidthScaleSweep:
    """Train the NTK and the mean-field network of each width by gradient flow, and measure laziness.

    For each width ``m`` and network, one draw ``(W₀, s)`` (rows N(0, I_d), signs ±1, no centring) is
    trained twice on ``½‖y − g(w)‖²`` (``α = 1``):

    * NTK: ``g = f_m`` (``scale = 1/√m``), flow ``ẇ = −J_fᵀ(f − y)`` on ``t ∈ [0, T]``;
    * mean field: ``g = h_m`` (``scale = 1/m``) with learning rate ``m``, i.e. the same flow run on
      ``[0, m T]``. Both then start with the same effective kernel ``(1/m) Σ_j Y_j`` (per-neuron
      terms ``Y_j`` of :func:`width_theorem`), so the horizon means the same for both.

    The linearized flow ``u(t)`` (closed form) runs beside each; see :class:`Laziness` for the
    three measures. Cost: two ODE solves per draw (O(n·m·d) per step) and four n×n Grams.

    Parameters
    ----------
    X, y : array_like, shapes (n, d) and (n,)
    widths : sequence of int
        Strictly increasing, with ``m·d ≥ n``.
    horizon : float
        ``T > 0``.
    activation : {"tanh", "softplus"}
    n_nets : int
        Networks per width (independent draws).
    n_times : int
        Times on ``[0, T]`` at which the prediction gap is taken (≥ 2).
    rng : Seed

    Raises
    ------
    ValueError
        Bad shapes, widths, horizon, counts or activation (naming the argument).
    """
    X = as_inputs(X)
    n, d = X.shape
    y = as_array(y, "y", shape=(n,))
    if not np.any(y):
        raise ValueError("y must not be zero (the prediction gap is relative to ||y||)")
    widths = _check_widths(widths)
    if widths[0] * d < n:
        raise ValueError(f"widths must give m*d >= n = {n} (else J0 J0^T is singular), got m = {widths[0]}")
    horizon = check_positive(horizon, "horizon")
    activation = _smooth(activation)
    n_nets = check_positive_int(n_nets, "n_nets")
    n_times = check_positive_int(n_times, "n_times", minimum=2)
    rng = make_rng(rng)
    out = {p: np.empty((6, n_nets, widths.size)) for p in PARAMETRISATIONS}
    for k, m in enumerate(widths):
        for s in range(n_nets):
            base = ShallowNet.random(int(m), d, activation, rng=rng)
            for p in PARAMETRISATIONS:
                run = width_scale_run(base, X, y, p, horizon, n_times)
                risk_end = run.risk[-1] / run.risk[0]
                out[p][:, s, k] = (
                    run.movement,
                    run.kernel_change,
                    float(run.gap.max()),
                    risk_end,
                    run.movement_bound,
                    run.kernel_bound,
                )
    lazy = {
        p: Laziness(
            movement=v[0], kernel_change=v[1], gap=v[2], risk_end=v[3], movement_bound=v[4], kernel_bound=v[5]
        )
        for p, v in out.items()
    }
    return WidthScaleSweep(widths=widths, horizon=horizon, ntk=lazy["ntk"], mean_field=lazy["mean_field"])


# ---------------------------------------------------------------------------------------------
# Matrix Chernoff and the width theorem
# ---------------------------------------------------------------------------------------------
def chernoff_exponents(kappa: ArrayLike) -> tuple[Array, Array]:
    """The exponents ``(c₋(κ), c₊(κ))`` of the matrix Chernoff inequality (Tropp 2012, Thm 1.1).

    ``c₋(κ) = κ + (1 − κ) log(1 − κ)`` (lower tail, ``0 ≤ κ < 1``) and
    ``c₊(κ) = (1 + κ) log(1 + κ) − κ`` (upper tail), so that
    ``[e^{−κ}/(1−κ)^{1−κ}]^{μ/Γ} = e^{−c₋(κ) μ/Γ}`` and ``[e^{κ}/(1+κ)^{1+κ}]^{μ/Γ} = e^{−c₊(κ) μ/Γ}``.
    On ``[0, 1]``: ``c₋ ≥ κ²/2`` and ``c₊ ≥ κ²/3`` (Tropp's simplified forms).
    """
    e = as_array(kappa, "kappa")
    if np.any(e < 0) or np.any(e >= 1):
        raise ValueError("kappa must be in [0, 1)")
    lower = e + (1.0 - e) * np.log1p(-e)
    upper = (1.0 + e) * np.log1p(e) - e
    return np.asarray(lower, dtype=np.float64), np.asarray(upper, dtype=np.float64)


def chernoff_tail(n: int, mu: ArrayLike, term_bound: float, kappa: ArrayLike, side: str) -> Array:
    """Tropp's bound ``n · exp(−c(κ) μ / Γ)`` on ``P{λ_min(ΣX_k) ≤ (1−κ)μ_min}`` (``side="lower"``,
    ``μ = μ_min``) or ``P{λ_max(ΣX_k) ≥ (1+κ)μ_max}`` (``side="upper"``, ``μ = μ_max``), for independent
    PSD ``n×n`` terms with ``λ_max(X_k) ≤ Γ``. Broadcasts over ``mu`` and ``kappa``; capped at nothing
    (values above 1 are valid but empty bounds)."""
    n = check_positive_int(n, "n")
    mu = as_array(mu, "mu")
    if np.any(mu < 0):
        raise ValueError("mu must be >= 0")
    term_bound = check_positive(term_bound, "term_bound")
    side = check_choice(side, "side", ("lower", "upper"))
    try:
        np.broadcast_shapes(mu.shape, np.shape(kappa))
    except ValueError:
        raise ValueError(
            f"mu and kappa must broadcast together, got shapes {mu.shape} and {np.shape(kappa)}"
        ) from None
    lower, upper = chernoff_exponents(kappa)
    c = lower if side == "lower" else upper
    with np.errstate(over="ignore", under="ignore"):  # an exponent of −inf is a tail of exactly 0
        tail = n * np.exp(-c * mu / term_bound)
    return finite_result(tail, "the Chernoff tail")


@dataclass(frozen=True)
class WidthTheorem:
    """The constants of the width theorem for one data set (NTK parametrisation, centred start, α = 1).

    Attributes
    ----------
    n : int
    fail_prob : float
        The failure probability ϖ.
    lam_min, lam_max : float
        Extreme eigenvalues of the limit kernel ``K_∞`` (``E J₀J₀ᵀ = m K_∞`` at ``scale = 1``).
    beta_op : float
        ``β₀ ‖X‖ max_i ‖x_i‖`` (the operator-norm bound at ``scale = 1``); the NTK net's β is ``β_op/√m``.
    term_bound : float
        The bound on one independent term: ``2 sup|σ'|² ‖X‖²`` (a centred pair counts twice).
    risk0 : float
        ``R₀ = ½‖y‖²`` (centred start).
    kappa : float
        The deviation κ at which ``m̄`` is attained (minimised over a grid of κ).
    """

    n: int
    fail_prob: float
    lam_min: float
    lam_max: float
    beta_op: float
    term_bound: float
    risk0: float
    kappa: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "n", check_positive_int(self.n, "n"))
        fail = check_in_range(self.fail_prob, "fail_prob", 0.0, 1.0, low_open=True, high_open=True)
        object.__setattr__(self, "fail_prob", fail)
        for name in ("lam_min", "lam_max", "beta_op", "term_bound"):
            object.__setattr__(self, name, check_positive(getattr(self, name), name))
        if self.lam_max < self.lam_min:
            raise ValueError(f"lam_max must be >= lam_min, got {self.lam_max} < {self.lam_min}")
        object.__setattr__(self, "risk0", check_nonnegative(self.risk0, "risk0"))
        kappa = check_in_range(self.kappa, "kappa", 0.0, 1.0, low_open=True, high_open=True)
        object.__setattr__(self, "kappa", kappa)

    def m_chernoff(self, kappa: ArrayLike) -> Array:
        """``m₁(κ, ϖ) = Γ log(2n/ϖ) · max(1/(c₋(κ) λ_min), 1/(c₊(κ) λ_max))``: at or above it each
        Chernoff tail is at most ϖ/2 (``0 < κ < 1``)."""
        e = _check_kappa(kappa)
        lower, upper = chernoff_exponents(e)
        with np.errstate(divide="ignore", over="ignore"):
            need = np.maximum(1.0 / (lower * self.lam_min), 1.0 / (upper * self.lam_max))
            out = self.term_bound * np.log(2.0 * self.n) - self.term_bound * np.log(self.fail_prob)
            out = out * need
        return finite_result(out, "m_chernoff (kappa too close to 0?)")

    def m_threshold(self, kappa: ArrayLike) -> Array:
        """``m₂(κ) = 1152 β_op² R₀ (1+κ) λ_max / ((1−κ)³ λ_min³)``: on the Chernoff event, α_min ≤ 1 here
        (``0 ≤ κ < 1``)."""
        e = as_array(kappa, "kappa")
        if np.any(e < 0) or np.any(e >= 1):
            raise ValueError("kappa must be in [0, 1)")
        return np.asarray(
            alpha_min(
                self.beta_op, np.sqrt((1.0 - e) * self.lam_min), np.sqrt((1.0 + e) * self.lam_max), self.risk0
            )
            ** 2,
            dtype=np.float64,
        )

    @property
    def m_star(self) -> int:
        """The proven width ``m̄``: ``max(m₁(κ), m₂(κ))`` at the chosen κ, rounded up to an even integer."""
        m = float(np.maximum(self.m_chernoff(self.kappa), self.m_threshold(self.kappa)))
        if not np.isfinite(m):
            raise ValueError(f"the proven width overflows float64 (fail_prob = {self.fail_prob:g} too small)")
        return int(2 * np.ceil(m / 2.0))

    @property
    def m_expected(self) -> float:
        """``m₂(0) = 1152 β_op² R₀ λ_max / λ_min³``: the width the expectation heuristic gives
        (``J₀J₀ᵀ`` replaced by ``m K_∞``), with no probability attached."""
        return float(self.m_threshold(0.0))


def _check_kappa(kappa: ArrayLike) -> Array:
    """κ for a Chernoff width: finite and in ``(0, 1)`` (at κ = 0 the width is infinite)."""
    e = as_array(kappa, "kappa")
    if np.any(e <= 0) or np.any(e >= 1):
        raise ValueError("kappa must be in (0, 1)")
    return e


#: The grid of κ over which ``m̄`` is minimised (any fixed κ gives a valid theorem).
KAPPA_GRID = np.linspace(0.001, 0.999, 999)


def _initial_risk(y: Array) -> float:
    """The initial risk ``||y||^2 / 2`` of a zero-output model, refusing a ``y`` that overflows it."""
    with np.errstate(over="ignore"):
        return float(finite_result(0.5 * (y @ y), "the initial risk ||y||^2/2 (y too large?)"))


def width_theorem(X: ArrayLike, y: ArrayLike, fail_prob: float, activation: str = "tanh") -> WidthTheorem:
    """The width theorem's constants for the data ``(X, y)`` and failure probability ``fail_prob``.

    ``K_∞`` by quadrature (:func:`lazylib.infinite_width.expected_ntk`), ``β_op`` by
    :func:`lazylib.theory.beta_bound`, ``Γ = 2 sup|σ'|² ‖X‖²``, ``R₀ = ½‖y‖²``; κ minimises
    ``max(m₁(κ, ϖ), m₂(κ))`` over ``KAPPA_GRID``.

    Raises
    ------
    ValueError
        Bad ``X``/``y``, ``fail_prob`` outside (0, 1), a non-smooth activation, a singular ``K_∞``.
    """
    X = as_inputs(X)
    n = X.shape[0]
    y = as_array(y, "y", shape=(n,))
    fail_prob = check_in_range(fail_prob, "fail_prob", 0.0, 1.0, low_open=True, high_open=True)
    activation = _smooth(activation)
    eig = np.linalg.eigvalsh(expected_ntk(X, activation))
    if eig[-1] <= 0 or eig[0] <= RANK_TOL * eig[-1]:
        raise ValueError(
            f"X gives a singular limit kernel K (lambda_min = {eig[0]:.3e}): duplicate or parallel inputs?"
        )
    act = get_activation(activation)
    norm_X = float(np.linalg.norm(X, 2))
    theorem = WidthTheorem(
        n=n,
        fail_prob=fail_prob,
        lam_min=float(eig[0]),
        lam_max=float(eig[-1]),
        beta_op=beta_bound(X, act.beta0, kind="operator"),
        term_bound=float(finite_result(2.0 * DSIGMA_SUP[activation] ** 2 * norm_X**2, "term_bound")),
        risk0=_initial_risk(y),
        kappa=0.5,
    )
    with np.errstate(over="ignore"):
        need = np.maximum(theorem.m_chernoff(KAPPA_GRID), theorem.m_threshold(KAPPA_GRID))
    if not np.all(need < 2.0**62):
        raise ValueError(
            f"fail_prob = {fail_prob:g} (with these inputs) gives a width beyond the int64 range: "
            "use a larger fail_prob"
        )
    return WidthTheorem(**{**theorem.__dict__, "kappa": float(KAPPA_GRID[int(np.argmin(need))])})


@dataclass(frozen=True)
class WidthConditionSamples:
    """Theorem 8.1's condition on many centred NTK networks grown along a width grid (α = 1).

    Attributes
    ----------
    widths : ndarray, shape (W,)
    ratio : ndarray, shape (S, W)
        ``α_min/α`` of network ``s`` at width ``m`` (the theorem applies where ≤ 1).
    lam_min, lam_max : ndarray, shape (S, W)
        Extreme eigenvalues of ``J₀J₀ᵀ`` at ``scale = 1`` divided by m (→ those of ``K_∞``).
    """

    widths: IntArray
    ratio: Array
    lam_min: Array
    lam_max: Array

    def __post_init__(self) -> None:
        widths = _check_widths(self.widths)
        ratio = np.asarray(self.ratio, dtype=np.float64) if not isinstance(self.ratio, str) else None
        if ratio is None or ratio.ndim != 2 or ratio.shape[1] != widths.size:
            raise ValueError(f"ratio must have shape (S, {widths.size}) to match widths")
        if np.isnan(ratio).any() or np.any(ratio < 0):
            raise ValueError("ratio must be >= 0 (inf where J0 J0^T is singular), not NaN")
        lam_min = as_array(self.lam_min, "lam_min", shape=ratio.shape)
        lam_max = as_array(self.lam_max, "lam_max", shape=ratio.shape)
        for name, value in (("widths", widths), ("ratio", ratio), ("lam_min", lam_min), ("lam_max", lam_max)):
            object.__setattr__(self, name, value)

    def first_width(self) -> Array:
        """Per network: the smallest grid width from which the condition holds at every larger grid
        width (``inf`` if it fails at the last one), shape (S,)."""
        ok = self.ratio <= 1.0
        # holds from column k on  <=>  all of ok[:, k:]; the first such k per row
        tail_ok = np.flip(np.logical_and.accumulate(np.flip(ok, axis=1), axis=1), axis=1)
        first = np.where(tail_ok.any(axis=1), self.widths[np.argmax(tail_ok, axis=1)].astype(float), np.inf)
        return np.asarray(first, dtype=np.float64)

    def fraction(self) -> Array:
        """Fraction of the networks meeting the condition at each width, shape (W,)."""
        return np.asarray(np.mean(self.ratio <= 1.0, axis=0), dtype=np.float64)


def width_condition_samples(
    X: ArrayLike,
    y: ArrayLike,
    widths: Sequence[int] | ArrayLike,
    activation: str = "tanh",
    n_nets: int = 50,
    rng: Seed = None,
    chunk: int = 4096,
) -> WidthConditionSamples:
    """``α_min/α`` for ``n_nets`` centred networks under the NTK parametrisation, at α = 1.

    Network ``s`` at width ``m`` is the first ``m/2`` pairs of its own random stream (child ``s`` of
    ``rng``, ``numpy.random.Generator.spawn``; pairs of equal rows N(0, I_d) with opposite signs,
    so ``f(·; W₀) ≡ 0`` and ``R₀ = ½‖y‖²``): the same network whatever ``chunk`` and whichever
    smaller widths the grid holds. A network whose ``J₀J₀ᵀ`` is singular to round-off
    (``λ_min ≤ RANK_TOL·λ_max``: duplicate inputs) has no finite ``α_min``: its ratio is ``inf``.
    With ``G = J₀J₀ᵀ`` at ``scale = 1``, the NTK network has ``σ² = λ(G)/m`` and ``β = β_op/√m``, so
    ``α_min = alpha_min(β_op/√m, √(λ_min(G)/m), √(λ_max(G)/m), ½‖y‖²)`` (:func:`lazylib.theory.alpha_min`).
    All networks grow together (arrays of shape (S, chunk, d)); cost O(S·(n d + n²)·m_max) and
    S·W batched ``eigvalsh`` of n×n.

    Raises
    ------
    ValueError
        Bad shapes; widths not even and strictly increasing, or ``m·d < n``; a non-smooth activation.
    """
    X = as_inputs(X)
    n, d = X.shape
    y = as_array(y, "y", shape=(n,))
    widths = _check_widths(widths, even=True)
    activation = _smooth(activation)
    n_nets = check_positive_int(n_nets, "n_nets")
    chunk = check_positive_int(chunk, "chunk")
    act = get_activation(activation)
    if widths[0] * d < n:
        raise ValueError(f"widths must give m*d >= n = {n} (else J0 J0^T is singular), got m = {widths[0]}")
    check_allocation((n_nets, n, max(n, min(chunk, int(widths[-1]) // 2))), "n_nets, X, widths and chunk")
    streams = make_rng(rng).spawn(n_nets)  # network s draws its pairs from its own stream
    beta_op = beta_bound(X, act.beta0, kind="operator")
    risk0 = _initial_risk(y)
    gram_X = X @ X.T
    DD = np.zeros((n_nets, n, n))
    pairs = 0
    lam = np.empty((2, n_nets, widths.size))
    for k, m in enumerate(widths):
        todo = int(m) // 2 - pairs
        while todo > 0:
            c = min(todo, chunk)
            W = np.stack([g.standard_normal((c, d)) for g in streams])
            D = act.dsigma(np.matmul(X, W.transpose(0, 2, 1)))  # (S, n, c): σ'(w_jᵀx_i); signs square away
            DD += 2.0 * np.matmul(D, D.transpose(0, 2, 1))  # each pair counts twice
            pairs += c
            todo -= c
        eig = np.linalg.eigvalsh(DD * gram_X)
        lam[0, :, k], lam[1, :, k] = eig[:, 0] / m, eig[:, -1] / m
    if not np.all(lam[1] > 0):
        raise ValueError("X gives a zero tangent kernel (zero inputs?)")
    sqrt_m = np.sqrt(widths.astype(float))
    # sigma_min = 0 to round-off (duplicate inputs, few neurons): no finite alpha_min, ratio inf
    singular = lam[0] <= RANK_TOL * lam[1]
    with np.errstate(divide="ignore", over="ignore"):
        ratio = alpha_min(
            beta_op / sqrt_m, np.sqrt(np.where(singular, lam[1], lam[0])), np.sqrt(lam[1]), risk0
        )
    ratio = np.where(singular, np.inf, ratio)
    return WidthConditionSamples(widths=widths, ratio=ratio, lam_min=lam[0], lam_max=lam[1])
