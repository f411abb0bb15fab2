"""Fixtures of the browser checks of the lecturer's edition (the reveal.js decks of ``make slides``).

The marker ``slides`` is registered here (not in pyproject.toml), and its tests are deselected unless
the ``-m`` expression names it (``pytest -m slides tests/slides``, ``make slides-test``): like the
site's checks, they need a build first. The decks in ``_build/slides`` are served on 127.0.0.1 by a
thread running :mod:`http.server`; the headless Chromium is the ``browser`` fixture of
``tests/conftest.py``.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DECKS = ROOT / "_build" / "slides"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "slides: browser checks of the reveal.js decks in _build/slides (after `make slides`)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect the slides checks unless asked for by ``-m`` (the default run has no decks to check)."""
    if "slides" in (config.getoption("markexpr") or ""):
        return
    kept = [item for item in items if item.get_closest_marker("slides") is None]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[i for i in items if i.get_closest_marker("slides")])
        items[:] = kept


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # the base class names it `format`
        pass


@pytest.fixture(scope="session")
def decks() -> Path:
    if not (DECKS / "index.html").is_file():
        pytest.fail(f"{DECKS} has no index.html: run `make slides` first")
    return DECKS


@pytest.fixture(scope="session")
def base_url(decks: Path) -> Iterator[str]:
    """Serve the decks on a free port of 127.0.0.1 for the whole session."""
    handler = functools.partial(_QuietHandler, directory=str(decks))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
