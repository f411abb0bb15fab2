"""pytest fixtures of the lazylib unit tests (the factories they use live in ``factories.py``)."""

from __future__ import annotations

import numpy as np
import pytest
from factories import make_problem

from lazylib.models import ShallowNet


@pytest.fixture
def problem() -> tuple[ShallowNet, np.ndarray, np.ndarray]:
    """A centred tanh net of width 8 on 5 unit inputs in R³ (p = 24 ≥ n)."""
    return make_problem()
