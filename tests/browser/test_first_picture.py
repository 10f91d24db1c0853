"""The first picture: on the stage while Python starts, then the live chart.

An init script (it runs before the page's own scripts and is not subject to
its CSP) records what the page shows at ``DOMContentLoaded`` (Python cannot be
ready before the document is parsed: PyScript's module runs after it), every
status message, the loading bar, and whether the picture is still in the
document when the status becomes ``ready``. No timing is asserted.

The picture's numbers are then compared with the live run of the same
(default) settings: the fitted ellipses and true centres through each
chart's ``data-view`` back to data units, the iterations and the final
log-likelihood.
"""

from __future__ import annotations

import json
import time
from urllib.parse import urlsplit

import numpy as np
import pytest

pytestmark = pytest.mark.browser

RECORD_JS = """(() => {
  const R = (window.__first = {messages: [], progress: [], atReady: null});
  const picture = () => document.getElementById("first-picture");
  const shown = (el) => !!el && el.getBoundingClientRect().width > 0;
  const snapshot = () => {
    const svg = picture();
    const data = {};
    if (svg) for (const a of svg.attributes)
      if (a.name.startsWith("data-")) data[a.name.slice(5)] = JSON.parse(a.value);
    return {
      status: document.body.dataset.status,
      mode: document.documentElement.dataset.firstPicture || "",
      picture: shown(svg),
      label: svg ? svg.getAttribute("aria-label") : "",
      role: svg ? svg.getAttribute("role") : "",
      canvas: shown(document.getElementById("cluster-canvas")),
      simulate: document.getElementById("simulate").disabled,
      fieldsets: [...document.querySelectorAll("#settings fieldset")]
        .every((f) => f.disabled),
      message: document.getElementById("message").textContent,
      bar: !document.getElementById("load-progress").hidden,
      data,
    };
  };
  document.addEventListener("DOMContentLoaded", () => {
    R.atParse = snapshot();
    const body = document.body;
    new MutationObserver(() => {
      if (body.dataset.status === "ready" && R.atReady === null) R.atReady = snapshot();
    }).observe(body, {attributes: true, attributeFilter: ["data-status"]});
    const message = document.getElementById("message");
    new MutationObserver(() => R.messages.push(
      [body.dataset.status, message.textContent])).observe(
      message, {childList: true, characterData: true, subtree: true});
    const bar = document.getElementById("load-progress");
    new MutationObserver(() => R.progress.push(Number(bar.value))).observe(
      bar, {attributes: true, attributeFilter: ["value"]});
  });
})();"""


@pytest.fixture(scope="module")
def vendor_site(site_factory, numpy_wheels_dir):
    return site_factory("vendor")


def _open(browser, url: str):
    """A fresh offline context with the recorder; returns (context, page)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(url))
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(origin)
            else route.abort("internetdisconnected")
        ),
    )
    context.add_init_script(RECORD_JS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url, wait_until="domcontentloaded")
    return context, page, errors


def _wait(page, *statuses: str, timeout_s: float = 120.0) -> str:
    deadline = time.monotonic() + timeout_s
    while (status := page.evaluate("document.body.dataset.status")) not in statuses:
        assert time.monotonic() < deadline, f"status stayed {status!r}"
        page.wait_for_timeout(50)
    return status


def _to_data(points_px, view) -> np.ndarray:
    p = np.asarray(points_px, dtype=float).reshape(-1, 2)
    return np.column_stack(
        [
            view["cx"] + (p[:, 0] - view["plot_cx"]) / view["scale"],
            view["cy"] - (p[:, 1] - view["plot_cy"]) / view["scale"],
        ]
    )


def _ellipses(marks, view) -> np.ndarray:
    """(x, y, rx, ry, rotation) of each drawn ellipse, in data units."""
    centres = _to_data([[m["cx"], m["cy"]] for m in marks], view)
    radii = np.array([[m["rx"], m["ry"]] for m in marks]) / view["scale"]
    rotation = np.array([[m["rotation"]] for m in marks])
    return np.hstack([centres, radii, rotation])


def test_the_first_picture_stands_in_until_the_live_chart_replaces_it(
    vendor_site, browser
):
    context, page, errors = _open(browser, vendor_site.url)
    try:
        assert _wait(page, "ready", "error") == "ready"
        record = page.evaluate("window.__first")
        before, at_ready = record["atParse"], record["atReady"]
        # while Python starts: the picture, not the canvas, and waiting controls
        assert before["status"] == "loading"
        assert before["mode"] == "shown"
        assert before["picture"] and not before["canvas"]
        assert before["role"] == "img" and "data points" in before["label"]
        assert before["simulate"] and before["fieldsets"] and before["bar"]
        assert before["message"].startswith("Starting Python")
        waiting = [text for status, text in record["messages"] if status == "loading"]
        # the message says Python is starting (with a file count while files
        # download; a browser that has them cached goes straight to set-up)
        assert waiting and all(
            t.startswith(("Starting Python", "Python started")) for t in waiting
        ), waiting
        assert record["progress"] and max(record["progress"]) > 2
        # by ready the live chart has replaced it (removed, not left under)
        assert at_ready["mode"] == "replaced"
        assert not at_ready["picture"] and at_ready["canvas"]
        assert page.locator("#first-picture, .first-picture").count() == 0
        # the live chart's own caption: the default data, drawn before any run
        label = page.locator("#frame-label").inner_text()
        assert "when the site was built" not in label
        assert label.startswith("500 points drawn"), label

        # the picture is what the page draws for the same settings
        picture = before["data"]
        page.locator("#simulate").click()
        assert _wait(page, "done", "error") == "done"
        canvas = page.evaluate(
            "JSON.parse(JSON.stringify(document.getElementById("
            "'cluster-canvas').dataset))"
        )
        assert canvas["frame"] == "final"
        live_view = json.loads(canvas["view"])
        live = _ellipses(json.loads(canvas["ellipses"]), live_view)
        drawn = _ellipses(picture["ellipses"], picture["view"])
        assert live.shape == drawn.shape == (3, 5)
        assert np.allclose(drawn, live, rtol=1e-6, atol=1e-9)
        assert [m["color"] for m in picture["ellipses"]] == [
            m["color"] for m in json.loads(canvas["ellipses"])
        ]
        assert np.allclose(
            _to_data(picture["centres"], picture["view"]),
            _to_data(json.loads(canvas["centres"]), live_view),
        )
        result = page.locator("#result-iterations").get_attribute("data-value")
        assert int(result) == picture["iterations"]
        loglik = page.locator("#result-loglik").get_attribute("data-value")
        assert float(loglik) == pytest.approx(picture["loglik"], rel=1e-9)
        assert errors == []
    finally:
        context.close()


def test_a_link_with_settings_of_its_own_shows_no_picture(vendor_site, browser):
    context, page, errors = _open(browser, vendor_site.url + "?k=4&n=300")
    try:
        before = page.evaluate("window.__first.atParse")
        assert before["mode"] == "off"
        assert not before["picture"] and before["canvas"]
        assert _wait(page, "ready", "error") == "ready"
        assert page.locator("#first-picture").count() == 0
        assert errors == []
    finally:
        context.close()


def test_a_start_that_fails_takes_the_picture_away(site_factory, browser):
    site = site_factory("vendor-no-numpy")
    context, page, errors = _open(browser, site.url)
    try:
        assert page.evaluate("window.__first.atParse.mode") == "shown"
        assert _wait(page, "error", "ready") == "error"
        assert page.locator("#first-picture").count() == 0
        assert page.locator("#cluster-canvas").bounding_box()["width"] > 0
        assert errors == []
    finally:
        context.close()
