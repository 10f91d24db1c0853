"""The local static server: the built site on 127.0.0.1, as a static host sends it.

Pyodide's MIME types (``.wasm``, ``.mjs``), ``no-cache`` (every load asks
whether a file changed: a rebuilt site is seen at once) or, to test what
returning visitors see, GitHub Pages' ``max-age=600``, an ``ETag`` and
``304 Not Modified`` for an unchanged file, gzip for text and WebAssembly
when the client asks, and ``Access-Control-Allow-Origin: *`` (a frame
sandboxed without ``allow-same-origin`` fetches its own files across
origins), like GitHub Pages.
"""

from __future__ import annotations

import gzip
import http.server
from functools import partial
from pathlib import Path

MIME_TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".json": "application/json",
    ".css": "text/css",
    ".html": "text/html",
    ".py": "text/x-python",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with the MIME types Pyodide needs and no caching."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map}
    extensions_map.update(MIME_TYPES)
    quiet = False
    #: ``Cache-Control``: ask every time, unless a test needs a host's cache
    cache_control = "no-cache"

    #: Compressed as GitHub Pages and most static hosts do, so that local
    #: transfers (and the browser benchmark) look like the deployed site.
    compressible = frozenset({".html", ".css", ".js", ".mjs", ".json", ".py", ".wasm"})
    _gzip_cache: dict = {}

    def end_headers(self) -> None:
        self.send_header("Cache-Control", self.cache_control)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = self.headers.get("Accept-Encoding", "")
        if (
            "gzip" not in accepts
            or "Range" in self.headers
            or path.suffix not in self.compressible
            or not path.is_file()
        ):
            super().do_GET()
            return
        stat = path.stat()
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}-gz"'
        if etag in self.headers.get("If-None-Match", ""):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        body = self._gzip_cache.get(key)
        if body is None:
            body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
            self._gzip_cache[key] = body
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        if not self.quiet:
            super().log_message(format, *args)


def make_server(
    directory: Path, port: int = 0, *, quiet: bool = False, max_age: int | None = None
) -> http.server.ThreadingHTTPServer:
    """A ThreadingHTTPServer for ``directory`` on 127.0.0.1 (port 0 = free port).

    ``max_age`` (seconds) lets browsers reuse files without asking, as GitHub
    Pages does for ten minutes; None asks every time (``no-cache``).
    """
    cache = "no-cache" if max_age is None else f"max-age={int(max_age)}"
    handler = type("Handler", (SiteHandler,), {"quiet": quiet, "cache_control": cache})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", port), partial(handler, directory=str(directory))
    )
    server.daemon_threads = True
    return server


def serve(directory: Path, port: int) -> None:
    """Serve ``directory`` on 127.0.0.1:``port`` until Ctrl+C."""
    server = make_server(directory, port)
    host, port = server.server_address[:2]
    print(f"Serving {directory} at http://{host}:{port}/ (Ctrl+C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
