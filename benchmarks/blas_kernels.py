"""Which OpenBLAS kernels this CPU can run, which one numpy uses, and which other one `make nbval` uses.

numpy and scipy each bundle an OpenBLAS built with ``DYNAMIC_ARCH``: at load time it picks the kernel
(the architecture-specific code of its BLAS and LAPACK routines) for the CPU, unless the environment
variable ``OPENBLAS_CORETYPE`` names one. Different kernels sum in different orders, so the last digits
of a result depend on the kernel: running the notebooks under a kernel other than the one that wrote
their stored outputs is the cheapest way to check, on one machine, that those outputs hold elsewhere.

The kernel actually in use is read back from the library (``scipy_openblas_get_corename``), because a
name the build does not carry falls back silently (numpy 2.4's OpenBLAS maps ``CooperLake`` and
``SapphireRapids`` to ``SkylakeX``, ``Zen`` to ``Haswell``, ``Prescott`` and ``Core2`` to ``Katmai``).

Usage (from the repository root)::

    .venv/bin/python benchmarks/blas_kernels.py           # the kernel in use and every runnable one
    .venv/bin/python benchmarks/blas_kernels.py --other   # the kernel `make nbval` runs under (or none)

``--other`` prints nothing (and says why on stderr) when ``OPENBLAS_CORETYPE`` is preset (it is never
overridden: some machines set it because other kernels compute wrong results there), on a CPU that is
not x86-64, or when no other kernel than the default one is runnable.
"""

from __future__ import annotations

import argparse
import ctypes
import glob
import os
import platform
import subprocess
import sys
from pathlib import Path

#: Kernel names OpenBLAS accepts in ``OPENBLAS_CORETYPE`` (x86-64), with the CPU flags
#: (``/proc/cpuinfo``) each needs, oldest first.
X86_KERNELS: dict[str, tuple[str, ...]] = {
    "Prescott": ("sse3",),
    "Core2": ("sse3", "ssse3"),
    "Nehalem": ("sse3", "ssse3", "sse4_1", "sse4_2"),
    "Sandybridge": ("sse4_2", "avx"),
    "Haswell": ("avx", "avx2", "fma"),
    "Zen": ("avx", "avx2", "fma"),
    "SkylakeX": ("avx2", "fma", "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"),
    "CooperLake": ("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl", "avx512_bf16"),
    "SapphireRapids": ("avx512f", "avx512bw", "avx512vl", "avx512_bf16", "avx512_fp16", "amx_tile"),
}
#: Preferred second kernel for `make nbval`, in order: Sandybridge needs only AVX and differs from the
#: AVX2 (Haswell/Zen) and AVX-512 (SkylakeX) kernels that current CPUs pick; Nehalem where it is the default.
OTHER_PREFERENCE = ("Sandybridge", "Haswell", "Nehalem")


def cpu_flags() -> set[str]:
    """The CPU's feature flags (Linux ``/proc/cpuinfo``; empty elsewhere)."""
    # /proc/cpuinfo reports SSE3 as "pni" (Prescott New Instructions).
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return set()
    for line in text.splitlines():
        if line.startswith("flags"):
            flags = set(line.split(":", 1)[1].split())
            return flags | ({"sse3"} if "pni" in flags else set())
    return set()


def kernel_in_use() -> str:
    """The kernel numpy's OpenBLAS runs in this process (``'unknown'`` if it cannot be asked)."""
    import numpy

    for lib in sorted(glob.glob(os.path.join(os.path.dirname(numpy.__file__) + ".libs", "*openblas*"))):
        handle = ctypes.CDLL(lib)
        for symbol in (
            "scipy_openblas_get_corename64_",
            "scipy_openblas_get_corename",
            "openblas_get_corename",
        ):
            if hasattr(handle, symbol):
                fn = getattr(handle, symbol)
                fn.restype = ctypes.c_char_p
                return str(fn().decode())
    try:  # another OpenBLAS (a distribution's numpy): threadpoolctl knows its architecture
        from threadpoolctl import threadpool_info

        return next(str(i.get("architecture")) for i in threadpool_info() if i["internal_api"] == "openblas")
    except (ImportError, StopIteration):
        return "unknown"


def effective_kernel(name: str | None) -> str:
    """The kernel OpenBLAS actually runs when ``OPENBLAS_CORETYPE=name`` (``None``: unset)."""
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_CORETYPE"}
    if name is not None:
        env["OPENBLAS_CORETYPE"] = name
    out = subprocess.run(
        [sys.executable, __file__, "--in-use"], env=env, capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


def runnable_kernels() -> dict[str, str]:
    """Each kernel name this CPU can run, mapped to the kernel OpenBLAS really uses for it.

    Names that fall back to a kernel already listed are left out, so every value differs.
    Empty on a CPU that is not x86-64.
    """
    if platform.machine().lower() not in {"x86_64", "amd64"}:
        return {}
    flags = cpu_flags()
    out: dict[str, str] = {}
    for name, needs in X86_KERNELS.items():
        if set(needs) <= flags:
            real = effective_kernel(name)
            if real not in out.values():
                out[name] = real
    return out


def other_kernel() -> tuple[str | None, str]:
    """The kernel `make nbval` should run under, and why (``None``: run as is)."""
    preset = os.environ.get("OPENBLAS_CORETYPE")
    if preset:
        return None, f"OPENBLAS_CORETYPE={preset} is preset: kept (never overridden), no other kernel tried"
    default = effective_kernel(None)
    runnable = runnable_kernels()
    for name in OTHER_PREFERENCE:
        if name in runnable and runnable[name] != default:
            return name, f"OpenBLAS kernel {name} instead of this CPU's default {default}"
    return None, f"no OpenBLAS kernel other than the default ({default}) known to run on this CPU"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--other", action="store_true", help="print the kernel make nbval runs under")
    parser.add_argument("--in-use", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.in_use:
        print(kernel_in_use())
    elif args.other:
        name, why = other_kernel()
        print(f"make nbval: {why}", file=sys.stderr)
        if name:
            print(name)
    else:
        print(f"in use: {kernel_in_use()} (OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', 'unset')})")
        for name, real in runnable_kernels().items():
            print(f"runnable: OPENBLAS_CORETYPE={name}" + ("" if real == name else f" (runs {real})"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
