"""A teacher's first minutes with the page, in a real browser.

Every lesson, opened from its ``scenario=`` link or picked from the menu,
lands with its text and the scatter on screen together (1280x800 and
375x812); before the first run the page shows the data of its settings and
a status line in plain words (the versions are on the about line and in the
console); a disabled button looks disabled and says why. Screenshots of the
first impression at 1280x800, 1920x1080 and 375x812 go to
``artifacts/screenshots/classroom-*.png``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from browser_support import SCREENSHOTS

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "site"))

from simapp.lessons.scenarios import SCENARIOS  # noqa: E402

pytestmark = pytest.mark.browser

LESSON_SIZES = [(1280, 800), (375, 812)]
SHOT_SIZES = [(1280, 800), (1920, 1080), (375, 812)]
VERSION = re.compile(r"\d+\.\d+\.\d+")


@pytest.fixture(scope="module")
def site(site_factory, numpy_wheels_dir):
    return site_factory("vendor")


def size_id(size) -> str:
    return f"{size[0]}x{size[1]}"


def box_of(page, selector: str) -> dict:
    box = page.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not laid out"
    return box


def seen(page, selector: str) -> float:
    """The fraction of the element's area inside the viewport (0 to 1)."""
    box = box_of(page, selector)
    view = page.viewport_size
    w = max(0.0, min(box["x"] + box["width"], view["width"]) - max(box["x"], 0.0))
    h = max(0.0, min(box["y"] + box["height"], view["height"]) - max(box["y"], 0.0))
    return (w * h) / (box["width"] * box["height"])


def check_lesson_in_view(page, lesson, size, how: str) -> None:
    """The lesson's text and the scatter share the screen."""
    panel = page.locator("#lesson-panel")
    assert panel.get_attribute("data-scenario") == lesson.id
    assert page.locator("#lesson-watch").inner_text() == lesson.watch
    text, scatter = seen(page, "#lesson-panel"), seen(page, "#cluster-canvas")
    watch = seen(page, "#lesson-watch")
    print(
        f"\n[classroom] {size_id(size)} {how} {lesson.id}: lesson text {text:.0%} "
        f"(what to watch {watch:.0%}), scatter {scatter:.0%} on screen, "
        f"scrollY {page.evaluate('window.scrollY')}"
    )
    assert text > 0 and scatter > 0, (box_of(page, "#lesson-panel"), scatter)
    assert watch == 1.0  # what to watch is read whole beside the scatter
    if size[0] >= 960:  # a laptop: the whole scatter and its buttons too
        assert scatter == 1.0
        for selector in ("#tl-back", "#tl-play", "#tl-step", "#tl-final"):
            assert seen(page, selector) == 1.0, selector
    else:
        assert scatter >= 0.25


def wait_for(run, predicate, what: str, timeout_ms: int = 90_000) -> None:
    waited = 0
    while not predicate():
        assert waited < timeout_ms, f"{what}; message: {run.message()!r}"
        run.page.wait_for_timeout(50)
        waited += 50


@pytest.mark.parametrize("size", LESSON_SIZES, ids=size_id)
@pytest.mark.parametrize("lesson", SCENARIOS, ids=lambda s: s.id)
def test_a_lesson_link_lands_with_its_text_beside_the_scatter(
    site, open_page, lesson, size
):
    run = open_page(f"{site.url}?scenario={lesson.id}", offline=True, viewport=size)
    run.wait_status("running", "done")
    page = run.page
    page.wait_for_timeout(300)
    assert page.evaluate("window.scrollY") == 0
    check_lesson_in_view(page, lesson, size, "link")


@pytest.mark.parametrize("size", LESSON_SIZES, ids=size_id)
def test_every_lesson_picked_from_the_menu_lands_beside_the_scatter(
    site, open_page, size
):
    run = open_page(f"{site.url}?seed=3", offline=True, viewport=size)
    run.wait_status("ready")
    page = run.page
    for lesson in SCENARIOS:
        page.evaluate("window.scrollTo(0, 0)")
        page.select_option("#lesson", lesson.id)
        wait_for(
            run,
            lambda lesson=lesson: (
                page.locator("#lesson-panel").get_attribute("data-scenario")
                == lesson.id
            ),
            f"{lesson.id} never opened",
        )
        page.wait_for_timeout(400)  # the scroll, if any, is instant
        check_lesson_in_view(page, lesson, size, "menu")


def test_a_lesson_from_the_theory_comes_into_view_with_the_scatter(site, open_page):
    run = open_page(f"{site.url}?seed=3", offline=True, viewport=(1280, 800))
    run.wait_status("ready")
    page = run.page
    page.evaluate(
        "document.querySelectorAll('#theory details').forEach(d => d.open = true)"
    )
    link = page.locator("a.lesson-link[data-scenario]").first
    link.scroll_into_view_if_needed()
    assert seen(page, "#cluster-canvas") == 0.0
    scenario = link.get_attribute("data-scenario")
    link.click()
    page.wait_for_timeout(600)
    lesson = next(s for s in SCENARIOS if s.id == scenario)
    check_lesson_in_view(page, lesson, (1280, 800), "theory link")


# ---------------------------------------------------------------- first impression
@pytest.mark.parametrize("size", SHOT_SIZES, ids=size_id)
def test_the_page_opens_on_its_data_and_a_plain_status_line(site, open_page, size):
    run = open_page(site.url, offline=True, viewport=size)
    run.wait_status("ready")
    page = run.page
    canvas = page.locator("#cluster-canvas")
    wait_for(
        run,
        lambda: canvas.get_attribute("data-points") not in (None, "", "0"),
        "no points drawn before the first run",
    )
    page.wait_for_timeout(300)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"classroom-{size_id(size)}-ready.png"))
    message = run.message()
    about = page.locator("#about").inner_text()
    print(f"\n[classroom] {size_id(size)} ready: {message!r}; about: {about!r}")
    # the default settings' 500 points, grey, with no fit on them yet
    assert canvas.get_attribute("data-points") == page.locator("#n").input_value()
    assert canvas.get_attribute("data-ellipses") == "[]"
    assert canvas.get_attribute("data-frame") == "0"
    assert run.status() == "ready"
    assert seen(page, "#cluster-canvas") >= (1.0 if size[0] >= 960 else 0.9)
    # a student's sentence; the versions are the about line's and the console's
    assert not VERSION.search(message), message
    for word in ("emcore", "numpy", "Pyodide"):
        assert word not in message
        assert word in about
    assert VERSION.search(about), about
    assert any("emcore" in line and VERSION.search(line) for line in run.console)
    assert run.page_errors == []


def test_an_embed_names_no_versions(site, open_page):
    run = open_page(f"{site.url}?embed=1&k=3", offline=True, viewport=(700, 500))
    run.wait_status("ready")
    message = run.message()
    assert not VERSION.search(message) and "numpy" not in message, message
    assert not run.page.locator("#about").is_visible()


# ---------------------------------------------------------------- disabled buttons
STYLE = """(id) => {
  const s = getComputedStyle(document.getElementById(id));
  return [s.color, s.backgroundColor, s.borderColor, s.opacity].join(' | ');
}"""


def explanation(page, element_id: str) -> str:
    """The reason a button gives: its title, and the text its
    ``aria-describedby`` names (they must agree)."""
    button = page.locator(f"#{element_id}")
    title = button.get_attribute("title") or ""
    described = button.get_attribute("aria-describedby") or ""
    said = page.locator(f"#{described}").text_content() if described else ""
    assert title == (said or "").strip(), (element_id, title, said)
    return title


def test_a_disabled_button_looks_disabled_and_says_why(site, open_page):
    run = open_page(f"{site.url}?k=2&n=200&seed=4&n_init=1", offline=True)
    run.wait_status("ready")
    page = run.page
    # before a run: the playback and every download wait for one
    enabled_secondary = page.evaluate(STYLE, "new-seed")
    for element_id in ("tl-back", "tl-play", "tl-step", "tl-final", "export-csv"):
        assert page.locator(f"#{element_id}").is_disabled(), element_id
        style = page.evaluate(STYLE, element_id)
        print(
            f"\n[classroom] disabled #{element_id}: {style} (enabled: "
            f"{enabled_secondary}); says {explanation(page, element_id)!r}"
        )
        assert style != enabled_secondary
        assert explanation(page, element_id)
    assert page.locator("#why-exports").is_visible()
    assert not page.locator("#simulate").is_disabled()
    assert explanation(page, "simulate") == ""
    page.locator("#simulate").click()
    wait_for(run, lambda: run.status() == "done", "the run never finished")
    page.wait_for_timeout(300)
    # after it: enabled, and nothing left saying they are not
    for element_id in ("tl-back", "tl-play", "tl-step", "export-csv"):
        assert not page.locator(f"#{element_id}").is_disabled(), element_id
        assert explanation(page, element_id) == "", element_id
        assert page.evaluate(STYLE, element_id) == enabled_secondary
    assert not page.locator("#why-exports").is_visible()
    # the final fit is on show, so Final fit has nothing to do, and says so
    assert page.locator("#tl-final").is_disabled()
    assert "final fit" in explanation(page, "tl-final")


def test_simulate_says_why_it_waits_while_python_starts(site, browser):
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, device_scale_factor=1
    )
    held = []
    context.route("**/*.whl", lambda route: held.append(route))  # stays loading
    try:
        page = context.new_page()
        page.goto(site.url, wait_until="domcontentloaded")
        page.wait_for_timeout(1500)
        assert page.evaluate("document.body.dataset.status") == "loading"
        simulate = page.locator("#simulate")
        assert simulate.is_disabled()
        reason = simulate.get_attribute("title")
        described = simulate.get_attribute("aria-describedby")
        assert reason and "starting" in reason
        assert page.locator(f"#{described}").text_content().strip() == reason
        disabled = page.evaluate(STYLE, "simulate")
        enabled = page.evaluate(STYLE, "segment-run")  # an enabled primary button
        print(f"\n[classroom] Simulate while loading: {disabled} (enabled: {enabled})")
        assert disabled != enabled
    finally:
        for route in held:
            route.abort()
        context.close()


# ---------------------------------------------------------------- phone
def test_a_touch_screen_is_not_told_to_press_space(site, browser):
    context = browser.new_context(
        viewport={"width": 375, "height": 812},
        device_scale_factor=1,
        has_touch=True,
        is_mobile=True,
    )
    try:
        page = context.new_page()
        page.goto(site.url, wait_until="domcontentloaded")
        assert page.evaluate("matchMedia('(pointer: coarse)').matches")
        assert not page.locator("#tl-keys").is_visible()
        assert "Space" not in page.locator("#tl-label").inner_text()
    finally:
        context.close()
    desk = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = desk.new_page()
        page.goto(site.url, wait_until="domcontentloaded")
        assert page.locator("#tl-keys").is_visible()
    finally:
        desk.close()


RGB_TEXT = re.compile(r"rgba?\((\d+),\s*(\d+),\s*(\d+)")


def _rgb(text: str) -> tuple[int, ...]:
    """A CSS colour, ``#rrggbb`` or ``rgb(r, g, b)``, as integers."""
    if text.startswith("#") and len(text) == 7:
        return tuple(int(text[i : i + 2], 16) for i in (1, 3, 5))
    match = RGB_TEXT.search(text)
    assert match, text
    return tuple(int(v) for v in match.groups())


@pytest.mark.parametrize(
    "query, k, names",
    [
        # K = 2 on four true clusters: each component covers two of them
        ("k=2&k_true=4&seed=3&n_init=1", 2, None),
        # K = 5 on three: two components are matched to no cluster
        ("k=5&k_true=3&seed=3&n_init=1", 5, "extra component"),
    ],
)
def test_the_legend_names_the_colours_the_fit_draws(site, open_page, query, k, names):
    run = open_page(f"{site.url}?{query}&run=1", offline=True)
    run.wait_status("done")
    page = run.page
    swatches = page.evaluate(
        """() => [...document.querySelectorAll('#cluster-legend li')]
            .filter(li => !li.querySelector('.swatch').className.includes('swatch-'))
            .map(li => [getComputedStyle(li.querySelector('.swatch')).backgroundColor,
                        li.innerText.trim()])"""
    )
    drawn = page.evaluate(
        "JSON.parse(document.getElementById('cluster-canvas').dataset.ellipses)"
    )
    assert len(drawn) == k and len(swatches) == k
    assert {_rgb(c) for c, _ in swatches} == {_rgb(e["color"]) for e in drawn}
    texts = [t for _, t in swatches]
    if names is None:
        assert all(t.startswith("cluster ") for t in texts), texts
    else:
        assert texts.count(names) == k - 3, texts
