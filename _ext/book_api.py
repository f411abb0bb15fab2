"""Sphinx extension: resolve the type names in ``lazylib``'s signatures on the API page.

Two kinds of names in the signatures autodoc renders have no documented target of their own:

* the package's type aliases (``Array``, ``BoolArray``, ``IntArray``, ``Seed`` of
  :mod:`lazylib._types`). ``autodoc_type_aliases`` keeps them as names, but where a signature
  cannot be evaluated (``Array | None`` with an alias), autodoc leaves the bare name;
* the aliases' own entries, which are data (``py:data``), not classes: an annotation's
  reference asks for a class;
* classes re-exported by another module, e.g. ``Explorer`` in :mod:`lazylib.viz`, which is
  documented once, in :mod:`lazylib.viz.explorer`.

Both are resolved here to the one place they are documented: an alias to its entry in
:mod:`lazylib._types`, a re-exported class to its defining module. Nothing else is touched, so a
reference that is really wrong still fails the nitpicky (``-n -W``) build. It also turns the
``nitpick_ignore`` pairs of ``_config.yml`` into tuples (see :func:`_tuples`).
"""

from __future__ import annotations

import importlib
import inspect

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment

ALIASES = ("Array", "BoolArray", "IntArray", "Seed")


def _canonical(module: str | None, target: str) -> str | None:
    """``module.qualname`` of the class that ``target`` names (as seen from ``module``)."""
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
        if inspect.isclass(obj) and obj.__module__.startswith("lazylib"):
            return f"{obj.__module__}.{obj.__qualname__}"
    return None


def _resolve(app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: nodes.TextElement):
    if node.get("refdomain") != "py" or node.get("reftype") not in ("class", "obj"):
        return None
    canonical = _canonical(node.get("py:module"), node["reftarget"])
    if canonical is None:
        return None
    domain = env.get_domain("py")
    return domain.resolve_xref(env, node["refdoc"], app.builder, "obj", canonical, node, contnode)


def _tuples(app: Sphinx, config: Config) -> None:
    """``nitpick_ignore`` pairs as tuples: YAML (``_config.yml``) gives lists, which Sphinx's
    ``(type, target) in nitpick_ignore`` test never matches."""
    config.nitpick_ignore = [tuple(pair) for pair in config.nitpick_ignore]
    config.nitpick_ignore_regex = [tuple(pair) for pair in config.nitpick_ignore_regex]


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _tuples)
    app.connect("missing-reference", _resolve)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
