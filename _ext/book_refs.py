"""References to unnumbered statements read with the statement's title.

sphinx-proof resolves ``{prf:ref}`label``` to "<Type> <number>"; for a statement written with
``:nonumber:`` the number is empty, so the reference reads "Proposition " (a bare type and a
trailing, underlined space). Here such a reference reads as the statement's own heading does on the
page: its type and its title, "Proposition (Per-neuron speed)" (the title's math and markup kept);
an unnumbered statement without a title reads "Proposition". A reference written with an explicit
text (``{prf:ref}`the bound <label>```) keeps that text, and numbered statements are untouched.

The titles are collected when a page is read (``env.book_unnumbered_titles``: label -> the title's
nodes), and the resolution is sphinx-proof's own, with only the text of such a reference replaced:
:class:`ProofDomain` overrides sphinx-proof's domain.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx_proof.domain import ProofDomain as _SphinxProofDomain
from sphinx_proof.nodes import unenumerable_node

TITLES = "book_unnumbered_titles"


def titles(env: BuildEnvironment) -> dict[str, tuple[str, list[nodes.Node]]]:
    """label -> (docname, the title's nodes) of every unnumbered statement read so far."""
    if not hasattr(env, TITLES):
        setattr(env, TITLES, {})
    return getattr(env, TITLES)


def reference_text(realtype: str, title: list[nodes.Node]) -> list[nodes.Node]:
    """The text of a reference to an unnumbered statement: "Proposition (Its title)"."""
    from sphinx_proof.domain import translate

    words = translate(realtype.title())
    if not title or not "".join(n.astext() for n in title).strip():
        return [nodes.Text(words)]
    # (sphinx-proof's title is its proof_title_format, " (%t)" by default, parsed: it starts with
    # the separator)
    return [nodes.Text(words), *(n.deepcopy() for n in title)]


def on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    store = titles(app.env)
    for node in doctree.findall(unenumerable_node):
        label = node.get("label")
        title = next((c for c in node.children if isinstance(c, nodes.title)), None)
        if label:
            store[label] = (app.env.docname, list(title.children) if title is not None else [])


def on_env_purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    store = titles(env)
    for label in [k for k, (doc, _) in store.items() if doc == docname]:
        del store[label]


def on_env_merge_info(app: Sphinx, env: BuildEnvironment, docnames: Any, other: BuildEnvironment) -> None:
    titles(env).update({k: v for k, v in titles(other).items() if v[0] in docnames})


class ProofDomain(_SphinxProofDomain):
    """sphinx-proof's domain; a reference to an unnumbered statement reads with its title."""

    def resolve_xref(self, env, fromdocname, builder, typ, target, node, contnode):  # type: ignore[no-untyped-def]
        # (sphinx-proof writes the type and number only when the text is the bare label)
        generated = target in contnode[0]
        ref = super().resolve_xref(env, fromdocname, builder, typ, target, node, contnode)
        if ref is None or not generated:
            return ref
        entry = env.proof_list.get(target, {})  # type: ignore[attr-defined]
        if not entry.get("nonumber"):
            return ref
        _, title = titles(env).get(target, ("", []))
        inner = ref.children[0] if ref.children and isinstance(ref.children[0], nodes.inline) else ref
        del inner[:]
        inner.extend(reference_text(entry["realtype"], title))
        return ref


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx_proof")
    app.add_domain(ProofDomain, override=True)
    app.connect("doctree-read", on_doctree_read)
    app.connect("env-purge-doc", on_env_purge_doc)
    app.connect("env-merge-info", on_env_merge_info)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
