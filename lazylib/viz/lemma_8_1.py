"""Lemma 8.1 page (``notebooks/05_lemma_8_1.ipynb``): the risk of ``ż = −Q(t)(z − y)`` under ``R₀e^{−2λt}``.

Figures: :func:`plot_family_risks` (risk ratios of families ``Q(t)`` in the rescaled time λt, each
a :class:`lazylib.lemmas.FamilyRisk`), :func:`plot_family_spectrum` (the eigenvalues of one family)
and :func:`plot_flow_risks` (the linearized flow and :class:`lazylib.lemmas.FlowRiskCheck` runs of
the network against the lemma and the theorem). The explorer's frame is the first
two for one family of :func:`lazylib.lemmas.random_pd_family`.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..flows import Trajectory
from ..lemmas import FamilyRisk, FlowRiskCheck, family_risk, random_pd_family
from ..theory import lemma_8_1_bound
from ._checks import checked
from .explorer import Control, Explorer
from .style import finish_figure

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


@checked
def plot_family_risks(ax: Axes, runs: Sequence[FamilyRisk]) -> None:
    """``R(z(t))/R(z(0))`` of each family against the rescaled time λt, under the bound ``e^{−2λt}``.

    Each run (:func:`lazylib.lemmas.family_risk`) is labelled by its ``name``.
    """
    for run in runs:
        ax.semilogy(run.lam * run.t, run.risk / run.risk[0], label=run.name)
    x = np.linspace(0, max(run.lam * run.t[-1] for run in runs), 200)
    ax.semilogy(x, lemma_8_1_bound(1.0, 1.0, x), "k--", label=r"bound $e^{-2\lambda t}$")
    ax.set_xlim(0, 4)
    ax.set_ylim(1e-5, 1.5)
    ax.set_xlabel(r"rescaled time $\lambda t$")
    ax.set_ylabel(r"$\hat R(z(t))\,/\,\hat R(z(0))$")
    ax.set_title("Lemma 8.1 on random smooth families Q(t): every curve under the bound")
    ax.legend()


@checked
def plot_family_spectrum(ax: Axes, run: FamilyRisk) -> None:
    """The eigenvalues of the family ``Q(t)`` along a run (``run.spectrum``, ascending) against the
    rescaled time λt, with the floor λ (dashed). Each eigenvalue is drawn about half as wide as the one
    before, so equal eigenvalues (the identity family) show as nested bands."""
    n = run.spectrum.shape[1]
    for k in range(n):
        ax.plot(
            run.lam * run.t,
            run.spectrum[:, k],
            color=f"C{k + 1}",
            lw=1.8 * 1.7 ** (n - 1 - k),
            label=f"λ{k + 1}(Q(t))",
        )
    ax.axhline(run.lam, ls="--", color="k", label="λ = inf λ_min(Q(t))")
    ax.set(xlabel=r"rescaled time $\lambda t$", ylabel="eigenvalue", title=f"the family Q(t): {run.name}")
    ax.legend()


@checked
def plot_flow_risks(ax: Axes, linearized: Trajectory, checks: Sequence[FlowRiskCheck]) -> None:
    """Risk of ``u(t)`` and of ``w(t)`` at several α against Lemma 8.1 and Theorem 8.1's rate.

    The x axis is the rescaled time ``α²σ_min²t`` of the checks (:func:`lazylib.lemmas.flow_risk_check`;
    ``linearized`` is ``u(t)`` on the same rescaled times), so Lemma 8.1 at λ = α²σ_min² is
    :func:`lazylib.theory.lemma_8_1_bound` with λ = 1 and the theorem's rate α²σ_min²/2 is λ = 1/4.
    Each network run is drawn with Lemma 8.1's bound at the λ measured along it; where that bound
    lies on the one at λ = α²σ_min² (the kernel's floor barely moves: the lazy regime), its label
    says that it overlaps.
    """
    smin2_tau = checks[0].smin2_tau
    # u(t) as a wide light band: the network's curves lie on it, and it shows around them
    ax.semilogy(
        smin2_tau,
        linearized.risk / linearized.risk[0],
        color="C0",
        lw=5,
        alpha=0.4,
        label=r"linearized $u(t)$",
    )
    ax.semilogy(
        smin2_tau,
        lemma_8_1_bound(1.0, 1.0, smin2_tau),
        "--",
        color="C0",
        label=r"Lemma 8.1, $\lambda=\alpha^2\sigma_{\min}^2$",
    )
    for k, check in enumerate(checks, start=1):
        alpha = check.alpha
        # a measured λ close to α²σ_min² (the lazy regime) puts this bound on the one at λ = α²σ_min²:
        # within 0.05 decade (under the line's width) at every time, the label says it overlaps
        at_smin = lemma_8_1_bound(1.0, 1.0, check.smin2_tau)
        overlaps = bool(np.allclose(np.log10(check.bound_ratio), np.log10(at_smin), rtol=0, atol=0.05))
        ax.semilogy(
            check.smin2_tau,
            check.risk_ratio,
            ":" if k == 2 else "-",
            color=f"C{k}",
            label=rf"network $w(t)$, $\alpha={alpha:g}$",
        )
        ax.semilogy(
            check.smin2_tau,
            check.bound_ratio,
            "--",
            color=f"C{k}",
            alpha=0.7,
            label=rf"Lemma 8.1, measured $\lambda$, $\alpha={alpha:g}$" + (" (overlaps)" if overlaps else ""),
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
    ax.legend()


@lru_cache(maxsize=64)
def _run(kind: str, lam: float, omega: float) -> FamilyRisk:
    """One family (n = 3): the risk of the preconditioned flow with its bound and the spectrum of Q(t)."""
    Q = random_pd_family(3, lam, kind, rng=4, omega=omega)
    y = np.array([1.0, -0.5, 0.25])
    t = np.linspace(0.0, 3.0 / lam, 120)
    return family_risk(Q, np.zeros(3), y, t, name=f"{kind} (λ={lam:g}, ω={omega:g})", rtol=1e-8, atol=1e-11)


def _draw(fig: Figure, kind: str, lam: float, omega: float) -> None:
    run = _run(kind, lam, omega)
    ax1, ax2 = fig.subplots(1, 2)
    plot_family_risks(ax1, [run])
    ax1.set_title("risk against the bound")
    plot_family_spectrum(ax2, run)
    ratio = float(np.max(run.risk / run.bound))
    fig.suptitle(f"{kind}, λ = {lam:.3g}, ω = {omega:.3g}: max risk/bound = {ratio:.3g} (≤ 1)")
    finish_figure(fig, legends="all", check=False)


def build_explorer() -> Explorer:
    """Lemma 8.1: a family Q(t) (kind, λ, speed ω) → risk of ż = −Q(t)(z − y) against the bound."""
    return Explorer(
        _draw,
        {
            "kind": Control("family Q(t)", LEMMA81_KINDS, default="gram"),
            "lam": Control("λ", LEMMA81_LAMS, default=0.3),
            "omega": Control("speed ω", LEMMA81_OMEGAS, default=2.0),
        },
        figsize=(7.0, 5.0),
        margins={"left": 0.1, "right": 0.98, "bottom": 0.1, "top": 0.86, "wspace": 0.32},
        caption="Lemma 8.1: the risk of ż = −Q(t)(z − y) against R₀exp(−2λt) for several families Q(t)",
        name="lemma_8_1",
    )
