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
"""

from __future__ import annotations

import string
from collections import Counter
from collections.abc import Iterable, Iterator
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


def setup(app: Any) -> dict[str, Any]:
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
