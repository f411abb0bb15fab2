"""Benchmark: the structured NTK Gram ``net.ntk(X) = (X Xᵀ) ⊙ (D Dᵀ)`` against the naive ``J Jᵀ``.

Run with ``.venv/bin/python benchmarks/bench_ntk.py`` (add ``--quick`` to skip the largest size).
Prints one table. For each size (n, m, d):

* ``structured``: best of 3 wall times of ``net.ntk(X)`` (tanh net, inputs on the sphere);
* ``GEMM``: best of 3 of a float64 ``A @ A.T`` with ``A`` of shape (n, m), measured in the same run,
  which sets the machine's rate; ``eff`` is (2n²m + 2nmd flops / structured time) / GEMM rate;
* ``naive``: materialise ``J`` (n × m·d) then ``J @ J.T``. At the largest size J alone would take
  n·m·d·8 bytes = 12.8 GB, so the naive time there is *extrapolated*: (a) by flops, 2n²md at the
  GEMM rate (a lower bound, favourable to naive), and (b) from a timed slice of ``n_s`` rows
  (J construction × n/n_s, Gram × (n/n_s)²). The speed-up column uses the measured naive time
  where there is one, else the lower bound (a).
* ``peak MiB``: peak extra memory during one ``net.ntk`` call, both as traced NumPy allocations
  (``tracemalloc``) and as the peak resident-set increase sampled every 0.5 ms from
  ``/proc/self/statm`` (includes BLAS buffers). The largest size runs first, before any naive
  materialisation inflates the process.

Targets (issue 2): ≥ 20× faster than naive, ≥ 50 % of the GEMM rate, peak ≤ 1 GiB at the largest size.

The environment may set ``OPENBLAS_CORETYPE``/``OPENBLAS_L2_SIZE`` (older OpenBLAS needs them); to
benchmark the current OpenBLAS, unset both in that command alone:
``env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/bench_ntk.py``.
"""

from __future__ import annotations

import os
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable

import numpy as np
from _common import blas_info

from lazylib.data import sphere
from lazylib.models import ShallowNet

SIZES = [(1000, 16000, 100), (400, 4000, 50), (100, 1000, 20)]
NAIVE_SLICE = 50  # rows of J materialised at the largest size (50 × 1.6e6 floats = 640 MB)
PAGE = os.sysconf("SC_PAGE_SIZE")


def best_time(fn: Callable[[], object], repeat: int = 3) -> float:
    """Best of ``repeat`` wall times (the machine is shared: the minimum is the least noisy)."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def rss_bytes() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * PAGE


def peak_memory(fn: Callable[[], object]) -> tuple[float, float]:
    """(traced NumPy peak, sampled RSS peak increase) of one call of ``fn``, in MiB."""
    base = rss_bytes()
    peak = [base]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], rss_bytes())
            time.sleep(0.0005)

    thread = threading.Thread(target=sample, daemon=True)
    tracemalloc.start()
    thread.start()
    fn()
    done.set()
    thread.join()
    _, traced = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    peak[0] = max(peak[0], rss_bytes())
    return traced / 2**20, (peak[0] - base) / 2**20


def main(quick: bool = False) -> None:
    print(f"BLAS: {blas_info()}; cores: {os.cpu_count()}; numpy {np.__version__}")
    sizes = SIZES[1:] if quick else SIZES
    rows = []
    for n, m, d in sizes:
        rng = np.random.default_rng(0)
        X = sphere(n, d, rng)
        net = ShallowNet.random(m, d, "tanh", rng)
        net.ntk(X[:2])  # warm the BLAS threads
        traced, rss = peak_memory(lambda net=net, X=X: net.ntk(X))
        t_struct = best_time(lambda net=net, X=X: net.ntk(X))
        A = np.random.default_rng(1).standard_normal((n, m))
        t_gemm = best_time(lambda A=A: A @ A.T)
        del A
        gemm_rate = 2.0 * n * n * m / t_gemm
        flops = 2.0 * n * n * m + 2.0 * n * m * d
        eff = flops / t_struct / gemm_rate
        naive_bound = 2.0 * n * n * m * d / gemm_rate
        if n * m * d * 8 <= 1.0e9:

            def naive(net=net, X=X) -> np.ndarray:
                J = net.jacobian(X)
                return J @ J.T

            t_naive = best_time(naive, repeat=2)
            G_naive = naive()
            rel = float(np.max(np.abs(G_naive - net.ntk(X))) / np.max(np.abs(G_naive)))
            del G_naive
            naive_txt, speed = f"{t_naive:.4g} (measured)", t_naive / t_struct
        else:
            Xs = X[:NAIVE_SLICE]
            t0 = time.perf_counter()
            Js = net.jacobian(Xs)
            t_build = time.perf_counter() - t0
            t0 = time.perf_counter()
            Gs = Js @ Js.T
            t_gram = time.perf_counter() - t0
            rel = float(np.max(np.abs(Gs - net.ntk(Xs))) / np.max(np.abs(Gs)))
            del Js, Gs
            ratio = n / NAIVE_SLICE
            t_slice = t_build * ratio + t_gram * ratio**2
            naive_txt = f"≥{naive_bound:.1f} (flops) / ~{t_slice:.1f} (slice {NAIVE_SLICE} rows)"
            speed = naive_bound / t_struct
        rows.append((n, m, d, t_struct, t_gemm, gemm_rate / 1e9, eff, naive_txt, speed, traced, rss, rel))

    head = (
        f"{'n':>5} {'m':>6} {'d':>4} | {'structured ms':>13} {'GEMM ms':>8} {'GEMM GF/s':>9} {'eff':>5} | "
        f"{'naive s':>40} {'speed-up':>8} | {'traced MiB':>10} {'RSS MiB':>8} | {'rel err':>8}"
    )
    print(head)
    print("-" * len(head))
    for n, m, d, ts, tg, rate, eff, naive_txt, speed, traced, rss, rel in rows:
        print(
            f"{n:>5} {m:>6} {d:>4} | {ts * 1e3:>13.4g} {tg * 1e3:>8.4g} {rate:>9.1f} {eff:>5.0%} | "
            f"{naive_txt:>40} {speed:>7.0f}× | {traced:>10.0f} {rss:>8.0f} | {rel:>8.1e}"
        )
    print(
        "eff = (2n²m + 2nmd flops / structured time) / GEMM rate; speed-up = naive / structured "
        "(lower bound by flops where naive is not measured); rel err = max|J Jᵀ − ntk| / max|J Jᵀ|."
    )


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
