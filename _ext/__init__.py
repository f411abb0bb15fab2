"""The book's build machinery, one module per job (not part of ``lazylib``).

Sphinx extensions, listed in ``_config.yml`` as ``_ext.<module>``:

* ``book_versions``: ``{package-versions}``, ``{notebook-stamps}`` and the edition stamp;
* ``book_offline``: no Thebe loader (nothing loads from another host);
* ``book_api``: the API page's type aliases and re-exported classes resolve;
* ``book_pdf``: the PDF edition (documents, numbering, solutions appendix; preamble in ``latex/``)
  and the site's links to the PDFs;
* ``book_a11y``: accessibility fixes of the written HTML;
* ``book_eval``: ``{eval}`` in the prose shows the results stored by the executor;
* ``book_cite``: the author-year bibliography style;
* ``book_refs``: references to unnumbered statements read with their titles;
* ``book_slides``: the lecturer's edition (reveal.js decks; also ``make slides``).

Scripts, run from the repository's root as ``python -m _ext.<module>``:

* ``execute_notebooks``: re-execute stale notebooks in place and stamp them (``make execute``);
* ``build_pdf``: LaTeX to PDF, refusing a log with problems (``make pdf``);
* ``lab_myst``: make the notebooks read in JupyterLab as on the site;
* ``book_slides``: build the decks (``make slides``).

``jupyter_lab_config.py`` is the JupyterLab server's configuration (``make lab``), loaded by path.
"""
