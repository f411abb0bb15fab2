"""Compile the LaTeX documents of ``_build/latex`` to PDF and refuse a PDF with LaTeX problems.

Run by ``make pdf`` after ``jupyter-book build . --builder latex`` (which writes ``lazy-training.tex``
and one ``NN_topic.tex`` per section, see ``_ext/book_pdf.py``). Each document goes through latexmk
(XeLaTeX to .xdv, then xdvipdfmx once, with Sphinx's ``latexmkrc``; two documents at a time), then
its final ``.log`` is read:
an undefined reference or citation, a multiply-defined label, a character missing from a font or
text run past the bottom of a page ("Overfull \\vbox") fails the build, with the lines quoted
(latexmk itself fails when the cross-references do not settle; LaTeX's "Label(s) may have changed"
stays in the last log of a converged run whenever a heading holds math, unicode-math and hyperref
writing it differently, so it is not a criterion).
The PDFs are copied to ``_build/pdf`` (from where the site build publishes them) and listed with
their page counts.

    python -m _ext.build_pdf [--latex-dir _build/latex] [--out _build/pdf] [--jobs 2]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Lines of a final .log that fail the build.
PROBLEMS = [
    re.compile(r"LaTeX Warning: (Hyper r|R)eference `[^']*' on page \d+ undefined"),
    re.compile(r"LaTeX Warning: Citation `[^']*' on page \d+ undefined"),
    re.compile(r"LaTeX Warning: There were undefined references"),
    re.compile(r"LaTeX Warning: Label `[^']*' multiply defined"),
    re.compile(r"Missing character: There is no"),
    re.compile(r"Package hyperref Warning: Rerun"),
    # text run past the bottom of the page (a box or a table too tall for what is left of it)
    re.compile(r"Overfull \\vbox"),
]


def compile_one(tex: Path) -> tuple[Path, int, str]:
    """latexmk on one document (XeLaTeX via Sphinx's latexmkrc); returns (tex, returncode, output).

    ``-pdfxe``: every XeLaTeX pass writes only an .xdv (``xelatex --no-pdf``, Sphinx's ``$xelatex``)
    and xdvipdfmx makes the PDF once, after the last pass; ``-pdf`` (``$pdflatex``, plain ``xelatex``)
    would embed every figure and font again on each of the three passes a fresh build takes (the
    book: 20 s of CPU against 13 s, the same PDF).
    """
    cmd = ["latexmk", "-pdfxe", "-dvi-", "-ps-", "-interaction=nonstopmode", "-halt-on-error", tex.name]
    run = subprocess.run(cmd, cwd=tex.parent, capture_output=True, text=True, errors="replace")
    return tex, run.returncode, run.stdout + run.stderr


def log_problems(log: Path) -> list[str]:
    # TeX wraps log lines at 79 characters: join each warning with its continuation lines.
    text = log.read_text(encoding="utf-8", errors="replace")
    lines = text.splitlines()
    found = []
    for i, line in enumerate(lines):
        if any(p.search(line) for p in PROBLEMS):
            found.append(" ".join([line, *lines[i + 1 : i + 2]]).strip())
    return found


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latex-dir", type=Path, default=ROOT / "_build" / "latex")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "pdf")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()

    for tool in ("latexmk", "xelatex", "pdfinfo"):
        if shutil.which(tool) is None:
            sys.exit(f"build_pdf: {tool} not found; install TeX Live and poppler (see README, `make pdf`)")
    # The longest (the book, most pages) first, so that it runs beside the sections, not after them.
    texs = sorted(args.latex_dir.glob("*.tex"), key=lambda t: -t.stat().st_size)
    if not texs:
        sys.exit(f"build_pdf: no .tex in {args.latex_dir}; run jupyter-book build . --builder latex first")

    start = time.perf_counter()
    failed = []
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for tex, code, output in pool.map(compile_one, texs):
            log = tex.with_suffix(".log")
            problems = log_problems(log) if log.is_file() else ["no .log written"]
            if code != 0:
                tail = "\n    ".join(output.strip().splitlines()[-15:])
                errors = [ln for ln in log.read_text(errors="replace").splitlines() if ln.startswith("!")]
                errors_text = "\n    ".join(errors)
                failed.append(f"{tex.name}: latexmk failed ({code})\n    {errors_text}\n    {tail}")
            elif problems:
                failed.append(f"{tex.name}: " + "\n    ".join(["LaTeX problems:", *problems]))
    elapsed = time.perf_counter() - start
    if failed:
        print("\n".join(failed), file=sys.stderr)
        return 1

    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    for tex in sorted(texs):
        pdf = tex.with_suffix(".pdf")
        shutil.copyfile(pdf, args.out / pdf.name)
        pages = page_count(pdf)
        print(f"  {pdf.name:28s} {pages:4d} pages  {pdf.stat().st_size / 1e6:6.2f} MB")
    print(f"build_pdf: {len(texs)} PDFs in {args.out} ({elapsed:.0f} s of LaTeX)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
