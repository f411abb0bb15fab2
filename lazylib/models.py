"""The shallow network of the lecture's case study, with its Jacobian and tangent kernel.

``f(x; W) = scale · Σ_j s_j σ(w_jᵀ x)`` with trainable inner weights ``W ∈ R^{m×d}`` and fixed
output signs ``s ∈ {−1, +1}^m`` (slide "Case study: Shallow neural net"). ``scale = 1`` is the
case study's model; ``scale = 1/√m`` is the NTK normalisation of the Recall section.

Everything that touches the Jacobian ``J ∈ R^{n×md}`` has a matrix-free form: :meth:`ShallowNet.jvp`
(``J v``), :meth:`ShallowNet.vjp` (``Jᵀ r``) and :meth:`ShallowNet.ntk` (``J Jᵀ``) each cost
O(n·m·d) or O(n²·m) and never allocate the n×md matrix.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from ._checks import (
    as_array,
    as_weights,
    check_allocation,
    check_positive,
    check_positive_int,
    finite_result,
    make_rng,
    quiet_overflow,
)
from ._types import Array, Seed
from .activations import Activation, get_activation

__all__ = ["ShallowNet"]


#: Rows of D = σ'(X Wᵀ) are computed in blocks of about this many entries (32 MB).
_BLOCK_ELEMENTS = 1 << 22


def _readonly(a: Array) -> Array:
    a = np.array(a, dtype=np.float64, copy=True)
    a.flags.writeable = False
    return a


@dataclass(frozen=True)
class ShallowNet:
    """Two-layer network ``f(x; W) = scale · Σ_j s_j σ(w_jᵀ x)`` (immutable).

    Parameters
    ----------
    W : array_like, shape (m, d)
        Inner weights, one row per neuron (the trainable parameters, ``p = m·d``).
    s : array_like, shape (m,)
        Fixed output weights (±1 in the lecture; any finite values are accepted).
    activation : {"tanh", "softplus", "relu"}
        The activation σ.
    scale : float
        Global output factor; 1 for the case study, ``1/√m`` for the NTK normalisation.

    Notes
    -----
    Used from the Setup section on (slides "Setup", "Case study"). The arrays are copied and
    made read-only; :meth:`with_weights` returns the same network at new weights.
    """

    W: Array
    s: Array
    activation: str = "tanh"
    scale: float = 1.0
    _act: Activation = field(init=False, repr=False, compare=False)
    _pair_half: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        W = as_array(self.W, "W", ndim=2)
        m, d = W.shape
        if m < 1 or d < 1:
            raise ValueError(f"W must have at least one neuron and one input dimension, got {W.shape}")
        s = as_array(self.s, "s", shape=(m,))
        act = get_activation(self.activation)
        object.__setattr__(self, "W", _readonly(W))
        object.__setattr__(self, "s", _readonly(s))
        object.__setattr__(self, "activation", act.name)
        object.__setattr__(self, "scale", check_positive(self.scale, "scale"))
        object.__setattr__(self, "_act", act)
        # Signs in the centring layout (s[m/2:] = −s[:m/2], as made by random(symmetric=True)):
        # the forward pass then sums pair differences, so f(·; W₀) is exactly 0, not ~1e-15.
        half = m // 2
        paired = m % 2 == 0 and bool(np.array_equal(s[half:], -s[:half]))
        object.__setattr__(self, "_pair_half", half if paired else 0)

    # ------------------------------------------------------------------ construction
    @classmethod
    def random(
        cls,
        m: int,
        d: int,
        activation: str = "tanh",
        rng: Seed = None,
        symmetric: bool = False,
        scale: float = 1.0,
    ) -> ShallowNet:
        """Random initialisation: rows of ``W`` i.i.d. N(0, I_d), signs uniform on {−1, +1}.

        Parameters
        ----------
        m, d : int
            Width and input dimension.
        activation : str
            ``"tanh"``, ``"softplus"`` or ``"relu"``.
        rng : numpy.random.Generator or int, optional
            Source of randomness (an int is used as a seed).
        symmetric : bool
            The centring ("doubling") trick of Chizat & Bach: draw m/2 neurons, copy their inner
            weights and negate their signs, so that ``f(·; W₀) ≡ 0`` exactly. Needs even ``m``.
        scale : float
            Output factor (1, or ``1/√m`` for the NTK normalisation).
        """
        m = check_positive_int(m, "m")
        d = check_positive_int(d, "d")
        check_allocation((m, d), "m and d")
        rng = make_rng(rng)
        if symmetric:
            if m % 2:
                raise ValueError(f"m must be even for symmetric=True, got {m}")
            half = rng.standard_normal((m // 2, d))
            W = np.concatenate([half, half])
            s_half = rng.choice([-1.0, 1.0], size=m // 2)
            s = np.concatenate([s_half, -s_half])
        else:
            W = rng.standard_normal((m, d))
            s = rng.choice([-1.0, 1.0], size=m)
        return cls(W, s, activation, scale)

    def with_weights(self, W: ArrayLike) -> ShallowNet:
        """The same network (signs, activation, scale) at new inner weights ``W`` (m×d or m·d).

        Any other shape is refused, even of the right size (``W.T`` is not reshaped).
        """
        W = as_weights(W, "W", (self.m, self.d))
        return ShallowNet(W, self.s, self.activation, self.scale)

    # ------------------------------------------------------------------ sizes
    @property
    def m(self) -> int:
        """Width (number of neurons)."""
        return int(self.W.shape[0])

    @property
    def d(self) -> int:
        """Input dimension."""
        return int(self.W.shape[1])

    @property
    def p(self) -> int:
        """Number of trainable parameters ``m·d``."""
        return int(self.W.size)

    @property
    def s_max(self) -> float:
        """``max_j |s_j|``, the largest output weight (1 for the lecture's signs ±1).

        Every bound built on the Jacobian's Lipschitz constant ``β`` carries it (block ``j`` of the
        Jacobian is ``scale · s_j σ'(w_jᵀx) x``): :func:`lazylib.theory.beta_bound`,
        :func:`lazylib.recall.smooth_error_bound`.
        """
        return float(np.max(np.abs(self.s)))

    @property
    def act(self) -> Activation:
        """The :class:`~lazylib.activations.Activation` object (σ, σ', σ'', β₀)."""
        return self._act

    # ------------------------------------------------------------------ evaluation
    def check_inputs(self, X: ArrayLike, name: str = "X") -> Array:
        """Validate a batch of inputs: finite, shape ``(n, d)`` with ``n >= 1``; errors name ``name``."""
        X = as_array(X, name, shape=(None, self.d))
        if X.shape[0] == 0:
            raise ValueError(f"{name} must hold at least one input, got shape {X.shape}")
        return X

    def check_weight_path(self, weights: ArrayLike, name: str = "weights") -> Array:
        """Validate a path of weights (e.g. ``Trajectory.weights``): shape ``(T, m, d)`` or ``(T, m·d)``
        with ``T >= 1``, finite; returned as ``(T, m·d)``. Errors name ``name``."""
        W = as_array(weights, name)
        if W.ndim < 2 or W.shape[1:] not in ((self.m, self.d), (self.p,)) or W.shape[0] == 0:
            raise ValueError(
                f"{name} must have shape (T, {self.m}, {self.d}) or (T, {self.p}), got {W.shape}"
            )
        return W.reshape(W.shape[0], self.p)

    @quiet_overflow
    def preactivations(self, X: ArrayLike) -> Array:
        """``Z = X Wᵀ``, shape ``(n, m)``: ``Z[i, j] = w_jᵀ x_i``."""
        return self.check_inputs(X) @ self.W.T

    @quiet_overflow
    def __call__(self, X: ArrayLike) -> Array:
        """Predictions ``f(x_i; W)``, shape ``(n,)``. Cost O(n·m·d).

        When the signs are in the centring layout (``s[m/2:] = −s[:m/2]``) the sum is taken as
        ``Σ_{j<m/2} s_j (σ(w_jᵀx) − σ(w_{j+m/2}ᵀx))``: the same number in exact arithmetic, but
        exactly 0 in floating point at the symmetric initialization (a plain dot product leaves
        round-off of order 1e-15, which α would then amplify).
        """
        V = self._act.sigma_inplace(self.preactivations(X))
        h = self._pair_half
        if h:
            out = self.scale * ((V[:, :h] - V[:, h:]) @ self.s[:h])
        else:
            out = self.scale * (V @ self.s)
        return finite_result(out, "the predictions f(X; W)")

    @quiet_overflow
    def derivative_features(self, X: ArrayLike) -> Array:
        """``D[i, j] = scale · s_j σ'(w_jᵀ x_i)``, shape ``(n, m)``; row i of J is ``D[i] ⊗ x_i``."""
        # D may be n×m with n·m in the tens of millions: fill it by blocks of rows, each computed
        # in place (preactivations, σ', output weights) while it is still in cache. No n×m
        # temporary; measured 15-20 % faster than whole-array passes at n = 1000, m = 16000.
        X = self.check_inputs(X)
        n = X.shape[0]
        D = np.empty((n, self.m))
        coeff = self.scale * self.s
        Wt = self.W.T
        rows = max(1, _BLOCK_ELEMENTS // self.m)
        for start in range(0, n, rows):
            block = D[start : start + rows]
            np.matmul(X[start : start + rows], Wt, out=block)
            self._act.dsigma_inplace(block)
            block *= coeff
        # σ' is bounded, so D is finite unless a preactivation overflowed (inf − inf = NaN): check
        # the whole of D only when the cheap bound |w_jᵀx_i| ≤ ‖x_i‖₁ max|W| does not exclude it.
        if not np.abs(X).sum(axis=1).max() * np.abs(self.W).max() < 1e300:
            finite_result(D, "sigma'(X W^T) (inputs or weights too large)")
        return D

    @quiet_overflow
    def jacobian(self, X: ArrayLike) -> Array:
        """The Jacobian ``J = ∂f/∂W``, shape ``(n, m·d)``, columns in the order of ``W.ravel()``.

        Row i is ``[scale·s_1 σ'(w_1ᵀx_i) x_iᵀ, …, scale·s_m σ'(w_mᵀx_i) x_iᵀ]`` (neuron-major,
        as on the slide "Case study: Shallow neural net"). Allocates n·m·d floats: use
        :meth:`jvp`, :meth:`vjp` or :meth:`ntk` when only products are needed.
        """
        X = self.check_inputs(X)
        D = self.derivative_features(X)
        return finite_result((D[:, :, None] * X[:, None, :]).reshape(X.shape[0], self.p), "the Jacobian")

    @quiet_overflow
    def jvp(self, X: ArrayLike, V: ArrayLike) -> Array:
        """``J V`` for a weight direction ``V`` (shape ``(m, d)`` or ``(m·d,)``), shape ``(n,)``.

        ``(J V)_i = Σ_j D[i, j] · v_jᵀ x_i``; cost O(n·m·d), J never formed.
        """
        X = self.check_inputs(X)
        V = as_weights(V, "V", (self.m, self.d))
        D = self.derivative_features(X)
        return finite_result(np.einsum("ij,ij->i", D, X @ V.T), "J V")

    @quiet_overflow
    def vjp(self, X: ArrayLike, r: ArrayLike) -> Array:
        """``Jᵀ r`` reshaped to ``(m, d)``: ``Σ_i r_i D[i, j] x_i`` for neuron j. Cost O(n·m·d)."""
        X = self.check_inputs(X)
        r = as_array(r, "r", shape=(X.shape[0],))
        D = self.derivative_features(X)
        return finite_result((D * r[:, None]).T @ X, "J^T r")

    @quiet_overflow
    def ntk(self, X: ArrayLike, X2: ArrayLike | None = None) -> Array:
        """The tangent-kernel Gram matrix ``J Jᵀ = (X Xᵀ) ⊙ (D Dᵀ)``, shape ``(n, n)``.

        With ``X2`` (shape ``(n2, d)``): the cross kernel ``J(X) J(X2)ᵀ = (X X2ᵀ) ⊙ (D D2ᵀ)``, shape
        ``(n, n2)``, at cost O(n·n2·m + (n + n2)·m·d), e.g. the linearized model's predictions at
        test points; ``ntk(X, X)`` equals ``ntk(X)`` up to round-off.

        ``D[i, j] = scale · s_j σ'(w_jᵀ x_i)``. Costs one (n×d)(d×m) product for D, one σ' pass
        (in place) and a symmetric rank-m update (BLAS ``syrk``, half of ``D Dᵀ``): about
        n²m + 2nmd flops and n·m extra floats, against 2n²·m·d flops and n·m·d floats through J
        (Novak et al. 2022 call this the structured NTK). ``benchmarks/bench_ntk.py`` prints its
        wall time, peak memory and speed-up over J Jᵀ up to n = 1000, m = 16000, d = 100 (where J
        alone would take 12.8 GB).
        """
        X = self.check_inputs(X)
        if X2 is not None:
            X2 = self.check_inputs(X2, "X2")
            cross = (X @ X2.T) * (self.derivative_features(X) @ self.derivative_features(X2).T)
            return finite_result(cross, "the cross tangent kernel J(X) J(X2)^T")
        D = self.derivative_features(X)
        # NumPy recognises D @ D.T and calls BLAS syrk, then mirrors the triangle, so the result is
        # exactly symmetric (measured faster than calling scipy's dsyrk and symmetrising by hand).
        gram = D @ D.T
        gram *= X @ X.T
        return finite_result(gram, "the tangent kernel J J^T")
