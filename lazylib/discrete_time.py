"""Theorem 8.1 in discrete time: gradient descent with a step size (``notebooks/10_gradient_descent.ipynb``).

Section "Gradient descent" (beyond the slides). Gradient descent on the scaled risk,
``w_{k+1} = w_k − ηα J_kᵀ r_k`` with ``r_k = αf(w_k) − y`` (:func:`lazylib.flows.gradient_descent`),
and the page's theorem (:class:`GDTheorem81`): if ``η ≤ 4/(9α²σ_max²)`` and
``α ≥ α_min · max{1/(2(1 − θ)), σ_min/(12θσ_max)}`` for some ``θ ∈ (0, 1)`` (``α_min`` the flow's
threshold of :func:`lazylib.theory.alpha_min`), then for every step ``k``

* ``R(αf(w_k)) ≤ R₀ (1 − (1 − θ) ηα²σ_min²/4)^{2k}`` and ``‖w_k − w₀‖ ≤ radius/(1 − θ)``
  (``radius`` the flow's ``√(72σ_max²R₀)/(ασ_min²)``);
* for gradient descent on the linearized model, ``R(αf₀(u_k)) ≤ R₀ (1 − ηα²σ_min²)^{2k}`` and
  ``‖u_k − w₀‖ ≤ √(2σ_max²R₀)/(ασ_min²)``, with no condition on ``α``.

``θ`` is the share of the contraction that the curvature remainder may use; ``θ = 1/2`` gives the
flow's threshold ``α ≥ α_min`` with half its rate and twice its radius. The page's computations:

* :func:`gd_theorem_8_1` (the constants) and :func:`check_gd_theorem` (the bounds at every step);
* :func:`euler_gap`: gradient descent at time ``kη`` against the flow ``w(t)`` as ``η → 0``;
* :func:`step_size_scan`: step sizes up to and above ``η_c = 2/(α²λ_max(J₀J₀ᵀ))``
  (:func:`lazylib.step_size.critical_step`), with ``λ_max`` of the tangent kernel along each run
  (the top of :func:`lazylib.theory.kernel_spectra`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ._checks import (
    as_array,
    check_in_range,
    check_instance,
    check_positive,
    check_positive_array,
    check_positive_int,
    finite_result,
)
from ._types import Array, BoolArray
from .data import teacher_student
from .fitting import fit_power_law
from .flows import MAX_STEPS, Trajectory, gradient_descent, gradient_flow
from .models import ShallowNet
from .step_size import StepSizeEdge, step_size_edge
from .theory import Theorem81, kernel_spectra, theorem_8_1

__all__ = [
    "EulerGap",
    "GDCheck",
    "GDTheorem81",
    "StepSizeScan",
    "check_gd_theorem",
    "euler_gap",
    "gd_theorem_8_1",
    "page_problem",
    "smallest_theta",
    "step_size_scan",
]


def page_problem(m: int = 400) -> tuple[ShallowNet, Array, Array]:
    """The network of the Theorem 8.1 page, which this page also trains.

    ``n = 8`` inputs on the unit sphere of ``R⁵`` with targets from a small ReLU teacher
    (:func:`lazylib.data.teacher_student` with ``rng=0``) and a centred tanh network of width ``m``
    (``ShallowNet.random(m, 5, "tanh", rng=0, symmetric=True)``), so ``f(w₀) ≡ 0`` and
    ``R₀ = ½‖y‖²`` for every α. Returns ``(net, X, y)``.
    """
    m = check_positive_int(m, "m")
    if m % 2:
        raise ValueError(f"m must be even (the centred network pairs its neurons), got {m}")
    task = teacher_student(8, 5, rng=0, n_test=10)
    net = ShallowNet.random(m, 5, "tanh", rng=0, symmetric=True)
    return net, task.X, task.y


def _check_theta(theta: float) -> float:
    theta = check_positive(theta, "theta")
    if not theta < 1:
        raise ValueError(f"theta must be in (0, 1), got {theta}")
    return theta


@dataclass(frozen=True, kw_only=True)
class GDTheorem81:
    """The constants of Theorem 8.1 for gradient descent, at one scale ``α`` and one ``θ``.

    Attributes
    ----------
    flow : Theorem81
        The flow's constants at the same ``α`` (:func:`lazylib.theory.theorem_8_1`): ``σ_min``,
        ``σ_max``, ``β``, ``R₀``, the flow's threshold, rate and radius.
    theta : float
        ``θ ∈ (0, 1)``: the share of the linear contraction ``ηα²σ_min²/4`` that the curvature
        remainder is allowed to use.
    """

    flow: Theorem81
    theta: float

    def __post_init__(self) -> None:
        check_instance(self.flow, Theorem81, "flow")
        object.__setattr__(self, "theta", _check_theta(self.theta))

    @property
    def alpha(self) -> float:
        """The scale ``α``."""
        return self.flow.alpha

    @property
    def step_limit(self) -> float:
        """``η ≤ 4/(9α²σ_max²)``: then ``ηα²σ₁(J_w)² ≤ 1`` everywhere in Lemma 8.3's ball."""
        return float(4.0 / (9.0 * self.flow.alpha**2 * self.flow.sigma_max**2))

    @property
    def threshold_factor(self) -> float:
        """``max{1/(2(1 − θ)), σ_min/(12θσ_max)}``: the discrete threshold over the flow's ``α_min``.

        The first term keeps the summed step lengths inside the ball ``B`` (no margin is needed by
        the induction), the second lets the remainder use at most ``θ`` of the contraction.
        """
        th = self.flow
        return max(0.5 / (1.0 - self.theta), th.sigma_min / (12.0 * self.theta * th.sigma_max))

    @property
    def alpha_min(self) -> float:
        """The discrete threshold ``α_min · threshold_factor`` (``= α_min`` at ``θ = 1/2``)."""
        return float(self.flow.alpha_min * self.threshold_factor)

    def applies(self, eta: float) -> bool:
        """Whether the theorem covers step size ``eta``: ``α ≥ alpha_min`` and ``0 < η ≤ step_limit``."""
        eta = check_positive(eta, "eta")
        return bool(self.alpha >= self.alpha_min and eta <= self.step_limit)

    @property
    def radius(self) -> float:
        """Distance bound ``radius/(1 − θ) = 6σ_max√(2R₀)/((1 − θ)ασ_min²)`` for every ``w_k``."""
        return float(self.flow.radius / (1.0 - self.theta))

    @property
    def linear_radius(self) -> float:
        """Distance bound ``√(2σ_max²R₀)/(ασ_min²)`` for gradient descent on the linearized model."""
        return self.flow.linear_radius

    @property
    def ball_radius(self) -> float:
        """``B = σ_min/(2β)``, the ball of Lemma 8.3."""
        return self.flow.ball_radius

    def contraction(self, eta: float) -> float:
        """``q = 1 − (1 − θ)ηα²σ_min²/4``: the residual's factor per step, ``‖r_{k+1}‖ ≤ q‖r_k‖``."""
        eta = check_positive(eta, "eta")
        return float(1.0 - (1.0 - self.theta) * eta * self.flow.alpha**2 * self.flow.sigma_min**2 / 4.0)

    def linear_contraction(self, eta: float) -> float:
        """``1 − ηα²σ_min²``: the linearized residual's factor per step for ``η ≤ 1/(α²σ_max²)``."""
        eta = check_positive(eta, "eta")
        return float(1.0 - eta * self.flow.alpha**2 * self.flow.sigma_min**2)

    def _power(self, q: float, k: ArrayLike) -> Array:
        steps = as_array(k, "k")
        if np.any(steps < 0):
            raise ValueError("k must be >= 0")
        with np.errstate(under="ignore", over="ignore", invalid="ignore"):
            out = self.flow.risk0 * np.abs(q) ** (2.0 * steps)
        return finite_result(out, "the risk bound")

    def risk_bound(self, eta: float, k: ArrayLike) -> Array:
        """``R₀ q^{2k}`` at steps ``k`` (:meth:`contraction`); a bound when :meth:`applies` holds."""
        return self._power(self.contraction(eta), k)

    def linear_risk_bound(self, eta: float, k: ArrayLike) -> Array:
        """``R₀ (1 − ηα²σ_min²)^{2k}`` at steps ``k``: the linearized model's bound."""
        return self._power(self.linear_contraction(eta), k)


def smallest_theta(flow: Theorem81) -> float:
    """The smallest ``θ`` the remainder condition allows at this ``α``: ``2β√(2R₀)/(ασ_min²)``.

    The remainder of one step is at most ``(β/2)ηα‖r_k‖²``; asking it to be at most
    ``θ·ηα²σ_min²/4·‖r_k‖`` with ``‖r_k‖ ≤ ‖r₀‖`` gives ``θ ≥`` this value. The smallest ``θ`` gives
    the tightest rate and radius, if it also meets the ball condition (check with
    :meth:`GDTheorem81.applies`). May be ``≥ 1`` (then no ``θ`` works) or 0 (``R₀ = 0``).
    """
    flow = check_instance(flow, Theorem81, "flow")
    with np.errstate(over="ignore"):
        value = 2.0 * flow.beta * np.sqrt(2.0 * flow.risk0) / (flow.alpha * flow.sigma_min**2)
    return float(finite_result(value, "the smallest theta"))


def gd_theorem_8_1(
    net: ShallowNet, X: ArrayLike, y: ArrayLike, alpha: float, theta: float = 0.5
) -> GDTheorem81:
    """The constants of the gradient-descent theorem for ``net`` on ``(X, y)`` at scale ``alpha``.

    Parameters
    ----------
    net : ShallowNet
        Smooth activation (``β`` must exist).
    X, y : array_like, shapes (n, d) and (n,)
        Training data.
    alpha : float
        Scale ``α > 0``.
    theta : float
        ``θ ∈ (0, 1)``; ``1/2`` gives the flow's threshold.

    Returns
    -------
    GDTheorem81

    Raises
    ------
    ValueError
        As :func:`lazylib.theory.theorem_8_1` (shapes, NaN/inf, ``α ≤ 0``, ``σ_min = 0``, ReLU),
        and ``theta`` outside ``(0, 1)``.
    """
    theta = _check_theta(theta)
    return GDTheorem81(flow=theorem_8_1(net, X, y, alpha), theta=theta)


@dataclass(frozen=True, kw_only=True)
class GDCheck:
    """Gradient descent on the network and on the linearized model against the theorem, at every step.

    Attributes
    ----------
    theorem : GDTheorem81
    etas : ndarray, shape (K,)
        Step sizes.
    network, linearized : list of Trajectory
        One run per step size (every step recorded, no weights).
    risk_ratio, distance_ratio : list of ndarray
        Per run, ``R(αf(w_k))/(R₀q^{2k})`` and ``‖w_k − w₀‖/radius`` at every step (``inf`` where
        the bound underflowed to 0 under a positive risk: a step size far above the theorem's).
    linear_risk_ratio, linear_distance_ratio : list of ndarray
        The same for the linearized run against its bounds.
    """

    theorem: GDTheorem81
    etas: Array
    network: list[Trajectory]
    linearized: list[Trajectory]
    risk_ratio: list[Array]
    distance_ratio: list[Array]
    linear_risk_ratio: list[Array]
    linear_distance_ratio: list[Array]

    def worst(self) -> dict[str, Array]:
        """The largest ratio of each conclusion over all steps, one per step size, shape (K,)."""
        fields = ("risk_ratio", "distance_ratio", "linear_risk_ratio", "linear_distance_ratio")
        return {name: np.array([float(np.max(r)) for r in getattr(self, name)]) for name in fields}

    def holds(self, tol: float = 1e-9) -> bool:
        """Whether every ratio is at most ``1 + tol`` (a round-off allowance, ``0 ≤ tol < 1``)."""
        tol = check_in_range(tol, "tol", 0.0, 1.0, high_open=True)
        return all(bool(np.all(w <= 1.0 + tol)) for w in self.worst().values())

    def with_theta(self, theta: float) -> GDCheck:
        """The same runs against the bounds of another ``θ`` (the runs do not depend on ``θ``)."""
        theorem = GDTheorem81(flow=self.theorem.flow, theta=_check_theta(theta))
        return _compare(theorem, self.etas, self.network, self.linearized)


def _steps(t_end: float, eta: float) -> int:
    with np.errstate(over="ignore"):
        n = np.ceil(t_end / eta)
    if not n <= MAX_STEPS:
        raise ValueError(f"t_end / eta = {t_end / eta:.3g} steps is too many (at most {MAX_STEPS} in all)")
    return max(int(n), 1)


def check_gd_theorem(
    net: ShallowNet,
    X: ArrayLike,
    y: ArrayLike,
    alpha: float,
    etas: ArrayLike,
    t_end: float,
    theta: float = 0.5,
) -> GDCheck:
    """Run gradient descent at each step size for ``⌈t_end/η⌉`` steps (flow time ``t_end``), on the
    network and on the linearized model, and compare every step with the theorem's bounds.

    The ratios are reported whether or not the theorem applies (check
    :meth:`GDTheorem81.applies`). Cost O(n·m·d) per step; ``Σ_η t_end/η`` steps in all.
    """
    theorem = gd_theorem_8_1(net, X, y, alpha, theta)
    etas = check_positive_array(etas, "etas")
    t_end = check_positive(t_end, "t_end")
    network, linearized = [], []
    with np.errstate(over="ignore", divide="ignore"):
        total = t_end * float(np.sum(1.0 / etas))
    _steps(total, 1.0)  # the total, before any run
    for eta in etas:
        n_steps = _steps(t_end, float(eta))
        network.append(gradient_descent(net, X, y, alpha, float(eta), n_steps, store_weights=False))
        linearized.append(gradient_descent(net, X, y, alpha, float(eta), n_steps, True, store_weights=False))
    return _compare(theorem, etas, network, linearized)


def _compare(
    theorem: GDTheorem81, etas: Array, network: list[Trajectory], linearized: list[Trajectory]
) -> GDCheck:
    """The ratios measured/bound of the four conclusions at every recorded step of the runs."""
    ratios: dict[str, list[Array]] = {
        "risk_ratio": [],
        "distance_ratio": [],
        "linear_risk_ratio": [],
        "linear_distance_ratio": [],
    }
    with np.errstate(under="ignore", divide="ignore", invalid="ignore"):
        for eta, nl_run, lin_run in zip(etas, network, linearized, strict=True):
            for run, prefix, bound_fn, radius in (
                (nl_run, "", theorem.risk_bound, theorem.radius),
                (lin_run, "linear_", theorem.linear_risk_bound, theorem.linear_radius),
            ):
                bound = bound_fn(float(eta), np.rint(run.t / eta))
                # a risk of exactly 0 under a bound that underflowed to 0 meets it
                ratio = np.where(run.risk == 0.0, 0.0, run.risk / bound)
                ratios[prefix + "risk_ratio"].append(np.asarray(ratio, dtype=np.float64))
                # a distance of exactly 0 meets a radius of 0 (R₀ = 0: nothing moves)
                dist = np.where(run.distance == 0.0, 0.0, run.distance / radius)
                ratios[prefix + "distance_ratio"].append(dist)
    return GDCheck(theorem=theorem, etas=etas, network=network, linearized=linearized, **ratios)


@dataclass(frozen=True, kw_only=True)
class EulerGap:
    """Gradient descent at time ``kη`` against the gradient flow ``w(t)`` (see :func:`euler_gap`).

    Attributes
    ----------
    t_compare : ndarray, shape (C,)
        The common times ``t_j = j·t_end/(C − 1)`` at which every run is compared with the flow.
    n_steps : ndarray, shape (K,)
        Steps of each run to reach ``t_end``.
    etas : ndarray, shape (K,)
        ``t_end / n_steps``.
    gap : ndarray, shape (K,)
        ``max_j ‖w_{k_j} − w(t_j)‖`` with ``k_j η = t_j``.
    prediction_gap : ndarray, shape (K,)
        ``max_j ‖αf(w_{k_j}) − αf(w(t_j))‖``.
    scale : float
        ``max_t ‖w(t) − w₀‖`` over the comparison times (the size of the displacement).
    order, prefactor : float
        The fit ``gap ≈ prefactor · η^order`` (:func:`lazylib.fitting.fit_power_law`).
    flow : Trajectory
        The flow at ``t_compare`` (weights stored).
    """

    t_compare: Array
    n_steps: Array
    etas: Array
    gap: Array
    prediction_gap: Array
    scale: float
    order: float
    prefactor: float
    flow: Trajectory


def euler_gap(
    net: ShallowNet,
    X: ArrayLike,
    y: ArrayLike,
    alpha: float,
    t_end: float,
    n_steps: Sequence[int],
    n_compare: int = 16,
    *,
    rtol: float = 1e-11,
) -> EulerGap:
    """How far gradient descent with step ``η = t_end/N`` is from the flow at the same times.

    Gradient descent is the explicit Euler method for the flow ``ẇ = −αJ_wᵀ(αf(w) − y)``, so the
    gap at a fixed time is ``O(η)``; the returned fit measures the order. Each ``N`` in
    ``n_steps`` must be a multiple of ``n_compare``; the flow (:func:`lazylib.flows.gradient_flow`,
    tolerance ``rtol``) is solved at the ``n_compare + 1`` common times. Gaps below a thousand times
    the round-off of the weights (or a hundred times the solver's tolerance on the displacement) are
    refused with ``ValueError``: their fit would measure round-off. Cost O(n·m·d·ΣN) plus one ODE
    solve.
    """
    net = check_instance(net, ShallowNet, "net")
    t_end = check_positive(t_end, "t_end")
    n_compare = check_positive_int(n_compare, "n_compare")
    if isinstance(n_steps, (str, bytes)) or not hasattr(n_steps, "__iter__"):
        raise ValueError(f"n_steps must be a sequence of step counts (at least two), got {n_steps!r}")
    counts = [check_positive_int(N, "n_steps") for N in n_steps]
    if len(counts) < 2:
        raise ValueError("n_steps must hold at least two step counts (a fit needs two points)")
    if len(set(counts)) != len(counts):
        raise ValueError("n_steps must hold distinct step counts")
    for N in counts:
        if N % n_compare:
            raise ValueError(f"n_steps must be multiples of n_compare = {n_compare}, got {N}")
    if sum(counts) > MAX_STEPS:
        raise ValueError(f"n_steps holds {sum(counts)} steps in all, too many (at most {MAX_STEPS})")
    t_compare = np.linspace(0.0, t_end, n_compare + 1)
    flow = gradient_flow(net, X, y, alpha, t_compare, rtol=rtol, atol=1e-15)
    W_flow = flow.stored_weights().reshape(n_compare + 1, -1)
    gaps, pred_gaps = [], []
    for N in counts:
        run = gradient_descent(net, X, y, alpha, t_end / N, N, record_every=N // n_compare)
        if run.diverged:
            raise ValueError(f"gradient descent with {N} steps diverged: use more steps (a smaller eta)")
        W_gd = run.stored_weights().reshape(len(run.t), -1)
        gaps.append(float(np.max(np.linalg.norm(W_gd - W_flow, axis=1))))
        pred_gaps.append(float(np.max(np.linalg.norm(run.predictions - flow.predictions, axis=1))))
    etas = t_end / np.array(counts, dtype=np.float64)
    gap = np.array(gaps)
    if np.any(gap <= 0):
        raise ValueError("the gap is 0 for some step count: nothing moves (y = alpha f(w0)?)")
    scale = float(np.max(flow.distance))
    # Each gap is a difference of weights w0 + delta (round-off ~ eps·|w0|) and carries the flow
    # solver's error (~ rtol·|delta|): below a thousand times that floor its digits are noise, and
    # a fitted order would be an order of the round-off (-1.91 from gaps of 8e-16 and 3e-15).
    floor = max(1e3 * np.finfo(np.float64).eps * float(np.linalg.norm(net.W)), 1e2 * rtol * scale)
    if np.min(gap) < floor:
        raise ValueError(
            f"the gaps (smallest {np.min(gap):.2g}) are at the round-off of the weights and of the flow "
            f"solve (floor {floor:.2g}): nothing to fit; use a larger t_end, fewer steps or another alpha"
        )
    order, prefactor = fit_power_law(etas, gap)
    return EulerGap(
        t_compare=t_compare,
        n_steps=np.array(counts, dtype=np.float64),
        etas=etas,
        gap=gap,
        prediction_gap=np.array(pred_gaps),
        scale=scale,
        order=order,
        prefactor=prefactor,
        flow=flow,
    )


@dataclass(frozen=True, kw_only=True)
class StepSizeScan:
    """Gradient descent at step sizes ``factor · η_c`` on both models (see :func:`step_size_scan`).

    Attributes
    ----------
    theorem : GDTheorem81
        The constants (its ``step_limit`` is ``(2/9) η_c`` when ``λ_max = σ_max²``).
    eta_c : float
        ``2/(α²λ_max(J₀J₀ᵀ))`` (:func:`lazylib.step_size.critical_step`).
    network, linearized : StepSizeEdge
        :func:`lazylib.step_size.step_size_edge` on each model (weights every ``record_every``).
    steps : list of ndarray
        Per network run, the recorded step numbers ``k``.
    sharpness : list of ndarray
        Per network run, ``ηα²λ_max(J_kJ_kᵀ)`` at the recorded steps (2 is the linear edge).
    bound : list of ndarray
        Per network run, the theorem's formula ``R₀q(η)^{2k}`` at the recorded steps, used beyond the
        step sizes it is proved for.
    below_bound : ndarray of bool, shape (K,)
        Whether the network's risk stays at or below that formula at every recorded step.
    crossover : float
        The factor ``2/(2 + c)``, ``c = (1 − θ)σ_min²/(2σ_max²)``, above which the linearized
        model's top mode, ``|1 − ηα²λ_max|`` per step, decays more slowly than ``q(η)``.
    """

    theorem: GDTheorem81
    eta_c: float
    network: StepSizeEdge
    linearized: StepSizeEdge
    steps: list[Array]
    sharpness: list[Array]
    bound: list[Array]
    below_bound: BoolArray
    crossover: float

    @property
    def factors(self) -> Array:
        """The step sizes as multiples of ``η_c``."""
        return self.network.factors


#: Largest step size :func:`step_size_scan` takes, as a multiple of ``η_c``.
MAX_FACTOR = 100.0


def step_size_scan(
    net: ShallowNet,
    X: ArrayLike,
    y: ArrayLike,
    alpha: float,
    factors: ArrayLike,
    n_steps: int,
    *,
    record_every: int = 5,
    theta: float = 0.5,
) -> StepSizeScan:
    """Gradient descent at ``η = factor · η_c`` on the network and on the linearized model.

    Records the risk and the weights every ``record_every`` steps, ``λ_max`` of the tangent kernel
    along each network run (:func:`lazylib.theory.kernel_spectra`) and the theorem's risk formula at the same
    steps. Between the theorem's step limit and ``η_c`` the linearized model converges; above
    ``η_c`` it diverges, while the network's kernel can change. Cost O(n·m·d) per step and factor.
    """
    theorem = gd_theorem_8_1(net, X, y, alpha, theta)
    record_every = check_positive_int(record_every, "record_every")
    factors = check_positive_array(factors, "factors")
    n_steps = check_positive_int(n_steps, "n_steps")
    if 2 * n_steps * factors.size > MAX_STEPS:
        raise ValueError(
            f"n_steps = {n_steps} for {factors.size} step sizes on both models is "
            f"{2 * n_steps * factors.size} steps, too many (at most {MAX_STEPS} in all)"
        )
    if np.any(factors > MAX_FACTOR):
        raise ValueError(f"factors must be <= {MAX_FACTOR:g} (multiples of eta_c; far above it runs blow up)")
    nl = step_size_edge(net, X, y, alpha, factors, n_steps, linearized=False, record_every=record_every)
    lin = step_size_edge(net, X, y, alpha, factors, n_steps, linearized=True, record_every=record_every)
    eta_c = nl.eta_c
    steps, sharpness, bound, below = [], [], [], []
    for f, run in zip(nl.factors, nl.runs, strict=True):
        eta = float(f * eta_c)
        k = np.rint(run.t / eta)
        lam = kernel_spectra(net, X, run.stored_weights())[:, -1]
        formula = theorem.risk_bound(eta, k)
        steps.append(k)
        sharpness.append(eta * alpha**2 * lam)
        bound.append(formula)
        below.append(bool(np.all(run.risk <= formula * (1 + 1e-9))) and not run.diverged)
    th = theorem.flow
    c = (1.0 - theorem.theta) * th.sigma_min**2 / (2.0 * th.sigma_max**2)
    return StepSizeScan(
        theorem=theorem,
        eta_c=eta_c,
        network=nl,
        linearized=lin,
        steps=steps,
        sharpness=sharpness,
        bound=bound,
        below_bound=np.array(below, dtype=bool),
        crossover=float(2.0 / (2.0 + c)),
    )
