"""The package's two shared type aliases.

* ``Array``: every array that :mod:`lazylib` returns or stores is NumPy float64 (design: "Everything
  is NumPy float64").
* ``Seed``: what every ``rng=`` argument accepts, as :func:`numpy.random.default_rng` does: an int
  seed, a :class:`numpy.random.Generator` (used as it is, so a caller can thread one stream through
  several calls), or ``None`` (fresh entropy).
"""

from __future__ import annotations

from typing import TypeAlias

import numpy as np
from numpy.typing import NDArray

__all__ = ["Array", "BoolArray", "IntArray", "Seed"]

#: A NumPy float64 array (every array the package returns or stores).
Array: TypeAlias = NDArray[np.float64]
#: A NumPy boolean array (masks such as "inside the ball").
BoolArray: TypeAlias = NDArray[np.bool_]
#: A NumPy int64 array (counts, indices).
IntArray: TypeAlias = NDArray[np.int64]
#: What every ``rng=`` argument accepts: an int seed, a Generator or ``None``.
Seed: TypeAlias = int | np.random.Generator | None
