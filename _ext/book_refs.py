"""References to unnumbered statements read with the statement's title.

sphinx-proof resolves ``{prf:ref}`label``` to "<Type> <number>"; for a statement written with
``:nonumber:`` the number is empty, so the reference reads "Proposition " (a bare type and a
trailing, underlined space). Here such a reference reads as the statement's own heading does on the
page: its type and its title, "Proposition (Per-neuron speed)" (the title's math and markup kept);
an unnumbered statement without a title reads "Proposition". A reference written with an explicit
text (``{prf:ref}`the bound <label>```) keeps that text, and numbered statements are untouched.

The titles are collected when a page is read, into sphinx-proof's own entry of the statement
(``env.proof_list[label]["title_nodes"]``: sphinx-proof purges and merges it with the page), and the
resolution is sphinx-proof's own, with only the text of such a reference replaced:
:class:`ProofDomain` overrides sphinx-proof's domain.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx_proof.domain import ProofDomain as _SphinxProofDomain
from sphinx_proof.domain import translate
from sphinx_proof.nodes import unenumerable_node


def on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    for node in doctree.findall(unenumerable_node):
        entry = app.env.proof_list.get(node.get("label"))  # type: ignore[attr-defined]
        if entry is not None:
            title = next((c for c in node.children if isinstance(c, nodes.title)), None)
            entry["title_nodes"] = list(title.children) if title is not None else []


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
        title = entry.get("title_nodes", [])
        inner = ref.children[0] if ref.children and isinstance(ref.children[0], nodes.inline) else ref
        del inner[:]
        inner += nodes.Text(translate(entry["realtype"].title()))
        if "".join(n.astext() for n in title).strip():  # (the title, " (%t)": it starts with a space)
            inner.extend(n.deepcopy() for n in title)
        return ref


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx_proof")
    app.add_domain(ProofDomain, override=True)
    app.connect("doctree-read", on_doctree_read)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 2}
