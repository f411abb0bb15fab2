"""MathJax 4 for the site, served from the site itself (no CDN); the decks stay on MathJax 3.

MathJax 4 breaks long displayed formulas into lines that fit their box (``output.displayOverflow:
linebreak`` in ``_config.yml``), inside ``aligned`` cells too: one source reads on one line at 1280 px
and on several on a 390 px phone. MathJax 3 could not break lines. The decks keep MathJax 3 (from
sphinx-mathjax-offline): with MathJax 4's font one slide of deck 08 was 747 px high, over 720.

Two parts:

* :func:`fetch` (``python -m _ext.book_mathjax DEST``, run by ``make mathjax``, which the site
  depends on): downloads the pinned npm tarballs of MathJax and of its default font (:data:`PINS`)
  from the npm registry with ``urllib`` (no Node toolchain needed), checks each against the registry's
  sha512 ``integrity`` pinned here, and unpacks what a browser loads into ``DEST/mathjax``: the
  combined component ``tex-chtml.js``, the components
  they load on demand (TeX extensions, the menu, the accessibility components and the speech rule
  engine with its locale files) and the font's glyph ranges (``fonts/mathjax-newcm-font``). A
  marker records the pins: with nothing changed it downloads nothing.
* The Sphinx extension: every HTML page loads ``_static/mathjax/tex-chtml.js``; MathJax's
  fonts are looked up in ``[mathjax]/fonts`` (its default is cdn.jsdelivr.net), and at the end of the
  build the unpacked copy is synchronised into ``_static/mathjax`` of the output.

The speech rule engine (speech and braille strings, the explorer, the menu's assistive options)
loads its worker and locale files from ``[mathjax]/sre``, i.e. from the site: nothing is fetched from
another host (tests/site checks every request).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import sys
import tarfile
import urllib.request
from pathlib import Path, PurePosixPath
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# Where `make mathjax` unpacks (kept by a rebuild; `make clean` removes it with the rest of _build).
DEFAULT_DEST = ROOT / "_build" / "mathjax4"
REGISTRY = "https://registry.npmjs.org"

# npm package -> (version, the registry's `dist.integrity` of its tarball). To update: take both
# from https://registry.npmjs.org/<package>/<version> (fields `version`, `dist.integrity`).
PINS: dict[str, tuple[str, str]] = {
    "mathjax": (
        "4.1.3",
        "sha512-BN/8Pkgn7G1pIDYJqd9md+JHsE/jydSYbyOZnSdSA0WziuVO8mRxdYiWFumkVVly/8U+hm9DpIIoWuvySverzw==",
    ),
    "@mathjax/mathjax-newcm-font": (
        "4.1.3",
        "sha512-gzAB3dFHilHX1l5x2xUqRL+1jDQt3Fyza1DkEMVXWC4E8SvsGdlgEza47HYi2WhVcgfkvf4zgUGzuhbq3Pjlew==",
    ),
}

# What a browser loads from each package, as paths inside the tarball's `package/` folder (a folder
# takes everything under it), and where it goes under DEST/mathjax. Left out: the Node entry points,
# the MathML-input and font-less combined components, the font's Node/ES modules (cjs/, mjs/: 36 MB).
FILES: dict[str, tuple[str, tuple[str, ...]]] = {
    "mathjax": (
        "",
        (
            "LICENSE",
            "package.json",
            "tex-chtml.js",
            "a11y",
            "input",
            "output",
            "ui",
            "sre",
        ),
    ),
    # MathJax's fontPath is "[fonts]/mathjax-newcm-font": see LOADER_PATHS.
    "@mathjax/mathjax-newcm-font": ("fonts/mathjax-newcm-font", ("package.json", "chtml", "svg")),
}

# Added to `mathjax3_config` (Sphinx writes it as `window.MathJax`; the decks' is rewritten by
# _ext/book_slides.py): MathJax 4 loads its font's glyph ranges from [fonts], by default
# https://cdn.jsdelivr.net/npm/@mathjax.
LOADER_PATHS = {"fonts": "[mathjax]/fonts"}
MARKER = ".pins.json"


def tarball_url(name: str, version: str) -> str:
    """The registry's address of a package's tarball (``@scope/name`` -> ``@scope/name/-/name-v.tgz``)."""
    return f"{REGISTRY}/{name}/-/{name.rsplit('/', 1)[-1]}-{version}.tgz"


def integrity(data: bytes) -> str:
    """npm's Subresource Integrity string of ``data`` (``sha512-`` and the base64 digest)."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def _download(name: str, version: str, expected: str) -> bytes:
    url = tarball_url(name, version)
    with urllib.request.urlopen(url, timeout=120) as response:
        data = response.read()
    got = integrity(data)
    if got != expected:
        raise RuntimeError(f"{url}: integrity {got} is not the pinned {expected} (_ext/book_mathjax.py)")
    return data


def _wanted(member: str, keep: tuple[str, ...]) -> str | None:
    """The path of ``member`` inside the package, when it is a file of ``keep``, else None."""
    path = PurePosixPath(member)
    if not path.parts or path.parts[0] != "package" or ".." in path.parts or path.is_absolute():
        return None
    inner = PurePosixPath(*path.parts[1:])
    if any(str(inner) == k or str(inner).startswith(k + "/") for k in keep):
        return str(inner)
    return None


def unpack(data: bytes, into: Path, keep: tuple[str, ...]) -> int:
    """Extract the regular files of ``keep`` from an npm tarball into ``into``; returns their number."""
    count = 0
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for member in tar.getmembers():
            inner = _wanted(member.name, keep)
            if inner is None or not member.isfile():
                continue
            target = into / inner
            target.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(member)
            assert source is not None
            target.write_bytes(source.read())
            count += 1
    return count


def fetch(dest: Path = DEFAULT_DEST) -> Path:
    """Make ``dest/mathjax`` hold the pinned MathJax (download, verify, unpack); returns that folder.

    With the marker recording the current pins it does nothing (and touches the marker, so that make
    sees it up to date)."""
    pins = json.dumps({"pins": PINS, "files": FILES}, sort_keys=True, indent=1)
    marker = dest / MARKER
    out = dest / "mathjax"
    if marker.is_file() and marker.read_text(encoding="utf-8") == pins and (out / "tex-chtml.js").is_file():
        os.utime(marker)
        return out
    work = dest / "mathjax.partial"
    shutil.rmtree(work, ignore_errors=True)
    for name, (version, expected) in PINS.items():
        print(f"make mathjax: {tarball_url(name, version)}", flush=True)
        data = _download(name, version, expected)
        prefix, keep = FILES[name]
        n = unpack(data, work / prefix, keep)
        print(f"  {len(data) / 1e6:.1f} MB, integrity ok, {n} files unpacked", flush=True)
    shutil.rmtree(out, ignore_errors=True)
    work.rename(out)
    marker.write_text(pins, encoding="utf-8")
    return out


# ------------------------------------------------------------------------------------------------
# The Sphinx extension


def _sync(source: Path, target: Path) -> None:
    """Make ``target`` a copy of ``source``: copy new and changed files (size or mtime differ), remove
    the files ``source`` lacks (a MathJax 3 left from an older build)."""
    wanted = set()
    for path in source.rglob("*"):
        if not path.is_file():
            continue
        rel = path.relative_to(source)
        wanted.add(rel)
        dst = target / rel
        st = path.stat()
        if dst.is_file():
            dt = dst.stat()
            if dt.st_size == st.st_size and dt.st_mtime_ns == st.st_mtime_ns:
                continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dst)
    if target.is_dir():
        for path in sorted(target.rglob("*"), reverse=True):
            if path.is_file() and path.relative_to(target) not in wanted:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()


def _config_inited(app: Any, config: Any) -> None:
    # The site's combined component (the decks: MathJax 3's tex-svg.js, _ext/book_slides.py).
    config.mathjax_path = "mathjax/tex-chtml.js"
    mj = dict(config.mathjax3_config or {})
    loader = dict(mj.get("loader") or {})
    loader["paths"] = {**LOADER_PATHS, **(loader.get("paths") or {})}
    mj["loader"] = loader
    config.mathjax3_config = mj


def _builder_inited(app: Any) -> None:
    if app.builder.format != "html" or app.builder.name in DECK_BUILDERS:
        return
    if not (DEFAULT_DEST / "mathjax" / "tex-chtml.js").is_file():
        from sphinx.errors import ExtensionError

        raise ExtensionError(
            f"MathJax 4 is not unpacked in {DEFAULT_DEST}: run `make mathjax` "
            "(python -m _ext.book_mathjax; it downloads the pinned tarballs from the npm registry)"
        )


# The decks (sphinx-revealjs builders, _ext/book_slides.py) stay on MathJax 3, from the
# sphinx-mathjax-offline package: with MathJax 4's font one slide of page 08 grew from within
# 1280x720 to 747 px high (tests/slides), and a slide has no use for line breaking.
DECK_BUILDERS = ("revealjs", "dirrevealjs")


def _source(app: Any) -> Path:
    """The MathJax copy a builder serves: MathJax 4 (:func:`fetch`), MathJax 3 for the decks."""
    if app.builder.name in DECK_BUILDERS:
        import importlib.util

        spec = importlib.util.find_spec("sphinx-mathjax-offline")
        assert spec is not None and spec.origin is not None, "sphinx-mathjax-offline is not installed"
        return Path(spec.origin).parent / "static" / "mathjax"
    return DEFAULT_DEST / "mathjax"


def _build_finished(app: Any, exc: Exception | None) -> None:
    if exc is None and app.builder.format == "html":
        _sync(_source(app), Path(app.outdir) / "_static" / "mathjax")


def setup(app: Any) -> dict[str, Any]:
    app.connect("config-inited", _config_inited)
    app.connect("builder-inited", _builder_inited)
    app.connect("build-finished", _build_finished)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    # `make mathjax`: python -m _ext.book_mathjax [DEST]
    fetch(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DEST)
