# The two commands of the README:
#   make book   build the site into _build/html (creates .venv on first use)
#   make test   ruff, unit tests, notebook hygiene, nbval, site build, browser checks
# Helpers: make lab (JupyterLab in the book's environment), make clean, make distclean.

SHELL        := /bin/bash
.SHELLFLAGS  := -eo pipefail -c
.DEFAULT_GOAL := book

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.installed
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

.PHONY: execute book html pdf test lint unit nbval site-test pdf-test lab-test lab clean distclean venv

## The environment ---------------------------------------------------------------------------------
venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; v = sys.version_info; sys.exit(0 if v >= (3, 11) else f"make: Python >= 3.11 is needed, $(PYTHON) is {v.major}.{v.minor}; run e.g. make PYTHON=python3.12")'
	@test -x $(PY) || { echo "Creating $(VENV) with $$($(PYTHON) --version)"; $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@# Build Matplotlib's font cache once, so no notebook prints "building the font cache" to stderr.
	$(PY) -c "import matplotlib.pyplot"
	@touch $@

## The notebooks -----------------------------------------------------------------------------------
# Re-execute, in place, exactly the notebooks whose stored outputs are stale: each notebook's metadata
# carries a stamp of its code cells + lazylib + requirements (_ext/execute_notebooks.py). Every cell
# runs under a 120 s timeout, so this cannot hang. `make execute ALL=1` re-executes every notebook.
execute: $(STAMP)
	$(PY) _ext/execute_notebooks.py $(if $(ALL),--all)

## The site ----------------------------------------------------------------------------------------
# Builds the PDF edition (`make pdf`, when XeLaTeX is installed), then the HTML from the stored
# (current, stamped) outputs, nitpicky (-n) with warnings as errors (-W); --keep-going reports all
# warnings at once. Nothing is executed by jupyter-book itself. The site links to the PDFs of
# _build/pdf (each page to its section's, every page to the book's) only when they exist.
book: execute
	@if command -v xelatex >/dev/null && command -v latexmk >/dev/null; then $(MAKE) --no-print-directory pdf; \
	else echo "make book: no XeLaTeX/latexmk (see README, The PDF edition): the site is built without PDFs"; \
	rm -rf $(PDF); fi
	$(MAKE) --no-print-directory html
	@echo
	@echo "The book is built. Open file://$(CURDIR)/$(HTML)/index.html"
	@echo "(or serve it: $(PY) -m http.server -d $(HTML) 8000, then http://127.0.0.1:8000/)"

html: $(STAMP)
	$(BIN)/jupyter-book build . -n -W --keep-going

## The PDF edition ---------------------------------------------------------------------------------
# The whole book (_build/pdf/lazy-training.pdf) and one PDF per section (_build/pdf/NN_topic.pdf):
# jupyter-book's LaTeX builder, strict like the site (_ext/book_pdf.py: documents, preamble,
# macros from _config.yml), then XeLaTeX through latexmk, two documents at a time; a LaTeX log with
# an undefined reference, a multiply-defined label or a missing character fails it
# (_ext/build_pdf.py). Needs TeX Live from Debian's packages (README; .ci/run installs them).
pdf: execute
	rm -f $(LATEX)/*.tex  # (only this build's documents get compiled; LaTeX's aux files are kept)
	$(BIN)/jupyter-book build . --builder latex -n -W --keep-going
	$(PY) _ext/build_pdf.py --latex-dir $(LATEX) --out $(PDF)

## The tests ---------------------------------------------------------------------------------------
test: lint unit nbval book site-test pdf-test lab-test
	@echo "make test: all checks passed"

# ruff, then mypy on lazylib (settings in pyproject.toml: untyped defs, Optional misuse, Any returns).
lint: $(STAMP)
	$(BIN)/ruff check lazylib tests benchmarks notebooks _ext
	$(BIN)/mypy lazylib

# lazylib unit/property tests and the notebook hygiene test (tests/site is deselected by its marker).
unit: $(STAMP)
	$(PY) -m pytest -p no:cacheprovider tests

# Re-run every notebook in a fresh kernel and compare with its stored outputs (a cell that does not
# answer within 300 s fails fast instead of waiting for nbval's 2000 s default).
nbval: $(STAMP)
	$(PY) -m pytest -p no:cacheprovider --nbval --nbval-cell-timeout=300 --nbval-sanitize-with tests/nbval_sanitize.cfg $(NOTEBOOKS)

# Serve _build/html on 127.0.0.1 and open every page in headless Chromium (needs `make book` first).
site-test: $(STAMP)
	$(PY) -m pytest -p no:cacheprovider -m site tests/site

# Open every notebook in JupyterLab (jupyterlab-myst) in headless Chromium: rendered MyST, Run All
# without errors, one explorer whose slider redraws the figure (tests/lab; copies of the notebooks).
lab-test: $(STAMP)
	$(PY) -m pytest -p no:cacheprovider -m lab tests/lab

# Check the PDFs that `make book` built, with poppler's tools (pdftotext, pdffonts, pdfinfo).
pdf-test: $(STAMP)
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
