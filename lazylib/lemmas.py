"""Numerics behind the proof of Theorem 8.1: Lemma 8.1 (risk decay), Lemma 8.2 (staying in a
ball) and the eigenvalue analysis of Lemma 8.3 (Telgarsky §8.1; slides "Rapid decay of risk",
"Trajectory stays within the ball", "Eigenvalue analysis").

* :class:`PDFamily` / :func:`random_pd_family` — smooth time-varying symmetric positive-definite
  matrices ``Q(t)`` whose smallest eigenvalue is *exactly* a prescribed ``λ`` at every time, so
  that ``λ = inf_t λ_min(Q(t))`` is known in closed form.
* :func:`preconditioned_flow` — the flow ``ż = −Q(t)(z − y)`` of Lemma 8.1, integrated with
  :func:`scipy.integrate.solve_ivp` at tight tolerances.
* :func:`~lazylib.theory.kernel_spectra`, :func:`jacobian_drift`, :func:`relative_kernel_change`,
  :func:`kernel_change_vs_alpha` — the tangent kernel ``J_t J_tᵀ`` along a trajectory ``w(t)``,
  through the structured Gram :meth:`~lazylib.models.ShallowNet.ntk` (J never formed).
* :func:`principal_directions`, :func:`exit_time` — pictures and the exit-time argument of the
  slide "Proof plan".
* :func:`smooth_problem` — the small smooth regression problem these sections share.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ._checks import (
    as_array,
    as_weights,
    check_choice,
    check_finite_scalar,
    check_instance,
    check_positive,
    check_positive_array,
    check_positive_int,
    check_times,
    check_tolerance,
    finite_result,
    make_rng,
    quiet_overflow,
)
from ._types import Array, BoolArray, Seed
from .data import sphere
from .flows import Trajectory, check_stiffness, flow_pair, gradient_flow, solve_bounded
from .models import ShallowNet
from .theory import (
    Theorem81,
    jacobian_difference_norm,
    jacobian_singular_values,
    kernel_spectra,
    lemma_8_1_bound,
    lemma_8_2_radius,
    risk,
    theorem_8_1,
)

__all__ = [
    "FamilyRisk",
    "FlowRiskCheck",
    "KernelChange",
    "KernelPath",
    "KernelSpectrumChange",
    "Lemma82Sweep",
    "PDFamily",
    "ProjectedPaths",
    "exit_time",
    "family_risk",
    "flow_risk_check",
    "jacobian_drift",
    "kernel_change_vs_alpha",
    "kernel_path",
    "kernel_spectra",
    "kernel_spectrum_change",
    "lemma_8_2_path_bound",
    "lemma_8_2_sweep",
    "preconditioned_flow",
    "principal_directions",
    "projected_paths",
    "random_pd_family",
    "relative_kernel_change",
    "smooth_problem",
]


PD_KINDS = ("gram", "rotating", "identity")


# ---------------------------------------------------------------------------- Lemma 8.1
@dataclass(frozen=True)
class PDFamily:
    """A smooth family ``t ↦ Q(t)`` of symmetric positive-definite ``n×n`` matrices.

    Three kinds, each with ``λ_min(Q(t)) = lam`` for every ``t`` (so ``inf_t λ_min = lam``):

    * ``"gram"``: ``Q(t) = λ I + A(t) A(t)ᵀ`` with ``A(t) = A₀ cos(ωt) + A₁ sin(ωt)``,
      ``A₀, A₁ ∈ R^{n×k}``, ``k < n`` (so ``A Aᵀ`` is singular and ``λ_min = λ`` exactly);
    * ``"rotating"``: ``Q(t) = R(t) diag(μ) R(t)ᵀ`` with ``R(t) = exp(tΩ)`` for a skew ``Ω`` and
      ``μ₁ = λ ≤ μ₂ ≤ … ≤ μ_n`` (a rotating eigenbasis, fixed spectrum);
    * ``"identity"``: ``Q ≡ λ I``, the equality case of Lemma 8.1.

    Build one with :func:`random_pd_family`. Calling the family at a time returns ``Q(t)``.

    Attributes
    ----------
    kind : str
        ``"gram"``, ``"rotating"`` or ``"identity"``.
    lam : float
        The exact value of ``λ_min(Q(t))`` (for all t).
    mats : tuple of ndarray
        The kind's data: ``(A₀, A₁)``; ``(U, θ, μ)`` with ``Ω = U diag(iθ) Uᴴ``; or ``()``.
    omega : float
        Angular frequency of the ``"gram"`` kind (``Ω`` already carries it for ``"rotating"``).
    n : int
        Size of ``Q``.
    """

    kind: str
    lam: float
    mats: tuple[Array, ...]
    omega: float
    n: int

    def __post_init__(self) -> None:
        check_choice(self.kind, "kind", PD_KINDS)
        object.__setattr__(self, "lam", check_positive(self.lam, "lam"))
        object.__setattr__(self, "omega", check_positive(self.omega, "omega"))
        object.__setattr__(self, "n", check_positive_int(self.n, "n"))
        want = {"identity": 0, "gram": 2, "rotating": 3}[self.kind]
        if not isinstance(self.mats, tuple) or len(self.mats) != want:
            raise ValueError(f"mats must be a tuple of {want} arrays for kind={self.kind!r}")
        if self.kind == "rotating" and not np.min(self.mats[2]) >= self.lam:
            raise ValueError("mats: the spectrum mu of kind 'rotating' must be >= lam")

    def __call__(self, t: float) -> Array:
        """``Q(t)``, shape ``(n, n)``. Cost O(n²k) (gram) or O(n³) (rotating)."""
        t = check_finite_scalar(t, "t")
        if self.kind == "identity":
            return self.lam * np.eye(self.n)
        if self.kind == "gram":
            A0, A1 = self.mats
            A = A0 * np.cos(self.omega * t) + A1 * np.sin(self.omega * t)
            return np.asarray(self.lam * np.eye(self.n) + A @ A.T, dtype=np.float64)
        U, theta, mu = self.mats
        R = ((U * np.exp(1j * theta * t)) @ U.conj().T).real  # exp(tΩ), orthogonal
        return np.asarray((R * mu) @ R.T, dtype=np.float64)

    def spectrum(self, t: ArrayLike) -> Array:
        """The eigenvalues of ``Q(t)`` computed numerically at each time, ascending, shape ``(T, n)``."""
        t = np.atleast_1d(as_array(t, "t"))
        return np.array([np.linalg.eigvalsh(self(float(s))) for s in t]).reshape(t.size, self.n)

    def lambda_min(self, t: ArrayLike) -> Array:
        """``λ_min(Q(t))`` computed numerically at each time (a check of ``lam``), shape ``t.shape``."""
        return self.spectrum(t)[:, 0]


def random_pd_family(
    n: int,
    lam: float,
    kind: str = "gram",
    rng: Seed = None,
    omega: float = 1.0,
    spread: float = 2.0,
) -> PDFamily:
    """A random smooth positive-definite family with ``λ_min(Q(t)) = lam`` at every time.

    Parameters
    ----------
    n : int
        Size of ``Q`` (n ≥ 2 for the ``"gram"`` and ``"rotating"`` kinds).
    lam : float
        The exact smallest eigenvalue, > 0.
    kind : {"gram", "rotating", "identity"}
        See :class:`PDFamily`.
    rng : numpy.random.Generator or int, optional
        Source of randomness.
    omega : float
        Speed of variation (angular frequency), > 0.
    spread : float
        Size of the part above ``λ``: the eigenvalues lie in about ``[λ, λ + spread]``, > 0.

    Notes
    -----
    Used in the Lemma 8.1 section to test ``R(z(t)) ≤ R(z(0)) e^{−2λt}`` on flows that are not
    gradient flows of a network.
    """
    n = check_positive_int(n, "n")
    lam = check_positive(lam, "lam")
    omega = check_positive(omega, "omega")
    spread = check_positive(spread, "spread")
    kind = check_choice(kind, "kind", PD_KINDS)
    if kind != "identity" and n < 2:
        raise ValueError(f"n must be >= 2 for kind={kind!r}, got {n}")
    rng = make_rng(rng)
    if kind == "identity":
        return PDFamily(kind=kind, lam=lam, mats=(), omega=omega, n=n)
    if kind == "gram":
        k = n - 1
        A0, A1 = rng.standard_normal((2, n, k)) * np.sqrt(spread / (2 * k))
        return PDFamily(kind=kind, lam=lam, mats=(A0, A1), omega=omega, n=n)
    G = rng.standard_normal((n, n))
    skew = omega * (G - G.T) / 2
    # A real skew matrix is normal: Ω = U diag(iθ) Uᴴ with U unitary (eig of the Hermitian iΩ).
    theta, U = np.linalg.eigh(-1j * skew)
    mu = lam + spread * np.sort(rng.uniform(size=n))
    mu[0] = lam
    return PDFamily(kind=kind, lam=lam, mats=(U, theta, mu), omega=omega, n=n)


def preconditioned_flow(
    Q: PDFamily,
    z0: ArrayLike,
    y: ArrayLike,
    t_eval: ArrayLike,
    *,
    rtol: float = 1e-11,
    atol: float = 1e-13,
) -> Array:
    """Solve Lemma 8.1's flow ``ż = −Q(t) ∇R(z) = −Q(t)(z − y)``, ``R(z) = ½‖z − y‖²``.

    Parameters
    ----------
    Q : PDFamily (or any callable ``t ↦ (n, n)`` array)
        The time-varying preconditioner.
    z0, y : array_like, shape (n,)
        Start and target.
    t_eval : array_like, shape (T,)
        Non-negative increasing report times (starting at 0 is customary).
    rtol, atol : float
        Tolerances of ``solve_ivp`` (method DOP853, 8th order), tight by default so that the
        equality case ``Q ≡ λI`` reproduces ``e^{−2λt}`` to about 1e-10 relative.

    Returns
    -------
    ndarray, shape (T, n)
        ``z(t)`` at the requested times.
    """
    z0 = as_array(z0, "z0", ndim=1)
    n = z0.shape[0]
    y = as_array(y, "y", shape=(n,))
    t = check_times(t_eval, "t_eval")
    rtol = check_tolerance(rtol, "rtol")
    atol = check_positive(atol, "atol")
    if not callable(Q):
        raise TypeError(f"Q must be a PDFamily or a callable t -> (n, n) array, got {type(Q).__name__}")
    Q0 = as_array(Q(0.0), "Q(0)")
    if Q0.shape != (n, n):
        raise ValueError(f"Q(t) must have shape ({n}, {n}) to match z0, got {Q0.shape}")
    # Stiffness ‖Q‖₂·t_end bounds the explicit solver's work; solve on the distinct times, map back
    # (t_eval may repeat a time or be [0] alone).
    check_stiffness(float(np.linalg.norm(Q0, 2)) * float(t[-1]), "t_eval", "||Q(0)||_2 * t")
    t_unique, where = np.unique(t, return_inverse=True)
    if t_unique[-1] == 0:
        return np.repeat(z0[None, :], t.size, axis=0)
    states, _ = solve_bounded(
        lambda s, z: -np.asarray(Q(s)) @ (z - y),
        float(t_unique[-1]),
        z0,
        t_unique,
        float(np.linalg.norm(Q0, 2)) * float(t[-1]),
        method="DOP853",
        rtol=rtol,
        atol=atol,
    )
    return finite_result(states[where], "z(t)")


# ---------------------------------------------------------------------------- kernel along a path
def _check_conditioning(net: ShallowNet, X: Array, horizon: float, name: str) -> None:
    """Refuse a flow over ``horizon`` slowest time scales that an explicit solver cannot finish:
    its step is capped by the fastest scale, so it needs about ``κ(J₀J₀ᵀ)·horizon`` steps, and
    nearly duplicate inputs make ``κ`` huge (points 1e-4 apart: ``κ ≈ 1e9``)."""
    eig = np.linalg.eigvalsh(net.ntk(X))
    kappa = float(eig[-1] / eig[0]) if eig[0] > 0 else np.inf
    check_stiffness(kappa * horizon, name, "kappa(J0 J0^T) * horizon (nearly duplicate inputs?)")


def jacobian_drift(net: ShallowNet, X: ArrayLike, weights: ArrayLike) -> Array:
    """``‖J_t − J₀‖₂`` along a trajectory (``J₀`` at ``net``'s weights), shape ``(T,)``.

    Via :func:`~lazylib.theory.jacobian_difference_norm` (an n×n eigenproblem per time, J never
    formed). By Weyl's inequality ``|σ_i(J_t) − σ_i(J₀)| ≤ ‖J_t − J₀‖₂ ≤ β‖w(t) − w₀‖``, the two
    steps of the proof of Lemma 8.3.
    """
    net = check_instance(net, ShallowNet, "net")
    X = net.check_inputs(X)
    W = net.check_weight_path(weights)
    return np.array([jacobian_difference_norm(net, w, net.W, X) for w in W])


@dataclass(frozen=True)
class KernelPath:
    """The tangent kernel ``J_t J_tᵀ`` along one gradient-flow run ``w(t)`` (see :func:`kernel_path`).

    Attributes
    ----------
    alpha : float
        The scale.
    tau : ndarray, shape (T,)
        The lazy clock ``τ = α² t`` at the stored times (``σ_min² τ = α²σ_min² t`` counts the
        slowest time constants of the linearized flow).
    trajectory : Trajectory
        The run itself (weights stored).
    spectra : ndarray, shape (T, n)
        Ascending eigenvalues of ``J_t J_tᵀ`` (no α²).
    drift : ndarray, shape (T,)
        ``‖J_t − J₀‖₂``.
    sigma_min, sigma_max, beta : float
        ``σ_n(J₀)``, ``σ_1(J₀)`` and the case-study Lipschitz bound β.
    ball_radius : float
        ``B = σ_min/(2β)`` of Lemma 8.3.
    """

    alpha: float
    tau: Array
    trajectory: Trajectory
    spectra: Array
    drift: Array
    sigma_min: float
    sigma_max: float
    beta: float
    ball_radius: float

    @property
    def inside(self) -> BoolArray:
        """Mask of the stored times with ``‖w(t) − w₀‖ ≤ B`` (where Lemma 8.3 applies)."""
        return self.trajectory.distance <= self.ball_radius


def kernel_path(
    net: ShallowNet,
    X: ArrayLike,
    y: ArrayLike,
    alpha: float,
    horizon: float = 10.0,
    n_times: int = 101,
    tau: ArrayLike | None = None,
) -> KernelPath:
    """Gradient flow ``w(t)`` at scale α and the spectrum and drift of ``J_t`` along it.

    The run covers ``α²σ_min² t ∈ [0, horizon]`` on ``n_times`` equally spaced times, or the given
    lazy-clock times ``tau`` (``τ = α²t``; non-negative, non-decreasing; then ``horizon`` and
    ``n_times`` are ignored), e.g. a geometric grid that resolves the fast early phase.

    Notes
    -----
    Cost: one ODE solve, then per stored time one structured Gram (spectrum) and one n×n
    eigenproblem for ``‖J_t − J₀‖₂`` (:func:`jacobian_drift`); J is never formed. Section
    "Eigenvalue analysis" (Lemma 8.3).
    """
    net = check_instance(net, ShallowNet, "net")
    X = net.check_inputs(X)
    horizon = check_positive(horizon, "horizon")
    n_times = check_positive_int(n_times, "n_times")
    th = theorem_8_1(net, X, y, alpha)
    if tau is None:
        _check_conditioning(net, X, horizon, "horizon")
        tau = np.linspace(0.0, horizon, n_times) / th.sigma_min**2
    else:
        tau = check_times(tau, "tau")
        _check_conditioning(net, X, float(tau[-1]) * th.sigma_min**2, "tau")
    traj = gradient_flow(net, X, y, th.alpha, tau / th.alpha**2)
    weights = traj.stored_weights()
    return KernelPath(
        alpha=th.alpha,
        tau=tau,
        trajectory=traj,
        spectra=kernel_spectra(net, X, weights),
        drift=jacobian_drift(net, X, weights),
        sigma_min=th.sigma_min,
        sigma_max=th.sigma_max,
        beta=th.beta,
        ball_radius=th.ball_radius,
    )


def relative_kernel_change(net: ShallowNet, X: ArrayLike, weights: ArrayLike) -> float:
    """``‖K_T − K₀‖_F / ‖K₀‖_F`` with ``K = J Jᵀ`` at ``net``'s weights and at ``weights`` (m×d).

    The lazy regime seen through the kernel: under the centring trick it decays like ``1/α``
    (Chizat & Bach 2019, Thm 2.4). Cost: two structured Grams, O(n²m + nmd).
    """
    net = check_instance(net, ShallowNet, "net")
    X = net.check_inputs(X)
    W = as_weights(weights, "weights", (net.m, net.d))
    K0 = net.ntk(X)
    norm0 = float(np.linalg.norm(K0))
    if norm0 == 0:
        raise ValueError("J0 J0^T is zero on X (zero inputs?): no relative kernel change")
    KT = net.with_weights(W).ntk(X)
    return float(np.linalg.norm(KT - K0) / norm0)


@dataclass(frozen=True)
class KernelChange:
    """Result of :func:`kernel_change_vs_alpha`, one entry per scale.

    Attributes
    ----------
    alphas : ndarray, shape (A,)
        The scales α.
    relative_change : ndarray, shape (A,)
        ``‖K_T − K₀‖_F / ‖K₀‖_F`` at the end of training.
    distance : ndarray, shape (A,)
        ``‖w(T) − w₀‖``.
    final_risk : ndarray, shape (A,)
        ``R(αf(w(T)))``.
    horizon : float
        ``T · α² σ_min²``, the training time in units of the linearized slowest time scale.
    """

    alphas: Array
    relative_change: Array
    distance: Array
    final_risk: Array
    horizon: float


@quiet_overflow
def kernel_change_vs_alpha(
    net: ShallowNet,
    X: ArrayLike,
    y: ArrayLike,
    alphas: Sequence[float] | ArrayLike,
    horizon: float = 10.0,
    subtract_initial: bool = False,
) -> KernelChange:
    """Train ``w(t)`` by gradient flow at each scale α and measure how much the kernel moved.

    Each run lasts ``T = horizon / (α² σ_min²)`` (σ_min of ``J₀``), i.e. the same number of
    slowest linear time scales whatever α, so the runs are comparable.

    Parameters
    ----------
    net : ShallowNet
        Initialization (use ``symmetric=True`` so that ``R₀ = ½‖y‖²`` does not grow with α).
    X, y : array_like, shapes (n, d) and (n,)
        Training set.
    alphas : sequence of float
        Scales, each > 0.
    horizon : float
        Training time in units of ``1/(α² σ_min²)``, > 0.
    subtract_initial : bool
        Train the centred model ``α(f(w) − f(w₀))`` instead of ``αf(w)`` (Chizat & Bach's other way
        to get ``h(w₀) = 0``): the same flow with targets ``y + αf(w₀)``. A no-op for a
        ``symmetric=True`` network, whose ``f(w₀)`` is 0.

    Returns
    -------
    KernelChange

    Notes
    -----
    One :func:`~lazylib.flows.gradient_flow` ODE solve per α (cost independent of α, since time
    is rescaled). Section "Eigenvalue analysis". With either centring the weights move
    ``O(1/α)``, so the kernel moves ``O(1/α)`` in general; under the doubling trick the
    first-order changes of the two neurons of a pair cancel in ``J Jᵀ`` and it moves ``O(1/α²)``.
    """
    net = check_instance(net, ShallowNet, "net")
    X = net.check_inputs(X)
    alphas = check_positive_array(alphas, "alphas")
    horizon = check_positive(horizon, "horizon")
    y = as_array(y, "y", shape=(X.shape[0],))
    sigma_min, _ = jacobian_singular_values(net, X)
    _check_conditioning(net, X, horizon, "horizon")
    f0 = net(X)
    changes, dists, risks = [], [], []
    for alpha in alphas:
        T = horizon / (alpha**2 * sigma_min**2)
        if not (np.isfinite(T) and T > 0):
            raise ValueError(f"alpha = {alpha:g} is out of range: the run time is {T:g}")
        targets = y + alpha * f0 if subtract_initial else y
        traj = gradient_flow(net, X, targets, float(alpha), np.array([0.0, T]))
        changes.append(relative_kernel_change(net, X, traj.stored_weights()[-1]))
        dists.append(traj.distance[-1])
        risks.append(traj.risk[-1])
    return KernelChange(
        alphas=alphas,
        relative_change=np.array(changes),
        distance=np.array(dists),
        final_risk=np.array(risks),
        horizon=horizon,
    )


# ---------------------------------------------------------------------------- Lemma 8.2
def lemma_8_2_path_bound(lam: float, lam1: float, risk0: float, t: ArrayLike) -> Array:
    """Time-dependent form of Lemma 8.2: ``‖v(t) − v(0)‖ ≤ √λ₁ ‖g(v₀) − y‖ (1 − e^{−λt})/λ``.

    The proof of Lemma 8.2 integrates ``√λ₁ ‖g(v₀) − y‖ e^{−λs}`` over ``[0, t]``; the lecture's
    radius :func:`~lazylib.theory.lemma_8_2_radius` is its limit ``t → ∞``. Shape ``t.shape``.
    """
    radius = lemma_8_2_radius(lam, lam1, risk0)
    t = as_array(t, "t")
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    with np.errstate(over="ignore"):  # expm1(−∞) = −1: the bound is the radius
        return np.asarray(radius * -np.expm1(-lam * t), dtype=np.float64)


@dataclass(frozen=True)
class Lemma82Sweep:
    """Distances travelled by ``w(t)`` and ``u(t)`` against Lemma 8.2, one entry per scale α.

    Attributes
    ----------
    alphas : ndarray, shape (A,)
        Scales.
    distance_w, distance_u : ndarray, shape (A,)
        ``max_t ‖w(t) − w₀‖`` and ``max_t ‖u(t) − u₀‖`` over the run.
    radius_w : ndarray, shape (A,)
        Lemma 8.2 for ``w`` with ``λ, λ₁`` the min/max eigenvalue of ``α² J_t J_tᵀ`` measured at the
        stored times of the path.
    radius_u : ndarray, shape (A,)
        Lemma 8.2 for ``u``: ``λ = α²σ_min²``, ``λ₁ = α²σ_max²``, i.e. ``√(2σ_max²R₀)/(ασ_min²)``.
    path_ratio_w, path_ratio_u : ndarray, shape (A,)
        ``max_{t>0}`` of distance over the time-dependent bound :func:`lemma_8_2_path_bound`
        (≤ 1 is Lemma 8.2 at every stored time).
    theorem_radius : ndarray, shape (A,)
        Theorem 8.1's ``√(72σ_max²R₀)/(ασ_min²)``.
    ball_radius : float
        ``B = σ_min/(2β)`` (independent of α).
    alpha_min : float
        Theorem 8.1's threshold (independent of α under the centring trick).
    exit_time : ndarray, shape (A,)
        First stored time with ``‖w(t) − w₀‖ > B``, in units of ``1/(α²σ_min²)`` (``inf``: never):
        exactly a value of the grid ``linspace(0, horizon, n_times)``.
    """

    alphas: Array
    distance_w: Array
    distance_u: Array
    radius_w: Array
    radius_u: Array
    path_ratio_w: Array
    path_ratio_u: Array
    theorem_radius: Array
    ball_radius: float
    alpha_min: float
    exit_time: Array


def lemma_8_2_sweep(
    net: ShallowNet,
    X: ArrayLike,
    y: ArrayLike,
    alphas: Sequence[float] | ArrayLike,
    horizon: float = 10.0,
    n_times: int = 101,
) -> Lemma82Sweep:
    """Run ``w(t)`` (ODE) and ``u(t)`` (closed form) at each α and measure Lemma 8.2's quantities.

    Each run covers ``t ∈ [0, horizon/(α²σ_min²)]`` on ``n_times`` equally spaced times; the
    spectrum of ``α² J_t J_tᵀ`` is measured at those times (:func:`~lazylib.theory.kernel_spectra`).

    Notes
    -----
    Cost per α: one ODE solve plus ``n_times`` structured Grams and n×n eigenproblems.
    Section "Lemma 8.2" (slides "Trajectory stays within the ball", "Proof plan").
    """
    net = check_instance(net, ShallowNet, "net")
    X = net.check_inputs(X)
    alphas = check_positive_array(alphas, "alphas")
    horizon = check_positive(horizon, "horizon")
    n_times = check_positive_int(n_times, "n_times")
    if n_times < 2:
        raise ValueError(f"n_times must be >= 2, got {n_times}")
    tau = np.linspace(0.0, horizon, n_times)
    _check_conditioning(net, X, horizon, "horizon")
    rows = []
    for alpha in alphas:
        th = theorem_8_1(net, X, y, float(alpha))
        t = tau / (alpha**2 * th.sigma_min**2)
        w, u = flow_pair(net, X, y, float(alpha), t)
        spectra = alpha**2 * kernel_spectra(net, X, w.stored_weights())
        lam_w, lam1_w = spectra[:, 0].min(), spectra[:, -1].max()
        lam_u, lam1_u = (alpha * th.sigma_min) ** 2, (alpha * th.sigma_max) ** 2
        bound_w = lemma_8_2_path_bound(lam_w, lam1_w, th.risk0, t[1:])
        bound_u = lemma_8_2_path_bound(lam_u, lam1_u, th.risk0, t[1:])
        exit_t = exit_time(tau, w.distance, th.ball_radius)  # a value of the grid tau, not rescaled back
        rows.append(
            (
                w.distance.max(),
                u.distance.max(),
                lemma_8_2_radius(lam_w, lam1_w, th.risk0),
                lemma_8_2_radius(lam_u, lam1_u, th.risk0),
                np.max(w.distance[1:] / bound_w),
                np.max(u.distance[1:] / bound_u),
                th.radius,
                exit_t,
            )
        )
    cols = np.array(rows).T
    return Lemma82Sweep(
        alphas=alphas,
        distance_w=cols[0],
        distance_u=cols[1],
        radius_w=cols[2],
        radius_u=cols[3],
        path_ratio_w=cols[4],
        path_ratio_u=cols[5],
        theorem_radius=cols[6],
        ball_radius=th.ball_radius,
        alpha_min=th.alpha_min,
        exit_time=cols[7],
    )


# ---------------------------------------------------------------------------- pictures, proof plan
def principal_directions(displacements: Sequence[ArrayLike], k: int = 2) -> Array:
    """Top-``k`` principal directions of trajectories' displacements ``w(t) − w₀``.

    Parameters
    ----------
    displacements : sequence of array_like, each shape (T_i, p) or (T_i, m, d)
        One or several trajectories, measured from the common start ``w₀`` (not mean-centred,
        so that ``w₀`` stays at the origin of the picture).
    k : int
        Number of directions.

    Returns
    -------
    ndarray, shape (k, p)
        Orthonormal rows (right singular vectors of the stacked displacements), each oriented so
        that the first trajectory's last displacement has a non-negative coordinate along it (one
        convention for every picture of the same paths). Projecting on them
        is a contraction, so a projected path inside a circle of radius r is implied by — not a proof
        of — ``‖w(t) − w₀‖ ≤ r``; the distances themselves are asserted separately.
    """
    k = check_positive_int(k, "k")
    if isinstance(displacements, (str, bytes)) or not hasattr(displacements, "__iter__"):
        raise TypeError(f"displacements must be a sequence of arrays, got {type(displacements).__name__}")
    blocks = [as_array(dw, "displacements") for dw in displacements]
    if not blocks:
        raise ValueError("displacements must hold at least one trajectory")
    if any(b.ndim < 2 or b.shape[0] == 0 or b[0].size == 0 for b in blocks):
        raise ValueError("displacements must be arrays of shape (T, p) or (T, m, d) with T >= 1 and p >= 1")
    p = blocks[0][0].size
    flat = [b.reshape(b.shape[0], -1) for b in blocks]
    # checked before concatenating, which would otherwise fail first with NumPy's own message
    if any(f.shape[1] != p for f in flat):
        raise ValueError("displacements must all have the same number of parameters")
    D = np.concatenate(flat)
    if k > min(D.shape):
        raise ValueError(f"k must be <= min(total times, p) = {min(D.shape)}, got {k}")
    _, _, Vt = np.linalg.svd(D, full_matrices=False)
    basis = Vt[:k]
    # a singular vector's sign is arbitrary (it flips with the time grid or the BLAS): orient each
    # direction so that the first trajectory ends on its positive side, so every picture of the same
    # paths (page figure, explorer frame) is drawn the same way round
    end = flat[0][-1] @ basis.T
    return basis * np.where(end < 0, -1.0, 1.0)[:, None]


def exit_time(t: ArrayLike, distance: ArrayLike, radius: float) -> float:
    """First stored time with ``‖w(t) − w₀‖ > radius`` (``inf`` if the path never leaves).

    The discrete counterpart of ``T = inf{t ≥ 0 : ‖w(t) − w(0)‖ > B}`` of the slide "Proof plan";
    exact up to the time grid.
    """
    t = as_array(t, "t", ndim=1)
    distance = as_array(distance, "distance", shape=t.shape)
    radius = check_positive(radius, "radius")
    outside = np.flatnonzero(distance > radius)
    return float(t[outside[0]]) if outside.size else float("inf")


def smooth_problem(
    n: int = 12,
    d: int = 5,
    m: int = 100,
    activation: str = "tanh",
    rng: Seed = 0,
    *,
    seed: int | None = None,
) -> tuple[ShallowNet, Array, Array]:
    """The small smooth regression problem of the proof sections (Lemmas 8.1–8.3).

    Inputs uniform on the unit sphere of ``R^d``, targets ``y = sin(3 x₁) + x₂/2``, and a centred
    (``symmetric=True``) network of width ``m``, so that ``f(w₀) ≡ 0`` and ``R₀ = ½‖y‖²`` for every α.
    ``rng`` seeds both (an int, or a Generator); ``seed=`` is the older spelling of ``rng=``, still
    accepted (the same int gives the same problem under either name).

    Returns
    -------
    (net, X, y) : ShallowNet, ndarray (n, d), ndarray (n,)
    """
    n = check_positive_int(n, "n")
    d = check_positive_int(d, "d")
    m = check_positive_int(m, "m")
    if d < 2:
        raise ValueError(f"d must be >= 2 (the targets use two coordinates), got {d}")
    if seed is not None:
        if not (isinstance(rng, int) and rng == 0):
            raise ValueError("give the seed as rng= or as seed=, not both")
        rng = seed
    rng = make_rng(rng, "seed" if seed is not None else "rng")
    X = sphere(n, d, rng)
    y = np.sin(3 * X[:, 0]) + 0.5 * X[:, 1]
    return ShallowNet.random(m, d, activation, rng, symmetric=True), X, y


# ----------------------------------------------------------------- results the pages draw
@dataclass(frozen=True, kw_only=True)
class FamilyRisk:
    """Lemma 8.1 on one family ``Q(t)``: the risk of ``ż = −Q(t)(z − y)`` and its bound
    (see :func:`family_risk`).

    Attributes
    ----------
    name : str
        Label of the family (the legend entry).
    lam : float
        ``inf_t λ_min(Q(t))``, the lemma's λ.
    t : ndarray, shape (T,)
        Times.
    risk : ndarray, shape (T,)
        ``R(z(t)) = ½‖z(t) − y‖²``.
    bound : ndarray, shape (T,)
        Lemma 8.1's ``R(z(0)) e^{−2λt}``.
    spectrum : ndarray, shape (T, n)
        The eigenvalues of ``Q(t)`` at the times ``t``, ascending (:meth:`PDFamily.spectrum`).
    """

    name: str
    lam: float
    t: Array
    risk: Array
    bound: Array
    spectrum: Array


def family_risk(
    Q: PDFamily,
    z0: ArrayLike,
    y: ArrayLike,
    t_eval: ArrayLike,
    *,
    name: str = "",
    rtol: float = 1e-11,
    atol: float = 1e-13,
) -> FamilyRisk:
    """Solve Lemma 8.1's flow for the family ``Q`` (:func:`preconditioned_flow`, same tolerances)
    and return its risk beside the bound ``R(z(0)) e^{−2λt}`` with ``λ = Q.lam``, and the spectrum
    of ``Q(t)`` at the same times."""
    Q = check_instance(Q, PDFamily, "Q")
    t = check_times(t_eval, "t_eval")
    R = risk(preconditioned_flow(Q, z0, y, t, rtol=rtol, atol=atol), y)
    return FamilyRisk(
        name=str(name),
        lam=Q.lam,
        t=t,
        risk=R,
        bound=lemma_8_1_bound(R[0], Q.lam, t),
        spectrum=Q.spectrum(t),
    )


@dataclass(frozen=True, kw_only=True)
class FlowRiskCheck:
    """Lemma 8.1 along the network's flow ``w(t)`` at one α, with the λ measured along the path
    (see :func:`flow_risk_check`).

    Attributes
    ----------
    alpha : float
        The scale.
    smin2_tau : ndarray, shape (T,)
        The rescaled time ``α²σ_min²t`` of the stored times.
    trajectory : Trajectory
        The run ``w(t)`` (weights stored).
    theorem : Theorem81
        Theorem 8.1's constants at this α (``risk0``, ``sigma_min``, ``applies``, ...).
    lam : float
        ``α² min_t λ_min(J_tJ_tᵀ)`` along the run: Lemma 8.1's λ for this path.
    bound : ndarray, shape (T,)
        Lemma 8.1's ``R₀ e^{−2λt}`` with that λ.
    """

    alpha: float
    smin2_tau: Array
    trajectory: Trajectory
    theorem: Theorem81
    lam: float
    bound: Array

    @property
    def risk_ratio(self) -> Array:
        """``R(w(t))/R₀``."""
        return self.trajectory.risk / self.theorem.risk0

    @property
    def bound_ratio(self) -> Array:
        """Lemma 8.1's bound over ``R₀``: ``e^{−2λt}``."""
        return self.bound / self.theorem.risk0

    @property
    def lam_drop(self) -> float:
        """``1 − λ/(α²σ_min²)``: how far the kernel's floor fell below its value at ``w₀``."""
        return float(1 - self.lam / (self.alpha * self.theorem.sigma_min) ** 2)


def flow_risk_check(
    net: ShallowNet, X: ArrayLike, y: ArrayLike, alpha: float, smin2_tau: ArrayLike
) -> FlowRiskCheck:
    """Run ``w(t)`` at α on the rescaled times ``smin2_tau = α²σ_min²t`` and measure Lemma 8.1's
    λ along it (:func:`~lazylib.theory.kernel_spectra` at every stored weight)."""
    th = theorem_8_1(net, X, y, alpha)
    alpha = th.alpha
    smin2_tau = check_times(smin2_tau, "smin2_tau")
    t_w = smin2_tau / (alpha**2 * th.sigma_min**2)
    traj = gradient_flow(net, X, y, alpha, t_w)
    lam_w = alpha**2 * kernel_spectra(net, X, traj.stored_weights())[:, 0].min()
    bound_w = lemma_8_1_bound(th.risk0, lam_w, t_w)
    return FlowRiskCheck(
        alpha=alpha, smin2_tau=smin2_tau, trajectory=traj, theorem=th, lam=float(lam_w), bound=bound_w
    )


@dataclass(frozen=True, kw_only=True)
class ProjectedPaths:
    """``w(t) − w₀`` and ``u(t) − w₀`` in their top two principal directions, with the ball B and
    the theorem's radius (see :func:`projected_paths`).

    Attributes
    ----------
    alpha : float
        The scale.
    smin2_tau : ndarray, shape (T,)
        The rescaled time ``α²σ_min²t`` of the stored times.
    nonlinear, linearized : Trajectory
        The runs ``w(t)`` and ``u(t)`` (weights stored).
    w_coords, u_coords : ndarray, shape (T, 2)
        Their displacements from ``w₀`` in the top two principal directions of both together.
    path_gap : ndarray, shape (T,)
        ``‖w(t) − u(t)‖``.
    ball_radius : float
        ``B = σ_min/(2β)``.
    theorem_radius : float
        Theorem 8.1's radius at this α.
    applies : bool
        Whether α ≥ α_min (Theorem 8.1 applies).
    """

    alpha: float
    smin2_tau: Array
    nonlinear: Trajectory
    linearized: Trajectory
    w_coords: Array
    u_coords: Array
    path_gap: Array
    ball_radius: float
    theorem_radius: float
    applies: bool

    @property
    def distance(self) -> Array:
        """``‖w(t) − w₀‖`` (the full distance, not only its projection)."""
        return self.nonlinear.distance


def projected_paths(
    net: ShallowNet, X: ArrayLike, y: ArrayLike, alpha: float, smin2_tau: ArrayLike
) -> ProjectedPaths:
    """Both flows at α on the rescaled times ``smin2_tau = α²σ_min²t``, projected on the top two
    principal directions of their displacements (:func:`principal_directions`)."""
    th = theorem_8_1(net, X, y, alpha)
    alpha = th.alpha
    smin2_tau = check_times(smin2_tau, "smin2_tau")
    t = smin2_tau / (alpha * th.sigma_min) ** 2
    w = gradient_flow(net, X, y, alpha, t)
    u = gradient_flow(net, X, y, alpha, t, linearized=True)
    dw = (w.stored_weights() - net.W).reshape(len(t), -1)
    du = (u.stored_weights() - net.W).reshape(len(t), -1)
    basis = principal_directions([dw, du], k=2)
    return ProjectedPaths(
        alpha=alpha,
        smin2_tau=smin2_tau,
        nonlinear=w,
        linearized=u,
        w_coords=dw @ basis.T,
        u_coords=du @ basis.T,
        path_gap=np.linalg.norm(dw - du, axis=1),
        ball_radius=th.ball_radius,
        theorem_radius=th.radius,
        applies=th.applies,
    )


@dataclass(frozen=True, kw_only=True)
class KernelSpectrumChange:
    """The spectrum of the tangent kernel before and after one run (see :func:`kernel_spectrum_change`).

    Attributes
    ----------
    alpha : float
        The scale of the run.
    initial, final : ndarray, shape (n,)
        Eigenvalues of ``K₀ = J₀J₀ᵀ`` and of ``K_T = J_TJ_Tᵀ`` at the run's last weights, descending.
    operator_change : float
        ``‖K_T − K₀‖₂``, which bounds every eigenvalue's shift (Weyl).
    """

    alpha: float
    initial: Array
    final: Array
    operator_change: float

    @property
    def max_shift(self) -> float:
        """``max_k |λ_k(K_T) − λ_k(K₀)|``."""
        return float(np.max(np.abs(self.final - self.initial)))


def kernel_spectrum_change(net: ShallowNet, X: ArrayLike, path: KernelPath) -> KernelSpectrumChange:
    """Eigenvalues of ``J J ᵀ`` at ``w₀`` and at the last weights of ``path`` (:func:`kernel_path`)."""
    net = check_instance(net, ShallowNet, "net")
    path = check_instance(path, KernelPath, "path")
    K0 = net.ntk(X)
    KT = net.with_weights(path.trajectory.stored_weights()[-1]).ntk(X)
    return KernelSpectrumChange(
        alpha=path.alpha,
        initial=np.asarray(np.linalg.eigvalsh(K0)[::-1], dtype=np.float64),
        final=np.asarray(np.linalg.eigvalsh(KT)[::-1], dtype=np.float64),
        operator_change=float(np.linalg.norm(KT - K0, 2)),
    )
