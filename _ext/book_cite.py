"""One citation style, author–year, in the text and in the bibliography (site and PDF).

sphinxcontrib-bibtex cites author–year in the text (``bibtex_reference_style: author_year``:
"Chizat et al. [2019]", "[Chizat et al., 2019]"), but its formatting styles label the bibliography's
entries with numbers ("[1]"). The ``authoryear`` formatting style registered here is pybtex's
``unsrt`` with

* labels that are the parenthetical citation's text: "Telgarsky, 2021", "Cho and Saul, 2009",
  "Chizat et al., 2019" (one, two, or the first author and "et al."), made distinct by a letter when
  two entries would share one ("Tropp, 2012a");
* entries sorted by author, then year, then title (pybtex's ``author_year_title`` sorting).

``_config.yml`` selects it: ``bibtex_default_style: authoryear``. The plugins are registered when
Sphinx loads this extension, before sphinxcontrib-bibtex looks the style up (at the first
``{bibliography}``).

**Citations in JupyterLab.** jupyterlab-myst has no bibliography: every ``{cite}`` role renders as its
key with a "Citation Not Found" mark. So a notebook's citations are written as Markdown links that
carry the author–year text, which JupyterLab shows as they are (a link to the references page), and
that this extension turns back into the roles as each page is read (``source-read``), so the site and
the PDF cite as before (sphinxcontrib-bibtex: the linked citation, the bibliography's entry)::

    ([Chizat et al., 2019](../book/references.md#chizat2019lazy))   is read as   {cite:p}`chizat2019lazy`
    [Chizat et al. (2019)](../book/references.md#chizat2019lazy)     is read as   {cite:t}`chizat2019lazy`

``_ext/lab_myst.py`` writes the links from the roles (:func:`cite_link`); reading them back checks
that the text is the entry's label (:func:`link_roles`), so a link can never show a stale label.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from pybtex.plugin import register_plugin
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels import BaseLabelStyle

STYLE = "authoryear"


def last_name(person: Any) -> str:
    """A person's last name(s) as plain text (LaTeX accents and braces decoded: "Schölkopf")."""
    return " ".join(part.render_as("text") for part in person.rich_last_names).strip()


def author_year(entry: Any) -> str:
    """The parenthetical citation's text of an entry: "Chizat et al., 2019"."""
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [last_name(p) for p in persons]
    if not names:
        who = entry.fields.get("title", entry.key)
    elif len(names) == 1:
        who = names[0]
    elif len(names) == 2:
        who = f"{names[0]} and {names[1]}"
    else:
        who = f"{names[0]} et al."
    year = entry.fields.get("year", "n.d.")
    return f"{who}, {year}"


class AuthorYearLabels(BaseLabelStyle):
    """Labels "Author, year" / "Author and Author, year" / "Author et al., year", made distinct."""

    def format_labels(self, sorted_entries: Iterable[Any]) -> Iterator[str]:
        entries = list(sorted_entries)
        labels = [author_year(e) for e in entries]
        counts = Counter(labels)
        seen: Counter[str] = Counter()
        for label in labels:
            if counts[label] > 1:
                yield label + string.ascii_lowercase[seen[label]]
                seen[label] += 1
            else:
                yield label


class AuthorYearStyle(UnsrtStyle):
    """pybtex's unsrt entries, with author–year labels, sorted by author, year and title."""

    default_label_style = STYLE
    default_sorting_style = "author_year_title"


register_plugin("pybtex.style.labels", STYLE, AuthorYearLabels)
register_plugin("pybtex.style.formatting", STYLE, AuthorYearStyle)


# ------------------------------------------------------------------------------ citations as links
#: The references page, as a notebook in notebooks/ links to it.
REFERENCES = "../book/references.md"
#: A citation written as a link: ``([label](REFERENCES#key))`` (parenthetical) or
#: ``[Who (year)](REFERENCES#key)`` (textual).
_LINK = re.compile(
    r"(?P<open>\()?\[(?P<text>[^\[\]]+)\]\(" + re.escape(REFERENCES) + r"#(?P<key>[\w:.-]+)\)(?(open)\))"
)
#: A citation role with one key.
_ROLE = re.compile(r"\{cite(?::(?P<kind>[pt]))?\}`(?P<key>[^`]*)`")


@cache
def bib_labels(bibfile: Path) -> dict[str, str]:
    """``key -> "Chizat et al., 2019"`` for every entry of ``bibfile``: the bibliography's labels.

    The entries are sorted and labelled as :class:`AuthorYearStyle` does, so the letters that make two
    labels distinct ("Tropp, 2012a") are the bibliography's.
    """
    from pybtex.database import parse_file

    style = AuthorYearStyle()
    entries = style.sort(parse_file(str(bibfile)).entries.values())
    labels = AuthorYearLabels().format_labels(entries)
    return {entry.key: label for entry, label in zip(entries, labels, strict=True)}


def cite_link(key: str, textual: bool, labels: dict[str, str]) -> str:
    """The Markdown link that stands for ``{cite:t}`key``` (``textual``) or ``{cite:p}`key```."""
    if key not in labels:
        raise ValueError(f"key {key!r} is not in the bibliography")
    who, year = labels[key].rsplit(", ", 1)
    return f"[{who} ({year})]({REFERENCES}#{key})" if textual else f"([{labels[key]}]({REFERENCES}#{key}))"


def role_links(text: str, labels: dict[str, str]) -> str:
    """Every ``{cite}``/``{cite:p}``/``{cite:t}`` role of ``text`` as its link (one key per role)."""

    def replace(match: re.Match[str]) -> str:
        keys = [k.strip() for k in match.group("key").split(",")]
        if len(keys) != 1:
            raise ValueError(f"{match.group(0)}: cite one key per role (the links carry one each)")
        return cite_link(keys[0], match.group("kind") == "t", labels)

    return _ROLE.sub(replace, text)


def link_roles(text: str, labels: dict[str, str], where: str = "") -> str:
    """Every citation link of ``text`` back as its role; a link whose text is not the label raises."""

    def replace(match: re.Match[str]) -> str:
        key, textual = match.group("key"), match.group("open") is None
        if key not in labels:
            raise ValueError(f"{where}: {match.group(0)!r}: no entry {key!r} in the bibliography")
        want = cite_link(key, textual, labels)
        if match.group(0) != want:
            raise ValueError(
                f"{where}: citation link {match.group(0)!r} should read {want!r} "
                "(run python -m _ext.lab_myst)"
            )
        return f"{{cite:{'t' if textual else 'p'}}}`{key}`"

    return _LINK.sub(replace, text)


def _source_read(app: Any, docname: str, source: list[str]) -> None:
    if REFERENCES not in source[0]:
        return
    bibfiles = [Path(app.srcdir) / f for f in app.config.bibtex_bibfiles]
    labels = {k: v for f in bibfiles for k, v in bib_labels(f).items()}
    source[0] = link_roles(source[0], labels, docname)


def setup(app: Any) -> dict[str, Any]:
    # before other source-read handlers (book_slides reads the roles)
    app.connect("source-read", _source_read, priority=400)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
