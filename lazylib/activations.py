"""Activation functions σ with their first two derivatives and smoothness constant.

The case study of the lecture (slide "Case study: Shallow neural net", smoothness) needs
σ' to be β₀-Lipschitz, β₀ = sup|σ''|. Smooth activations carry that constant; ReLU does not
have one (σ' jumps at 0), so asking ReLU for β₀ raises :class:`NotSmoothError`: Theorem 8.1
does not apply to ReLU networks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["ACTIVATIONS", "Activation", "NotSmoothError", "get_activation"]

Array = NDArray[np.float64]


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

    @property
    def beta0(self) -> float:
        """Smoothness constant β₀ = sup_z |σ''(z)| (the Lipschitz constant of σ').

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
    t = np.tanh(z)
    return 1.0 - t * t


def _tanh_d2(z: Array) -> Array:
    t = np.tanh(z)
    return -2.0 * t * (1.0 - t * t)


def _sigmoid(z: Array) -> Array:
    # Numerically stable logistic function: exp never overflows.
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _softplus(z: Array) -> Array:
    return np.logaddexp(0.0, z)


def _softplus_d2(z: Array) -> Array:
    s = _sigmoid(z)
    return s * (1.0 - s)


def _relu(z: Array) -> Array:
    return np.maximum(z, 0.0)


def _relu_d1(z: Array) -> Array:
    return (np.asarray(z) > 0).astype(np.float64)


def _relu_d2(z: Array) -> Array:
    return np.zeros_like(np.asarray(z, dtype=np.float64))


ACTIVATIONS: dict[str, Activation] = {
    # sup|tanh''| is reached where tanh² = 1/3: 2·(1/√3)·(2/3) = 4/(3√3) ≈ 0.770.
    "tanh": Activation("tanh", np.tanh, _tanh_d1, _tanh_d2, True, 4.0 / (3.0 * np.sqrt(3.0))),
    # softplus'' = s(1 − s) with s the logistic function; its maximum is 1/4 at z = 0.
    "softplus": Activation("softplus", _softplus, _sigmoid, _softplus_d2, True, 0.25),
    "relu": Activation("relu", _relu, _relu_d1, _relu_d2, False, None),
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
        raise ValueError(
            f"activation must be one of {sorted(ACTIVATIONS)}, got {name!r}"
        ) from None
