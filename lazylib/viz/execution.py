"""Where the notebooks run: executed for the book (and tested), or in a reader's live kernel.

The book's execute step (``_ext/execute_notebooks.py``) and its notebook test (``make nbval``) set the
environment variable :data:`BOOK_EXECUTE_VAR` (``LAZYLIB_BOOK_EXECUTE=1``) for their kernels. Only
then do the notebooks do the work that only the book needs:

* every figure cell checks that its figure is legible (:mod:`lazylib.viz.legibility`, through
  :func:`lazylib.viz.style.finish_figure`): 1-2 s per figure, and a check of the book, not of the
  reader's run;
* each Explore cell renders the offline player's frames (:meth:`lazylib.viz.explorer.Explorer.view`):
  the stored notebook and the site show the player; a live kernel shows the live explorer, which
  needs only its own frame and the print still.

* every figure a notebook shows is stored as a palette PNG of at most :data:`FIGURE_COLORS` colours
  (:func:`store_palette_figures`, which :func:`lazylib.viz.style.use_book_style` calls): a line plot
  has few colours, and its palette PNG is a third of the RGBA one at the same pixels (page weight,
  issue 25); a reader's kernel skips the quantisation (0.1-0.3 s per figure).

Both runs of the book (execute and nbval) set it, so nbval compares outputs made the same way. A
reader who runs a notebook in JupyterLab gets the same figures and numbers, sooner.
"""

from __future__ import annotations

import base64
import io
import os
from collections.abc import Callable
from typing import Any

from PIL import Image

__all__ = ["BOOK_EXECUTE_VAR", "FIGURE_COLORS", "for_book", "palette_png", "store_palette_figures"]

#: Name of the environment variable that says "executing for the book" (``"1"`` yes; unset, ``""``
#: or ``"0"`` no).
BOOK_EXECUTE_VAR = "LAZYLIB_BOOK_EXECUTE"


def for_book() -> bool:
    """Whether this kernel executes the notebooks for the book (or tests them): ``LAZYLIB_BOOK_EXECUTE=1``.

    Read at each call, so a test can set it for one call.

    Raises
    ------
    ValueError
        If the variable holds anything but ``"0"``, ``"1"`` or nothing (a typo must not silently
        skip the legibility checks or the player).
    """
    value = os.environ.get(BOOK_EXECUTE_VAR, "").strip()
    if value not in ("", "0", "1"):
        raise ValueError(f"environment variable {BOOK_EXECUTE_VAR} must be '1', '0' or unset, got {value!r}")
    return value == "1"


#: Colours of the palette the book's stored figures are quantised to (the most a palette PNG holds):
#: measured on the book's 32 figures, the mean error is below 0.25/255 per pixel (antialiased edges
#: move by at most a few levels) and the files are 2.7x smaller (4.8 MB to 1.8 MB).
FIGURE_COLORS = 256


def palette_png(image: Image.Image, colors: int) -> bytes:
    """``image`` as a PNG quantised to an adaptive palette of ``colors`` colours (median cut, no
    dithering: flat areas stay flat), compressed at zlib's default level (its highest level, PNG's
    ``optimize``, took 8x longer for files 10% smaller). Deterministic. The image's resolution
    (``image.info["dpi"]``, a PNG's pHYs chunk) is kept: the site's checks read a figure's text size
    from it.

    Raises
    ------
    ValueError
        Unless ``image`` is a PIL image and ``colors`` an integer in 1..256.
    """
    if not isinstance(image, Image.Image):
        raise ValueError(f"image must be a PIL image, got {type(image).__name__}")
    if isinstance(colors, bool) or not isinstance(colors, int) or not 1 <= colors <= 256:
        raise ValueError(f"colors must be an integer in 1..256 (a palette PNG), got {colors!r}")
    rgb = image.convert("RGB")
    pal = rgb.quantize(colors=colors, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    dpi = image.info.get("dpi")
    pal.save(out, format="PNG", compress_level=6, **({"dpi": dpi} if dpi else {}))
    return out.getvalue()


def _palette_formatter(inner: Callable[..., Any], colors: int) -> Callable[..., Any]:
    """Wrap an IPython ``image/png`` formatter of figures: its PNG (base64 text or bytes) quantised."""

    def png(fig: Any, *args: Any, **kwargs: Any) -> Any:
        data = inner(fig, *args, **kwargs)
        if not isinstance(data, str | bytes):
            return data  # no figure (an empty one) or a (data, metadata) pair: left as is
        raw = base64.b64decode(data) if isinstance(data, str) else data
        with Image.open(io.BytesIO(raw)) as image:
            small = palette_png(image, colors)
        if len(small) >= len(raw):
            return data
        return base64.b64encode(small).decode("ascii") if isinstance(data, str) else small

    png.lazylib_palette = colors  # type: ignore[attr-defined]
    return png


def store_palette_figures(shell: Any = None, colors: int = FIGURE_COLORS) -> bool:
    """When executing for the book, make IPython show matplotlib figures as palette PNGs.

    Wraps the ``image/png`` formatter of :class:`matplotlib.figure.Figure` that matplotlib's inline
    backend registered in ``shell`` (default: the running IPython, if any): the figure is rendered
    as before (its dpi, tight bounding box), then quantised by :func:`palette_png` (kept as is when
    that is not smaller). In a kernel it loads the inline backend first (pyplot would load it at the
    first figure, registering its formatter over the wrapper); calling it again does not wrap twice.

    Returns
    -------
    bool
        Whether the figures are now stored as palette PNGs: False in a reader's kernel
        (:func:`for_book` false), outside IPython, or without an inline figure formatter.
    """
    if not for_book():
        return False
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        shell = get_ipython()
        if shell is None:
            return False
    import matplotlib
    from matplotlib.figure import Figure

    # pyplot loads its backend lazily, at the first figure; the inline backend registers its figure
    # formatter when loaded (once per kernel), and would then replace the wrapper: load it now
    if matplotlib.get_backend() in ("inline", "module://matplotlib_inline.backend_inline"):
        import matplotlib_inline.backend_inline  # noqa: F401
    formatter = shell.display_formatter.formatters["image/png"]
    try:
        inner = formatter.lookup_by_type(Figure)
    except KeyError:
        return False
    if getattr(inner, "lazylib_palette", None) == colors:
        return True
    inner = getattr(inner, "lazylib_inner", inner)
    wrapped = _palette_formatter(inner, colors)
    wrapped.lazylib_inner = inner  # type: ignore[attr-defined]
    formatter.for_type(Figure, wrapped)
    return True
