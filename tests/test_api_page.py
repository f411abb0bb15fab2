"""book/api.md documents every public module of lazylib and lazylib.viz (the strict site build checks
that what it documents resolves; this checks that nothing is left out): a module added to the package
must get its ``automodule`` entry on the page."""

from __future__ import annotations

import pkgutil
import re
from pathlib import Path

import lazylib
import lazylib.viz

API_PAGE = Path(__file__).resolve().parent.parent / "book" / "api.md"


def _public_modules() -> set[str]:
    names = {"lazylib", "lazylib.viz", "lazylib._types"}  # _types: the aliases the signatures name
    for package in (lazylib, lazylib.viz):
        for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            if not info.name.rsplit(".", 1)[-1].startswith("_"):
                names.add(info.name)
    return names


def test_every_public_module_is_on_the_api_page() -> None:
    documented = set(re.findall(r"^\.\. automodule:: (\S+)$", API_PAGE.read_text(encoding="utf-8"), re.M))
    public = _public_modules()
    missing = sorted(public - documented)
    assert not missing, f"add an automodule entry to book/api.md for: {missing}"
    assert documented <= public, f"book/api.md names unknown modules: {sorted(documented - public)}"
