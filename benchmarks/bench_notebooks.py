"""Benchmark: each notebook headless, in book mode and in reader mode, kernel start included (issue 23, §3).

Run from the repository root (one BLAS thread, as ``make`` does)::

    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_notebooks.py              # every notebook, both modes
    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_notebooks.py 03 08 --mode book --cells 5

Each run executes a copy of the notebook (nothing is written back) in a fresh kernel with nbclient, as
``make execute`` does (``_ext/execute_notebooks.py``'s client, its environment), in one of two modes:

* ``book``: ``LAZYLIB_BOOK_EXECUTE=1`` (``make execute``, ``make nbval``): figures' legibility checks
  and the offline players' frames;
* ``reader``: the variable unset, as a student's kernel in JupyterLab: neither.

It prints the wall time (kernel start to last cell, best of ``--repeat``), against the goal of 10 s,
and the kernel's CPU time (user + system of the kernel process, its start and imports included): on a
shared machine the load stretches wall times, far less CPU times, so compare CPU times across runs and
wall times on an idle machine. ``--cells N`` also lists each notebook's N slowest cells by kernel CPU
time (recorded by IPython's ``pre_run_cell``/``post_run_cell`` events in two cells added to the copy),
which is where a slow notebook's time goes. The load average is printed with the results.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))
import execute_notebooks  # noqa: E402  (the kernels' environment: one BLAS thread, the venv's kernelspec)
import nbformat  # noqa: E402

GOAL = 10.0
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


#: Prepended to the copy: records the kernel's CPU seconds per cell.
PROBE = """
import time as _bench_time
_bench_cells, _bench_start = [], [0.0]
get_ipython().events.register(
    "pre_run_cell", lambda *_: _bench_start.__setitem__(0, _bench_time.process_time())
)
get_ipython().events.register(
    "post_run_cell", lambda *_: _bench_cells.append(_bench_time.process_time() - _bench_start[0])
)
"""
#: Appended to the copy: prints the kernel's total CPU seconds and the per-cell list.
REPORT = """
import json as _bench_json, resource as _bench_resource
_bench_usage = _bench_resource.getrusage(_bench_resource.RUSAGE_SELF)
print(_bench_json.dumps([_bench_usage.ru_utime + _bench_usage.ru_stime, _bench_cells]))
"""


def run(path: Path, mode: str, timeout: int = 300) -> tuple[float, float, list[tuple[float, int, str]]]:
    """Execute a copy of ``path`` in ``mode``; return (wall s, kernel CPU s, [(CPU s, index, first line)])."""
    nb = nbformat.read(path, as_version=4)
    work = copy.deepcopy(nb)
    code = [i for i, c in enumerate(work.cells) if c.cell_type == "code"]
    work.cells = [nbformat.v4.new_code_cell(PROBE), *work.cells, nbformat.v4.new_code_cell(REPORT)]
    client = execute_notebooks._client_class()(
        work,
        timeout=timeout,
        kernel_name=work.metadata.get("kernelspec", {}).get("name", "python3"),
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    client.execute(env=execute_notebooks.kernel_env(book=mode == "book"))
    wall = time.perf_counter() - start
    total, per_cell = json.loads(work.cells[-1].outputs[-1]["text"])
    # per_cell[0] is the probe's own post_run_cell; then one entry per code cell of the notebook
    cells = [
        (seconds, i, (nb.cells[i].source.strip().splitlines() or [""])[0][:60])
        for seconds, i in zip(per_cell[1:], code, strict=False)
    ]
    return wall, total, sorted(cells, reverse=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("only", nargs="*", help="notebook name prefixes (default: all)")
    parser.add_argument("--mode", choices=["book", "reader", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs (default 1)")
    parser.add_argument("--cells", type=int, default=0, help="list each notebook's N slowest cells")
    args = parser.parse_args()
    execute_notebooks.use_kernel_defaults()
    paths = [p for p in NOTEBOOKS if not args.only or any(p.name.startswith(o) for o in args.only)]
    modes = ["book", "reader"] if args.mode == "both" else [args.mode]
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; goal {GOAL:g} s per notebook")
    head = " ".join(f"{m + ' wall':>12s} {m + ' CPU':>11s}" for m in modes)
    print(f"{'notebook':28s} {head}   (seconds, best of {args.repeat})")
    over = 0
    for path in paths:
        row = []
        for mode in modes:
            best, slow = (float("inf"), float("inf")), []
            for _ in range(args.repeat):
                wall, cpu, cells = run(path, mode)
                if cpu < best[1]:
                    best, slow = (wall, cpu), cells
            row.append(f"{best[0]:12.1f} {best[1]:11.1f}")
            over += best[0] > GOAL
            for seconds, index, line in slow[: args.cells]:
                print(f"    {mode:6s} cell {index:3d} {seconds:6.2f} s CPU  {line}")
        print(f"{path.stem:28s} " + " ".join(row), flush=True)
    print(f"{over} run(s) over {GOAL:g} s wall; load average now {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
