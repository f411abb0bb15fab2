"""Lemma 8.2 page (``notebooks/06_lemma_8_2.ipynb``): the trajectory stays in a ball of radius ∝ 1/α.

Figures: :func:`plot_distance_sweep` (a :class:`lazylib.lemmas.Lemma82Sweep`: distances against
the radii, over α) and :func:`plot_projected_paths` (``w(t)`` and ``u(t)`` projected on their top
two principal directions, a :class:`lazylib.lemmas.ProjectedPaths`, with the ball B and the
theorem's radius). The explorer's frame is both,
for one α, on the page's problem (:func:`lazylib.lemmas.smooth_problem`).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..formatting import num, sci
from ..lemmas import Lemma82Sweep, ProjectedPaths, lemma_8_2_sweep, projected_paths, smooth_problem
from ._checks import checked
from .explorer import Control, Explorer
from .style import finish_figure, legend_below

__all__ = ["LEMMA82_ALPHAS", "build_explorer", "plot_distance_sweep", "plot_projected_paths"]

#: The scales of the page's sweep (``np.geomspace(0.25, 1024, 7)``), the explorer's α values.
LEMMA82_ALPHAS = (0.25, 1.0, 4.0, 16.0, 64.0, 256.0, 1024.0)


@checked
def plot_distance_sweep(
    ax: Axes, sweep: Lemma82Sweep, highlight: float | None = None, legend_outside: bool = True
) -> None:
    """Distances travelled by ``w`` and ``u`` against α, beside Lemma 8.2's radii, the theorem's
    radius and the ball B (``highlight`` rings one α; ``legend_outside`` puts the legend under
    the axes, in two columns)."""
    alphas = sweep.alphas
    ax.loglog(alphas, sweep.distance_w, "o", color="C0", label=r"network $\max_t\|w(t)-w_0\|$")
    ax.loglog(
        alphas, sweep.distance_u, "x", color="C1", markersize=9, label=r"linearized $\max_t\|u(t)-u_0\|$"
    )
    ax.loglog(
        alphas,
        sweep.radius_w,
        "--",
        color="C0",
        label="Lemma 8.2 (spectrum along $w(t)$)",
    )
    ax.loglog(
        alphas,
        sweep.radius_u,
        ":",
        color="C1",
        label="Lemma 8.2 for $u$ (spectrum at $w_0$)",
    )
    ax.loglog(
        alphas,
        sweep.theorem_radius,
        "-.",
        color="C3",
        label="theorem's radius",
    )
    ax.axhline(sweep.ball_radius, color="k", lw=1.2, label=r"$B=\sigma_{\min}/(2\beta)$")
    ax.axhline(sweep.ball_radius / 2, color="k", lw=1.0, ls="--", label=r"$B/2$")
    ax.axvline(sweep.alpha_min, color="C3", lw=1.0, alpha=0.6, label=r"$\alpha_{\min}$")
    if highlight is not None:
        k = int(np.argmin(np.abs(alphas - highlight)))
        ax.loglog(
            [alphas[k]],
            [sweep.distance_w[k]],
            "o",
            color="k",
            markersize=11,
            fillstyle="none",
            label=rf"$\alpha = {alphas[k]:g}$",
        )
    ax.set_xlabel(r"scale $\alpha$")
    ax.set_ylabel("distance from initialization")
    ax.set_title("Distance travelled against the radii")
    # a lazy network travels as far as its linearized model and its spectrum barely moves: within 5 %
    # (under a marker or a line's width on these axes) the crosses sit on the circles and the two
    # Lemma 8.2 lines on each other, and the legend's title says so
    same_d = np.allclose(sweep.distance_u, sweep.distance_w, rtol=0.05, atol=0)
    same_r = np.allclose(sweep.radius_u, sweep.radius_w, rtol=0.05, atol=0)
    what = "entries" if same_d and same_r else "markers" if same_d else "Lemma 8.2 lines" if same_r else ""
    title = f"the $u$ and $w$ {what} overlap" if what else None
    if legend_outside:
        legend_below(ax, ncol=2, title=title)
    else:
        ax.legend(loc="lower left", ncol=2, title=title)


def _circle(ax: Axes, r: float, **kw: object) -> None:
    s = np.linspace(0, 2 * np.pi, 400)
    ax.plot(r * np.cos(s), r * np.sin(s), **kw)  # type: ignore[arg-type]


@checked
def plot_projected_paths(ax: Axes, paths: ProjectedPaths) -> None:
    """``w(t) − w₀`` and ``u(t) − w₀`` in their top two principal directions, with the ball B.

    ``paths`` comes from :func:`lazylib.lemmas.projected_paths`. A path that leaves B (judged on
    the full distance ``‖w(t) − w₀‖``) gets a dot where it first does; one that stays inside gets
    the theorem's radius (dash-dotted) and a zoomed inset.
    """
    w_coords, u_coords, distance = paths.w_coords, paths.u_coords, paths.distance
    ball_radius, alpha = paths.ball_radius, paths.alpha
    ax.plot(w_coords[:, 0], w_coords[:, 1], color="C0", label=r"network $w(t)$")
    ax.plot(u_coords[:, 0], u_coords[:, 1], "--", color="C1", label=r"linearized $u(t)$")
    _circle(ax, ball_radius, color="k", lw=1.2, label=f"$B$ = {num(ball_radius, 2)}")
    if distance.max() > ball_radius:
        k = int(np.argmax(distance > ball_radius))
        when = rf"$\alpha^2\sigma_{{\min}}^2t$ = {num(paths.smin2_tau[k], 2)}"
        ax.plot(*w_coords[k], "o", color="C3", label=rf"first time outside $\mathcal{{B}}$ ({when})")
    else:
        _circle(ax, paths.theorem_radius, color="C3", ls="-.", label="theorem's radius")
        inset = ax.inset_axes((0.6, 0.04, 0.36, 0.36))
        inset.plot(w_coords[:, 0], w_coords[:, 1], color="C0")
        inset.plot(u_coords[:, 0], u_coords[:, 1], "--", color="C1")
        inset.set_aspect("equal", adjustable="datalim")
        inset.set_xticks([])
        inset.set_yticks([])
        # said in the legend, not as a title over the data
        ax.plot([], [], " ", label=rf"inset: zoom, path within {sci(distance.max(), 2)} of $w_0$")
    ax.set_aspect("equal")
    lim = 1.15 * max(ball_radius, float(np.abs(w_coords).max()))
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_xlabel("1st principal direction")
    ax.set_ylabel("2nd principal direction")
    regime = "theorem applies" if paths.applies else "below threshold"
    shown = f"{alpha:g}" if float(f"{alpha:.3g}") == alpha else num(alpha, 3)  # a grid value, or α_min
    ax.set_title(rf"$\alpha$ = {shown} ({regime})")
    ax.legend(loc="upper left")


# ---------------------------------------------------------------------------- the explorer
_SMIN2_TAU = np.concatenate([[0.0], np.geomspace(1e-4, 10.0, 120)])


@lru_cache(maxsize=1)
def _sweep() -> Lemma82Sweep:
    net, X, y = smooth_problem()
    return lemma_8_2_sweep(net, X, y, np.array(LEMMA82_ALPHAS), horizon=10.0, n_times=101)


@lru_cache(maxsize=16)
def _paths(alpha: float) -> ProjectedPaths:
    """Both flows at α on the page's grid, projected, with B and the theorem's radius."""
    net, X, y = smooth_problem()
    return projected_paths(net, X, y, alpha, _SMIN2_TAU)


def _draw(fig: Figure, alpha: float) -> None:
    paths = _paths(alpha)
    distance, ball_radius = paths.distance, paths.ball_radius
    ax1, ax2 = fig.subplots(1, 2)
    plot_projected_paths(ax1, paths)
    plot_distance_sweep(ax2, _sweep(), highlight=alpha, legend_outside=False)
    ax2.set_title("distance against the radii, all α")
    fig.suptitle(
        f"α = {alpha:g}: max ‖w(t) − w₀‖ = {num(distance.max(), 2)}"
        f" = {num(distance.max() / ball_radius, 2)} B"
    )
    finish_figure(fig, legends="all", check=False)


def build_explorer() -> Explorer:
    """Lemma 8.2: α → the projected trajectory w(t) in the ball B, and the distance sweep over α."""
    return Explorer(
        _draw,
        {"alpha": Control("α", LEMMA82_ALPHAS, default=1.0, fmt="{:g}")},
        figsize=(7.0, 5.4),
        margins={"left": 0.1, "right": 0.98, "bottom": 0.1, "top": 0.86, "wspace": 0.32},
        caption="Lemma 8.2: the trajectory stays in a ball whose radius shrinks like 1/α",
        name="lemma_8_2",
    )
