"""Benchmark: rendering the offline players' frames, per explorer (issue 23, §3).

Run with ``PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_frames.py [section ...]`` from the repo
root (``--repeat N``: best of N, default 3). For each page's explorer, with its numerics cached
(a first pass over the grid fills the caches and is not timed), it times one pass over the
offline player's grid (``Explorer.frames`` at ``PLAYER_DPI``) rendered two ways, interleaved so that
the load of a shared machine hits both alike:

* ``fresh``: as before issue 23, a new figure per frame laid out at the style's 200 dpi
  (``Explorer.figure``) and saved at the player's dpi (``figure_png``);
* ``reuse``: as now, one figure per explorer and dpi, cleared and redrawn per frame, laid out at
  the player's dpi (``Explorer.png``): its renderer, and matplotlib's text-metric and mathtext caches
  keyed by it, survive from frame to frame.

Times are process CPU seconds (``time.process_time``, which a busy neighbour inflates far less than
wall time), best of ``N``, per frame; ``speed-up`` is fresh/reuse. Then the whole player in wall
seconds, best of ``N``: ``serial`` renders the frames one by one (``Explorer.png``), ``player`` as the
Explore cell does (``Explorer.frames``: each frame quantised and compressed in a thread while the
next is drawn; the same bytes). Their ratio is what the overlap gains on this machine now (on a
loaded machine the second core is not free, and the gain shrinks).

With ``--cells`` it also times each page's Explore cell (``viz.<page>_explorer()``, numerics cached)
in a reader's kernel (``LAZYLIB_BOOK_EXECUTE`` unset: live widget and print still) and executed for
the book (``LAZYLIB_BOOK_EXECUTE=1``: also the player's frames), best of ``N`` CPU seconds.
"""

from __future__ import annotations

import argparse
import itertools
import os
import time

import matplotlib

matplotlib.use("Agg")

from _common import blas_info

from lazylib import viz
from lazylib.viz import EXPLORERS
from lazylib.viz.execution import BOOK_EXECUTE_VAR
from lazylib.viz.explorer import PLAYER_DPI, Explorer, figure_png
from lazylib.viz.style import book_style


def _grid(ex: Explorer) -> list[dict[str, object]]:
    moving = [n for n, c in ex.controls.items() if len(c.player_values) > 1]
    combos = itertools.product(*(ex.controls[n].player_values for n in moving))
    return [dict(zip(moving, combo, strict=True)) for combo in combos]


def fresh(ex: Explorer, grid: list[dict[str, object]]) -> float:
    start = time.process_time()
    for params in grid:
        fig = ex.figure(**params)
        with book_style():
            figure_png(fig, dpi=PLAYER_DPI, colors=128)
    return time.process_time() - start


def reuse(ex: Explorer, grid: list[dict[str, object]]) -> float:
    start = time.process_time()
    for params in grid:
        ex.png(PLAYER_DPI, 128, **params)
    return time.process_time() - start


def serial_wall(ex: Explorer, grid: list[dict[str, object]]) -> float:
    start = time.perf_counter()
    for params in grid:
        ex.png(PLAYER_DPI, 128, **params)
    return time.perf_counter() - start


def player_wall(ex: Explorer) -> float:
    start = time.perf_counter()
    ex.frames()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sections", nargs="*", default=list(EXPLORERS))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cells", action="store_true", help="also time the Explore cells, live vs book")
    args = parser.parse_args()
    print(blas_info())
    print(
        f"{'explorer':15s} {'frames':>6s} {'fresh s/frame':>13s} {'reuse s/frame':>13s} {'speed-up':>8s}"
        f" {'serial wall s':>13s} {'player wall s':>13s}"
    )
    sums = [0.0, 0.0, 0.0, 0.0]
    for section in args.sections:
        ex = EXPLORERS[section]()
        grid = _grid(ex)
        ex.frames()  # numerics cached, first frames rendered
        best = [float("inf")] * 4
        for _ in range(args.repeat):
            best[0] = min(best[0], fresh(ex, grid))
            best[1] = min(best[1], reuse(ex, grid))
            best[2] = min(best[2], serial_wall(ex, grid))
            best[3] = min(best[3], player_wall(ex))
        sums = [a + b for a, b in zip(sums, best, strict=True)]
        n = len(grid)
        print(
            f"{section:15s} {n:6d} {best[0] / n:13.3f} {best[1] / n:13.3f} {best[0] / best[1]:8.2f}"
            f" {best[2]:13.2f} {best[3]:13.2f}"
        )
    print(
        f"{'all players s':15s} {'':6s} {sums[0]:13.2f} {sums[1]:13.2f} {sums[0] / sums[1]:8.2f}"
        f" {sums[2]:13.2f} {sums[3]:13.2f}"
    )
    if args.cells:
        cells(args.sections, args.repeat)


def cells(sections: list[str], repeat: int) -> None:
    print(f"\n{'Explore cell':15s} {'live s':>8s} {'book s':>8s}")
    for section in sections:
        entry = getattr(viz, f"{section}_explorer")
        entry()  # numerics cached (lru_cache per page)
        best = {"live": float("inf"), "book": float("inf")}
        for _ in range(repeat):
            for mode in best:
                if mode == "book":
                    os.environ[BOOK_EXECUTE_VAR] = "1"
                else:
                    os.environ.pop(BOOK_EXECUTE_VAR, None)
                start = time.process_time()
                entry()
                best[mode] = min(best[mode], time.process_time() - start)
        os.environ.pop(BOOK_EXECUTE_VAR, None)
        print(f"{section:15s} {best['live']:8.2f} {best['book']:8.2f}")


if __name__ == "__main__":
    main()
