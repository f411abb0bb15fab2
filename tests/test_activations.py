"""Activations: σ', σ'' against finite differences, β₀ = sup|σ''|, and ReLU's missing β₀."""

from __future__ import annotations

import numpy as np
import pytest

from lazylib.activations import ACTIVATIONS, NotSmoothError, get_activation

SMOOTH = ["tanh", "softplus"]
# Grid avoiding ReLU's kink at 0 by more than the finite-difference step.
Z = np.concatenate([np.linspace(-8.0, -0.01, 400), np.linspace(0.01, 8.0, 400)])
H = 1e-5


def central(f, z: np.ndarray) -> np.ndarray:
    return (f(z + H) - f(z - H)) / (2 * H)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_first_derivative_matches_central_differences(name: str) -> None:
    act = get_activation(name)
    # Truncation error h²|σ'''|/6 ≤ 2e-10 and round-off ε/h ≈ 2e-11 (values are O(1) up to |z| = 8).
    np.testing.assert_allclose(act.dsigma(Z), central(act.sigma, Z), rtol=0, atol=1e-8)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_second_derivative_matches_central_differences(name: str) -> None:
    act = get_activation(name)
    np.testing.assert_allclose(act.d2sigma(Z), central(act.dsigma, Z), rtol=0, atol=1e-8)


@pytest.mark.parametrize(("name", "value"), [("tanh", 4 / (3 * np.sqrt(3))), ("softplus", 0.25)])
def test_beta0_is_the_supremum_of_the_second_derivative(name: str, value: float) -> None:
    act = get_activation(name)
    assert act.beta0 == pytest.approx(value, rel=1e-15)
    z = np.linspace(-40.0, 40.0, 800_001)  # spacing 1e-4: the maximum is found to O(1e-8)
    sup = np.max(np.abs(act.d2sigma(z)))
    assert sup <= act.beta0 * (1 + 1e-14)
    assert sup >= act.beta0 * (1 - 1e-7)


def test_relu_has_no_smoothness_constant() -> None:
    relu = get_activation("relu")
    assert not relu.smooth
    with pytest.raises(NotSmoothError, match="not smooth"):
        _ = relu.beta0
    assert issubclass(NotSmoothError, ValueError)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_fast_paths_agree_with_the_reference_formulas(name: str) -> None:
    act = get_activation(name)
    z = np.linspace(-50.0, 50.0, 2001)
    np.testing.assert_allclose(act.dsigma_from_sigma(act.sigma(z)), act.dsigma(z), rtol=1e-15, atol=1e-15)
    np.testing.assert_allclose(act.sigma_inplace(z.copy()), act.sigma(z), rtol=1e-15, atol=0)
    np.testing.assert_allclose(act.dsigma_inplace(z.copy()), act.dsigma(z), rtol=1e-15, atol=0)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_extreme_inputs_stay_finite_without_warnings(name: str) -> None:
    act = get_activation(name)
    z = np.array([-1e300, -1e3, -40.0, 0.0, 40.0, 1e3, 1e300])
    for f in (act.sigma, act.dsigma, act.d2sigma, lambda v: act.dsigma_from_sigma(act.sigma(v))):
        assert np.isfinite(f(z)).all()


def test_softplus_derivative_is_the_logistic_function_accurate_in_the_tails() -> None:
    sp = get_activation("softplus")
    z = np.array([-700.0, -30.0, 30.0])
    exact = 1.0 / (1.0 + np.exp(-z))
    np.testing.assert_allclose(sp.dsigma(z), exact, rtol=1e-14)
    np.testing.assert_allclose(sp.dsigma_from_sigma(sp.sigma(z)), exact, rtol=1e-14)


def test_unknown_activation_is_rejected() -> None:
    with pytest.raises(ValueError, match="activation must be one of"):
        get_activation("sigmoid")


@pytest.mark.parametrize("name", ["tanh", "softplus", "relu"])
def test_dsigma_from_sigma_writes_in_place_and_keeps_shapes(name: str) -> None:
    """The in-place contract the flows' right-hand side relies on: ``out`` is filled and returned."""
    act = get_activation(name)
    z = np.array([[-2.0, -0.3, 0.0], [0.4, 1.5, 7.0]])
    expected = act.dsigma(z)
    buf = act.sigma(z)
    got = act.dsigma_from_sigma(buf, out=buf)
    assert got is buf
    np.testing.assert_allclose(buf, expected, rtol=1e-14, atol=1e-300)
    fresh = act.dsigma_from_sigma(act.sigma(z))
    assert fresh.dtype == np.float64 and fresh.shape == z.shape
    np.testing.assert_allclose(fresh, expected, rtol=1e-14)


@pytest.mark.parametrize("name", ["tanh", "softplus", "relu"])
def test_derivatives_of_integer_arrays_are_float_arrays_of_the_same_shape(name: str) -> None:
    act = get_activation(name)
    z = np.array([[-2, 0], [1, 3]])
    for f in (act.dsigma, act.d2sigma):
        out = f(z)
        assert out.shape == z.shape and out.dtype == np.float64
        np.testing.assert_allclose(out, f(z.astype(float)), rtol=1e-15)
