"""Input validation shared by every public entry point of :mod:`lazylib`.

Each helper raises :class:`ValueError` whose message names the offending argument and says
what was wrong (shape, NaN/inf, sign), so that bad input never turns into a silent NaN.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from ._types import Array

__all__ = [
    "as_array",
    "check_finite_scalar",
    "check_positive",
    "check_positive_array",
    "check_positive_int",
    "check_times",
]


def as_array(
    value: ArrayLike,
    name: str,
    ndim: int | None = None,
    shape: Sequence[int | None] | None = None,
) -> Array:
    """Convert ``value`` to a finite float64 array, checking its rank and shape.

    Parameters
    ----------
    value : array_like
        The input.
    name : str
        Name of the argument, used in error messages.
    ndim : int, optional
        Required number of dimensions.
    shape : sequence of int or None, optional
        Required shape; ``None`` entries are free.

    Raises
    ------
    ValueError
        If the value is not numeric, has the wrong rank or shape, or holds NaN/inf.
    """
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a numeric array, got {type(value).__name__}") from exc
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional, got shape {arr.shape}")
    if shape is not None:
        if arr.ndim != len(shape) or any(
            want is not None and got != want for got, want in zip(arr.shape, shape, strict=True)
        ):
            want_txt = "(" + ", ".join("*" if s is None else str(s) for s in shape) + ")"
            raise ValueError(f"{name} must have shape {want_txt}, got {arr.shape}")
    if arr.size and not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or inf")
    return arr


def check_finite_scalar(value: float, name: str) -> float:
    """Return ``value`` as a float, raising ``ValueError`` if it is not a finite real number."""
    try:
        out = float(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a real number, got {value!r}") from exc
    if not np.isfinite(out):
        raise ValueError(f"{name} must be finite, got {out}")
    return out


def check_positive(value: float, name: str) -> float:
    """Return ``value`` as a float, raising ``ValueError`` unless it is finite and > 0."""
    out = check_finite_scalar(value, name)
    if out <= 0:
        raise ValueError(f"{name} must be > 0, got {out}")
    return out


def check_positive_int(value: int, name: str) -> int:
    """Return ``value`` as an int, raising ``ValueError`` unless it is an integer >= 1."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be >= 1, got {value}")
    return int(value)


def check_times(value: ArrayLike, name: str) -> Array:
    """A time grid: finite, 1-D, non-empty, non-negative and non-decreasing (repeats allowed).

    Raises
    ------
    ValueError
        Naming ``name`` and what was wrong.
    """
    t = as_array(value, name, ndim=1)
    if t.size == 0:
        raise ValueError(f"{name} must hold at least one time")
    if np.any(t < 0) or np.any(np.diff(t) < 0):
        raise ValueError(f"{name} must be non-negative and non-decreasing")
    return t


def check_positive_array(value: ArrayLike, name: str) -> Array:
    """A non-empty 1-D array of finite values > 0 (a sweep of scales α, τ, widths factors, …)."""
    arr = as_array(value, name, ndim=1)
    if arr.size == 0 or np.any(arr <= 0):
        raise ValueError(f"{name} must be a non-empty array of values > 0")
    return arr
