"""Accessibility fixes of the HTML that Sphinx and docutils write (issue 15; tests/site runs axe-core).

* Bibliography entries: docutils writes each citation as ``role="doc-biblioentry"`` inside a
  ``role="list"`` container. ARIA 1.3 deprecates that role, so axe-core reads the list as holding no
  list item but bare links (a *critical* ``aria-required-children`` violation on the references page).
  Each entry becomes ``role="listitem"``.

* Accessible names that hide the visible text (axe-core's ``label-content-name-mismatch``, WCAG 2.5.3,
  level A; an experimental rule in the axe bundled with ``axe-playwright-python``, enabled by the site
  test): a speech-input user says what they see. The theme's search field (visible "Search Ctrl+K")
  was labelled "Search", every folded cell's ``<summary>`` (visible "Show code cell source") "Toggle
  hidden content". The label goes, so the name is the visible text; buttons that show only an icon
  keep theirs. The colour-mode button's icons lose their titles (Font Awesome makes each an SVG
  ``<title>``, text the button's name "Color mode" does not contain). These are in the theme's and
  myst-nb's templates, not in the page body.

All are fixed in the written HTML files when the build finishes.

Link contrast on the tinted theorem and exercise boxes is fixed in CSS (``_static/a11y.css``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

#: (old, new) in the written HTML (see the module docstring).
FIXES = (
    ('role="doc-biblioentry"', 'role="listitem"'),
    # ``aria-label`` attributes that override a visible text
    ('<summary aria-label="Toggle hidden content">', "<summary>"),
    (
        '<button class="btn search-button-field search-button__button pst-js-only" title="Search" '
        'aria-label="Search"',
        '<button class="btn search-button-field search-button__button pst-js-only" title="Search"',
    ),
    # the colour-mode button (named "Color mode"): Font Awesome turns each icon's title into an SVG
    # <title>, text inside the button that its name does not contain
    ('data-mode="light" title="Light"', 'data-mode="light"'),
    ('data-mode="dark"  title="Dark"', 'data-mode="dark"'),
    ('data-mode="auto"  title="System Settings"', 'data-mode="auto"'),
)


def fix_html(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for path in Path(app.outdir).rglob("*.html"):
        text = original = path.read_text(encoding="utf-8")
        for old, new in FIXES:
            text = text.replace(old, new)
        if text != original:
            path.write_text(text, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("build-finished", fix_html)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
