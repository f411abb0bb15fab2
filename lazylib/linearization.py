"""Linearization around initialization (slides "Recall" and "Setup").

``f₀(u) = f(w₀) + J₀ (u − w₀)`` — the first-order Taylor model of the network in its weights.
Its evaluation is matrix-free (one Jacobian–vector product), so it is cheap at any width.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ._checks import as_weights, check_instance
from ._types import Array
from .models import ShallowNet

__all__ = ["LinearizedNet", "linearization_error", "linearize"]


@dataclass(frozen=True)
class LinearizedNet:
    """The linearized model ``f₀(u) = f(w₀) + J₀(u − w₀)`` of a network on a data set.

    Attributes
    ----------
    net : ShallowNet
        The network at its initialization ``w₀``.
    X : ndarray, shape (n, d)
        The inputs baked into the predictor vector.
    f0 : ndarray, shape (n,)
        ``f(w₀)`` on ``X``.
    """

    net: ShallowNet
    X: Array
    f0: Array

    @property
    def w0(self) -> Array:
        """The expansion point ``w₀`` (the network's weights), shape ``(m, d)``."""
        return self.net.W

    def jacobian(self) -> Array:
        """``J₀``, shape ``(n, m·d)`` (materialised: small problems only)."""
        return self.net.jacobian(self.X)

    def ntk(self) -> Array:
        """``J₀ J₀ᵀ``, shape ``(n, n)``, without materialising ``J₀``."""
        return self.net.ntk(self.X)

    def __call__(self, U: ArrayLike) -> Array:
        """``f₀(u)`` on the baked-in inputs, shape ``(n,)``; ``U`` of shape ``(m, d)`` or ``(m·d,)``."""
        U = as_weights(U, "U", (self.net.m, self.net.d))
        return self.f0 + self.net.jvp(self.X, U - self.w0)


def linearize(net: ShallowNet, X: ArrayLike) -> LinearizedNet:
    """Linearize ``net`` at its current weights on the inputs ``X`` (shape ``(n, d)``).

    Returns
    -------
    LinearizedNet
        Callable on weights: ``f₀(u) = f(w₀) + J₀(u − w₀)``, cost O(n·m·d) per call.
    """
    net = check_instance(net, ShallowNet, "net")
    X = net.check_inputs(X)
    return LinearizedNet(net=net, X=X, f0=net(X))


def linearization_error(net: ShallowNet, W: ArrayLike, X: ArrayLike) -> Array:
    """``|f(x_i; W) − f₀(x_i; W)|`` for each input, shape ``(n,)``.

    ``f₀`` is the linearization of ``net`` at its own weights ``w₀``; ``W`` is the perturbed
    weight matrix (shape ``(m, d)``). This is the quantity of the Recall section's laws
    ``‖W − W₀‖²/√m`` (smooth σ) and ``‖W − W₀‖^{4/3}/m^{1/6}`` (ReLU), both under ``scale = 1/√m``.
    """
    net = check_instance(net, ShallowNet, "net")
    lin = linearize(net, X)
    W = as_weights(W, "W", (net.m, net.d))
    return np.abs(net.with_weights(W)(lin.X) - lin(W))
