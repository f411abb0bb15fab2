"""Activation functions σ with their first two derivatives and smoothness constant.

The case study of the lecture (slide "Case study: Shallow neural net", smoothness) needs
σ' to be β₀-Lipschitz, ``β₀ = sup|σ''|``. Smooth activations carry that constant; ReLU does not
have one (σ' jumps at 0), so asking ReLU for β₀ raises :class:`NotSmoothError`: Theorem 8.1
does not apply to ReLU networks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ._types import Array

__all__ = ["ACTIVATIONS", "Activation", "NotSmoothError", "get_activation"]


class NotSmoothError(ValueError):
    """Raised when a smoothness constant is asked of a non-smooth activation (ReLU)."""


@dataclass(frozen=True)
class Activation:
    """An elementwise activation with σ, σ' and σ'' (all vectorised over NumPy arrays).

    Attributes
    ----------
    name : str
        ``"tanh"``, ``"softplus"`` or ``"relu"``.
    sigma, dsigma, d2sigma : callable
        σ, σ' and σ'' applied elementwise (for ReLU, σ'' is 0 away from the kink).
    smooth : bool
        Whether σ' is globally Lipschitz (True for tanh and softplus).
    """

    name: str
    sigma: Callable[[Array], Array]
    dsigma: Callable[[Array], Array]
    d2sigma: Callable[[Array], Array]
    smooth: bool
    _beta0: float | None = None
    _dsigma_of_sigma: Callable[[Array, Array], Array] | None = field(default=None, repr=False)

    def dsigma_from_sigma(self, values: Array, out: Array | None = None) -> Array:
        """σ'(z) computed from the values ``σ(z)`` alone, optionally in place (``out=values``).

        tanh: ``σ' = 1 − σ²``; softplus: ``σ' = 1 − e^{−σ}`` (the logistic function);
        relu: ``σ' = 1[σ > 0]``. Lets a gradient evaluation reuse the one transcendental pass it
        already made for ``σ(Z)`` (the gradient-flow right-hand side of :mod:`lazylib.flows`).
        Cost: one or two elementwise passes, no allocation when ``out`` is given.
        """
        values = np.asarray(values, dtype=np.float64)
        if out is None:
            out = np.empty_like(values)
        if self._dsigma_of_sigma is None:
            raise NotImplementedError(f"activation {self.name!r} cannot recover sigma' from sigma")
        return self._dsigma_of_sigma(values, out)

    def sigma_inplace(self, z: Array) -> Array:
        """Overwrite the float64 array ``z`` with ``σ(z)`` and return it (no n×m temporaries)."""
        inplace = _SIGMA_INPLACE.get(self.name)
        if inplace is not None and self.sigma is ACTIVATIONS[self.name].sigma:
            return inplace(z)
        z[...] = self.sigma(z)
        return z

    def dsigma_inplace(self, z: Array) -> Array:
        """Overwrite the float64 array ``z`` with ``σ'(z)`` and return it (no n×m temporaries).

        Used by :meth:`lazylib.models.ShallowNet.derivative_features` on the freshly computed
        preactivations, where an extra n×m array would cost memory and page faults (the NTK at
        n = 1000, m = 16000 works on 128 MB arrays).
        """
        if self.name == "tanh" and self.dsigma is _tanh_d1:
            np.tanh(z, out=z)
            return _tanh_d1_of_sigma(z, z)
        z[...] = self.dsigma(z)
        return z

    @property
    def beta0(self) -> float:
        """Smoothness constant ``β₀ = sup_z |σ''(z)|`` (the Lipschitz constant of σ').

        Raises
        ------
        NotSmoothError
            For ReLU, whose derivative is discontinuous: Theorem 8.1 does not apply.
        """
        if self._beta0 is None:
            raise NotSmoothError(
                f"activation {self.name!r} is not smooth: its derivative is not Lipschitz, "
                "so it has no smoothness constant beta0 and Theorem 8.1 does not apply"
            )
        return self._beta0


def _tanh_d1(z: Array) -> Array:
    # 1 − tanh², in place on one fresh array (the NTK's hot path: one allocation of n×m).
    t = np.tanh(z)
    return _tanh_d1_of_sigma(t, t)


def _tanh_d1_of_sigma(t: Array, out: Array) -> Array:
    np.multiply(t, t, out=out)
    return np.subtract(1.0, out, out=out)


def _tanh_d2(z: Array) -> Array:
    t = np.tanh(z)
    out = t * t
    np.subtract(1.0, out, out=out)
    out *= t
    out *= -2.0
    return out


def _sigmoid(z: Array) -> Array:
    # Numerically stable logistic function: exp never overflows.
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _softplus(z: Array) -> Array:
    return np.logaddexp(0.0, z)


def _softplus_d1_of_sigma(sp: Array, out: Array) -> Array:
    # softplus = log(1 + e^z) gives e^{−softplus} = 1 − logistic(z): logistic = −expm1(−softplus),
    # accurate in relative terms at both ends (no cancellation).
    np.negative(sp, out=out)
    np.expm1(out, out=out)
    return np.negative(out, out=out)


def _softplus_d2(z: Array) -> Array:
    s = _sigmoid(z)
    return s * (1.0 - s)


def _relu(z: Array) -> Array:
    return np.maximum(z, 0.0)


def _relu_d1(z: Array) -> Array:
    return (np.asarray(z) > 0).astype(np.float64)


def _relu_d1_of_sigma(r: Array, out: Array) -> Array:
    return np.greater(r, 0.0, out=out, casting="unsafe")


def _relu_d2(z: Array) -> Array:
    return np.zeros_like(np.asarray(z, dtype=np.float64))


ACTIVATIONS: dict[str, Activation] = {
    # sup|tanh''| is reached where tanh² = 1/3: 2·(1/√3)·(2/3) = 4/(3√3) ≈ 0.770.
    "tanh": Activation(
        "tanh", np.tanh, _tanh_d1, _tanh_d2, True, 4.0 / (3.0 * np.sqrt(3.0)), _tanh_d1_of_sigma
    ),
    # softplus'' = s(1 − s) with s the logistic function; its maximum is 1/4 at z = 0.
    "softplus": Activation("softplus", _softplus, _sigmoid, _softplus_d2, True, 0.25, _softplus_d1_of_sigma),
    "relu": Activation("relu", _relu, _relu_d1, _relu_d2, False, None, _relu_d1_of_sigma),
}


_SIGMA_INPLACE: dict[str, Callable[[Array], Array]] = {
    "tanh": lambda z: np.tanh(z, out=z),
    "softplus": lambda z: np.logaddexp(0.0, z, out=z),
    "relu": lambda z: np.maximum(z, 0.0, out=z),
}


def get_activation(name: str | Activation) -> Activation:
    """Look up an activation by name (``"tanh"``, ``"softplus"``, ``"relu"``).

    Raises
    ------
    ValueError
        If the name is unknown.
    """
    if isinstance(name, Activation):
        return name
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {name!r}") from None
