"""Per-module summary of a mutmut run: killed / survived / timeout / no tests / not checked, and the score.

    python benchmarks/mutation_summary.py [WORKDIR]   (WORKDIR holds mutmut's mutants/ directory)

Reads mutmut's per-file results (``mutants/lazylib/*.py.meta``: the exit code of each mutant's test
run). Score = detected (killed, timeout, segfault) / every mutant that was run (survivors and mutants
no test reaches count against it); equivalent survivors are listed in benchmarks/mutation.md.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

#: mutmut 3's meaning of a mutant's recorded exit code (copied from mutmut.stats.status_by_exit_code,
#: which cannot be imported outside a mutmut working directory).
STATUS = {
    None: "not checked",
    0: "survived",
    1: "killed",
    3: "killed",
    5: "no tests",
    33: "no tests",
    34: "skipped",
    36: "timeout",
    37: "caught by type check",
    -24: "timeout",
    24: "timeout",
    152: "timeout",
    255: "timeout",
    -11: "segfault",
    -9: "segfault",
}
DETECTED = ("killed", "timeout", "segfault")
COLUMNS = ("killed", "timeout", "segfault", "survived", "no tests", "suspicious", "not checked")


def classify(code: int | None) -> str:
    return STATUS.get(code, "suspicious")


def main(work: Path) -> None:
    rows = []
    total: Counter[str] = Counter()
    for meta in sorted((work / "mutants" / "lazylib").glob("*.py.meta")):
        data = json.loads(meta.read_text())
        codes = data["exit_code_by_key"]
        counts = Counter(classify(c) for c in codes.values())
        total.update(counts)
        rows.append((meta.name.removesuffix(".py.meta"), counts))
    print(f"{'module':<14}" + "".join(f"{k:>12}" for k in COLUMNS) + f"{'score':>9}")
    for name, c in [*rows, ("TOTAL", total)]:
        detected = sum(c[k] for k in DETECTED)
        run = sum(c[k] for k in COLUMNS if k != "not checked")
        score = f"{100 * detected / run:.1f}%" if run else "-"
        print(f"{name:<14}" + "".join(f"{c[k]:>12}" for k in COLUMNS) + f"{score:>9}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/lazylib-mutation"))
