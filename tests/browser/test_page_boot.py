"""The page boots PyScript + Pyodide offline and reports what it could not load."""

from __future__ import annotations

import json
import time

import pytest
from browser_support import cdn_mirror

pytestmark = pytest.mark.browser


def _elapsed(t0: float) -> float:
    return round(time.perf_counter() - t0, 2)


def test_vendored_without_numpy_says_numpy_could_not_be_loaded(
    site_factory, open_page, timings
):
    site = site_factory("vendor-no-numpy")
    t0 = time.perf_counter()
    run = open_page(site.url, offline=True)
    status = run.wait_status("error", "ready")
    timings["no_numpy_error_seconds"] = _elapsed(t0)
    shot = run.screenshot("vendor-no-numpy-error")
    message = run.message()
    print(f"\n[browser] status={status} after {_elapsed(t0)} s: {message} ({shot})")

    assert status == "error", message
    assert "numpy could not be loaded" in message
    assert "does not carry Pyodide's numpy wheel" in message
    assert "python build.py --vendor --wheels DIR" in message
    assert site.info["numpy_wheel_expected"] in message
    # PyScript and the Pyodide core themselves came up: Python wrote the message.
    assert any("vendor/pyodide/pyodide.asm.wasm" in url for url in run.requests)
    assert run.page.locator("#simulate").is_disabled()
    assert run.foreign_requests() == []
    assert run.page_errors == []


def test_vendored_site_is_ready_offline(
    site_factory, open_page, numpy_wheels_dir, timings
):
    site = site_factory("vendor")
    timings["vendor_build_seconds"] = round(site.build_seconds, 2)
    t0 = time.perf_counter()
    run = open_page(site.url, offline=True)
    assert run.page.locator("#simulate").is_disabled()
    status = run.wait_status("ready", "error")
    timings["vendor_ready_seconds"] = _elapsed(t0)
    ready_ms = run.page.evaluate("document.body.dataset.readyMs")
    timings["vendor_ready_ms_in_page"] = int(ready_ms) if ready_ms else None
    run.screenshot("vendor-ready-1280")
    message = run.message()
    print(f"\n[browser] status={status} after {_elapsed(t0)} s: {message}")
    assert status == "ready", f"{message}\n{run.console}"
    # the versions are on the about line, the status line speaks plainly
    about = run.page.locator("#about").inner_text()
    assert "emcore" in about and "numpy 2." in about, about
    assert run.page.locator("#simulate").is_enabled()
    # no run=1 in the URL: nothing runs, the results wait
    assert run.page.locator("#result-params").get_attribute("data-value") == ""
    assert run.status() == "ready"

    # a changed control shows its value and starts a run (see test_page_run)
    run.page.locator("#k").fill("5")
    assert run.page.locator("#k-value").inner_text() == "5"
    assert run.wait_status("done", timeout_ms=60_000) == "done"
    assert run.page.locator("#result-params").get_attribute("data-value") != ""

    assert run.console_errors == [], run.console
    assert run.page_errors == []
    assert run.foreign_requests() == []
    # numpy, emcore and the page's Python: one request each (the preload hint
    # and Pyodide's loader share it), nothing per module
    for rel in json.loads((site.root / "pyscript.json").read_text())["packages"][1:]:
        assert sum(u.endswith(rel.removeprefix(".")) for u in run.requests) == 1, rel
    numpy_requests = [u for u in run.requests if "/vendor/pyodide/numpy-" in u]
    assert len(numpy_requests) == 1
    assert not [u for u in run.requests if u.endswith(".py")]


@pytest.mark.parametrize("viewport", [(375, 812), (1920, 1080)])
def test_layout_fits_phone_and_desktop(site_factory, open_page, viewport):
    site = site_factory("vendor-no-numpy")
    run = open_page(site.url, offline=True, viewport=viewport)
    run.wait_status("error", "ready")
    width = run.page.evaluate("document.documentElement.scrollWidth")
    run.screenshot(f"layout-{viewport[0]}")
    assert width <= viewport[0], f"horizontal scroll at {viewport[0]} px: {width}"
    for element_id in ("k", "simulate", "result-verdict", "cluster-canvas"):
        box = run.page.locator(f"#{element_id}").bounding_box()
        assert box is not None and box["width"] > 0
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport[0] + 0.5


def test_cdn_build_offline_shows_a_message_not_a_blank_page(site_factory, open_page):
    site = site_factory("cdn")
    html = (site.root / "index.html").read_text()
    assert 'integrity="sha384-' in html
    assert "cdn.jsdelivr.net/npm/@pyscript/core@" in html
    run = open_page(site.url, offline=True)
    status = run.wait_status("error", timeout_ms=30_000)
    run.screenshot("cdn-offline-error")
    message = run.message()
    print(f"\n[browser] CDN build offline: {message}")
    assert status == "error"
    assert "could not be loaded" in message
    assert "python build.py --vendor" in message


def test_cdn_build_with_its_sri_hashes_reaches_ready(
    site_factory, open_page, numpy_wheels_dir, timings
):
    """The GitHub Pages build, its CDN answered with the npm packages' bytes.

    Proves the pinned URLs, the SRI hashes (core.js, core.css and the import
    map's integrity table) and the CSP let the page boot.
    """
    site = site_factory("cdn")
    cdn = cdn_mirror(numpy_wheels_dir)
    t0 = time.perf_counter()
    run = open_page(site.url, offline=True, cdn=cdn)
    status = run.wait_status("ready", "error")
    timings["cdn_mirror_ready_seconds"] = _elapsed(t0)
    run.screenshot("cdn-mirror-ready")
    assert status == "ready", f"{run.message()}\n{run.console}"
    assert run.console_errors == [], run.console
    assert run.page_errors == []
    foreign = run.foreign_requests()
    assert foreign and all(u.startswith("https://cdn.jsdelivr.net/") for u in foreign)
    pins = (
        f"/npm/@pyscript/core@{site.info['pyscript_version']}/dist/",
        f"/pyodide/v{site.info['pyodide_version']}/full/",
    )
    assert all(any(pin in u for pin in pins) for u in foreign), foreign
    assert any(u.endswith("/core.js") for u in cdn.served)
    assert any("/pyodide.asm.wasm" in u for u in cdn.served)
