"""pytest fixtures of the lazylib unit tests (the factories they use live in ``factories.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from factories import CHROMIUM, CHROMIUM_ARGS, make_problem

from lazylib.models import ShallowNet


@pytest.fixture
def problem() -> tuple[ShallowNet, np.ndarray, np.ndarray]:
    """A centred tanh net of width 8 on 5 unit inputs in R³ (p = 24 ≥ n)."""
    return make_problem()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for a whole browser-test session (tests/site, tests/lab)."""
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium, or set CHROMIUM=...)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
