"""Fits of scaling laws (used to assert exponents in the notebooks).

* :func:`fit_power_law`, :func:`bootstrap_power_law` — ``y ≈ c·x^k`` in log–log coordinates;
* :func:`fit_error_law` — the Recall page's joint law ``error ≈ c·ρ^a·m^b`` over a grid;
* :func:`fit_decay_rate` — the late exponential rate of a risk curve (Theorem 8.1 page).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ._checks import as_array, check_in_range, check_positive_int, check_times, make_rng, quiet_overflow
from ._types import Array, Seed

__all__ = [
    "ErrorLaw",
    "PowerLawFit",
    "bootstrap_power_law",
    "fit_decay_rate",
    "fit_error_law",
    "fit_power_law",
]


def _polyfit_line(x: Array, y: Array, name: str) -> tuple[float, float]:
    """``numpy.polyfit(x, y, 1)`` as (slope, intercept); a badly conditioned fit (NumPy's
    RankWarning) is a ``ValueError`` naming ``name``."""
    spread = float(np.ptp(x))
    if not 1e-150 < spread < 1e150 or not np.all(np.abs(x) < 1e150):
        raise ValueError(f"{name} is out of range for a least-squares line (spread {spread:.3g})")
    with warnings.catch_warnings():
        warnings.simplefilter("error", np.exceptions.RankWarning)
        try:
            slope, intercept = np.polyfit(x, y, 1)
        except np.exceptions.RankWarning:
            raise ValueError(f"{name} is out of range: the least-squares line is badly conditioned") from None
    return float(slope), float(intercept)


@quiet_overflow
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
    if np.ptp(np.log(x)) == 0:
        raise ValueError("x must hold at least two distinct values: a slope needs a spread in x")
    k, logc = _polyfit_line(np.log(x), np.log(y), "x")
    return float(k), float(np.exp(logc))


@dataclass(frozen=True)
class PowerLawFit:
    """A fitted exponent with a bootstrap interval.

    Attributes
    ----------
    exponent : float
        Exponent of ``y ≈ c · x^k`` fitted to the statistic of all samples.
    low, high : float
        Percentile interval of the exponent over the bootstrap resamples.
    level : float
        Coverage of the interval (e.g. 0.9).
    """

    exponent: float
    low: float
    high: float
    level: float


def bootstrap_power_law(
    x: ArrayLike,
    samples: ArrayLike,
    rng: Seed = None,
    n_boot: int = 2000,
    level: float = 0.9,
    statistic: Callable[..., np.ndarray] = np.median,
) -> PowerLawFit:
    """Exponent of a power law fitted to a per-``x`` statistic of seeds, with a bootstrap interval.

    ``samples[s, k]`` is the measurement of seed ``s`` at ``x[k]``. The exponent is the log–log slope
    (:func:`fit_power_law`) of ``statistic(samples, axis=0)``; the interval comes from resampling the
    seeds with replacement, independently for each ``x`` (the seeds of different ``x`` are independent
    draws), and refitting. It measures the seed-to-seed scatter over the given range of ``x`` only.

    Parameters
    ----------
    x : array_like, shape (K,)
    samples : array_like, shape (S, K)
        All > 0.
    rng, n_boot, level
        Randomness, number of resamples (≥ 10), coverage in (0, 1).
    statistic : callable
        Reduces axis 0 (default: the median).

    Returns
    -------
    PowerLawFit

    Raises
    ------
    ValueError
        Bad shapes, non-positive values, ``n_boot < 10`` or ``level`` outside (0, 1).
    """
    x = as_array(x, "x", ndim=1)
    samples = as_array(samples, "samples", ndim=2)
    if samples.shape[0] == 0:
        raise ValueError("samples must hold at least one seed (row)")
    if samples.shape[1] != x.size:
        raise ValueError(f"samples must have shape (S, {x.size}) to match x, got {samples.shape}")
    if np.any(samples <= 0):
        raise ValueError("samples must be > 0 for a log-log fit")
    n_boot = check_positive_int(n_boot, "n_boot", minimum=10)
    level = check_in_range(level, "level", 0.0, 1.0, low_open=True, high_open=True)
    k, _ = fit_power_law(x, statistic(samples, axis=0))
    rng = make_rng(rng)
    S = samples.shape[0]
    idx = rng.integers(0, S, size=(int(n_boot), S, x.size))
    resampled = np.take_along_axis(samples[None, :, :], idx, axis=1)  # (n_boot, S, K)
    stats = np.log(statistic(resampled, axis=1))
    logx = np.log(x) - np.log(x).mean()
    slopes = (stats - stats.mean(axis=1, keepdims=True)) @ logx / (logx @ logx)
    lo, hi = np.quantile(slopes, [(1 - level) / 2, (1 + level) / 2])
    return PowerLawFit(exponent=float(k), low=float(lo), high=float(hi), level=float(level))


@dataclass(frozen=True)
class ErrorLaw:
    """Joint log–log fit ``error ≈ c · ρ^{exponent_rho} · m^{exponent_m}``."""

    exponent_rho: float
    exponent_m: float
    prefactor: float


def fit_error_law(widths: ArrayLike, sizes: ArrayLike, errors: ArrayLike) -> ErrorLaw:
    """Least-squares fit of ``log error = log c + a log ρ + b log m`` over a (widths × sizes) grid.

    Parameters
    ----------
    widths : array_like, shape (n_m,)
    sizes : array_like, shape (n_B,)
    errors : array_like, shape (n_m, n_B), all > 0
    """
    widths = as_array(widths, "widths", ndim=1)
    sizes = as_array(sizes, "sizes", ndim=1)
    errors = as_array(errors, "errors", shape=(widths.size, sizes.size))
    if np.any(widths <= 0) or np.any(sizes <= 0) or np.any(errors <= 0):
        raise ValueError("widths, sizes and errors must be > 0 for a log-log fit")
    if np.unique(widths).size < 2 or np.unique(sizes).size < 2:
        raise ValueError("need at least two distinct widths and two distinct sizes")
    lm, lb = np.meshgrid(np.log(widths), np.log(sizes), indexing="ij")
    A = np.column_stack([np.ones(lm.size), lb.ravel(), lm.ravel()])
    coef, *_ = np.linalg.lstsq(A, np.log(errors).ravel(), rcond=None)
    return ErrorLaw(exponent_rho=float(coef[1]), exponent_m=float(coef[2]), prefactor=float(np.exp(coef[0])))


@quiet_overflow
def fit_decay_rate(t: ArrayLike, risk: ArrayLike, start: float = 0.5) -> float:
    """Exponential rate ``c`` of ``risk ≈ A e^{−c t}``, least squares on ``log risk`` for late times.

    Parameters
    ----------
    t, risk : array_like, shape (T,)
    start : float
        Fit on ``t ≥ start · t[-1]`` (0 ≤ start < 1), where the slowest mode dominates.
    """
    t = check_times(t, "t", min_size=2)
    risk = as_array(risk, "risk", shape=t.shape)
    start = check_in_range(start, "start", 0.0, 1.0, high_open=True)
    keep = t >= start * t[-1]
    if keep.sum() < 2 or np.any(risk[keep] <= 0):
        raise ValueError("need at least two positive risk values in the fitted window")
    if np.ptp(t[keep]) == 0:
        raise ValueError("t must hold at least two distinct times in the fitted window")
    slope, _ = _polyfit_line(t[keep], np.log(risk[keep]), "t")
    if not np.isfinite(slope):
        raise ValueError("t is out of range: the fitted slope is not a finite float64")
    return float(-slope)
