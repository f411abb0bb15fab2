"""The book's build machinery (not part of ``lazylib``): one module per job, each saying what it does.

The Sphinx extensions are listed, a line each, in ``_config.yml`` (``local_extensions``). Scripts run
from the repository's root as ``python -m _ext.<module>``: ``execute_notebooks`` (``make execute``),
``build_pdf`` (``make pdf``), ``book_slides`` (``make slides``, also an extension) and ``lab_myst``.
``jupyter_lab_config.py`` is the JupyterLab server's configuration (``make lab``), loaded by path.
"""
