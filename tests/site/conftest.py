"""Fixtures for the browser checks of the built site (run by `make test` after `make book`).

The site in ``_build/html`` (the lecturer's edition in its ``slides/``) is served on 127.0.0.1 by
:func:`serve.serve_directory` (tests/serve.py, shared with tests/slides), and every page is opened in
one headless Chromium (Debian's ``/usr/bin/chromium``, driven by Playwright).

Most checks only read a page: they share one load of it per window size (:func:`site_page`), and the
site's tests are run grouped by page (:func:`pytest_collection_modifyitems`), so that each page is
opened once at a desktop window and once at a phone's, not once per check. A check that changes the
page (the offline player's controls) is marked ``changes_page`` and runs after the other checks of its
page, on the same load.

The shared loads have MathJax's speech and braille labels off (:data:`SPEECH_OFF_JS`), as a reader can
set them in MathJax's menu. The labels are on by default for readers, but they cost MathJax's speech
worker seconds of CPU per page (~135 CPU-seconds over the whole suite, measured), and they are made by one
engine with the same markup for every formula (an ``mjx-speech`` element: ``role="img"``, ``aria-label``,
braille labels). They are checked on loads of their own of the page with the most displayed formulas, at
both sizes (``test_reader.test_speech_labels``): every formula labelled, axe-core on them, the load's log,
and a layout the same with and without them.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from serve import PageLog, group_checks, received_bytes, record_page, serve_directory

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "_build" / "html"

#: The window sizes the shared loads are made at: a desktop browser and a phone.
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}

# MathJax's menu keeps a reader's settings in localStorage (ui/menu: MENU_STORAGE) and applies them at
# startup: this turns the speech and braille labels off, before the page's scripts run.
SPEECH_OFF_JS = (
    "localStorage.setItem('MathJax-Menu-Settings', JSON.stringify({speech: false, braille: false}))"
)

# jupyter-book writes index.html as an immediate redirect to the root page.
META_REFRESH = re.compile(r'<meta\s+http-equiv="refresh"\s+content="\d+;\s*url=([^"]+)"', re.IGNORECASE)

# Settled for the checks that read the page: fonts loaded, every image loaded (lazy ones made eager, the
# page scrolled to its end and back), every formula typeset and in the page. MathJax 4 typesets in one
# render pass (MathJax.startup.document.render(): find, compile, typeset, insert into the page, styles,
# then it starts the speech and braille labels and the explorer); the pass ends with every formula shown,
# its bit 'updateDocument' set (a pass that must first load a font file is aborted and run again:
# the bit is set only by a pass that inserted everything). MathJax.startup.promise resolves only once
# the speech worker has labelled every formula, seconds later on a long page; what that adds is
# attributes (aria labels, data-semantic-*), no layout (benchmarks/site_settle.py compares every
# formula's box and the page's height at both states, on every page at both widths; so does
# test_reader.test_speech_labels). Checks that read those attributes (axe-core) or the log of the whole
# load wait for them: SitePage.finished(). (On a load with the labels off, the shared loads, MathJax
# finishes as it typesets.)
SETTLE_JS = """async () => {
  await document.fonts.ready;
  const imgs = Array.from(document.images);
  imgs.forEach(i => { i.loading = 'eager'; });
  window.scrollTo(0, document.body.scrollHeight);
  await Promise.all(imgs.map(i => i.complete ? null : new Promise(r => {
    i.addEventListener('load', r); i.addEventListener('error', r);
  })));
  window.scrollTo(0, 0);
  if (window.MathJax && MathJax.startup) {
    const inserted = () => {
      const doc = MathJax.startup.document;
      return !!(doc && doc.processed && doc.processed.isSet('updateDocument'));
    };
    // (startup.promise also ends the wait: on MathJax's failure, rejected, it fails the load)
    await Promise.race([MathJax.startup.promise, new Promise(resolve => {
      const poll = () => inserted() ? resolve() : setTimeout(poll, 20);
      poll();
    })]);
    await document.fonts.ready;  // MathJax's own fonts, requested once its output is in the page
  }
  return true;
}"""

# MathJax finished: its startup promise (the first typesetting, speech and braille labels included).
FINISH_JS = """async () => {
  if (window.MathJax && MathJax.startup) await MathJax.startup.promise;
  await document.fonts.ready;
  return true;
}"""

# What the layout checks read of the math: every formula's box (mjx-container) and the page's size.
LAYOUT_JS = """() => ({
  boxes: Array.from(document.querySelectorAll('mjx-container')).map(c => {
    const r = c.getBoundingClientRect();
    return [r.left + scrollX, r.top + scrollY, r.width, r.height].map(v => Math.round(v * 100) / 100);
  }),
  size: [document.documentElement.scrollWidth, document.documentElement.scrollHeight],
})"""


@dataclass
class SitePage:
    """One load of a site page in its own browser context (nothing cached from another page).

    Attributes
    ----------
    page : playwright Page
        Settled (:data:`SETTLE_JS`: every formula typeset and shown); the checks that share it must
        only read it, but for the one marked ``changes_page``, which runs after them.
    path : Path
        The page's file under the site.
    status : int
        HTTP status of the page's own request.
    console, failed, offsite : list of str
        Console errors and uncaught exceptions, failed local requests (network or HTTP >= 400),
        requests to other hosts (aborted), during the load: until settled and the network quiet,
        or, after :meth:`finished`, until MathJax has finished (not what the checks cause later:
        axe-core, for one, fetches style sheets itself).
    sizes : Counter
        Bytes of HTML ("document") and images ("image") received during the load (until settled):
        :func:`serve.received_bytes`; empty for a page that redirects (index.html).
    typeset_layout, finished_layout : dict or None
        :data:`LAYOUT_JS` when settled, and after :meth:`finished` (``None`` before).
    """

    page: Any
    path: Path
    log: PageLog = field(repr=False)
    status: int = 0
    console: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    offsite: list[str] = field(default_factory=list)
    sizes: Counter[str] = field(default_factory=Counter)
    typeset_layout: dict[str, Any] | None = None
    finished_layout: dict[str, Any] | None = None

    def _take_log(self) -> None:
        _wait_quiet(self.page, self.log.inflight, self.path)
        self.console, self.failed, self.offsite = (
            list(self.log.console),
            list(self.log.failed),
            list(self.log.offsite),
        )

    def finished(self) -> SitePage:
        """This load once MathJax has finished (:data:`FINISH_JS`: the speech and braille labels of
        every formula in) and the network is quiet again; its console, failed and offsite then cover
        MathJax's work too. For the checks that read what that adds (axe-core's ARIA rules) or the
        whole load's log. Returns ``self``."""
        if self.finished_layout is None:
            self.page.evaluate(FINISH_JS)
            self._take_log()
            self.finished_layout = self.page.evaluate(LAYOUT_JS)
        return self


def page_path(path: Path) -> str:
    return path.relative_to(SITE).as_posix()


def _wait_quiet(
    page: Any, inflight: dict[Any, str], path: Path, quiet_s: float = 0.5, limit_s: float = 90
) -> None:
    """Wait until no request has been open for ``quiet_s`` (a loaded machine may need more than 30 s);
    fail naming the requests still open after ``limit_s``. (Requests in flight as the route handler
    sees them: Playwright's own "networkidle" wait hung for 90 s now and then on pages with MathJax
    4, no request left open when probed; this wait names what is open.)"""
    start = quiet = time.monotonic()
    while True:
        now = time.monotonic()
        if inflight:
            quiet = now
        elif now - quiet >= quiet_s:
            return
        if now - start > limit_s:
            raise AssertionError(
                f"{path.name}: requests still open after {limit_s:.0f} s: {sorted(inflight.values())}"
            )
        page.wait_for_timeout(100)


def load_site_page(
    browser: Any, base_url: str, path: Path, viewport: dict[str, int], speech: bool = False
) -> tuple[Any, SitePage]:
    """Open ``path`` of the site in a fresh context at ``viewport``, recording what it requests
    (:func:`serve.record_page`), until settled (:data:`SETTLE_JS`) and the network quiet; returns
    (context, SitePage). MathJax's speech and braille labels off (:data:`SPEECH_OFF_JS`) unless
    ``speech``. A redirect page (index.html) is followed to its target. The caller closes
    the context."""
    context = browser.new_context(viewport=viewport)
    if not speech:
        context.add_init_script(SPEECH_OFF_JS)
    page = context.new_page()
    loaded = SitePage(page=page, path=path, log=record_page(page, PageLog()))
    try:
        url = f"{base_url}/{page_path(path)}"
        response = page.goto(url, wait_until="load")
        loaded.status = response.status if response is not None else 0
        redirect = META_REFRESH.search(path.read_text(encoding="utf-8", errors="replace"))
        if redirect:
            page.wait_for_url(urljoin(url, redirect.group(1)))
            page.wait_for_load_state("load")
        page.evaluate(SETTLE_JS)
        loaded._take_log()
        loaded.typeset_layout = page.evaluate(LAYOUT_JS)
        # (a redirect page's own response is gone with its navigation: no sizes for it)
        loaded.sizes = received_bytes([] if redirect else list(loaded.log.responses))
    except BaseException:
        context.close()
        raise
    return context, loaded


@pytest.fixture(scope="session")
def site() -> Path:
    if not (SITE / "index.html").is_file():
        pytest.fail(f"{SITE} has no index.html: run `make book` first")
    return SITE


@pytest.fixture(scope="session")
def base_url(site: Path) -> Iterator[str]:
    """Serve the site on a free port of 127.0.0.1 for the whole session."""
    with serve_directory(site) as url:
        yield url


@pytest.fixture(scope="session")
def site_page(browser: Any, base_url: str) -> Iterator[Callable[[Path, str], SitePage]]:
    """``site_page(path, "desktop" | "phone")``: the page of ``path`` loaded at that window size
    (:data:`VIEWPORTS`; MathJax's speech labels off), shared by the checks of that
    page: one load per page and size is kept open until a check asks for another page at that size."""
    current: dict[str, tuple[Path, Any, SitePage]] = {}

    def get(path: Path, viewport: str = "desktop") -> SitePage:
        if viewport not in VIEWPORTS:
            raise ValueError(f"viewport must be one of {sorted(VIEWPORTS)}, got {viewport!r}")
        kept = current.get(viewport)
        if kept is not None and kept[0] == path:
            return kept[2]
        if kept is not None:
            del current[viewport]
            kept[1].close()
        context, loaded = load_site_page(browser, base_url, path, VIEWPORTS[viewport])
        current[viewport] = (path, context, loaded)
        return loaded

    try:
        yield get
    finally:
        for _, context, _ in current.values():
            context.close()


@pytest.fixture(scope="session")
def own_site_page(browser: Any, base_url: str) -> Callable[..., AbstractContextManager[SitePage]]:
    """``with own_site_page(path, "desktop" | "phone", speech=False) as loaded``: a load of the page of
    its own, as :func:`site_page`'s (settled; with MathJax's speech labels if ``speech``), for a check
    that changes the page or needs other settings; closed after the block."""

    @contextmanager
    def load(path: Path, viewport: str = "desktop", speech: bool = False) -> Iterator[SitePage]:
        if viewport not in VIEWPORTS:
            raise ValueError(f"viewport must be one of {sorted(VIEWPORTS)}, got {viewport!r}")
        context, loaded = load_site_page(browser, base_url, path, VIEWPORTS[viewport], speech)
        try:
            yield loaded
        finally:
            context.close()

    return load


def _page_of(item: pytest.Item) -> str:
    """The site page an item checks (its ``path`` parameter), "" for a check of no single page."""
    callspec = getattr(item, "callspec", None)
    path = callspec.params.get("path") if callspec is not None else None
    return page_path(path) if isinstance(path, Path) and path.is_relative_to(SITE) else ""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "changes_page: the check changes its page's shared desktop load (moves the offline player's"
        " controls); run after every other check of that page",
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the site's checks grouped by page (in their order otherwise), so that the checks of one page
    share its loads (:func:`site_page`); in each group, the checks marked ``changes_page`` last. Other
    tests keep their places. (The shared loads have MathJax's speech labels off, so MathJax finishes as
    it typesets: no check needs to wait for it behind the others.)"""
    group_checks(
        items,
        Path(__file__).parent,
        key=lambda item: (_page_of(item), item.get_closest_marker("changes_page") is not None),
    )
