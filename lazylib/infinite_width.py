"""Large-width limits of the shallow net at a random initialization, computed without a network.

``J₀J₀ᵀ/m`` tends to a deterministic kernel as the width grows (:func:`expected_ntk`, by Gaussian
quadrature; :func:`expected_relu_kernel` for ReLU networks with both layers trained, in closed form),
and one neuron's output has the moments :func:`expected_output_moment`, :func:`expected_output_mean`.
Shared by the pages "Case study" (:mod:`lazylib.case_study`: width condition and its prediction),
"Width as scale" (:mod:`lazylib.width_scale`: the width theorem's limit kernel) and "What lazy
training learns" (:mod:`lazylib.lazy_solution`: regression with the infinite-width kernel).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._checks import as_array, as_inputs, finite_result, quiet_overflow
from ._types import Array
from .activations import get_activation

__all__ = ["expected_ntk", "expected_output_mean", "expected_output_moment", "expected_relu_kernel"]


#: Step and half-width of the trapezoid grid for Gaussian expectations (z ∈ [−8, 8], h = 0.05).
#: For σ' analytic in a strip (tanh, softplus) the error is ~exp(−π²/(‖x‖h)) + e^{−32}: ~1e-14.
_QUAD_STEP = 0.05
_QUAD_HALF_WIDTH = 8.0


def _gauss_grid() -> tuple[Array, Array]:
    """Nodes z and weights φ(z)·h of the trapezoid rule for E[g(Z)], Z ~ N(0, 1)."""
    z = np.arange(-_QUAD_HALF_WIDTH, _QUAD_HALF_WIDTH + _QUAD_STEP / 2, _QUAD_STEP)
    return z, _QUAD_STEP * np.exp(-0.5 * z * z) / np.sqrt(2.0 * np.pi)


@quiet_overflow
def expected_ntk(X: ArrayLike, activation: str = "tanh") -> Array:
    """The large-width limit ``K = lim J₀J₀ᵀ/m``, computed by 2-d quadrature (no network drawn).

    ``K_ij = x_iᵀx_j · E[σ'(gᵀx_i) σ'(gᵀx_j)]``, ``g ~ N(0, I_d)`` (slide "Singular values";
    ``s_k² = 1``). With ``a = ‖x_i‖``, ``b = ‖x_j‖``, ``q = cos∠(x_i, x_j)``, the pair
    ``(gᵀx_i, gᵀx_j)`` is ``(a z₁, b(q z₁ + √(1−q²) z₂))`` for independent standard normals, and the
    expectation is a trapezoid sum on a 321×321 grid (error ~1e-12 for ‖x‖ ≲ 3). For ReLU, whose
    ``σ'`` is a step (the trapezoid rule would be only first-order accurate, ~1e-2), the closed form
    ``E[1(gᵀx_i > 0) 1(gᵀx_j > 0)] = (π − θ_ij)/(2π)`` is used (arc-cosine kernel, θ the angle).

    Parameters
    ----------
    X : array_like, shape (n, d)
    activation : str
        ``"tanh"``, ``"softplus"`` or ``"relu"``.

    Returns
    -------
    ndarray, shape (n, n)
        Symmetric positive semi-definite. Cost n(n+1)/2·321² activation evaluations.
    """
    X = as_inputs(X)
    act = get_activation(activation)
    norms = np.linalg.norm(X, axis=1)
    gram = X @ X.T
    safe = np.where(norms > 0, norms, 1.0)
    rho = np.clip(gram / np.outer(safe, safe), -1.0, 1.0)
    if act.name == "relu":
        return finite_result(gram * (np.pi - np.arccos(rho)) / (2 * np.pi), "the limiting kernel K")
    z, wz = _gauss_grid()
    d1 = act.dsigma(np.outer(norms, z))  # σ'(a_i z₁), shape (n, G)
    K = np.empty_like(gram)
    for i in range(X.shape[0]):
        # K is symmetric: row i from the diagonal on (j ≥ i), mirrored into column i.
        # v-values for every j ≥ i, z₁ (axis 1) and z₂ (axis 2): shape (n − i, G, G), one array,
        # overwritten with σ'(v) in place.
        r, b = rho[i, i:], norms[i:]
        v = np.add((b * r)[:, None, None] * z[None, :, None], (b * np.sqrt(1.0 - r * r))[:, None, None] * z)
        inner = act.dsigma_inplace(v) @ wz  # E[σ'(v) | z₁], shape (n − i, G)
        K[i, i:] = gram[i, i:] * (inner @ (wz * d1[i]))
        K[i + 1 :, i] = K[i, i + 1 :]
    return finite_result(K, "the limiting kernel K")


def expected_output_moment(X: ArrayLike, activation: str = "tanh") -> Array:
    """``E[σ(gᵀx_i)²]`` for ``g ~ N(0, I_d)``, shape ``(n,)``: one neuron's mean square output.

    The variance of ``f(x_i; W₀)`` is ``m`` times this (random signs kill the cross terms).
    Trapezoid quadrature in one dimension.
    """
    X = as_inputs(X)
    act = get_activation(activation)
    z, wz = _gauss_grid()
    with np.errstate(over="ignore", invalid="ignore"):
        moment = act.sigma(np.outer(np.linalg.norm(X, axis=1), z)) ** 2 @ wz
    return finite_result(moment, "E sigma(v^T x)^2")


def expected_output_mean(X: ArrayLike, activation: str = "tanh") -> Array:
    """``E[σ(gᵀx_i)]`` for ``g ~ N(0, I_d)``, shape ``(n,)``: one neuron's mean output.

    Zero for odd σ (tanh); for softplus at a unit input ``E softplus(Z) ≈ 0.806``. With all signs
    ``+1`` the mean of ``f(x_i; W₀)`` is ``m`` times this. Trapezoid quadrature in one dimension.

    Raises
    ------
    ValueError
        Bad ``X`` (shape, NaN/inf) or an unknown activation.
    """
    X = as_inputs(X)
    act = get_activation(activation)
    z, wz = _gauss_grid()
    with np.errstate(over="ignore", invalid="ignore"):
        mean = act.sigma(np.outer(np.linalg.norm(X, axis=1), z)) @ wz
    return finite_result(mean, "E sigma(v^T x)")


def expected_relu_kernel(X: ArrayLike, X2: ArrayLike | None = None) -> Array:
    """The infinite-width tangent kernel of a two-layer ReLU net with both layers trained, per neuron.

    For ``h(x) = Σ_j b_j relu(a_jᵀx)`` with ``a_j ~ N(0, I_d)``, ``b_j ~ N(0, 1)``:
    ``J Jᵀ/m → K_∞(x, x') = E[relu(aᵀx) relu(aᵀx')] + E[b²] E[1(aᵀx > 0) 1(aᵀx' > 0)] xᵀx'``
    (output layer plus inner layer). With ``θ`` the angle between ``x`` and ``x'`` (arc-cosine
    kernels, Cho & Saul 2009): ``‖x‖‖x'‖(sin θ + (π − θ) cos θ)/(2π) + xᵀx'(π − θ)/(2π)``. The
    second term is :func:`expected_ntk` with ``activation="relu"``.

    Parameters
    ----------
    X : array_like, shape (n, d)
    X2 : array_like, shape (n2, d), optional
        Second set of inputs (default ``X``).

    Returns
    -------
    ndarray, shape (n, n2)
    """
    X = as_array(X, "X", ndim=2)
    X2 = X if X2 is None else as_array(X2, "X2", shape=(None, X.shape[1]))
    if X.shape[0] == 0 or X2.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(
            f"X and X2 must hold at least one input of dimension >= 1, got {X.shape}, {X2.shape}"
        )
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        n1 = np.linalg.norm(X, axis=1)
        n2 = np.linalg.norm(X2, axis=1)
        gram = X @ X2.T
        outer = np.outer(n1, n2)
        cos = np.clip(np.where(outer > 0, gram / np.where(outer > 0, outer, 1.0), 1.0), -1.0, 1.0)
        theta = np.arccos(cos)
        K = (outer * (np.sin(theta) + (np.pi - theta) * cos) + gram * (np.pi - theta)) / (2.0 * np.pi)
    return finite_result(K, "the expected ReLU kernel (inputs too large)")
