"""Shared by the benchmark scripts: what BLAS the run used (run them directly, from the repo root)."""

from __future__ import annotations

import os


def blas_info() -> str:
    """The BLAS libraries numpy loaded (via threadpoolctl when installed) and the OPENBLAS env settings."""
    env = {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in os.environ}
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return f"threadpoolctl not installed; OPENBLAS env: {env or 'unset'}"
    rows = [
        f"{i['internal_api']} {i['version']} {i.get('architecture', '?')} threads={i['num_threads']}"
        for i in threadpool_info()
        if i["user_api"] == "blas"
    ]
    return "; ".join(rows) + f"; OPENBLAS env: {env or 'unset'}"
