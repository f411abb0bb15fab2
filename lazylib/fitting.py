"""Log–log fits of scaling laws (used to assert exponents in the notebooks)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._checks import as_array

__all__ = ["fit_power_law"]


def fit_power_law(x: ArrayLike, y: ArrayLike) -> tuple[float, float]:
    """Least-squares fit of ``y ≈ c · x^k`` in log–log coordinates.

    Returns
    -------
    (k, c) : tuple of float
        The exponent and the prefactor.

    Raises
    ------
    ValueError
        If the arrays differ in shape, hold fewer than two points, or are not all > 0.
    """
    x = as_array(x, "x", ndim=1)
    y = as_array(y, "y", shape=x.shape)
    if x.size < 2:
        raise ValueError("need at least two points to fit a power law")
    if np.any(x <= 0) or np.any(y <= 0):
        raise ValueError("x and y must be > 0 for a log-log fit")
    k, logc = np.polyfit(np.log(x), np.log(y), 1)
    return float(k), float(np.exp(logc))
