"""bootstrap_power_law: exponent of the per-x statistic, interval from resampled seeds."""

from __future__ import annotations

import numpy as np
import pytest

from lazylib.fitting import bootstrap_power_law, fit_power_law


def test_exact_power_law_has_a_degenerate_interval() -> None:
    x = np.array([1.0, 2.0, 4.0, 8.0])
    samples = np.tile(3.0 * x**-1.5, (5, 1))
    fit = bootstrap_power_law(x, samples, rng=0, n_boot=50)
    assert fit.exponent == pytest.approx(-1.5, abs=1e-12)
    assert fit.low == pytest.approx(-1.5, abs=1e-12) and fit.high == pytest.approx(-1.5, abs=1e-12)


def test_interval_covers_the_truth_and_matches_a_direct_refit() -> None:
    rng = np.random.default_rng(1)
    x = np.geomspace(2, 64, 6)
    samples = x**2.0 * np.exp(0.3 * rng.standard_normal((9, x.size)))
    fit = bootstrap_power_law(x, samples, rng=2, n_boot=400, level=0.95)
    assert fit.exponent == pytest.approx(fit_power_law(x, np.median(samples, axis=0))[0], rel=1e-12)
    assert fit.low < fit.exponent < fit.high and fit.low < 2.0 < fit.high
    # slopes of the resamples refitted one by one with fit_power_law (independent of the vectorised path)
    g = np.random.default_rng(2)
    idx = g.integers(0, 9, size=(400, 9, x.size))
    slopes = [fit_power_law(x, np.median(np.take_along_axis(samples, i, axis=0), axis=0))[0] for i in idx]
    assert fit.low == pytest.approx(np.quantile(slopes, 0.025), rel=1e-9)
    assert fit.high == pytest.approx(np.quantile(slopes, 0.975), rel=1e-9)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"samples": np.ones((3, 2))}, "shape"),
        ({"samples": -np.ones((3, 4))}, "> 0"),
        ({"n_boot": 5}, "n_boot"),
        ({"level": 1.0}, "level"),
    ],
)
def test_bad_input(kwargs, match) -> None:
    args = {"x": np.array([1.0, 2.0, 3.0, 4.0]), "samples": np.ones((3, 4))} | kwargs
    with pytest.raises(ValueError, match=match):
        bootstrap_power_law(**args)
