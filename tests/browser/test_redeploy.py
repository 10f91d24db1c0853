"""A redeploy reaches returning visitors whole, behind a host's HTTP cache.

The self-contained site is served as GitHub Pages serves it
(``Cache-Control: max-age=600``): a visitor's browser may reuse any file for
ten minutes without asking. Version 1 is visited (its service worker
installs), the served folder switches to version 2, and the page is
reloaded: that page is still version 1, its service worker fetches version
2 past the HTTP cache, checks every file against the build's hashes, takes
over and the page says a new version is ready. The next reload, and a new
tab, show version 2 in every file (page, script, stylesheet).
"""

from __future__ import annotations

import os
import shutil
import threading
import time

import pytest
from browser_support import build

pytestmark = pytest.mark.browser

MARK_HTML = '<meta name="test-version" content="2">'
MARK_JS = '\ndocument.documentElement.dataset.testVersion = "2";\n'
MARK_CSS = "\n:root { --test-version: 2; }\n"
VERSION = """() => [
  document.querySelector('meta[name="test-version"]') ? '2' : '1',
  document.documentElement.dataset.testVersion || '1',
  getComputedStyle(document.documentElement).getPropertyValue('--test-version').trim()
    || '1',
]"""

# check for a new worker now and wait for its fate: "activated" or
# "redundant" (its install failed)
UPDATE = """async () => {
  const registration = await navigator.serviceWorker.getRegistration();
  await registration.update();
  const worker = registration.installing || registration.waiting;
  if (!worker) return "none";
  const settled = () => ["activated", "redundant"].includes(worker.state);
  if (!settled()) {
    await new Promise((resolve) => worker.addEventListener("statechange", () => {
      if (settled()) resolve();
    }));
  }
  return worker.state;
}"""


@pytest.fixture(scope="module")
def site(site_factory, numpy_wheels_dir):
    return site_factory("vendor")


def _version_two(v1, v2) -> None:
    """``v2``: ``v1`` with its page, script and stylesheet changed and its
    service worker rewritten for them, as a new build would."""
    shutil.copytree(v1, v2)
    index = (v2 / "index.html").read_text()
    (v2 / "index.html").write_text(index.replace("</head>", MARK_HTML + "</head>", 1))
    (v2 / "boot.js").write_text((v2 / "boot.js").read_text() + MARK_JS)
    (v2 / "style.css").write_text((v2 / "style.css").read_text() + MARK_CSS)
    (v2 / "sw.js").write_text((build.SITE_SRC / "sw.js").read_text())
    build.write_service_worker(v2)


def _wait(page, script: str, wanted, timeout_s: float = 90.0):
    deadline = time.monotonic() + timeout_s
    while (value := page.evaluate(script)) != wanted:
        assert time.monotonic() < deadline, (script, value)
        page.wait_for_timeout(200)
    return value


def _ready(page) -> None:
    _wait(page, "document.body.dataset.status", "ready", timeout_s=120)


def test_two_reloads_bring_a_redeploy_behind_a_ten_minute_cache(
    site, browser, tmp_path
):
    v1, v2, current = tmp_path / "v1", tmp_path / "v2", tmp_path / "current"
    shutil.copytree(site.root, v1)
    _version_two(v1, v2)
    os.symlink(v1, current)
    server = build.make_server(current, 0, quiet=True, max_age=600)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    context = browser.new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(url)
        _ready(page)
        _wait(page, "document.body.dataset.offline", "ready")
        _wait(page, "Boolean(navigator.serviceWorker.controller)", True)
        assert page.evaluate(VERSION) == ["1", "1", "1"]

        # the deploy: the whole folder switches at once
        os.symlink(v2, tmp_path / "next")
        os.replace(tmp_path / "next", current)

        page.reload()
        _ready(page)
        assert page.evaluate(VERSION) == ["1", "1", "1"]  # still the cached copy
        _wait(page, "document.documentElement.dataset.update || ''", "ready")
        notice = page.locator("#update-notice")
        assert notice.inner_text() == "A new version is ready: reload to update."

        page.reload()
        _ready(page)
        assert page.evaluate(VERSION) == ["2", "2", "2"]
        assert page.locator("#update-notice").count() == 0
        other = context.new_page()
        other.goto(url + "?k=2")
        _ready(other)
        assert other.evaluate(VERSION) == ["2", "2", "2"]
        caches = page.evaluate("caches.keys()")
        assert len(caches) == 1, caches  # version 1's copy is gone
        assert errors == []
    finally:
        context.close()
        server.shutdown()
        server.server_close()


def test_a_partial_deploy_is_not_installed(site, browser, tmp_path):
    """A file that differs from the new build's hashes (a deploy still being
    copied, a proxy's old copy): the new version is refused, the old stays."""
    v1, v2, current = tmp_path / "v1", tmp_path / "v2", tmp_path / "current"
    shutil.copytree(site.root, v1)
    _version_two(v1, v2)
    # the new worker and page, but the old stylesheet
    shutil.copy2(v1 / "style.css", v2 / "style.css")
    os.symlink(v1, current)
    server = build.make_server(current, 0, quiet=True, max_age=600)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url)
        _ready(page)
        _wait(page, "document.body.dataset.offline", "ready")
        _wait(page, "Boolean(navigator.serviceWorker.controller)", True)
        before = page.evaluate("caches.keys()")
        os.symlink(v2, tmp_path / "next")
        os.replace(tmp_path / "next", current)
        page.reload()
        _ready(page)
        # the new worker tries and gives up: no new cache, no notice
        assert page.evaluate(UPDATE) == "redundant"
        assert page.evaluate("caches.keys()") == before
        assert page.evaluate("document.documentElement.dataset.update") is None
        page.reload()
        _ready(page)
        assert page.evaluate(VERSION) == ["1", "1", "1"]
    finally:
        context.close()
        server.shutdown()
        server.server_close()
