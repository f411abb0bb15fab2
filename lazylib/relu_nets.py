"""Two-layer ReLU networks with both layers trained: Chizat & Bach's teacher–student experiments.

Shared by the pages "Lazy vs active training" (:mod:`lazylib.lazy_active`, trained for a fixed number
of steps) and "What lazy training learns" (:mod:`lazylib.lazy_solution`, trained to convergence):

* :class:`ReLUNets`: a batch of networks ``h(x) = Σ_j b_j relu(a_jᵀx)`` with their tangent kernels;
* :func:`train_relu_nets`: full-batch gradient descent on ``½‖h(X) − y‖²``, the whole batch at once,
  with the step sizes of :func:`relu_step_sizes`;
* :func:`sweep_batch`: the batch of a scale sweep (symmetric networks at scales ν, one draw per seed);
* :func:`lazy_limit`: the ν → ∞ limit, tangent-kernel regression in closed form;
* measures of a trained batch: :func:`held_out_loss`, :func:`relative_movement`,
  :func:`signs_unchanged`, :func:`teacher_alignment`.

The model is 2-homogeneous, ``h(ν w̄) = ν² h(w̄)``, so the initial scale ν plays the part of ``α = ν²``.
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
    check_instance,
    check_positive,
    check_positive_array,
    check_positive_int,
    finite_result,
    make_rng,
)
from ._types import Array, BoolArray
from .data import TeacherStudent
from .flows import DIVERGENCE_FACTOR, MAX_ROUNDOFF
from .theory import residual_risk

__all__ = [
    "LazyLimit",
    "ReLUNets",
    "ReLUTraining",
    "check_seeds",
    "check_step_fraction",
    "held_out_loss",
    "lazy_limit",
    "lazy_limit_test_loss",
    "relative_movement",
    "relu_step_sizes",
    "signs_unchanged",
    "sweep_batch",
    "teacher_alignment",
    "teacher_curvature",
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
    def random(cls, m: int, d: int, nus: ArrayLike, seeds: Sequence[int], symmetric: bool = True) -> ReLUNets:
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
        seeds = check_seeds(seeds)
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
    c = check_step_fraction(c)
    if np.any(nus <= 0) or np.any(lam_bar <= 0):
        raise ValueError("nus and lam_bar must be > 0")
    with np.errstate(over="ignore", under="ignore"):
        steps = c / (nus**2 * lam_bar + lam_ref)
    steps = finite_result(steps, "the step sizes")
    if np.any(steps <= 0):
        raise ValueError("nus are too large: the step sizes underflow to 0")
    return steps


def teacher_curvature(task: TeacherStudent) -> float:
    """``λ_max`` of the teacher network's tangent kernel on ``task.X``: the curvature of the active
    regime, the ``λ_ref`` of :func:`relu_step_sizes` (output weights 1, as the teacher's)."""
    task = check_instance(task, TeacherStudent, "task")
    k = task.teacher.shape[0]
    teacher = ReLUNets(task.teacher[None], np.ones((1, k)))
    return float(teacher.ntk_max(task.X)[0])


def held_out_loss(pred: ArrayLike, y: ArrayLike) -> Array:
    """``½ mean_i (h(x_i) − y_i)²`` along the last axis: predictions ``(..., n)`` against ``y`` ``(n,)``
    (the test loss of the pages), shape ``pred.shape[:-1]``."""
    y = as_array(y, "y", ndim=1)
    pred = as_array(pred, "pred")
    if pred.ndim == 0 or pred.shape[-1] != y.size or y.size == 0:
        raise ValueError(f"pred must have shape (..., {y.size}) to match y (n >= 1), got {pred.shape}")
    res = pred - y
    with np.errstate(over="ignore"):
        return finite_result(0.5 * np.mean(res * res, axis=-1), "the held-out loss")


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


def check_seeds(seeds: Sequence[int]) -> list[int]:
    """A non-empty sequence of integer seeds >= 0 (4.7 or True are refused, not truncated)."""
    if isinstance(seeds, (str, bytes)) or not hasattr(seeds, "__iter__"):
        raise ValueError(f"seeds must be a sequence of integers, got {seeds!r}")
    out = [check_positive_int(s, "seeds", minimum=0) for s in seeds]
    if not out:
        raise ValueError("seeds must hold at least one seed")
    return out


def check_step_fraction(c: float) -> float:
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
    """Test loss of the ν → ∞ limit of :func:`~lazylib.lazy_active.scale_sweep`, one value per seed, shape
    ``(S,)``.

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
    """Result of :func:`lazy_limit`: the ν → ∞ limit of :func:`~lazylib.lazy_active.scale_sweep`, one entry
    per seed.

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
    """Tangent-kernel regression at the unit-scale init ``w̄₀``: the ν → ∞ limit of
    :func:`~lazylib.lazy_active.scale_sweep`.

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
        Initialization seeds, as in :func:`~lazylib.lazy_active.scale_sweep`.
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
    check_instance(task, TeacherStudent, "task")
    if n_steps is not None:
        n_steps = check_positive_int(n_steps, "n_steps")
    c = check_step_fraction(c)
    seeds = check_seeds(seeds)
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
        test.append(held_out_loss(Kt[k] @ coef, task.y_test))
        res = K[k] @ coef - task.y
        train.append(0.5 * float(res @ res))
    return LazyLimit(n_steps=n_steps, test_loss=np.array(test), train_risk=np.array(train))


def sweep_batch(
    task: TeacherStudent, nus: Array, seeds: Sequence[int], m: int, c: float
) -> tuple[ReLUNets, Array]:
    """The batch of a scale sweep, (ν, seed) pairs ν-major: symmetric nets with entries ``ν·N(0, 1)``
    (the draw shared across ν for a seed) and their step sizes (:func:`relu_step_sizes`)."""
    task = check_instance(task, TeacherStudent, "task")
    nus = check_positive_array(nus, "nus")
    seeds = check_seeds(seeds)
    m = check_positive_int(m, "m")
    c = check_step_fraction(c)
    d = task.X.shape[1]
    K, S = nus.size, len(seeds)
    nets = ReLUNets.random(m, d, nus, seeds)
    lam_bar = ReLUNets.random(m, d, [1.0], seeds).ntk_max(task.X)
    lr = relu_step_sizes(np.repeat(nus, S), np.tile(lam_bar, K), teacher_curvature(task), c)
    return nets, lr


def relative_movement(before: ReLUNets, after: ReLUNets) -> Array:
    """``‖w − w₀‖/‖w₀‖`` per network, both layers, shape ``(B,)``."""
    before = check_instance(before, ReLUNets, "before")
    after = check_instance(after, ReLUNets, "after")
    if after.A.shape != before.A.shape:
        raise ValueError(f"after must have the shape of before, {before.A.shape}, got {after.A.shape}")
    norm = before.norm()
    if np.any(norm == 0):
        raise ValueError("before has a network with zero weights: the relative movement is undefined")
    moved = np.sqrt(
        np.sum((after.A - before.A) ** 2, axis=(1, 2)) + np.sum((after.b - before.b) ** 2, axis=1)
    )
    return finite_result(moved / norm, "the relative movement")
