"""Eigenvalue page (``notebooks/07_eigenvalues.ipynb``): the tangent kernel ``J_tJ_tᵀ`` along ``w(t)``.

Figures: :func:`plot_spectrum_drift` (relative change of ``λ_min`` and ``λ_max`` along
:class:`lazylib.lemmas.KernelPath` runs, against Lemma 8.3's allowances), :func:`plot_kernel_spectra`
(a :class:`lazylib.lemmas.KernelSpectrumChange` per run: the spectrum at initialization and after
training) and :func:`plot_kernel_change` (a
:class:`lazylib.lemmas.KernelChange` per initialization, against 1/α and 1/α²). The explorer's frame
is :func:`plot_spectrum_drift` for one α on the page's problem and time grid.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..lemmas import KernelChange, KernelPath, KernelSpectrumChange, kernel_path, smooth_problem
from ..theory import jacobian_singular_values
from ._checks import checked
from .explorer import Control, Explorer
from .style import finish_figure, loglog_with_fit

__all__ = [
    "EIGEN_ALPHAS",
    "build_explorer",
    "plot_kernel_change",
    "plot_kernel_spectra",
    "plot_spectrum_drift",
]

EIGEN_ALPHAS = (0.0625, 0.25, 1.0, 4.0, 16.0, 64.0, 256.0)


@checked
def plot_spectrum_drift(ax_min: Axes, ax_max: Axes, paths: Mapping[float, KernelPath]) -> None:
    """Relative drop ``1 − λ_min(J_tJ_tᵀ)/σ_min²`` and change ``|λ_max/σ_max² − 1|`` along each run.

    Against the rescaled time ``σ_min²τ = α²σ_min²t``, log–log, beside Lemma 8.3's allowances 3/4
    and 5/4 (dashed). A run that leaves the ball B is dotted, with a dot where it leaves.
    """
    for k, (alpha, kp) in enumerate(paths.items()):
        line = "-" if np.all(kp.inside) else ":"
        drop = 1 - kp.spectra[1:, 0] / kp.sigma_min**2
        change = np.abs(kp.spectra[1:, -1] / kp.sigma_max**2 - 1)
        x = kp.sigma_min**2 * kp.tau[1:]
        ax_min.loglog(x, np.maximum(drop, 1e-15), line, color=f"C{k}", label=rf"$\alpha={alpha:g}$")
        ax_max.loglog(x, np.maximum(change, 1e-15), line, color=f"C{k}", label=rf"$\alpha={alpha:g}$")
        if not np.all(kp.inside):
            j = int(np.argmin(kp.inside))
            ax_min.plot(kp.sigma_min**2 * kp.tau[j], max(drop[j - 1], 1e-15), "o", color=f"C{k}")
    ax_min.axhline(0.75, color="k", ls="--", label=r"Lemma 8.3 allows $3/4$")
    ax_max.axhline(1.25, color="k", ls="--", label=r"Lemma 8.3 allows $+5/4$")
    ax_min.set_ylabel(r"relative drop $1-\lambda_{\min}(J_tJ_t^\top)/\sigma_{\min}^2$")
    ax_max.set_ylabel(r"relative change $|\lambda_{\max}(J_tJ_t^\top)/\sigma_{\max}^2-1|$")
    ax_min.set_title("smallest eigenvalue (dot: leaves B)")
    ax_max.set_title("largest eigenvalue")
    for ax in (ax_min, ax_max):
        ax.set_ylim(1e-14, 5)
        ax.set_xlabel(r"rescaled time $\alpha^2\sigma_{\min}^2 t = \sigma_{\min}^2\tau$")
        ax.legend(ncol=2)


@checked
def plot_kernel_spectra(ax: Axes, changes: Sequence[KernelSpectrumChange]) -> None:
    """Eigenvalues of ``K₀ = J₀J₀ᵀ`` (descending, from the first change) and of ``K_T`` after
    training for each run (:func:`lazylib.lemmas.kernel_spectrum_change`)."""
    eig0 = changes[0].initial
    idx = np.arange(1, len(eig0) + 1)
    ax.semilogy(idx, eig0, "ko-", label=r"$K_0$ (initialization)")
    for k, change in enumerate(changes):
        alpha = change.alpha
        ax.semilogy(
            idx,
            change.final,
            "s" if k == 0 else "^",
            color=f"C{k}",
            fillstyle="none",
            markersize=9,
            label=rf"$K_T$, $\alpha={alpha:g}$",
        )
    ax.set_xlabel("index k (descending)")
    ax.set_ylabel(r"eigenvalue $\lambda_k(J J^\top)$")
    ax.set_title(
        f"Spectrum of the tangent kernel: λ_max/λ_min ≈ {eig0[0] / eig0[-1]:.0f}, barely changed by training"
    )
    # every eigenvalue within 10 % of its start (under half a marker on this log axis): the hollow
    # markers of K_T lie around K₀'s dots, and the legend says that they overlap
    unmoved = all(np.allclose(change.final, change.initial, rtol=0.1, atol=0) for change in changes)
    ax.legend(title=r"$K_T$ overlaps $K_0$ (each $\lambda_k$ within 10 %)" if unmoved else None)


@checked
def plot_kernel_change(ax: Axes, runs: Mapping[str, KernelChange]) -> None:
    """``‖K_T − K₀‖_F/‖K₀‖_F`` against α for each run (with its fitted slope), beside 1/α and 1/α²."""
    first = None
    for k, (name, kc) in enumerate(runs.items()):
        loglog_with_fit(ax, kc.alphas, kc.relative_change, name, color=f"C{k}")
        first = kc if first is None else first
    if first is not None:
        alphas = first.alphas
        ref = first.relative_change[0]
        ax.loglog(alphas, ref / alphas, "k--", alpha=0.6, label=r"reference $\propto 1/\alpha$")
        last = list(runs.values())[-1]
        ax.loglog(
            alphas,
            last.relative_change[0] / alphas**2,
            "k:",
            alpha=0.6,
            label=r"reference $\propto 1/\alpha^2$",
        )
    ax.set_xlabel(r"scale $\alpha$")
    ax.set_ylabel(r"$\|K_T-K_0\|_F\,/\,\|K_0\|_F$")
    ax.set_title("Relative change of the tangent kernel during training")
    ax.legend()


# ---------------------------------------------------------------------------- the explorer
@lru_cache(maxsize=16)
def _path(alpha: float) -> KernelPath:
    """The page's problem and lazy-clock grid (σ_min²τ from 1e-3 to 10, geometric)."""
    net, X, y = smooth_problem()
    sigma_min, _ = jacobian_singular_values(net, X)
    smin2_tau = np.concatenate([[0.0], np.geomspace(1e-3, 10.0, 150)])
    return kernel_path(net, X, y, alpha, tau=smin2_tau / sigma_min**2)


def _draw(fig: Figure, alpha: float) -> None:
    kp = _path(alpha)
    ax1, ax2 = fig.subplots(1, 2)
    plot_spectrum_drift(ax1, ax2, {alpha: kp})
    low = float(kp.spectra[:, 0].min() / kp.sigma_min**2)
    dist = float(kp.trajectory.distance.max() / kp.ball_radius)
    fig.suptitle(
        f"α = {alpha:g}: min over t of λ_min(J_tJ_tᵀ)/σ²_min = {low:.3g} (floor 0.25),\n"
        f"max ‖w(t) − w₀‖ = {dist:.2g} B"
    )
    finish_figure(fig, legends="all", check=False)


def build_explorer() -> Explorer:
    """Eigenvalue analysis: α → the drift of λ_min and λ_max of J_tJ_tᵀ along the flow."""
    return Explorer(
        _draw,
        {"alpha": Control("α", EIGEN_ALPHAS, default=1.0, fmt="{:g}")},
        figsize=(7.0, 5.0),
        margins={"left": 0.1, "right": 0.98, "bottom": 0.1, "top": 0.83, "wspace": 0.32},
        caption="Eigenvalues: the extreme eigenvalues of J_tJ_tᵀ along w(t) against Lemma 8.3's allowances",
        name="eigenvalues",
    )
