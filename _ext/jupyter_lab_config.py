"""JupyterLab (server) configuration of ``make lab`` and of the lab test: ``jupyter lab --config=<this>``.

Saving a notebook stores no live widget view and no widget state, as ``make execute`` does
(``execute_notebooks.pre_save_hook``): a notebook run, saved and reopened shows its offline player
again (its widgets died with the kernel), not "Error displaying widget: model not found"; and the
repository's notebooks, which ``make lab`` serves, keep passing the hygiene test after a save.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from execute_notebooks import pre_save_hook

c = get_config()  # type: ignore[name-defined]  # noqa: F821
c.ContentsManager.pre_save_hook = pre_save_hook
