"""Issue 12: axe-core finds no accessibility violation after a run.

axe-core (npm, the engine behind Lighthouse's accessibility audit) is fetched
once with ``npm pack`` into the build cache (``~/.cache/emgmm/npm``, outside
the repository) and served same-origin from the test's built site for the
module's duration: the page's Content-Security-Policy allows scripts from
'self' only (and its service worker would bypass Playwright's routing).
Checked at 1280x900, 375x812 and in embed mode at 700x500.
"""

from __future__ import annotations

import json
import time

import pytest
from browser_support import (
    build,
    wait_done,  # noqa: E402
)

pytestmark = pytest.mark.browser

AXE_VERSION = "4.14.1"
AXE_PATH = "__axe-core.min.js"


@pytest.fixture(scope="module")
def axe_url(site):
    try:
        package = build.npm_package("axe-core", AXE_VERSION)
    except build.BuildError as exc:
        pytest.fail(f"could not fetch npm axe-core@{AXE_VERSION}: {exc}")
    served = site.root / AXE_PATH
    served.write_bytes((package / "axe.min.js").read_bytes())
    yield site.url + AXE_PATH
    served.unlink()


def audit(run, axe_url: str) -> list[dict]:
    page = run.page
    page.add_script_tag(url=axe_url)
    return page.evaluate(
        "async () => { const r = await axe.run(document); "
        "return r.violations.map(v => ({id: v.id, impact: v.impact, "
        "nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})); }"
    )


@pytest.mark.parametrize(
    ("size", "extra"),
    [((1280, 900), ""), ((375, 812), ""), ((700, 500), "&embed=1&controls=k,cov")],
    ids=["1280x900", "375x812", "embed-700x500"],
)
def test_no_axe_violations_after_a_run(site, open_page, axe_url, size, extra):
    run = open_page(f"{site.url}?k=3&seed=2&run=1{extra}", offline=True, viewport=size)
    wait_done(run)
    violations = audit(run, axe_url)
    print(f"\n[axe] {size}{extra}: {json.dumps(violations, indent=1)}")
    assert violations == []


def test_no_axe_violations_while_loading(site, browser, axe_url):
    # the wheels (numpy, emcore) are held back, so the page stays loading
    # (settings disabled, #settings scrollable at laptop size) while audited
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, device_scale_factor=1
    )
    held = []
    context.route("**/*.whl", lambda route: held.append(route))
    try:
        page = context.new_page()
        page.goto(f"{site.url}?seed=2", wait_until="domcontentloaded")
        t0 = time.perf_counter()
        while not held:
            assert time.perf_counter() - t0 < 120, "no wheel was requested"
            page.wait_for_timeout(100)
        status = "document.body.dataset.status"
        assert page.evaluate(status) == "loading"
        page.add_script_tag(url=axe_url)
        violations = page.evaluate(
            "async () => { const r = await axe.run(document); "
            "return r.violations.map(v => ({id: v.id, impact: v.impact, "
            "nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})); }"
        )
        assert page.evaluate(status) == "loading"  # audited while loading
        assert page.locator("#k").is_disabled()  # inside a disabled fieldset
        print(f"\n[axe] while loading: {json.dumps(violations, indent=1)}")
        assert violations == []
    finally:
        for route in held:
            route.abort()
        context.close()
