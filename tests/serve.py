"""One local web server for the browser checks (tests/site, tests/slides): a directory served on a free
port of 127.0.0.1 by a thread running :mod:`http.server`, quietly (no request log on stderr)."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


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
