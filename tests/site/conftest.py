"""Fixtures for the browser checks of the built site (run by `make test` after `make book`).

The site in ``_build/html`` (the lecturer's edition in its ``slides/``) is served on 127.0.0.1 by
:func:`serve.serve_directory` (tests/serve.py, shared with tests/slides), and every page is opened in
one headless Chromium (Debian's ``/usr/bin/chromium``, driven by Playwright).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from serve import serve_directory

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "_build" / "html"


@pytest.fixture(scope="session")
def site() -> Path:
    if not (SITE / "index.html").is_file():
        pytest.fail(f"{SITE} has no index.html: run `make book` first")
    return SITE


@pytest.fixture(scope="session")
def base_url(site: Path) -> Iterator[str]:
    """Serve the site on a free port of 127.0.0.1 for the whole session."""
    with serve_directory(site) as url:
        yield url
