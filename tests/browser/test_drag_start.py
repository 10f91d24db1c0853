"""Dragging the start in a real browser (Chromium, vendored build, offline).

In a paused run at iteration 0 each component's mean is a handle over the
data chart: a mouse drag and the same move with the arrow keys both change
the start (the new run's iteration-0 means equal the link's ``means0``),
and the link reproduces the run.
"""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest

from emcore.experiment import iterate

pytestmark = pytest.mark.browser

QUERY = "k=3&n=400&overlap=30&seed=5&n_init=1&paused=1&run=1"
MOVE_PX = 40  # CSS px: the drag, and five presses of ArrowRight (8 px each)


def handle_means(page) -> np.ndarray:
    """The iteration-0 means the handles sit on (the run's, data units)."""
    box = page.locator("#start-handles")
    assert box.is_visible(), "no start handles at iteration 0"
    return np.array(json.loads(box.get_attribute("data-means")))


def link_means0(page) -> np.ndarray | None:
    query = parse_qs(urlsplit(page.locator("#share-url").input_value()).query)
    if "means0" not in query:
        return None
    return np.array(
        [[float(v) for v in pair.split(",")] for pair in query["means0"][0].split(";")]
    )


def wait_new_start(run, before) -> np.ndarray:
    """Wait for a link whose ``means0`` differs from ``before``, then for
    its run to hold at iteration 0 again; return that ``means0``."""
    page, t0 = run.page, time.perf_counter()
    while True:
        means0 = link_means0(page)
        if means0 is not None and (
            before is None or not np.array_equal(means0, before)
        ):
            break
        assert time.perf_counter() - t0 < 30, page.locator("#share-url").input_value()
        page.wait_for_timeout(50)
    run.wait_status("done", "error", timeout_ms=120_000)
    assert run.status() == "done", run.message()
    return means0


def units_per_css_px(page) -> float:
    canvas = page.locator("#cluster-canvas")
    view = json.loads(canvas.get_attribute("data-view"))
    return float(canvas.get_attribute("data-dpr") or 1) / float(view["scale"])


def test_mouse_and_keyboard_move_the_start_and_the_link_keeps_it(site, open_page):
    run = open_page(f"{site.url}?{QUERY}", offline=True)
    run.wait_status("done", "error", timeout_ms=180_000)
    page = run.page
    assert page.locator(".start-handle").count() == 3
    first = handle_means(page)
    per_px = units_per_css_px(page)

    # the mouse: drag component 1's handle right
    box = page.locator(".start-handle").nth(0).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + MOVE_PX, y, steps=8)
    page.mouse.up()
    dragged = wait_new_start(run, None)
    np.testing.assert_array_equal(handle_means(page), dragged)  # the run's start
    np.testing.assert_allclose(dragged[1:], first[1:], rtol=1e-5)
    moved = dragged[0] - first[0]
    assert moved[0] == pytest.approx(MOVE_PX * per_px, abs=1.5 * per_px)
    assert abs(moved[1]) < 1.5 * per_px

    # the keyboard: the same move of component 2, five arrow presses
    handle = page.locator(".start-handle").nth(1)
    handle.focus()
    for _ in range(5):
        handle.press("ArrowRight")
    t0 = time.perf_counter()
    while (keyed := link_means0(page))[1][0] < dragged[1][0] + 4.5 * 8 * per_px:
        assert time.perf_counter() - t0 < 30, keyed
        page.wait_for_timeout(50)
    run.wait_status("done", "error", timeout_ms=120_000)
    np.testing.assert_array_equal(handle_means(page), keyed)
    np.testing.assert_allclose(keyed[[0, 2]], dragged[[0, 2]], rtol=1e-5)
    keyed_move = keyed[1] - dragged[1]
    np.testing.assert_allclose(keyed_move, moved, atol=1.5 * per_px)
    # the focus stayed on the handle, visibly; the move was said; the
    # timeline's own arrow shortcut did not step
    focused = page.evaluate("document.activeElement.dataset.component")
    assert focused == "1"
    outline = handle.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline != "none"
    assert page.locator("#start-live").inner_text().startswith("Component 2 start at (")
    assert page.locator("#timeline").get_attribute("data-position") == "0"
    run.screenshot("drag-start-keyboard")

    # emcore from the same start: the same iteration-0 means
    settings = {"k": 3, "n": 400, "overlap": 30, "seed": 5, "n_init": 1}
    init = next(e for e in iterate(**settings, means_init=keyed) if e.kind == "init")
    np.testing.assert_allclose(init.means, keyed)

    # the link reproduces the run
    link = page.locator("#share-url").input_value()
    loglik = page.locator("#result-loglik").get_attribute("data-value")
    again = open_page(link, offline=True)
    again.wait_status("done", "error", timeout_ms=180_000)
    np.testing.assert_array_equal(handle_means(again.page), keyed)
    assert again.page.locator("#result-loglik").get_attribute("data-value") == loglik

    # the usual start again: the link forgets means0, EM starts from k-means++
    again.page.locator("#start-reset").click()
    t0 = time.perf_counter()
    while link_means0(again.page) is not None:
        assert time.perf_counter() - t0 < 30
        again.page.wait_for_timeout(50)
    again.wait_status("done", "error", timeout_ms=120_000)
    np.testing.assert_allclose(handle_means(again.page), first, rtol=1e-9)
    assert not again.page.locator("#start-reset").is_visible()


def test_a_start_with_the_wrong_count_is_named(site, open_page):
    run = open_page(f"{site.url}?k=3&means0=1,2;3,4&paused=1&run=1", offline=True)
    run.wait_status("done", "error", timeout_ms=180_000)
    notes = run.page.locator("#notes").inner_text()
    assert "means0 has 2 starts but k=3" in notes
    assert link_means0(run.page) is None
