"""The import graph of ``lazylib``: levels, upward imports, cycles, page-to-page imports (issue 23 §1).

Run ``python -m benchmarks.import_graph [ROOT]`` from the repository's root (default: the checkout
holding this file). Every ``import``/``from ... import`` of a ``lazylib`` module is an edge, including
imports inside functions.
A module's level is 0 if it imports no other ``lazylib`` module, else 1 + the highest level it imports.
Layers: core and concept modules < page numerics < the facade ``lazylib/__init__`` < presentation
(``lazylib.viz``); an upward import goes from a lower layer to a higher one. The page-numerics
modules are ``tests/test_import_rules.PAGE_MODULES``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.test_import_rules import PAGE_MODULES, import_edges


def layer(module: str) -> float:
    """0 core (and concept modules), 1 page numerics, 1.5 the package's facade ``lazylib/__init__``
    (it re-exports the numerics), 2 the presentation ``lazylib.viz``."""
    if module.startswith("lazylib.viz"):
        return 2
    if module == "lazylib":
        return 1.5
    return 1 if module in PAGE_MODULES else 0


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def main(root: Path) -> None:
    edges = import_edges(root / "lazylib")
    graph: dict[str, set[str]] = {}
    for src, dst, _ in edges:
        graph.setdefault(src, set()).add(dst)
        graph.setdefault(dst, set())
    found = cycles(graph)
    level: dict[str, int] = {}

    def lvl(m: str, seen: tuple[str, ...] = ()) -> int:
        if m in level:
            return level[m]
        deps = [d for d in graph[m] if d not in seen]
        level[m] = 0 if not deps else 1 + max(lvl(d, (*seen, m)) for d in deps)
        return level[m]

    for m in graph:
        lvl(m)
    numerics = {m: v for m, v in level.items() if not m.startswith("lazylib.viz")}
    upward = sorted({(s, d) for s, d, _ in edges if layer(s) < layer(d)})
    page_page = sorted({(s, d) for s, d, _ in edges if s in PAGE_MODULES and d in PAGE_MODULES})
    private = sorted({(s, d, n) for s, d, names in edges for n in names if n.startswith("_") and s != d})
    print(f"modules: {len(graph)} ({len(numerics)} numerics, {len(graph) - len(numerics)} viz)")
    print(f"levels: {max(level.values()) + 1} in all, {max(numerics.values()) + 1} in the numerics")
    for k in range(max(numerics.values()) + 1):
        names = sorted(m[8:] or "__init__" for m, v in numerics.items() if v == k)
        print(f"  level {k}: {', '.join(names)}")
    print(f"edges: {len({(s, d) for s, d, _ in edges})}")
    print(f"cycles: {len(found)} {found if found else ''}")
    print(f"upward imports: {len(upward)} {upward if upward else ''}")
    print(f"page-to-page imports (numerics): {len(page_page)}")
    for s, d in page_page:
        print(f"  {s} -> {d}")
    print(f"private names imported across modules: {len(private)}")
    for s, d, n in private:
        print(f"  {s} <- {d}.{n}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1])
