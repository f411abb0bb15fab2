"""The explorer framework: :class:`Control`, :class:`Explorer` and the offline HTML player.

An explorer is a ``draw(fig, **params)`` function that fills a fresh matplotlib figure, plus a dict
of :class:`Control` s (each a finite list of values). From the same ``draw``:

* :meth:`Explorer.widget` builds the live UI — sliders, checkboxes (yes/no controls) and dropdowns
  observed by one ``ipywidgets.Image`` redrawn in place (``continuous_update=False``; no Output
  widget, see :meth:`Explorer.widget`);
* :meth:`Explorer.player` renders every combination of the (static) control values to a small PNG
  and returns a self-contained HTML/JavaScript player (:func:`player_html`): no kernel, no CDN;
* :meth:`Explorer.view` is what a notebook's one Explore cell displays (:class:`ExplorerView`): a single
  output bundle holding the live widget's view, the player as ``text/html`` (rendered only when
  executing for the book, :mod:`lazylib.viz.execution`) and the default setting as ``image/png``.
  Each front end picks one: JupyterLab, running the cell, the widget (its renderer outranks HTML);
  the stored notebook, the site and a notebook not yet run, the player (the executor drops the
  widget view, and the site's mime priority excludes it); the PDF, the PNG.

Every frame is drawn and rendered in the book's one style (:mod:`lazylib.viz.style`). The pages'
explorers live beside their figures in ``lazylib/viz/<page>.py``; each page's ``draw`` calls that
page's ``plot_<what>(ax, result)`` functions on a result of the page's numerics module, cached with
:func:`functools.lru_cache` on hashable parameters (moving a slider back only redraws).

The player's frames are drawn into one figure per explorer and resolution, reused from frame to
frame (:meth:`Explorer.frame_figure`). The player's markup (for the browser tests):
``div.lazy-player#lazy-player-<name>`` holds ``img.lazy-player-frame``
and one control per moving control, each inside its ``<label>`` and followed by
``span.lazy-player-value``: an ``input[type=range].lazy-player-slider`` for a list of values, an
``input[type=checkbox].lazy-player-toggle`` for a yes/no control (:attr:`Control.toggle`; its
``data-on`` is the index of the value shown while checked). The frames are base64-embedded PNGs,
swapped by a few lines of inline JavaScript (on a slider's ``input`` event, a checkbox's ``change``).
The page works from ``file://``. Accessible and keyboard operable (arrow keys move a slider, Space
toggles a checkbox; JupyterLab's notebook shortcuts are kept off both, ``data-lm-suppress-shortcuts``):
every control is named by its ``<label>`` and ``aria-label``, a slider says its value
(``aria-valuetext``), a checkbox its state (checked or not), the readouts are ``aria-live``, and the
image's alternative text names the figure and the setting shown (both updated with the frame).
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import itertools
import json
import re
import sys
import time
import types
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.scale import LogScale
from matplotlib.ticker import LogLocator
from PIL import Image

from .._checks import check_positive, check_positive_int
from ..formatting import Shown
from ._checks import checked
from .execution import for_book, palette_png
from .style import book_style

__all__ = [
    "LIVE_DPI",
    "MAX_PIXELS",
    "PLAYER_COLORS",
    "PLAYER_DPI",
    "PRINT_DPI",
    "WIDGET_VIEW",
    "Control",
    "Explorer",
    "ExplorerView",
    "drop_live_widgets",
    "figure_png",
    "log_values",
    "player_html",
]

#: Resolution of the static players' frames (pixels per inch). A 7-inch frame is then 672 px, about the
#: site's column, so the style's smallest text (9 pt) shows at 12 CSS px (at 80 dpi it was 10 px,
#: below the 11 px the site test asks for); lower would shrink text, higher only weighs the page.
PLAYER_DPI = 96
#: Colours of the static players' palette PNG frames.
PLAYER_COLORS = 128
#: Resolution of the live widget's figure.
LIVE_DPI = 90
#: Resolution of the still of the default setting that the static player carries for print (PDF).
PRINT_DPI = 200
#: The largest image :func:`figure_png` renders (pixels): a 7-inch figure at 200 dpi is ~4e6.
MAX_PIXELS = 5e7
#: The MIME type of a live widget's view in an output bundle (:func:`drop_live_widgets` drops it).
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def drop_live_widgets(nb: dict[str, Any]) -> None:
    """Remove live widget views and stored widget state from a notebook (in place).

    A widget view cannot outlive its kernel (:class:`ExplorerView`), so a stored notebook keeps none:
    the book's executor (``_ext/execute_notebooks.py``) and JupyterLab's saves
    (``_ext/jupyter_lab_config.py``) call this. The view is removed from each output bundle that has
    one; the output is kept when other representations remain (an Explore cell's player, still and
    text), dropped when only its ``text/plain`` widget repr would remain.

    Parameters
    ----------
    nb : dict
        The notebook (nbformat 4, as a dict or ``NotebookNode``).
    """
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise ValueError(f"nb must be a notebook dict with a list of cells, got {type(nb).__name__}")
    for cell in nb["cells"]:
        if cell.get("cell_type") != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data:
                data.pop(WIDGET_VIEW)
                if set(data) <= {"text/plain"}:
                    continue
                output.get("metadata", {}).pop(WIDGET_VIEW, None)
            kept.append(output)
        cell["outputs"] = kept
    nb.get("metadata", {}).pop("widgets", None)


@dataclass(frozen=True)
class Control:
    """One control of an explorer: a label and a finite list of values.

    Numeric values become a selection slider, a yes/no choice (the two values ``True`` and ``False``,
    :attr:`toggle`) a checkbox, anything else (str) a dropdown; the same in the live widget
    (:meth:`widget`) and in the offline player (:func:`player_html`).

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
        if not isinstance(self.label, str):
            raise ValueError(f"label must be a str, got {type(self.label).__name__} {self.label!r}")
        if not isinstance(self.fmt, str):
            raise ValueError(f"fmt of control {self.label!r} must be a str, got {self.fmt!r}")
        # a frozen dataclass keeps what it is given: make the values a tuple here (a list would make
        # the Control unhashable, a str would be iterated as letters)
        for field in ("values", "static"):
            given = getattr(self, field)
            if given is None and field == "static":
                continue
            if isinstance(given, str | bytes | Mapping) or not isinstance(given, Iterable):
                raise ValueError(
                    f"{field} of control {self.label!r} must be a sequence of values, "
                    f"got {type(given).__name__} {given!r}"
                )
            object.__setattr__(self, field, tuple(given))
        if len(self.values) == 0:
            raise ValueError(f"values of control {self.label!r} must not be empty")
        for v in self.values:
            try:
                hash(v)
            except TypeError:
                raise ValueError(
                    f"values of control {self.label!r} must be hashable (they key the caches), got {v!r}"
                ) from None
            if isinstance(v, float) and not np.isfinite(v):
                raise ValueError(f"values of control {self.label!r} must be finite, got {v!r}")
        if len(set(self.values)) != len(self.values):
            raise ValueError(f"values of control {self.label!r} must be distinct, got {self.values}")
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
    def toggle(self) -> bool:
        """Whether this is a yes/no control (its values are ``True`` and ``False``, in either order): a
        checkbox rather than a slider or dropdown."""
        return len(self.values) == 2 and all(isinstance(v, bool) for v in self.values)

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
        """The ipywidgets control: a ``SelectionSlider`` (numbers; ``continuous_update=False``: redraw
        on release), a ``Checkbox`` (a yes/no :attr:`toggle`; its ``value`` is the control's value,
        ``True`` or ``False``) or a ``Dropdown`` (labels)."""
        import ipywidgets as w

        style = {"description_width": "initial"}
        if self.toggle:
            return w.Checkbox(value=bool(self.initial), description=self.label, indent=False, style=style)
        options = [(self.format(v), v) for v in self.values]
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
    name : str, optional
        The explorer's name, unique on its page (the pages use their key of
        :data:`lazylib.viz.EXPLORERS`): the offline player's element id is ``lazy-player-<name>``
        (see :func:`player_html`), the same on every machine whatever the frames' pixels.
    update : callable, optional
        ``update(fig, **params) -> bool``: turn ``fig``, which holds a frame of this explorer (drawn by
        ``draw``, or by ``update`` since), into the frame at ``params`` by changing its artists (line
        data, texts, limits) instead of drawing anew: new axes, ticks and legends, and laying the
        legends out, are about 40 % of a frame's time. Returns False when it cannot (the frame is then
        cleared and drawn by ``draw``). It must give the very pixels ``draw`` gives (the tests compare
        every frame of the player with a fresh drawing). Used by :meth:`frame_figure`: the player's
        frames and the live widget; :meth:`figure` always draws.
    colors : int
        Colours of the player's palette PNG frames (:data:`PLAYER_COLORS` by default; fewer make a
        lighter page, too few shift the colours of lines and antialiased text).
    """

    def __init__(
        self,
        draw: Callable[..., None],
        controls: Mapping[str, Control],
        *,
        figsize: tuple[float, float] = (9.0, 3.4),
        caption: str = "",
        margins: Mapping[str, float] | None = None,
        name: str | None = None,
        update: Callable[..., bool] | None = None,
        colors: int = PLAYER_COLORS,
    ) -> None:
        if not controls:
            raise ValueError("controls must hold at least one control")
        if name is not None and (not isinstance(name, str) or not _PLAYER_NAME.fullmatch(name)):
            raise ValueError(f"name must be letters, digits, '_' or '-' starting with a letter, got {name!r}")
        self.name = name
        self.draw = draw
        self.controls = dict(controls)
        self.figsize = figsize
        self.caption = caption
        self.margins = {"left": 0.08, "right": 0.98, "bottom": 0.15, "top": 0.84, "wspace": 0.28}
        self.margins.update(margins or {})
        if update is not None and not callable(update):
            raise ValueError(f"update must be callable or None, got {update!r}")
        self.update = update
        colors = check_positive_int(colors, "colors")
        if colors > 256:
            raise ValueError(f"colors must be at most 256 (a palette PNG), got {colors}")
        self.colors = colors
        self._figures: dict[float, Figure] = {}  # per dpi, the figure the frames are drawn into
        self._complete: set[float] = set()  # the resolutions whose figure holds a whole frame

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
        with book_style():
            fig = Figure(figsize=self.figsize, layout=None)  # no layout engine (book_style: no autolayout)
            self._draw_into(fig, params)
        return fig

    def _draw_into(self, fig: Figure, params: Mapping[str, Any]) -> None:
        """Draw the frame at ``params`` into the empty ``fig`` (inside :func:`book_style`).

        Minor ticks of log axes cost half the rendering time, and a frame drops them (unless the axis
        spans too few decades to be read without them, :class:`_FrameMinorLogLocator`). They are
        dropped from the start (:func:`_frame_log_scales`), not after ``draw``: ``draw`` lays the
        legends out under the axes (:func:`lazylib.viz.style.finish_figure`), which measures the
        tick labels and so made every minor tick of every x axis only to drop it.
        """
        fig.subplots_adjust(**self.margins)  # every margin, also one a previous frame moved
        with _frame_log_scales():
            self.draw(fig, **self._params(params))

    def frame_figure(self, dpi: float = PLAYER_DPI, **params: Any) -> Figure:
        """The frame at ``params`` as it is rendered at ``dpi`` (what :meth:`png` saves; the tests check
        the frames as shown with it): drawn into this explorer's one figure for that resolution, which
        the next frame at that ``dpi`` clears and redraws.

        The figure is reused from frame to frame, with its canvas: the Agg renderer is kept while the
        size and dpi stay the same, and with it matplotlib's caches of text metrics and parsed
        mathtext (keyed by renderer), which a new figure per frame started empty (most of a frame's
        time was laying out the same tick labels and titles again). It is made at the output ``dpi``,
        so that the layout (legends placed under the axes) and the saving use that one renderer.

        With an ``update`` function (see :class:`Explorer`), a figure holding a whole frame is updated
        in place rather than cleared and drawn: its axes, ticks and legends, laid out once, are kept.
        """
        dpi = check_positive(dpi, "dpi")
        full = self._params(params)
        with book_style():
            fig = self._figures.get(dpi)
            if fig is None:
                fig = Figure(figsize=self.figsize, dpi=dpi, layout=None)
                FigureCanvasAgg(fig)
                self._figures[dpi] = fig
            complete = dpi in self._complete
            self._complete.discard(dpi)  # until this frame is whole (a failing draw leaves a part)
            if not (complete and self.update is not None and self._update(fig, full)):
                fig.clear()
                self._draw_into(fig, full)
            self._complete.add(dpi)
        return fig

    def _update(self, fig: Figure, params: Mapping[str, Any]) -> bool:
        """``update(fig, **params)`` (inside :func:`book_style`, log axes as :meth:`_draw_into` has them)."""
        assert self.update is not None
        with _frame_log_scales():
            done = self.update(fig, **params)
        if not isinstance(done, bool):
            raise ValueError(f"update must return True or False, got {done!r}")
        return done

    def png(self, dpi: float = LIVE_DPI, colors: int = 0, **params: Any) -> bytes:
        """One frame as PNG bytes (``colors > 0``: palette-quantised, as in the static player).

        Drawn and rendered under the book's style (:func:`lazylib.viz.style.book_style`), whatever
        the notebook's own ``rcParams``, so that the frames are the same in a notebook, in the tests
        and on the site; into one figure per resolution, reused from frame to frame
        (see :meth:`frame_figure`).
        """
        fig = self.frame_figure(dpi, **params)
        with book_style():
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

        Controls with a single static value are fixed and get no control in the player.
        """
        moving = self._moving()
        grids = [self.controls[n].player_values for n in moving]
        settings = [dict(zip(moving, combo, strict=True)) for combo in itertools.product(*grids)]
        frames = self._player_pngs(dpi, settings)
        names = [self.controls[n].label for n in moving]
        labels = [[self.controls[n].format(v) for v in g] for n, g in zip(moving, grids, strict=True)]
        initial = []
        for n, g in zip(moving, grids, strict=True):
            init = self.controls[n].initial
            initial.append(g.index(init) if init in g else len(g) // 2)
        return frames, names, labels, initial

    def player_grid(self) -> Shown:
        """The offline player's grid in words, for the prose beside it (``{eval}``: a
        :class:`~lazylib.formatting.Shown`, text without quotes): each moving control's values, and the
        number of frames, e.g. ``α ∈ {0.1, 1, 10} × centred: yes or no (6 frames)``."""
        moving = [self.controls[n] for n in self._moving()]
        parts = [
            f"{c.label}: yes or no"
            if c.toggle
            else f"{c.label} ∈ {{{', '.join(c.format(v) for v in c.player_values)}}}"
            for c in moving
        ]
        count = int(np.prod([len(c.player_values) for c in moving]))
        return Shown(" × ".join(parts) + f" ({count} frame{'s' if count != 1 else ''})")

    def _moving(self) -> list[str]:
        """Names of the controls the player moves (more than one static value), in display order."""
        return [n for n, c in self.controls.items() if len(c.player_values) > 1]

    def _player_pngs(self, dpi: float, settings: Sequence[Mapping[str, Any]]) -> list[bytes]:
        """``[self.png(dpi, self.colors, **params) for params in settings]``, the same bytes, sooner:
        each frame is drawn while a thread quantises and compresses the one before (Pillow releases
        the GIL there, a quarter of a frame's time), so on two cores the two overlap."""
        with ThreadPoolExecutor(max_workers=1) as encoder:
            pending: list[Future[bytes]] = []
            for params in settings:
                fig = self.frame_figure(dpi, **params)
                with book_style():
                    dpi, colors = _check_render(fig, dpi, self.colors)
                    pixels = _pixels(fig, dpi, colors)
                assert isinstance(pixels, Image.Image)  # colors > 0: pixels to quantise
                pending.append(encoder.submit(palette_png, pixels, colors))
            return [frame.result() for frame in pending]

    def player_html(self, dpi: float = PLAYER_DPI) -> str:
        """The static player's HTML (see :func:`player_html`)."""
        frames, names, labels, initial = self.frames(dpi)
        # a yes/no control is a checkbox, checked while it shows True
        toggles: list[int | None] = [
            c.player_values.index(True) if c.toggle else None
            for c in (self.controls[n] for n in self._moving())
        ]
        if not names:  # every control fixed: one frame, no slider
            names, labels, initial, toggles = ["setting"], [["fixed"]], [0], [None]
        return player_html(
            frames,
            names,
            labels,
            initial,
            caption=self.caption,
            alt=self.caption or "Explorer figure",
            name=self.name,
            toggles=toggles,
        )

    def player(self, dpi: float = PLAYER_DPI) -> Any:
        """The static player as an ``IPython.display.HTML`` object (self-contained, no CDN).

        Its output bundle also carries ``image/png``: the default setting drawn at
        :data:`PRINT_DPI`, which the PDF edition (Sphinx's LaTeX builder, whose myst-nb mime
        priority has no ``text/html``) shows in place of the player. HTML front ends keep the player.
        """
        return _player_display(self.player_html(dpi), self.png(PRINT_DPI, 128))

    def view(self, dpi: float = PLAYER_DPI) -> ExplorerView:
        """The one Explore cell's output: live widget, offline player and print still in one bundle.

        See :class:`ExplorerView`. Builds the live widget (:meth:`widget`), the still at
        :data:`PRINT_DPI` and, when executing for the book (:func:`lazylib.viz.execution.for_book`),
        the player's frames (:meth:`player_html`).
        """
        return ExplorerView(self, dpi)


class ExplorerView:
    """An explorer as one output: its live widget, offline player and print still in one bundle.

    Displayed (the value of a notebook cell), it gives one output whose bundle holds

    * ``application/vnd.jupyter.widget-view+json``: the live widget (:meth:`Explorer.widget`);
    * ``text/html``: the offline player (:meth:`Explorer.player_html`), only when executing for the
      book (:func:`lazylib.viz.execution.for_book`): its frames are most of the cell's time, and a
      live kernel shows the widget instead (a notebook saved from a reader's kernel then has no
      player, which only the book's stored notebooks need);
    * ``image/png``: the default setting at :data:`PRINT_DPI` (what the PDF edition prints);
    * ``text/plain``: one deterministic line naming the explorer (no widget repr, no model id).

    Front ends render the one MIME type they rank first. JupyterLab ranks the widget renderer
    (rank -10) before HTML (50) and images (90) for trusted outputs, and outputs of a running
    kernel are trusted: after running, the live widget replaces the player. The widget view cannot
    outlive its kernel (stored, it would still win and show only a placeholder, "Loading widget..."
    then "Error displaying widget: model not found"), so :func:`drop_live_widgets` drops it from
    stored outputs (the book's executor, JupyterLab's saves), keeping the
    player, the still and the text: a notebook not yet run, like the site (myst-nb's HTML priority,
    with the widget view excluded in ``_config.yml``), shows the player, and the PDF (LaTeX
    priority: no HTML) the still.
    nbval skips the widget-view key, so it compares the rest of the bundle with the stored one.

    Parameters
    ----------
    explorer : Explorer
        The explorer shown.
    dpi : float
        Resolution of the player's frames.

    Attributes
    ----------
    widget : ipywidgets.VBox
        The live widget (controls above one ``ipywidgets.Image``).
    player_html : str or None
        The offline player's HTML (None unless executing for the book).
    still : bytes
        PNG of the default setting at :data:`PRINT_DPI`.
    """

    def __init__(self, explorer: Explorer, dpi: float = PLAYER_DPI) -> None:
        if not isinstance(explorer, Explorer):
            raise ValueError(f"explorer must be an Explorer, got {type(explorer).__name__}")
        if not np.isfinite(dpi) or dpi <= 0:
            raise ValueError(f"dpi must be a positive finite number, got {dpi!r}")
        self.explorer = explorer
        self.widget = explorer.widget()
        # the player's frames (most of the cell's time) only where they are stored and shown: when
        # executing for the book; a live kernel shows the widget, and the PDF the still
        self.player_html: str | None = explorer.player_html(dpi) if for_book() else None
        self.still = explorer.png(PRINT_DPI, 128)

    @property
    def text(self) -> str:
        """The ``text/plain`` line: the caption and the controls (deterministic)."""
        controls = ", ".join(c.label for c in self.explorer.controls.values())
        caption = self.explorer.caption or "explorer"
        return f"{caption} [explorer; controls: {controls}]"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        view = self.widget._repr_mimebundle_()[WIDGET_VIEW]
        bundle = {WIDGET_VIEW: view}
        if self.player_html is not None:
            bundle["text/html"] = self.player_html
        bundle["image/png"] = base64.b64encode(self.still).decode("ascii")
        bundle["text/plain"] = self.text
        return bundle


def _player_display(markup: str, still: bytes) -> Any:
    """An ``IPython.display.HTML`` of ``markup`` whose output bundle adds ``image/png`` ``still``."""
    from IPython.display import HTML

    class PlayerHTML(HTML):
        def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
            return {"text/html": self.data, "image/png": base64.b64encode(still).decode("ascii")}

    return PlayerHTML(markup)


def log_values(lo: float, hi: float, num: int) -> tuple[float, ...]:
    """``num`` log-spaced values from ``lo`` to ``hi`` rounded to 3 significant digits (clean labels,
    stable cache keys).

    Raises
    ------
    ValueError
        Unless ``0 < lo < hi`` are finite and ``num >= 1`` is an integer (``num = 1`` gives ``(lo,)``),
        or if the rounded values are not all distinct (bounds too close for ``num`` values at 3
        significant digits: the explorer would show one setting under several names).
    """
    lo = check_positive(lo, "lo")
    hi = check_positive(hi, "hi")
    num = check_positive_int(num, "num")
    if num > 1 and not hi > lo:
        raise ValueError(f"hi must be > lo, got lo = {lo!r}, hi = {hi!r}")
    values = tuple(float(f"{v:.3g}") for v in np.geomspace(lo, hi, num))
    if any(b <= a for a, b in itertools.pairwise(values)):
        raise ValueError(
            f"lo = {lo!r} and hi = {hi!r} are too close for num = {num} distinct values at 3 significant "
            f"digits, got {values}"
        )
    return values


# ============================================================================ frames' log axes
#: A frame's log axis spanning at least this ratio (two decades) shows no minor ticks.
_MINOR_DECADES = 100.0


class _FrameMinorLogLocator(LogLocator):
    """A log axis's minor locator in a player frame: no ticks when the view spans at least
    :data:`_MINOR_DECADES`, else those of :class:`matplotlib.ticker.LogLocator` (the log scale's own).

    Decided at each call, on the view limits of that moment (as autoscaled), so the layout pass and
    the final draw agree; for a span of two decades or more the minor ticks carry no labels, so the
    layout is the same as with them.
    """

    def __call__(self) -> Any:
        if self.axis is not None:
            lo, hi = sorted(self.axis.get_view_interval())
            if lo > 0 and hi / lo >= _MINOR_DECADES:
                return []
        return super().__call__()


@contextmanager
def _frame_log_scales() -> Iterator[None]:
    """Inside the block, every axis set to a log scale gets :class:`_FrameMinorLogLocator` as its minor
    locator. Scoped to the frame's drawing (the kernel draws one thing at a time): the log scale's
    defaults are restored on exit, whatever happens."""
    original = LogScale.set_default_locators_and_formatters

    def frame_defaults(scale: LogScale, axis: Any) -> None:
        original(scale, axis)
        # as LogScale does (its subs attribute is typed wider than LogLocator's parameter)
        axis.set_minor_locator(_FrameMinorLogLocator(scale.base, scale.subs))  # type: ignore[arg-type]

    LogScale.set_default_locators_and_formatters = frame_defaults  # type: ignore[method-assign, assignment]
    try:
        yield
    finally:
        LogScale.set_default_locators_and_formatters = original  # type: ignore[method-assign]


# ============================================================================ the offline player
@checked
def figure_png(fig: Figure, dpi: float = 80.0, colors: int = 128) -> bytes:
    """Render ``fig`` to PNG bytes, quantised to an adaptive palette of ``colors`` colours.

    ``colors=0`` skips the quantisation (faster; used by the live widget).

    Line plots use few colours, so a palette PNG is 3-5x smaller than RGBA at no visible cost.
    Deterministic: same figure, same bytes (no timestamps in the metadata), so stored notebook
    outputs compare equal under nbval.

    Raises
    ------
    ValueError
        If ``dpi`` is not a positive finite number or the image would exceed :data:`MAX_PIXELS`, or
        ``colors`` is not an integer in 0..256 (a palette PNG holds at most 256 colours).
    """
    dpi, colors = _check_render(fig, dpi, colors)
    pixels = _pixels(fig, dpi, colors)
    return pixels if isinstance(pixels, bytes) else palette_png(pixels, colors)


def _check_render(fig: Figure, dpi: float, colors: int) -> tuple[float, int]:
    """``(dpi, colors)`` checked as :func:`figure_png` documents them."""
    dpi = check_positive(dpi, "dpi")
    colors = check_positive_int(colors, "colors", minimum=0)
    if colors > 256:
        raise ValueError(f"colors must be at most 256 (a palette PNG), got {colors}")
    width, height = fig.get_size_inches()
    if width * height * dpi**2 > MAX_PIXELS:
        raise ValueError(
            f"dpi = {dpi:g} makes a {width:g} x {height:g} in figure {width * height * dpi**2:.3g} pixels, "
            f"more than {MAX_PIXELS:.0e}"
        )
    return dpi, colors


def _pixels(fig: Figure, dpi: float, colors: int) -> Image.Image | bytes:
    """What :func:`figure_png` encodes: the PNG itself when ``colors <= 0``, else the figure's RGB
    pixels, a copy (the figure may be cleared and redrawn while they are quantised)."""
    if colors > 0 and fig.dpi == dpi and tuple(fig.get_facecolor()) == (1.0, 1.0, 1.0, 1.0):
        # drawn at its own dpi on white (the explorers' frames): quantise the canvas's pixels, the
        # very pixels savefig would write, without encoding them to a PNG and decoding it again
        canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
        canvas.draw()
        img = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        return img.convert("RGB")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None}, facecolor="white")
    if colors <= 0:
        return buf.getvalue()
    buf.seek(0)
    with Image.open(buf) as img:
        return img.convert("RGB")


_SCRIPT = """
(function () {
  var root = document.getElementById(%(id)s);
  if (!root || root.dataset.ready) { return; }
  root.dataset.ready = "1";
  var frames = JSON.parse(root.querySelector("script.lazy-player-data").textContent);
  var img = root.querySelector("img.lazy-player-frame");
  var controls = root.querySelectorAll("input.lazy-player-slider, input.lazy-player-toggle");
  var shape = %(shape)s, labels = %(labels)s, names = %(names)s, alt = %(alt)s;
  function index(e) {
    if (e.type !== "checkbox") { return parseInt(e.value, 10); }
    var on = parseInt(e.dataset.on, 10);
    return e.checked ? on : 1 - on;
  }
  function show() {
    var k = 0, setting = [];
    for (var c = 0; c < controls.length; c++) {
      var i = index(controls[c]);
      k = k * shape[c] + i;
      controls[c].nextElementSibling.textContent = labels[c][i];
      if (controls[c].type !== "checkbox") { controls[c].setAttribute("aria-valuetext", labels[c][i]); }
      setting.push(names[c] + " = " + labels[c][i]);
    }
    img.src = "data:image/png;base64," + frames[k];
    img.alt = alt + " Shown: " + setting.join(", ") + ".";
    img.dataset.frame = String(k);
  }
  for (var c = 0; c < controls.length; c++) {
    controls[c].addEventListener(controls[c].type === "checkbox" ? "change" : "input", show);
  }
  show();
})();
"""

_STYLE = (
    ".lazy-player{font-family:sans-serif;font-size:0.9em;max-width:100%%}"
    ".lazy-player img{max-width:100%%;height:auto;display:block}"
    ".lazy-player label{display:inline-flex;align-items:center;gap:0.4em;margin:0.2em 1.2em 0.2em 0}"
    ".lazy-player input[type=range]{width:12em}"
    ".lazy-player input[type=checkbox]{width:1.2em;height:1.2em;margin:0}"
    ".lazy-player .lazy-player-value{min-width:4em;font-family:monospace}"
)


def _script_json(value: Any) -> str:
    """``value`` as JSON that is safe inside an inline ``<script>``: ASCII only, and ``<``, ``>``,
    ``&`` escaped (a label holding ``</script>`` must not close the element)."""
    text = json.dumps(value, ensure_ascii=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _check_text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a str, got {type(value).__name__} {value!r}")
    return value


#: What a player's ``name`` may hold (it becomes the element id ``lazy-player-<name>``).
_PLAYER_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


def player_html(
    frames: Sequence[bytes],
    names: Sequence[str],
    value_labels: Sequence[Sequence[str]],
    initial: Sequence[int],
    caption: str = "",
    alt: str = "Explorer figure",
    name: str | None = None,
    toggles: Sequence[int | None] | None = None,
) -> str:
    """HTML of a frame player over a grid of controls: a slider per control, or a checkbox.

    Parameters
    ----------
    frames : sequence of bytes
        PNG frames in row-major order over the control grid (last control fastest).
    names : sequence of str
        Control labels (HTML-escaped here; may hold Unicode such as "α").
    value_labels : sequence of sequence of str
        For each control, the label of each of its values; ``len(value_labels[c])`` is the grid size
        along control ``c`` and ``prod`` of the sizes must equal ``len(frames)``.
    initial : sequence of int
        Index of the value shown first, per control.
    caption : str
        A line of text above the controls (HTML-escaped).
    alt : str
        Alternative text of the image: what the figure shows. The setting shown is appended
        ("Shown: α = 1, m = 64.") and kept current by the script.
    name : str, optional
        The player's name (letters, digits, ``_``, ``-``; starting with a letter), unique on its page:
        the element id is ``lazy-player-<name>``. If omitted, a hash of the player's structure
        (control names, value labels, initial setting, caption and alt text, and which controls are
        checkboxes), never of the frames.
    toggles : sequence of (int or None), optional
        Per control, ``None`` for a slider, or for a yes/no control (two values) a checkbox: the
        index (0 or 1) of the value shown while it is checked. All sliders if omitted.

    Returns
    -------
    str
        A ``<div class="lazy-player">`` with the frames embedded as base64, styled and scripted
        inline. Deterministic, and its id does not depend on the frames' pixels: a frame that
        differs in round-off between two machines changes only the base64 payload (which nbval's
        sanitizer, ``tests/nbval_sanitize.cfg``, blanks out), not the markup around it.
    """
    names = [_check_text(n, f"names[{c}]") for c, n in enumerate(names)]
    if isinstance(value_labels, str) or any(isinstance(v, str) for v in value_labels):
        raise ValueError("value_labels must hold one sequence of str per control, not a str")
    value_labels = [
        [_check_text(v, f"value_labels[{c}][{k}]") for k, v in enumerate(vals)]
        for c, vals in enumerate(value_labels)
    ]
    caption = _check_text(caption, "caption")
    alt = _check_text(alt, "alt")
    if any(not isinstance(f, bytes | bytearray) for f in frames):
        raise ValueError("frames must be a sequence of PNG bytes")
    shape = [len(v) for v in value_labels]
    if len(names) != len(shape) or len(initial) != len(shape):
        raise ValueError("names, value_labels and initial must have one entry per control")
    total = 1
    for size in shape:
        total *= size
    if total != len(frames) or total == 0:
        raise ValueError(f"frames must hold prod(grid) = {total} PNGs, got {len(frames)}")
    flat0 = 0
    for size, i in zip(shape, initial, strict=True):
        if isinstance(i, bool) or not isinstance(i, int | np.integer):
            raise ValueError(f"initial must hold integer indices, got {i!r}")
        if not 0 <= i < size:
            raise ValueError(f"initial index {i} outside 0..{size - 1}")
        flat0 = flat0 * size + int(i)
    initial = [int(i) for i in initial]
    toggles = _check_toggles(toggles, shape)
    if name is None:
        # (the toggles join the hashed structure only when there is a checkbox: the ids of players of
        # sliders only stay what they were)
        parts: list[Any] = [names, value_labels, initial, caption, alt]
        if any(t is not None for t in toggles):
            parts.append(toggles)
        structure = json.dumps(parts, ensure_ascii=True)
        name = hashlib.sha1(structure.encode("ascii")).hexdigest()[:12]
        pid = f"lazy-player-{name}"
    elif not isinstance(name, str) or not _PLAYER_NAME.fullmatch(name):
        raise ValueError(f"name must be letters, digits, '_' or '-' starting with a letter, got {name!r}")
    else:
        pid = f"lazy-player-{name}"
    encoded = [base64.b64encode(bytes(f)).decode("ascii") for f in frames]
    controls = "".join(
        _control_html(label, size, i, vals, on)
        for label, size, i, vals, on in zip(names, shape, initial, value_labels, toggles, strict=True)
    )
    alt = alt.strip()
    if alt and alt[-1] not in ".?!":
        alt += "."
    shown = ", ".join(f"{n} = {v[i]}" for n, v, i in zip(names, value_labels, initial, strict=True))
    img_alt = f"{alt} Shown: {shown}.".strip()
    script = _SCRIPT % {
        "id": _script_json(pid),
        "shape": _script_json(shape),
        "labels": _script_json(value_labels),
        "names": _script_json(names),
        "alt": _script_json(alt),
    }
    cap = f'<div class="lazy-player-caption">{html.escape(caption)}</div>' if caption else ""
    return (
        f'<div class="lazy-player" id="{pid}" data-frames="{total}">'
        f"<style>{_STYLE % ()}</style>{cap}"
        f'<div class="lazy-player-controls">{controls}</div>'
        f'<img class="lazy-player-frame" alt="{html.escape(img_alt)}" data-frame="{flat0}" '
        f'src="data:image/png;base64,{encoded[flat0]}">'
        f'<script type="application/json" class="lazy-player-data">{_script_json(encoded)}</script>'
        f"<script>{script}</script></div>"
    )


def _check_toggles(toggles: Sequence[int | None] | None, shape: Sequence[int]) -> list[int | None]:
    """``toggles`` of :func:`player_html` checked: one entry per control, ``None`` or the index (0 or 1)
    of a two-valued control's value shown while checked."""
    if toggles is None:
        return [None] * len(shape)
    if isinstance(toggles, str | bytes | Mapping) or not isinstance(toggles, Iterable):
        raise ValueError(f"toggles must be a sequence with one entry per control, got {toggles!r}")
    toggles = list(toggles)
    if len(toggles) != len(shape):
        raise ValueError(f"toggles must have one entry per control ({len(shape)}), got {len(toggles)}")
    for c, (on, size) in enumerate(zip(toggles, shape, strict=True)):
        if on is None:
            continue
        if isinstance(on, bool) or not isinstance(on, int | np.integer) or on not in (0, 1):
            raise ValueError(f"toggles[{c}] must be None or the index 0 or 1, got {on!r}")
        if size != 2:
            raise ValueError(f"toggles[{c}]: a checkbox needs a control of two values, got {size}")
    return [None if on is None else int(on) for on in toggles]


def _control_html(label: str, size: int, i: int, vals: Sequence[str], on: int | None) -> str:
    """One control of the player inside its ``<label>``, with its readout: a slider over the ``size``
    values, or (``on`` not None) a checkbox, checked while value ``on`` is shown.

    Accessible: each control is named (its ``<label>`` and ``aria-label``); a slider says its value
    (``aria-valuetext``, not the index), a checkbox its state; each readout is announced when it changes
    (``aria-live``). JupyterLab's notebook shortcuts (arrow keys select cells, Space scrolls) must not
    take the control's keys: ``data-lm-suppress-shortcuts``.
    """
    name = html.escape(label)
    if on is None:
        field = (
            f'<input type="range" class="lazy-player-slider" min="0" max="{size - 1}" step="1" '
            f'value="{i}" aria-label="{name}" aria-valuetext="{html.escape(vals[i])}" '
        )
    else:
        checked = " checked" if i == on else ""
        field = (
            f'<input type="checkbox" class="lazy-player-toggle" data-on="{on}"{checked} aria-label="{name}" '
        )
    return (
        f'<label>{name} {field}data-lm-suppress-shortcuts="true">'
        f'<span class="lazy-player-value" aria-live="polite">{html.escape(vals[i])}</span></label>'
    )


# ============================================================================ the module, callable
class _CallableModule(types.ModuleType):
    """This module, callable: ``lazylib.viz.explorer(section)`` is :func:`lazylib.viz.page_explorer`.

    That call was a function of the package, which took the package attribute ``explorer`` from this
    module: ``import lazylib.viz.explorer as ex`` then bound the function, and ``ex.Control`` failed.
    Now the attribute is the module (as documented) and the call still works.
    """

    def __call__(self, section: str) -> Explorer:
        from . import page_explorer  # the package is imported before anyone can call this

        return page_explorer(section)


sys.modules[__name__].__class__ = _CallableModule
