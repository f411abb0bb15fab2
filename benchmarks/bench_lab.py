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
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

# The JupyterLab settings and the page scripts the lab tests use (one copy): open a notebook, wait for
# its Markdown to render and its kernel to idle, close it.
from tests.lab.conftest import SETTINGS
from tests.lab.test_lab import CLOSE_JS, OPEN_JS
from tests.lab.test_lab import RENDERED_JS as READY_JS

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_lab(base: Path) -> tuple[subprocess.Popen[bytes], str]:
    """JupyterLab on 127.0.0.1 serving copies of notebooks/ and book/ under ``base``; (server, url)."""
    root = base / "root"
    shutil.copytree(
        ROOT / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints")
    )
    shutil.copytree(ROOT / "book", root / "book")
    settings = base / "settings"
    for plugin, values in SETTINGS.items():
        path = settings / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")
    env = {
        **os.environ,
        "JUPYTER_PREFER_ENV_PATH": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "JUPYTER_DATA_DIR": str(base / "data"),
    }
    env.pop("LAZYLIB_BOOK_EXECUTE", None)  # a reader's kernel
    notebooks = sorted((root / "notebooks").glob("*.ipynb"))
    subprocess.run([BIN / "jupyter", "trust", *notebooks], check=True, env=env, capture_output=True)
    port = _free_port()
    args = [
        str(BIN / "jupyter"), "lab", "--no-browser",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={root}",
        f"--LabApp.user_settings_dir={settings}", f"--LabApp.workspaces_dir={base / 'workspaces'}",
        "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.expose_app_in_browser=True", f"--config={ROOT / '_ext' / 'jupyter_lab_config.py'}",
    ]  # fmt: skip
    if os.getuid() == 0:
        args.append("--allow-root")
    log = (base / "server.log").open("w")
    server = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=5):
                return server, url
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise RuntimeError(f"JupyterLab did not start: see {base / 'server.log'}") from None
            time.sleep(0.2)


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
    with tempfile.TemporaryDirectory(prefix="bench-lab-") as tmp:
        server, url = start_lab(Path(tmp))
        try:
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
                page.wait_for_function(
                    "() => window.jupyterapp && window.jupyterapp.started", timeout=180_000
                )
                for name in names:
                    t0 = time.perf_counter()
                    call(page, OPEN_JS, f"notebooks/{name}")
                    page.wait_for_function(READY_JS, timeout=180_000, polling=100)
                    opened = time.perf_counter() - t0
                    call(page, RUN_JS)
                    done = page.wait_for_function(DONE_JS, timeout=600_000, polling=100).json_value()
                    run = done["ms"] / 1000
                    over += run > GOAL
                    flag = (
                        "  FAILED (an error output)" if done["failed"] else ("  > goal" if run > GOAL else "")
                    )
                    print(f"{name:32s} {opened:7.1f} {run:9.1f} {opened + run:8.1f}{flag}", flush=True)
                    call(page, CLOSE_JS)
                browser.close()
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
    print(f"{over} notebook(s) over {GOAL:g} s; load average now {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
