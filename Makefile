# The two commands of the README:
#   make book   build the site into _build/html (creates .venv from requirements.lock on first use;
#               the PDF edition too when TeX Live is installed; the slides in _build/html/slides)
#   make test   installs the Debian packages its checks need (make system-deps), then ruff, unit tests,
#               notebook hygiene, nbval, site and PDF builds, browser and PDF checks
# Helpers: make lab (JupyterLab in the book's environment), make lock, make system-deps, make clean,
# make distclean.

SHELL        := /bin/bash
.SHELLFLAGS  := -eo pipefail -c
.DEFAULT_GOAL := book

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.installed
LOCK   := requirements.lock
# The oldest Python the lock resolves for (soupsieve 4.1.4 needs 3.11.5); the lock is universal: one file
# for every later Python and every platform (markers select appnope on macOS, pywinpty on Windows...).
MIN_PYTHON := 3.11.5
HTML   := _build/html
LATEX  := _build/latex
PDF    := _build/pdf

# Kernels: the notebooks' "python3" kernel is this venv's ipykernel. Prefer the venv's Jupyter data
# paths over the user's (~/.local/share/jupyter), so a personal kernelspec cannot hijack the build.
export JUPYTER_PREFER_ENV_PATH := 1
# ipykernel's debugger warns about frozen modules on Python 3.11+; keep kernel logs quiet.
export PYDEVD_DISABLE_FILE_VALIDATION := 1
# One BLAS thread for notebooks and tests: their matrices are small, where OpenBLAS threading only adds
# overhead (a 128x128 eigh measured 40x slower with 2 threads on a loaded 2-core machine), and the
# printed digits nbval compares then do not depend on the core count. Benchmarks are run directly
# (not through make) and use every core.
export OPENBLAS_NUM_THREADS := 1
export OMP_NUM_THREADS := 1

NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb))

.PHONY: FORCE execute book html pdf slides mathjax test lint unit nbval site-test pdf-test slides-test lab-test lab clean distclean venv \
        lock system-deps

## The environment ---------------------------------------------------------------------------------
# The venv holds the exact versions of requirements.lock (generated from requirements.txt's ranges by
# `make lock`), which the stored notebook outputs were computed with, then lazylib, editable and kept out
# of the lock (--no-deps: its dependencies are in the lock). The stamp depends on the lock, so a new lock
# re-installs (pip install -r only adds and changes packages; `make distclean venv` for an exact copy).
venv: $(STAMP)

$(STAMP): $(LOCK) pyproject.toml
	@$(PYTHON) -c 'import sys; need = tuple(map(int, "$(MIN_PYTHON)".split("."))); v = sys.version_info; sys.exit(0 if v[:3] >= need else f"make: Python >= $(MIN_PYTHON) is needed (requirements.lock), $(PYTHON) is {v.major}.{v.minor}.{v.micro}; run e.g. make PYTHON=python3.12")'
	@test -x $(PY) || { echo "Creating $(VENV) with $$($(PYTHON) --version)"; $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps -e .
	@# Build Matplotlib's font cache once, so no notebook prints "building the font cache" to stderr.
	$(PY) -c "import matplotlib.pyplot"
	@touch $@

# Refresh requirements.lock from requirements.txt after editing a range there (then commit both; the
# notebooks' stamps include the lock, so `make book` re-executes them with the new versions). uv keeps
# every pin the ranges still allow; `make lock UPGRADE=1` moves every package to its newest allowed
# version. Universal: one lock for every platform and every Python >= $(MIN_PYTHON). Left out: lazylib
# (installed editable from the work tree) and setuptools (the venv's own, as pip-tools does by default;
# sphinx-togglebutton declares it but nothing imports it at run time).
# The lock is rewritten only when it changes (an unchanged lock keeps the venv current).
lock: $(STAMP)
	cp $(LOCK) $(LOCK).new
	$(BIN)/uv pip compile requirements.txt --output-file $(LOCK).new --universal --python-version $(MIN_PYTHON) \
		--no-emit-package lazylib --no-emit-package setuptools --custom-compile-command "make lock" \
		--quiet $(if $(UPGRADE),--upgrade)
	@if cmp -s $(LOCK).new $(LOCK); then rm $(LOCK).new; echo "make lock: $(LOCK) unchanged"; \
	else mv $(LOCK).new $(LOCK); echo "make lock: $(LOCK) updated; commit it with requirements.txt"; fi

## Debian packages ---------------------------------------------------------------------------------
# The Debian packages `make test` needs, the one list (nothing else installs them; .ci/run only
# bootstraps make and python3-venv): Chromium for the browser checks (Playwright drives
# /usr/bin/chromium: tests/site, tests/lab, the player test), installed with its recommendations (the
# fonts the pages are drawn with); the PDF edition: XeLaTeX through latexmk from TeX Live, the fonts the
# PDFs use (text, code, math) and poppler's tools for the PDF checks, installed without recommendations
# (documentation, more fonts), which the build does not use.
BROWSER_DEBS := chromium
PDF_DEBS     := latexmk texlive-xetex texlive-latex-extra texlive-fonts-recommended fonts-freefont-otf \
                fonts-dejavu-core fonts-lmodern poppler-utils

# Installs the missing ones as root with apt-get; otherwise stops at once with the command to run.
# `make book` does not depend on it: the site builds without TeX (and without Chromium).
system-deps:
	@command -v dpkg-query >/dev/null && command -v apt-get >/dev/null || { \
	  echo "make: not a Debian system (no apt-get): install Chromium (CHROMIUM=/path/to/it if not at /usr/bin/chromium)," >&2; \
	  echo "      TeX Live's XeLaTeX and latexmk, FreeSerif, DejaVu Sans Mono, Latin Modern Math and poppler's tools" >&2; \
	  echo "      (Debian: $(BROWSER_DEBS) $(PDF_DEBS)), then run make test SYSTEM_DEPS=no" >&2; exit 1; }
	@installed() { dpkg-query -W -f='$${Status}' "$$1" 2>/dev/null | grep -q 'install ok installed'; }; \
	browser=(); pdf=(); \
	for p in $(BROWSER_DEBS); do installed $$p || browser+=($$p); done; \
	for p in $(PDF_DEBS); do installed $$p || pdf+=($$p); done; \
	[ $$(( $${#browser[@]} + $${#pdf[@]} )) -gt 0 ] || exit 0; \
	if [ "$$(id -u)" -ne 0 ]; then \
	  echo "make: the checks need Debian packages that are missing: $${browser[*]}$${browser:+ }$${pdf[*]}. Run (as root):" >&2; \
	  echo "  sudo make system-deps" >&2; exit 1; fi; \
	echo "make system-deps: installing $${browser[*]}$${browser:+ }$${pdf[*]}"; \
	export DEBIAN_FRONTEND=noninteractive; \
	apt-get update -qq; \
	[ $${#browser[@]} -eq 0 ] || apt-get install -y -qq "$${browser[@]}"; \
	[ $${#pdf[@]} -eq 0 ] || apt-get install -y -qq --no-install-recommends "$${pdf[@]}"

## The notebooks -----------------------------------------------------------------------------------
# Re-execute, in place, exactly the notebooks whose stored outputs are stale: each notebook's metadata
# carries a stamp of its code cells + lazylib + requirements (_ext/execute_notebooks.py). Two notebooks
# at a time, each kernel on one core (all eleven: 95 s one at a time, 48 s two at a time; the same
# outputs). Every cell runs under a 120 s timeout, so this cannot hang. `make execute ALL=1`
# re-executes every notebook.
# LAZYLIB_BOOK_EXECUTE=1: lazylib/viz reads it to run the figures' legibility checks and render the
# explorers' offline-player frames only when executing for the book (as in nbval below).
execute: export LAZYLIB_BOOK_EXECUTE := 1
execute: $(STAMP)
	$(PY) -m _ext.execute_notebooks $(if $(ALL),--all)

## The site ----------------------------------------------------------------------------------------
# Builds the PDF edition (`make pdf`, when XeLaTeX is installed), then the HTML from the stored
# (current, stamped) outputs, nitpicky (-n) with warnings as errors (-W); --keep-going reports all
# warnings at once. Nothing is executed by jupyter-book itself. The site links to the PDFs of
# _build/pdf (each page to its section's, every page to the book's) only when they exist.
book: execute
	@if command -v xelatex >/dev/null && command -v latexmk >/dev/null; then $(MAKE) --no-print-directory $(PDF)/.built; \
	else echo "make book: no XeLaTeX/latexmk: the site is built without the PDF edition. For the PDFs, install"; \
	echo "  TeX Live (sudo make system-deps, or the packages in README, The PDF edition), then make book again"; \
	rm -rf $(PDF); fi
	@$(MAKE) --no-print-directory $(HTML)/.built $(HTML)/slides/.built
	@echo
	@echo "The book is built. Open file://$(CURDIR)/$(HTML)/index.html"
	@echo "(or serve it: $(PY) -m http.server -d $(HTML) 8000, then http://127.0.0.1:8000/)"

# What the editions are built from. `make book` rebuilds an edition only when one of these is newer than
# its last build (a marker file in the edition's folder); `make html`, `make pdf` and `make slides`
# always build. The edition stamp (version, commit; _ext/book_versions.py) is in $(EDITION), rewritten
# only when it changes, so a new commit rebuilds the editions that print it.
EDITION := _build/.edition
$(EDITION): FORCE | $(STAMP)
	@$(PY) -c 'import pathlib; from _ext.book_versions import edition; p = pathlib.Path("$@"); \
	  s = edition() + "\n"; p.parent.mkdir(exist_ok=True); p.exists() and p.read_text() == s or p.write_text(s)'
FORCE:
BOOK_INPUTS = $(NOTEBOOKS) $(wildcard book/*.md book/*.bib book/figures/*) _config.yml _toc.yml \
	$(wildcard _ext/*.py _ext/latex/* _static/*) $(shell find lazylib -name '*.py') $(LOCK) $(EDITION)

$(PDF)/.built: $(BOOK_INPUTS) | $(STAMP)
	@command -v xelatex >/dev/null && command -v latexmk >/dev/null || { \
	  echo "make pdf: no XeLaTeX/latexmk; install TeX Live: sudo make system-deps" >&2; exit 1; }
	rm -f $(LATEX)/*.tex  # (only this build's documents get compiled; LaTeX's aux files are kept)
	$(BIN)/jupyter-book build . --builder latex -n -W --keep-going
	$(PY) -m _ext.build_pdf --latex-dir $(LATEX) --out $(PDF)
	@touch $@

# MathJax 4, which the site and the decks serve from their _static/mathjax: the pinned npm tarballs
# (_ext/book_mathjax.py: versions and sha512 integrity), downloaded with Python's urllib, verified
# and unpacked into $(MATHJAX) once; with the pins unchanged this downloads nothing.
MATHJAX := _build/mathjax4
mathjax: $(MATHJAX)/.pins.json
$(MATHJAX)/.pins.json: _ext/book_mathjax.py | $(STAMP)
	$(PY) -m _ext.book_mathjax

# The site links to the PDFs when they exist: a new PDF build rebuilds it.
$(HTML)/.built: $(BOOK_INPUTS) $(wildcard $(PDF)/.built) $(MATHJAX)/.pins.json | $(STAMP)
	$(BIN)/jupyter-book build . -n -W --keep-going
	@touch $@

$(HTML)/slides/.built: $(BOOK_INPUTS) $(wildcard slides/*.* slides/_static/*) $(MATHJAX)/.pins.json | $(STAMP)
	$(SLIDES)
	@touch $@

html: $(STAMP)
	@rm -f $(HTML)/.built; $(MAKE) --no-print-directory $(HTML)/.built

## The PDF edition ---------------------------------------------------------------------------------
# The whole book (_build/pdf/lazy-training.pdf) and one PDF per section (_build/pdf/NN_topic.pdf):
# jupyter-book's LaTeX builder, strict like the site (_ext/book_pdf.py: documents, macros from
# _config.yml; the preamble: _ext/latex/), then XeLaTeX through latexmk, two documents at a time;
# a LaTeX log with an undefined reference, a multiply-defined label or a missing character fails it
# (_ext/build_pdf.py). Needs TeX Live from Debian's packages (PDF_DEBS; `make system-deps`).
pdf: execute
	@rm -f $(PDF)/.built; $(MAKE) --no-print-directory $(PDF)/.built

## The lecturer's edition ------------------------------------------------------------------------
# One offline reveal.js deck per page (_build/html/slides/NN_topic.html: part of the site, each page's
# "Slides" button opens its deck) and an index, from the same notebooks and their stored outputs:
# sphinx-revealjs, a Sphinx builder, on the book's own sources and extensions (_ext/book_slides.py:
# which content is a slide, which goes to the speaker notes; slides/README.md). Strict like the site.
# The figures too tall for a slide are rendered again, wide, from the same cells (kept in
# _build/slides-figures until the notebook's stamp changes). `make book` builds them too; with nothing
# changed the decks are not rewritten.
SLIDES := $(PY) -m _ext.book_slides -n -W --keep-going
slides: execute
	@rm -f $(HTML)/slides/.built; $(MAKE) --no-print-directory $(HTML)/slides/.built

## The tests ---------------------------------------------------------------------------------------
# The Debian packages first (system-deps), so that `book` finds TeX Live and builds the PDFs pdf-test
# checks. SYSTEM_DEPS=no skips installing and checking them (a machine that has them without dpkg).
SYSTEM_DEPS ?= yes
DEBS := $(if $(filter no,$(SYSTEM_DEPS)),,system-deps)
# The checks run two at a time on two cores (most are one process: pytest, a kernel, Sphinx): the
# packages, the venv and the notebooks' outputs first, then a second make with -j2 over two chains of
# checks, each in order: the book, the site's checks (the longest), the PDFs', the decks'; beside them
# lint, unit, nbval, lab-test (two fresh-clone runs with the venv cached: 524 and 500 s, the chains
# ending within 15 s of each other; when the decks ran in the second chain, it ended 60-80 s later).
# The chains are dependencies (check-X runs `make X`), so which check runs next never depends on make's
# choice. After a failure no further check starts. Each check's output is printed whole when it ends
# (--output-sync, GNU make >= 4), with its time. TEST_JOBS=1 runs them one after the other.
TEST_JOBS ?= 2
TEST_CHECKS := book site-test pdf-test lint unit nbval lab-test slides-test
test: $(DEBS) execute
	@$(MAKE) --no-print-directory -j$(TEST_JOBS) $(if $(filter output-sync,$(.FEATURES)),--output-sync=target) \
		$(addprefix check-,$(TEST_CHECKS))
	@echo "make test: all checks passed"

.PHONY: $(addprefix check-,$(TEST_CHECKS))
$(addprefix check-,$(TEST_CHECKS)):
	@start=$$(date +%s); $(MAKE) --no-print-directory $(@:check-%=%); \
	echo "make test: $(@:check-%=%) passed in $$(( $$(date +%s) - start )) s"
check-site-test: check-book
check-pdf-test: check-site-test
check-slides-test: check-pdf-test
check-unit: check-lint
check-nbval: check-unit
check-lab-test: check-nbval

# ruff (lint and format), then mypy on lazylib (settings in pyproject.toml: untyped defs, Optional
# misuse, Any returns).
lint: $(STAMP)
	$(BIN)/ruff check lazylib tests benchmarks notebooks _ext
	$(BIN)/ruff format --check lazylib tests benchmarks notebooks _ext
	$(BIN)/mypy lazylib

# lazylib unit/property tests and the notebook hygiene test (tests/site is deselected by its marker;
# the offline player's test runs in Chromium).
unit: $(DEBS) $(STAMP)
	$(PY) -m pytest -p no:cacheprovider tests

# Re-run every notebook in a fresh kernel and compare with its stored outputs (a cell that does not
# answer within 300 s fails fast instead of waiting for nbval's 2000 s default). Each notebook runs once,
# under an OpenBLAS kernel other than the one this CPU picks by default when it can run one
# (benchmarks/blas_kernels.py --other: Sandybridge on x86-64 with AVX): the stored outputs were written
# under some machine's default kernel, and a different kernel changes the last digits of every result,
# so this shows they hold on other machines. A preset OPENBLAS_CORETYPE is never overridden (some
# machines set it because other kernels compute wrong results there): nbval then runs under it, and
# says so. The full sweep over every kernel: benchmarks/blas_sweep.py.
# NBVAL_ARGS adds pytest options, NOTEBOOKS narrows it: make nbval NOTEBOOKS=notebooks/05_lemma_8_1.ipynb
# LAZYLIB_BOOK_EXECUTE=1: lazylib/viz reads it to run the figures' legibility checks and render the
# explorers' offline-player frames only when executing for the book (nbval and execute).
NBVAL_ARGS ?=
nbval: export LAZYLIB_BOOK_EXECUTE := 1
nbval: $(STAMP)
	@kernel=$$($(PY) benchmarks/blas_kernels.py --other); \
	if [ -n "$$kernel" ]; then export OPENBLAS_CORETYPE=$$kernel; fi; \
	cmd=($(PY) -m pytest -p no:cacheprovider --nbval --nbval-cell-timeout=300 \
	     --nbval-sanitize-with tests/nbval_sanitize.cfg $(NBVAL_ARGS) $(NOTEBOOKS)); \
	echo "LAZYLIB_BOOK_EXECUTE=1 OPENBLAS_CORETYPE=$${OPENBLAS_CORETYPE:-(unset)} $${cmd[*]}"; \
	"$${cmd[@]}"

# Serve _build/html on 127.0.0.1 and open every page in headless Chromium (needs `make book` first).
site-test: $(DEBS) $(STAMP)
	$(PY) -m pytest -p no:cacheprovider -m site tests/site

# Open every notebook in JupyterLab (jupyterlab-myst) in headless Chromium: rendered MyST, Run All
# without errors, one explorer whose slider redraws the figure (tests/lab; copies of the notebooks).
lab-test: $(DEBS) $(STAMP)
	$(PY) -m pytest -p no:cacheprovider -m lab tests/lab

# Open every deck in headless Chromium: slides render and fit 1280x720, formulas typeset, arrow keys,
# the players, speaker notes, nothing off 127.0.0.1, every seed slide mapped (tests/slides).
slides-test: $(DEBS) $(STAMP)
	$(PY) -m pytest -p no:cacheprovider -m slides tests/slides

# Check the PDFs that `make book` built, with poppler's tools (pdftotext, pdffonts, pdfinfo).
pdf-test: $(DEBS) $(STAMP)
	$(PY) -m pytest -p no:cacheprovider -m pdf tests/pdf

## Helpers -----------------------------------------------------------------------------------------
# JupyterLab on 127.0.0.1, serving the repository and opened on notebooks/ (the notebooks link to the
# pages in book/). The project's notebooks are trusted first, so their stored HTML outputs (the explorers'
# offline players) keep their scripts. Jupyter refuses to run as root without --allow-root (containers
# often run as root): added only then. No news feed, no update check: nothing reaches another host.
# _ext/jupyter_lab_config.py: saving a notebook stores no live widget view (it cannot outlive its
# kernel; a saved one would hide the offline player when the notebook is reopened).
# LAB_ARGS passes more options, e.g. `make lab LAB_ARGS=--no-browser`.
lab: $(STAMP)
	$(BIN)/jupyter trust $(NOTEBOOKS)
	$(BIN)/jupyter lab --config=$(CURDIR)/_ext/jupyter_lab_config.py \
		--ServerApp.ip=127.0.0.1 --ServerApp.root_dir=$(CURDIR) \
		--LabApp.default_url=/lab/tree/notebooks --LabApp.news_url= \
		--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate \
		$(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

clean:
	rm -rf _build .pytest_cache .hypothesis

distclean: clean
	rm -rf $(VENV) lazylib.egg-info
