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

Both runs of the book (execute and nbval) set it, so nbval compares outputs made the same way. A
reader who runs a notebook in JupyterLab gets the same figures and numbers, sooner.
"""

from __future__ import annotations

import os

__all__ = ["BOOK_EXECUTE_VAR", "for_book"]

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
