"""The bound panel in a real browser: log L, the lower bound and their gap
at every half-step of the best start (vendored build, offline)."""

from __future__ import annotations

import json
import time

import pytest
from browser_support import wait_done  # noqa: E402

from emcore.experiment import run as emcore_run

pytestmark = pytest.mark.browser

REL = 1e-9


def wait_attr(run, selector: str, name: str, want: str, timeout_s: float = 20.0):
    t0 = time.perf_counter()
    while True:
        value = run.page.locator(selector).get_attribute(name)
        if value == want:
            return value
        if time.perf_counter() - t0 > timeout_s:
            raise AssertionError(f"{selector}[{name}] stayed {value!r}, not {want!r}")
        run.page.wait_for_timeout(50)


def check_series(series, loglik_card):
    """The identity, the touch after every E-step, the climb, the card."""
    assert series, "no half-steps"
    assert [s["step"] for s in series] == ["E", "M"] * (len(series) // 2)
    for s in series:
        scale = abs(s["loglik"])
        assert abs(s["loglik"] - (s["bound"] + s["gap"])) <= REL * scale, s
        assert s["gap"] >= 0, s
        if s["step"] == "E":
            assert s["gap"] <= REL * scale, s
    for a, b in zip(series, series[1:], strict=False):
        assert b["loglik"] >= a["loglik"] - REL * abs(a["loglik"]), (a, b)
    assert series[-1]["loglik"] == pytest.approx(loglik_card, rel=REL)


@pytest.mark.parametrize(
    "query",
    [
        "k=3&n=500&overlap=20&cov=full&seed=1",
        "k=4&n=800&cov=diag&seed=9",
        "k=6&n=5000&overlap=80&cov=tied&seed=7",
    ],
)
def test_bound_series_touches_climbs_and_ends_at_the_card(site, open_page, query):
    run = open_page(f"{site.url}?{query}&run=1", offline=True)
    wait_done(run)
    page = run.page
    series = json.loads(page.locator("#bound").get_attribute("data-series"))
    card = float(page.locator("#result-loglik").get_attribute("data-value"))
    check_series(series, card)
    settings = {k: v for k, v in (p.split("=") for p in query.split("&"))}
    kwargs = {k: (v if k == "cov" else int(v)) for k, v in settings.items()}
    expected = emcore_run(**kwargs)
    assert len(series) == 2 * expected.iterations
    assert page.locator("#bound").get_attribute("data-start") == str(
        expected.best_start
    )
    assert series[-1]["loglik"] == pytest.approx(expected.loglik, rel=REL)
    assert page.locator("#bound-canvas").get_attribute("data-current") == ""
    ms = page.locator("#bound").get_attribute("data-compute-ms")
    print(f"\n[browser] bound series for {query}: {ms} ms")
    run.screenshot("bound-done")


def test_bound_panel_follows_the_timeline(site, open_page):
    run = open_page(f"{site.url}?k=3&n=300&overlap=30&seed=4&run=1", offline=True)
    wait_done(run)
    page = run.page
    series = json.loads(page.locator("#bound").get_attribute("data-series"))
    best = page.locator("#bound").get_attribute("data-start")
    # Home on the slider: the best start's initial parameters, no half-step
    page.locator("#tl-slider").focus()
    page.keyboard.press("Home")
    wait_attr(run, "#timeline", "data-phase", "init")
    assert page.locator("#timeline").get_attribute("data-start") == best
    assert page.locator("#bound-canvas").get_attribute("data-current") == ""
    page.locator("#tl-step").click()  # the first E-step: the bound touches
    wait_attr(run, "#bound-canvas", "data-current", "0")
    note = page.locator("#bound-note").inner_text()
    assert "after the E-step" in note and "touches" in note
    # the start's log L is far below the rest: the note says where it went
    assert "off the chart" in note
    run.screenshot("bound-e-step")
    page.locator("#tl-step").click()
    page.locator("#tl-step").click()
    page.locator("#tl-step").click()  # iteration 2's M-step
    wait_attr(run, "#bound-canvas", "data-current", "3")
    note = page.locator("#bound-note").inner_text()
    assert note.startswith("Iteration 2, after the M-step")
    assert "off the chart" not in note
    assert series[3]["iteration"] == 2 and series[3]["step"] == "M"
    run.screenshot("bound-m-step")
