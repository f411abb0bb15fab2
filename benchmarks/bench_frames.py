"""Benchmark: rendering the offline players' frames, per explorer (issue 23, §3).

Run with ``PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_frames.py [section ...]`` from the repo
root (``--repeat N``: best of N, default 2). For each page's explorer it prints

* ``frames``: the number of frames of its offline player;
* ``compute s``: the first pass over the player's grid (numerics, cached per setting, plus the
  rendering), as a fresh kernel pays it;
* ``render s``: best of ``N`` passes over the same grid with the numerics cached: drawing and PNG
  encoding only (``Explorer.frames`` at the player's dpi), and that per frame;
* ``still s``: the print still (the default setting at ``PRINT_DPI``), cached numerics.

The numerics are not timed apart from the rendering; the machine is shared, so compare runs made
back to back.
"""

from __future__ import annotations

import argparse
import time

import matplotlib

matplotlib.use("Agg")

from _common import blas_info

from lazylib.viz import EXPLORERS
from lazylib.viz.explorer import PRINT_DPI


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sections", nargs="*", default=list(EXPLORERS))
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    print(blas_info())
    print(
        f"{'explorer':15s} {'frames':>6s} {'compute s':>9s} {'render s':>9s} {'s/frame':>8s} {'still s':>8s}"
    )
    totals = [0.0, 0.0]
    for section in args.sections:
        ex = EXPLORERS[section]()
        t0 = time.perf_counter()
        frames = ex.frames()[0]
        compute = time.perf_counter() - t0
        render = float("inf")
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            ex.frames()
            render = min(render, time.perf_counter() - t0)
        t0 = time.perf_counter()
        ex.png(PRINT_DPI, 128)
        still = time.perf_counter() - t0
        totals[0] += compute
        totals[1] += render
        per_frame = render / len(frames)
        print(f"{section:15s} {len(frames):6d} {compute:9.2f} {render:9.2f} {per_frame:8.3f} {still:8.2f}")
    print(f"{'total':15s} {'':6s} {totals[0]:9.2f} {totals[1]:9.2f}")


if __name__ == "__main__":
    main()
