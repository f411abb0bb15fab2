"""Accessibility fixes of the HTML that Sphinx and docutils write (issue 15; tests/site runs axe-core).

* Bibliography entries: docutils writes each citation as ``role="doc-biblioentry"`` inside a
  ``role="list"`` container. ARIA 1.3 deprecates that role, so axe-core reads the list as holding no
  list item but bare links (a *critical* ``aria-required-children`` violation on the references page).
  Each entry becomes ``role="listitem"``.

Link contrast on the tinted theorem and exercise boxes is fixed in CSS (``_static/a11y.css``).
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

DEPRECATED_ENTRY = 'role="doc-biblioentry"'


def fix_page(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    body = context.get("body")
    if isinstance(body, str) and DEPRECATED_ENTRY in body:
        context["body"] = body.replace(DEPRECATED_ENTRY, 'role="listitem"')


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", fix_page)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
