#!/usr/bin/env bash
# Mutation testing of lazylib's numerics with mutmut (configuration: [mutmut] in setup.cfg).
#
#   benchmarks/run_mutation.sh [WORKDIR] [MUTANT_GLOB ...]
#
# Runs on a snapshot of the committed tree (git archive HEAD), so edits in progress in the working
# copy neither disturb a run nor get measured by it. WORKDIR (default /tmp/lazylib-mutation) keeps
# mutmut's cache between runs: a second run re-checks only mutants whose function or tests changed.
# One worker (--max-children 1), one BLAS thread: it is slow (hours for all ~6000 mutants on a
# 2-core machine), so start it in the background:
#
#   nohup benchmarks/run_mutation.sh > /tmp/mutation.log 2>&1 &
#
# MUTANT_GLOB restricts the run, e.g. 'lazylib.recall*' 'lazylib.dynamics*'. The summary printed at
# the end (and `cd WORKDIR && mutmut results`, `mutmut show NAME`) lists the survivors.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/tmp/lazylib-mutation}
shift || true
mkdir -p "$work"
# Refresh the sources and tests from HEAD, keep mutants/ (mutmut's cache).
rm -rf "$work/lazylib" "$work/tests"
git -C "$repo" archive HEAD lazylib tests pyproject.toml setup.cfg | tar -x -C "$work"
rm -rf "$work/tests/site"
cd "$work"
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 PYDEVD_DISABLE_FILE_VALIDATION=1
start=$(date +%s)
"$repo/.venv/bin/mutmut" run --max-children 1 "$@" || true
echo "mutmut: $(( ($(date +%s) - start) / 60 )) min"
"$repo/.venv/bin/python" "$repo/benchmarks/mutation_summary.py" "$work"
