"""Execute the book's notebooks in place when their outputs are stale; stamp what produced them.

The site and the PDF are built from the outputs stored in ``notebooks/*.ipynb`` (``_config.yml``:
``execute_notebooks: "off"``), the same outputs that ``nbval`` re-computes and compares in
``make test``. A notebook's outputs depend on its code cells *and* on ``lazylib``, so each executed
notebook carries a stamp in its metadata (``metadata.lazy_training.stamp``): a SHA-256 over

* the notebook's code cells (sources, in order) and its kernel name,
* every file of the ``lazylib`` package (its numerics, figures and explorers),
* ``requirements.txt``, ``requirements.lock`` and ``pyproject.toml`` (the environment the outputs were
  computed in: the exact versions are the lock's).

A notebook is *stale* when its stamp differs from the stamp of the current sources. ``python -m
_ext.execute_notebooks`` (``make execute``, run by ``make book``) re-executes the stale ones (``--all``:
every one), each in a fresh kernel, two at a time (``--jobs``; a kernel computes on one core), and
writes outputs and stamp back; ``--check`` lists them and exits 1. The hygiene test
(``tests/test_notebooks_hygiene.py``) and the build-status page (``_ext/book_versions.py``) check the
stamps too, so a ``lazylib`` edit cannot leave a page showing numbers of older code.

Numbers in the prose: a Markdown cell writes ``{eval}`expr``` (the MyST inline expression that
jupyterlab-myst and myst-nb share). The executor evaluates each cell's expressions in the kernel right
after the code cells above it have run (a silent ``execute_request`` with ``user_expressions``, as
jupyterlab-myst does when a reader runs the cell) and stores the results in the cell's metadata
(``user_expressions``, jupyterlab-myst's format). JupyterLab shows them without a kernel;
``_ext/book_eval.py`` shows the same stored results on the site and in the PDF. An expression that
fails, or one written twice in a notebook with two different results, fails the run. The expressions
are part of the stamp.

Live widgets are not stored (``lazylib.viz.explorer.drop_live_widgets``): an Explore cell keeps its
offline player, its print still and its text, what a reader sees until the notebook runs.

The intro's figure (``book/intro.md``: what lazy training is) is page 08's figure
``fig-lazy-active-neurons`` as that notebook stores it: after executing, the executor writes the stored
PNG to ``book/figures/`` (:data:`INTRO_FIGURES`; git-ignored, rewritten only when it differs), so the
site and the PDF show the output of the current code without computing anything, and a build that
executes nothing stays fast. ``--check`` reports a copy that differs.

Nothing here can hang: every cell runs under ``--timeout`` seconds (default 120; a notebook takes
≤ 10 s), and a cell that raises, times out or writes to stderr fails the run without touching the file.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
#: Files outside ``lazylib/`` whose change can change a notebook's outputs.
ENVIRONMENT_FILES = ("requirements.txt", "requirements.lock", "pyproject.toml")
#: Figures of a notebook that another page shows: (notebook, figure name, file written for the page).
INTRO_FIGURES = (
    ("08_lazy_vs_active.ipynb", "fig-lazy-active-neurons", ROOT / "book/figures/lazy-active-neurons.png"),
)
#: Metadata key of the stamp (``nb.metadata[KEY] = {"stamp": ..., "seconds": ...}``).
KEY = "lazy_training"

#: What the kernels' environment has where this process's does not say: one BLAS thread (the printed
#: digits nbval compares must not depend on the core count; the Makefile exports the same), the venv's
#: kernelspec first (also read here, where the kernel is looked up: :func:`use_kernel_defaults`), and
#: no frozen-modules warning from the debugger on stderr.
KERNEL_DEFAULTS = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "JUPYTER_PREFER_ENV_PATH": "1",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}


def kernel_env(book: bool = True) -> dict[str, str]:
    """The environment of a kernel that executes a notebook: this process's, :data:`KERNEL_DEFAULTS`
    where it has none, and ``LAZYLIB_BOOK_EXECUTE=1`` (``book``: executing for the book, lazylib.viz
    then runs the figures' legibility checks and renders the offline players' frames; set, not
    defaulted: a preset "0" would store no players) or, ``book=False``, unset (a reader's kernel).

    Passed to each kernel, never set in this process: importing this module changes nothing (the unit
    tests import it, and a process-wide ``LAZYLIB_BOOK_EXECUTE=1`` made every later test run as the
    book's execution does)."""
    env = {**KERNEL_DEFAULTS, **os.environ}
    env.pop("LAZYLIB_BOOK_EXECUTE", None)
    if book:
        env["LAZYLIB_BOOK_EXECUTE"] = "1"
    return env


def use_kernel_defaults() -> None:
    """Set :data:`KERNEL_DEFAULTS` in this process where unset: for the command line and the
    benchmarks, which look kernels up here (``JUPYTER_PREFER_ENV_PATH``); not done on import."""
    for name, value in KERNEL_DEFAULTS.items():
        os.environ.setdefault(name, value)


def library_files(root: Path = ROOT) -> list[Path]:
    """Every file of the ``lazylib`` package (sorted), bytecode caches excluded."""
    return sorted(
        p
        for p in (root / "lazylib").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in {".pyc", ".pyo"}
    )


def library_digest(root: Path = ROOT) -> str:
    """SHA-256 over the library and environment files (path and content of each)."""
    h = hashlib.sha256()
    paths = library_files(root) + [root / name for name in ENVIRONMENT_FILES]
    for path in paths:
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


#: An inline expression in Markdown: {eval}`expr` (or with doubled backticks).
EVAL_ROLE = re.compile(r"\{eval\}(`+)(.+?)\1")


def eval_expressions(cell: dict) -> list[str]:
    """The ``{eval}`` expressions of a Markdown cell, in order, each once."""
    if cell["cell_type"] != "markdown":
        return []
    found = [m.group(2).strip() for m in EVAL_ROLE.finditer(cell["source"])]
    return list(dict.fromkeys(found))


def code_digest(nb: dict) -> str:
    """SHA-256 over a notebook's kernel name, code cells and prose expressions (in order)."""
    h = hashlib.sha256()
    h.update(str(nb.get("metadata", {}).get("kernelspec", {}).get("name", "")).encode() + b"\0")
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            h.update(cell["source"].encode() + b"\0")
        for expression in eval_expressions(cell):
            h.update(b"{eval}" + expression.encode() + b"\0")
    return h.hexdigest()


def stamp(nb: dict, library: str | None = None) -> str:
    """The stamp the notebook's outputs must carry to be current (16 hex digits)."""
    library = library_digest() if library is None else library
    return hashlib.sha256(f"{code_digest(nb)}:{library}".encode()).hexdigest()[:16]


def stored_stamp(nb: dict) -> str | None:
    """The stamp written when the notebook was last executed (``None`` if never stamped)."""
    value = nb.get("metadata", {}).get(KEY, {}).get("stamp")
    return value if isinstance(value, str) else None


def notebooks(paths: Sequence[str] = ()) -> list[Path]:
    """The notebooks named (all of ``notebooks/*.ipynb`` if none)."""
    return [Path(p).resolve() for p in paths] if paths else sorted(NOTEBOOKS.glob("*.ipynb"))


def stale(paths: Iterable[Path]) -> list[Path]:
    """The notebooks whose stored stamp is not the current one."""
    import nbformat

    library = library_digest()
    out = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        if stored_stamp(nb) != stamp(nb, library):
            out.append(path)
    return out


def _client_class() -> type:
    """An nbclient ``NotebookClient`` that also evaluates the prose's ``{eval}`` expressions."""
    from nbclient import NotebookClient

    class ProseClient(NotebookClient):  # type: ignore[misc]
        async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):  # type: ignore[no-untyped-def]
            expressions = eval_expressions(cell)
            if not expressions:
                if cell.cell_type == "markdown":
                    cell.metadata.pop("user_expressions", None)
                return await super().async_execute_cell(cell, cell_index, execution_count, store_history)
            wanted = {str(i): e for i, e in enumerate(expressions)}
            msg_id = self.kc.execute("", silent=True, store_history=False, user_expressions=wanted)
            reply = await self.async_wait_for_reply(msg_id, cell)
            results = reply["content"]["user_expressions"]
            stored = []
            for key, expression in wanted.items():
                result = results[key]
                if result.get("status") != "ok":
                    raise RuntimeError(
                        f"cell {cell_index}: {{eval}}`{expression}` failed: "
                        f"{result.get('ename')}: {result.get('evalue')}"
                    )
                data = {k: v for k, v in result["data"].items() if k == "text/plain"}
                if data.get("text/plain", "")[:1] in ("'", '"'):  # a str's repr would show its quotes
                    raise RuntimeError(
                        f"cell {cell_index}: {{eval}}`{expression}` gives a quoted string; wrap it in "
                        "lazylib.formatting.Shown (or use num, pct, ...)"
                    )
                result = {"status": "ok", "data": data, "metadata": {}}
                stored.append({"expression": expression, "result": result})
            cell.metadata["user_expressions"] = stored
            return cell

    return ProseClient


def check_prose_values(nb: dict, name: str) -> None:
    """Fail if one expression is stored with two different results (the site looks them up by text)."""
    seen: dict[str, str] = {}
    for index, cell in enumerate(nb["cells"]):
        for item in cell.get("metadata", {}).get("user_expressions", []):
            text = item["result"]["data"].get("text/plain", "")
            if seen.setdefault(item["expression"], text) != text:
                raise RuntimeError(
                    f"{name}: {{eval}}`{item['expression']}` shows {seen[item['expression']]!r} in one cell "
                    f"and {text!r} in cell {index}: give the two values two names"
                )


def execute(path: Path, timeout: int) -> float:
    """Execute one notebook in a fresh kernel and write it back with its stamp; return seconds.

    Raises
    ------
    RuntimeError
        If a cell writes to stderr (the file is left untouched).
    nbclient.exceptions.CellExecutionError, nbclient.exceptions.CellTimeoutError
        If a cell raises or exceeds ``timeout`` (the file is left untouched).
    """
    import nbformat

    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:  # per-cell timings would change the file at every run
        cell.metadata.pop("execution", None)
    client = _client_class()(
        nb,
        timeout=timeout,
        kernel_name=nb.metadata.get("kernelspec", {}).get("name", "python3"),
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
        # one stream output per cell and stream, however the kernel flushed: the stored text, and so
        # a `git diff` of it, does not depend on timing (nbval joins consecutive streams the same way)
        coalesce_streams=True,
    )
    start = time.perf_counter()
    client.execute(env=kernel_env())
    seconds = time.perf_counter() - start
    noisy = [
        i
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code"
        and any(o.get("output_type") == "stream" and o.get("name") == "stderr" for o in cell.outputs)
    ]
    if noisy:
        raise RuntimeError(f"{path.name}: cells {noisy} wrote to stderr (warnings?); fix them first")
    check_prose_values(nb, path.name)
    from lazylib.viz.explorer import drop_live_widgets

    drop_live_widgets(nb)
    nb.metadata[KEY] = {"stamp": stamp(nb), "seconds": round(seconds, 1)}
    nbformat.write(nb, path)
    return seconds


def stored_figure(nb: dict, name: str) -> bytes:
    """The PNG that the code cell of figure ``name`` (``metadata.mystnb.figure.name``) stores."""
    import base64

    for cell in nb["cells"]:
        figure = cell["metadata"].get("mystnb", {}).get("figure", {})
        if cell["cell_type"] == "code" and figure.get("name") == name:
            outputs = [o.get("data", {}) for o in cell.get("outputs", [])]
            pngs = [data["image/png"] for data in outputs if "image/png" in data]
            if len(pngs) != 1:
                raise ValueError(f"figure {name!r}: {len(pngs)} PNG outputs stored, want 1 (execute it)")
            return base64.b64decode(pngs[0])
    raise ValueError(f"no code cell holds figure {name!r}")


def export_figures(check: bool = False) -> list[Path]:
    """Write each of :data:`INTRO_FIGURES` from its notebook's stored output where it differs
    (``check``: only list those that differ)."""
    import nbformat

    changed = []
    for notebook, name, target in INTRO_FIGURES:
        png = stored_figure(nbformat.read(NOTEBOOKS / notebook, as_version=4), name)
        if not target.is_file() or target.read_bytes() != png:
            changed.append(target)
            if not check:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(png)
    return changed


_NOT_STARTED = object()


def in_kernels(
    run: Callable[[Item], Result], items: Sequence[Item], jobs: int = 2
) -> Iterator[tuple[Item, Result | Exception]]:
    """``run(item)`` for each item, ``jobs`` at a time in threads, for work that runs a kernel of its own
    (a kernel computes on one core: kernel_env gives it one BLAS thread); yields ``(item, result)``, or
    ``(item, exception)`` for a run that raised, as each run ends. After a failure no further item starts
    (one running beside it finishes, and is yielded); so too when the caller stops iterating, or on
    Ctrl-C (the pool waits for the runs under way). Items never started are not yielded.

    Used by :func:`main` (the notebooks) and ``_ext/book_slides.py`` (the slides' wide figures).
    """
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    stop = threading.Event()

    def guarded(item: Item) -> Any:
        if stop.is_set():
            return _NOT_STARTED
        try:
            return run(item)
        except Exception:
            stop.set()
            raise

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        runs = {pool.submit(guarded, item): item for item in items}
        try:
            for done in as_completed(runs):
                try:
                    result = done.result()
                except Exception as exc:
                    yield runs[done], exc
                    continue
                if result is not _NOT_STARTED:
                    yield runs[done], result
        finally:
            stop.set()  # the caller stopped, or Ctrl-C: nothing queued starts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", help="notebooks to consider (default: notebooks/*.ipynb)")
    parser.add_argument("--all", action="store_true", help="execute even notebooks whose stamp is current")
    parser.add_argument("--check", action="store_true", help="only list stale notebooks; exit 1 if any")
    parser.add_argument("--timeout", type=int, default=120, help="seconds per cell (default 120)")
    parser.add_argument(
        "--jobs", type=int, default=2, help="notebooks executed at a time (default 2: a kernel uses one core)"
    )
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error(f"--jobs must be at least 1, got {args.jobs}")
    use_kernel_defaults()
    paths = notebooks(args.notebooks)
    todo = paths if args.all else stale(paths)
    if args.check:
        for path in todo + ([] if args.notebooks else export_figures(check=True)):
            print(f"stale: {path.relative_to(ROOT)} (run `make execute`)")
        return 1 if todo else 0
    if not todo:
        print(f"execute: all {len(paths)} notebooks current (stamps match the code)")
        _export()
        return 0
    failed = False
    for path, outcome in in_kernels(lambda path: execute(path, args.timeout), todo, args.jobs):
        name = path.relative_to(ROOT)
        if isinstance(outcome, Exception):  # report which notebook failed
            print(f"execute: {name} FAILED", flush=True)
            print(f"{type(outcome).__name__}: {outcome}", file=sys.stderr, flush=True)
            failed = True
        else:
            print(f"execute: {name} {outcome:.1f} s", flush=True)
    if failed:
        return 1
    _export()
    return 0


def _export() -> None:
    for target in export_figures():
        print(f"execute: wrote {target.relative_to(ROOT)} (a figure another page shows)")


if __name__ == "__main__":
    sys.exit(main())
