"""requirements.lock is the lock of requirements.txt: every range edited by hand is met by its pin.

`make` installs the exact versions of ``requirements.lock`` (``make lock`` writes it from the ranges of
``requirements.txt`` with ``uv pip compile``). A range edited without re-locking would leave the
venv, the stored notebook outputs and the stated ranges disagreeing; this test finds it.
"""

from __future__ import annotations

from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent


def _lines(path: Path) -> list[str]:
    """The requirement lines of a requirements file (no comments, options or blank lines)."""
    out = []
    for raw in path.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            out.append(line)
    return out


def _pins() -> dict[str, list[Version]]:
    """Each package of the lock and its pinned version(s) (one per environment marker)."""
    pins: dict[str, list[Version]] = {}
    for line in _lines(ROOT / "requirements.lock"):
        req = Requirement(line)
        (spec,) = req.specifier  # exactly one specifier per line ...
        assert spec.operator == "==", f"not a pin: {line}"  # ... and it is a pin
        pins.setdefault(canonicalize_name(req.name), []).append(Version(spec.version))
    return pins


def test_every_range_is_met_by_the_lock() -> None:
    pins = _pins()
    problems = []
    for line in _lines(ROOT / "requirements.txt"):
        req = Requirement(line)
        versions = pins.get(canonicalize_name(req.name))
        if not versions:
            problems.append(f"{req.name}: in requirements.txt, not in requirements.lock")
        elif not all(req.specifier.contains(v, prereleases=True) for v in versions):
            problems.append(f"{req.name}: lock pins {[str(v) for v in versions]}, outside {req.specifier}")
    assert not problems, f"requirements.lock is stale; run `make lock`: {problems}"


def test_lazylib_is_kept_out_of_the_lock() -> None:
    # installed editable from the work tree by make (pip install --no-deps -e .), never pinned
    assert "lazylib" not in _pins()
    assert "-e" not in (ROOT / "requirements.lock").read_text().split()
