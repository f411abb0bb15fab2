"""Fixtures for the JupyterLab test: a JupyterLab from .venv on 127.0.0.1 and one headless Chromium.

The server runs on copies of the notebooks (Run All must never touch the repository's files), trusted
as ``make lab`` trusts them, with a known token and a fresh settings/workspace directory: every cell
rendered (no virtual scrolling, so the whole notebook can be checked), no autosave, no news or update
check (nothing may reach another host), and ``window.jupyterapp`` exposed so the test can open and close
notebooks and read the kernel's state. Run with ``pytest -m lab tests/lab`` (``make lab-test``).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent  # the venv's bin: jupyter, and the kernel's python
TOKEN = "lazy-training-lab-test"
#: JupyterLab settings for the test (user settings directory, one file per plugin).
SETTINGS = {
    # Render every cell, not only those in view: the checks read the whole notebook.
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
}


@dataclass(frozen=True)
class Lab:
    url: str  # http://127.0.0.1:PORT
    token: str
    root: Path  # the directory served (copies of notebooks/ and book/)
    log: Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LabNotStarted(RuntimeError):
    """JupyterLab exited or did not answer within its start-up time."""


@contextmanager
def running_lab(base: Path, token: str, environ: Mapping[str, str] | None = None) -> Iterator[Lab]:
    """JupyterLab from the venv on a free port of 127.0.0.1, for the ``with`` block.

    It serves copies of notebooks/ and book/ (for the links to its pages) under ``base/root``, trusted
    in a fresh data directory, with :data:`SETTINGS` in a fresh settings directory and a fresh
    workspaces directory, the token ``token`` and the book's ``_ext/jupyter_lab_config.py``. The server
    and its kernels get ``environ`` (default: this process's) plus one BLAS thread and the venv's
    Jupyter paths. Shared by the ``lab`` fixture and ``benchmarks/bench_lab.py``.

    Raises
    ------
    LabNotStarted
        If the server exits or does not answer within 90 s (the end of its log in the message).
    """
    root = base / "root"
    skip = shutil.ignore_patterns(".ipynb_checkpoints")
    shutil.copytree(ROOT / "notebooks", root / "notebooks", ignore=skip)
    shutil.copytree(ROOT / "book", root / "book")
    settings = base / "settings"
    for plugin, values in SETTINGS.items():
        path = settings / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")
    env = {
        **(os.environ if environ is None else environ),
        "JUPYTER_PREFER_ENV_PATH": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        # trust signatures (and the signing key) in a fresh data directory, not the user's
        "JUPYTER_DATA_DIR": str(base / "data"),
    }
    subprocess.run(
        [BIN / "jupyter", "trust", *sorted((root / "notebooks").glob("*.ipynb"))],
        check=True,
        env=env,
        capture_output=True,
    )
    port = _free_port()
    log = base / "server.log"
    args = [
        BIN / "jupyter",
        "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.user_settings_dir={settings}",
        f"--LabApp.workspaces_dir={base / 'workspaces'}",
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.expose_app_in_browser=True",
        # as `make lab`: a saved notebook stores no live widget view (the player shows on reopening)
        f"--config={ROOT / '_ext' / 'jupyter_lab_config.py'}",
    ]
    if os.getuid() == 0:
        args.append("--allow-root")
    with log.open("w") as out:
        server = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=root)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=5):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise LabNotStarted(f"JupyterLab did not start:\n{log.read_text()[-3000:]}") from None
                time.sleep(0.2)
        yield Lab(url, token, root, log)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """JupyterLab serving copies of notebooks/ (and book/, for the links to its pages)."""
    with ExitStack() as stack:
        try:
            server = stack.enter_context(running_lab(tmp_path_factory.mktemp("lab"), TOKEN))
        except LabNotStarted as err:
            pytest.fail(str(err))
        yield server
