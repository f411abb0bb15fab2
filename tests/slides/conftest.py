"""Fixtures of the browser checks of the lecturer's edition (the reveal.js decks of ``make slides``).

The marker ``slides`` is registered here (not in pyproject.toml), and its tests are deselected unless
the ``-m`` expression names it (``pytest -m slides tests/slides``, ``make slides-test``): like the
site's checks, they need a build first. The decks are part of the site (``_build/html/slides``),
which is served on 127.0.0.1 by :func:`serve.serve_directory` (tests/serve.py, shared with
tests/site), so a deck's link to its page resolves; the headless Chromium is the ``browser`` fixture
of ``tests/conftest.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from serve import group_checks, serve_directory

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "_build" / "html"
DECKS = SITE / "slides"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "slides: browser checks of the reveal.js decks in _build/html/slides (after `make slides`)"
    )


def _deck_of(item: pytest.Item) -> str:
    """The deck a check opens (its ``path`` parameter), "" for a check of no single deck."""
    callspec = getattr(item, "callspec", None)
    path = callspec.params.get("path") if callspec is not None else None
    return path.name if isinstance(path, Path) and path.is_relative_to(DECKS) else ""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect the slides checks unless asked for by ``-m`` (the default run has no decks to check);
    when asked for, run them grouped by deck (in their order otherwise), so that the checks of one deck
    share its load (``test_slides.deck_page``)."""
    if "slides" in (config.getoption("markexpr") or ""):
        group_checks(items, Path(__file__).parent, key=_deck_of)
        return
    kept = [item for item in items if item.get_closest_marker("slides") is None]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[i for i in items if i.get_closest_marker("slides")])
        items[:] = kept


@pytest.fixture(scope="session")
def decks() -> Path:
    if not (DECKS / "index.html").is_file():
        pytest.fail(f"{DECKS} has no index.html: run `make slides` first")
    return DECKS


@pytest.fixture(scope="session")
def site_url(decks: Path) -> Iterator[str]:
    """Serve the site, decks included, on a free port of 127.0.0.1 for the whole session."""
    with serve_directory(SITE) as url:
        yield url


@pytest.fixture(scope="session")
def base_url(site_url: str) -> str:
    """The decks' address: ``slides/`` of the served site."""
    return f"{site_url}/slides"
