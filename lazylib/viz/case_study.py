"""Case-study page (``notebooks/04_case_study.ipynb``): the condition of Theorem 8.1 as a width requirement.

Figures:

* :func:`plot_singular_values`: σ_min and σ_max of ``J₀`` against the width (∝ √m), with the
  quadrature limits ``√(m λ(K_∞))`` when given (a :class:`~lazylib.case_study.WidthSweep` or one
  growing network's :class:`~lazylib.case_study.WidthPath`);
* :func:`plot_gram_deviation`: ``max|J₀J₀ᵀ/m − K_∞|`` against m (∝ m^{−1/2});
* :func:`plot_initial_risk`: mean ``R₀`` against α, m or n beside its expectation;
* :func:`plot_width_condition`: ``α_min/α`` along a :class:`~lazylib.case_study.WidthPath`;
* :func:`plot_minimal_width`: the measured and predicted minimal widths ``m*`` against n.

The explorer's frame is :func:`plot_singular_values` and :func:`plot_width_condition` for one
growing network (:func:`lazylib.case_study.width_condition_path`), with the width m marked.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import NullLocator
from numpy.typing import ArrayLike

from ..case_study import WidthPath, width_condition_path
from ..data import teacher_student
from ..fitting import PowerLawFit, fit_power_law
from ..formatting import num
from ._checks import check_member, checked
from .explorer import Control, Explorer
from .style import finish_figure, loglog_with_fit

__all__ = [
    "CASE_SIZES",
    "CASE_WIDTHS",
    "build_explorer",
    "plot_gram_deviation",
    "plot_initial_risk",
    "plot_minimal_width",
    "plot_singular_values",
    "plot_width_condition",
]

CASE_WIDTHS = (16, 32, 64, 128, 256, 512, 1024, 2048, 4096)
CASE_SIZES = (5, 10, 20, 40)


_MARK_GID = "case-study-mark"  # the circles of a marked width (the explorer's update moves them)


def _mark(ax: Axes, x: float, y: ArrayLike, label: str) -> None:
    ax.loglog(
        np.full(np.size(y), x),
        np.ravel(y),
        "o",
        color="k",
        markersize=9,
        fillstyle="none",
        label=label,
        gid=_MARK_GID,
    )


@checked
def plot_singular_values(
    ax: Axes,
    widths: ArrayLike,
    sigma_min: ArrayLike,
    sigma_max: ArrayLike,
    lam_min: float | None = None,
    lam_max: float | None = None,
    label: str = "",
    mark: int | None = None,
) -> None:
    """σ_min and σ_max of ``J₀`` against the width with their fitted slopes (≈ 1/2).

    Dashed: ``√(m λ(K_∞))`` from the quadrature eigenvalues ``lam_min``, ``lam_max`` when given,
    else ``∝ √m`` through the first point. ``label`` is appended to the legend entries (e.g.
    ``" (mean of 5)"``); ``mark`` circles the values at that width.
    """
    widths = np.asarray(widths, dtype=float)
    smin, smax = np.asarray(sigma_min, dtype=float), np.asarray(sigma_max, dtype=float)
    for values, lam, name, color in (
        (smax, lam_max, r"\sigma_{\max}", "C0"),
        (smin, lam_min, r"\sigma_{\min}", "C1"),
    ):
        loglog_with_fit(ax, widths, values, rf"${name}${label}", color=color)
        ref = np.sqrt(widths * lam) if lam is not None else values[0] * np.sqrt(widths / widths[0])
        ax.loglog(widths, ref, "--", color="k" if lam is not None else color, lw=1)
    if lam_min is not None:
        ax.plot([], [], "k--", lw=1, label=r"$\sqrt{m\,\lambda(K_\infty)}$ (quadrature)")
    else:
        ax.plot([], [], "--", color="gray", lw=1, label=r"$\propto\sqrt{m}$")
    if mark is not None:
        k = check_member(mark, widths, "mark")
        _mark(ax, mark, [smax[k], smin[k]], f"$m = {mark}$")
    ax.set(
        xlabel="width $m$",
        ylabel="singular value of $J_0$",
        title=r"$\sigma_{\min}, \sigma_{\max} \propto \sqrt{m}$",
    )
    ax.legend()


@checked
def plot_gram_deviation(ax: Axes, widths: ArrayLike, deviation: ArrayLike) -> None:
    """``max_il |J₀J₀ᵀ/m − K_∞|`` against m with its fitted slope, and ``∝ m^{−1/2}`` dashed."""
    widths = np.asarray(widths, dtype=float)
    deviation = np.asarray(deviation, dtype=float)
    loglog_with_fit(ax, widths, deviation, r"$\max_{il}|J_0J_0^\top/m - K_\infty|$")
    ax.loglog(widths, deviation[0] * np.sqrt(widths[0] / widths), "k--", lw=1, label=r"$\propto m^{-1/2}$")
    ax.set(xlabel="width $m$", ylabel="max entry deviation", title=r"$J_0J_0^\top/m \to K_\infty$")
    ax.legend()


@checked
def plot_initial_risk(
    ax: Axes,
    x: ArrayLike,
    measured: ArrayLike,
    expected: ArrayLike,
    xlabel: str,
    title: str,
    n_draws: int,
    fit: ArrayLike | None = None,
    floor: float | None = None,
    integer_ticks: bool = False,
) -> None:
    """Mean ``R₀`` over ``n_draws`` networks against one variable, beside ``E R₀`` (quadrature).

    ``fit`` (boolean mask) chooses the points of the fitted slope (default: all); ``floor`` draws
    the level ``½‖y‖²`` that ``R₀`` tends to at small α; ``integer_ticks`` labels each ``x`` (numbers
    of points).
    """
    x = np.asarray(x)
    measured = np.asarray(measured, dtype=float)
    keep = np.ones(x.size, dtype=bool) if fit is None else np.asarray(fit, dtype=bool)
    k, _ = fit_power_law(x[keep], measured[keep])
    ax.loglog(x, measured, "o", label=f"mean of {n_draws} draws (slope {k:.2f})")
    ax.loglog(x, expected, "k--", label=r"$\mathbb{E}\hat R_0$ (quadrature)")
    if floor is not None:
        ax.axhline(floor, color="grey", ls=":", label=r"$\frac{1}{2}\|y\|^2$")
    if integer_ticks:
        ax.set_xticks(x, [str(v) for v in x])
        ax.minorticks_off()
    ax.set(xlabel=xlabel, ylabel=r"$\hat R_0$", title=title)
    ax.legend()


@checked
def plot_width_condition(
    ax: Axes, path: WidthPath, title: str, slope: float = -0.5, mark: int | None = None
) -> None:
    """``α_min/α`` along one growing network for each α of ``path``, the threshold 1, and the
    reference power ``m^slope`` dashed (−1/2 without centring, −1 with it); ``mark`` circles a width."""
    widths = path.widths.astype(float)
    # each curve about half as wide as the one before: curves that coincide show as nested bands
    for k, a in enumerate(path.alphas):
        ax.loglog(widths, path.ratio[k], lw=1.8 * 1.7 ** (path.alphas.size - 1 - k), label=rf"$\alpha={a:g}$")
    ref = path.ratio[-1, 0] * (widths / widths[0]) ** slope
    ax.loglog(widths, ref, "k--", lw=1, label=rf"$\propto m^{{{slope:g}}}$")
    ax.axhline(1.0, color="tab:red", ls="-.", label="threshold (theorem applies below)")
    if mark is not None:
        k = check_member(mark, path.widths, "mark")
        _mark(ax, mark, path.ratio[:, k], f"$m = {mark}$")
    ax.set(xlabel="width $m$", ylabel=r"$\alpha_{\min}/\alpha$", title=title)
    ax.legend()


@checked
def plot_minimal_width(
    ax: Axes,
    n_pred: ArrayLike,
    predicted_op: ArrayLike,
    predicted_f: ArrayLike,
    n_measured: ArrayLike,
    m_star: ArrayLike,
    fit: PowerLawFit,
) -> None:
    """Measured ``m*`` (median and range over networks, one row per n) beside the large-width
    predictions with ``β_op`` and with the slide's ``β_F`` (one row per data set), and the slides'
    ``∝ n`` and ``∝ n²`` for reference."""
    n_pred = np.asarray(n_pred)
    for seed, row in enumerate(np.atleast_2d(predicted_op)):
        ax.loglog(
            n_pred,
            row,
            "k--",
            lw=1,
            alpha=0.5,
            label=r"prediction with $\beta_{\rm op}$, 6 data sets" if seed == 0 else None,
        )
    for seed, row in enumerate(np.atleast_2d(predicted_f)):
        ax.loglog(
            n_pred,
            row,
            ":",
            color="tab:red",
            lw=1,
            alpha=0.5,
            label=r"prediction with the slide's $\beta_F$" if seed == 0 else None,
        )
    m_star = np.asarray(m_star, dtype=float)
    median = np.median(m_star, axis=1)
    ax.errorbar(
        n_measured,
        median,
        yerr=[median - m_star.min(axis=1), m_star.max(axis=1) - median],
        fmt="o",
        capsize=3,
        label=f"measured $m^*$ (data set 0): median, range of {m_star.shape[1]} (slope {fit.exponent:.2f})",
    )
    ref = np.atleast_2d(predicted_op)[0, 0]
    ax.loglog(n_pred, ref * n_pred / n_pred[0], "-", color="grey", lw=1, label=r"slides' $\propto n$")
    ax.loglog(n_pred, ref * (n_pred / n_pred[0]) ** 2, "-.", color="grey", label=r"$\propto n^2$")
    ax.set(
        xlabel="number of points $n$ ($d = 20$)",
        ylabel="smallest width $m^*$ with $\\alpha_{\\min} \\leq \\alpha$",
        title="Width needed by Theorem 8.1 without centring",
    )
    ax.set_xticks(n_pred, [str(v) for v in n_pred])
    ax.xaxis.set_minor_locator(NullLocator())
    ax.legend()


# ---------------------------------------------------------------------------- the explorer
@lru_cache(maxsize=8)
def _path(n: int) -> WidthPath:
    """α = 1, a non-centred tanh net on n points of the sphere of R⁵ (no width scaling)."""
    task = teacher_student(n, 5, rng=3, n_test=1)
    return width_condition_path(task.X, task.y, [1.0], CASE_WIDTHS, rng=3)


def _singular_title(n: int) -> str:
    return f"extreme singular values of $J_0$ ($n = {n}$)"


def _suptitle(m: int, n: int) -> str:
    path = _path(n)
    k = int(np.flatnonzero(path.widths == m)[0])
    return (
        f"$m = {m}$, $n = {n}$: $\\sigma_{{\\min}}$ = {num(path.sigma_min[k], 3)}, "
        f"$\\sigma_{{\\max}}$ = {num(path.sigma_max[k], 3)}, "
        f"$\\alpha_{{\\min}}/\\alpha$ = {num(path.ratio[0, k], 3)}"
    )


def _draw(fig: Figure, n: int, m: int) -> None:
    path = _path(n)
    ax1, ax2 = fig.subplots(1, 2)
    plot_singular_values(ax1, path.widths, path.sigma_min, path.sigma_max, mark=m)
    ax1.set_title(_singular_title(n))
    plot_width_condition(ax2, path, "the condition is a width requirement", mark=m)
    fig.suptitle(_suptitle(m, n))
    finish_figure(fig, legends="all", check=False)


def _update(fig: Figure, n: int, m: int) -> bool:
    """The frame of :func:`_draw` at (n, m), made from ``fig`` holding another of its frames at the same
    n: only the circles of the marked width, their legend entries and the title change (the curves,
    axes, ticks and legends, laid out once, stay). False if ``fig`` is not such a frame (another n:
    every curve, slope and limit differs, the frame is drawn anew)."""
    path = _path(n)
    axes = fig.axes
    if len(axes) != 2 or axes[0].get_title() != _singular_title(n):
        return False
    circles = [[ln for ln in ax.get_lines() if ln.get_gid() == _MARK_GID] for ax in axes]
    legends = [ax.get_legend() for ax in axes]
    if any(len(c) != 1 for c in circles) or any(lg is None for lg in legends):
        return False
    entries = [[t for t in lg.get_texts() if t.get_text().startswith("$m = ")] for lg in legends if lg]
    if any(len(e) != 1 for e in entries):
        return False
    k = int(np.flatnonzero(path.widths == m)[0])
    marked: list[np.ndarray] = [np.array([path.sigma_max[k], path.sigma_min[k]]), path.ratio[:, k]]
    for (line,), (text,), values in zip(circles, entries, marked, strict=True):
        line.set_data(np.full(values.size, float(m)), values)
        text.set_text(f"$m = {m}$")
    fig.suptitle(_suptitle(m, n))  # (the same Text, in the same place)
    return True


def build_explorer() -> Explorer:
    """Case study: (n, m) → σ_min, σ_max ∝ √m and α_min/α ∝ 1/√m (no width scaling)."""
    return Explorer(
        _draw,
        {
            # n first: the player's frames run through every width at one n (updated in place) before
            # the next n (drawn anew)
            "n": Control("samples n", CASE_SIZES, default=10),
            "m": Control("width m", CASE_WIDTHS, default=128, static=(32, 128, 512, 2048), fmt="{:d}"),
        },
        figsize=(7.0, 5.0),
        margins={"left": 0.1, "right": 0.98, "bottom": 0.1, "top": 0.86, "wspace": 0.32},
        caption="Case study: σₘᵢₙ, σₘₐₓ and αₘᵢₙ/α as the width m and the sample size n change",
        name="case_study",
        # the player holds every n at four widths (16 frames, updated in place: ~35 % less CPU a
        # frame, in the time its 12 drawn frames took; all 36 would take the notebook past its 10 s),
        # of 64 colours (a tenth lighter than 128, no visible change)
        update=_update,
        colors=64,
    )
