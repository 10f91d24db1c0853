"""The bound panel's path view in a real browser: log L and the bound of one
iteration of the best start along its path through parameter space, from
the parameters before it (s = 0) to its M-step's (s = 1) (vendored build,
offline)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "site"))

from browser_support import SCREENSHOTS, wait_done  # noqa: E402
from simapp.run.bound import iteration_path, path_record  # noqa: E402
from test_bound import wait_attr  # noqa: E402

pytestmark = pytest.mark.browser

REL = 1e-9
QUERY = "k=3&n=300&overlap=30&seed=4"


def wait_path(run, iteration: int, timeout_s: float = 20.0) -> dict:
    """``#bound-path``'s ``data-path`` once it shows ``iteration``."""
    t0 = time.perf_counter()
    while True:
        raw = run.page.locator("#bound-path").get_attribute("data-path")
        if raw and json.loads(raw)["iteration"] == iteration:
            return json.loads(raw)
        if time.perf_counter() - t0 > timeout_s:
            raise AssertionError(f"data-path stayed {raw!r}")
        run.page.wait_for_timeout(50)


def check_path(path):
    """Touch at s = 0, the bound's maximum at s = 1, the bound under log L."""
    s = np.array(path["s"])
    ll, bound = np.array(path["loglik"]), np.array(path["bound"])
    assert len(s) == len(ll) == len(bound) > 2
    zero, one = list(s).index(0.0), list(s).index(1.0)
    assert abs(ll[zero] - bound[zero]) <= REL * abs(ll[zero])
    assert int(np.argmax(bound)) == one
    assert np.all(bound <= ll + REL * np.abs(ll))


def cpython_path(record, iteration: int, query: str = QUERY) -> dict:
    """The same path computed here, from the run the page's settings give."""
    settings = {k: int(v) for k, v in (p.split("=") for p in query.split("&"))}
    timeline, result = record(**settings)
    path = iteration_path(timeline, result.X, result.best_start, iteration)
    return path_record(iteration, path)


def test_the_path_view_follows_the_timeline_to_iteration_two(
    site, open_page, record_page_run
):
    run = open_page(f"{site.url}?{QUERY}&run=1", offline=True)
    wait_done(run)
    page = run.page
    # the final fit: no iteration on show, the empty state
    assert page.locator("#bound-path").get_attribute("data-path") == ""
    page.locator("#tl-slider").focus()
    page.keyboard.press("Home")
    wait_attr(run, "#timeline", "data-phase", "init")
    assert page.locator("#bound-path").get_attribute("data-path") == ""
    page.locator("#tl-step").click()  # iteration 1's E-step
    check_path(wait_path(run, 1))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    first = page.locator("#bound-path")
    first.screenshot(path=str(SCREENSHOTS / "bound-path-iteration-1.png"))
    page.locator("#tl-step").click()
    page.locator("#tl-step").click()  # iteration 2's E-step
    wait_attr(run, "#bound-canvas", "data-current", "2")
    path = wait_path(run, 2)
    check_path(path)
    page.locator("#tl-step").click()  # its M-step: the same path
    wait_attr(run, "#bound-canvas", "data-current", "3")
    assert json.loads(page.locator("#bound-path").get_attribute("data-path")) == path
    note = page.locator("#bound-path-note").inner_text()
    assert note.startswith("Iteration 2 from θ of iteration 1")
    assert f"{len(path['s'])} points" in note
    want = cpython_path(record_page_run, 2)
    assert path["s"] == want["s"]
    for key in ("loglik", "bound"):
        np.testing.assert_allclose(path[key], want[key], rtol=REL)
    ms = page.locator("#bound-path").get_attribute("data-compute-ms")
    print(f"\n[browser] bound path of iteration 2 for {QUERY}: {ms} ms")
    page.locator("#bound-path").screenshot(path=str(SCREENSHOTS / "bound-path.png"))
    run.screenshot("bound-path-page")


def test_big_data_takes_fewer_points(site, open_page, record_page_run):
    query = "k=6&n=5000&seed=1"
    run = open_page(f"{site.url}?{query}&run=1", offline=True)
    wait_done(run)
    page = run.page
    page.locator("#tl-slider").focus()
    page.keyboard.press("Home")
    wait_attr(run, "#timeline", "data-phase", "init")
    page.locator("#tl-step").click()
    page.locator("#tl-step").click()
    page.locator("#tl-step").click()  # iteration 2's E-step
    path = wait_path(run, 2)
    check_path(path)
    assert len(path["s"]) == 21
    assert (
        "21 points on the path (fewer" in page.locator("#bound-path-note").inner_text()
    )
    want = cpython_path(record_page_run, 2, query)
    for key in ("loglik", "bound"):
        np.testing.assert_allclose(path[key], want[key], rtol=REL)
    ms = page.locator("#bound-path").get_attribute("data-compute-ms")
    print(f"\n[browser] bound path of iteration 2 for {query}: {ms} ms")
    # while the timeline plays, a path of large data waits for a pause
    page.locator("#tl-play").click()
    wait_attr(run, "#timeline", "data-playing", "true")
    timeline = page.locator("#timeline")
    t0 = time.perf_counter()
    while int(timeline.get_attribute("data-iteration") or 0) < 4:
        assert time.perf_counter() - t0 < 20, "the timeline did not play"
        page.wait_for_timeout(50)
    assert page.locator("#bound-path").get_attribute("data-path") == ""
    page.locator("#tl-slider").focus()
    page.keyboard.press(" ")
    wait_attr(run, "#timeline", "data-playing", "false")
    paused = wait_path(run, int(timeline.get_attribute("data-iteration")))
    check_path(paused)
