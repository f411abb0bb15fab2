"""Benchmark: the nonlinear gradient flow ``gradient_flow(..., linearized=False)``.

Run with ``.venv/bin/python benchmarks/bench_flow.py`` (about 3 minutes on 2 idle cores, much more
on a busy machine; ``--quick`` runs only the right-hand-side table and the headline row).
Prints two tables for (n, m, d) = (200, 4000, 20), tanh, inputs on the sphere, Gaussian targets:

1. One right-hand side (the matrix-free gradient ``J_wᵀ(αf(w) − y)``) against two (n×d)(d×m)
   matrix products ``X Wᵀ`` timed in the same run (target: ≤ 3×). Medians of 200 calls, with the
   default BLAS threads and with one thread (steadier when other processes share the cores).
2. Runs to a horizon where the risk is ≤ 1e-6·R₀: wall time, right-hand-side evaluations
   (nfev), wall time per evaluation, the final risk ratio, and the largest relative error of the
   risk curve (20 time points) against a reference solve (DOP853, rtol 1e-12, atol 1e-16). The
   horizon is read off the *linearized* flow (closed form: linear risk ≤ 1e-7·R₀), on the
   rescaled time axis α²t so that every α gets the same amount of work.

Settings compared: the default (RK45, rtol 1e-8, rescaled time), DOP853 and RK23 at the same
tolerance, RK45 at rtol 1e-6, and RK45 without the time/state rescaling, with and without centring,
at α = 1 and α = 100.
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np
from _common import blas_info

from lazylib.data import sphere
from lazylib.flows import _flow_rhs, gradient_flow
from lazylib.models import ShallowNet

N, M, D = 200, 4000, 20


def median_time(fn, repeat: int = 200) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def setup(symmetric: bool):
    rng = np.random.default_rng(0)
    X = sphere(N, D, rng)
    y = rng.standard_normal(N)
    net = ShallowNet.random(M, D, "tanh", rng, symmetric=symmetric)
    return net, X, y


def horizon(net, X, y, alpha: float) -> np.ndarray:
    """20 times up to where the linearized risk is ≤ 1e-7·R₀ (closed form, milliseconds)."""
    lam = np.linalg.eigvalsh(net.ntk(X))
    tau = np.geomspace(1e-2, 1e3, 400) / lam[0]  # rescaled time α²t
    lin = gradient_flow(net, X, y, alpha, tau / alpha**2, linearized=True, store_weights=False)
    tau_end = tau[np.argmax(lin.risk <= 1e-7 * lin.risk[0])]
    return np.linspace(0.0, tau_end, 20) / alpha**2


def rhs_table() -> None:
    net, X, y = setup(True)
    rhs, _, _ = _flow_rhs(net, X, y, 1.0, True)
    state = 1e-3 * np.random.default_rng(1).standard_normal(net.p)
    W = net.W.copy()
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        threadpool_limits = None
    rows = []
    for threads in (None, 1, None, 1):  # interleaved: the machine is shared
        if threads is not None and threadpool_limits is None:
            continue
        ctx = threadpool_limits(threads) if threads else _Nothing()
        with ctx:
            t_rhs = median_time(lambda: rhs(0.0, state))
            t_two = median_time(lambda: (X @ W.T, X @ W.T))
        rows.append(("1" if threads else "default", t_rhs, t_two))
    print(f"\nOne right-hand side at (n, m, d) = ({N}, {M}, {D}), medians of 200 calls")
    print(f"{'BLAS threads':>12} {'RHS ms':>8} {'2×XWᵀ ms':>9} {'ratio':>6}")
    for threads, t_rhs, t_two in rows:
        print(f"{threads:>12} {t_rhs * 1e3:>8.3f} {t_two * 1e3:>9.3f} {t_rhs / t_two:>6.2f}")


class _Nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def flow_table(quick: bool) -> None:
    configs = [(True, 1.0), (True, 100.0), (False, 1.0)]
    settings = [
        ("RK45 rtol1e-8 (default)", {}),
        ("DOP853 rtol1e-8", {"method": "DOP853"}),
        ("RK23 rtol1e-8", {"method": "RK23"}),
        ("RK45 rtol1e-6", {"rtol": 1e-6}),
        ("RK45 no rescale", {"rescale": False}),
    ]
    if quick:
        configs, settings = configs[:1], settings[:1]
    slow = {"RK23 rtol1e-8"}  # 2.5-4.5× the evaluations of RK45 (measured): shown once only
    print(f"\nNonlinear flow to risk ≤ 1e-6·R₀ at (n, m, d) = ({N}, {M}, {D}), tanh")
    head = (
        f"{'centred':>7} {'alpha':>6} {'setting':>24} | {'wall s':>7} {'nfev':>6} {'ms/eval':>7} | "
        f"{'R(T)/R0':>8} {'max rel err R':>13}"
    )
    print(head)
    print("-" * len(head))
    for symmetric, alpha in configs:
        net, X, y = setup(symmetric)
        t = horizon(net, X, y, alpha)
        ref = gradient_flow(net, X, y, alpha, t, method="DOP853", rtol=1e-12, atol=1e-16, store_weights=False)
        for name, kw in settings:
            if kw.get("rescale") is False and alpha == 1.0:
                continue  # identical to the default at α = 1
            if name in slow and (symmetric, alpha) != configs[0]:
                continue
            t0 = time.perf_counter()
            tr = gradient_flow(net, X, y, alpha, t, store_weights=False, **kw)
            wall = time.perf_counter() - t0
            err = float(np.max(np.abs(tr.risk / ref.risk - 1)))
            print(
                f"{symmetric!s:>7} {alpha:>6g} {name:>24} | {wall:>7.2f} {tr.nfev:>6d} "
                f"{wall / tr.nfev * 1e3:>7.2f} | {tr.risk[-1] / tr.risk[0]:>8.1e} {err:>13.1e}"
            )
        print(f"{'':>7} {'':>6} {'reference DOP853 1e-12':>24} | {'':>7} {ref.nfev:>6d}")


def main(quick: bool = False) -> None:
    print(f"BLAS: {blas_info()}; cores: {os.cpu_count()}; numpy {np.__version__}")
    rhs_table()
    flow_table(quick)


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
