"""Presenter mode and the dark theme in Chromium.

``present=1`` enlarges the page's text (the root font) and fills a 1920x1080
screen with the data chart; the P key and the header button switch it and
keep it in the link. ``theme=dark`` (or a dark system) paints the page and
the charts dark, with no axe-core violation. Screenshots go to
``artifacts/screenshots/`` (git-ignored) for a person to look at.
"""

from __future__ import annotations

import io
import json
import time

import numpy as np
import pytest
from browser_support import SCREENSHOTS, build
from PIL import Image
from test_stage_axe import AXE_PATH, AXE_VERSION, audit

pytestmark = pytest.mark.browser

RUN = "?k=3&seed=2&run=1"


@pytest.fixture(scope="module")
def site(site_factory, numpy_wheels_dir):
    return site_factory("vendor")


@pytest.fixture(scope="module")
def axe_url(site):
    """axe-core served from the site (as in test_stage_axe)."""
    try:
        package = build.npm_package("axe-core", AXE_VERSION)
    except build.BuildError as exc:
        pytest.fail(f"could not fetch npm axe-core@{AXE_VERSION}: {exc}")
    served = site.root / AXE_PATH
    served.write_bytes((package / "axe.min.js").read_bytes())
    yield site.url + AXE_PATH
    served.unlink()


def screenshot(run, name: str) -> None:
    """What the screen shows (not the whole page), for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    run.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def wait_done(run, timeout_s: float = 120.0) -> None:
    t0 = time.perf_counter()
    while run.status() != "done":
        assert time.perf_counter() - t0 < timeout_s, run.message()
        run.page.wait_for_timeout(100)


def root_font_px(page) -> float:
    return page.evaluate(
        "parseFloat(getComputedStyle(document.documentElement).fontSize)"
    )


def canvas_box(page) -> dict:
    return page.locator("#cluster-canvas").bounding_box()


def luminance(rgb) -> float:
    """WCAG relative luminance of 0-255 sRGB values."""

    def lin(c: float) -> float:
        c /= 255.0
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(float(c)) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def css_rgb(text: str) -> tuple[float, ...]:
    inside = text[text.index("(") + 1 : text.index(")")]
    return tuple(float(p) for p in inside.replace("/", " ").replace(",", " ").split())


def body_background(page) -> tuple[float, ...]:
    return css_rgb(page.evaluate("getComputedStyle(document.body).backgroundColor"))


def canvas_corner(page) -> tuple[int, ...]:
    """The scatter's top-left pixel as painted (its background: no point or
    axis is drawn in the corner of the margins)."""
    page.locator("#cluster-canvas").scroll_into_view_if_needed()
    box = canvas_box(page)
    clip = {"x": box["x"] + 3, "y": box["y"] + 3, "width": 4, "height": 4}
    image = Image.open(io.BytesIO(page.screenshot(clip=clip))).convert("RGB")
    return image.getpixel((1, 1))


def test_present_enlarges_text_and_fills_the_screen(site, open_page):
    plain = open_page(site.url + RUN, offline=True, viewport=(1920, 1080))
    wait_done(plain)
    normal_font = root_font_px(plain.page)
    normal_box = canvas_box(plain.page)

    run = open_page(site.url + RUN + "&present=1", offline=True, viewport=(1920, 1080))
    wait_done(run)
    page = run.page
    assert page.evaluate("document.documentElement.classList.contains('present')")
    assert page.locator("#present-toggle").get_attribute("aria-pressed") == "true"
    assert root_font_px(page) >= 1.4 * normal_font
    screenshot(run, "present-1920x1080")
    box = canvas_box(page)
    # the chart takes most of the screen's height, and more than without
    assert box["height"] >= 0.6 * 1080
    assert box["width"] * box["height"] > normal_box["width"] * normal_box["height"]
    assert page.locator("#shortcuts").is_visible()
    assert not plain.page.locator("#shortcuts").is_visible()
    assert run.page_errors == []


def test_keys_switch_presenter_mode_and_step(site, open_page):
    run = open_page(site.url + RUN, offline=True, viewport=(1280, 800))
    wait_done(run)
    page = run.page
    page.locator("body").press("p")
    page.wait_for_function(
        "document.documentElement.classList.contains('present')", timeout=10_000
    )
    assert "present=1" in page.evaluate("location.search")
    timeline = page.locator("#timeline")
    page.locator("body").press("ArrowLeft")
    page.wait_for_function(
        "document.querySelector('#timeline').dataset.mode === 'timeline'",
        timeout=10_000,
    )
    before = int(timeline.get_attribute("data-position"))
    page.locator("body").press("ArrowLeft")
    page.wait_for_timeout(300)
    assert int(timeline.get_attribute("data-position")) == before - 1
    page.locator("body").press("f")
    page.wait_for_function(
        "document.querySelector('#timeline').dataset.mode === 'live'", timeout=10_000
    )
    # in a text field the letters are the field's
    page.locator("#seed").press("p")
    page.wait_for_timeout(300)
    assert page.evaluate("document.documentElement.classList.contains('present')")
    page.locator("#present-toggle").click()
    page.wait_for_function(
        "!document.documentElement.classList.contains('present')", timeout=10_000
    )
    assert "present=" not in page.evaluate("location.search")
    assert run.page_errors == []


@pytest.mark.parametrize("size", [(1280, 800), (375, 812)], ids=["1280x800", "375x812"])
def test_dark_theme_paints_the_page_and_charts_dark(site, open_page, axe_url, size):
    run = open_page(site.url + RUN + "&theme=dark", offline=True, viewport=size)
    wait_done(run)
    page = run.page
    assert luminance(body_background(page)) < 0.05
    assert luminance(canvas_corner(page)) < 0.05
    assert page.locator("#theme-toggle").get_attribute("aria-pressed") == "true"
    if size == (1280, 800):
        page.locator("#show-density").check()
        page.wait_for_function(
            "document.querySelector('#cluster-canvas').dataset.density === 'on'",
            timeout=20_000,
        )
        page.evaluate("window.scrollTo(0, 0)")
        screenshot(run, "dark-1280x800")
    violations = audit(run, axe_url)
    print(f"\n[axe] dark {size}: {json.dumps(violations, indent=1)}")
    assert violations == []
    assert run.page_errors == []


def test_a_dark_system_gets_the_dark_theme_unless_the_link_says_light(site, browser):
    context = browser.new_context(
        viewport={"width": 1280, "height": 800},
        device_scale_factor=1,
        color_scheme="dark",
    )
    try:
        page = context.new_page()
        page.goto(site.url + RUN, wait_until="domcontentloaded")
        page.wait_for_function(
            "document.body.dataset.status === 'done'", timeout=180_000
        )
        assert luminance(body_background(page)) < 0.05
        assert luminance(canvas_corner(page)) < 0.05
        assert "theme=" not in page.evaluate("location.search")
        # the toggle picks the light theme, and the link keeps it
        page.locator("#theme-toggle").click()
        page.wait_for_function(
            "document.documentElement.classList.contains('theme-light')",
            timeout=10_000,
        )
        assert "theme=light" in page.evaluate("location.search")
        assert luminance(body_background(page)) > 0.8
        page.goto(site.url + RUN + "&theme=light", wait_until="domcontentloaded")
        assert luminance(body_background(page)) > 0.8
    finally:
        context.close()


def test_png_exports_stay_light_in_the_dark_theme(site, open_page, tmp_path):
    run = open_page(site.url + RUN, offline=True, viewport=(1280, 800))
    wait_done(run)
    page = run.page

    def dark_pixels_of_export() -> int:
        """How many near-black pixels (axes, labels, centres) the exported
        PNG has: the light look's ink; a dark look's would be pale."""
        with page.expect_download(timeout=60_000) as info:
            page.locator("#png-cluster").click()
        path = tmp_path / info.value.suggested_filename
        info.value.save_as(path)
        image = Image.open(path).convert("RGB")
        return int((np.asarray(image).max(axis=2) < 80).sum())

    light = dark_pixels_of_export()
    page.locator("#theme-toggle").click()
    page.wait_for_function(
        "document.documentElement.classList.contains('theme-dark')", timeout=10_000
    )
    page.wait_for_timeout(500)
    assert luminance(canvas_corner(page)) < 0.05
    dark = dark_pixels_of_export()
    assert light > 500
    assert abs(dark - light) <= 0.1 * light
    # the page itself stays dark
    page.wait_for_timeout(300)
    assert luminance(canvas_corner(page)) < 0.05
    assert run.page_errors == []
