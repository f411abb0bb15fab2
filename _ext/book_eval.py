"""Numbers in the prose on the site and in the PDF: ``{eval}`expr``` shows its stored result.

The notebooks are executed by ``_ext/execute_notebooks.py``, not by jupyter-book; it stores each
Markdown cell's ``{eval}`` results in the cell's ``user_expressions`` metadata (jupyterlab-myst's
format, which JupyterLab renders without a kernel). myst-nb's ``{eval}`` role asks its notebook client
to evaluate the expression, which only a live kernel can (``nb_execution_mode: inline``); with execution
off it warns "This document does not have a running kernel" (MyST-NB issue 596; PR 597, open, reads
the stored metadata instead). This extension does what that PR does: with execution off, the client
answers from the stored results, so the site, the PDF and JupyterLab show the same text. An
expression with no stored result is a build error (run ``make execute``).
"""

from __future__ import annotations

from typing import Any

from myst_nb.core.execute.base import NotebookClientBase
from nbformat import NotebookNode, from_dict


def stored_eval(self: NotebookClientBase, name: str) -> list[NotebookNode]:
    """The stored result of ``{eval}`name``` as an ``execute_result`` output."""
    for cell in self.notebook.cells:
        for item in cell.get("metadata", {}).get("user_expressions", []):
            if item.get("expression") == name and item.get("result", {}).get("status") == "ok":
                data = item["result"].get("data", {})
                return [from_dict({"output_type": "execute_result", "data": data, "metadata": {}})]
    raise ValueError(f"no stored result for {{eval}}`{name}`: run `make execute`")


def setup(app: Any) -> dict[str, Any]:
    # Only the base class (execution off): an executing client keeps its kernel's answer.
    NotebookClientBase.eval_variable = stored_eval  # type: ignore[method-assign]
    return {"parallel_read_safe": True, "parallel_write_safe": True}
