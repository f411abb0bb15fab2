"""Do the stored notebook outputs hold under every OpenBLAS kernel this CPU can run?

Two modes, each over every runnable kernel (``benchmarks/blas_kernels.py``) or the ones named:

* nbval (default): ``make nbval`` once per kernel, with ``OPENBLAS_CORETYPE`` preset to it (make then
  runs exactly that kernel), and a table of failed cells per notebook per kernel;
* ``--reexecute``: every notebook executed (``_ext/execute_notebooks.py``'s ``execute``, as
  ``make execute`` does) into a scratch copy, never over the repository's notebooks, and its text
  outputs compared with the stored ones: would ``git diff`` of the outputs be empty, images aside?
  Compared are each code cell's execution count and its outputs without ``image/*`` (streams, text,
  HTML, glued values); a table of differing cells per notebook per kernel, with the MIME types that
  differ, then the first differing line of each. Consecutive stream outputs are joined first (as nbval
  does); cells whose prints are split into a different number of stream outputs are counted apart
  ("split differently": the text is the same, the file is not).

Each kernel takes a few minutes; run it in the background, from the repository root::

    nice .venv/bin/python -m benchmarks.blas_sweep                     # nbval under every kernel
    nice .venv/bin/python -m benchmarks.blas_sweep --reexecute          # re-execution diff, every kernel
    nice .venv/bin/python -m benchmarks.blas_sweep --kernel Sandybridge --kernel Haswell notebooks/05_*.ipynb

The tables are printed and written to ``benchmarks/results/blas_sweep[_reexecute].md``.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

from benchmarks.blas_kernels import effective_kernel, runnable_kernels

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"


def nbval_failures(kernel: str, notebooks: Sequence[Path]) -> tuple[dict[str, tuple[int, int]], float]:
    """Run ``make nbval`` under ``kernel``: {notebook: (failed cells, cells)} and the seconds taken."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "nbval.xml"
        env = dict(os.environ, OPENBLAS_CORETYPE=kernel)
        command = ["make", "--no-print-directory", "nbval", f"NBVAL_ARGS=-q --junitxml={report}"]
        command += [f"NOTEBOOKS={' '.join(str(p.relative_to(ROOT)) for p in notebooks)}"]
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, env=env, check=False)  # failures are the result
        seconds = time.perf_counter() - start
        counts: dict[str, tuple[int, int]] = {p.name: (0, 0) for p in notebooks}
        if not report.exists():
            return {name: (-1, 0) for name in counts}, seconds
        for case in ET.parse(report).getroot().iter("testcase"):
            name = next((p.name for p in notebooks if p.name in case.get("classname", "")), None)
            if name is None:
                continue
            failed = any(child.tag in {"failure", "error"} for child in case)
            bad, total = counts[name]
            counts[name] = (bad + failed, total + 1)
        return counts, seconds


def text_outputs(nb: dict) -> list[tuple[int | None, list[dict]]]:
    """Each code cell's execution count and outputs, without images and per-output metadata.

    Consecutive outputs of one stream are joined, as nbval does: how a cell's prints are split into
    stream outputs depends on when the kernel flushed them (timing, not the computation).
    """
    cells = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        outputs: list[dict] = []
        for output in cell.get("outputs", []):
            kept = {k: v for k, v in output.items() if k not in {"metadata", "data"}}
            if "data" in output:
                kept["data"] = {m: v for m, v in output["data"].items() if not m.startswith("image/")}
            if "text" in kept:
                kept["text"] = "".join(kept["text"]) if isinstance(kept["text"], list) else kept["text"]
            last = outputs[-1] if outputs else {}
            if kept.get("output_type") == "stream" and last.get("output_type") == "stream":
                if last.get("name") == kept.get("name"):
                    last["text"] += kept["text"]
                    continue
            outputs.append(kept)
        cells.append((cell.get("execution_count"), outputs))
    return cells


def stream_splits(nb: dict) -> list[int]:
    """How many stream outputs each code cell stores (``git diff`` shows a change of these too)."""
    return [
        sum(o.get("output_type") == "stream" for o in cell.get("outputs", []))
        for cell in nb["cells"]
        if cell["cell_type"] == "code"
    ]


def flatten(value: object) -> list[str]:
    """A MIME bundle value as lines (notebooks store text as a string or a list of lines)."""
    if isinstance(value, list):
        return "".join(map(str, value)).splitlines()
    if isinstance(value, str):
        return value.splitlines()
    return json.dumps(value, sort_keys=True, indent=1).splitlines()


def output_diff(stored: dict, fresh: dict) -> tuple[int, set[str], list[str]]:
    """Cells whose text outputs differ, the MIME types (or ``stream``, ``count``...) that do, examples."""
    a, b = text_outputs(stored), text_outputs(fresh)
    if len(a) != len(b):
        return max(len(a), len(b)), {"cells"}, [f"{len(a)} code cells stored, {len(b)} executed"]
    cells, kinds, examples = 0, set(), []
    for index, ((count_a, out_a), (count_b, out_b)) in enumerate(zip(a, b, strict=True)):
        if (count_a, out_a) == (count_b, out_b):
            continue
        cells += 1
        if count_a != count_b:
            kinds.add("execution_count")
        if len(out_a) != len(out_b):
            kinds.add("outputs")
            examples.append(f"cell {index}: {len(out_a)} outputs stored, {len(out_b)} executed")
            continue
        for x, y in zip(out_a, out_b, strict=True):
            fields = {("stream", "text")} if x.get("output_type") == "stream" else set()
            fields |= {("data", m) for m in set(x.get("data", {})) | set(y.get("data", {}))}
            for where, key in sorted(fields):
                u, v = x.get(where, {}) if where == "data" else x, y.get(where, {}) if where == "data" else y
                if u.get(key) == v.get(key):
                    continue
                kind = "stream" if where == "stream" else key
                kinds.add(kind)
                changed = [
                    line
                    for line in difflib.unified_diff(
                        flatten(u.get(key)), flatten(v.get(key)), lineterm="", n=0
                    )
                    if line[:1] in "+-" and line[:3] not in {"+++", "---"}
                ]
                shown = " | ".join(line[:140] for line in changed[:2])
                examples.append(f"cell {index} {kind}: {shown}")
    return cells, kinds, examples


def reexecute(kernel: str, notebooks: Sequence[Path], timeout: int) -> dict[str, tuple[str, list[str]]]:
    """Execute copies of ``notebooks`` under ``kernel`` and compare: {notebook: (summary, examples)}."""
    import nbformat

    from _ext import execute_notebooks

    os.environ["OPENBLAS_CORETYPE"] = kernel  # inherited by each kernel started below
    out: dict[str, tuple[str, list[str]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for path in notebooks:
            copy = Path(tmp) / path.name
            shutil.copyfile(path, copy)
            try:
                execute_notebooks.execute(copy, timeout)
            except Exception as exc:  # a cell that raises is a result, too
                out[path.name] = (
                    "error",
                    [f"{type(exc).__name__}: {str(exc).strip().splitlines()[-1][:200]}"],
                )
                continue
            stored, fresh = nbformat.read(path, as_version=4), nbformat.read(copy, as_version=4)
            cells, kinds, examples = output_diff(stored, fresh)
            summary = "same" if not cells else f"{cells} ({', '.join(sorted(kinds))})"
            split = sum(a != b for a, b in zip(stream_splits(stored), stream_splits(fresh), strict=False))
            if split:  # the same text, split differently into stream outputs
                summary += f"; {split} split differently"
            out[path.name] = (summary, examples)
    return out


def table(header: str, columns: dict[str, dict[str, str]], rows: Sequence[str]) -> str:
    """A Markdown table: one row per notebook, one column per kernel."""
    names = list(columns)
    lines = [f"| {header} | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    lines += [f"| {row} | " + " | ".join(columns[k].get(row, "") for k in names) + " |" for row in rows]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", help="notebooks (default: notebooks/*.ipynb)")
    parser.add_argument(
        "--kernel",
        action="append",
        help="an OPENBLAS_CORETYPE value, repeatable (default: every runnable one)",
    )
    parser.add_argument("--reexecute", action="store_true", help="compare re-executed copies' text outputs")
    parser.add_argument("--timeout", type=int, default=300, help="seconds per cell when re-executing")
    args = parser.parse_args(argv)
    if "OPENBLAS_CORETYPE" in os.environ:
        parser.error(f"OPENBLAS_CORETYPE={os.environ['OPENBLAS_CORETYPE']} is set: unset it to sweep")
    os.environ.setdefault("LAZYLIB_BOOK_EXECUTE", "1")  # as make execute / make nbval
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    notebooks = [Path(p).resolve() for p in args.notebooks] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    default = effective_kernel(None)
    kernels = {k: effective_kernel(k) for k in args.kernel} if args.kernel else runnable_kernels()
    print(f"default kernel: {default}; kernels: {kernels}", flush=True)
    columns: dict[str, dict[str, str]] = {}
    details: list[str] = []
    for name, real in kernels.items():
        label = (name if real == name else f"{name}→{real}") + (" (default)" if real == default else "")
        start = time.perf_counter()
        if args.reexecute:
            results = reexecute(name, notebooks, args.timeout)
            columns[label] = {nb: summary for nb, (summary, _) in results.items()}
            details += [f"- {label}, {nb}: {e}" for nb, (_, ex) in results.items() for e in ex[:4]]
        else:
            counts, _ = nbval_failures(name, notebooks)
            columns[label] = {
                nb: ("not run" if bad < 0 else "pass" if bad == 0 else f"FAIL {bad}/{n}")
                for nb, (bad, n) in counts.items()
            }
        seconds = time.perf_counter() - start
        print(f"{label}: {seconds:.0f} s", flush=True)
    header = "text outputs differing (cells)" if args.reexecute else "nbval: failed cells"
    text = table(header, columns, [p.name for p in notebooks])
    if details:
        text += "\n\nFirst differences (stored → re-executed):\n" + "\n".join(details)
    print(text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"blas_sweep{'_reexecute' if args.reexecute else ''}.md").write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
