"""Issue 12, the stage: the live fit stays on screen at every size.

Bounding boxes decide: Simulate on screen once the page is ready, at least
half of the scatter on screen while a run animates (the whole of it at laptop
sizes), the view on the stage after a theory "try" link, and on a phone the
scatter back in view after pressing Simulate from the controls below it.
Screenshots of the viewport go to ``artifacts/screenshots/stage-*.png``.
"""

from __future__ import annotations

import time

import pytest
from browser_support import SCREENSHOTS

pytestmark = pytest.mark.browser

# a long run, so that it is still animating when measured
SLOW = "k=5&n=3000&overlap=60&seed=8&iters=300&tol=1e-8&n_init=3"
SIZES = [(1280, 800), (1920, 1080), (375, 812)]


@pytest.fixture(scope="module")
def site(site_factory, numpy_wheels_dir):
    return site_factory("vendor")


def on_screen(page, selector: str) -> float:
    """The fraction of the element's area inside the viewport (0 to 1)."""
    box = page.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not laid out"
    view = page.viewport_size
    w = max(0.0, min(box["x"] + box["width"], view["width"]) - max(box["x"], 0.0))
    h = max(0.0, min(box["y"] + box["height"], view["height"]) - max(box["y"], 0.0))
    return (w * h) / (box["width"] * box["height"])


def wait_running(run, timeout_s: float = 60.0) -> None:
    t0 = time.perf_counter()
    while run.page.locator("#timeline").get_attribute("data-positions") in ("", "0"):
        assert time.perf_counter() - t0 < timeout_s, run.message()
        run.page.wait_for_timeout(50)


def shot(run, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    run.page.screenshot(path=str(SCREENSHOTS / f"stage-{name}.png"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_simulate_and_the_scatter_are_on_screen(site, open_page, size):
    run = open_page(f"{site.url}?{SLOW}", offline=True, viewport=size)
    run.wait_status("ready", "done")
    page = run.page
    assert page.evaluate("window.scrollY") == 0
    assert on_screen(page, "#simulate") == 1.0, page.locator("#simulate").bounding_box()
    assert not page.locator("#simulate").is_disabled()
    if size[0] >= 960:
        assert on_screen(page, "#cluster-canvas") == 1.0
        assert on_screen(page, "#k") == 1.0  # a main control in the settings column
    page.locator("#simulate").click()
    wait_running(run)
    assert run.status() == "running"
    seen = on_screen(page, "#cluster-canvas")
    print(f"\n[stage] {size}: canvas {page.locator('#cluster-canvas').bounding_box()}")
    print(f"[stage] {size}: simulate {page.locator('#simulate').bounding_box()}")
    print(f"[stage] {size}: {seen:.0%} of the scatter on screen while running")
    shot(run, f"{size[0]}x{size[1]}-running")
    assert seen >= (1.0 if size[0] >= 960 else 0.5)
    assert on_screen(page, "#simulate") == 1.0


def test_a_phone_pressing_simulate_below_brings_the_scatter_back(site, open_page):
    run = open_page(f"{site.url}?{SLOW}", offline=True, viewport=(375, 812))
    run.wait_status("ready", "done")
    page = run.page
    page.locator("#n-init").scroll_into_view_if_needed()
    assert on_screen(page, "#cluster-canvas") < 0.5  # the controls are below it
    assert on_screen(page, "#simulate") == 1.0  # yet Simulate is in reach
    page.locator("#simulate").click()
    wait_running(run)
    page.wait_for_timeout(300)
    seen = on_screen(page, "#cluster-canvas")
    print(
        f"\n[stage] phone after Simulate from the controls: {seen:.0%} of the scatter"
    )
    shot(run, "375x812-after-simulate")
    assert seen >= 0.5


def test_a_try_link_lands_on_the_stage(site, open_page):
    run = open_page(f"{site.url}?seed=3", offline=True, viewport=(1280, 800))
    run.wait_status("ready", "done")
    page = run.page
    link = page.locator("a.try[data-settings]").first
    link.scroll_into_view_if_needed()
    assert on_screen(page, "#cluster-canvas") == 0.0
    link.click()
    page.wait_for_timeout(500)
    seen = on_screen(page, "#cluster-canvas")
    print(
        f"\n[stage] after a try link: scrollY {page.evaluate('window.scrollY')}, "
        f"{seen:.0%} of the scatter on screen"
    )
    assert seen >= 0.5
