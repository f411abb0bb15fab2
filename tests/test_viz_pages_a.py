"""Pages 01-05 (recall, setup, theorem, case study, Lemma 8.1): what their figures promise a reader.

* Fig. "below the threshold" of page 03 draws runs whose curves coincide as one curve that names
  them all (:func:`lazylib.viz.theorem.coinciding_runs`), so no curve is missing from the figure;
* the explorers' legends are whole: inside the figure, with a margin, in every frame of the offline
  player and in the still that the PDF prints (at its own resolution).
"""

from __future__ import annotations

import dataclasses

import matplotlib.pyplot as plt
import numpy as np
import pytest
import viz_tiny
from explorer_passes import EDGE_PT, frame_checks, legends_outside
from matplotlib.figure import Figure

from lazylib.viz import theorem as viz_theorem
from lazylib.viz.explorer import PLAYER_DPI
from lazylib.viz.style import book_style, hidden_curves

PAGES_A = ("recall", "setup", "theorem", "case_study", "lemma_8_1")


def _scaled(check, factor: float):
    """``check`` with the network's risk multiplied by ``factor`` (a run drawn ``log10(factor)``
    decades higher)."""
    nonlinear = dataclasses.replace(check.nonlinear, risk=check.nonlinear.risk * factor)
    return dataclasses.replace(check, nonlinear=nonlinear)


def test_coinciding_runs_groups_curves_within_the_tolerance() -> None:
    base = viz_tiny.theorem_check()
    d = viz_theorem.SCAN_COINCIDE_DECADES
    scan = [
        base,
        _scaled(base, 10 ** (0.5 * d)),
        _scaled(base, 10 ** (3 * d)),
        _scaled(base, 10 ** (3.2 * d)),
    ]
    assert viz_theorem.coinciding_runs(scan) == [[0, 1], [2, 3]]
    assert viz_theorem.scan_gap_decades(scan, [0, 1]) == pytest.approx(0.5 * d, rel=1e-9)
    assert viz_theorem.scan_gap_decades(scan, [2, 3]) == pytest.approx(0.2 * d, rel=1e-9)
    assert viz_theorem.coinciding_runs(scan, decades=0.0) == [[0], [1], [2], [3]]
    with pytest.raises(ValueError, match="decades"):
        viz_theorem.coinciding_runs(scan, decades=-1.0)
    with pytest.raises(ValueError, match="scan"):
        viz_theorem.coinciding_runs([])
    with pytest.raises(ValueError, match="group"):
        viz_theorem.scan_gap_decades(scan, [])


def test_scan_figure_draws_coinciding_runs_as_one_labelled_curve() -> None:
    """Three runs that coincide: one curve whose label names the three and says that they coincide;
    a run apart keeps its own curve."""
    base = viz_tiny.theorem_check()
    scan = [base, _scaled(base, 1.0 + 1e-4), _scaled(base, 1.0 + 2e-4), _scaled(base, 1e3)]
    with book_style():
        fig = Figure(figsize=(7.0, 4.0))
        ax = fig.add_subplot()
        viz_theorem.plot_scan_risks(ax, [1.0, 0.1, 0.01, 0.001], scan)
        labels = [ln.get_label() for ln in ax.get_lines()]
        assert labels[0] == r"$\alpha = \alpha_{\min}, 10^{-1}\alpha_{\min}, 10^{-2}\alpha_{\min}$ (coincide)"
        assert labels[1] == r"$\alpha = 10^{-3}\alpha_{\min}$"
        assert len(labels) == 3  # two groups and the bound
        assert hidden_curves(fig) == []
    with pytest.raises(ValueError, match="same length"):
        viz_theorem.plot_scan_risks(Figure().add_subplot(), [1.0], scan)


@pytest.mark.parametrize("section", PAGES_A)
def test_explorer_legends_are_whole_in_the_still_and_every_frame(section: str) -> None:
    """The still at PRINT_DPI (the default setting, as the PDF prints it) and every frame of the
    player, in the player's order in the figure its frames are drawn into, each after a full draw.
    The frames are walked once for this test and the legibility test (explorer_passes.frame_checks)."""
    checks = frame_checks(section)
    found = {}
    if checks.still_legends:
        found["still"] = checks.still_legends
    for params, bad in zip(checks.settings, checks.legends, strict=True):
        if bad:
            found[str(params)] = bad
    plt.close("all")
    assert not found, f"{section}: {found}"


def test_legend_check_finds_a_legend_cut_by_the_edge() -> None:
    """The check above can fail: a legend pushed below the figure's bottom edge is reported."""
    with book_style():
        fig = Figure(figsize=(7.0, 3.0), dpi=PLAYER_DPI)
        ax = fig.add_subplot()
        ax.plot(np.arange(3), label="one")
        ax.plot(np.arange(3) + 1, label="two")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.05))
        assert legends_outside(fig, EDGE_PT)
        ax.legend(loc="upper left")
        assert legends_outside(fig, EDGE_PT) == []
