"""Benchmark: `make book` with nothing changed, and a clean build of the site (issue 23, §3).

Run from the root of a checkout whose notebooks are current (their stamps match the code, so
``make execute`` has nothing to do; ``_ext/execute_notebooks.py --check`` says so)::

    .venv/bin/python benchmarks/bench_build.py            # clean html, then make book twice
    .venv/bin/python benchmarks/bench_build.py --no-pdf   # the site only (make html)
    .venv/bin/python benchmarks/bench_build.py --gc       # clean html without, then with, the collector

It times, as separate ``make`` runs with the environment ``make`` gives them:

1. ``clean html``: ``_build/html`` and ``_build/.doctrees`` removed, then ``make html`` (jupyter-book
   reads every page and writes the site from the stored outputs);
2. ``make book`` (execute, the PDF edition when XeLaTeX is installed, the site) once to bring
   everything up to date, untimed unless it is the first build of the PDFs;
3. ``make book`` again, nothing changed: what a maintainer waits for after an edit that changes
   nothing the build reads.

With ``--gc`` it times only the clean ``make html``, twice: as built (Python's cyclic garbage collector
off in the Sphinx process, ``_ext/book_gc.py``), then with ``BOOK_GC=1`` (the collector on).

The load average is printed with each time: on a shared machine the load stretches wall times.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path.cwd()


def timed(label: str, target: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    result = subprocess.run(
        ["make", "--no-print-directory", *target],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    seconds = time.perf_counter() - start
    status = "ok" if result.returncode == 0 else f"FAILED ({result.returncode})"
    print(f"{label:32s} {seconds:7.1f} s  {status}  (load average {os.getloadavg()[0]:.1f})", flush=True)
    if result.returncode:
        print(result.stdout[-3000:], result.stderr[-3000:], sep="\n", file=sys.stderr)
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-pdf", action="store_true", help="time the site only (make html), not make book")
    parser.add_argument(
        "--gc", action="store_true", help="clean make html without, then with, the garbage collector"
    )
    args = parser.parse_args()
    if not (ROOT / "Makefile").is_file() or not (ROOT / "_ext" / "execute_notebooks.py").is_file():
        print("run from the repository root", file=sys.stderr)
        return 1
    check = subprocess.run(
        [sys.executable, "_ext/execute_notebooks.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    if check.returncode:
        print(f"stale notebooks: `make book` would execute them first:\n{check.stdout}", file=sys.stderr)
        return 1

    def clean() -> None:
        for stale in (ROOT / "_build" / "html", ROOT / "_build" / ".doctrees"):
            shutil.rmtree(stale, ignore_errors=True)

    clean()
    timed("clean html (make html)", ["html"])
    if args.gc:
        clean()
        timed("clean html, BOOK_GC=1", ["html"], {"BOOK_GC": "1"})
        return 0
    target = ["html"] if args.no_pdf else ["book"]
    timed(f"make {target[0]} (bring up to date)", target)
    timed(f"make {target[0]}, nothing changed", target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
