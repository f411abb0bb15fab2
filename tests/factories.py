"""Shared problem factories and independent reference computations for the lazylib unit tests.

A plain module (``from factories import ...``), not ``conftest``: a test run that also collects
``tests/site`` or ``tests/lab`` has several ``conftest`` modules, and ``from conftest import`` then
may find the wrong one.

The references here never call the function they check: Jacobians are materialised from the
slide formula by explicit loops, risks are summed by hand, Gaussian expectations use
``scipy.integrate.quad``.
"""

from __future__ import annotations

import os

import numpy as np

from lazylib.data import sphere
from lazylib.models import ShallowNet

#: σ, σ', σ'' written out again (not taken from lazylib.activations), for reference computations.
SIGMA = {
    "tanh": (np.tanh, lambda z: 1.0 / np.cosh(z) ** 2, lambda z: -2.0 * np.tanh(z) / np.cosh(z) ** 2),
    "softplus": (
        lambda z: np.log1p(np.exp(z)),
        lambda z: 1.0 / (1.0 + np.exp(-z)),
        lambda z: np.exp(-z) / (1.0 + np.exp(-z)) ** 2,
    ),
    "relu": (lambda z: np.maximum(z, 0.0), lambda z: np.greater(z, 0).astype(float), lambda z: 0.0 * z),
}


def make_problem(
    n: int = 5,
    d: int = 3,
    m: int = 8,
    activation: str = "tanh",
    seed: int = 0,
    symmetric: bool = True,
    scale: float = 1.0,
) -> tuple[ShallowNet, np.ndarray, np.ndarray]:
    """A small regression problem: unit-norm inputs, smooth targets, a random net (centred by default)."""
    rng = np.random.default_rng(seed)
    X = sphere(n, d, rng)
    y = np.sin(2.0 * X[:, 0]) + 0.5 * X[:, -1]
    net = ShallowNet.random(m, d, activation, rng, symmetric=symmetric, scale=scale)
    return net, X, y


def explicit_forward(W: np.ndarray, s: np.ndarray, X: np.ndarray, activation: str, scale: float = 1.0):
    """``f(x_i) = scale · Σ_j s_j σ(w_jᵀ x_i)`` by an explicit double loop."""
    sigma = SIGMA[activation][0]
    out = np.zeros(X.shape[0])
    for i, x in enumerate(X):
        for j in range(W.shape[0]):
            out[i] += scale * s[j] * sigma(float(W[j] @ x))
    return out


def explicit_jacobian(net: ShallowNet, X: np.ndarray, W: np.ndarray | None = None) -> np.ndarray:
    """``∂f(x_i)/∂w_{jk} = scale · s_j σ'(w_jᵀx_i) x_{ik}`` by explicit loops (neuron-major columns)."""
    W = net.W if W is None else np.asarray(W).reshape(net.W.shape)
    dsigma = SIGMA[net.activation][1]
    J = np.zeros((X.shape[0], net.p))
    for i, x in enumerate(X):
        for j in range(net.m):
            J[i, j * net.d : (j + 1) * net.d] = net.scale * net.s[j] * dsigma(float(W[j] @ x)) * x
    return J


def explicit_risk(pred: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``½‖pred − y‖²`` along the last axis."""
    return 0.5 * np.sum((np.asarray(pred) - y) ** 2, axis=-1)


def has_line(ax, x, y) -> bool:
    """Whether a line of the matplotlib axes ``ax`` carries exactly the data (x, y) (figure tests)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    for line in ax.get_lines():
        lx, ly = np.asarray(line.get_xdata(), dtype=float), np.asarray(line.get_ydata(), dtype=float)
        if lx.shape == x.shape and np.allclose(lx, x, equal_nan=True) and np.allclose(ly, y, equal_nan=True):
            return True
    return False


#: Debian's Chromium for the browser tests (site, JupyterLab, the player): no sandbox (root in CI),
#: nothing phoning home.
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
