"""Input checks of the presentation layer: the plotting functions' arguments.

Every ``plot_<what>(ax, result)`` draws a result of the numerics. Given a result from another page,
``None`` or its arguments swapped, it must fail at once naming the argument, not with an
``AttributeError`` deep inside matplotlib or the result. :func:`checked` does that from the
function's own type hints, with the numerics' helper (:func:`lazylib._checks.check_instance`).
"""

from __future__ import annotations

import functools
import inspect
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ParamSpec, TypeVar

import numpy as np

from .._checks import check_instance

__all__ = ["check_index", "check_indices", "check_member", "checked"]

_P = ParamSpec("_P")
_R = TypeVar("_R")


def check_index(value: Any, size: int, name: str) -> int:
    """``value`` as an index into ``size`` items (``0 <= value < size``; no negative or bool index),
    else ``ValueError`` naming ``name``."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | np.integer):
        raise ValueError(f"{name} must be an integer index, got {value!r}")
    if not 0 <= value < size:
        raise ValueError(f"{name} must be an index in 0..{size - 1}, got {value}")
    return int(value)


def check_indices(values: Any, size: int, name: str) -> list[int]:
    """A sequence of indices into ``size`` items (each as :func:`check_index`), as a list."""
    if isinstance(values, str | bytes) or not isinstance(values, Sequence | np.ndarray):
        raise ValueError(f"{name} must be a sequence of integer indices, got {values!r}")
    return [check_index(v, size, f"{name}[{c}]") for c, v in enumerate(values)]


def check_member(value: Any, grid: Any, name: str) -> int:
    """The index of ``value`` in the 1-D ``grid`` (a width, a size of a sweep), else ``ValueError``
    naming ``name`` and listing the grid."""
    values = np.asarray(grid).ravel()
    try:
        hits = np.flatnonzero(values == value)
    except (TypeError, ValueError):  # numpy could not compare them
        hits = np.empty(0, dtype=np.int64)
    if isinstance(value, bool | np.bool_) or hits.size == 0:
        raise ValueError(f"{name} must be one of {values.tolist()}, got {value!r}")
    return int(hits[0])


def _checker(hint: Any, name: str) -> Callable[[Any], None] | None:
    """A check of one argument against its type hint, or None where the hint names no class to check
    (array-likes, numbers, strings: the function's own checks or numpy's handle those)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(hint)
        if type(None) in options:
            rest = [h for h in options if h is not type(None)]
            if len(rest) == 1:
                inner = _checker(rest[0], name)
                if inner is None:
                    return None
                return lambda v: None if v is None else inner(v)
        return None
    if origin in (Mapping, dict) or origin is typing.Mapping:
        args = typing.get_args(hint)
        value_type = args[1] if len(args) == 2 else None
        if not (isinstance(value_type, type) and value_type.__module__.startswith("lazylib")):
            return None

        def check_mapping(v: Any) -> None:
            if not isinstance(v, Mapping):
                raise TypeError(f"{name} must be a mapping to {value_type.__name__}, got {type(v).__name__}")
            for key, item in v.items():
                check_instance(item, value_type, f"{name}[{key!r}]")

        return check_mapping
    if origin in (Sequence, list, tuple) or origin is typing.Sequence:
        args = typing.get_args(hint)
        item_type = args[0] if args else None
        if not (isinstance(item_type, type) and item_type.__module__.startswith("lazylib")):
            return None

        def check_sequence(v: Any) -> None:
            if isinstance(v, str | bytes | Mapping) or not isinstance(v, Sequence):
                raise TypeError(f"{name} must be a sequence of {item_type.__name__}, got {type(v).__name__}")
            for c, item in enumerate(v):
                check_instance(item, item_type, f"{name}[{c}]")

        return check_sequence
    if hint is bool:

        def check_bool(v: Any) -> None:
            if not isinstance(v, bool | np.bool_):
                raise ValueError(f"{name} must be True or False, got {v!r}")

        return check_bool
    if isinstance(hint, type) and (hint.__module__.startswith(("lazylib", "matplotlib"))):
        return lambda v: check_instance(v, hint, name)
    return None


def checked(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Decorate a plotting function: each argument hinted as a matplotlib class (``Axes``, ``Figure``)
    or as a result class of :mod:`lazylib` (alone, optional, or as a ``Sequence``/``Mapping`` of them)
    is checked with :func:`lazylib._checks.check_instance` before the function runs (``TypeError``
    naming it), and each argument hinted ``bool`` must be a bool (``ValueError``: a flag given
    ``"no"`` or NaN would otherwise count as true)."""
    hints = typing.get_type_hints(func)
    signature = inspect.signature(func)
    checks = {
        name: check
        for name in signature.parameters
        if name in hints and (check := _checker(hints[name], name)) is not None
    }

    @functools.wraps(func)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        bound = signature.bind(*args, **kwargs)
        for name, value in bound.arguments.items():
            if name in checks:
                checks[name](value)
        return func(*args, **kwargs)

    return wrapper
