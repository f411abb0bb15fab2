"""Hypothesis fuzz of the public functions of the presentation layer, ``lazylib.viz`` (issue 27).

``tests/test_fuzz.py`` fuzzes the numerics; this file does the same for the figures, explorers and
players: every public function of :mod:`lazylib.viz.explorer`, :mod:`lazylib.viz.style` and the
pages' ``plot_<what>`` functions (with tiny real results, ``viz_tiny.py``) gets a valid call, then
one or two of its arguments are replaced by a drawn value: special floats, arrays of odd shapes,
wrong types (``None``, strings, bools, 4.7 for an int), a result of another page, an ``Axes`` where
a result goes. Each call must then

* raise nothing but ``ValueError`` or ``TypeError`` (a clear error naming the argument), and no
  warning (warnings are errors under the project's pytest settings);
* return what it promises when it returns (a player is one ``div.lazy-player`` whose inline scripts
  cannot be closed by a label; log values are distinct, positive and increasing; curve points are
  finite unit vectors);
* answer within ``CALL_SECONDS``.

Derandomized (the same examples every run) and sized to take well under a minute here.
"""

from __future__ import annotations

import math
import re
from typing import Any

import matplotlib as mpl
import nbformat
import numpy as np
import viz_tiny
from factories import Fresh, Template, fuzz_tests
from hypothesis import strategies as st
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from lazylib import viz
from lazylib.viz import discrete_time as v_dt
from lazylib.viz import explorer as v_ex
from lazylib.viz import lazy_active as v_la
from lazylib.viz import lazy_solution as v_ls
from lazylib.viz import recall as v_rc
from lazylib.viz import style as v_st
from lazylib.viz import theorem as v_th

mpl.use("Agg")

CALL_SECONDS = 10.0
EXAMPLES = 40


def _axes() -> Axes:
    return Figure(figsize=(4, 3)).add_subplot()


def _figure() -> Figure:
    fig = Figure(figsize=(4, 3))
    fig.subplots_adjust(left=0.2, right=0.95, bottom=0.2, top=0.85)
    ax = fig.add_subplot()
    ax.plot([1.0, 2.0, 3.0], [1.0, 4.0, 9.0], label="data")
    ax.legend()
    ax.set(title="t", xlabel="x", ylabel="y")
    return fig


def _draw(fig: Figure, a: float) -> None:
    fig.add_subplot().plot([0.0, 1.0], [0.0, a])


def _notebook() -> dict[str, Any]:
    """A notebook holding an Explore cell's output bundle, widget view included."""
    cell = nbformat.v4.new_code_cell("setup_explorer()")
    data = {"text/html": "<div>", "image/png": "iVBO", "text/plain": "e", v_ex.WIDGET_VIEW: {"model_id": "m"}}
    cell.outputs = [nbformat.v4.new_output("display_data", data=data)]
    return dict(nbformat.v4.new_notebook(cells=[cell], metadata={"widgets": {}}))


AX = Fresh(_axes, "AX")
FIG = Fresh(_figure, "FIG")
PNG = v_ex.figure_png(_figure(), dpi=20)
CONTROL = v_ex.Control("a", (1.0, 2.0, 3.0))

TEMPLATES: dict[str, Template] = {
    # the explorer framework and the player
    "Control": (
        v_ex.Control,
        {"label": "α", "values": (1.0, 2.0), "default": 1.0, "static": (1.0,), "fmt": "{:g}"},
    ),
    "Explorer": (
        v_ex.Explorer,
        {"draw": _draw, "controls": {"a": CONTROL}, "figsize": (3.0, 2.0), "caption": "c", "name": "e"},
    ),
    "log_values": (v_ex.log_values, {"lo": 0.1, "hi": 10.0, "num": 3}),
    "player_html": (
        v_ex.player_html,
        {
            "frames": [PNG, PNG],
            "names": ["α"],
            "value_labels": [["1", "2"]],
            "initial": [1],
            "caption": "c",
            "alt": "a figure",
            "name": "p",
            "toggles": [1],  # a checkbox (the slider is the default, None)
        },
    ),
    "figure_png": (v_ex.figure_png, {"fig": FIG, "dpi": 20.0, "colors": 8}),
    "drop_live_widgets": (v_ex.drop_live_widgets, {"nb": Fresh(_notebook, "NB")}),
    "page_explorer": (viz.page_explorer, {"section": "setup"}),
    # the style and the legibility checks
    "positive_or_nan": (v_st.positive_or_nan, {"values": [1.0, 0.0, 2.0]}),
    "loglog_with_fit": (
        v_st.loglog_with_fit,
        {"ax": AX, "x": [1.0, 2.0, 4.0], "y": [1.0, 4.0, 16.0], "label": "l", "marker": "o", "color": "C1"},
    ),
    "legend_below": (v_st.legend_below, {"ax": Fresh(lambda: _figure().axes[0], "AX+legend"), "ncol": 2}),
    "place_legends": (v_st.place_legends, {"fig": FIG, "below": "all"}),
    "finish_figure": (v_st.finish_figure, {"fig": FIG, "legends": "colliding", "check": True}),
    "small_texts": (v_st.small_texts, {"fig": FIG, "min_pt": 9.0}),
    "legend_collisions": (v_st.legend_collisions, {"fig": FIG, "margin": 1.0}),
    "hidden_curves": (v_st.hidden_curves, {"fig": FIG, "tolerance": 1.0}),
    "crowded_texts": (v_st.crowded_texts, {"fig": FIG, "pad": 1.0}),
    "problems": (v_st.problems, {"fig": FIG}),
    # the pages' figures, on tiny results
    "theorem.plot_check_risks": (v_th.plot_check_risks, {"ax": AX, "check": viz_tiny.theorem_check()}),
    "theorem.plot_scan_risks": (
        v_th.plot_scan_risks,
        {"ax": AX, "factors": [1.0], "scan": [viz_tiny.theorem_check()]},
    ),
    "discrete_time.plot_gd_risks": (v_dt.plot_gd_risks, {"ax": AX, "check": viz_tiny.gd_check()}),
    "discrete_time.plot_euler_gap": (v_dt.plot_euler_gap, {"ax": AX, "gap": viz_tiny.euler_gap()}),
    "discrete_time.plot_scan_sharpness": (
        v_dt.plot_scan_sharpness,
        {"ax": AX, "scan": viz_tiny.step_scan(), "which": [0, 1]},
    ),
    "recall.plot_error_law": (
        v_rc.plot_error_law,
        {"ax_size": AX, "ax_width": AX, "table": viz_tiny.error_table(), "which": "random", "mark": (8, 0.1)},
    ),
    "lazy_active.plot_training_risks": (
        v_la.plot_training_risks,
        {"ax": AX, "traj": viz_tiny.neuron_trajectories(), "k": 1},
    ),
    "lazy_active.plot_neuron_paths": (
        v_la.plot_neuron_paths,
        {"ax": AX, "traj": viz_tiny.neuron_trajectories(), "k": 0, "teacher": viz_tiny.TASK.teacher},
    ),
    "lazy_solution.curve_inputs": (v_ls.curve_inputs, {"X": viz_tiny.X, "i": 0, "j": 1, "n_points": 5}),
    "lazy_solution.plot_curve_predictions": (
        v_ls.plot_curve_predictions,
        {
            "ax": AX,
            "theta": np.array([0.0, 1.0]),
            "sweep": viz_tiny.limit_gap_sweep(),
            "k": 1,
            "marks": (np.array([0.5]), np.array([0.1])),
        },
    ),
}

# ------------------------------------------------------------------------------------ values drawn
SPECIAL = [math.nan, math.inf, -math.inf, -0.0, 0.0, 1e308, 5e-324, 1.0, -1.0, 0.5, 3.0, 1e6]
WRONG = [None, "abc", "", "</script>", True, 4.7, -2, 0, 1, 7, [], [[]], {}, (), object(), b"x", 1 + 2j]


def _wrong_results() -> list[Any]:
    """Objects of the wrong kind where a result, a figure or axes go."""
    return [viz_tiny.theorem_check(), viz_tiny.error_table(), viz_tiny.step_scan(), AX, FIG, PNG, CONTROL]


@st.composite
def arrays(draw: st.DrawFn) -> np.ndarray:
    shape = draw(st.sampled_from([(), (0,), (1,), (2,), (3,), (2, 2), (3, 4), (0, 3), (2, 1, 2)]))
    values = np.random.default_rng(draw(st.integers(0, 2**16))).standard_normal(shape)
    if values.size and draw(st.booleans()):
        values.flat[draw(st.integers(0, values.size - 1))] = draw(st.sampled_from(SPECIAL))
    return values


def values(valid: Any) -> st.SearchStrategy[Any]:
    options = [st.sampled_from(SPECIAL), st.sampled_from(WRONG), arrays(), st.sampled_from(_wrong_results())]
    if isinstance(valid, list | tuple) and valid:
        options.append(st.just(list(valid)[::-1]))  # reversed
        options.append(st.just(list(valid) * 2))  # repeated
        options.append(st.just(list(valid)[:1]))  # shortened
    return st.one_of(options)


# ------------------------------------------------------------------------------------ checks
def check_result(name: str, result: Any) -> None:
    """What each function promises of what it returns."""
    if name == "player_html":
        assert result.startswith('<div class="lazy-player" id="lazy-player-') and result.endswith("</div>")
        scripts = re.findall(r"<script[^>]*>(.*?)</script>", result, re.S)
        assert len(scripts) == 2 and all("</" not in s for s in scripts)
    elif name == "log_values":
        v = np.asarray(result)
        assert v.size >= 1 and np.all(np.isfinite(v)) and np.all(v > 0) and np.all(np.diff(v) > 0)
    elif name == "lazy_solution.curve_inputs":
        theta, pts = result
        assert np.all(np.isfinite(theta)) and np.all(np.isfinite(pts))
        np.testing.assert_allclose(np.linalg.norm(pts, axis=1), 1.0, atol=1e-9)
    elif name == "figure_png":
        assert result[:8] == b"\x89PNG\r\n\x1a\n"
    elif name == "Control":
        hash(result)
        assert isinstance(result.values, tuple) and result.initial in result.values


# ------------------------------------------------------------------------------------ the tests
(
    test_every_public_function_has_a_template,
    test_valid_template_answers,
    test_fuzzed_call_raises_only_clear_errors,
) = fuzz_tests(
    TEMPLATES,
    [v_ex, v_st],
    values,
    check_result,
    examples=EXAMPLES,
    seconds=CALL_SECONDS,
    fuzzed=lambda obj: callable(obj) and not isinstance(obj, type | str),
    exempt={"book_style", "use_book_style"},  # a context manager and global state
)
