"""Lemma 8.1 page (``notebooks/05_lemma_8_1.ipynb``): the risk of ``ż = −Q(t)(z − y)`` under ``R₀e^{−2λt}``.

Figures: :func:`plot_family_risks` (risk ratios of families ``Q(t)`` in the rescaled time λt),
:func:`plot_family_spectrum` (the eigenvalues of one family) and :func:`plot_flow_risks` (the
linearized and network flows against the lemma and the theorem). The explorer's frame is the first
two for one family of :func:`lazylib.lemmas.random_pd_family`.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .._types import Array
from ..lemmas import preconditioned_flow, random_pd_family
from ..theory import lemma_8_1_bound, risk
from .explorer import Control, Explorer

__all__ = [
    "LEMMA81_KINDS",
    "LEMMA81_LAMS",
    "LEMMA81_OMEGAS",
    "build_explorer",
    "plot_family_risks",
    "plot_family_spectrum",
    "plot_flow_risks",
]

LEMMA81_KINDS = ("identity", "gram", "rotating")
LEMMA81_LAMS = (0.1, 0.3, 1.0)
LEMMA81_OMEGAS = (0.5, 2.0, 8.0)


def plot_family_risks(ax: Axes, t: Array, curves: Mapping[str, tuple[float, Array]]) -> None:
    """``R(z(t))/R(z(0))`` of each family against the rescaled time λt, under the bound ``e^{−2λt}``.

    ``curves`` maps a label to ``(λ, R)``: the family's ``inf_t λ_min(Q(t))`` and the risk at the
    times ``t`` (from :func:`lazylib.lemmas.preconditioned_flow` and :func:`lazylib.theory.risk`).
    """
    for name, (lam, R) in curves.items():
        ax.semilogy(lam * t, R / R[0], label=name)
    x = np.linspace(0, max(lam for lam, _ in curves.values()) * t[-1], 200)
    ax.semilogy(x, lemma_8_1_bound(1.0, 1.0, x), "k--", label=r"bound $e^{-2\lambda t}$")
    ax.set_xlim(0, 4)
    ax.set_ylim(1e-5, 1.5)
    ax.set_xlabel(r"rescaled time $\lambda t$")
    ax.set_ylabel(r"$\hat R(z(t))\,/\,\hat R(z(0))$")
    ax.set_title("Lemma 8.1 on random smooth families Q(t): every curve under the bound")
    ax.legend(fontsize=8)


def plot_family_spectrum(ax: Axes, t: Array, spectrum: Array, lam: float, kind: str) -> None:
    """The eigenvalues of ``Q(t)`` (``spectrum``, shape (T, n), ascending) and the floor λ (dashed)."""
    for k in range(spectrum.shape[1]):
        ax.plot(lam * t, spectrum[:, k], color=f"C{k + 1}", label=f"λ{k + 1}(Q(t))")
    ax.axhline(lam, ls="--", color="k", label="λ = inf λ_min(Q(t))")
    ax.set(xlabel=r"rescaled time $\lambda t$", ylabel="eigenvalue", title=f"the family Q(t): {kind}")
    ax.legend(fontsize=8)


def plot_flow_risks(
    ax: Axes, smin2_tau: Array, linear_risk: Array, flows: Mapping[float, tuple[Array, Array]]
) -> None:
    """Risk of ``u(t)`` and of ``w(t)`` at several α against Lemma 8.1 and Theorem 8.1's rate.

    ``smin2_tau`` is the rescaled time ``α²σ_min²t``, so Lemma 8.1 at λ = α²σ_min² is
    :func:`lazylib.theory.lemma_8_1_bound` with λ = 1 and the theorem's rate α²σ_min²/2 is λ = 1/4.
    ``flows`` maps α to ``(R/R₀, bound/R₀)`` of the network's flow with Lemma 8.1's bound at the
    measured λ.
    """
    ax.semilogy(smin2_tau, linear_risk / linear_risk[0], color="C0", label=r"linearized $u(t)$")
    ax.semilogy(
        smin2_tau,
        lemma_8_1_bound(1.0, 1.0, smin2_tau),
        "--",
        color="C0",
        label=r"Lemma 8.1, $\lambda=\alpha^2\sigma_{\min}^2$",
    )
    for k, (alpha, (R, bound)) in enumerate(flows.items(), start=1):
        ax.semilogy(
            smin2_tau, R, ":" if k == 2 else "-", color=f"C{k}", label=rf"network $w(t)$, $\alpha={alpha:g}$"
        )
        ax.semilogy(
            smin2_tau,
            bound,
            "--",
            color=f"C{k}",
            alpha=0.7,
            label=rf"Lemma 8.1, measured $\lambda$, $\alpha={alpha:g}$",
        )
    ax.semilogy(
        smin2_tau,
        lemma_8_1_bound(1.0, 0.25, smin2_tau),
        "k-.",
        label=r"Theorem 8.1: $e^{-t\alpha^2\sigma_{\min}^2/2}$",
    )
    ax.set_xlabel(r"rescaled time $\alpha^2\sigma_{\min}^2 t = \sigma_{\min}^2\tau$")
    ax.set_ylabel(r"$\hat R(t)/\hat R_0$")
    ax.set_title("Risk of u(t) and w(t) against Lemma 8.1 and the theorem")
    ax.legend(fontsize=8)


@lru_cache(maxsize=64)
def _run(kind: str, lam: float, omega: float) -> tuple[Array, Array, Array, Array]:
    """One family (n = 3): times, the risk of the preconditioned flow, its bound, the spectrum of Q(t)."""
    Q = random_pd_family(3, lam, kind, rng=4, omega=omega)
    y = np.array([1.0, -0.5, 0.25])
    t = np.linspace(0.0, 3.0 / lam, 120)
    R = risk(preconditioned_flow(Q, np.zeros(3), y, t, rtol=1e-8, atol=1e-11), y)
    spectrum = np.array([np.linalg.eigvalsh(Q(float(s))) for s in t])
    return t, R, lemma_8_1_bound(R[0], lam, t), spectrum


def _draw(fig: Figure, kind: str, lam: float, omega: float) -> None:
    t, R, bound, spectrum = _run(kind, lam, omega)
    ax1, ax2 = fig.subplots(1, 2)
    plot_family_risks(ax1, t, {f"{kind} (λ={lam:g}, ω={omega:g})": (lam, R)})
    ax1.set_title("risk against the bound")
    plot_family_spectrum(ax2, t, spectrum, lam, kind)
    ratio = float(np.max(R / bound))
    fig.suptitle(f"{kind}, λ = {lam:.3g}, ω = {omega:.3g}: max risk/bound = {ratio:.3g} (≤ 1)")


def build_explorer() -> Explorer:
    """Lemma 8.1: a family Q(t) (kind, λ, speed ω) → risk of ż = −Q(t)(z − y) against the bound."""
    return Explorer(
        _draw,
        {
            "kind": Control("family Q(t)", LEMMA81_KINDS, default="gram"),
            "lam": Control("λ", LEMMA81_LAMS, default=0.3, static=(0.3,)),
            "omega": Control("speed ω", LEMMA81_OMEGAS, default=2.0),
        },
        caption="Lemma 8.1: the risk of ż = −Q(t)(z − y) against R₀exp(−2λt) for several families Q(t)",
    )
