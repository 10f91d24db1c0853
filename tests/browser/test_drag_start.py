"""Dragging the start in a real browser (Chromium, vendored build, offline).

In a paused run at iteration 0 each component's mean is a handle over the
data chart: a mouse drag and the same move with the arrow keys both change
the start (the new run's iteration-0 means equal the link's ``means0``),
and the link reproduces the run. The ends of each start ellipse's axes are
handles too: a mouse drag of one and the arrow keys on another reshape the
start (the new run's iteration-0 covariances equal the link's ``covs0`` and
emcore's from the same start), and the link reproduces that run. With
``cov=tied`` every component's ellipse has the handles of the one matrix
they share: dragging one changes them all, and the link keeps one ``a,b,c``.
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


def link_covs0(page) -> np.ndarray | None:
    """The link's ``covs0`` as (k, 2, 2) matrices."""
    query = parse_qs(urlsplit(page.locator("#share-url").input_value()).query)
    if "covs0" not in query:
        return None
    triples = [[float(v) for v in t.split(",")] for t in query["covs0"][0].split(";")]
    return np.array([[[a, b], [b, c]] for a, b, c in triples])


def handle_covs(page) -> np.ndarray:
    """The iteration-0 covariances the axis handles sit on (data units)."""
    return np.array(
        json.loads(page.locator("#start-handles").get_attribute("data-covs"))
    )


def wait_new_covs(run, before) -> np.ndarray:
    """Wait for a link whose ``covs0`` differs from ``before`` and for its
    run to hold at iteration 0 again; return that ``covs0``."""
    page, t0 = run.page, time.perf_counter()
    while (covs0 := link_covs0(page)) is None or (
        before is not None and np.array_equal(covs0, before)
    ):
        assert time.perf_counter() - t0 < 30, page.locator("#share-url").input_value()
        page.wait_for_timeout(50)
    run.wait_status("done", "error", timeout_ms=120_000)
    assert run.status() == "done", run.message()
    return covs0


def reshape_the_start(run, per_px) -> np.ndarray:
    """Drag component 1's first axis handle outwards and turned with the
    mouse (a screenshot mid-drag), then lengthen and turn component 3's
    second one with the keyboard; return the link's ``covs0``."""
    page = run.page
    assert page.locator(".axis-handle").count() == 6
    centre = page.locator(".start-handle").nth(0).bounding_box()
    cx, cy = centre["x"] + centre["width"] / 2, centre["y"] + centre["height"] / 2
    box = page.locator(".axis-handle").nth(0).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    # to 60 px from the centre, at 30 degrees above +x
    tx, ty = cx + 60 * np.cos(np.pi / 6), cy - 60 * np.sin(np.pi / 6)
    page.mouse.move(tx, ty, steps=8)
    run.screenshot("drag-start-axis")
    page.mouse.up()
    covs0 = wait_new_covs(run, None)
    sd = np.sqrt(np.linalg.eigvalsh(covs0[0]))
    assert sd[1] == pytest.approx(60 * per_px, rel=0.05)
    major = np.linalg.eigh(covs0[0])[1][:, 1]
    assert abs(np.degrees(np.arctan2(major[1], major[0])) % 180 - 30) < 3

    # the keyboard: component 3's second axis, 2 x Up (+8 px each) and one
    # turn Left (15 degrees counter-clockwise)
    handle = page.locator(".axis-handle").nth(5)
    before = covs0
    handle.focus()
    handle.press("ArrowUp")
    covs0 = wait_new_covs(run, before)
    handle = page.locator(".axis-handle").nth(5)
    handle.press("ArrowLeft")
    keyed = wait_new_covs(run, covs0)
    np.testing.assert_array_equal(keyed[:2], before[:2])
    assert not np.array_equal(keyed[2], before[2])
    assert page.evaluate("document.activeElement.className") == "axis-handle"
    live = page.locator("#start-live").inner_text()
    assert live.startswith("Component 3 start: axis ") and "angle" in live
    assert page.locator("#timeline").get_attribute("data-position") == "0"
    return keyed


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

    # the axes: the run's iteration-0 covariances are the link's covs0,
    # and emcore's from the same means and precisions
    covs0 = reshape_the_start(run, per_px)
    np.testing.assert_allclose(handle_covs(page), covs0, rtol=1e-12)
    start = {"means_init": link_means0(page), "precisions_init": np.linalg.inv(covs0)}
    init = next(e for e in iterate(**settings, **start) if e.kind == "init")
    np.testing.assert_allclose(init.covariances, covs0, rtol=1e-9)
    np.testing.assert_allclose(init.means, link_means0(page))
    keyed = link_means0(page)

    # the link reproduces the run
    link = page.locator("#share-url").input_value()
    loglik = page.locator("#result-loglik").get_attribute("data-value")
    again = open_page(link, offline=True)
    again.wait_status("done", "error", timeout_ms=180_000)
    np.testing.assert_array_equal(handle_means(again.page), keyed)
    np.testing.assert_allclose(handle_covs(again.page), covs0, rtol=1e-12)
    assert again.page.locator("#result-loglik").get_attribute("data-value") == loglik

    # the usual start again: the link forgets means0, EM starts from k-means++
    again.page.locator("#start-reset").click()
    t0 = time.perf_counter()
    while link_means0(again.page) is not None:
        assert time.perf_counter() - t0 < 30
        again.page.wait_for_timeout(50)
    again.wait_status("done", "error", timeout_ms=120_000)
    np.testing.assert_allclose(handle_means(again.page), first, rtol=1e-9)
    assert link_covs0(again.page) is None
    assert not again.page.locator("#start-reset").is_visible()


def test_a_held_arrow_key_moves_the_start_a_step_per_repeat(site, open_page):
    """A held key repeats faster than the runs it starts (3,000 points: each
    run takes a while to make its data); every repeat still adds its step,
    and the focus stays on the handle."""
    run = open_page(f"{site.url}?{QUERY.replace('n=400', 'n=3000')}", offline=True)
    run.wait_status("done", "error", timeout_ms=180_000)
    page = run.page
    first = handle_means(page)
    per_px = units_per_css_px(page)
    page.evaluate(
        """() => {
        const handle = document.querySelectorAll('.start-handle')[1];
        handle.focus();
        let sent = 0;
        const repeat = () => {
          handle.dispatchEvent(new KeyboardEvent('keydown',
            {key: 'ArrowRight', repeat: sent > 0, bubbles: true}));
          if (++sent < 5) setTimeout(repeat, 0);
        };
        repeat();
        }"""
    )
    wait_new_start(run, None)
    page.wait_for_timeout(500)  # any repeat a run dropped would show by now
    run.wait_status("done", "error", timeout_ms=120_000)
    held = link_means0(page)
    np.testing.assert_allclose(
        held[1, 0] - first[1, 0], MOVE_PX * per_px, atol=1.5 * per_px
    )
    np.testing.assert_allclose(held[[0, 2]], first[[0, 2]], rtol=1e-5)
    assert page.evaluate("document.activeElement.dataset.component") == "1"


def test_a_start_with_the_wrong_count_is_named(site, open_page):
    run = open_page(f"{site.url}?k=3&means0=1,2;3,4&paused=1&run=1", offline=True)
    run.wait_status("done", "error", timeout_ms=180_000)
    notes = run.page.locator("#notes").inner_text()
    assert "means0 has 2 starts but k=3" in notes
    assert link_means0(run.page) is None


def test_a_tied_start_is_one_shape_for_every_component(site, open_page):
    run = open_page(f"{site.url}?{QUERY}&cov=tied", offline=True)
    run.wait_status("done", "error", timeout_ms=180_000)
    page = run.page
    assert page.locator(".axis-handle").count() == 6
    per_px = units_per_css_px(page)
    # component 2's second handle, dragged to 50 px straight above its centre
    centre = page.locator(".start-handle").nth(1).bounding_box()
    cx, cy = centre["x"] + centre["width"] / 2, centre["y"] + centre["height"] / 2
    box = page.locator(".axis-handle").nth(3).bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(cx, cy - 50, steps=8)
    page.mouse.up()
    covs0 = wait_new_covs(run, None)
    assert covs0.shape == (1, 2, 2)  # the link keeps the one shared matrix
    sd = np.sqrt(np.linalg.eigvalsh(covs0[0]))
    assert any(s == pytest.approx(50 * per_px, rel=0.05) for s in sd), sd
    shared = np.repeat(covs0, 3, axis=0)
    np.testing.assert_allclose(handle_covs(page), shared, rtol=1e-12)
    settings = {"k": 3, "n": 400, "overlap": 30, "seed": 5, "n_init": 1}
    start = {
        "means_init": link_means0(page),
        "precisions_init": np.linalg.inv(covs0[0]),
    }
    init = next(e for e in iterate(**settings, cov="tied", **start) if e.kind == "init")
    np.testing.assert_allclose(init.covariances, shared, rtol=1e-9)
