"""What the browser checks (tests/site, tests/slides, tests/lab) share: one local web server, a directory
served on a free port of 127.0.0.1 by a thread running :mod:`http.server`, quietly (no request log on
stderr); one record of what a page does (:func:`record_page`): its requests off 127.0.0.1 (aborted), its
console errors, its failed requests; and the page-weight budget (:data:`MAX_CONTENT_BYTES`,
:func:`received_bytes`, :func:`shown_image_bytes`, :func:`over_budget`), checked on the site's pages
(tests/site/test_weight.py) and on the decks (tests/slides, on their own loads)."""

from __future__ import annotations

import functools
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

#: The only host a page of the book may request anything from.
LOCAL_HOSTS = frozenset({"127.0.0.1"})
#: The most a page's own content (its HTML, the offline players' frames inside it, and its images) may
#: weigh in bytes (issue 25); the theme's style sheets, scripts and fonts are not counted.
MAX_CONTENT_BYTES = 1_500_000


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # the base class names it `format`
        pass


@contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 for the ``with`` block; yields its base URL (no trailing /).

    Raises
    ------
    ValueError
        If ``directory`` is not a directory.
    """
    if not Path(directory).is_dir():
        raise ValueError(f"directory {directory} is not a directory")
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def is_local(url: str) -> bool:
    """Whether a request for ``url`` stays on this machine (127.0.0.1, or a ``data:`` URL)."""
    return url.startswith("data:") or urlsplit(url).hostname in LOCAL_HOSTS


@dataclass
class PageLog:
    """What a page did since :func:`record_page`.

    Attributes
    ----------
    console : list of str
        Console errors and uncaught exceptions ("uncaught: ...").
    failed : list of str
        Local requests that failed (network error, or HTTP >= 400).
    offsite : list of str
        Requests to any other host (aborted).
    responses : list of playwright Response
        Every response received.
    inflight : dict
        The requests open now (request -> URL).
    """

    console: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    offsite: list[str] = field(default_factory=list)
    responses: list[Any] = field(default_factory=list, repr=False)
    inflight: dict[Any, str] = field(default_factory=dict, repr=False)


def record_page(page: Any, log: PageLog) -> PageLog:
    """Make ``page`` (a Playwright Page, before it loads anything) abort its requests off 127.0.0.1 and
    record into ``log`` what it does from now on (:class:`PageLog`); returns ``log``."""

    def route(route: Any) -> None:
        if is_local(route.request.url):
            route.continue_()
        else:
            log.offsite.append(route.request.url)
            route.abort()

    def on_response(response: Any) -> None:
        log.responses.append(response)
        if response.status >= 400:
            log.failed.append(f"{response.url}: HTTP {response.status}")

    def on_failed(request: Any) -> None:
        log.inflight.pop(request, None)
        if is_local(request.url):
            log.failed.append(f"{request.url}: {request.failure}")

    page.route("**/*", route)
    page.on("console", lambda msg: msg.type == "error" and log.console.append(msg.text))
    page.on("pageerror", lambda exc: log.console.append(f"uncaught: {exc}"))
    page.on("response", on_response)
    page.on("request", lambda request: log.inflight.__setitem__(request, request.url))
    page.on("requestfinished", lambda request: log.inflight.pop(request, None))
    page.on("requestfailed", on_failed)
    return log


#: The resource types a page's own content is made of (what :data:`MAX_CONTENT_BYTES` bounds).
CONTENT_TYPES = ("document", "image")


def received_bytes(responses: Iterable[Any]) -> Counter[str]:
    """Bytes received of each of the :data:`CONTENT_TYPES`, over Playwright ``responses`` (a
    :class:`PageLog`'s, read while its page is open); an HTTP redirect carries no content. (The bodies
    of the theme's scripts, style sheets and fonts are not fetched: 0.2 s of a page's load, measured.)"""
    sizes: Counter[str] = Counter()
    for response in responses:
        kind = response.request.resource_type
        if kind in CONTENT_TYPES and not 300 <= response.status < 400:
            sizes[kind] += len(response.body())
    return sizes


def shown_image_bytes(path: Path) -> int:
    """Bytes of the image files the HTML page ``path`` shows (its ``<img src>``; ``data:`` URLs aside),
    read from disk: what a load of the page must at least receive as images."""
    html = Path(path).read_text(encoding="utf-8")
    srcs = {s for s in re.findall(r'<img[^>]*\ssrc="([^"]+)"', html) if not s.startswith("data:")}
    files = {(Path(path).parent / s).resolve() for s in srcs}
    return sum(f.stat().st_size for f in files if f.is_file())


def over_budget(sizes: Counter[str]) -> str | None:
    """Why a page's own content (``received_bytes``: its HTML and images) is over
    :data:`MAX_CONTENT_BYTES`, or ``None`` when it is within it."""
    content = sizes["document"] + sizes["image"]
    if content <= MAX_CONTENT_BYTES:
        return None
    return (
        f"{content / 1e6:.2f} MB of HTML and images (HTML {sizes['document'] / 1e6:.2f} MB, images "
        f"{sizes['image'] / 1e6:.2f} MB; at most {MAX_CONTENT_BYTES / 1e6:g} MB): smaller or fewer "
        "player frames or figures"
    )


def group_checks(items: list[Any], folder: Path, key: Callable[[Any], Any]) -> None:
    """Reorder, in place, the collected checks under ``folder`` by ``key`` (stable: each group's checks
    in their order), so that checks that share a page load run together; other tests keep their places."""
    slots = [k for k, item in enumerate(items) if item.path.is_relative_to(folder)]
    grouped = sorted((items[k] for k in slots), key=key)
    for k, item in zip(slots, grouped, strict=True):
        items[k] = item
