"""A display option end to end: the "True centres" toggle (the first control
added on the rebuilt page state). From the link into the state, from the
checkbox into the state, into the chart's ``data-centres`` and back into the
address bar, without a new run."""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.browser


def wait_until(run, check, what: str, timeout_s: float = 120.0) -> None:
    t0 = time.perf_counter()
    while not check():
        if run.status() == "error":
            raise AssertionError(f"{run.message()}\n{run.console}")
        if time.perf_counter() - t0 > timeout_s:
            raise AssertionError(f"{what}: status {run.status()!r}, {run.message()}")
        run.page.wait_for_timeout(50)


def centres(run) -> list:
    value = run.page.locator("#cluster-canvas").get_attribute("data-centres")
    return json.loads(value or "[]")


def query(run) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(run.page.url).query).items()}


def test_true_centres_toggle_follows_link_checkbox_and_url(site, open_page):
    run = open_page(
        f"{site.url}?k=3&n=200&seed=2&n_init=1&centres=0&run=1", offline=True
    )
    wait_until(run, lambda: run.status() == "done", "the linked run")
    box = run.page.locator("#show-centres")
    assert not box.is_checked()
    assert centres(run) == []
    assert query(run)["centres"] == "0"
    run_ms = run.page.evaluate("document.body.dataset.runMs")

    box.click()
    wait_until(run, lambda: len(centres(run)) == 3, "centres drawn")
    assert "centres" not in query(run)
    assert run.status() == "done"  # a display option never starts a run
    assert run.page.evaluate("document.body.dataset.runMs") == run_ms

    box.click()
    wait_until(run, lambda: centres(run) == [], "centres hidden again")
    assert query(run)["centres"] == "0"
    assert run.console_errors == [], run.console
    assert run.page_errors == []


def test_a_resize_redraws_the_finished_charts_without_a_run(site, open_page):
    run = open_page(f"{site.url}?k=2&n=150&seed=4&n_init=1&run=1", offline=True)
    wait_until(run, lambda: run.status() == "done", "the linked run")
    canvas = run.page.locator("#cluster-canvas")
    before = (canvas.get_attribute("width"), canvas.get_attribute("data-view"))
    run_ms = run.page.evaluate("document.body.dataset.runMs")

    run.page.set_viewport_size({"width": 700, "height": 900})
    wait_until(
        run,
        lambda: canvas.get_attribute("width") != before[0],
        "the canvas follows its new size",
        timeout_s=20,
    )
    wait_until(
        run,
        lambda: canvas.get_attribute("data-view") != before[1],
        "the chart is drawn for its new size",
        timeout_s=20,
    )
    assert run.status() == "done"
    assert run.page.evaluate("document.body.dataset.runMs") == run_ms
    assert len(json.loads(canvas.get_attribute("data-ellipses"))) == 2
    assert run.console_errors == [], run.console
