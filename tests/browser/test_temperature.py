"""The E-step temperature (``temp=``) in a real browser (vendored build,
offline): 1 is EM, today's numbers exactly; another value reaches the fit."""

from __future__ import annotations

import time

import pytest

from emcore.experiment import run as emcore_run

pytestmark = pytest.mark.browser

CARDS = ("params", "iterations", "converged", "loglik", "aic", "bic", "ari", "verdict")
QUERY = "k=3&n=400&overlap=30&cov=full&seed=6"


@pytest.fixture(scope="module")
def site(site_factory, numpy_wheels_dir):
    return site_factory("vendor")


def finished_cards(open_page, url) -> tuple[dict, object]:
    run = open_page(url, offline=True)
    run.wait_status("done", "error", timeout_ms=180_000)
    assert run.status() == "done", run.message()
    page = run.page
    cards = {
        name: page.locator(f"#result-{name}").get_attribute("data-value")
        for name in CARDS
    }
    return cards, run


def test_temp_one_equals_the_default_run_exactly(site, open_page):
    default, _ = finished_cards(open_page, f"{site.url}?{QUERY}&run=1")
    one, run = finished_cards(open_page, f"{site.url}?{QUERY}&temp=1&run=1")
    assert one == default
    assert run.page.locator("#temp").input_value() == "1"
    # temp=1 is EM, the default: the link leaves it out
    assert "temp=" not in run.page.locator("#share-url").input_value()


def test_a_cold_temperature_reaches_the_watched_fit(site, open_page):
    cards, run = finished_cards(open_page, f"{site.url}?{QUERY}&temp=0.2&run=1")
    expected = emcore_run(k=3, n=400, overlap=30, cov="full", seed=6, temperature=0.2)
    default = emcore_run(k=3, n=400, overlap=30, cov="full", seed=6)
    assert float(cards["loglik"]) == pytest.approx(expected.loglik, rel=1e-9)
    assert int(cards["iterations"]) == expected.iterations
    assert expected.trace != default.trace
    assert run.page.locator("#temp").input_value() == "0.2"
    assert "temp=0.2" in run.page.locator("#share-url").input_value()


def test_the_control_starts_a_run_at_its_temperature(site, open_page):
    _, run = finished_cards(open_page, f"{site.url}?{QUERY}&run=1")
    page = run.page
    page.locator("#temp").fill("0.5")
    page.locator("#temp").press("Enter")
    page.locator("#temp").blur()
    t0 = time.perf_counter()
    while "temp=0.5" not in page.locator("#share-url").input_value():
        assert time.perf_counter() - t0 < 30, page.locator("#share-url").input_value()
        page.wait_for_timeout(50)
    run.wait_status("done", "error", timeout_ms=180_000)
    expected = emcore_run(k=3, n=400, overlap=30, cov="full", seed=6, temperature=0.5)
    loglik = float(page.locator("#result-loglik").get_attribute("data-value"))
    assert loglik == pytest.approx(expected.loglik, rel=1e-9)
