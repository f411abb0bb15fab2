"""Unit tests of the book's build machinery (``_ext``): the author–year bibliography style
(``book_cite``), the text of references to unnumbered statements (``book_refs``), the PDF edition's
one-edition ``div``, preamble files and macros (``book_pdf``), the API page's resolution of moved
names and its ignore list (``book_api``), the stored ``{eval}`` results (``book_eval``, and the
executor's checks of them), the build-status table and edition stamp (``book_versions``), the
offline and accessibility clean-ups (``book_offline``, ``book_a11y``) and the LaTeX log check
(``build_pdf``); where the behaviour needs Sphinx, against a tiny project built in a temporary
directory. The executor's stamps: ``test_notebooks_hygiene.py``; ``lab_myst``: ``test_lab_myst.py``;
the decks: ``test_book_slides.py``; JupyterLab's pre-save hook: ``test_viz.py``."""

from __future__ import annotations

import pytest
from pybtex.database import parse_string
from pybtex.plugin import find_plugin

from _ext import book_cite

BIB = r"""
@article{one, author = {Telgarsky, Matus}, title = {Notes}, year = {2021}, journal = {J}}
@article{two, author = {Cho, Youngmin and Saul, Lawrence K.}, title = {Kernels}, year = {2009}, journal = {J}}
@article{three, author = {Sch{\"o}lkopf, Bernhard and Herbrich, Ralf and Smola, Alex J.}, title = {Repr},
         year = {2001}, journal = {J}}
@article{tropp1, author = {Tropp, Joel A.}, title = {B first}, year = {2012}, journal = {J}}
@article{tropp2, author = {Tropp, Joel A.}, title = {A second}, year = {2012}, journal = {J}}
"""


def formatted() -> dict[str, str]:
    """Entry key -> label, as sphinxcontrib-bibtex gets them from the registered style."""
    style = find_plugin("pybtex.style.formatting", book_cite.STYLE)()
    entries = parse_string(BIB, "bibtex").entries
    return {e.key: e.label for e in style.format_entries(entries.values())}


def test_author_year_labels() -> None:
    labels = formatted()
    assert labels["one"] == "Telgarsky, 2021"
    assert labels["two"] == "Cho and Saul, 2009"
    assert labels["three"] == "Schölkopf et al., 2001"
    # two entries with one author and year get distinct labels, in the sorted (title) order
    assert {labels["tropp1"], labels["tropp2"]} == {"Tropp, 2012a", "Tropp, 2012b"}
    assert labels["tropp2"] == "Tropp, 2012a"  # "A second" sorts before "B first"


def test_sorted_by_author_then_year() -> None:
    style = find_plugin("pybtex.style.formatting", book_cite.STYLE)()
    entries = parse_string(BIB, "bibtex").entries
    order = [e.key for e in style.format_entries(entries.values())]
    assert order == ["two", "three", "one", "tropp2", "tropp1"]


PAGE = """# Page

## Section

```{prf:proposition} Per-neuron speed
:label: prop-speed
:nonumber:

A statement with $x$.
```

```{prf:lemma}
:label: lem-bare
:nonumber:

Untitled.
```

```{prf:theorem} Numbered
:label: thm-num

A theorem.
```

See {prf:ref}`prop-speed`, {prf:ref}`lem-bare`, {prf:ref}`thm-num` and {prf:ref}`the bound <prop-speed>`.

:::{div}
:class: only-html
WEBONLY
:::

:::{div}
:class: only-latex hidden
PDFONLY
:::

```{package-versions}
```

```{tabularcolumns} \\Y{0.3}\\Y{0.7}
```

| Symbol | Meaning |
|---|---|
| `LONGROW` | a table with its columns set |

| Plain | table |
|---|---|
| `SHORTROW` | no column spec |
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A two-builder Sphinx project (HTML and LaTeX) with the page above."""
    from sphinx.application import Sphinx

    src = tmp_path_factory.mktemp("src")
    (src / "conf.py").write_text(
        "extensions = ['myst_parser', 'sphinx_proof', 'sphinx_exercise', 'sphinxcontrib.bibtex',\n"
        "              '_ext.book_refs', '_ext.book_pdf', '_ext.book_versions']\n"
        "bibtex_bibfiles = ['refs.bib']\n"
        "myst_enable_extensions = ['colon_fence', 'dollarmath']\n"
        "numfig = True\n"
        "latex_documents = [('index', 'page.tex', 'Page', 'A', 'manual')]\n",
        encoding="utf-8",
    )
    (src / "index.md").write_text(PAGE, encoding="utf-8")
    (src / "refs.bib").write_text(BIB, encoding="utf-8")
    out: dict[str, str] = {}
    for builder in ("html", "latex"):
        dest = tmp_path_factory.mktemp(builder)
        doctrees = dest / ".doctrees"
        app = Sphinx(str(src), str(src), str(dest), str(doctrees), builder, status=None, warning=None)
        app.build()
        out[builder] = (dest / ("index.html" if builder == "html" else "lazy-training.tex")).read_text(
            encoding="utf-8"
        )
        out[f"{builder} files"] = " ".join(sorted(p.name for p in dest.iterdir()))
    return out


def test_unnumbered_references_read_with_their_title(built: dict[str, str]) -> None:
    import re

    html = built["html"]
    refs = dict(re.findall(r'<a class="reference internal" href="#([\w-]+)">(.*?)</a>', html))
    text = {k: re.sub(r"<[^>]+>", "", v) for k, v in refs.items()}
    assert "Proposition (Per-neuron speed)" in re.findall(r'href="#prop-speed">([^<]*)<', html)
    assert "the bound" in re.findall(r'href="#prop-speed">([^<]*)<', html)  # explicit text kept
    assert text["lem-bare"] == "Lemma"  # no title: the type alone, no trailing space
    assert text["thm-num"] == "Theorem 1"  # numbered statements untouched


def test_one_edition_divs(built: dict[str, str]) -> None:
    assert "WEBONLY" in built["html"] and "PDFONLY" not in built["html"]
    assert "PDFONLY" in built["latex"] and "WEBONLY" not in built["latex"]


def test_tables_with_set_columns_break_across_pages(built: dict[str, str]) -> None:
    """A ``{tabularcolumns}`` table is a longtable in LaTeX (it may be longer than a page); others are
    Sphinx's tabulary; the site's tables are untouched."""
    tex = built["latex"]
    long_start, long_end = tex.index("\\begin{longtable}"), tex.index("\\end{longtable}")
    assert long_start < tex.index("LONGROW") < long_end
    assert "\\Y{0.3}" in tex[long_start : tex.index("LONGROW")]
    short = tex.index("SHORTROW")
    assert tex.rindex("\\begin{tabulary}", 0, short) > long_end
    assert "longtable" not in built["html"]


def test_pdf_preamble_is_the_package_files(built: dict[str, str]) -> None:
    """The preamble and the fonts are LaTeX packages copied next to the document and loaded by it."""
    tex = built["latex"]
    assert "\\usepackage{lazybookfonts}" in tex and "\\usepackage{lazybook}" in tex
    import re

    sphinx = re.search(r"\\usepackage(\[[^]]*\])?\{sphinx\}", tex).start()  # type: ignore[union-attr]
    fonts, preamble = tex.index("{lazybookfonts}"), tex.index("{lazybook}")
    assert fonts < sphinx < preamble  # the fonts where Sphinx sets its own, the rest after its packages
    assert {"lazybook.sty", "lazybookfonts.sty"} <= set(built["latex files"].split())
    from _ext import book_pdf

    for name in (book_pdf.PREAMBLE, book_pdf.FONTS):
        text = (book_pdf.LATEX_DIR / f"{name}.sty").read_text(encoding="utf-8")
        assert f"\\ProvidesPackage{{{name}}}" in text and text.rstrip().endswith("\\endinput")


def test_latex_macros() -> None:
    from _ext.book_pdf import latex_macros

    tex = latex_macros({"R": "\\mathbb{R}", "norm": ["\\lVert #1 \\rVert", 1]})
    # a new name is a \newcommand; a name LaTeX has (\u, an accent) keeps it outside math mode
    assert "\\@ifundefined{R}{\\newcommand{\\R}{\\mathbb{R}}}" in tex
    assert "\\newcommand{\\lazy@math@norm}[1]{\\lVert #1 \\rVert}" in tex
    assert tex.startswith("\\makeatletter") and tex.rstrip().endswith("\\makeatother")
    with pytest.raises(ValueError, match="control word"):
        latex_macros({"R2": "x"})


def test_package_versions_table(built: dict[str, str]) -> None:
    import re
    from importlib import metadata

    from _ext.book_versions import PACKAGES

    cells = r"<tr[^>]*>\s*<td[^>]*><p>([^<]+)</p></td>\s*<td[^>]*><p>([^<]+)</p></td>"
    rows = dict(re.findall(cells, built["html"]))
    assert set(rows) == {"Python", *PACKAGES}
    assert rows["sphinx"] == metadata.version("sphinx")


def test_edition_stamp() -> None:
    import re

    from _ext.book_versions import edition

    stamp = edition()  # this is a git checkout: version, commit date and hash
    pattern = r"\d+\.\d+\.\d+, \d{4}-\d\d-\d\d, commit [0-9a-f]{7,}( \+ local changes)?"
    assert re.fullmatch(pattern, stamp), stamp


def test_nitpick_ignores_nothing_of_lazylib() -> None:
    """The one reviewed ignore list names external targets only: a broken lazylib reference fails."""
    import re
    from pathlib import Path

    import yaml

    config = yaml.safe_load((Path(__file__).parents[1] / "_config.yml").read_text(encoding="utf-8"))
    sphinx = config["sphinx"]["config"]
    assert "nitpick_ignore" not in sphinx  # (one list: the regular expressions)
    patterns = sphinx["nitpick_ignore_regex"]
    assert patterns
    for kind, target in patterns:
        for name in ("lazylib.viz.Explorer", "lazylib.fit_power_law", "Array", "lazylib._types.Array"):
            assert not re.fullmatch(target, name), (kind, target, name)
    ignored = ["numpy.ndarray", "ArrayLike", "matplotlib.axes.Axes", "Figure", "collections.abc.Sequence"]
    assert all(any(re.fullmatch(t, n) for _, t in patterns) for n in ignored)


def test_moved_names_resolve_to_their_home() -> None:
    """A reference by a re-exporting (old public) path resolves to the defining module."""
    from _ext.book_api import _canonical
    from lazylib.viz import explorer

    assert _canonical(None, "lazylib.viz.Explorer") == "lazylib.viz.explorer.Explorer"
    home = "lazylib.viz.explorer.drop_live_widgets"
    assert _canonical(None, home) == home
    assert _canonical("lazylib.viz", "Explorer") == "lazylib.viz.explorer.Explorer"
    assert _canonical(None, "Array") == "lazylib._types.Array"
    assert _canonical(None, "lazylib.viz.no_such_name") is None
    assert _canonical(None, "numpy.ndarray") is None  # outside lazylib: left to the ignore list
    assert _canonical(None, "lazylib.viz.explorer.WIDGET_VIEW") is None  # data: no move to follow
    assert explorer.WIDGET_VIEW


def test_stored_eval_results() -> None:
    """``{eval}`` on the site answers from the executor's stored results; a missing one is an error."""
    from types import SimpleNamespace

    import nbformat

    from _ext.book_eval import stored_eval
    from _ext.execute_notebooks import check_prose_values, eval_expressions

    cell = nbformat.v4.new_markdown_cell("Width {eval}`m` and {eval}``f(x)`` then {eval}`m` again.")
    assert eval_expressions(cell) == ["m", "f(x)"]
    assert eval_expressions(nbformat.v4.new_code_cell("{eval}`m`")) == []
    result = {"status": "ok", "data": {"text/plain": "128"}, "metadata": {}}
    cell.metadata["user_expressions"] = [{"expression": "m", "result": result}]
    nb = nbformat.v4.new_notebook(cells=[cell])
    (out,) = stored_eval(SimpleNamespace(notebook=nb), "m")  # type: ignore[arg-type]
    assert out["output_type"] == "execute_result" and out["data"] == {"text/plain": "128"}
    with pytest.raises(ValueError, match="make execute"):
        stored_eval(SimpleNamespace(notebook=nb), "f(x)")  # type: ignore[arg-type]
    check_prose_values(nb, "nb")
    other = nbformat.v4.new_markdown_cell("{eval}`m`")
    sixty_four = {**result, "data": {"text/plain": "64"}}
    other.metadata["user_expressions"] = [{"expression": "m", "result": sixty_four}]
    nb.cells.append(other)
    with pytest.raises(RuntimeError, match="two names"):
        check_prose_values(nb, "nb")


def test_offline_and_a11y_cleanups(tmp_path) -> None:
    from types import SimpleNamespace

    from _ext import book_a11y, book_offline

    thebe = SimpleNamespace(filename="_static/sphinx-thebe.js", attributes={})
    inline = SimpleNamespace(filename="", attributes={"body": 'const THEBE_JS_URL = "https://unpkg.com/x"'})
    kept = SimpleNamespace(filename="_static/a11y.css", attributes={})
    context = {"script_files": [thebe, inline, kept], "css_files": [kept]}
    book_offline._drop_thebe_assets(None, "p", "t", context, None)  # type: ignore[arg-type]
    assert context == {"script_files": [kept], "css_files": [kept]}

    page = tmp_path / "p.html"
    page.write_text(
        '<summary aria-label="Toggle hidden content">Show</summary>'
        '<div role="list"><div role="doc-biblioentry">A</div></div>',
        encoding="utf-8",
    )
    app = SimpleNamespace(outdir=str(tmp_path), builder=SimpleNamespace(format="html"))
    book_a11y.fix_html(app, None)  # type: ignore[arg-type]
    assert page.read_text(encoding="utf-8") == (
        '<summary>Show</summary><div role="list"><div role="listitem">A</div></div>'
    )


def test_latex_log_problems(tmp_path) -> None:
    """build_pdf refuses a log with an undefined reference (TeX's wrapped line joined), a missing
    character or an overfull page, and accepts "Label(s) may have changed" (see its docstring)."""
    from _ext.build_pdf import log_problems

    log = tmp_path / "x.log"
    log.write_text(
        "LaTeX Warning: Label(s) may have changed. Rerun to get cross-references right.\n"
        "LaTeX Warning: Reference `notebooks/05:thm' on page 3 undefined on input line\n12.\n"
        "Missing character: There is no ≳ in font FreeSerif!\n"
        "Overfull \\hbox (1.2pt too wide) in paragraph at lines 3--4\n"
        "Overfull \\vbox (37.24963pt too high) detected at line 150\n",
        encoding="utf-8",
    )
    found = log_problems(log)
    assert len(found) == 3  # a line a little too wide is not refused; text past the page's foot is
    assert found[0].endswith("on input line 12.") and "≳" in found[1] and "37.2" in found[2]
    log.write_text("LaTeX Warning: Label(s) may have changed.\n", encoding="utf-8")
    assert log_problems(log) == []


def _tarball(files: dict[str, bytes]) -> bytes:
    """An npm-style .tgz in memory: each name under ``package/`` unless it is given with its own root."""
    import io
    import tarfile

    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name if name.startswith("other/") else f"package/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def test_mathjax_unpack_keeps_only_what_browsers_load(tmp_path) -> None:
    """``book_mathjax.unpack`` extracts the kept files and folders of a tarball's ``package/``, and
    nothing outside it (no other root, no absolute or ``..`` path)."""
    from _ext import book_mathjax

    data = _tarball(
        {
            "tex-chtml.js": b"chtml",
            "tex-mml-chtml.js": b"not kept",
            "sre/mathmaps/en.json": b"{}",
            "srex/evil.js": b"prefix of a kept folder, not in it",
            "other/tex-chtml.js": b"outside package/",
            "sre/../../escape.js": b"escape",
        }
    )
    n = book_mathjax.unpack(data, tmp_path, ("tex-chtml.js", "sre"))
    got = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert got == ["sre/mathmaps/en.json", "tex-chtml.js"] and n == 2
    assert (tmp_path / "tex-chtml.js").read_bytes() == b"chtml"
    assert not (tmp_path.parent / "escape.js").exists()


def test_mathjax_integrity_is_npms_sha512(monkeypatch) -> None:
    """The integrity string is npm's (``sha512-`` + base64 of the digest, checked against hashlib by
    hand here), and a download whose bytes differ from the pin is refused with the URL named."""
    import base64
    import hashlib
    import io

    from _ext import book_mathjax

    data = b"mathjax tarball bytes"
    assert (
        book_mathjax.integrity(data) == "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    )
    assert book_mathjax.tarball_url("@mathjax/mathjax-newcm-font", "4.1.3") == (
        "https://registry.npmjs.org/@mathjax/mathjax-newcm-font/-/mathjax-newcm-font-4.1.3.tgz"
    )
    monkeypatch.setattr(book_mathjax.urllib.request, "urlopen", lambda url, timeout: io.BytesIO(data + b"!"))
    with pytest.raises(RuntimeError, match=r"mathjax-4\.1\.3\.tgz: integrity .* is not the pinned"):
        book_mathjax._download("mathjax", "4.1.3", book_mathjax.integrity(data))
    monkeypatch.setattr(book_mathjax.urllib.request, "urlopen", lambda url, timeout: io.BytesIO(data))
    assert book_mathjax._download("mathjax", "4.1.3", book_mathjax.integrity(data)) == data


def test_importing_the_executor_leaves_the_environment_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """``_ext.execute_notebooks`` gives its kernels ``LAZYLIB_BOOK_EXECUTE=1`` and one BLAS thread
    (``kernel_env``) without setting them in the importing process: once set there, every later test of
    a run that imported it (the notebook hygiene test does) built the explorers as the book's execution
    does, rendering every player frame. In a fresh interpreter, so that the import really runs."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    env = {k: v for k, v in os.environ.items() if k not in ("LAZYLIB_BOOK_EXECUTE", "OMP_NUM_THREADS")}
    code = (
        "import json, os; import _ext.execute_notebooks as e; "
        "print(json.dumps([os.environ.get('LAZYLIB_BOOK_EXECUTE'), os.environ.get('OMP_NUM_THREADS'), "
        "e.kernel_env().get('LAZYLIB_BOOK_EXECUTE'), e.kernel_env(book=False).get('LAZYLIB_BOOK_EXECUTE'), "
        "e.kernel_env().get('OMP_NUM_THREADS')]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout) == [None, None, "1", None, "1"]
    # a preset value of the caller's wins over a default, but not over "executing for the book"
    from _ext import execute_notebooks as ex

    monkeypatch.setenv("OMP_NUM_THREADS", "2")
    monkeypatch.setenv("LAZYLIB_BOOK_EXECUTE", "0")
    assert (ex.kernel_env()["OMP_NUM_THREADS"], ex.kernel_env()["LAZYLIB_BOOK_EXECUTE"]) == ("2", "1")


def test_book_gc_turns_the_collector_off_for_the_build(monkeypatch: pytest.MonkeyPatch) -> None:
    """_ext.book_gc: the collector off from setup, what the build left frozen when it ends (so the exit's
    collection skips it); BOOK_GC=1 leaves the collector alone. Restores the collector after."""
    import gc

    from _ext import book_gc

    class App:
        def __init__(self) -> None:
            self.hooks: list[tuple[str, object]] = []

        def connect(self, event: str, hook: object) -> None:
            self.hooks.append((event, hook))

    assert gc.isenabled() and gc.get_freeze_count() == 0
    try:
        monkeypatch.setenv("BOOK_GC", "1")
        app = App()
        book_gc.setup(app)  # type: ignore[arg-type]
        assert gc.isenabled() and app.hooks == []
        monkeypatch.delenv("BOOK_GC")
        book_gc.setup(app)  # type: ignore[arg-type]
        assert not gc.isenabled()
        assert [event for event, _ in app.hooks] == ["build-finished"]
        kept = [object()]  # made during the build, still alive at its end
        assert any(o is kept for o in gc.get_objects())
        app.hooks[0][1](app, None)  # type: ignore[operator]
        assert not any(o is kept for o in gc.get_objects())  # frozen: out of every collection
    finally:
        gc.unfreeze()
        gc.enable()


def test_executor_runs_notebooks_jobs_at_a_time_and_stops_after_a_failure(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``python -m _ext.execute_notebooks``: ``--jobs`` notebooks at a time, each reported as it ends; a
    failure is named, fails the run (exit 1) and starts no further notebook; ``--jobs 0`` is refused.
    (Kernels replaced by a stand-in: executing real notebooks is nbval's and ``make execute``'s.)"""
    import threading
    import time

    from _ext import execute_notebooks as ex

    paths = [ex.ROOT / "notebooks" / f"{k:02d}_x.ipynb" for k in range(1, 6)]
    running, most, started = [0], [0], []
    lock = threading.Lock()

    def fake_execute(path, timeout):  # type: ignore[no-untyped-def]
        with lock:
            started.append(path.name)
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1
        if path.name in failing:
            raise RuntimeError(f"{path.name}: cells [3] wrote to stderr")
        return 1.0

    monkeypatch.setattr(ex, "execute", fake_execute)
    monkeypatch.setattr(ex, "notebooks", lambda names: paths)
    monkeypatch.setattr(ex, "stale", lambda given: list(given))
    monkeypatch.setattr(ex, "use_kernel_defaults", lambda: None)
    monkeypatch.setattr(ex, "export_figures", lambda check=False: [])
    failing: set[str] = set()
    assert ex.main(["--jobs", "2"]) == 0
    assert sorted(started) == [p.name for p in paths] and most[0] == 2
    assert capsys.readouterr().out.count(" 1.0 s\n") == 5
    started.clear()
    most[0] = 0
    assert ex.main(["--jobs", "1"]) == 0 and most[0] == 1
    capsys.readouterr()
    started.clear()
    failing = {"01_x.ipynb"}
    assert ex.main(["--jobs", "1"]) == 1
    assert started == ["01_x.ipynb"], "a notebook started after the failure"
    out = capsys.readouterr()
    assert "notebooks/01_x.ipynb FAILED" in out.out and "wrote to stderr" in out.err
    with pytest.raises(SystemExit):
        ex.main(["--jobs", "0"])


def test_in_kernels_starts_nothing_once_the_caller_stops() -> None:
    """``in_kernels`` (the executor's and the slides' wide figures'): a caller that raises at the first
    failure, as ``make slides`` does, or stops iterating, starts no further item; ``jobs`` below 1 is
    refused."""
    import time

    from _ext.execute_notebooks import in_kernels

    started: list[int] = []

    def run(k: int) -> int:
        started.append(k)
        time.sleep(0.02)
        if k == 1:
            raise RuntimeError("no wide figure")
        return k

    with pytest.raises(RuntimeError, match="no wide figure"):
        for _, outcome in in_kernels(run, [1, 2, 3, 4], jobs=1):
            if isinstance(outcome, Exception):
                raise outcome
    assert started == [1]
    started.clear()
    assert sorted(in_kernels(run, [2, 3, 4], jobs=2)) == [(2, 2), (3, 3), (4, 4)]
    assert sorted(started) == [2, 3, 4]
    started.clear()
    for _ in in_kernels(run, [2, 3, 4, 5], jobs=1):
        break
    assert started == [2, 3] or started == [2], started
    with pytest.raises(ValueError, match="jobs"):
        list(in_kernels(run, [2], jobs=0))
