"""Sphinx extension: keep every page free of assets that could reach another host.

jupyter-book 1.x always loads ``sphinx_thebe``. With launch buttons off the Thebe assets are dead
weight, and harmful: the inline script declaring ``THEBE_JS_URL`` (an unpkg.com address) is added twice
(once per ``env-before-read-docs``), which throws "Identifier 'THEBE_JS_URL' has already been declared"
in the browser console. This extension removes the Thebe script and stylesheet from every page.
"""

from __future__ import annotations

from sphinx.application import Sphinx


def _is_thebe(asset: object) -> bool:
    filename = str(getattr(asset, "filename", "") or "")
    body = str(getattr(asset, "attributes", {}).get("body", "") or "")
    return "thebe" in filename or "THEBE_JS_URL" in body


def _drop_thebe_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [asset for asset in context[key] if not _is_thebe(asset)]


def setup(app: Sphinx) -> dict:
    # Run after the other extensions have added their assets to the page context.
    app.connect("html-page-context", _drop_thebe_assets, priority=900)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
