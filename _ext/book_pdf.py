"""The PDF edition: the book and each section as LaTeX documents, and links to them from the site.

LaTeX builder (``make pdf``: ``jupyter-book build . --builder latex``, then ``python -m _ext.build_pdf``):
the documents (:func:`on_env_updated`: the whole book, ``lazy-training.tex``, with parts and chapters
from the table of contents; one ``howto`` per section notebook, ending with the bibliography; the API
reference, ``api.pdf``, left out of the book), with Sphinx's ``manual``/``howto`` classes, not
sphinx-jupyterbook-latex's ``jupyterBook`` (it needs ``bbm``, TikZ and pgfplots); the preamble,
``latex/lazybook.sty`` and ``latex/lazybookfonts.sty`` and what is generated (the macros of
``mathjax3_config``, the one place they are defined; fallbacks for the characters the fonts lack);
numbers, labels, proof titles, solutions and display formulas as the post-transforms below say; text
for one edition (:func:`edition_div`). Plain LaTeX settings (paper, no index) are in ``_config.yml``.

HTML builder: when ``make pdf`` has put the PDFs in ``_build/pdf``, they are copied to the site's
``_static/pdf`` and every page's download menu links to its section's PDF and to the book's (the root
page also gets a line linking the book). With no PDFs built the site has no such link to dangle.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import texescape

BOOK = "lazy-training"  # the whole book: lazy-training.tex / .pdf
SECTIONS = "notebooks/"  # a document per page under notebooks/
REFERENCES = "book/references"  # the page holding the {bibliography}
API = "book/api"  # the API reference: its own PDF (api.pdf), not part of the book's
PDF_DIR = Path(__file__).resolve().parents[1] / "_build" / "pdf"  # where `make pdf` puts the PDFs


def standalone(docname: str) -> bool:
    """A page with a PDF of its own: a section, or the API reference (which the book leaves out)."""
    return docname.startswith(SECTIONS) or docname == API


def pdf_name(docname: str) -> str:
    """The PDF holding ``docname`` on its own (a section, the API reference) or else the book."""
    return (docname.rsplit("/", 1)[-1] if standalone(docname) else BOOK) + ".pdf"


LEVELS = ("section", "subsection", "subsubsection")  # LaTeX's heading levels of a section's PDF


def page_number(env: Any, docname: str) -> int | None:
    """The page's number on the site (``_toc.yml``'s ``numbered``), or None for an unnumbered page."""
    number = env.toc_secnumbers.get(docname, {}).get("")
    return int(number[0]) if number else None


# ============================================================================ LaTeX: the preamble
def latex_macros(macros: dict[str, Any]) -> str:
    r"""``\newcommand`` s for MathJax's ``tex.macros`` (``name: body`` or ``name: [body, nargs]``); a
    name LaTeX already uses (``\u``, ``\v``) keeps its text meaning and gets the macro's in math only."""
    lines = [r"\makeatletter"]
    for name, spec in macros.items():
        body, nargs = (spec[0], int(spec[1])) if isinstance(spec, (list, tuple)) else (spec, 0)
        if not re.fullmatch(r"[A-Za-z]+", name):
            raise ValueError(f"mathjax3_config macro name {name!r} is not a LaTeX control word")
        args = f"[{nargs}]" if nargs else ""
        text, math = f"\\lazy@text@{name}", f"\\lazy@math@{name}"
        redefine = (
            f"\\let{text}\\{name}\\newcommand{{{math}}}{args}{{{body}}}"
            f"\\protected\\def\\{name}{{\\ifmmode\\expandafter{math}\\else\\expandafter{text}\\fi}}"
        )
        lines.append(f"\\@ifundefined{{{name}}}{{\\newcommand{{\\{name}}}{args}{{{body}}}}}{{{redefine}}}")
    lines.append(r"\makeatother")
    return "\n".join(lines) + "\n"


#: The preamble and the fonts, LaTeX packages copied next to each document (the macros and the glyph
#: fallbacks are generated below: they depend on ``_config.yml`` and on the sources).
LATEX_DIR = Path(__file__).resolve().parent / "latex"
PREAMBLE, FONTS = "lazybook", "lazybookfonts"


# The font files of lazybookfonts.sty (code, text, sans), read to find the characters each lacks.
FONT_FILES = {"tt": "DejaVuSansMono.ttf", "rm": "FreeSerif.otf", "sf": "FreeSans.otf"}
FALLBACK_FONTS = ["DejaVuSans.ttf", "FreeSerif.otf", "DejaVuSerif.ttf", "FreeSans.otf"]


def font_chars(filename: str) -> set[int] | None:
    """The code points of an installed font file (Debian's fonts-*), or None if there is none."""
    from fontTools.ttLib import TTFont

    found = next(Path("/usr/share/fonts").rglob(filename), None)
    if found is None:
        return None
    with TTFont(found, lazy=True) as font:
        return set(font.getBestCmap())


def source_chars(app: Sphinx, env: Any) -> set[str]:
    """Every non-ASCII character of the book's pages as read (text, code, outputs, API docstrings)
    and of the bibliography."""
    chars: set[str] = set()
    for doc in env.found_docs:
        chars.update(c for c in env.get_doctree(doc).astext() if ord(c) > 127)
    for bib in app.config.bibtex_bibfiles:
        chars.update(c for c in (Path(app.srcdir) / bib).read_text(encoding="utf-8") if ord(c) > 127)
    return chars


def glyph_fallbacks(chars: set[str]) -> str:
    r"""``\newunicodechar`` s for the characters that the text, sans or code font lacks: those are
    typeset in the first fallback font that has them (XeLaTeX has no automatic font fallback)."""
    have = {fam: font_chars(name) for fam, name in FONT_FILES.items()}
    fallback = next(
        ((name, cs) for name in FALLBACK_FONTS if (cs := font_chars(name)) is not None), (None, set())
    )
    if fallback[0] is None or any(cs is None for cs in have.values()):
        return ""
    lines = []
    for c in sorted(chars):
        cp = ord(c)
        missing = {fam: cp not in (cs or set()) for fam, cs in have.items()}
        # (no-break space is Sphinx's; a combining mark must stay in its base letter's font)
        if cp == 0xA0 or unicodedata.combining(c) or not any(missing.values()):
            continue
        if cp in fallback[1]:
            flags = "".join("1" if missing[f] else "0" for f in ("tt", "rm", "sf"))
            lines.append(f'\\newunicodechar{{{c}}}{{\\lazy@glyph{{"{cp:04X}}}{flags}}}')
    if not lines:
        return ""
    name, ext = fallback[0].rsplit(".", 1)
    return (
        "\\usepackage{newunicodechar}\n"
        f"\\newfontfamily\\lazyfallback{{{name}}}[Extension=.{ext}, Scale=MatchLowercase]\n"
        "\\makeatletter\n" + "\n".join(lines) + "\n\\makeatother\n"
    )


def on_config_inited(app: Sphinx, config: Config) -> None:
    """After sphinx-jupyterbook-latex (priority 500): our class, preamble and documents."""
    # A config value of the HTML build: pages are rewritten when the PDFs appear or disappear.
    config["book_pdfs"] = sorted(p.name for p in PDF_DIR.glob("*.pdf"))
    config["latex_theme"] = "manual"
    elements = config["latex_elements"]
    macros = (config["mathjax3_config"] or {}).get("tex", {}).get("macros", {})
    preamble = f"\\usepackage{{{PREAMBLE}}}\n" + latex_macros(macros)
    elements["preamble"] = elements.get("preamble", "") + preamble
    elements["fontpkg"] = f"\\usepackage{{{FONTS}}}\n"
    config["latex_additional_files"] = [
        *config["latex_additional_files"],
        *(str(LATEX_DIR / f"{name}.sty") for name in (PREAMBLE, FONTS)),
    ]


def on_env_updated(app: Sphinx, env: Any) -> None:
    """The documents, once the titles are known: the book, one per section (titled with the page's
    number, as on the site: "5. Lemma 8.1: ..."), and the API reference; the fallback font for the
    characters of the sources that the book's fonts lack."""
    if app.builder.format != "latex":
        return
    title, author = app.config.html_title or app.config.project, app.config.author
    root = app.config.root_doc
    docs = [(root, f"{BOOK}.tex", title, author, "manual")]
    for doc in sorted(filter(standalone, env.found_docs), key=lambda d: (d == API, d)):  # (API last)
        number = page_number(env, doc)
        title = (f"{number}. " if number else "") + env.titles[doc].astext()
        title = texescape.escape(title, app.config.latex_engine)
        docs.append((doc, f"{pdf_name(doc)[:-4]}.tex", title, author, "howto"))
    app.config.latex_documents = docs
    app.builder.context["preamble"] += glyph_fallbacks(source_chars(app, env))  # type: ignore[attr-defined]


def on_builder_inited(app: Sphinx) -> None:
    """A reference from a section document to another page resolves (with its title) instead of
    becoming its bare label: Sphinx's LaTeX builder refuses a URI for a page outside the document;
    here such a page gets ``%docname``, which :class:`DistantLinks` turns into a link to its PDF.
    The book leaves the API reference out (it has its own PDF): the book's table of contents loses
    that entry while the builder assembles the book."""
    builder = app.builder
    if builder.format != "latex":
        return

    def get_target_uri(docname: str, typ: str | None = None) -> str:
        return "%" + docname

    builder.get_target_uri = get_target_uri  # type: ignore[method-assign]

    assemble = builder.assemble_doctree  # type: ignore[attr-defined]
    env = builder.env

    def assemble_doctree(indexfile: str, toctree_only: bool, appendices: list[str]) -> Any:
        if indexfile != app.config.root_doc:
            return assemble(indexfile, toctree_only, appendices)
        get_doctree = env.get_doctree

        def without_api(docname: str) -> nodes.document:
            tree = get_doctree(docname)
            for toctree in tree.findall(addnodes.toctree):
                toctree["entries"] = [(t, d) for t, d in toctree["entries"] if d != API]
                toctree["includefiles"] = [d for d in toctree["includefiles"] if d != API]
            return tree

        env.get_doctree = without_api  # type: ignore[method-assign]
        try:
            return assemble(indexfile, toctree_only, appendices)
        finally:
            del env.get_doctree  # (the instance attribute; the method is the class's again)

    builder.assemble_doctree = assemble_doctree  # type: ignore[attr-defined]


# ============================================================================ LaTeX: per document
class SectionDocument(SphinxPostTransform):
    """Before the bibliography transforms: a section document gets the references' bibliography,
    and every document gets fresh citation nodes (sphinxcontrib-bibtex fills the same node objects
    for each document it formats)."""

    default_priority = 1
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        from sphinxcontrib.bibtex.nodes import bibliography

        domain = self.env.get_domain("cite")
        # (not env.temp_data: the builder resets it after each document)
        pristine = self.app.__dict__.setdefault("_book_pdf_citations", {})
        for key, value in domain.bibliographies.items():  # type: ignore[attr-defined]
            saved = pristine.setdefault(key, {k: n.deepcopy() for k, n in value.citation_nodes.items()})
            value.citation_nodes.clear()
            value.citation_nodes.update({k: n.deepcopy() for k, n in saved.items()})
        docname = self.document.get("docname", "")
        section = docname.startswith(SECTIONS)
        self.app.config.latex_toplevel_sectioning = "section" if standalone(docname) else "part"
        # The book's root page (its text before Part I) as an unnumbered chapter: a heading, a TOC
        # line and a running head of its own instead of the table of contents'. A section's
        # figures and tables are numbered as on the site and in the book, "5.1", "5.2", ... (its
        # headings are LaTeX's sections and subsections: no reset at any).
        number = page_number(self.env, docname) if section else None
        # (Sphinx resets them at the heading level numfig_secnum_depth gives, here subsections)
        by_page = (
            "".join(
                "".join(f"\\counterwithout{{{c}}}{{{level}}}" for level in LEVELS)
                + f"\\renewcommand{{\\the{c}}}{{{number}.\\arabic{{{c}}}}}"
                for c in ("figure", "table")
            )
            if number
            else ""
        )
        self.app.builder.context["tableofcontents"] = (  # type: ignore[attr-defined]
            "\\sphinxtableofcontents" + by_page
            if standalone(docname)
            else "\\sphinxtableofcontents\\chapter*{About this book}\\phantomsection"
            "\\addcontentsline{toc}{chapter}{About this book}"
            "\\markboth{About this book}{About this book}"
        )
        if not section or next(self.document.findall(bibliography), None):
            return
        refs = self.env.get_doctree(REFERENCES)
        for bib in refs.findall(bibliography):
            self.document += bib.deepcopy()


class DistantLinks(SphinxPostTransform):
    """A link to a page outside the document (another section, from a section; the API reference,
    from the book) becomes a link to the PDF holding it."""

    default_priority = 900
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for ref in self.document.findall(nodes.reference):
            uri = ref.get("refuri", "")
            if not uri.startswith("%"):
                continue
            target = uri[1:].split("#", 1)[0]
            if target not in self.app.builder.docnames:  # type: ignore[attr-defined]
                ref["refuri"] = pdf_name(target)


class StatementLabels(SphinxPostTransform):
    """A target before each labelled statement and exercise, so that LaTeX defines the label
    ``docname:label`` that references to it use (sphinx-proof writes ``None:label`` for a statement
    whose page it cannot find, sphinx-exercise ``exercise:label``, which ``{ref}`` misses)."""

    default_priority = 1000  # after sphinx-jupyterbook-latex sets the docnames sphinx-proof reads
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        from sphinx_proof.nodes import find_parent

        for node in list(self.document.findall(nodes.Element)):
            label = node.get("label")
            module = type(node).__module__
            if not label or node.parent is None or type(node).__name__ == "solution_node":
                continue  # (a solution's label is written by sphinx-exercise itself)
            if module.startswith("sphinx_proof") and find_parent(self.env, node, "section") is not None:
                continue  # sphinx-proof found the page and writes the right label itself
            if module.startswith(("sphinx_proof", "sphinx_exercise")):
                docname = self.page_of(node, label)
                if docname:  # (a target node would be skipped before a numbered node)
                    tex = f"\\phantomsection\\label{{\\detokenize{{{docname}:{label}}}}}"
                    node.parent.insert(node.parent.index(node), nodes.raw("", tex, format="latex"))

    def page_of(self, node: nodes.Element, label: str) -> str | None:
        registry = getattr(self.env, "sphinx_exercise_registry", {})
        if label in registry and registry[label].get("docname"):
            return registry[label]["docname"]
        proofs = getattr(self.env, "proof_list", {})
        if label in proofs and proofs[label].get("docname"):
            return proofs[label]["docname"]
        return self.env.path2doc(node.source) if node.source else None


class ProofTitles(SphinxPostTransform):
    """A proof box titled "Proof" in LaTeX, like a statement's box. sphinx-proof writes a proof as an
    untitled admonition whose text starts with "Proof. ", which LaTeX prints under an empty title bar;
    the words move into the title."""

    default_priority = 1000
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(nodes.admonition)):
            if "proof" not in node["classes"] or any(isinstance(c, nodes.title) for c in node.children):
                continue
            first = next(node.findall(nodes.Text), None)
            if first is None or not str(first).startswith("Proof. "):
                continue
            first.parent.replace(first, nodes.Text(str(first)[len("Proof. ") :]))
            node.insert(0, nodes.title("", "Proof"))


class SectionNumbers(SphinxPostTransform):
    """Headings numbered by hand on the site ("## 1. Two clocks", the lecture's pages are unnumbered)
    lose that number in LaTeX, which numbers sections itself ("9.1 1. Two clocks" otherwise)."""

    default_priority = 1000
    formats = ("latex",)
    NUMBER = re.compile(r"^\d+\.\s+")

    def run(self, **kwargs: Any) -> None:
        for title in list(self.document.findall(nodes.title)):
            if not isinstance(title.parent, nodes.section) or not title.children:
                continue
            first = title.children[0]
            if isinstance(first, nodes.Text) and self.NUMBER.match(str(first)):
                title.replace(first, nodes.Text(self.NUMBER.sub("", str(first), count=1)))


class ChapterNumbers(SphinxPostTransform):
    """The book's chapters carry the site's page numbers: a page the site numbers (the lecture and
    the pages beyond it, ``_toc.yml``) is chapter N, a page it does not number (notation,
    references, build status) is an unnumbered chapter. LaTeX would otherwise count every chapter,
    the notation page included, and figures ("Fig. 5.1", numbered within chapters) would disagree
    with the site."""

    default_priority = 1000
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        docname = self.document.get("docname", "")
        if standalone(docname):
            return
        for start in list(self.document.findall(addnodes.start_of_file)):
            page = start.get("docname")
            if page not in self.env.found_docs or start.parent is None or start.get("solutions"):
                continue  # (sphinx-jupyterbook-latex's parts are start_of_file nodes too)
            parent, index = start.parent, start.parent.index(start)
            number = page_number(self.env, page)
            if number:
                before = f"\\setcounter{{chapter}}{{{number - 1}}}"
                parent.insert(index, nodes.raw("", before, format="latex"))
            else:
                before = "\\edef\\lazysecnumdepth{\\the\\value{secnumdepth}}\\setcounter{secnumdepth}{-1}"
                after = "\\setcounter{secnumdepth}{\\lazysecnumdepth}"
                parent.insert(index + 1, nodes.raw("", after, format="latex"))
                parent.insert(index, nodes.raw("", before, format="latex"))


class FitMath(SphinxPostTransform):
    """A display formula wider than the line is scaled to the line's width (``\\lazyfitmath``)
    instead of running into the margin. Sphinx writes a display as ``equation*`` around ``split``;
    here the same formula is an ``aligned`` (same ``&`` and ``\\\\`` syntax) measured in a box.
    Displays with several blank-line-separated parts and ``nowrap`` ones (amsmath environments)
    are left to Sphinx."""

    default_priority = 1000
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(nodes.math_block)):
            text = node.astext()
            if node.get("nowrap") or len([p for p in text.split("\n\n") if p.strip()]) != 1:
                continue
            label = f"\\label{{equation:{node['docname']}:{node['label']}}}" if node.get("label") else ""
            env = "equation" if label or self.config.math_number_all else "equation*"
            tex = (
                f"\\begin{{{env}}}{label}\n\\lazyfitmath{{\\begin{{aligned}}{text.strip()}"
                f"\\end{{aligned}}}}\n\\end{{{env}}}\n"
            )
            node.replace_self(nodes.raw("", tex, format="latex"))


class LongTables(SphinxPostTransform):
    """A table with its columns set by ``{tabularcolumns}`` (the notation page's) is a ``longtable``,
    which breaks across pages: as a ``tabulary`` (Sphinx's choice up to 30 rows) a table taller than
    the rest of the page ran over the footer, its last rows lost."""

    default_priority = 1000
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for spec in self.document.findall(addnodes.tabular_col_spec):
            following = spec.next_node(nodes.table, include_self=False, descend=False, siblings=True)
            if following is not None:
                following["classes"].append("longtable")


class SolutionsAppendix(SphinxPostTransform):
    """Exercises in the text, their solutions in an appendix "Solutions" at the end of the book and
    of each section's PDF (the site keeps each solution folded after its exercise). Where a
    solution was, a line links to it ("Solution to Exercise 5.1, page 213"); the solution's title,
    "Solution to Exercise 5.1", links back to the exercise. Solutions are grouped by page."""

    # after sphinx-jupyterbook-latex arranges the book (700), before Sphinx moves the bibliography
    # to the end (750)
    default_priority = 720
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        from sphinx_exercise.nodes import exercise_enumerable_node, solution_node

        docname = self.document.get("docname", "")
        if docname == API:
            return
        registry = getattr(self.env, "sphinx_exercise_registry", {})
        boxes = {node.get("label"): node for node in self.document.findall(exercise_enumerable_node)}
        by_page: dict[str, list[nodes.Element]] = {}
        for sol in list(self.document.findall(solution_node)):
            target = registry.get(sol.get("target_label", ""), {})
            exercise, page = target.get("node"), target.get("docname")
            if exercise is None or not page or not sol.get("label"):
                continue
            numbers = self.env.toc_fignumbers.get(page, {}).get("exercise", {})
            number = ".".join(map(str, numbers.get(exercise["ids"][0], ())))
            name = f"Exercise {number}".strip()
            # Link targets in the boxes' titles (a label before a box lands on the previous page
            # when the box starts a new one, a label after its title on the next page when the
            # title ends one)
            to_solution = f"lazy-solution:{page}:{sol['label']}"
            to_exercise = f"lazy-exercise:{page}:{exercise['label']}"
            box = boxes.get(exercise["label"])
            if box is not None and box.children and isinstance(box.children[0], nodes.title):
                box.children[0] += nodes.raw("", f"\\phantomsection\\label{{{to_exercise}}}", format="latex")
            else:
                to_exercise = f"exercise:{exercise['label']}"  # (sphinx-exercise's, before the box)
            link = (
                f"\\par\\sphinxAtStartPar\\hyperref[{to_solution}]{{\\sphinxstyleemphasis{{Solution to "
                f"{name}}}}}, page~\\pageref*{{{to_solution}}}.\\par\n"
            )
            sol.replace_self(nodes.raw("", link, format="latex"))
            title = nodes.title()
            title += nodes.Text("Solution to ")
            title += nodes.raw("", f"\\hyperref[{to_exercise}]{{{name}}}", format="latex")
            title += nodes.raw("", f"\\phantomsection\\label{{{to_solution}}}", format="latex")
            if sol.children and isinstance(sol.children[0], nodes.title):
                sol.children[0] = title
                title.parent = sol
            else:
                sol.insert(0, title)
            by_page.setdefault(page, []).append(sol)
        if not by_page:
            return
        book = not standalone(docname)
        sub = "section" if book else "subsection"
        # (Sphinx's howto class has no \appendix: its sections are lettered by hand)
        start = (
            "\\appendix\n\\chapter{Solutions}\\label{solutions}\n"
            if book
            else "\\setcounter{section}{0}\\renewcommand{\\thesection}{\\Alph{section}}\n"
            "\\section{Solutions}\\label{solutions}\n"
        )
        out: list[nodes.Node] = [nodes.raw("", start, format="latex")]
        for page, sols in by_page.items():
            if book or len(by_page) > 1:
                number = page_number(self.env, page)
                title_text = (f"{number}. " if number else "") + self.env.titles[page].astext()
                text = texescape.escape(title_text, self.config.latex_engine)
                tex = f"\\{sub}*{{{text}}}\\phantomsection\\addcontentsline{{toc}}{{{sub}}}{{{text}}}\n"
                out.append(nodes.raw("", tex, format="latex"))
            # (in the page's scope, so that the LaTeX writer names its labels after the page)
            scope = addnodes.start_of_file(docname=page, solutions=True)
            scope.extend(sols)
            out.append(scope)
        self.document.extend(out)


# ============================================================================ Web-only and PDF-only text
EDITIONS = {"only-html": "html", "only-latex": "latex"}


def edition_div() -> type:
    """sphinx-design's ``div`` directive, which also takes its classes as a ``:class:`` option (the
    form jupyterlab-myst reads), and whose ``only-html`` / ``only-latex`` class makes its content
    exist in one edition only (Sphinx's ``only`` node)::

        :::{div}
        :class: only-html
        Drag its sliders: ...            (site and JupyterLab; not in the PDF)
        :::

        :::{div}
        :class: only-latex hidden
        The still shows ...              (PDF only; ``hidden`` hides it in JupyterLab)
        :::

    MyST's ``{only}`` directive would do the same in Sphinx, but jupyterlab-myst shows it as an
    "Unknown Directive" box; it renders ``{div}`` with its ``:class:``, and hides a ``hidden`` one.
    """
    from docutils.parsers.rst import directives
    from sphinx_design.extension import Div

    class EditionDiv(Div):
        option_spec: ClassVar[dict[str, Any]] = {**Div.option_spec, "class": directives.class_option}

        def run_with_defaults(self) -> list[nodes.Node]:
            classes = [
                *(directives.class_option(self.arguments[0]) if self.arguments else []),
                *self.options.pop("class", []),
            ]
            editions = [EDITIONS[c] for c in classes if c in EDITIONS]
            if len(editions) > 1:
                raise self.error(f"a div is for one edition: {' '.join(EDITIONS)}, not several")
            if editions:
                node = addnodes.only(expr=editions[0])
                self.set_source_info(node)
                self.state.nested_parse(self.content, self.content_offset, node)
                return [node]
            self.arguments = [" ".join(classes)] if classes else []
            return super().run_with_defaults()

    return EditionDiv


# ============================================================================ HTML: the links
def pdf_links_available(app: Sphinx) -> bool:
    return app.builder.format == "html" and (PDF_DIR / f"{BOOK}.pdf").is_file()


def on_html_page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    if not pdf_links_available(app):
        return
    pathto = context["pathto"]
    links = []
    section = pdf_name(pagename)
    if section != f"{BOOK}.pdf" and (PDF_DIR / section).is_file():
        links.append(("PDF of this section", section))
    links.append(("PDF of the whole book", f"{BOOK}.pdf"))
    buttons = [
        {
            "type": "link",
            "url": pathto(f"_static/pdf/{name}", 1),
            "text": text,
            "tooltip": text,
            "icon": "fas fa-file-pdf",
            "label": f"download-{'section' if name != f'{BOOK}.pdf' else 'book'}-pdf-button",
        }
        for text, name in links
    ]
    for group in context.get("header_buttons", []):
        if group.get("label") == "download-buttons":
            # replace the theme's "print to PDF" entry by the real PDFs
            group["buttons"] = [b for b in group["buttons"] if b.get("label") != "download-pdf-button"]
            group["buttons"].extend(buttons)
    if pagename == app.config.root_doc and "body" in context:
        href = pathto(f"_static/pdf/{BOOK}.pdf", 1)
        line = (
            f'<p class="book-pdf-link">The whole book is also a <a href="{href}">PDF</a>; each '
            "section's PDF is in its page's download menu.</p>\n"
        )
        body = context["body"]
        context["body"] = body.replace("</h1>", "</h1>\n" + line, 1) if "</h1>" in body else line + body


def on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or not pdf_links_available(app):
        return
    out = Path(app.outdir) / "_static" / "pdf"
    out.mkdir(parents=True, exist_ok=True)
    for pdf in PDF_DIR.glob("*.pdf"):
        shutil.copyfile(pdf, out / pdf.name)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("book_pdfs", [], "html")
    app.connect("config-inited", on_config_inited, priority=900)
    app.connect("env-updated", on_env_updated)
    app.connect("builder-inited", on_builder_inited)
    app.add_post_transform(SectionDocument)
    app.add_post_transform(DistantLinks)
    app.add_post_transform(StatementLabels)
    app.add_post_transform(ProofTitles)
    app.add_post_transform(SectionNumbers)
    app.add_post_transform(ChapterNumbers)
    app.add_post_transform(FitMath)
    app.add_post_transform(LongTables)
    app.add_post_transform(SolutionsAppendix)
    app.setup_extension("sphinx_design")
    app.add_directive("div", edition_div(), override=True)
    # after sphinx-book-theme's header buttons (priority 501)
    app.connect("html-page-context", on_html_page_context, priority=900)
    app.connect("build-finished", on_build_finished)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
