"""Explorers: one interactive figure per section, live (ipywidgets) and static (an HTML player).

The pattern is :class:`Explorer`: a ``draw(fig, **params)`` function that fills a fresh matplotlib
figure, plus a dict of :class:`Control` s (each a finite list of values). From the same ``draw``:

* :meth:`Explorer.widget` builds the live UI — sliders/dropdowns observed by one ``ipywidgets.Image``
  redrawn in place (``continuous_update=False``; no Output widget, see :meth:`Explorer.widget`);
* :meth:`Explorer.player` renders every combination of the (static) control values to a small PNG
  and returns a self-contained HTML/JavaScript player (``lazylib._player``): no kernel, no CDN.

Heavy work lives in module-level functions cached with :func:`functools.lru_cache` on hashable
parameters, so moving a slider back to a visited setting only redraws, and a new setting costs one
small computation (each ≤ ~0.3 s on the book's machine; ``tests/test_widgets.py`` reports the times).

One explorer per section, named after it: ``recall_explorer()``, ``setup_explorer()``,
``theorem_explorer()``, ``case_study_explorer()``, ``lemma_8_1_explorer()``,
``lemma_8_2_explorer()``, ``eigenvalues_explorer()``, ``lazy_active_explorer()`` return the live
widget; ``static=True`` (or the matching ``…_player()``) returns the HTML player instead.
:data:`EXPLORERS` maps each section name to the builder of its :class:`Explorer`.

A new section's explorer takes minutes: write a cached compute function, a ``draw(fig, **params)``
that calls it, and register ``Explorer(draw, {"alpha": Control("α", ALPHAS)}, ...)`` in
:data:`EXPLORERS`.

This module imports the numerics; the numerics never import it (slide-by-slide sections are named
in each builder's docstring).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import matplotlib.style as mpl_style
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Circle
from matplotlib.ticker import NullLocator

from ._player import figure_png, player_html
from ._types import Array
from .data import sphere, teacher_student
from .flows import Trajectory, gradient_flow
from .models import ShallowNet
from .theory import (
    jacobian_lipschitz_bound,
    jacobian_singular_values,
    lemma_8_1_bound,
    lemma_8_2_radius,
    risk,
    theorem_8_1,
)

__all__ = [
    "EXPLORERS",
    "Control",
    "Explorer",
    "case_study_explorer",
    "case_study_player",
    "eigenvalues_explorer",
    "eigenvalues_player",
    "explorer",
    "lazy_active_explorer",
    "lazy_active_player",
    "lemma_8_1_explorer",
    "lemma_8_1_player",
    "lemma_8_2_explorer",
    "lemma_8_2_player",
    "recall_explorer",
    "recall_player",
    "setup_explorer",
    "setup_player",
    "theorem_explorer",
    "theorem_player",
]

#: Resolution of the static players' frames (pixels per inch); small to keep pages light.
PLAYER_DPI = 80
#: Resolution of the live widget's figure.
LIVE_DPI = 90
#: Matplotlib style of every explorer frame (on top of matplotlib's defaults, not the notebook's).
STYLE: dict[str, Any] = {
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "legend.fontsize": 8,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "lines.linewidth": 1.6,
}
#: Tolerances of the nonlinear flows drawn by explorers (pictures, not assertions). The explicit
#: solver's cost grows with the condition number of J₀J₀ᵀ, so the problems below are well conditioned.
_ODE = {"rtol": 1e-6, "atol": 1e-9}


# ============================================================================ the pattern
@dataclass(frozen=True)
class Control:
    """One control of an explorer: a label and a finite list of values.

    Numeric values become a selection slider, anything else (str, bool) a dropdown.

    Attributes
    ----------
    label : str
        Shown beside the control (Unicode allowed, e.g. "α").
    values : tuple
        The values the control can take (hashable: they key the compute caches).
    default : Any, optional
        The initial value (the middle value if omitted).
    static : tuple, optional
        The subset of values rendered in the static player (all values if omitted); keep
        ``prod(len(static))`` small, every combination is one PNG in the page.
    fmt : str
        Format of numeric values in labels.
    """

    label: str
    values: tuple[Any, ...]
    default: Any = None
    static: tuple[Any, ...] | None = None
    fmt: str = "{:.3g}"

    def __post_init__(self) -> None:
        if len(self.values) == 0:
            raise ValueError(f"values of control {self.label!r} must not be empty")
        if self.default is not None and self.default not in self.values:
            raise ValueError(f"default {self.default!r} of control {self.label!r} is not in values")
        if self.static is not None and (not self.static or any(v not in self.values for v in self.static)):
            raise ValueError(f"static values of control {self.label!r} must be a non-empty subset of values")

    @property
    def initial(self) -> Any:
        """The value shown first."""
        return self.values[len(self.values) // 2] if self.default is None else self.default

    @property
    def numeric(self) -> bool:
        """Whether the values are numbers (slider) rather than labels (dropdown)."""
        return all(isinstance(v, int | float) and not isinstance(v, bool) for v in self.values)

    @property
    def player_values(self) -> tuple[Any, ...]:
        """The values the static player steps through."""
        return tuple(self.values if self.static is None else self.static)

    def format(self, value: Any) -> str:
        """Label of one value."""
        if isinstance(value, bool):
            return "yes" if value else "no"
        return self.fmt.format(value) if self.numeric else str(value)

    def widget(self) -> Any:
        """The ipywidgets control (``continuous_update=False``: redraw on release)."""
        import ipywidgets as w

        options = [(self.format(v), v) for v in self.values]
        style = {"description_width": "initial"}
        if self.numeric and len(self.values) > 1:
            return w.SelectionSlider(
                options=options,
                value=self.initial,
                description=self.label,
                continuous_update=False,
                style=style,
                layout=w.Layout(width="320px"),
            )
        return w.Dropdown(options=options, value=self.initial, description=self.label, style=style)


class Explorer:
    """An interactive figure: ``draw(fig, **params)`` over a grid of :class:`Control` values.

    Parameters
    ----------
    draw : callable
        ``draw(fig, **params)`` adds axes to the empty ``fig`` and plots; ``params`` has one
        keyword per control.
    controls : mapping of str to Control
        Keyword name → control, in display order.
    figsize : (float, float)
        Figure size in inches.
    caption : str
        One line shown above the static player (what to look at).
    margins : mapping, optional
        Overrides of the ``Figure.subplots_adjust`` margins (left, right, bottom, top, wspace).
    """

    def __init__(
        self,
        draw: Callable[..., None],
        controls: Mapping[str, Control],
        *,
        figsize: tuple[float, float] = (9.0, 3.4),
        caption: str = "",
        margins: Mapping[str, float] | None = None,
    ) -> None:
        if not controls:
            raise ValueError("controls must hold at least one control")
        self.draw = draw
        self.controls = dict(controls)
        self.figsize = figsize
        self.caption = caption
        self.margins = {"left": 0.08, "right": 0.98, "bottom": 0.15, "top": 0.84, "wspace": 0.28}
        self.margins.update(margins or {})

    @property
    def defaults(self) -> dict[str, Any]:
        """The initial value of every control."""
        return {name: c.initial for name, c in self.controls.items()}

    def _params(self, params: Mapping[str, Any]) -> dict[str, Any]:
        unknown = set(params) - set(self.controls)
        if unknown:
            raise ValueError(f"unknown control(s) {sorted(unknown)}; expected {list(self.controls)}")
        full = {**self.defaults, **params}
        for name, value in full.items():
            if value not in self.controls[name].values:
                raise ValueError(f"{name} must be one of {self.controls[name].values}, got {value!r}")
        return full

    def figure(self, **params: Any) -> Figure:
        """A new figure drawn at ``params`` (missing controls at their initial value).

        Uses :class:`matplotlib.figure.Figure` directly (no pyplot state, nothing auto-displayed),
        with fixed margins: a constrained layout would double the rendering time.
        """
        with mpl_style.context(["default", STYLE]):
            fig = Figure(figsize=self.figsize, layout="none")
            fig.subplots_adjust(**self.margins)
            self.draw(fig, **self._params(params))
        for ax in fig.axes:  # minor ticks of log axes cost half the rendering time: drop them
            for axis in (ax.xaxis, ax.yaxis):  # (unless the axis spans too few decades to be read)
                lo, hi = sorted(axis.get_view_interval())
                if axis.get_scale() == "log" and lo > 0 and hi / lo >= 100:
                    axis.set_minor_locator(NullLocator())
        return fig

    def png(self, dpi: float = LIVE_DPI, colors: int = 0, **params: Any) -> bytes:
        """One frame as PNG bytes (``colors > 0``: palette-quantised, as in the static player).

        Drawn and rendered under :data:`STYLE`, whatever the notebook's own ``rcParams``, so that
        the frames are the same in a notebook, in the tests and on the site.
        """
        fig = self.figure(**params)
        with mpl_style.context(["default", STYLE]):
            return figure_png(fig, dpi=dpi, colors=colors)

    def redraw_time(self, **params: Any) -> float:
        """Seconds to compute (if not cached) and render one frame to PNG, as the live widget does."""
        start = time.perf_counter()
        self.png(LIVE_DPI, 0, **params)
        return time.perf_counter() - start

    def widget(self) -> Any:
        """The live explorer: controls above one image widget, redrawn in place on every change.

        The figure is an ``ipywidgets.Image`` whose ``value`` (PNG bytes of :meth:`figure`) is
        replaced when a control moves. No ``ipywidgets.Output`` widget is used, on purpose: during
        headless execution (nbclient, hence nbconvert, nbval and jupyter-book) every output captured
        by an Output widget makes the client send a ``comm_msg`` back to the kernel on the shell
        socket while it waits for the cell's ``execute_reply``. jupyter_client sends it through a raw
        shadow of the asyncio socket, which can swallow the socket's edge-triggered wake-up for that
        reply: the client then sleeps until its cell timeout (forever without one) although the
        reply has arrived. An Image widget's updates travel kernel → client only, so nothing is sent
        on the shell socket mid-cell. ``benchmarks/soak_execute.py`` measures it.
        """
        import ipywidgets as w

        ctrls = {name: c.widget() for name, c in self.controls.items()}
        image = w.Image(value=self.png(LIVE_DPI, 0), format="png", layout=w.Layout(width="auto"))

        def update(_change: Any = None) -> None:
            image.value = self.png(LIVE_DPI, 0, **{name: c.value for name, c in ctrls.items()})

        for ctrl in ctrls.values():
            ctrl.observe(update, names="value")
        box = w.HBox(list(ctrls.values()), layout=w.Layout(flex_flow="row wrap"))
        return w.VBox([box, image])

    def frames(self, dpi: float = PLAYER_DPI) -> tuple[list[bytes], list[str], list[list[str]], list[int]]:
        """The player's PNG frames over the static grid, row-major (last control fastest).

        Controls with a single static value are fixed and get no slider.
        """
        moving = [n for n, c in self.controls.items() if len(c.player_values) > 1]
        grids = [self.controls[n].player_values for n in moving]
        frames = []
        for combo in itertools.product(*grids):
            frames.append(self.png(dpi, 128, **dict(zip(moving, combo, strict=True))))
        names = [self.controls[n].label for n in moving]
        labels = [[self.controls[n].format(v) for v in g] for n, g in zip(moving, grids, strict=True)]
        initial = []
        for n, g in zip(moving, grids, strict=True):
            init = self.controls[n].initial
            initial.append(g.index(init) if init in g else len(g) // 2)
        return frames, names, labels, initial

    def player_html(self, dpi: float = PLAYER_DPI) -> str:
        """The static player's HTML (see :func:`lazylib._player.player_html`)."""
        frames, names, labels, initial = self.frames(dpi)
        if not names:  # every control fixed: one frame, no slider
            names, labels, initial = ["setting"], [["fixed"]], [0]
        return player_html(
            frames, names, labels, initial, caption=self.caption, alt=self.caption or "explorer"
        )

    def player(self, dpi: float = PLAYER_DPI) -> Any:
        """The static player as an ``IPython.display.HTML`` object (self-contained, no CDN)."""
        from IPython.display import HTML

        return HTML(self.player_html(dpi))


def _log_values(lo: float, hi: float, num: int) -> tuple[float, ...]:
    """``num`` log-spaced values rounded to 3 significant digits (clean labels, stable cache keys)."""
    return tuple(float(f"{v:.3g}") for v in np.geomspace(lo, hi, num))


# ============================================================================ shared problems
@lru_cache(maxsize=64)
def _problem(
    m: int, n: int = 6, d: int = 6, centred: bool = True, activation: str = "tanh", seed: int = 2
) -> tuple[ShallowNet, Array, Array]:
    """A small regression problem: ``n`` points on the unit sphere of ``R^d``, smooth targets."""
    X = sphere(n, d, rng=seed)
    y = np.sin(2.0 * X[:, 0]) + 0.5 * X[:, -1]
    net = ShallowNet.random(m, d, activation, rng=seed + 1, symmetric=centred)
    return net, X, y


def _semilogy_safe(values: Array) -> Array:
    """Replace exact zeros (e.g. a distance at t = 0) by NaN so log axes skip them."""
    v = np.asarray(values, dtype=float).copy()
    v[v <= 0] = np.nan
    return v


# ============================================================================ Setup
SETUP_ALPHAS = _log_values(0.01, 10.0, 7)


@lru_cache(maxsize=32)
def _setup_paths(alpha: float) -> tuple[Array, Trajectory, Trajectory, Array]:
    from .dynamics import compare_flows

    net, X, y = _problem(20, n=2, d=2)
    sigma_min, _ = jacobian_singular_values(net, X)
    # rescaled times α²t: log-spaced, so the fast early modes are resolved as well as the slow tail
    tau = np.concatenate([[0.0], np.geomspace(1e-3, 6.0 / sigma_min**2, 79)])
    pair = compare_flows(net, X, y, alpha, tau)
    return pair.tau / alpha**2, pair.nonlinear, pair.linearized, y


def _draw_setup(fig: Figure, alpha: float) -> None:
    t, nonlinear, linear, y = _setup_paths(alpha)
    ax1, ax2 = fig.subplots(1, 2)
    ax1.plot(*nonlinear.predictions.T, color="C0", label="network  αf(w(t))")
    ax1.plot(*linear.predictions.T, "--", color="C1", label="linearized  αf₀(u(t))")
    ax1.plot(*nonlinear.predictions[0], "o", color="k", label="start αf(w₀) = 0")
    ax1.plot(*y, "*", color="C3", markersize=12, label="target y")
    ax1.set(xlabel="prediction on x₁", ylabel="prediction on x₂", title="paths in prediction space")
    ax1.set_aspect("equal", adjustable="datalim")
    ax1.legend(loc="best", fontsize=8)
    ax2.semilogy(t * alpha**2, nonlinear.risk, color="C0", label="network")
    ax2.semilogy(t * alpha**2, linear.risk, "--", color="C1", label="linearized")
    ax2.set(xlabel="rescaled time α²t", ylabel="risk ½‖y − αf‖²", title="risk along both flows")
    ax2.legend(fontsize=8)
    gap = float(np.max(np.linalg.norm(nonlinear.predictions - linear.predictions, axis=1)))
    fig.suptitle(f"α = {alpha:.3g}: largest gap between the two prediction paths {gap:.3g}")


def _build_setup() -> Explorer:
    """Setup section: α → the prediction paths of the network's and the linearized flow (n = 2)."""
    return Explorer(
        _draw_setup,
        {"alpha": Control("α", SETUP_ALPHAS, default=1.0, static=SETUP_ALPHAS[::2])},
        caption="Setup: prediction paths of the network and its linearization as α grows",
    )


# ============================================================================ Theorem 8.1
THEOREM_ALPHAS = (0.1, 1.0, 10.0, 100.0, 1000.0, 10000.0)
THEOREM_WIDTHS = (20, 80, 320)


@lru_cache(maxsize=64)
def _theorem_run(alpha: float, m: int, centred: bool) -> tuple[Any, Array, Trajectory, Trajectory]:
    net, X, y = _problem(m, centred=centred)
    th = theorem_8_1(net, X, y, alpha)
    t = np.linspace(0.0, 8.0 / (alpha * th.sigma_min) ** 2, 60)
    nonlinear = gradient_flow(net, X, y, alpha, t, store_weights=False, **_ODE)
    linear = gradient_flow(net, X, y, alpha, t, linearized=True, store_weights=False)
    return th, t, nonlinear, linear


def _draw_theorem(fig: Figure, alpha: float, m: int, centred: bool) -> None:
    th, t, nonlinear, linear = _theorem_run(alpha, m, centred)
    ax1, ax2 = fig.subplots(1, 2)
    ts = t * alpha**2 * th.sigma_min**2
    ax1.semilogy(ts, nonlinear.risk, color="C0", label="network R(αf(w(t)))")
    ax1.semilogy(ts, linear.risk, color="C1", label="linearized R(αf₀(u(t)))")
    ax1.semilogy(ts, th.risk_bound(t), "--", color="k", label="bound R₀exp(−tα²σ²_min/2)")
    ax1.set(xlabel="α²σ²_min t", ylabel="risk", title="risk against the bound")
    ax1.legend(fontsize=8)
    ax2.semilogy(ts, _semilogy_safe(nonlinear.distance), color="C0", label="network ‖w(t) − w₀‖")
    ax2.semilogy(ts, _semilogy_safe(linear.distance), color="C1", label="linearized ‖u(t) − w₀‖")
    ax2.axhline(th.radius, ls="--", color="k", label="radius √(72σ²_max R₀)/(ασ²_min)")
    ax2.axhline(th.ball_radius / 2, ls=":", color="C3", label="B/2 = σ_min/(4β)")
    ax2.set(xlabel="α²σ²_min t", ylabel="distance from w₀", title="distance against the radius")
    ax2.legend(fontsize=8, loc="best")
    verdict = "applies (α ≥ α_min)" if th.applies else "not guaranteed (α < α_min)"
    fig.suptitle(
        f"m = {m}, {'centred' if centred else 'not centred'}, α = {alpha:g}, "
        f"α_min = {th.alpha_min:.3g}: Theorem 8.1 {verdict}",
        color="C2" if th.applies else "C3",
    )


def _build_theorem() -> Explorer:
    """Theorem 8.1 section: (α, m, centring) → risk vs bound, distance vs radius, α vs α_min."""
    return Explorer(
        _draw_theorem,
        {
            "alpha": Control(
                "α", THEOREM_ALPHAS, default=100.0, static=(0.1, 1.0, 100.0, 10000.0), fmt="{:g}"
            ),
            "m": Control("width m", THEOREM_WIDTHS, default=320, static=(20, 320)),
            "centred": Control("centred (doubling trick)", (True, False), default=True),
        },
        figsize=(9.5, 3.6),
        caption="Theorem 8.1: risk and distance against the bounds; is α above α_min?",
    )


# ============================================================================ Case study
CASE_WIDTHS = (16, 32, 64, 128, 256, 512, 1024, 2048, 4096)
CASE_SIZES = (5, 10, 20, 40)


@lru_cache(maxsize=128)
def _case_constants(m: int, n: int) -> tuple[float, float, float]:
    """σ_min, σ_max and α_min/α at α = 1 for a non-centred tanh net (d = 5, no width scaling)."""
    net, X, y = _problem(m, n=n, d=5, centred=False, seed=3)
    th = theorem_8_1(net, X, y, 1.0)
    return th.sigma_min, th.sigma_max, th.alpha_min / th.alpha


def _draw_case_study(fig: Figure, m: int, n: int) -> None:
    widths = np.array(CASE_WIDTHS, dtype=float)
    consts = np.array([_case_constants(int(k), n) for k in CASE_WIDTHS])
    here = _case_constants(m, n)
    ax1, ax2 = fig.subplots(1, 2)
    ax1.loglog(widths, consts[:, 1], "o-", color="C0", label="σ_max(J₀)")
    ax1.loglog(widths, consts[:, 0], "s-", color="C1", label="σ_min(J₀)")
    for col, color in ((1, "C0"), (0, "C1")):
        ref = consts[0, col] * np.sqrt(widths / widths[0])
        ax1.loglog(widths, ref, "--", color=color, alpha=0.7)
    ax1.plot([], [], "--", color="gray", label="∝ √m")
    ax1.loglog([m, m], here[1::-1], "o", color="k", markersize=9, fillstyle="none", label=f"m = {m}")
    ax1.set(xlabel="width m", ylabel="singular value", title=f"extreme singular values of J₀ (n = {n})")
    ax1.legend(fontsize=8)
    ax2.loglog(widths, consts[:, 2], "o-", color="C2", label="α_min/α (α = 1)")
    ax2.loglog(
        widths, consts[0, 2] * np.sqrt(widths[0] / widths), "--", color="C2", alpha=0.7, label="∝ 1/√m"
    )
    ax2.axhline(1.0, ls=":", color="k", label="theorem applies below")
    ax2.loglog([m], [here[2]], "o", color="k", markersize=9, fillstyle="none", label=f"m = {m}")
    ax2.set(xlabel="width m", ylabel="α_min / α", title="the condition is a width requirement")
    ax2.legend(fontsize=8)
    fig.suptitle(f"m = {m}, n = {n}: σ_min = {here[0]:.3g}, σ_max = {here[1]:.3g}, α_min/α = {here[2]:.3g}")


def _build_case_study() -> Explorer:
    """Case study section: (m, n) → σ_min, σ_max ∝ √m and α_min/α ∝ 1/√m (no width scaling)."""
    return Explorer(
        _draw_case_study,
        {
            "m": Control("width m", CASE_WIDTHS, default=128, static=(16, 128, 1024, 4096)),
            "n": Control("samples n", CASE_SIZES, default=10, static=(5, 10, 40)),
        },
        figsize=(9.5, 3.6),
        caption="Case study: σ_min, σ_max and α_min/α as the width m and the sample size n change",
    )


# ============================================================================ Lemma 8.1
LEMMA81_KINDS = ("identity", "gram", "rotating")
LEMMA81_LAMS = (0.1, 0.3, 1.0)
LEMMA81_OMEGAS = (0.5, 2.0, 8.0)


@lru_cache(maxsize=64)
def _lemma_8_1_run(kind: str, lam: float, omega: float) -> tuple[Array, Array, Array, Array]:
    from .lemmas import preconditioned_flow, random_pd_family

    Q = random_pd_family(3, lam, kind, rng=4, omega=omega)
    y = np.array([1.0, -0.5, 0.25])
    t = np.linspace(0.0, 3.0 / lam, 120)
    z = preconditioned_flow(Q, np.zeros(3), y, t, rtol=1e-8, atol=1e-11)
    R = risk(z, y)
    spectrum = np.array([np.linalg.eigvalsh(Q(float(s))) for s in t])
    return t, R, lemma_8_1_bound(R[0], lam, t), spectrum


def _draw_lemma_8_1(fig: Figure, kind: str, lam: float, omega: float) -> None:
    t, risk, bound, spectrum = _lemma_8_1_run(kind, lam, omega)
    ax1, ax2 = fig.subplots(1, 2)
    ax1.semilogy(t, risk, color="C0", label="R(z(t)) (measured)")
    ax1.semilogy(t, bound, "--", color="C0", label="R(z(0))·exp(−2λt) (bound)")
    ax1.set(xlabel="time t", ylabel="risk ½‖z − y‖²", title="Lemma 8.1: risk against the bound")
    ax1.legend(fontsize=8)
    for k in range(spectrum.shape[1]):
        ax2.plot(t, spectrum[:, k], color=f"C{k + 1}", label=f"λ{'₁₂₃'[k]}(Q(t))")
    ax2.axhline(lam, ls="--", color="k", label="λ = inf λ_min(Q(t))")
    ax2.set(xlabel="time t", ylabel="eigenvalue", title=f"the family Q(t): {kind}")
    ax2.legend(fontsize=8)
    ratio = float(np.max(risk / bound))
    fig.suptitle(f"{kind}, λ = {lam:.3g}, ω = {omega:.3g}: max risk/bound = {ratio:.3g} (≤ 1)")


def _build_lemma_8_1() -> Explorer:
    """Lemma 8.1 section: a family Q(t) (kind, λ, speed ω) → risk of ż = −Q(t)(z − y) vs bound."""
    return Explorer(
        _draw_lemma_8_1,
        {
            "kind": Control("family Q(t)", LEMMA81_KINDS, default="gram"),
            "lam": Control("λ", LEMMA81_LAMS, default=0.3, static=(0.3,)),
            "omega": Control("speed ω", LEMMA81_OMEGAS, default=2.0),
        },
        caption="Lemma 8.1: the risk of ż = −Q(t)(z − y) against R₀exp(−2λt) for several families Q(t)",
    )


# ============================================================================ Lemma 8.2 and eigenvalues
FLOW_ALPHAS = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
_FLOW_WIDTH = 40


@lru_cache(maxsize=32)
def _centred_flow(alpha: float) -> dict[str, Any]:
    """Gradient flow of a centred tanh net (m = 40, n = 6, d = 3), 10 linear time scales long.

    Returns the times, the trajectory and the spectrum of ``J_t J_tᵀ`` at every stored time.
    """
    from .lemmas import kernel_spectra

    net, X, y = _problem(_FLOW_WIDTH)
    sigma_min, sigma_max = jacobian_singular_values(net, X)
    t = np.linspace(0.0, 10.0 / (alpha * sigma_min) ** 2, 50)
    traj = gradient_flow(net, X, y, alpha, t, **_ODE)
    spectra = kernel_spectra(net, X, traj.weights)
    return {
        "t": t,
        "traj": traj,
        "spectra": spectra,
        "sigma_min": sigma_min,
        "sigma_max": sigma_max,
        "beta": jacobian_lipschitz_bound(net, X),
        "w0": net.W,
    }


def _draw_lemma_8_2(fig: Figure, alpha: float) -> None:
    from .lemmas import principal_directions

    run = _centred_flow(alpha)
    traj, spectra = run["traj"], run["spectra"]
    lam = alpha**2 * float(spectra[:, 0].min())
    lam1 = alpha**2 * float(spectra[:, -1].max())
    # λ ≈ 0 (saturated neurons at small α): the lemma's radius is infinite, no ball to draw.
    vacuous = lam <= 1e-9 * lam1
    radius = np.inf if vacuous else lemma_8_2_radius(lam, lam1, float(traj.risk[0]))
    disp = traj.weights.reshape(len(run["t"]), -1) - run["w0"].ravel()
    coords = disp @ principal_directions([disp], k=2).T
    ax1, ax2 = fig.subplots(1, 2)
    ax1.plot(coords[:, 0], coords[:, 1], color="C0", label="w(t) − w₀ (projected)")
    ax1.plot(0, 0, "o", color="k", label="w₀")
    ts = run["t"] * alpha**2 * run["sigma_min"] ** 2
    ax2.semilogy(ts, _semilogy_safe(traj.distance), color="C0", label="‖w(t) − w₀‖ (measured)")
    if vacuous:
        half = 1.1 * float(np.abs(coords).max())
        summary = "λ = inf λ_min ≈ 0: the lemma gives no ball"
    else:
        ax1.add_patch(Circle((0, 0), radius, fill=False, ls="--", color="k", label="ball of Lemma 8.2"))
        ax2.axhline(radius, ls="--", color="C0", label="√(2λ₁R₀)/λ (bound)")
        half = 1.1 * radius
        summary = (
            f"radius √(2λ₁R₀)/λ = {radius:.3g}, max distance = {traj.distance.max() / radius:.2g} × radius"
        )
    ax1.set_xlim(-half, half)
    ax1.set_ylim(-half, half)
    ax1.set_aspect("equal")
    ax1.set(xlabel="principal direction 1", ylabel="principal direction 2", title="trajectory and ball")
    ax1.legend(fontsize=8, loc="upper right")
    ax2.set_ylim(1e-3, max(1e4, 3 * radius) if np.isfinite(radius) else 1e4)
    ax2.set(xlabel="α²σ²_min t", ylabel="distance from w₀", title="distance against the radius")
    ax2.legend(fontsize=8, loc="lower right")
    fig.suptitle(f"α = {alpha:.3g}: {summary}")


def _build_lemma_8_2() -> Explorer:
    """Lemma 8.2 section: α → the trajectory w(t) (projected) inside the ball √(2λ₁R₀)/λ."""
    return Explorer(
        _draw_lemma_8_2,
        {"alpha": Control("α", FLOW_ALPHAS, default=1.0)},
        figsize=(9.5, 3.8),
        caption="Lemma 8.2: the trajectory stays in a ball whose radius shrinks like 1/α",
    )


def _draw_eigenvalues(fig: Figure, alpha: float) -> None:
    run = _centred_flow(alpha)
    traj, spectra = run["traj"], run["spectra"]
    smin2, smax2 = run["sigma_min"] ** 2, run["sigma_max"] ** 2
    ts = run["t"] * alpha**2 * smin2
    ax1, ax2 = fig.subplots(1, 2)
    ax1.semilogy(ts, spectra[:, 0], color="C0", label="λ_min(J_tJ_tᵀ) (measured)")
    ax1.axhline(smin2 / 4, ls="--", color="C0", label="σ²_min/4 (Lemma 8.3 floor)")
    ax1.semilogy(ts, spectra[:, -1], color="C1", label="λ_max(J_tJ_tᵀ) (measured)")
    ax1.axhline(9 * smax2 / 4, ls="--", color="C1", label="9σ²_max/4 (Lemma 8.3 ceiling)")
    ax1.set(xlabel="α²σ²_min t", ylabel="eigenvalue", title="tangent kernel along the flow")
    ax1.legend(fontsize=8, loc="center right")
    ball = run["sigma_min"] / (2 * run["beta"])
    ax2.semilogy(ts, _semilogy_safe(traj.distance), color="C2", label="‖w(t) − w₀‖ (measured)")
    ax2.axhline(ball, ls="--", color="C2", label="B = σ_min/(2β) (Lemma 8.3 ball)")
    ax2.set_ylim(1e-3, 1e2)
    ax2.set(xlabel="α²σ²_min t", ylabel="distance from w₀", title="inside the ball the bounds are guaranteed")
    ax2.legend(fontsize=8, loc="lower right")
    low = float(spectra[:, 0].min() / smin2)
    fig.suptitle(f"α = {alpha:.3g}: min over t of λ_min(J_tJ_tᵀ)/σ²_min = {low:.3g} (floor 0.25)")


def _build_eigenvalues() -> Explorer:
    """Eigenvalue section: α → λ_min(J_tJ_tᵀ) along the flow against σ_min²/4, and the ball B."""
    return Explorer(
        _draw_eigenvalues,
        {"alpha": Control("α", FLOW_ALPHAS, default=1.0)},
        figsize=(9.5, 3.8),
        caption="Eigenvalues: the smallest eigenvalue of J_tJ_tᵀ along w(t) against σ_min²/4",
    )


# ============================================================================ Recall
RECALL_ACTIVATIONS = ("tanh", "softplus", "relu")
RECALL_WIDTHS = (16, 64, 256, 1024, 4096)
RECALL_SIZES = (0.1, 0.3, 1.0, 3.0, 10.0)
_RECALL_CURVE = np.geomspace(0.05, 20.0, 13)


@lru_cache(maxsize=64)
def _recall_errors(activation: str, m: int) -> tuple[Array, Array, Array, Array]:
    """Worst-case and random linearization errors against ρ at width m (NTK scale 1/√m, d = 3).

    Returns the sizes ρ, the worst-case |f − f₀|, the median over 5 random directions of the same size,
    and the law:
    ``β₀‖x‖²ρ²/(2√m)`` (smooth σ) or the ReLU flip-counting law ``≈ 0.44‖x‖ρ^{4/3}/m^{1/6}``.
    """
    from .recall import (
        linearization_remainder,
        random_perturbation,
        relu_worst_case_law,
        smooth_error_bound,
        worst_case_perturbation,
    )

    sizes = np.array(sorted({*_RECALL_CURVE, *RECALL_SIZES}))
    net = ShallowNet.random(m, 3, activation, rng=5, scale=1.0 / np.sqrt(m))
    x = np.array([1.0, 0.0, 0.0])
    worst = np.array(
        [abs(linearization_remainder(net, x, worst_case_perturbation(net, x, b))) for b in sizes]
    )
    rng = np.random.default_rng(6)
    typical = np.array(
        [
            np.median(
                [abs(linearization_remainder(net, x, random_perturbation(net, b, rng))) for _ in range(5)]
            )
            for b in sizes
        ]
    )
    if activation == "relu":
        law = relu_worst_case_law(m, sizes, 1.0, 1.0 / np.sqrt(m))
    else:
        law = smooth_error_bound(net, x, sizes)
    return sizes, worst, typical, law


def _recall_law_label(activation: str) -> str:
    return "law ≈0.44 $\\rho^{4/3}/m^{1/6}$" if activation == "relu" else "bound β₀‖x‖²ρ²/(2√m)"


def _draw_recall(fig: Figure, activation: str, m: int, rho: float) -> None:
    sizes, worst, typical, law = _recall_errors(activation, m)
    i = int(np.flatnonzero(sizes == rho)[0])
    ax1, ax2 = fig.subplots(1, 2)
    ax1.loglog(sizes, worst, "o-", color="C0", markersize=3, label="worst-case ΔW (measured)")
    ax1.loglog(sizes, typical, "s-", color="C2", markersize=3, label="random ΔW (median of 5)")
    ax1.loglog(sizes, law, "--", color="C0", label=_recall_law_label(activation))
    ax1.loglog([rho], [worst[i]], "o", color="k", markersize=9, fillstyle="none", label=f"ρ = {rho:.3g}")
    ax1.set(xlabel="perturbation size ρ = ‖W − W₀‖_F", ylabel="|f(x; W) − f₀(x; W)|")
    ax1.set_title(f"error against ρ (m = {m})")
    ax1.legend(fontsize=8, loc="upper left")
    widths = np.array(RECALL_WIDTHS, dtype=float)
    at_b = np.array([_recall_errors(activation, int(k))[1][i] for k in RECALL_WIDTHS])
    law_b = np.array([_recall_errors(activation, int(k))[3][i] for k in RECALL_WIDTHS])
    ax2.loglog(widths, at_b, "o-", color="C0", label="worst-case ΔW (measured)")
    ax2.loglog(widths, law_b, "--", color="C0", label=_recall_law_label(activation))
    ax2.loglog([m], [worst[i]], "o", color="k", markersize=9, fillstyle="none", label=f"m = {m}")
    ax2.set(xlabel="width m", ylabel="|f(x; W) − f₀(x; W)|", title=f"error against m (ρ = {rho:.3g})")
    ax2.legend(fontsize=8, loc="lower left")
    fig.suptitle(
        f"{activation}, m = {m}, ρ = {rho:.3g}: worst error {worst[i]:.3g}, "
        f"{_recall_law_label(activation).split()[0]} {law[i]:.3g} (ratio {worst[i] / law[i]:.2g})"
    )


def _build_recall() -> Explorer:
    """Recall section: (activation, m, ρ) → worst-case linearization error and its law (scale 1/√m)."""
    return Explorer(
        _draw_recall,
        {
            "activation": Control(
                "activation σ", RECALL_ACTIVATIONS, default="tanh", static=("tanh", "relu")
            ),
            "m": Control("width m", RECALL_WIDTHS, default=256, static=(16, 256, 4096)),
            "rho": Control("size ρ", RECALL_SIZES, default=1.0, static=(1.0, 10.0)),
        },
        figsize=(9.5, 3.6),
        caption="Recall: the linearization error of a width-m network against the size of the step",
    )


# ============================================================================ Lazy vs active
LAZY_NUS = (0.05, 0.1, 0.2, 0.5, 1.0, 2.0)


@lru_cache(maxsize=2)
def _lazy_active_runs() -> tuple[Any, Any]:
    """Chizat & Bach's Fig. 1a-b setting: ReLU, both layers trained, d = 2, n = 15, m = 20,
    a 3-neuron teacher; one gradient-descent run per ν in :data:`LAZY_NUS` (batched, cached)."""
    from .lazy_active import neuron_trajectories

    task = teacher_student(15, 2, 3, rng=0, n_test=200)
    return task, neuron_trajectories(task, list(LAZY_NUS), m=20, seed=0, n_steps=10_000, record_every=100)


def _draw_lazy_active(fig: Figure, nu: float) -> None:
    task, runs = _lazy_active_runs()
    k = LAZY_NUS.index(nu)
    pos = runs.positions[:, k]  # (T, m, 2)
    ax1, ax2 = fig.subplots(1, 2)
    reach = 1.15 * max(float(np.abs(pos).max()), 1.0)
    for j, th in enumerate(task.teacher):
        ax1.plot(
            [0, reach * th[0]],
            [0, reach * th[1]],
            ":",
            color="gray",
            label="teacher directions" if j == 0 else None,
        )
    for j in range(pos.shape[1]):
        color = "C3" if runs.signs[k, j] > 0 else "C0"
        ax1.plot(pos[:, j, 0], pos[:, j, 1], "-", color=color, lw=1.2)
        ax1.plot(*pos[-1, j], "o", color=color, markersize=3)
    ax1.plot(*pos[0].T, "x", color="k", markersize=4, label="start |b_j|a_j")
    ax1.plot([], [], "-", color="C3", label="b_j > 0")
    ax1.plot([], [], "-", color="C0", label="b_j < 0")
    ax1.set_xlim(-reach, reach)
    ax1.set_ylim(-reach, reach)
    ax1.set_aspect("equal")
    ax1.set(
        xlabel="neuron position, coordinate 1", ylabel="coordinate 2", title=f"neuron paths, ν = {nu:.3g}"
    )
    ax1.legend(fontsize=7, loc="lower left")
    for i in range(len(LAZY_NUS)):
        ax2.semilogy(runs.steps, runs.risk[:, i], color="C1" if i == k else "0.75", lw=2 if i == k else 1)
    ax2.plot([], [], color="C1", label=f"ν = {nu:.3g}")
    ax2.plot([], [], color="0.75", label="other ν")
    ax2.set(xlabel="gradient-descent step", ylabel="training risk ½‖h(X) − y‖²", title="training risk")
    ax2.legend(fontsize=8)
    fig.suptitle(
        f"ν = {nu:.3g}: relative movement ‖w − w₀‖/‖w₀‖ = {runs.movement[k]:.3g}, "
        f"mass aligned with the teacher = {runs.alignment[k]:.2f}, test loss = {runs.test_loss[k]:.3g}"
    )


def _build_lazy_active() -> Explorer:
    """Lazy vs active section: initial scale ν → the neuron paths |b_j|a_j (Chizat & Bach Fig. 1a-b)."""
    return Explorer(
        _draw_lazy_active,
        {"nu": Control("init scale ν", LAZY_NUS, default=0.1)},
        figsize=(9.5, 4.2),
        margins={"bottom": 0.12, "top": 0.88},
        caption="Lazy vs active: for small ν the neurons travel to the teacher; for large ν they barely move",
    )


# ============================================================================ registry and entry points
#: Section name → builder of its :class:`Explorer` (in slide order).
EXPLORERS: dict[str, Callable[[], Explorer]] = {
    "recall": _build_recall,
    "setup": _build_setup,
    "theorem": _build_theorem,
    "case_study": _build_case_study,
    "lemma_8_1": _build_lemma_8_1,
    "lemma_8_2": _build_lemma_8_2,
    "eigenvalues": _build_eigenvalues,
    "lazy_active": _build_lazy_active,
}


def explorer(section: str) -> Explorer:
    """The :class:`Explorer` of a section (a key of :data:`EXPLORERS`)."""
    try:
        return EXPLORERS[section]()
    except KeyError:
        raise ValueError(f"section must be one of {sorted(EXPLORERS)}, got {section!r}") from None


def _entry(section: str, static: bool) -> Any:
    ex = explorer(section)
    return ex.player() if static else ex.widget()


def recall_explorer(static: bool = False) -> Any:
    """Recall: activation, width m and step size ρ → the linearization error and its law.

    Live ``ipywidgets`` UI, or with ``static=True`` the offline HTML player.
    """
    return _entry("recall", static)


def setup_explorer(static: bool = False) -> Any:
    """Setup: α → the prediction paths of the network's flow and of the linearized flow."""
    return _entry("setup", static)


def theorem_explorer(static: bool = False) -> Any:
    """Theorem 8.1: α, m, centring → risk against its bound, distance against the radius, α vs α_min."""
    return _entry("theorem", static)


def case_study_explorer(static: bool = False) -> Any:
    """Case study: m, n → σ_min, σ_max and α_min/α (the condition as a width requirement)."""
    return _entry("case_study", static)


def lemma_8_1_explorer(static: bool = False) -> Any:
    """Lemma 8.1: a family Q(t) → the risk of ż = −Q(t)(z − y) against R₀exp(−2λt)."""
    return _entry("lemma_8_1", static)


def lemma_8_2_explorer(static: bool = False) -> Any:
    """Lemma 8.2: α → the trajectory w(t) and the ball of radius √(2λ₁R₀)/λ."""
    return _entry("lemma_8_2", static)


def eigenvalues_explorer(static: bool = False) -> Any:
    """Eigenvalue analysis: α → λ_min(J_tJ_tᵀ) along the flow against σ_min²/4."""
    return _entry("eigenvalues", static)


def lazy_active_explorer(static: bool = False) -> Any:
    """Lazy vs active: the initial scale ν → the neuron paths of a two-layer ReLU network."""
    return _entry("lazy_active", static)


def recall_player() -> Any:
    """The Recall explorer as an offline HTML player (``IPython.display.HTML``)."""
    return recall_explorer(static=True)


def setup_player() -> Any:
    """The Setup explorer as an offline HTML player."""
    return setup_explorer(static=True)


def theorem_player() -> Any:
    """The Theorem 8.1 explorer as an offline HTML player."""
    return theorem_explorer(static=True)


def case_study_player() -> Any:
    """The case-study explorer as an offline HTML player."""
    return case_study_explorer(static=True)


def lemma_8_1_player() -> Any:
    """The Lemma 8.1 explorer as an offline HTML player."""
    return lemma_8_1_explorer(static=True)


def lemma_8_2_player() -> Any:
    """The Lemma 8.2 explorer as an offline HTML player."""
    return lemma_8_2_explorer(static=True)


def eigenvalues_player() -> Any:
    """The eigenvalue explorer as an offline HTML player."""
    return eigenvalues_explorer(static=True)


def lazy_active_player() -> Any:
    """The lazy-vs-active explorer as an offline HTML player."""
    return lazy_active_explorer(static=True)
