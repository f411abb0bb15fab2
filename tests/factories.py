"""Shared problem factories and independent reference computations for the lazylib unit tests.

A plain module (``from factories import ...``), not ``conftest``: a test run that also collects
``tests/site`` or ``tests/lab`` has several ``conftest`` modules, and ``from conftest import`` then
may find the wrong one.

The references here never call the function they check: Jacobians are materialised from the
slide formula by explicit loops, risks are summed by hand, Gaussian expectations use
``scipy.integrate.quad``. The fuzz harness (:func:`fuzz_tests`) is shared by ``test_fuzz.py``
(the numerics) and ``test_fuzz_viz.py`` (the presentation layer).
"""

from __future__ import annotations

import inspect
import os
import signal
from collections.abc import Callable, Collection, Sequence
from types import ModuleType
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

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


# ------------------------------------------------------------------------------------ the fuzz harness
#: A fuzz template: the function and the keyword arguments of one valid call.
Template = tuple[Callable[..., Any], dict[str, Any]]


class Fresh:
    """A template argument built anew at each call (a figure that every call changes)."""

    def __init__(self, build: Callable[[], Any], name: str) -> None:
        self.build, self.name = build, name

    def __repr__(self) -> str:
        return self.name


class CallTimeout(BaseException):
    """A fuzzed call ran past its time bound."""


def call_bounded(func: Callable[..., Any], kwargs: dict[str, Any], seconds: float) -> Any:
    """``func(**kwargs)`` (each :class:`Fresh` argument built first), stopped by :class:`CallTimeout`
    after ``seconds`` of wall-clock time (a signal alarm)."""
    kwargs = {k: v.build() if isinstance(v, Fresh) else v for k, v in kwargs.items()}

    def alarm(_signum: int, _frame: Any) -> None:
        raise CallTimeout

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return func(**kwargs)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def fuzz_tests(
    templates: dict[str, Template],
    modules: Sequence[ModuleType],
    values: Callable[[Any], st.SearchStrategy[Any]],
    check_result: Callable[[str, Any], None],
    *,
    examples: int,
    seconds: float = 10.0,
    fuzzed: Callable[[Any], bool] = inspect.isfunction,
    exempt: Collection[str] = (),
    fixed: Callable[[Callable[..., Any], str], bool] = lambda func, key: False,
) -> tuple[Callable[..., None], Callable[..., None], Callable[..., None]]:
    """The three tests of a fuzz module (bind them to module-level ``test_`` names):

    * every public name (``__all__``) of ``modules`` for which ``fuzzed`` holds, ``exempt`` aside,
      has a template (named after it, or whose function has its name);
    * each template's valid call answers (within ``seconds``) and passes ``check_result``;
    * a call with one or two of its arguments replaced by values drawn from ``values(valid)``
      (``fixed(func, key)`` arguments kept) raises nothing but ``ValueError`` or ``TypeError``,
      answers within ``seconds`` and, when it returns, passes ``check_result``. ``examples`` draws
      per template, derandomized: the same examples every run.
    """

    def test_every_public_function_has_a_template() -> None:
        templated = {getattr(func, "__name__", "") for func, _ in templates.values()} | set(templates)
        missing = [
            f"{mod.__name__}.{name}"
            for mod in modules
            for name in getattr(mod, "__all__", [])
            if fuzzed(getattr(mod, name)) and name not in templated and name not in exempt
        ]
        assert not missing, f"add a fuzz template for {missing}"

    @pytest.mark.parametrize("name", sorted(templates))
    def test_valid_template_answers(name: str) -> None:
        func, kwargs = templates[name]
        check_result(name, call_bounded(func, dict(kwargs), seconds))

    @pytest.mark.parametrize("name", sorted(templates))
    @settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure is reported as drawn
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def test_fuzzed_call_raises_only_clear_errors(name: str, data: st.DataObject) -> None:
        func, valid = templates[name]
        kwargs = dict(valid)
        fuzzable = sorted(k for k in kwargs if not fixed(func, k))
        n_mutations = data.draw(st.integers(1, min(2, len(fuzzable))), label="mutations")
        keys = data.draw(
            st.lists(st.sampled_from(fuzzable), min_size=n_mutations, max_size=n_mutations, unique=True),
            label="arguments",
        )
        for key in keys:
            kwargs[key] = data.draw(values(valid[key]), label=key)
        try:
            result = call_bounded(func, kwargs, seconds)
        except (ValueError, TypeError):
            return
        except CallTimeout:
            pytest.fail(f"{name}({', '.join(keys)} fuzzed) ran past {seconds} s")
        check_result(name, result)

    return (
        test_every_public_function_has_a_template,
        test_valid_template_answers,
        test_fuzzed_call_raises_only_clear_errors,
    )
