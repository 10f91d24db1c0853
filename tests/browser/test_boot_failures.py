"""Start-up where course sites put the page: boot.js, in a real browser.

A learning platform's ``<iframe sandbox="allow-scripts">`` (no
``allow-same-origin``) gives the page an opaque origin: the browser denies it
IndexedDB and ``localStorage``, and its own site's files arrive across
origins (the server sends ``Access-Control-Allow-Origin: *``, as GitHub Pages
does). The page runs without storage and its embed API reports to the course
page; so it does with site data blocked in the browser's settings. What
cannot be worked around is named in plain words within seconds: a
Content-Security-Policy without ``'unsafe-eval'`` or ``'wasm-unsafe-eval'``,
the WebAssembly runtime missing on the server, the network failing while
Python starts (with denied storage named as well).
"""

from __future__ import annotations

import json
import re
import threading
import time

import pytest
from browser_support import BOOT_TIMEOUT_MS, CHROMIUM, CHROMIUM_ARGS, build

pytestmark = pytest.mark.browser

QUERY = "embed=1&k=3&n=300&seed=2&n_init=1&run=1"

# the course page: the frame sandboxed as learning platforms do; it records
# the frame's embed API messages
HOST = """<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>
<title>Course page</title><link rel='icon' href='data:,'></head><body>
<iframe id='sim' sandbox='allow-scripts' src='{src}' width='800' height='600'
 title='EM simulator'></iframe>
<script>
window.events = [];
const sim = document.getElementById('sim');
window.addEventListener('message', (e) => {{
  if (e.source !== sim.contentWindow) return;
  window.events.push({{origin: e.origin, data: e.data}});
}});
</script></body></html>"""

# the page's own policy without what Python in the browser needs
CSP_RE = re.compile(r"script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'")


@pytest.fixture(scope="module")
def site(site_factory, numpy_wheels_dir):
    return site_factory("vendor")


@pytest.fixture
def course_page(tmp_path):
    """``make(src)``: the course page served on ``localhost`` (another site
    than the simulator's ``127.0.0.1``)."""
    servers = []

    def make(src: str) -> str:
        (tmp_path / "index.html").write_text(HOST.format(src=src))
        server = build.make_server(tmp_path, 0, quiet=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://localhost:{server.server_address[1]}/"

    yield make
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def context(browser):
    context = browser.new_context()
    yield context
    context.close()


def test_a_sandboxed_frame_without_storage_starts_and_runs(site, context, course_page):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(course_page(f"{site.url}?{QUERY}"))
    t0 = time.monotonic()
    while not any(e["data"]["type"] == "emgmm:done" for e in page.evaluate("events")):
        late = time.monotonic() - t0 > BOOT_TIMEOUT_MS / 1000
        frame = page.frame_locator("#sim")
        assert not late, frame.locator("#message").inner_text()
        page.wait_for_timeout(200)
    events = page.evaluate("events")
    # the frame's origin is opaque: its messages come from "null"
    assert {e["origin"] for e in events} == {"null"}
    statuses = [e["data"]["status"] for e in events if "status" in e["data"]]
    assert statuses[:2] == ["running", "done"], statuses
    done = next(e["data"] for e in events if e["data"]["type"] == "emgmm:done")
    assert done["results"]["iterations"] > 0
    # the frame itself: storage denied, run with an in-memory stand-in
    frame = page.frames[1]
    assert frame.evaluate("document.body.dataset.status") == "done"
    assert frame.evaluate("document.documentElement.dataset.storage") == "memory"
    denied = frame.evaluate(
        "() => { try { localStorage; return false } catch (e) { return true } }"
    )
    assert denied
    assert errors == []


def test_a_sandboxed_frame_that_still_cannot_start_names_the_storage_too(
    site, context, course_page
):
    context.route(
        "**/pyodide.asm.wasm", lambda route: route.fulfill(status=404, body="")
    )
    page = context.new_page()
    page.goto(course_page(f"{site.url}?{QUERY}"))
    frame = page.frame_locator("#sim")
    t0 = time.monotonic()
    while (status := page.frames[-1].evaluate("document.body.dataset.status")) == (
        "loading"
    ):
        assert time.monotonic() - t0 < 30, frame.locator("#message").inner_text()
        page.wait_for_timeout(100)
    message = frame.locator("#message").inner_text()
    assert status == "error"
    assert "missing on the server" in message
    assert "denies the page its storage" in message


def test_site_data_blocked_in_the_browser_settings_starts(site, browser, tmp_path):
    """Chromium's "block sites from saving data" (cookies: 2 in the profile):
    IndexedDB's open fails and localStorage throws; the page still starts."""
    profile = tmp_path / "profile"
    (profile / "Default").mkdir(parents=True)
    blocked = {"profile": {"default_content_setting_values": {"cookies": 2}}}
    (profile / "Default" / "Preferences").write_text(json.dumps(blocked))
    # a profile of its own, launched by the session's Playwright
    context = browser.browser_type.launch_persistent_context(
        str(profile), executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
    )
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(site.url + "?k=2&n=200&seed=3&n_init=1&run=1")
        t0 = time.monotonic()
        while (status := page.evaluate("document.body.dataset.status")) in (
            "loading",
            "ready",
            "running",
        ):
            late = time.monotonic() - t0 > BOOT_TIMEOUT_MS / 1000
            assert not late, page.locator("#message").inner_text()
            page.wait_for_timeout(200)
        assert status == "done", page.locator("#message").inner_text()
        storage = page.evaluate("document.documentElement.dataset.storage")
        assert storage == "memory"
        assert errors == []
    finally:
        context.close()


def _failing_start(context, url: str) -> tuple[str, str, float]:
    """Open ``url``; return the status, the message and the seconds it took."""
    page = context.new_page()
    t0 = time.monotonic()
    page.goto(url)
    while page.evaluate("document.body.dataset.status") == "loading":
        assert time.monotonic() - t0 < 30, page.locator("#message").inner_text()
        page.wait_for_timeout(100)
    status = page.evaluate("document.body.dataset.status")
    return status, page.locator("#message").inner_text(), time.monotonic() - t0


@pytest.mark.parametrize(
    ("removed", "blocked"),
    [("'unsafe-eval' 'wasm-unsafe-eval'", "wasm-eval"), ("'unsafe-eval'", "eval")],
)
def test_a_policy_without_eval_is_named(site, context, removed, blocked):
    index = (site.root / "index.html").read_text()
    assert CSP_RE.search(index)
    strict = index.replace(f" {removed}", "", 1)

    def serve_strict(route):
        if route.request.url.split("?")[0] == site.url:
            route.fulfill(status=200, content_type="text/html", body=strict)
        else:
            route.continue_()

    context.route("**/*", serve_strict)
    status, message, seconds = _failing_start(context, site.url)
    print(f"\n[browser] without {removed}: {message} ({seconds:.1f} s)")
    assert status == "error"
    assert "Content-Security-Policy forbids" in message
    assert "'unsafe-eval' and 'wasm-unsafe-eval'" in message
    assert "offline" not in message  # no network advice for a policy


def test_the_runtime_missing_on_the_server_is_named(site, context):
    context.route(
        "**/pyodide.asm.wasm", lambda route: route.fulfill(status=404, body="")
    )
    status, message, seconds = _failing_start(context, site.url)
    print(f"\n[browser] wasm missing: {message} ({seconds:.1f} s)")
    assert status == "error"
    assert "missing on the server" in message and "not deployed whole" in message


@pytest.mark.parametrize("name", ["pyodide.asm.wasm", "python_stdlib.zip"])
def test_a_network_failure_while_python_starts_is_named(site, context, name):
    context.route(f"**/{name}", lambda route: route.abort("internetdisconnected"))
    status, message, seconds = _failing_start(context, site.url)
    print(f"\n[browser] {name} unreachable: {message} ({seconds:.1f} s)")
    assert status == "error"
    assert "could not be downloaded: the network failed" in message
