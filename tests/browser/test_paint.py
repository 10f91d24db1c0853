"""Painting the data in a real browser: the brush adds points, the eraser
removes them, Undo and Ctrl+Z restore them, a 4-column fit is refused, and
an embedded page shows the tools only when ``controls=`` names ``paint``.

In Chromium the strokes are real pointer drags (Playwright's mouse: pressed,
moved, released) on ``#cluster-canvas``; in Firefox ESR and WebKitGTK
(:mod:`engines`) they are pointer events dispatched in the page. The counts
are the chart's ``data-points`` and the data panel's ``data-n``, checked
against the painted points' rule (:data:`simapp.state.paint.DAB_POINTS` per
dab) in CPython.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest
from browser_support import check_clean  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "site"))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # any --import-mode

import engines  # noqa: E402
from engines import CLICK, wait_for  # noqa: E402
from simapp.state import paint  # noqa: E402

pytestmark = pytest.mark.browser

N = 200


def points(run) -> int:
    return int(run.page.locator("#cluster-canvas").get_attribute("data-points") or 0)


def wait_points(run, predicate, what: str, timeout_s: float = 30.0) -> int:
    t0 = time.perf_counter()
    while True:
        n = points(run)
        if predicate(n):
            return n
        if time.perf_counter() - t0 > timeout_s:
            raise AssertionError(f"data-points stayed {n} (wanted {what})")
        run.page.wait_for_timeout(50)


def stroke(run, spots, steps: int = 6) -> None:
    """A pointer drag through ``spots`` (fractions of the canvas)."""
    canvas = run.page.locator("#cluster-canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()

    def at(fx, fy):
        return box["x"] + box["width"] * fx, box["y"] + box["height"] * fy

    mouse = run.page.mouse
    mouse.move(*at(*spots[0]))
    mouse.down()
    for spot in spots[1:]:
        mouse.move(*at(*spot), steps=steps)
    mouse.up()


def test_painting_adds_erasing_removes_undo_restores(site, open_page):
    run = open_page(f"{site.url}?k=2&n={N}&seed=3&n_init=1&run=1", offline=True)
    run.wait_status("done")
    page = run.page
    assert wait_points(run, lambda n: n == N, str(N)) == N
    tools = page.locator("#paint-tools")
    assert tools.is_visible() and tools.get_attribute("data-undo") == "0"
    # the Point tool on simulated data: a click adds nothing
    page.locator("#cluster-canvas").click(position={"x": 50, "y": 50})
    page.wait_for_timeout(200)
    assert points(run) == N

    page.locator("#paint-brush").check()
    assert tools.get_attribute("data-tool") == "brush"
    stroke(run, [(0.15, 0.2), (0.3, 0.2), (0.3, 0.35)])
    painted = wait_points(run, lambda n: n > N, f"more than {N}")
    # each dab adds the same few points: at least the press and a move
    assert (painted - N) % paint.DAB_POINTS == 0 and painted >= N + 2 * paint.DAB_POINTS
    assert page.locator("body").get_attribute("data-data-source") == "click"
    assert page.locator("#data-source").input_value() == "click"
    assert page.locator("#data-summary").get_attribute("data-n") == str(painted)
    assert tools.get_attribute("data-undo") == "1"
    assert "painted" in run.message()
    run.screenshot("paint-brush-1280")

    # a second stroke, then the eraser over the first stroke's corner
    stroke(run, [(0.8, 0.8), (0.85, 0.75)])
    twice = wait_points(run, lambda n: n > painted, f"more than {painted}")
    page.locator("#paint-eraser").check()
    page.locator("#paint-spread").fill("60")
    stroke(run, [(0.15, 0.2), (0.3, 0.2), (0.3, 0.35)])
    erased = wait_points(run, lambda n: n < twice, f"fewer than {twice}")
    assert tools.get_attribute("data-undo") == "3"

    # Undo (button) takes the eraser back, Ctrl+Z the strokes
    page.locator("#paint-undo").click()
    assert wait_points(run, lambda n: n == twice, str(twice)) == twice
    page.locator("body").press("Control+z")
    assert wait_points(run, lambda n: n == painted, str(painted)) == painted
    page.locator("body").press("Control+z")
    assert wait_points(run, lambda n: n == N, str(N)) == N
    assert page.locator("#data-source").input_value() == "simulated"
    assert tools.get_attribute("data-undo") == "0"
    assert erased < twice

    # painted data fit like clicked points
    page.locator("#paint-brush").check()
    stroke(run, [(0.5, 0.5), (0.6, 0.55)])
    painted = wait_points(run, lambda n: n > N, f"more than {N}")
    page.locator("#click-fit").click()
    run.wait_status("done")
    assert page.locator("#result-params").get_attribute("data-value") == "11"
    assert points(run) == painted
    check_clean(run)


def test_a_brush_on_a_four_column_fit_is_refused(site, open_page):
    run = open_page(f"{site.url}?data=iris&cols=all&k=3&run=1", offline=True)
    run.wait_status("done")
    page = run.page
    before = points(run)
    page.locator("#paint-brush").check()
    stroke(run, [(0.4, 0.4), (0.5, 0.5)])
    text = run.wait_message("two columns")
    assert "4 columns" in text
    assert page.locator("#message").get_attribute("data-kind") == "warn"
    assert points(run) == before
    assert page.locator("#data-source").input_value() == "dataset"
    check_clean(run)


@pytest.mark.parametrize(("controls", "shown"), [("k,paint", True), ("k", False)])
def test_an_embed_shows_the_tools_when_controls_names_paint(
    site, open_page, controls, shown
):
    run = open_page(f"{site.url}?embed=1&controls={controls}", offline=True)
    run.wait_status("ready", "done")
    assert run.page.locator("#paint-tools").is_visible() is shown
    check_clean(run)


# ------------------------------------------------------------------ engines
# EMGMM_TEST_ENGINES=firefox (or webkit) runs one engine only
ENGINES = os.environ.get("EMGMM_TEST_ENGINES", "firefox,webkit").split(",")
# the chart's point count once ``predicate`` (JS, of ``n``) holds, else ""
POINTS_WHEN = (
    "const n = Number(document.getElementById('cluster-canvas').dataset.points);"
    " return ({}) ? String(n) : '';"
)
# a drag through arg.spots (fractions of the canvas) as the page's pointer events
DRAG = """
const c = document.getElementById("cluster-canvas");
const r = c.getBoundingClientRect();
const at = ([fx, fy]) => ({
  clientX: r.left + r.width * fx, clientY: r.top + r.height * fy,
  pointerId: 7, pointerType: "mouse", isPrimary: true, button: 0, buttons: 1,
  bubbles: true, cancelable: true,
});
c.dispatchEvent(new PointerEvent("pointerdown", at(arg[0])));
for (const spot of arg.slice(1)) {
  c.dispatchEvent(new PointerEvent("pointermove", at(spot)));
}
c.dispatchEvent(new PointerEvent("pointerup", at(arg[arg.length - 1])));
return true;
"""
CTRL_Z = """
document.body.dispatchEvent(new KeyboardEvent("keydown",
  {key: "z", ctrlKey: true, bubbles: true, cancelable: true}));
return true;
"""


@pytest.fixture(scope="module", params=ENGINES)
def engine(request, site):
    why = engines.missing(request.param)
    if why:
        pytest.skip(why)
    session = engines.open_session(request.param)
    yield session
    session.close()


def engine_points(session, predicate, what: str) -> int:
    body = POINTS_WHEN.format(predicate)
    return int(wait_for(session, body, timeout_s=60, what=what))


def test_painting_in_firefox_and_webkit(engine, site):
    engine.goto(f"{site.url}?k=2&n={N}&seed=3&n_init=1&run=1")
    wait_for(
        engine,
        "return document.body.dataset.status === 'done';",
        timeout_s=600,  # WebKit's boot took minutes on a loaded 2-core machine
        what="the first run",
    )
    assert engine_points(engine, f"n === {N}", str(N)) == N
    engine.js(CLICK, "paint-brush")
    row = [[0.15 + 0.02 * j, 0.2] for j in range(8)]
    engine.js(DRAG, row)
    painted = engine_points(engine, f"n > {N}", f"more than {N}")
    assert (painted - N) % paint.DAB_POINTS == 0
    assert engine.js("return document.body.dataset.dataSource;") == "click"
    engine.js(CLICK, "paint-eraser")
    engine.js(DRAG, row)
    erased = engine_points(engine, f"n < {painted}", f"fewer than {painted}")
    assert erased < painted
    engine.js(CLICK, "paint-undo")
    assert engine_points(engine, f"n === {painted}", str(painted)) == painted
    engine.js(CTRL_Z)
    assert engine_points(engine, f"n === {N}", str(N)) == N
    assert engine.js("return document.body.dataset.dataSource;") == "simulated"
    assert engine.errors() == []
