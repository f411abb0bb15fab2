"""Sphinx extension: references to ``lazylib`` on the API page resolve where the name is documented.

Names without a documented target of their own, resolved here to the one place they are documented:

* the package's type aliases (``Array``, ``BoolArray``, ``IntArray``, ``Seed``): ``autodoc_type_aliases``
  keeps them as names, and where a signature cannot be evaluated autodoc leaves the bare name; an
  annotation asks for a class, the alias's entry in :mod:`lazylib._types` is data;
* a class or function named by a path that re-exports it (``lazylib.viz.Explorer``, a name moved to
  another module and still importable from its old public path): the reference goes to the object's
  defining module (``obj.__module__``), so a docstring's reference survives a move.

A reference to anything else that does not exist still fails the nitpicky (``-n -W``) build. The
external types that have no target offline are the one reviewed list ``nitpick_ignore_regex`` of
``_config.yml`` (nothing of lazylib in it; ``tests/test_book_ext.py`` checks).
"""

from __future__ import annotations

import importlib
import inspect

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

ALIASES = ("Array", "BoolArray", "IntArray", "Seed")


def _canonical(module: str | None, target: str) -> str | None:
    """``module.qualname`` where the class or function that ``target`` names (seen from ``module``)
    is defined, or the alias's entry in :mod:`lazylib._types`; None outside lazylib."""
    head, _, name = target.rpartition(".")
    if name in ALIASES and (not head or head.startswith("lazylib")):
        return f"lazylib._types.{name}"
    for modname in filter(None, (f"{module}.{head}".rstrip(".") if module else None, head)):
        if not modname.startswith("lazylib"):
            continue
        try:
            obj = getattr(importlib.import_module(modname), name)
        except (ImportError, AttributeError):
            continue
        if (inspect.isclass(obj) or inspect.isfunction(obj)) and obj.__module__.startswith("lazylib"):
            return f"{obj.__module__}.{obj.__qualname__}"
    return None


def _resolve(app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: nodes.TextElement):
    if node.get("refdomain") != "py" or node.get("reftype") not in ("class", "func", "obj"):
        return None
    canonical = _canonical(node.get("py:module"), node["reftarget"])
    if canonical is None:
        return None
    domain = env.get_domain("py")
    return domain.resolve_xref(env, node["refdoc"], app.builder, "obj", canonical, node, contnode)


def setup(app: Sphinx) -> dict:
    app.connect("missing-reference", _resolve)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
