"""The self-contained build caches itself and opens later with no server."""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time

import pytest
from browser_support import PageRun, build

pytestmark = pytest.mark.browser


def _precache(out):
    """The cache's version and the worker's files, address -> sha256."""
    text = (out / "sw.js").read_text(encoding="utf-8")
    version = re.search(r'const CACHE = "emgmm-([0-9a-f]+)"', text)
    files = json.loads(re.search(r"const FILES = (\[.*?\]);", text, re.S).group(1))
    return (version.group(1) if version else None), dict(files)


def test_only_the_vendored_build_ships_a_filled_in_service_worker(
    tmp_path, emcore_wheel
):
    cdn = build.build_site(tmp_path / "cdn", wheel=emcore_wheel)
    assert cdn["mode"] == "cdn"
    assert not (tmp_path / "cdn" / "sw.js").exists()
    assert "emgmm-service-worker" not in (tmp_path / "cdn" / "index.html").read_text()

    out = tmp_path / "vendor"
    build.build_site(out, vendor=True, numpy=False, wheel=emcore_wheel)
    assert "emgmm-service-worker" in (out / "index.html").read_text()
    version, files = _precache(out)
    assert version is not None and len(version) == 16
    on_disk = {
        "./" + p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and p.name not in {"sw.js", ".nojekyll"}
    }
    assert set(files) == on_disk | {"./"}
    assert "./vendor/pyodide/pyodide.asm.wasm" in files
    # each with the sha256 the worker checks it against before installing
    for url, sha256 in files.items():
        path = out / (url[2:] or "index.html")
        assert sha256 == hashlib.sha256(path.read_bytes()).hexdigest(), url

    # a changed byte anywhere gives a new cache name, so old copies are dropped
    (out / "style.css").write_text((out / "style.css").read_text() + "\n/* */\n")
    (out / "sw.js").write_text((build.SITE_SRC / "sw.js").read_text())
    build.write_service_worker(out)
    assert _precache(out)[0] != version


def test_after_one_visit_the_page_runs_with_the_server_gone(
    tmp_path, browser, emcore_wheel, numpy_wheels_dir
):
    out = tmp_path / "site"
    build.build_site(
        out,
        vendor=True,
        wheels_dir=numpy_wheels_dir,
        wheel=emcore_wheel,
        allow_other_numpy=True,  # the machine's wheel may be a local build
    )
    server = build.make_server(out, 0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    url = f"http://{host}:{port}/"
    context = browser.new_context()
    try:
        page = context.new_page()
        run = PageRun(page, url)
        page.on(
            "console", lambda m: m.type == "error" and run.console_errors.append(m.text)
        )
        page.goto(url + "?k=2&n=100&seed=3&run=1", wait_until="domcontentloaded")
        run.wait_status("done", timeout_ms=120_000)
        deadline = time.monotonic() + 60
        while page.evaluate("document.body.dataset.offline") != "ready":
            assert time.monotonic() < deadline, "the offline copy was never installed"
            page.wait_for_timeout(200)
    finally:
        server.shutdown()
        server.server_close()
    try:
        page.goto(url + "?k=3&n=200&seed=5&run=1", wait_until="domcontentloaded")
        run.wait_status("done", timeout_ms=120_000)
        assert page.locator("#result-params").get_attribute("data-value") == "17"
        assert run.console_errors == []
    finally:
        context.close()
