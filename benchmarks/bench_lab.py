"""Benchmark: Run All of each notebook in JupyterLab, in headless Chromium (issue 23, §3: ≤ 10 s each).

Run from the repository root::

    .venv/bin/python benchmarks/bench_lab.py            # every notebook
    .venv/bin/python benchmarks/bench_lab.py 03 08      # notebooks whose name starts so

As ``tests/lab`` does: JupyterLab from the venv on 127.0.0.1 (a free port, a token, fresh settings and
workspace directories, the book's ``_ext/jupyter_lab_config.py``), serving copies of ``notebooks/`` and
``book/`` with the notebooks trusted, opened in Debian's Chromium (``/usr/bin/chromium`` or
``$CHROMIUM``) driven by Playwright; nothing may leave 127.0.0.1. For each notebook it times

* ``open``: from opening the notebook to its kernel idle and its prose rendered (kernel start);
* ``run all``: the ``notebook:run-all-cells`` command (the Run menu's *Run All Cells*) on cleared
  outputs, until every code cell has an execution count and the kernel is idle: a reader's run
  (``LAZYLIB_BOOK_EXECUTE`` unset: no legibility checks, no player frames);
* ``total``: both.

Wall times on a shared machine depend on its load: the load average is printed with the results.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

# The JupyterLab server of the lab tests and their page scripts (one copy): open a notebook, wait for
# its Markdown to render and its kernel to idle, close it.
from tests.lab.conftest import running_lab
from tests.lab.test_lab import CLOSE_JS, OPEN_JS
from tests.lab.test_lab import RENDERED_JS as READY_JS

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
TOKEN = "lazy-training-bench"
GOAL = 10.0
RUN_JS = """async () => {
  const app = window.jupyterapp;
  await app.commands.execute('notebook:clear-all-cell-outputs');
  window.__t0 = performance.now();
  app.commands.execute('notebook:run-all-cells');
}"""
DONE_JS = """() => {
  const w = window.__nb;
  const code = w.content.widgets.filter(c => c.model.type === 'code');
  const failed = code.some(c => c.model.outputs.toJSON().some(o => o.output_type === 'error'));
  const done = code.every(c => c.model.executionCount !== null)
    && w.sessionContext.session?.kernel?.status === 'idle';
  return (done || failed) ? {ms: performance.now() - window.__t0, failed} : null;
}"""


def call(page: object, js: str, arg: object = None, timeout_ms: int = 180_000) -> None:
    """Run the async function ``js`` in the page, failing after ``timeout_ms`` instead of hanging."""
    page.evaluate(  # type: ignore[attr-defined]
        "([src, arg]) => { window.__call = {done: false, error: null};"
        " (0, eval)('(' + src + ')')(arg).then(() => { window.__call.done = true; },"
        " e => { window.__call.error = String(e && e.stack || e); }); }",
        [js, arg],
    )
    page.wait_for_function("() => window.__call.done || window.__call.error", timeout=timeout_ms)  # type: ignore[attr-defined]
    error = page.evaluate("() => window.__call.error")  # type: ignore[attr-defined]
    if error:
        raise RuntimeError(error)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("only", nargs="*", help="notebook name prefixes (default: all)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    names = [
        p.name
        for p in sorted((ROOT / "notebooks").glob("*.ipynb"))
        if not args.only or any(p.name.startswith(o) for o in args.only)
    ]
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; goal: Run All <= {GOAL:g} s")
    print(f"{'notebook':32s} {'open s':>7s} {'run all s':>9s} {'total s':>8s}")
    over = 0
    # A reader's kernel: LAZYLIB_BOOK_EXECUTE unset (no legibility checks, no player frames), whatever
    # the caller's environment says.
    reader = {k: v for k, v in os.environ.items() if k != "LAZYLIB_BOOK_EXECUTE"}
    with (
        tempfile.TemporaryDirectory(prefix="bench-lab-") as tmp,
        running_lab(Path(tmp), TOKEN, reader) as lab,
    ):
        url = lab.url
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.route(
                "**/*",
                lambda route: (
                    route.continue_()
                    if urlsplit(route.request.url).hostname == "127.0.0.1"
                    else route.abort()
                ),
            )
            page.goto(f"{url}/lab/tree/notebooks?reset&token={TOKEN}")
            page.wait_for_function("() => window.jupyterapp && window.jupyterapp.started", timeout=180_000)
            for name in names:
                t0 = time.perf_counter()
                call(page, OPEN_JS, f"notebooks/{name}")
                page.wait_for_function(READY_JS, timeout=180_000, polling=100)
                opened = time.perf_counter() - t0
                call(page, RUN_JS)
                done = page.wait_for_function(DONE_JS, timeout=600_000, polling=100).json_value()
                run = done["ms"] / 1000
                over += run > GOAL
                flag = "  FAILED (an error output)" if done["failed"] else ("  > goal" if run > GOAL else "")
                print(f"{name:32s} {opened:7.1f} {run:9.1f} {opened + run:8.1f}{flag}", flush=True)
                call(page, CLOSE_JS)
            browser.close()
    print(f"{over} notebook(s) over {GOAL:g} s; load average now {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
