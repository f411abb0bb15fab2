"""Lazy versus active training: the numerics behind Chizat & Bach's experiments.

Section "Lazy vs active training" (``notebooks/08_lazy_vs_active.ipynb``, beyond the slides). Four jobs:

* **Clocks.** :func:`paper_gradient_flow` integrates the flow of Chizat & Bach's objective
  ``R(αf)/α²``, ``ẇ = −(1/α) J_wᵀ(αf(w) − y)``, independently of :func:`lazylib.flows.gradient_flow`
  (the slides' ``R(αf)``, ``ẇ = −α J_wᵀ(αf(w) − y)``); the two paths agree after ``t ↦ t/α²``.
* **Two-layer ReLU networks with both layers trained** (:class:`ReLUNets`), a whole batch of them
  at once: ``h(x) = Σ_j b_j relu(a_jᵀx)``, parameters ``w = (a_j, b_j)_j`` with i.i.d. ``N(0, ν²)``
  entries, trained by full-batch gradient descent on ``R(h) = ½‖h(X) − y‖²``
  (:func:`train_relu_nets`). The model is 2-homogeneous, ``h(ν w̄) = ν² h(w̄)``, so the
  initial scale ν plays the part of ``α = ν²``. :func:`neuron_trajectories` (their Fig. 1a–b) and
  :func:`scale_sweep` (their Fig. 1c, smaller) are built on it; :func:`lazy_limit_test_loss` is the
  ν → ∞ limit (gradient descent on the linearized model, in closed form).
* **Centring.** :func:`centring_sweep`: weight movement and the gap between the nonlinear and the
  linearized predictions against α, for the symmetric ("doubling") initialization and for the
  model with its initial output subtracted.
* **Step size.** :func:`critical_step` and :func:`step_size_edge`: gradient descent converges on
  the linearized model iff ``η < 2/(α² λ_max(J₀J₀ᵀ))`` (page 10, :mod:`lazylib.discrete_time`,
  runs them around that edge).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ._checks import (
    as_array,
    check_allocation,
    check_choice,
    check_flag,
    check_instance,
    check_nonnegative,
    check_positive,
    check_positive_array,
    check_positive_int,
    check_times,
    check_tolerance,
    finite_result,
    make_rng,
)
from ._types import Array, BoolArray
from .data import TeacherStudent
from .flows import (
    DIVERGENCE_FACTOR,
    MAX_ROUNDOFF,
    MAX_STEPS,
    Trajectory,
    check_flow_cost,
    flow_pair,
    gradient_descent,
    gradient_flow,
    solve_bounded,
)
from .models import ShallowNet
from .theory import residual_risk, risk

__all__ = [
    "CentringSweep",
    "Clocks",
    "LazyLimit",
    "NeuronTrajectories",
    "ReLUNets",
    "ReLUTraining",
    "ScaleSweep",
    "StepSizeEdge",
    "centring_sweep",
    "chizat_bach_threshold",
    "compare_clocks",
    "critical_step",
    "lazy_limit",
    "lazy_limit_test_loss",
    "neuron_trajectories",
    "paper_gradient_flow",
    "relu_step_sizes",
    "scale_sweep",
    "signs_unchanged",
    "step_size_edge",
    "teacher_alignment",
    "train_relu_nets",
]


@contextmanager
def _single_threaded_blas() -> Iterator[None]:
    """Run BLAS on one thread: the products here are small (≈ 200×20×60), and on a shared
    2-core machine OpenBLAS threads cost more than they save.
    A no-op when ``threadpoolctl`` is not installed."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - optional
        yield
        return
    with threadpool_limits(limits=1, user_api="blas"):
        yield


# ---------------------------------------------------------------------------------------------- clocks
def paper_gradient_flow(
    net: ShallowNet,
    X: ArrayLike,
    y: ArrayLike,
    alpha: float,
    t_eval: ArrayLike,
    *,
    rtol: float = 1e-10,
    atol: float = 1e-14,
) -> Trajectory:
    """Gradient flow of Chizat & Bach's objective ``R(αf)/α² = ½‖y − αf(w)‖²/α²``.

    ``ẇ = −(1/α) J_wᵀ (αf(w) − y)``, so the predictions obey ``d(αf)/dt = −J_wJ_wᵀ(αf − y)``:
    no α on the right, time comparable across α. The slides' flow (:func:`lazylib.flows.gradient_flow`)
    is ``α²`` times faster: ``w_paper(t) = w_slides(t/α²)``. Integrated here with its own
    ``solve_ivp`` (RK45) on the displacement ``w − w₀``, matrix-free, O(n·m·d) per evaluation, so
    the identity can be checked rather than assumed.

    Parameters
    ----------
    net : ShallowNet
        The network at initialization ``w₀``.
    X, y : array_like, shapes (n, d) and (n,)
        Training data.
    alpha : float
        Scale α > 0.
    t_eval : array_like, shape (T,)
        Non-negative, non-decreasing times (the paper's clock).
    rtol, atol : float
        ``solve_ivp`` tolerances on the displacement.

    Returns
    -------
    Trajectory
        ``predictions`` are ``αf(w(t))``, ``risk`` is ``R(αf)`` (without the 1/α²).
    """
    net = check_instance(net, ShallowNet, "net")
    X = net.check_inputs(X)
    y = as_array(y, "y", shape=(X.shape[0],))
    alpha = check_positive(alpha, "alpha")
    t = check_times(t_eval, "t_eval")
    rtol = check_tolerance(rtol, "rtol")
    atol = check_positive(atol, "atol")
    # The paper's clock is the slides' clock times α²: the same cost check on t/α².
    with np.errstate(over="ignore", under="ignore", divide="ignore"):
        t_slides = float(t[-1] / np.square(np.float64(alpha)))
    stiffness = check_flow_cost(net, X, y, alpha, t_slides, name="t_eval")
    W0 = net.W
    act = net.act
    coeff = net.scale * net.s
    XW0 = X @ W0.T

    def rhs(_: float, delta: Array) -> Array:
        Z = XW0 + X @ delta.reshape(W0.shape).T
        r = alpha * (act.sigma(Z) @ coeff) - y
        G = act.dsigma(Z) * coeff * (-r[:, None] / alpha)
        return (G.T @ X).ravel()

    # solve_ivp wants strictly increasing output times: solve on the distinct ones, map back.
    t_unique, where = np.unique(t, return_inverse=True)
    states, nfev = np.zeros((t_unique.size, net.p)), 0
    if t_unique[-1] > 0:
        states, nfev = solve_bounded(
            rhs, float(t_unique[-1]), np.zeros(net.p), t_unique, stiffness, rtol=rtol, atol=atol
        )
    deltas = states[where]
    preds = np.stack([alpha * net.with_weights(W0.ravel() + dl)(X) for dl in deltas])
    return Trajectory(
        t=t,
        risk=risk(preds, y),
        distance=np.linalg.norm(deltas, axis=1),
        predictions=preds,
        weights=(W0.ravel() + deltas).reshape(len(t), *W0.shape),
        linearized=False,
        method="RK45",
        nfev=nfev,
    )


# ------------------------------------------------------------------------- two-layer ReLU networks
@dataclass(frozen=True)
class ReLUNets:
    """A batch of ``B`` two-layer ReLU networks ``h_k(x) = Σ_j b_{kj} relu(a_{kj}ᵀ x)``.

    Both layers are trainable (``p = m(d + 1)`` parameters per network), as in Chizat & Bach's
    two-layer experiments. Every method is vectorised over the batch.

    Attributes
    ----------
    A : ndarray, shape (B, m, d)
        Inner weights ``a_{kj}``.
    b : ndarray, shape (B, m)
        Output weights ``b_{kj}``.
    """

    A: Array
    b: Array

    def __post_init__(self) -> None:
        A = as_array(self.A, "A", ndim=3)
        if 0 in A.shape:
            raise ValueError(f"A must hold at least one network, of width and dimension >= 1, got {A.shape}")
        b = as_array(self.b, "b", shape=A.shape[:2])
        object.__setattr__(self, "A", A)
        object.__setattr__(self, "b", b)

    @classmethod
    def random(
        cls, m: int, d: int, nus: ArrayLike, seeds: Sequence[int], symmetric: bool = True
    ) -> ReLUNets:
        """Networks for every (ν, seed) pair, ν-major: network ``i·len(seeds) + k`` has scale
        ``nus[i]`` and seed ``seeds[k]``.

        Entries are ``ν·N(0, 1)``; the standard-normal draw depends on the seed only, so all scales
        share it (the init direction ``w̄₀`` is common, only ``ν`` changes). ``symmetric=True`` is
        the doubling trick: ``m/2`` neurons drawn, copied with negated output weights, so
        ``h(·; w₀) ≡ 0``.
        """
        m = check_positive_int(m, "m")
        d = check_positive_int(d, "d")
        nus = check_positive_array(nus, "nus")
        if symmetric and m % 2:
            raise ValueError(f"m must be even for symmetric=True, got {m}")
        seeds = _check_seeds(seeds)
        check_allocation((nus.size, len(seeds), m, d), "nus, seeds, m and d")
        As, bs = [], []
        for seed in seeds:
            rng = make_rng(seed, "seeds")
            if symmetric:
                G = rng.standard_normal((m // 2, d))
                g = rng.standard_normal(m // 2)
                As.append(np.concatenate([G, G]))
                bs.append(np.concatenate([g, -g]))
            else:
                As.append(rng.standard_normal((m, d)))
                bs.append(rng.standard_normal(m))
        if not As:
            raise ValueError("seeds must hold at least one seed")
        A1, b1 = np.stack(As), np.stack(bs)
        return cls(
            (nus[:, None, None, None] * A1[None]).reshape(-1, m, d),
            (nus[:, None, None] * b1[None]).reshape(-1, m),
        )

    @property
    def shape(self) -> tuple[int, int, int]:
        """``(B, m, d)``: batch size, width, input dimension."""
        B, m, d = self.A.shape
        return B, m, d

    def check_inputs(self, X: ArrayLike, name: str = "X") -> Array:
        """Inputs of shape ``(n, d)`` with ``n >= 1``, finite; errors name ``name``."""
        X = as_array(X, name, shape=(None, self.A.shape[2]))
        if X.shape[0] == 0:
            raise ValueError(f"{name} must hold at least one input, got shape {X.shape}")
        return X

    def __call__(self, X: ArrayLike) -> Array:
        """Predictions ``h_k(x_i)``, shape ``(B, n)``. Cost O(B·n·m·d)."""
        X = self.check_inputs(X)
        with np.errstate(over="ignore", invalid="ignore"):
            out = (np.maximum(np.matmul(X, self.A.swapaxes(1, 2)), 0.0) @ self.b[..., None])[..., 0]
        return finite_result(out, "the predictions h(X)")

    def norm(self) -> Array:
        """``‖w_k‖ = (‖A_k‖_F² + ‖b_k‖²)^{1/2}``, shape ``(B,)``."""
        with np.errstate(over="ignore"):
            out = np.sqrt(np.sum(self.A**2, axis=(1, 2)) + np.sum(self.b**2, axis=1))
        return finite_result(out, "the weight norms")

    def positions(self) -> Array:
        """Neuron positions ``|b_{kj}| a_{kj}``, shape ``(B, m, d)`` (Chizat & Bach's Fig. 1a–b)."""
        return np.asarray(np.abs(self.b)[..., None] * self.A, dtype=np.float64)

    def ntk(self, X: ArrayLike, X2: ArrayLike | None = None) -> Array:
        """Tangent kernels ``J_k(X) J_k(X2)ᵀ``, shape ``(B, n, n2)``, J never formed.

        ``K(x, x') = Σ_j relu(a_jᵀx) relu(a_jᵀx') + Σ_j b_j² 1[a_jᵀx > 0] 1[a_jᵀx' > 0] xᵀx'``
        (output-layer plus inner-layer features). Cost O(B·n·n2·m).
        """
        X = self.check_inputs(X)
        X2 = X if X2 is None else self.check_inputs(X2, "X2")
        Z1 = np.matmul(X, self.A.swapaxes(1, 2))
        Z2 = np.matmul(X2, self.A.swapaxes(1, 2))
        H1, H2 = np.maximum(Z1, 0.0), np.maximum(Z2, 0.0)
        D1 = (Z1 > 0) * self.b[:, None, :]
        D2 = (Z2 > 0) * self.b[:, None, :]
        with np.errstate(over="ignore", invalid="ignore"):
            K = H1 @ H2.swapaxes(1, 2) + (D1 @ D2.swapaxes(1, 2)) * (X @ X2.T)
        return finite_result(K, "the tangent kernels")

    def ntk_max(self, X: ArrayLike) -> Array:
        """``λ_max(J_k J_kᵀ)`` on ``X`` for each network, shape ``(B,)``."""
        return np.asarray(np.linalg.eigvalsh(self.ntk(X))[:, -1], dtype=np.float64)


@dataclass(frozen=True)
class ReLUTraining:
    """Result of :func:`train_relu_nets`.

    Attributes
    ----------
    nets : ReLUNets
        The networks after training.
    steps : ndarray, shape (T,)
        Step counts at which ``risk`` (and ``positions``) were recorded.
    risk : ndarray, shape (T, B)
        Training risk ``½‖h(X) − y‖²``.
    positions : ndarray, shape (T, B, m, d), or None
        Neuron positions ``|b_j| a_j`` along the way (if asked for); a diverged network's may
        overflow to ``inf``.
    diverged : ndarray of bool, shape (B,)
        Networks whose risk exceeded ``DIVERGENCE_FACTOR · max(R₀, 1)`` (as in
        :func:`lazylib.flows.gradient_descent`); they are frozen from then on, risk reported ``inf``.
    """

    nets: ReLUNets
    steps: Array
    risk: Array
    positions: Array | None
    diverged: BoolArray


def train_relu_nets(
    nets: ReLUNets,
    X: ArrayLike,
    y: ArrayLike,
    lr: ArrayLike,
    n_steps: int,
    *,
    record_every: int | None = None,
    record_positions: bool = False,
) -> ReLUTraining:
    """Full-batch gradient descent on ``R(h) = ½‖h(X) − y‖²`` for every network of the batch.

    ``a_j ← a_j − η b_j Σ_i r_i 1[a_jᵀx_i > 0] x_i``, ``b_j ← b_j − η Σ_i r_i relu(a_jᵀx_i)`` with
    ``r = h(X) − y``, and a step size ``η = lr[k]`` per network. Cost per step: two batched
    (n×d)(d×m) products, O(B·n·m·d).

    Parameters
    ----------
    nets : ReLUNets
        Initial networks (B of them).
    X, y : array_like, shapes (n, d) and (n,)
        Training data, shared by the batch.
    lr : array_like, shape (B,) or scalar
        Step sizes.
    n_steps : int
        Number of steps.
    record_every : int, optional
        Record the risk (and positions) every so many steps (default: only start and end).
    record_positions : bool
        Also record the neuron positions ``|b_j| a_j`` (``T·B·m·d`` floats).
    """
    if not isinstance(nets, ReLUNets):
        raise TypeError(f"nets must be a ReLUNets, got {type(nets).__name__}")
    B = nets.shape[0]
    X = nets.check_inputs(X)
    y = as_array(y, "y", shape=(X.shape[0],))
    lr = as_array(lr, "lr")
    if lr.shape not in ((), (B,)):
        raise ValueError(f"lr must be a scalar or have shape ({B},), got {lr.shape}")
    lr = np.broadcast_to(lr, (B,)).copy()
    if np.any(lr <= 0):
        raise ValueError("lr must be > 0")
    n_steps = check_positive_int(n_steps, "n_steps")
    every = n_steps if record_every is None else check_positive_int(record_every, "record_every")
    _check_relu_roundoff(nets, X, y)
    A, b = nets.A.copy(), nets.b.copy()
    steps, risks, pos = [], [], []
    diverged = np.zeros(B, dtype=bool)
    limit = None
    with _single_threaded_blas(), np.errstate(over="ignore", invalid="ignore"):
        for k in range(n_steps + 1):
            Z = np.matmul(X, A.swapaxes(1, 2))
            H = np.maximum(Z, 0.0)
            r = (H @ b[..., None])[..., 0] - y
            R = residual_risk(r)
            if limit is None:
                if not np.isfinite(R).all():
                    raise ValueError("X, y or the networks are too large: the initial risk overflows float64")
                limit = DIVERGENCE_FACTOR * np.maximum(R, 1.0)
            bad = ~np.isfinite(R) | (R > limit)
            if bad.any():  # freeze blown-up networks where they are
                diverged |= bad
                lr[bad] = 0.0
                r[bad] = 0.0
            if k % every == 0 or k == n_steps:
                steps.append(k)
                risks.append(np.where(diverged, np.inf, R))
                if record_positions:
                    pos.append(np.abs(b)[..., None] * A)
            if k == n_steps:
                break
            grad_b = (H.swapaxes(1, 2) @ r[..., None])[..., 0]
            grad_A = ((Z > 0) * (r[..., None] * b[:, None, :])).swapaxes(1, 2) @ X
            A_new = A - lr[:, None, None] * grad_A
            b_new = b - lr[:, None] * grad_b
            # A step that leaves float64 diverged: that network stays at its last finite weights.
            blown = ~(np.isfinite(A_new).all(axis=(1, 2)) & np.isfinite(b_new).all(axis=1))
            if blown.any():
                diverged |= blown
                lr[blown] = 0.0
                A_new[blown], b_new[blown] = A[blown], b[blown]
            A, b = A_new, b_new
    return ReLUTraining(
        nets=ReLUNets(A, b),
        steps=np.array(steps, dtype=float),
        risk=np.array(risks),
        positions=np.array(pos) if record_positions else None,
        diverged=diverged,
    )


def _check_relu_roundoff(nets: ReLUNets, X: Array, y: Array) -> None:
    """Refuse networks so large that float64 cannot train them (as :func:`lazylib.flows.check_roundoff`).

    The round-off in ``h(x_i) = Σ_j b_j relu(a_jᵀx_i)`` is about ``eps · Σ_j |b_j| relu(a_jᵀx_i)``,
    which grows like ``ν² m``; the steps move ``h`` by O(residual), and the weights by O(1/ν) against
    O(ν) weights. Above :data:`lazylib.flows.MAX_ROUNDOFF` of the residual's size the predictions
    have fewer than 6 correct digits, and for ν ≳ 1e8 every step is absorbed (the run "learns
    nothing"): refused, pointing to the ν → ∞ limit in closed form (:func:`lazy_limit`).
    """
    with np.errstate(over="ignore", invalid="ignore"):
        mass = np.maximum(np.matmul(X, nets.A.swapaxes(1, 2)), 0.0) @ np.abs(nets.b)[..., None]
        h0 = nets(X)
    noise = np.finfo(np.float64).eps * np.max(mass[..., 0], axis=1)  # (B,)
    size = np.maximum(float(np.max(np.abs(y), initial=0.0)), np.max(np.abs(h0), axis=1))
    bad = ~(noise <= MAX_ROUNDOFF * size)
    if np.any(bad):
        k = int(np.argmax(bad))
        raise ValueError(
            f"nets are too large for gradient descent in float64 (network {k}): round-off in h(X) "
            f"(about {noise[k]:.1e}) is above {MAX_ROUNDOFF:g} of the residual's size ({size[k]:.3g}), "
            "so the steps are lost to round-off; use smaller initial scales nus (the limit nu -> inf "
            "is lazy_limit, in closed form)"
        )


def relu_step_sizes(nus: ArrayLike, lam_bar: ArrayLike, lam_ref: float, c: float = 0.5) -> Array:
    """Step sizes ``η_ν = c / (ν² λ̄ + λ_ref)`` for networks initialised at scale ν.

    ``λ̄ = λ_max(J(w̄₀)J(w̄₀)ᵀ)`` is the top tangent-kernel eigenvalue at the unit-scale init
    ``w̄₀``; at scale ν it is ``ν² λ̄`` exactly (the Jacobian of a 2-homogeneous model is
    1-homogeneous). ``λ_ref`` is the curvature of the active regime (the teacher network's top
    kernel eigenvalue serves). For large ν, ``ν² η_ν → c/λ̄``: a fixed number of steps is then a
    fixed time in Chizat & Bach's clock (the normalised coordinates ``w̄ = w/ν`` with ``α = ν²``).
    """
    nus = as_array(nus, "nus")
    lam_bar = as_array(lam_bar, "lam_bar")
    if nus.size == 0 or lam_bar.size == 0:
        raise ValueError("nus and lam_bar must not be empty")
    try:
        np.broadcast_shapes(nus.shape, lam_bar.shape)
    except ValueError:
        raise ValueError(
            f"nus and lam_bar must broadcast together, got shapes {nus.shape} and {lam_bar.shape}"
        ) from None
    lam_ref = check_positive(lam_ref, "lam_ref")
    c = _check_step_fraction(c)
    if np.any(nus <= 0) or np.any(lam_bar <= 0):
        raise ValueError("nus and lam_bar must be > 0")
    with np.errstate(over="ignore", under="ignore"):
        steps = c / (nus**2 * lam_bar + lam_ref)
    steps = finite_result(steps, "the step sizes")
    if np.any(steps <= 0):
        raise ValueError("nus are too large: the step sizes underflow to 0")
    return steps


def _teacher_curvature(task: TeacherStudent) -> float:
    k = task.teacher.shape[0]
    teacher = ReLUNets(task.teacher[None], np.ones((1, k)))
    return float(teacher.ntk_max(task.X)[0])


def _test_loss(pred: Array, y: Array) -> Array:
    """``½ mean_i (h(x_i) − y_i)²`` along the last axis."""
    res = pred - y
    return np.asarray(0.5 * np.mean(res * res, axis=-1), dtype=np.float64)


@dataclass(frozen=True)
class NeuronTrajectories:
    """Result of :func:`neuron_trajectories` (one network per ν, same unit-scale init).

    Attributes
    ----------
    nus : ndarray, shape (K,)
    steps : ndarray, shape (T,)
    positions : ndarray, shape (T, K, m, d)
        ``|b_j| a_j`` along training.
    signs : ndarray, shape (K, m)
        ``sign(b_j)`` at initialization (the colour in Fig. 1a–b).
    movement : ndarray, shape (K,)
        Relative movement ``‖w(T) − w₀‖ / ‖w₀‖`` (both layers).
    risk : ndarray, shape (T, K)
        Training risk ``½‖h(X) − y‖²``.
    test_loss : ndarray, shape (K,)
        ``½ mean (h − y)²`` on the held-out points.
    alignment : ndarray, shape (K,)
        Share of the output mass ``Σ_j |b_j|‖a_j‖`` carried by positive-output neurons within
        ``align_degrees`` of a teacher direction.
    lr : ndarray, shape (K,)
    """

    nus: Array
    steps: Array
    positions: Array
    signs: Array
    movement: Array
    risk: Array
    test_loss: Array
    alignment: Array
    lr: Array


def teacher_alignment(nets: ReLUNets, teacher: ArrayLike, degrees: float = 10.0) -> Array:
    """Share of ``Σ_j |b_j|‖a_j‖`` carried by neurons with ``b_j > 0`` pointing within ``degrees``
    of some teacher direction, shape ``(B,)``. Near 1 when the network has rebuilt the teacher."""
    nets = check_instance(nets, ReLUNets, "nets")
    teacher = as_array(teacher, "teacher", shape=(None, nets.A.shape[2]))
    degrees = check_positive(degrees, "degrees")
    norms = np.linalg.norm(nets.A, axis=2)
    cos = (nets.A @ teacher.T).max(axis=2) / np.maximum(norms, 1e-300)
    mass = np.abs(nets.b) * norms
    near = (cos >= np.cos(np.radians(degrees))) & (nets.b > 0)
    total = np.sum(mass, axis=1)
    share = np.zeros_like(total)  # a network with no output mass carries no aligned mass
    np.divide(np.sum(mass * near, axis=1), total, out=share, where=total > 0)
    return finite_result(share, "the aligned share")


def neuron_trajectories(
    task: TeacherStudent,
    nus: ArrayLike,
    m: int = 20,
    seed: int = 0,
    n_steps: int = 10_000,
    record_every: int = 50,
    c: float = 0.5,
    align_degrees: float = 10.0,
) -> NeuronTrajectories:
    """Chizat & Bach's Fig. 1a–b: train one ReLU network per initial scale ν and record the
    neuron positions ``|b_j| a_j``.

    Symmetric initialization (``h(w₀) = 0``), entries ``ν·N(0, 1)`` with the same draw for every ν,
    gradient descent on ``½‖h(X) − y‖²`` with :func:`relu_step_sizes`. Cost O(K·n·m·d) per step.
    """
    _check_task(task)
    nus = check_positive_array(nus, "nus")
    nets = ReLUNets.random(m, task.X.shape[1], nus, [seed])
    lam_bar = ReLUNets.random(m, task.X.shape[1], [1.0], [seed]).ntk_max(task.X)
    lr = relu_step_sizes(nus, lam_bar, _teacher_curvature(task), c)
    run = train_relu_nets(nets, task.X, task.y, lr, n_steps, record_every=record_every, record_positions=True)
    if run.positions is None:  # pragma: no cover - record_positions=True always records them
        raise RuntimeError("train_relu_nets did not record the positions")
    moved = np.sqrt(
        np.sum((run.nets.A - nets.A) ** 2, axis=(1, 2)) + np.sum((run.nets.b - nets.b) ** 2, axis=1)
    )
    return NeuronTrajectories(
        nus=nus,
        steps=run.steps,
        positions=run.positions,
        signs=np.sign(nets.b),
        movement=moved / nets.norm(),
        risk=run.risk,
        test_loss=_test_loss(run.nets(task.X_test), task.y_test),
        alignment=teacher_alignment(run.nets, task.teacher, align_degrees),
        lr=lr,
    )


def signs_unchanged(before: ReLUNets, after: ReLUNets, X: ArrayLike) -> Array:
    """Share of activation signs ``1[a_jᵀx_i > 0]`` (over i ≤ n, j ≤ m) equal before and after,
    shape ``(B,)``."""
    before = check_instance(before, ReLUNets, "before")
    after = check_instance(after, ReLUNets, "after")
    X = before.check_inputs(X)
    if before.A.shape != after.A.shape:
        raise ValueError(f"after must have shape {before.A.shape}, got {after.A.shape}")
    s0 = np.matmul(X, before.A.swapaxes(1, 2)) > 0
    s1 = np.matmul(X, after.A.swapaxes(1, 2)) > 0
    return np.asarray(np.mean(s0 == s1, axis=(1, 2)), dtype=np.float64)


def _check_task(task: TeacherStudent) -> TeacherStudent:
    if not isinstance(task, TeacherStudent):
        raise TypeError(f"task must be a TeacherStudent (from teacher_student), got {type(task).__name__}")
    return task


def _check_seeds(seeds: Sequence[int]) -> list[int]:
    """A non-empty sequence of integer seeds >= 0 (4.7 or True are refused, not truncated)."""
    if isinstance(seeds, (str, bytes)) or not hasattr(seeds, "__iter__"):
        raise ValueError(f"seeds must be a sequence of integers, got {seeds!r}")
    out = [check_positive_int(s, "seeds", minimum=0) for s in seeds]
    if not out:
        raise ValueError("seeds must hold at least one seed")
    return out


def _check_step_fraction(c: float) -> float:
    """The step fraction ``c`` of ``η̄ = c/λ̄``: in (0, 2), where gradient descent on the kernel converges."""
    c = check_positive(c, "c")
    if c >= 2:
        raise ValueError(f"c must be < 2 (gradient descent on the kernel diverges otherwise), got {c}")
    return c


def _gd_gain(q: Array, n_steps: int) -> Array:
    """``1 − (1 − q)^k`` for ``q = η̄λ ∈ [0, 2)``: through ``expm1``/``log1p`` where ``1 − q > 0``
    (accurate for small q), as a plain power where the factor is 0 or negative (``c > 1``)."""
    out = np.empty_like(q)
    pos = q < 1.0
    out[pos] = -np.expm1(n_steps * np.log1p(-q[pos]))
    out[~pos] = 1.0 - np.power(1.0 - q[~pos], n_steps)
    return out


def lazy_limit_test_loss(
    task: TeacherStudent, m: int, seeds: Sequence[int], n_steps: int, c: float = 0.5
) -> Array:
    """Test loss of the ν → ∞ limit of :func:`scale_sweep`, one value per seed, shape ``(S,)``.

    In that limit gradient descent is gradient descent on the linearized model at the unit-scale
    init ``w̄₀`` (a kernel method with the tangent kernel ``K̄``) with prediction step ``η̄ = c/λ̄``:
    from ``r₀ = −y`` (symmetric init), ``r_k = (I − η̄K̄)^k r₀`` and the test predictions are
    ``K̄_{test} V diag((1 − (1 − η̄λ_i)^k)/λ_i) Vᵀ y`` with ``K̄ = V diag(λ) Vᵀ`` — closed form, one
    ``eigh`` per seed.
    """
    n_steps = check_positive_int(n_steps, "n_steps")
    return lazy_limit(task, m, seeds, n_steps, c).test_loss


@dataclass(frozen=True)
class LazyLimit:
    """Result of :func:`lazy_limit`: the ν → ∞ limit of :func:`scale_sweep`, one entry per seed.

    Attributes
    ----------
    n_steps : int or None
        Gradient-descent steps on the linearized model (``None``: run to convergence).
    test_loss : ndarray, shape (S,)
        ``½ mean (h − y)²`` on the test points.
    train_risk : ndarray, shape (S,)
        ``½‖h(X) − y‖²`` on the training points (0 up to round-off when converged and ``K̄`` is
        positive definite).
    """

    n_steps: int | None
    test_loss: Array
    train_risk: Array


def lazy_limit(
    task: TeacherStudent, m: int, seeds: Sequence[int], n_steps: int | None = None, c: float = 0.5
) -> LazyLimit:
    """Tangent-kernel regression at the unit-scale init ``w̄₀``: the ν → ∞ limit of :func:`scale_sweep`.

    In that limit gradient descent is gradient descent on the linearized model, a kernel method with
    the tangent kernel ``K̄ = J(w̄₀)J(w̄₀)ᵀ = V diag(λ) Vᵀ`` and prediction step ``η̄ = c/λ̄``
    (``λ̄ = λ_max(K̄)``). From ``r₀ = −y`` (symmetric init) the coefficients after ``k`` steps are
    ``V diag((1 − (1 − η̄λ_i)^k)/λ_i) Vᵀ y``, and the predictions ``K̄(x, X)`` times them.
    ``n_steps=None`` is the limit ``k → ∞`` (valid for ``c < 2``): the minimum-norm interpolant
    ``K̄(x, X) K̄⁺ y`` (eigenvalues below ``1e-12 λ̄`` dropped), i.e. converged kernel regression.

    Parameters
    ----------
    task : TeacherStudent
        Training and test data.
    m : int
        Width (even: symmetric init).
    seeds : sequence of int
        Initialization seeds, as in :func:`scale_sweep`.
    n_steps : int or None
        Number of gradient-descent steps, or ``None`` for the converged limit.
    c : float
        Step fraction, ``0 < c < 2`` (as in :func:`relu_step_sizes`).

    Returns
    -------
    LazyLimit

    Notes
    -----
    One ``eigh`` of an ``n×n`` kernel per seed, O(S·(n²m + n³)).
    """
    _check_task(task)
    if n_steps is not None:
        n_steps = check_positive_int(n_steps, "n_steps")
    c = _check_step_fraction(c)
    seeds = _check_seeds(seeds)
    nets = ReLUNets.random(m, task.X.shape[1], [1.0], seeds)
    K = nets.ntk(task.X)
    Kt = nets.ntk(task.X_test, task.X)
    test, train = [], []
    for k in range(len(seeds)):
        lam, V = np.linalg.eigh(K[k])
        lam = np.clip(lam, 0.0, None)
        if lam[-1] <= 0:
            raise ValueError("the tangent kernel is zero on task.X (zero inputs?): no lazy limit")
        keep = lam > 1e-12 * lam[-1]
        safe = np.where(keep, lam, 1.0)
        if n_steps is None:
            gain = np.where(keep, 1.0 / safe, 0.0)
        else:
            eta = c / lam[-1]
            gain = np.where(keep, _gd_gain(eta * safe, n_steps) / safe, eta * n_steps)
        coef = V @ (gain * (V.T @ task.y))
        test.append(_test_loss(Kt[k] @ coef, task.y_test))
        res = K[k] @ coef - task.y
        train.append(0.5 * float(res @ res))
    return LazyLimit(n_steps=n_steps, test_loss=np.array(test), train_risk=np.array(train))


@dataclass(frozen=True)
class ScaleSweep:
    """Result of :func:`scale_sweep` (Chizat & Bach's Fig. 1c, smaller).

    Attributes
    ----------
    nus : ndarray, shape (K,)
    seeds : tuple of int
    test_loss, train_risk, movement : ndarray, shape (K, S)
        ``½ mean (h − y)²`` on the test set, ``½‖h(X) − y‖²`` on the training set and
        ``‖w(T) − w₀‖/‖w₀‖`` after ``n_steps`` steps.
    lazy_test_loss : ndarray, shape (S,)
        The ν → ∞ limit (:func:`lazy_limit_test_loss`).
    null_loss : float
        ``½ mean y²`` on the test set (the zero predictor's loss).
    signs_unchanged : ndarray, shape (K, S)
        Share of the ReLU activation signs ``1[a_jᵀx_i > 0]`` on the training set that are the
        same after training as at initialization (Chizat & Bach's diagnostic for their CNNs).
    lr : ndarray, shape (K, S)
    diverged : ndarray of bool, shape (K, S)
    """

    nus: Array
    seeds: tuple[int, ...]
    test_loss: Array
    train_risk: Array
    movement: Array
    signs_unchanged: Array
    lazy_test_loss: Array
    null_loss: float
    lr: Array
    diverged: BoolArray


def _sweep_batch(
    task: TeacherStudent, nus: Array, seeds: Sequence[int], m: int, c: float
) -> tuple[ReLUNets, Array]:
    """The batch of a scale sweep, (ν, seed) pairs ν-major: symmetric nets with entries ``ν·N(0, 1)``
    (the draw shared across ν for a seed) and their step sizes (:func:`relu_step_sizes`)."""
    d = task.X.shape[1]
    K, S = nus.size, len(seeds)
    nets = ReLUNets.random(m, d, nus, seeds)
    lam_bar = ReLUNets.random(m, d, [1.0], seeds).ntk_max(task.X)
    lr = relu_step_sizes(np.repeat(nus, S), np.tile(lam_bar, K), _teacher_curvature(task), c)
    return nets, lr


def _relative_movement(before: ReLUNets, after: ReLUNets) -> Array:
    """``‖w − w₀‖/‖w₀‖`` per network, both layers."""
    moved = np.sqrt(
        np.sum((after.A - before.A) ** 2, axis=(1, 2)) + np.sum((after.b - before.b) ** 2, axis=1)
    )
    return np.asarray(moved / before.norm(), dtype=np.float64)


def scale_sweep(
    task: TeacherStudent,
    nus: ArrayLike,
    seeds: Sequence[int],
    m: int = 60,
    n_steps: int = 1000,
    c: float = 0.5,
) -> ScaleSweep:
    """Test loss after training against the initial scale ν, all (ν, seed) pairs in one batch.

    Symmetric initialization (``h(w₀) = 0``) with entries ``ν·N(0, 1)``, the draw shared across
    ν for a given seed; gradient descent on ``½‖h(X) − y‖²`` with :func:`relu_step_sizes`.
    Cost O(K·S·n·m·d) per step.
    """
    _check_task(task)
    nus = check_positive_array(nus, "nus")
    seeds = tuple(_check_seeds(seeds))
    c = _check_step_fraction(c)
    K, S = nus.size, len(seeds)
    nets, lr = _sweep_batch(task, nus, seeds, m, c)
    run = train_relu_nets(nets, task.X, task.y, lr, n_steps)
    return ScaleSweep(
        nus=nus,
        seeds=seeds,
        test_loss=_test_loss(run.nets(task.X_test), task.y_test).reshape(K, S),
        train_risk=run.risk[-1].reshape(K, S),
        movement=_relative_movement(nets, run.nets).reshape(K, S),
        signs_unchanged=signs_unchanged(nets, run.nets, task.X).reshape(K, S),
        lazy_test_loss=lazy_limit_test_loss(task, m, seeds, n_steps, c),
        null_loss=float(0.5 * np.mean(task.y_test**2)),
        lr=lr.reshape(K, S),
        diverged=run.diverged.reshape(K, S),
    )


# ------------------------------------------------------------------------------------- centring
@dataclass(frozen=True)
class CentringSweep:
    """Result of :func:`centring_sweep`.

    Attributes
    ----------
    alphas : ndarray, shape (K,)
    centring : str
        ``"symmetric"`` (doubling trick, ``f(w₀) = 0``) or ``"subtract"`` (model ``f − f(w₀)``).
    risk0 : ndarray, shape (K,)
        Initial risk (``½‖y‖²`` for every α in both centrings).
    movement : ndarray, shape (K,)
        ``‖w(T) − w₀‖`` at the last time (the flow has converged there).
    gap : ndarray, shape (K,)
        ``sup_t ‖αh(w(t)) − αh₀(u(t))‖``: nonlinear against linearized predictions, each along
        its own flow, the sup over the time grid.
    final_risk : ndarray, shape (K,)
        Risk of the nonlinear flow at the last time.
    path_gap : ndarray, shape (K,)
        ``sup_t ‖w(t) − u(t)‖``: distance between the nonlinear and the linearized weight paths,
        the sup over the time grid (Chizat & Bach's Thm 2.4 bounds it by ``O(log α/α²)``).
    """

    alphas: Array
    centring: str
    risk0: Array
    movement: Array
    gap: Array
    final_risk: Array
    path_gap: Array


def centring_sweep(
    net: ShallowNet,
    X: ArrayLike,
    y: ArrayLike,
    alphas: ArrayLike,
    tau: ArrayLike,
    centring: str = "symmetric",
) -> CentringSweep:
    """Weight movement and nonlinear-vs-linearized prediction gap against α (Chizat & Bach Thm 2.4).

    For each α, the slides' flow (:func:`lazylib.flows.gradient_flow`, nonlinear by ODE and
    linearized in closed form) is sampled at the slides' times ``tau/α²``, i.e. on a fixed grid
    of the paper's clock ``τ = α²t`` (the lazy clock), so that every α has converged by the last time.

    ``centring="symmetric"``: ``net`` must satisfy ``f(·; w₀) = 0`` on ``X`` (built with
    ``ShallowNet.random(..., symmetric=True)``). ``centring="subtract"``: the model is
    ``h(w) = f(w) − f(w₀)``; its flow is the flow of ``f`` towards the shifted targets
    ``y + αf(w₀)``, which is how it is computed. Either way ``R₀ = ½‖y‖²`` for every α.
    """
    net = check_instance(net, ShallowNet, "net")
    X = net.check_inputs(X)
    y = as_array(y, "y", shape=(X.shape[0],))
    alphas = check_positive_array(alphas, "alphas")
    tau = check_times(tau, "tau")
    centring = check_choice(centring, "centring", ("symmetric", "subtract"))
    f0 = net(X)
    if centring == "symmetric" and not np.allclose(f0, 0.0, atol=1e-12):
        raise ValueError("centring='symmetric' needs a net with f(X; w0) = 0 (symmetric=True)")
    risk0, movement, gap, final, path_gap = [], [], [], [], []
    for alpha in alphas:
        offset = alpha * f0 if centring == "subtract" else np.zeros_like(y)
        target = y + offset
        with np.errstate(over="ignore", under="ignore"):
            t = tau / alpha**2
        check_flow_cost(net, X, target, float(alpha), float(t[-1]), name="tau")
        nl, lin = flow_pair(net, X, target, alpha, t, store_linearized_weights=True)
        risk0.append(float(risk(nl.predictions[0] - offset, y)))
        movement.append(float(nl.distance[-1]))
        gap.append(float(np.max(np.linalg.norm(nl.predictions - lin.predictions, axis=1))))
        final.append(float(nl.risk[-1]))
        dw = (nl.stored_weights() - lin.stored_weights()).reshape(len(t), -1)
        path_gap.append(float(np.max(np.linalg.norm(dw, axis=1))))
    return CentringSweep(
        alphas=alphas,
        centring=centring,
        risk0=np.array(risk0),
        movement=np.array(movement),
        gap=np.array(gap),
        final_risk=np.array(final),
        path_gap=np.array(path_gap),
    )


def chizat_bach_threshold(
    sigma_min: float, sigma_max: float, beta: float, target_norm: float, kappa: float = 1.0
) -> float:
    """The scale above which Chizat & Bach's Theorem 2.4 applies: ``α > ‖y*‖/C₀``,
    ``C₀ = σ_min³ / (32 κ^{3/2} σ_max β)``.

    Parameters
    ----------
    sigma_min, sigma_max : float
        Smallest and largest singular values of the Jacobian ``Dh(w₀)``, ``0 < σ_min ≤ σ_max``.
    beta : float
        Lipschitz constant of ``w ↦ Dh(w)`` (operator norm), > 0.
    target_norm : float
        ``‖y*‖``, the norm of the loss's minimizer (``‖y‖`` for the square loss), ≥ 0.
    kappa : float
        Condition number ``M/m`` of the loss (1 for the square loss), ≥ 1.

    Returns
    -------
    float
        ``32 κ^{3/2} σ_max β ‖y*‖ / σ_min³``. The theorem also needs ``‖h(w₀)‖ ≤ C₀``, which the
        centred models of this book (``h(w₀) = 0``) meet.

    Notes
    -----
    For the square loss and ``h(w₀) = 0`` (so ``√(2R̂₀) = ‖y‖``) this is ``4/3`` of Theorem 8.1's
    ``α_min = β√(1152 σ_max² R̂₀)/σ_min³ = 24 β σ_max ‖y‖/σ_min³``. Section "Lazy vs active".
    """
    sigma_min = check_positive(sigma_min, "sigma_min")
    sigma_max = check_positive(sigma_max, "sigma_max")
    beta = check_positive(beta, "beta")
    kappa = check_positive(kappa, "kappa")
    target_norm = check_nonnegative(target_norm, "target_norm")
    if sigma_min > sigma_max:
        raise ValueError(f"sigma_min must be <= sigma_max, got {sigma_min} > {sigma_max}")
    if kappa < 1:
        raise ValueError(f"kappa must be >= 1 (a condition number), got {kappa}")
    with np.errstate(all="ignore"):
        c0 = np.float64(sigma_min) ** 3 / (32.0 * np.float64(kappa) ** 1.5 * sigma_max * beta)
        threshold = target_norm / c0
    if not np.isfinite(threshold):
        raise ValueError("threshold overflows float64: sigma_min too small or sigma_max, beta, kappa too big")
    return float(threshold)


# ------------------------------------------------------------------------------------- step size
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


# ----------------------------------------------------------------- results the page draws
@dataclass(frozen=True, kw_only=True)
class Clocks:
    """The same runs in the slides' time ``t`` and in the paper's time ``τ = α²t``
    (see :func:`compare_clocks`).

    Attributes
    ----------
    tau : ndarray, shape (T,)
        The paper's times (the lazy clock).
    slides : dict of float to Trajectory
        Per α, the slides' flow (:func:`lazylib.flows.gradient_flow`) at ``t = τ/α²``.
    paper : dict of float to Trajectory
        Per α, the paper's flow (:func:`paper_gradient_flow`) at ``τ``.
    linearized : Trajectory
        The linearized flow at α = 1 on ``τ``: α-free in the paper's clock for a centred start.
    deviation : ndarray, shape (A,)
        Per α, ``max |w_paper(τ) − w_slides(τ/α²)| / max |w − w₀|``.
    """

    tau: Array
    slides: dict[float, Trajectory]
    paper: dict[float, Trajectory]
    linearized: Trajectory
    deviation: Array


def compare_clocks(
    net: ShallowNet,
    X: ArrayLike,
    y: ArrayLike,
    alphas: Sequence[float],
    tau: ArrayLike,
    *,
    rtol: float = 1e-10,
) -> Clocks:
    """Run each α in both clocks (the slides' flow with tolerance ``rtol``) and the linearized
    flow on ``tau``: the paper's path is the slides' path with time divided by α²."""
    tau = check_times(tau, "tau")
    if not tau[-1] > 0:
        raise ValueError("tau must hold a time > 0 (the deviation is relative to the distance moved)")
    alpha_values = check_positive_array(alphas, "alphas")
    if np.unique(alpha_values).size != alpha_values.size:
        raise ValueError("alphas must be distinct (the runs are keyed by alpha)")
    paper, slides, deviation = {}, {}, []
    for alpha in map(float, alpha_values):
        paper[alpha] = paper_gradient_flow(net, X, y, alpha, tau)
        slides[alpha] = gradient_flow(net, X, y, alpha, tau / alpha**2, rtol=rtol)
        w_paper, w_slides = paper[alpha].stored_weights(), slides[alpha].stored_weights()
        moved = np.abs(w_paper - net.W).max()
        deviation.append(np.abs(w_paper - w_slides).max() / moved)
    linearized = gradient_flow(net, X, y, 1.0, tau, linearized=True)
    return Clocks(tau=tau, slides=slides, paper=paper, linearized=linearized, deviation=np.array(deviation))
