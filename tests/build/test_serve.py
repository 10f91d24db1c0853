"""sitebuild.serve: the local server's MIME types, gzip and revalidation."""

from __future__ import annotations

import gzip
import threading
import urllib.error
import urllib.request

from sitebuild.serve import make_server


def test_server_sends_wasm_and_module_mime_types(tmp_path):
    for name in ("a.wasm", "b.mjs", "c.js", "d.json"):
        (tmp_path / name).write_bytes(b"x")
    server = make_server(tmp_path, 0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        types = {}
        for name in ("a.wasm", "b.mjs", "c.js", "d.json"):
            with urllib.request.urlopen(base + name) as resp:
                types[name] = resp.headers["Content-Type"]
    finally:
        server.shutdown()
        server.server_close()
    assert types == {
        "a.wasm": "application/wasm",
        "b.mjs": "text/javascript",
        "c.js": "text/javascript",
        "d.json": "application/json",
    }


def test_server_compresses_text_and_wasm_only_when_asked(tmp_path):
    text = "print('hello')\n" * 200
    (tmp_path / "m.py").write_text(text)
    (tmp_path / "index.html").write_text("<!doctype html><p>hi</p>" * 50)
    (tmp_path / "w.whl").write_bytes(b"PK" * 100)
    server = make_server(tmp_path, 0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"

    def get(name, encoding):
        headers = {"Accept-Encoding": encoding} if encoding else {}
        req = urllib.request.Request(base + name, headers=headers)
        with urllib.request.urlopen(req) as resp:
            return resp.headers.get("Content-Encoding"), resp.read()

    try:
        enc, body = get("m.py", "gzip, br")
        assert enc == "gzip" and gzip.decompress(body).decode() == text
        assert len(body) < len(text) / 10
        enc, body = get("", "gzip")  # the directory serves index.html
        assert enc == "gzip" and b"<p>hi</p>" in gzip.decompress(body)
        assert get("m.py", None) == (None, text.encode())
        assert get("w.whl", "gzip") == (None, b"PK" * 100)  # already compressed
    finally:
        server.shutdown()
        server.server_close()


def test_an_unchanged_file_is_not_sent_again(tmp_path):
    (tmp_path / "m.py").write_text("x = 1\n" * 100)
    (tmp_path / "w.whl").write_bytes(b"PK" * 100)
    server = make_server(tmp_path, 0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"

    def get(name, **headers):
        req = urllib.request.Request(base + name, headers=headers)
        try:
            with urllib.request.urlopen(req) as resp:
                return resp.status, resp.headers, resp.read()
        except urllib.error.HTTPError as err:  # urllib raises on 304
            return err.code, err.headers, err.read()

    try:
        status, headers, body = get("m.py", **{"Accept-Encoding": "gzip"})
        assert status == 200 and body and headers["Cache-Control"] == "no-cache"
        etag = headers["ETag"]
        status, headers, body = get(
            "m.py", **{"Accept-Encoding": "gzip", "If-None-Match": etag}
        )
        assert (status, body, headers["ETag"]) == (304, b"", etag)
        # a changed file has a new tag: sent in full
        (tmp_path / "m.py").write_text("x = 2\n" * 100)
        status, headers, body = get(
            "m.py", **{"Accept-Encoding": "gzip", "If-None-Match": etag}
        )
        assert status == 200 and gzip.decompress(body) == b"x = 2\n" * 100
        # uncompressed files: Last-Modified / If-Modified-Since
        status, headers, _ = get("w.whl")
        status, _, body = get(
            "w.whl", **{"If-Modified-Since": headers["Last-Modified"]}
        )
        assert (status, body) == (304, b"")
    finally:
        server.shutdown()
        server.server_close()


def test_files_are_shared_across_origins_and_cached_as_asked(tmp_path):
    (tmp_path / "a.js").write_text("x")
    no_cache = make_server(tmp_path, 0, quiet=True)
    ten_minutes = make_server(tmp_path, 0, quiet=True, max_age=600)
    seen = {}
    for name, server in {"default": no_cache, "max_age": ten_minutes}.items():
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/a.js"
        try:
            with urllib.request.urlopen(url) as resp:
                seen[name] = (
                    resp.headers["Cache-Control"],
                    resp.headers["Access-Control-Allow-Origin"],
                )
        finally:
            server.shutdown()
            server.server_close()
    # a frame sandboxed without allow-same-origin has an opaque origin: its
    # own site's files reach it only with this header, as GitHub Pages sends
    assert seen == {"default": ("no-cache", "*"), "max_age": ("max-age=600", "*")}
