"""Split mutmut's results into numerics mutants and input-validation plumbing, per module.

    python benchmarks/mutation_categories.py [WORKDIR] [--survivors]

A mutant is *validation* when the line it changes is input checking rather than computation: a call
of the argument checks (``as_array``, ``check_*``, ``finite_result``, ``make_rng``, ``np.errstate``) —
typically the argument *name* quoted in the error message — or an ``if`` whose body raises. Those
mutants change error messages or which bad input is refused, and belong to the bad-input and fuzz
tests; the score the quality bar asks for is the one over the *numerics* mutants. ``--survivors``
prints every surviving numerics mutant with its changed line.
"""

from __future__ import annotations

import ast
import difflib
import json
import re
import sys
from collections import Counter
from pathlib import Path

from mutation_summary import DETECTED, classify

VALIDATION_CALL = re.compile(
    r"\b(as_array|check_\w+|_check_\w+|finite_result|make_rng|check_in_range|errstate)\("
)


def _functions(source: str) -> dict[str, str]:
    lines = source.splitlines()
    out = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and "__mutmut_" in node.name:
            out[node.name] = "\n".join(lines[node.lineno - 1 : node.end_lineno])
    return out


def _is_validation(orig_lines: list[str], i: int) -> bool:
    line = orig_lines[i]
    if VALIDATION_CALL.search(line) or line.lstrip().startswith("raise "):
        return True
    if line.lstrip().startswith(("if ", "elif ")):
        indent = len(line) - len(line.lstrip())
        for nxt in orig_lines[i + 1 :]:
            if nxt.strip():
                return nxt.lstrip().startswith("raise ") and len(nxt) - len(nxt.lstrip()) > indent
    return False


def categorise(work: Path) -> dict[str, tuple[str, str, str]]:
    """mutant name -> (category, status, changed original line)."""
    result = {}
    for meta in sorted((work / "mutants" / "lazylib").glob("*.py.meta")):
        module = meta.name.removesuffix(".py.meta")
        funcs = _functions((meta.parent / f"{module}.py").read_text())
        for key, code in json.loads(meta.read_text())["exit_code_by_key"].items():
            local = key.removeprefix(f"lazylib.{module}.")
            base, _ = local.rsplit("__mutmut_", 1)
            orig = funcs.get(f"{base}__mutmut_orig", "").replace(f"{base}__mutmut_orig", "F").splitlines()
            mut = funcs.get(local, "").replace(local, "F").splitlines()
            changed = [
                i1
                for tag, i1, i2, _j1, _j2 in difflib.SequenceMatcher(a=orig, b=mut).get_opcodes()
                if tag != "equal"
                for i1 in range(i1, max(i2, i1 + 1))
                if i1 < len(orig)
            ]
            valid = bool(changed) and all(_is_validation(orig, i) for i in changed)
            line = orig[changed[0]].strip() if changed else ""
            result[key] = ("validation" if valid else "numerics", classify(code), line)
    return result


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    work = Path(args[0] if args else "/tmp/lazylib-mutation")
    cats = categorise(work)
    table: dict[tuple[str, str], Counter[str]] = {}
    for key, (cat, status, _line) in cats.items():
        module = key.split(".")[1]
        for mod in (module, "TOTAL"):
            table.setdefault((mod, cat), Counter())[status] += 1
    header = ("run", "detected", "survived", "no tests")
    print(f"{'module':<13}{'category':<12}" + "".join(f"{h:>10}" for h in header) + f"{'score':>8}")
    for (mod, cat), c in sorted(table.items(), key=lambda kv: (kv[0][0] == "TOTAL", kv[0])):
        run = sum(v for k, v in c.items() if k != "not checked")
        det = sum(c[k] for k in DETECTED)
        score = f"{100 * det / run:.1f}%" if run else "-"
        print(f"{mod:<13}{cat:<12}{run:>10}{det:>10}{c['survived']:>10}{c['no tests']:>10}{score:>8}")
    if "--survivors" in sys.argv:
        for key, (cat, status, line) in sorted(cats.items()):
            if cat == "numerics" and status in ("survived", "no tests"):
                print(f"{key}  [{status}]  {line}")


if __name__ == "__main__":
    main()
