"""Issue 5, items 1, 3, 4, 6 and 7 in a real browser.

Step-through EM (the timeline's positions draw the parameters CPython's
``emcore.experiment.iterate`` produced), true K versus model K through the URL,
every start's solution, k-means side by side and the uncertainty view. The
pages are the vendored build (numpy wheel needed; skipped with the reason
printed when it is absent), offline: nothing may leave localhost.
"""

from __future__ import annotations

import json
import math
import time

import pytest

from emcore.experiment import iterate
from emcore.experiment import run as emcore_run

pytestmark = pytest.mark.browser

REL = 1e-9
PIXELS_JS = """(id) => {
  const c = document.getElementById(id);
  const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  let opaque = 0, grey = 0, coloured = 0, alphaSum = 0, tinted = 0;
  for (let i = 0; i < d.length; i += 4) {
    const a = d[i + 3];
    alphaSum += a;
    if (a > 0 && a < 120) tinted++;
    if (a < 200) continue;
    opaque++;
    const r = d[i], g = d[i + 1], b = d[i + 2];
    if (Math.abs(r - 140) + Math.abs(g - 140) + Math.abs(b - 140) < 6) grey++;
    else if (Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++;
  }
  return {opaque, grey, coloured, alphaSum, tinted};
}"""


@pytest.fixture(scope="module")
def site(site_factory, numpy_wheels_dir):
    return site_factory("vendor")


def wait_done(run, timeout_s: float = 120.0) -> None:
    t0 = time.perf_counter()
    while run.status() != "done":
        kind = run.page.locator("#message").get_attribute("data-kind")
        if run.status() == "error" or kind == "error":
            raise AssertionError(f"{run.message()}\n{run.console}")
        if time.perf_counter() - t0 > timeout_s:
            raise AssertionError(f"status stayed {run.status()!r}: {run.message()}")
        run.page.wait_for_timeout(50)


def wait_attr(run, selector: str, name: str, want, timeout_s: float = 20.0) -> str:
    """Poll an attribute until ``want(value)`` (or equals ``want``)."""
    t0 = time.perf_counter()
    while True:
        value = run.page.locator(selector).get_attribute(name)
        ok = want(value) if callable(want) else value == want
        if ok:
            return value
        if time.perf_counter() - t0 > timeout_s:
            raise AssertionError(f"{selector}[{name}] = {value!r}")
        run.page.wait_for_timeout(30)


def check_clean(run) -> None:
    assert run.console_errors == [], run.console
    assert run.page_errors == []
    assert not [m for m in run.console if m.startswith("warning: [emgmm]")]
    assert run.foreign_requests() == []


def drawn_ellipses(run) -> tuple[dict, list[dict]]:
    canvas = run.page.locator("#cluster-canvas")
    view = json.loads(canvas.get_attribute("data-view"))
    return view, json.loads(canvas.get_attribute("data-ellipses"))


def assert_ellipses(run, expected) -> None:
    """The canvas draws ``expected`` (emcore Ellipses) through its view."""
    view, drawn = drawn_ellipses(run)
    assert len(drawn) == len(expected)
    for e, d in zip(expected, drawn, strict=True):
        px = view["plot_cx"] + (e.center[0] - view["cx"]) * view["scale"]
        py = view["plot_cy"] - (e.center[1] - view["cy"]) * view["scale"]
        assert abs(px - d["cx"]) < 0.01 and abs(py - d["cy"]) < 0.01, (e, d)
        assert math.isclose(d["rx"], e.semi_axes[0] * view["scale"], rel_tol=1e-6)
        assert math.isclose(d["ry"], e.semi_axes[1] * view["scale"], rel_tol=1e-6)


def timeline(run) -> dict:
    return json.loads(
        run.page.evaluate("JSON.stringify(document.getElementById('timeline').dataset)")
    )


def cpython_history(**kwargs):
    """init and em events per start, and the result, as the page saw them."""
    inits, ems, result = {}, {}, None
    for event in iterate(**kwargs):
        if event.kind == "init":
            inits[event.start] = event
        elif event.kind == "em":
            ems.setdefault(event.start, []).append(event)
        elif event.kind == "done":
            result = event.result
    return inits, ems, result


# --------------------------------------------------------------- item 1
def test_step_through_em(site, open_page):
    kwargs = {"k": 3, "n": 300, "overlap": 30, "seed": 4, "n_init": 2}
    inits, ems, result = cpython_history(**kwargs)
    query = "&".join(f"{k}={v}" for k, v in kwargs.items())
    run = open_page(f"{site.url}?{query}&run=1", offline=True)
    wait_done(run)
    page = run.page
    tl = timeline(run)
    n_positions = sum(2 * len(ems[s]) + 1 for s in ems)
    assert tl["mode"] == "live" and tl["phase"] == "final"
    assert int(tl["positions"]) == n_positions
    assert page.locator("#cluster-canvas").get_attribute("data-source") == "final"
    assert_ellipses(run, result.ellipses)

    # the step-through moves within one start: the final fit's (the best)
    best = int(result.best_start)
    first = sum(2 * len(ems[s]) + 1 for s in range(best))
    last_pos = first + 2 * len(ems[best])

    # keyboard: Home on the slider goes to the start's first position = init
    page.locator("#tl-slider").focus()
    page.keyboard.press("Home")
    wait_attr(run, "#timeline", "data-position", str(first))
    tl = timeline(run)
    assert (tl["mode"], tl["phase"], tl["start"], tl["iteration"]) == (
        "timeline",
        "init",
        str(best),
        "0",
    )
    assert page.locator("#cluster-canvas").get_attribute("data-source") == "timeline"
    assert_ellipses(run, inits[best].ellipses)
    before = page.evaluate(PIXELS_JS, "cluster-canvas")
    assert before["grey"] > 100  # no E-step yet: grey points
    assert "initial parameters" in page.locator("#tl-label").inner_text()

    # Step: E-step recolours the points, ellipses stay
    page.locator("#tl-step").click()
    wait_attr(run, "#timeline", "data-position", str(first + 1))
    assert timeline(run)["phase"] == "e"
    ms = page.locator("#cluster-canvas").get_attribute("data-redraw-ms")
    print(f"\n[browser] N=300 history half-step redraw: {ms} ms")
    assert_ellipses(run, inits[best].ellipses)
    after_e = page.evaluate(PIXELS_JS, "cluster-canvas")
    assert after_e["grey"] < before["grey"] / 5
    assert after_e["coloured"] > before["coloured"] + 100

    # Step: the M-step moves the ellipses to iteration 1's parameters
    page.locator("#tl-step").click()
    wait_attr(run, "#timeline", "data-position", str(first + 2))
    tl = timeline(run)
    assert (tl["phase"], tl["iteration"]) == ("m", "1")
    caption = page.locator("#frame-label").inner_text()
    assert caption == f"History: start {best + 1}, iteration 1 (M-step)"
    assert_ellipses(run, ems[best][0].ellipses)
    # ...and later positions follow the recorded iterations
    page.locator("#tl-slider").focus()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    wait_attr(run, "#timeline", "data-position", str(first + 6))
    assert timeline(run)["phase"] == "m"
    assert_ellipses(run, ems[best][2].ellipses)
    page.locator("#tl-back").click()
    wait_attr(run, "#timeline", "data-position", str(first + 5))
    assert timeline(run)["phase"] == "e"
    assert_ellipses(run, ems[best][1].ellipses)

    # End: the start's final parameters (the final fit)
    page.locator("#tl-slider").focus()
    page.keyboard.press("End")
    wait_attr(run, "#timeline", "data-position", str(last_pos))
    assert timeline(run)["start"] == str(best)
    assert_ellipses(run, ems[best][-1].ellipses)
    run.screenshot("explore-timeline-1280")

    # Play from the end restarts the start, Space pauses
    page.locator("#tl-speed").fill("10")
    page.locator("#tl-play").click()
    wait_attr(run, "#timeline", "data-playing", "true")
    wait_attr(run, "#timeline", "data-position", lambda v: v and int(v) >= first + 3)
    page.locator("#tl-slider").focus()
    page.keyboard.press(" ")
    wait_attr(run, "#timeline", "data-playing", "false")
    paused_at = timeline(run)["position"]
    page.wait_for_timeout(300)
    assert timeline(run)["position"] == paused_at

    # Final fit returns to the result
    page.locator("#tl-final").click()
    wait_attr(run, "#cluster-canvas", "data-source", "final")
    assert_ellipses(run, result.ellipses)
    check_clean(run)


def test_pause_during_a_run_freezes_the_canvas(site, open_page):
    query = "k=5&n=3000&overlap=60&seed=8&iters=200&tol=1e-8&n_init=3"
    run = open_page(f"{site.url}?{query}&run=1", offline=True)
    wait_attr(run, "#timeline", "data-positions", lambda v: v and int(v) > 8, 60)
    assert run.status() == "running"
    run.page.locator("#tl-play").click()  # shows "Pause" while running
    wait_attr(run, "#timeline", "data-mode", "timeline")
    frozen = drawn_ellipses(run)[1]
    position = timeline(run)["position"]
    run.page.wait_for_timeout(400)
    assert drawn_ellipses(run)[1] == frozen  # the live loop keeps off
    assert timeline(run)["position"] == position
    assert int(timeline(run)["positions"]) > int(position)  # EM goes on
    run.page.locator("#tl-step").click()
    wait_attr(run, "#timeline", "data-position", str(int(position) + 1))
    wait_done(run)
    check_clean(run)


# --------------------------------------------------------------- item 3
def test_true_k_differs_from_model_k(site, open_page):
    kwargs = {"k": 4, "k_true": 2, "n": 400, "seed": 3}
    expected = emcore_run(**kwargs)
    run = open_page(f"{site.url}?k=4&k_true=2&n=400&seed=3&run=1", offline=True)
    wait_done(run)
    page = run.page
    canvas = page.locator("#cluster-canvas")
    assert len(json.loads(canvas.get_attribute("data-centres"))) == 2
    assert len(json.loads(canvas.get_attribute("data-ellipses"))) == 4
    assert_ellipses(run, expected.ellipses)
    for name in ("params", "iterations"):
        got = page.locator(f"#result-{name}").get_attribute("data-value")
        assert got == str(getattr(expected, name))
    got = float(page.locator("#result-bic").get_attribute("data-value"))
    assert math.isclose(got, expected.bic, rel_tol=REL)
    box = page.locator("#fit-vs-truth")
    assert box.is_visible()
    assert box.get_attribute("data-kind") == "over"
    assert box.get_attribute("data-k-true") == "2"
    assert box.get_attribute("data-bic-k") == str(expected.picks.bic.k)
    assert "Over-fitting" in box.inner_text()
    assert f"BIC picks K = {expected.picks.bic.k}" in box.inner_text()
    assert page.locator("#k-true").input_value() == "2"
    assert "k_true=2" in page.url
    summary = page.locator("#ic-summary").inner_text()
    assert "drawn with K = 2" in summary

    # the select: fewer components than clusters is under-fitting
    page.locator("#k-true").select_option("6")
    wait_done(run)
    wait_attr(run, "#fit-vs-truth", "data-kind", "under")
    assert len(json.loads(canvas.get_attribute("data-centres"))) == 6
    assert "k_true=6" in page.url
    # as many clusters as K: a match, and the link leaves k_true out
    page.locator("#k-true").select_option("4")
    wait_done(run)
    wait_attr(run, "#fit-vs-truth", "data-kind", "match")
    assert "k_true" not in page.url
    # K passing the data's clusters leaves them where they are
    for k, kind in (("6", "over"), ("2", "under")):
        page.locator("#k").fill(k)
        wait_done(run)
        wait_attr(run, "#fit-vs-truth", "data-kind", kind)
        assert page.locator("#k-true").input_value() == "4"
        assert "k_true=4" in page.url
        assert "as many as the data have" not in box.inner_text()
    check_clean(run)


# --------------------------------------------------------------- items 4 and 6
def test_every_start_and_kmeans(site, open_page):
    kwargs = {"k": 4, "n": 400, "overlap": 40, "seed": 1, "n_init": 5}
    expected = emcore_run(**kwargs)
    query = "&".join(f"{k}={v}" for k, v in kwargs.items())
    run = open_page(f"{site.url}?{query}&run=1", offline=True)
    wait_done(run)
    page = run.page

    # the strip chart and its text
    buttons = page.locator("#starts-list button.start-pick")
    assert buttons.count() == kwargs["n_init"]
    starts = page.locator("#starts-canvas")
    finals = json.loads(starts.get_attribute("data-finals"))
    for got, st in zip(finals, expected.starts, strict=True):
        assert math.isclose(got, st.loglik_mean, rel_tol=REL)
    assert starts.get_attribute("data-best") == str(expected.best_start)
    groups = json.loads(starts.get_attribute("data-groups"))
    assert len(set(groups)) == expected.n_optima > 1
    summary = page.locator("#starts-summary")
    text = (
        f"{expected.n_optima} distinct optima among {kwargs['n_init']} converged "
        f"starts; the best reached by {expected.best_hits}."
    )
    assert summary.inner_text() == text
    assert buttons.nth(expected.best_start).inner_text().endswith("(best)")

    # clicking a start that missed the best optimum shows its solution
    other = next(i for i, g in enumerate(groups) if g != 0)
    buttons.nth(other).click()
    wait_attr(run, "#cluster-canvas", "data-source", f"start:{other}")
    assert buttons.nth(other).get_attribute("aria-pressed") == "true"
    assert_ellipses(run, expected.starts[other].ellipses)
    assert starts.get_attribute("data-selected") == str(other)
    run.screenshot("explore-start-1280")  # a full-page shot resizes: redraws
    caption = page.locator("#frame-label").inner_text()
    assert caption == f"Start {other + 1}'s final solution"
    # a second press returns to the best (final) fit
    buttons.nth(other).click()
    wait_attr(run, "#cluster-canvas", "data-source", "final")
    assert_ellipses(run, expected.ellipses)

    # the strip chart's dots can be clicked too
    dots = json.loads(starts.get_attribute("data-dots"))
    dpr = float(page.locator("#cluster-canvas").get_attribute("data-dpr"))
    box = starts.bounding_box()
    scale = box["width"] / int(starts.get_attribute("width"))
    x, y = dots[other]
    starts.click(position={"x": x * scale, "y": y * scale})
    wait_attr(run, "#cluster-canvas", "data-source", f"start:{other}")
    assert dpr > 0

    # k-means side by side: its ARI and centres
    ari_km = float(page.locator("#ari-kmeans").get_attribute("data-value"))
    assert math.isclose(ari_km, expected.kmeans.ari, rel_tol=REL)
    ari = float(page.locator("#ari-gmm").get_attribute("data-value"))
    assert math.isclose(ari, expected.ari, rel_tol=REL)
    assert page.locator("#ari-kmeans").inner_text() == f"{ari_km:.3f}"
    assert "k-means" in page.locator("#kmeans-summary").inner_text()
    km = page.locator("#kmeans-canvas")
    centres = json.loads(km.get_attribute("data-centres"))
    assert len(centres) == kwargs["k"]
    stats = page.evaluate(PIXELS_JS, "kmeans-canvas")
    assert stats["coloured"] > 20 * kwargs["n"] ** 0.5
    check_clean(run)


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("n_init=1&seed=3", "not checked (one start)"),
        ("iters=10&n_init=4&seed=2", "1 distinct optimum among 2 converged starts"),
    ],
)
def test_the_verdict_panel_and_status_line_agree(site, open_page, query, words):
    kwargs = dict(pair.split("=") for pair in query.split("&"))
    expected = emcore_run(**{k: int(v) for k, v in kwargs.items()})
    run = open_page(f"{site.url}?{query}&run=1", offline=True)
    wait_done(run)
    page = run.page
    verdict = page.locator("#result-verdict")
    assert verdict.get_attribute("data-value") == expected.verdict == "OK"
    reason = page.locator("#result-verdict-reason").inner_text()
    assert reason == expected.verdict_reason
    summary = page.locator("#starts-summary")
    assert summary.get_attribute("data-n-optima") == str(expected.n_optima)
    # the same count in the starts panel and the status line
    assert words in summary.inner_text().lower()
    assert words in run.message()
    if not expected.verdict_checked:
        assert verdict.inner_text().strip().startswith("not checked")
        assert reason.startswith("Not checked (one start)")
    else:
        late = sum(not s.converged for s in expected.starts)
        assert f"{late} of 4 starts did not converge" in reason
        groups = json.loads(page.locator("#starts-canvas").get_attribute("data-groups"))
        assert groups.count(-1) == late
    check_clean(run)


# --------------------------------------------------------------- item 7
def test_uncertainty_and_density_views(site, open_page):
    run = open_page(f"{site.url}?k=3&n=1000&overlap=70&seed=2&run=1", offline=True)
    wait_done(run)
    page = run.page
    canvas = page.locator("#cluster-canvas")
    plain = page.evaluate(PIXELS_JS, "cluster-canvas")
    assert canvas.get_attribute("data-uncertainty") == "off"

    page.locator("#show-uncertainty").check()
    wait_attr(run, "#cluster-canvas", "data-uncertainty", "on")
    faded = page.evaluate(PIXELS_JS, "cluster-canvas")
    assert faded["alphaSum"] < plain["alphaSum"]  # uncertain points fade
    assert faded["tinted"] > plain["tinted"] + 200

    page.locator("#show-density").check()
    wait_attr(run, "#cluster-canvas", "data-density", "on")
    shaded = page.evaluate(PIXELS_JS, "cluster-canvas")
    # a shaded background (the stage sizes the canvas to the window: at
    # 1280x900 the points cover more of it than on the old full-width canvas)
    assert shaded["alphaSum"] > faded["alphaSum"] * 1.3
    computed = canvas.get_attribute("data-density-computed")
    # redraws with the same parameters reuse the density image
    page.locator("#show-uncertainty").uncheck()
    wait_attr(run, "#cluster-canvas", "data-uncertainty", "off")
    assert canvas.get_attribute("data-density-computed") == computed
    # a new history position has new parameters: computed again
    page.locator("#tl-slider").focus()
    first = int(page.locator("#tl-slider").get_attribute("min"))  # the best start
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    wait_attr(run, "#timeline", "data-position", str(first + 2))
    assert int(canvas.get_attribute("data-density-computed")) > int(computed)
    run.screenshot("explore-density-1280")
    with_density = float(canvas.get_attribute("data-redraw-ms"))
    page.keyboard.press("ArrowLeft")  # parameters seen before: cached density
    wait_attr(run, "#timeline", "data-position", str(first + 1))
    cached = float(canvas.get_attribute("data-redraw-ms"))
    print(
        f"\n[browser] N=1000, density on: history redraws {with_density} ms, "
        f"{cached} ms"
    )
    page.locator("#show-density").uncheck()
    wait_attr(run, "#cluster-canvas", "data-density", "off")
    check_clean(run)


# --------------------------------------------------------------- phone layout
def test_phone_layout(site, open_page):
    query = "k=4&k_true=3&n=500&seed=5&n_init=4&run=1"
    run = open_page(f"{site.url}?{query}", offline=True, viewport=(375, 800))
    wait_done(run)
    page = run.page
    page.locator("#tl-step").click()
    wait_attr(run, "#timeline", "data-mode", "timeline")
    run.screenshot("explore-375")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"horizontal scroll at 375 px: {width}"
    for element_id in ("timeline", "starts-panel", "kmeans-panel"):
        box = page.locator(f"#{element_id}").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375, element_id
    # the buttons are big enough to tap
    for element_id in ("tl-back", "tl-play", "tl-step", "tl-final"):
        assert page.locator(f"#{element_id}").bounding_box()["height"] >= 36
    check_clean(run)
