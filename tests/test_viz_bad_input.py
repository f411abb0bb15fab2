"""Bad input to the presentation layer (issue 27, V1–V8): each reproducer of the fuzz now gets a clear
error naming the argument, and the fixed behaviour is checked against an independent computation.
"""

from __future__ import annotations

import importlib
import inspect
import json
import re

import numpy as np
import pytest
import viz_tiny
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from lazylib.viz import discrete_time as viz_dt
from lazylib.viz import lazy_active as viz_la
from lazylib.viz import lazy_solution as viz_ls
from lazylib.viz import recall as viz_recall
from lazylib.viz import theorem as viz_theorem
from lazylib.viz.explorer import Control, figure_png, log_values, player_html

PAGES = (
    "case_study",
    "discrete_time",
    "eigenvalues",
    "lazy_active",
    "lazy_solution",
    "lemma_8_1",
    "lemma_8_2",
    "recall",
    "setup",
    "theorem",
    "width_scale",
)

X = viz_tiny.X
CHECK = viz_tiny.theorem_check()
TABLE = viz_tiny.error_table()


def _plot_functions() -> list[tuple[str, object]]:
    out = []
    for page in PAGES:
        mod = importlib.import_module(f"lazylib.viz.{page}")
        for name in getattr(mod, "__all__", dir(mod)):
            func = getattr(mod, name)
            if name.startswith("plot_") and callable(func):
                out.append((f"{page}.{name}", func))
    return out


PLOTS = _plot_functions()


def _ax() -> Axes:
    return Figure().add_subplot()


# ------------------------------------------------------------------------------------ V1
def test_every_plot_function_is_covered() -> None:
    assert len(PLOTS) >= 40, [n for n, _ in PLOTS]


@pytest.mark.parametrize(("name", "func"), PLOTS, ids=[n for n, _ in PLOTS])
def test_plot_functions_refuse_none_and_swapped_axes(name: str, func) -> None:
    """V1: ``None`` for every argument or the axes swapped with the next argument: a TypeError naming
    the argument (the numerics' ``check_instance``), never an AttributeError from inside."""
    params = list(inspect.signature(func).parameters)
    args: list[object] = [None] * len(params)
    with pytest.raises(TypeError, match=rf"^{params[0]} must be a"):
        func(*args)
    # swapped: the first argument (an Axes) where the second goes, a non-Axes first
    args = [object(), _ax()] + [None] * (len(params) - 2)
    with pytest.raises(TypeError, match=rf"^{params[0]} must be a"):
        func(*args)


def test_plot_function_refuses_a_result_of_another_page() -> None:
    """V1: a TheoremCheck (page 03) given to a gradient-descent figure (page 10), and the reverse."""
    with pytest.raises(TypeError, match=r"^check must be a GDCheck, got TheoremCheck"):
        viz_dt.plot_gd_risks(_ax(), CHECK)
    with pytest.raises(TypeError, match=r"^scan\[0\] must be a TheoremCheck, got ErrorLawTable"):
        viz_theorem.plot_scan_risks(_ax(), [1.0], [TABLE])
    with pytest.raises(TypeError, match=r"^table must be a ErrorLawTable, got TheoremCheck"):
        viz_recall.plot_error_law(_ax(), _ax(), CHECK)
    with pytest.raises(TypeError, match=r"^ax_width must be a Axes"):
        viz_recall.plot_error_law(_ax(), TABLE, TABLE)
    viz_theorem.plot_check_risks(_ax(), CHECK)  # the right result still draws


# ------------------------------------------------------------------------------------ V2
def test_indices_out_of_range_name_the_argument() -> None:
    """V2: ``which``, ``k`` and ``mark`` outside their grid: a ValueError, not an IndexError."""
    scan = viz_tiny.step_scan()  # two step sizes
    for bad in ([5], [-1], [0.5], "01", 3):
        with pytest.raises(ValueError, match="which"):
            viz_dt.plot_scan_risks(_ax(), scan, bad)
        with pytest.raises(ValueError, match="which"):
            viz_dt.plot_scan_sharpness(_ax(), scan, bad)
    ax = _ax()
    viz_dt.plot_scan_sharpness(ax, scan, [1])  # a valid index draws that run (and the edge)
    np.testing.assert_array_equal(ax.get_lines()[0].get_ydata(), scan.sharpness[1])
    with pytest.raises(ValueError, match=r"mark\[0\] must be one of \[8.0, 16.0\]"):
        viz_recall.plot_error_law(_ax(), _ax(), TABLE, mark=(32, 0.1))
    with pytest.raises(ValueError, match=r"mark\[1\]"):
        viz_recall.plot_error_law(_ax(), _ax(), TABLE, mark=(8, 0.3))
    with pytest.raises(ValueError, match="which must be one of"):
        viz_recall.plot_error_law(_ax(), _ax(), TABLE, which="best")
    with pytest.raises(ValueError, match="mark must be one of"):
        viz_case_study_plot_singular_values_with_mark(64)
    viz_case_study_plot_singular_values_with_mark(32)  # a width of the grid is circled


def viz_case_study_plot_singular_values_with_mark(mark: int) -> Axes:
    from lazylib.viz.case_study import plot_singular_values

    ax = _ax()
    plot_singular_values(ax, [16, 32], [1.0, 1.4], [2.0, 2.8], mark=mark)
    return ax


def test_run_index_k_is_checked() -> None:
    traj = viz_tiny.neuron_trajectories()  # two scales ν
    for bad in (2, -1, 1.0, True):
        with pytest.raises(ValueError, match=r"^k must be"):
            viz_la.plot_training_risks(_ax(), traj, bad)
        with pytest.raises(ValueError, match=r"^k must be"):
            viz_la.plot_neuron_paths(_ax(), traj, bad, np.eye(2))
    sweep = viz_tiny.limit_gap_sweep()  # two scales α
    with pytest.raises(ValueError, match=r"^k must be an index in 0..1"):
        viz_ls.plot_curve_predictions(_ax(), np.zeros(3), sweep, 2, (np.zeros(1), np.zeros(1)))
    ax = _ax()
    viz_la.plot_training_risks(ax, traj, 1)
    np.testing.assert_array_equal(ax.get_lines()[1].get_ydata(), traj.risk[:, 1])


# ------------------------------------------------------------------------------------ V3
def test_curve_inputs_is_the_great_circle_through_the_two_inputs() -> None:
    """V3 (the fixed behaviour): unit points in span{X[i], X[j]}, through X[i] at θ = 0 and through
    X[j]'s direction at its angle; checked against the plane's projector, built independently."""
    rng = np.random.default_rng(0)
    Xr = rng.normal(size=(3, 4))
    theta, pts = viz_ls.curve_inputs(Xr, 0, 2, n_points=64)
    assert pts.shape == (64, 4) and theta.shape == (64,)
    np.testing.assert_allclose(np.linalg.norm(pts, axis=1), 1.0, atol=1e-12)
    Q, _ = np.linalg.qr(Xr[[0, 2]].T)  # orthonormal basis of the plane
    np.testing.assert_allclose(pts - pts @ Q @ Q.T, 0.0, atol=1e-12)
    np.testing.assert_allclose(pts[np.argmin(np.abs(theta))], Xr[0] / np.linalg.norm(Xr[0]), atol=1e-12)
    u = Xr[2] / np.linalg.norm(Xr[2])
    assert np.max(pts @ u) == pytest.approx(1.0, abs=1e-2)  # the circle passes (near) X[j]'s direction


def test_curve_inputs_refuses_what_spans_no_plane() -> None:
    """V3: ``curve_inputs(X, 0, 0)`` was a circle in a random direction; zero X gave NaN points."""
    with pytest.raises(ValueError, match="parallel"):
        viz_ls.curve_inputs(X, 0, 0)
    with pytest.raises(ValueError, match="parallel"):
        viz_ls.curve_inputs(np.array([[1.0, 0.0], [-2.0, 0.0]]), 0, 1)
    with pytest.raises(ValueError, match="non-zero"):
        viz_ls.curve_inputs(np.zeros((4, 3)), 0, 1)
    with pytest.raises(ValueError, match=r"^j must be an index"):
        viz_ls.curve_inputs(X, 0, 4)
    with pytest.raises(ValueError, match=r"^X "):
        viz_ls.curve_inputs(np.full((2, 2), np.nan), 0, 1)
    with pytest.raises(ValueError, match="n_points"):
        viz_ls.curve_inputs(X, 0, 1, n_points=0)


# ------------------------------------------------------------------------------------ V4
def test_the_documented_module_path_is_the_module() -> None:
    """V4: ``import lazylib.viz.explorer as ex; ex.Control`` gave the function ``viz.explorer``."""
    import lazylib.viz
    import lazylib.viz.explorer as ex

    assert inspect.ismodule(ex) and ex.Control is Control
    assert lazylib.viz.explorer is ex
    from lazylib.viz import explorer, page_explorer  # both public names still import

    assert explorer is ex
    assert explorer("setup").name == page_explorer("setup").name == "setup"
    with pytest.raises(ValueError, match="section must be one of"):
        explorer("nope")
    with pytest.raises(ValueError, match="static must be True or False"):
        lazylib.viz.setup_explorer(static="yes")


# ------------------------------------------------------------------------------------ V5, V6
def _png() -> bytes:
    fig = Figure(figsize=(1, 1))
    fig.add_subplot().plot([0, 1])
    return figure_png(fig, dpi=20)


def test_player_inline_json_cannot_close_its_script() -> None:
    """V5: a label holding ``</script>`` broke the page. No inline script's text can end or open an
    element, and its JSON still decodes to the labels given."""
    evil = "</script><script>alert(1)</script>&amp;>"
    png = _png()
    page = player_html([png, png], [evil], [[evil, "b"]], [0], caption=evil, alt=evil, name="p1")
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", page, re.S)
    assert len(scripts) == 2, "the labels must not add or split script elements"
    # an HTML parser ends a script's text at the first "</script" (and "<!--" changes its parsing)
    assert all("</" not in s and "<!--" not in s and "<script" not in s for s in scripts)
    assert all(evil not in s and "&amp;" not in s for s in scripts)
    labels = re.search(r"labels = (\[.*?\]\]), names", scripts[1], re.S)
    assert labels is not None and json.loads(labels.group(1)) == [[evil, "b"]]
    assert evil not in page.replace(scripts[1], "")  # the HTML parts are escaped too


def test_player_refuses_labels_that_are_not_text() -> None:
    """V6: a non-string label gave an AttributeError."""
    png = _png()
    with pytest.raises(ValueError, match=r"names\[0\] must be a str"):
        player_html([png], [3], [["a"]], [0])
    with pytest.raises(ValueError, match=r"value_labels\[0\]\[1\] must be a str"):
        player_html([png, png], ["a"], [["a", 2.0]], [0])
    with pytest.raises(ValueError, match="value_labels"):
        player_html([png, png], ["a"], ["ab"], [0])
    with pytest.raises(ValueError, match="caption must be a str"):
        player_html([png], ["a"], [["a"]], [0], caption=None)
    with pytest.raises(ValueError, match="initial must hold integer"):
        player_html([png], ["a"], [["a"]], [0.0])
    with pytest.raises(ValueError, match="name must be"):
        player_html([png], ["a"], [["a"]], [0], name="x y")


def test_player_id_is_its_name_or_its_structure_never_its_pixels() -> None:
    """Issue 21: the id was a hash of the frames, so a pixel's round-off renamed the element."""
    a, b = _png(), figure_png(Figure(figsize=(1, 1)), dpi=20)
    assert a != b
    named = [player_html([f], ["x"], [["1"]], [0], name="lemma_8_1") for f in (a, b)]
    assert all('id="lazy-player-lemma_8_1"' in h for h in named)
    ids = [re.search(r'id="(lazy-player-[^"]+)"', player_html([f], ["x"], [["1"]], [0])) for f in (a, b)]
    assert ids[0] is not None and ids[1] is not None and ids[0].group(1) == ids[1].group(1)
    other = re.search(r'id="(lazy-player-[^"]+)"', player_html([a], ["y"], [["1"]], [0]))
    assert other is not None and other.group(1) != ids[0].group(1)


# ------------------------------------------------------------------------------------ V7
def test_log_values_are_distinct_positive_and_log_spaced() -> None:
    values = log_values(0.1, 1000.0, 5)
    assert values == (0.1, 1.0, 10.0, 100.0, 1000.0)
    v = np.array(log_values(2.0, 300.0, 7))
    ratios = v[1:] / v[:-1]
    np.testing.assert_allclose(ratios, (300.0 / 2.0) ** (1 / 6), rtol=5e-3)  # 3 significant digits
    assert log_values(3.0, 3.0, 1) == (3.0,)


def test_log_values_refuses_what_has_no_log_spacing() -> None:
    """V7: ``log_values(1.0, 1.001, 5)`` gave five equal values; negative bounds negative values."""
    with pytest.raises(ValueError, match="too close"):
        log_values(1.0, 1.001, 5)
    for lo, hi in ((-1.0, 10.0), (0.0, 1.0), (1.0, -10.0), (1.0, np.inf), (np.nan, 1.0)):
        with pytest.raises(ValueError, match=r"^(lo|hi) must"):
            log_values(lo, hi, 3)
    with pytest.raises(ValueError, match="hi must be > lo"):
        log_values(10.0, 1.0, 3)
    for num in (0, 2.5, True):
        with pytest.raises(ValueError, match=r"^num must"):
            log_values(1.0, 10.0, num)


# ------------------------------------------------------------------------------------ V8
def test_control_values_are_a_tuple_of_distinct_hashable_values() -> None:
    """V8: ``Control('x', 'abc')`` iterated the string; a list made the frozen Control unhashable."""
    c = Control("x", [1, 2, 3], static=[1, 3])
    assert c.values == (1, 2, 3) and c.static == (1, 3)
    assert hash(c) == hash(Control("x", (1, 2, 3), static=(1, 3)))
    with pytest.raises(ValueError, match="sequence of values"):
        Control("x", "abc")
    with pytest.raises(ValueError, match="sequence of values"):
        Control("x", 3)
    with pytest.raises(ValueError, match="hashable"):
        Control("x", [[1], [2]])
    with pytest.raises(ValueError, match="distinct"):
        Control("x", (1, 1, 2))
    with pytest.raises(ValueError, match="finite"):
        Control("x", (1.0, np.nan))
    with pytest.raises(ValueError, match="label must be a str"):
        Control(3, (1, 2))
    with pytest.raises(ValueError, match="sequence of values"):
        Control("x", (1, 2), static="1")


# ------------------------------------------------------------------------------------ found by the fuzz
def test_style_functions_and_figure_png_check_their_figure() -> None:
    """``tests/test_fuzz_viz.py`` found these: a NaN for the figure gave AttributeErrors, ``dpi=1e6``
    a ``std::bad_alloc``, ``check=nan`` ran the checks (NaN is truthy)."""
    from lazylib.viz import style

    for func in (style.small_texts, style.legend_collisions, style.hidden_curves, style.crowded_texts):
        with pytest.raises(TypeError, match=r"^fig must be a Figure"):
            func(float("nan"))
    with pytest.raises(TypeError, match=r"^ax must be a Axes"):
        style.legend_below(Figure(), 2)
    with pytest.raises(ValueError, match=r"^check must be True or False"):
        style.finish_figure(Figure(), check=float("nan"))
    fig = Figure(figsize=(7.0, 3.6))
    with pytest.raises(ValueError, match=r"^dpi .* pixels"):
        figure_png(fig, dpi=1e6)
    for bad in (0.0, -1.0, float("nan")):
        with pytest.raises(ValueError, match=r"^dpi must"):
            figure_png(fig, dpi=bad)
    for bad in (-1, 257, 2.5):
        with pytest.raises(ValueError, match=r"^colors must"):
            figure_png(fig, dpi=10, colors=bad)
    assert figure_png(fig, dpi=10, colors=256)[:8] == b"\x89PNG\r\n\x1a\n"
