"""JupyterLab (server) configuration of ``make lab`` and of the lab test: ``jupyter lab --config=<this>``.

Saving a notebook stores no live widget view and no widget state, as ``make execute`` does
(:func:`lazylib.viz.explorer.drop_live_widgets`, on the saved copy only: the open notebook keeps its
live explorers). A notebook run, saved and reopened shows its offline player again (its widgets died
with the kernel), not "Error displaying widget: model not found"; and the repository's notebooks,
which ``make lab`` serves, keep passing the hygiene test after a save.
"""


def pre_save_hook(model: dict, **kwargs: object) -> None:
    if model.get("type") == "notebook" and isinstance(model.get("content"), dict):
        from lazylib.viz.explorer import drop_live_widgets

        drop_live_widgets(model["content"])


c = get_config()  # type: ignore[name-defined]  # noqa: F821
c.ContentsManager.pre_save_hook = pre_save_hook
