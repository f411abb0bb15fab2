"""Soak test of headless execution: run every explorer cell and every notebook many times, each
under a timeout, and report stalls and wall times.

Why: headless clients (nbclient, hence nbconvert, nbval and jupyter-book) once stalled on the live
explorer cells until their cell timeout (forever without one). The cause, found with this script:
the explorers drew into an ``ipywidgets.Output`` widget; for every output the kernel routes into an
Output widget, nbclient sends a ``comm_msg`` back on the *shell* socket while it awaits the cell's
``execute_reply``; jupyter_client sends it through a raw shadow of the asyncio socket
(``Session.send`` → ``zmq.Socket.shadow``), which can consume the socket's edge-triggered ZMQ_FD
wake-up for a reply that is arriving; pyzmq's poller then sleeps until its timeout, when it re-polls
and finds the reply. CPU load widens the window (5 of 10 runs stalled with both cores loaded).
The explorers now redraw an ``ipywidgets.Image`` (no Output widget, nothing sent mid-cell).

Usage (from the repository root; one BLAS thread as in ``make``)::

    .venv/bin/python -m benchmarks.soak_execute            # 50 x each explorer cell, 10 x each notebook
    .venv/bin/python -m benchmarks.soak_execute --load 2   # the same with both cores kept busy
    .venv/bin/python -m benchmarks.soak_execute --cells 20 --notebooks 0 --legacy-output-widget
        # reproduce the old stall: the explorer drawn into an Output widget, as before the fix
    .venv/bin/python -m benchmarks.soak_execute --cells 20 --notebooks 0 --legacy-output-widget --nudge
        # ... and the same with jupyter_client's raw send followed by a wake-up check: no stall

A stalled client sleeps until the cell timeout and then finds the reply, so a stall adds the whole
``--timeout`` to a run without raising. A run therefore counts as a stall when it exceeds the median
of its group by more than half the timeout (``--stall`` sets an absolute threshold instead); load
alone stretches runs by a factor, not by a fixed timeout. Every run has the hard per-cell timeout, so
the soak itself cannot hang.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

# The kernels' environment (one BLAS thread, the venv's kernelspec, a quiet debugger, executing for the
# book) is _ext/execute_notebooks.py's, so the soak runs notebooks as `make execute` does.
from _ext import execute_notebooks

ROOT = Path(__file__).resolve().parent.parent

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

#: The explorer drawn as before the fix: ``interactive_output`` into an Output widget.
LEGACY = """
import ipywidgets as w
from IPython.display import Image, display
from lazylib.viz import explorer
ex = explorer({section!r})
ctrls = {{name: c.widget() for name, c in ex.controls.items()}}
def update(**params):
    display(Image(ex.png(**params)))
out = w.interactive_output(update, ctrls)
w.VBox([w.HBox(list(ctrls.values())), out])
"""


def explorer_cells() -> dict[str, str]:
    """notebook name → its live explorer cell (tagged ``remove-cell``, calls ``…_explorer()``), made
    self-contained: the notebooks import the entry point in their first cell, so it is imported here."""
    cells = {}
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if (
                cell.cell_type == "code"
                and "remove-cell" in cell.metadata.get("tags", [])
                and "_explorer(" in cell.source
            ):
                entry = re.findall(r"(\w+_explorer)\(", cell.source)[-1]
                cells[path.stem] = f"from lazylib.viz import {entry}\n{cell.source}"
    return cells


def nudge_jupyter_client() -> None:
    """After each raw send, re-check the asyncio socket's events (the wake-up the raw send may eat)."""
    import zmq.asyncio
    from jupyter_client.session import Session

    original = Session.send

    def send(self, stream, *args, **kwargs):  # type: ignore[no-untyped-def]
        result = original(self, stream, *args, **kwargs)
        if isinstance(stream, zmq.asyncio.Socket) and stream._recv_futures:
            stream._schedule_remaining_events()
        return result

    Session.send = send  # type: ignore[method-assign]


def run(nb: nbformat.NotebookNode, timeout: int, cwd: Path) -> tuple[float, str]:
    """Execute ``nb`` in a fresh kernel; return (seconds, error name or '')."""
    start = time.perf_counter()
    error = ""
    try:
        NotebookClient(
            nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}
        ).execute(env=execute_notebooks.kernel_env())
    except Exception as exc:  # a timeout or a failing cell is reported, not raised
        error = type(exc).__name__
    return time.perf_counter() - start, error


def soak(label: str, make_nb, runs: int, timeout: int, stall: float, cwd: Path) -> int:  # type: ignore[no-untyped-def]
    times: list[float] = []
    errors = []
    for _ in range(runs):
        seconds, error = run(make_nb(), timeout, cwd)
        times.append(seconds)
        if error:
            errors.append(error)
    threshold = stall if stall > 0 else (statistics.median(times) + timeout / 2 if times else 0.0)
    stalls = sum(t > threshold for t in times)
    if times:
        print(
            f"{label:<34} runs {runs:>3}  stalls {stalls:>2}  errors {len(errors):>2}  "
            f"median {statistics.median(times):5.1f} s  max {max(times):5.1f} s",
            flush=True,
        )
    return stalls + len(errors)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cells", type=int, default=50, help="runs of each explorer cell (default 50)")
    parser.add_argument("--notebooks", type=int, default=10, help="runs of each notebook (default 10)")
    parser.add_argument("--timeout", type=int, default=60, help="hard timeout per cell, seconds")
    parser.add_argument("--stall", type=float, default=0.0, help="stall threshold in s")
    parser.add_argument("--load", type=int, default=0, help="busy-loop processes to run alongside")
    parser.add_argument("--only", default="", help="only notebooks whose name contains this")
    parser.add_argument("--legacy-output-widget", action="store_true", help="explorer in an Output widget")
    parser.add_argument("--nudge", action="store_true", help="patch jupyter_client's raw send (diagnosis)")
    args = parser.parse_args()
    execute_notebooks.use_kernel_defaults()
    if args.nudge:
        nudge_jupyter_client()
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(args.load)]
    failures = 0
    try:
        rule = f"> {args.stall} s" if args.stall > 0 else "> median + timeout/2"
        print(f"load: {args.load} busy processes; stall {rule}; timeout {args.timeout} s/cell")
        for name, source in explorer_cells().items():
            if args.only not in name:
                continue
            if args.legacy_output_widget:
                section = re.findall(r"(\w+)_explorer\(", source)[-1]
                source = LEGACY.format(section=section)

            def make_cell(source: str = source) -> nbformat.NotebookNode:
                nb = nbformat.v4.new_notebook()
                nb.cells = [nbformat.v4.new_code_cell(source)]
                return nb

            cwd = ROOT / "notebooks"
            failures += soak(f"cell {name}", make_cell, args.cells, args.timeout, args.stall, cwd)
        for path in NOTEBOOKS:
            if args.only not in path.stem:
                continue
            failures += soak(
                f"notebook {path.stem}",
                lambda path=path: nbformat.read(path, as_version=4),
                args.notebooks,
                args.timeout,
                args.stall,
                path.parent,
            )
    finally:
        for hog in hogs:
            hog.kill()
    print("soak: no stall" if not failures else f"soak: {failures} stalled or failed runs")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
