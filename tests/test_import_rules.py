"""The layering of ``lazylib`` (issue 23 §1), checked on the source with ``ast``.

Ruff's PLC2701 (import of a private name) ignores relative imports, so this test walks every
``import``/``from ... import`` of the package itself, including those inside functions:

* no module imports another module's private names (``from .x import _helper``);
* the page-numerics modules (one per page of the book) do not import each other: what two pages
  share lives in a module named for its concept (``relu_nets``, ``step_size``, ``infinite_width``);
* core modules import no page module, and no numerics module imports ``lazylib.viz``;
* the import graph has no cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: One numerics module per page (or group of pages) of the book; they may import only core and
#: concept modules.
PAGE_MODULES = frozenset(
    f"lazylib.{m}"
    for m in (
        "recall",
        "dynamics",
        "case_study",
        "lemmas",
        "lazy_active",
        "width_scale",
        "discrete_time",
        "lazy_solution",
    )
)


def _module_name(path: Path, package_dir: Path) -> str:
    rel = path.relative_to(package_dir.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def import_edges(package_dir: Path) -> list[tuple[str, str, tuple[str, ...]]]:
    """``(importer, imported module, names)`` for every import of a ``lazylib`` module in the package."""
    edges = []
    for path in sorted(package_dir.rglob("*.py")):
        src = _module_name(path, package_dir)
        is_pkg = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = src.split(".") if is_pkg else src.split(".")[:-1]
                    base = base[: len(base) - (node.level - 1)]
                    mod = ".".join(base + ([node.module] if node.module else []))
                else:
                    mod = node.module or ""
                if not mod.startswith("lazylib"):
                    continue
                names = tuple(a.name for a in node.names)
                if node.module is None:  # from . import x, y: the modules x, y
                    for a in node.names:
                        edges.append((src, f"{mod}.{a.name}", ()))
                else:
                    edges.append((src, mod, names))
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.startswith("lazylib"):
                        edges.append((src, a.name, ()))
    return [(s, d, n) for s, d, n in edges if s != d]


EDGES = import_edges(ROOT / "lazylib")


def test_the_walk_sees_the_package() -> None:
    sources = {s for s, _, _ in EDGES}
    assert {"lazylib.flows", "lazylib.lazy_solution", "lazylib.viz.style"} <= sources
    assert PAGE_MODULES <= sources | {d for _, d, _ in EDGES}


def test_no_module_imports_another_modules_private_names() -> None:
    bad = [f"{s} imports {d}.{n}" for s, d, names in EDGES for n in names if n.startswith("_")]
    assert not bad, bad


def test_page_modules_do_not_import_each_other() -> None:
    bad = [f"{s} -> {d}" for s, d, _ in EDGES if s in PAGE_MODULES and d in PAGE_MODULES]
    assert not bad, f"move what two pages share into a concept module: {bad}"


def _layer(module: str) -> int:
    if module.startswith("lazylib.viz"):
        return 2
    return 1 if module in PAGE_MODULES else 0


def test_no_import_runs_upward() -> None:
    bad = [f"{s} -> {d}" for s, d, _ in EDGES if s != "lazylib" and _layer(s) < _layer(d)]
    assert not bad, bad


def test_the_import_graph_has_no_cycle() -> None:
    graph: dict[str, set[str]] = {}
    for s, d, _ in EDGES:
        if s != "lazylib" and not (d.startswith(s + ".")):  # a package importing its own submodules
            graph.setdefault(s, set()).add(d)
    state: dict[str, int] = {}

    def visit(v: str, path: list[str]) -> None:
        state[v] = 1
        for w in sorted(graph.get(v, ())):
            if state.get(w) == 1:
                pytest.fail(f"import cycle: {' -> '.join([*path, v, w])}")
            if w not in state:
                visit(w, [*path, v])
        state[v] = 2

    for v in sorted(graph):
        if v not in state:
            visit(v, [])
