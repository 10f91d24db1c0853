"""The gallery of hard data and the starts (``data=``, ``init=``) in a real
browser (Chromium): the k-means trap on the cigars, and its fix.

A link with ``data=cigars`` draws the cigars from the page's N and seed and
fits them; ``#result-ari``'s ``data-value`` must equal CPython's
``emcore.experiment.run_data`` on the same data and settings, below 0.5 with
the default k-means++ start and above 0.9 with ``init=whitened``. With
``anomaly=P`` the lowest-density P % of the points are ringed and counted
(``#result-anomalies``), on ``data=outliers`` with the planted outliers
caught.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from emcore.experiment import run_data
from emcore.synthetic import make_gallery

site_path = str(Path(__file__).resolve().parents[2] / "site")
if site_path not in sys.path:
    sys.path.insert(0, site_path)
from simapp.run.anomalies import find_anomalies  # noqa: E402

pytestmark = pytest.mark.browser

REL = 1e-9


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


def check_clean(run) -> None:
    assert run.console_errors == [], run.console
    assert run.page_errors == []
    assert run.foreign_requests() == []


def ari_of(run) -> float:
    return float(run.page.locator("#result-ari").get_attribute("data-value"))


def cpython_ari(name: str, **settings) -> float:
    """The same data (the page's defaults: N = 500, seed 1) fitted in CPython."""
    n, seed = settings.pop("n", 500), settings.pop("seed", 1)
    data = make_gallery(name, n, seed)
    return run_data(data.X, data.labels, seed=seed, **settings).ari


@pytest.mark.parametrize(
    ("query", "init", "trapped"),
    [
        ("data=cigars&k=2&run=1", "k-means++", True),
        ("data=cigars&k=2&init=whitened&run=1", "whitened", False),
    ],
    ids=["default-start", "whitened"],
)
def test_the_cigars_trap_and_its_fix(site, open_page, query, init, trapped):
    run = open_page(f"{site.url}?{query}", offline=True)
    wait_done(run)
    page = run.page
    ari = ari_of(run)
    expected = cpython_ari(
        "cigars", k=2, **({} if init == "k-means++" else {"init": init})
    )
    assert ari == pytest.approx(expected, rel=REL, abs=1e-12)
    assert (ari < 0.5) if trapped else (ari > 0.9), ari
    # the menus show the data and the start; the link keeps both
    assert page.locator("#data-source").input_value() == "dataset"
    assert page.locator("#dataset").input_value() == "cigars"
    assert page.locator("#init").input_value() == init
    assert page.locator("#n").is_visible()
    info = page.locator("#dataset-info").inner_text()
    assert "k-means++" in info and "seed 1" in info
    link = parse_qs(urlsplit(page.locator("#share-url").input_value()).query)
    assert link["data"] == ["cigars"] and link["seed"] == ["1"]
    assert link.get("init", ["k-means++"]) == [init]
    run.screenshot(f"gallery-cigars-{init}")
    check_clean(run)


def test_choosing_a_start_and_gallery_data_in_the_menus(site, open_page):
    """The Start select and the dataset menu start runs and write the link."""
    run = open_page(f"{site.url}?k=2&n=300&seed=4", offline=True)
    run.wait_status("ready")
    page = run.page
    page.locator("#data-source").select_option("dataset")
    wait_done(run)
    page.locator("#dataset").select_option("moons")
    wait_done(run)
    page.locator("#init").select_option("random_from_data")
    wait_done(run)
    link = parse_qs(urlsplit(page.locator("#share-url").input_value()).query)
    assert link["data"] == ["moons"] and link["init"] == ["random_from_data"]
    assert page.locator("#data-summary").get_attribute("data-n") == "300"
    expected = cpython_ari("moons", k=2, n=300, seed=4, init="random_from_data")
    assert ari_of(run) == pytest.approx(expected, rel=REL, abs=1e-12)
    # a new N draws the moons again, with as many points
    page.locator("#n").fill("400")
    page.locator("#n").dispatch_event("change")
    wait_done(run)
    assert page.locator("#data-summary").get_attribute("data-n") == "400"
    check_clean(run)


def test_anomaly_flags_five_percent_and_scores_the_planted_outliers(site, open_page):
    run = open_page(f"{site.url}?data=outliers&k=3&anomaly=5&run=1", offline=True)
    wait_done(run)
    page = run.page
    n = int(page.locator("#data-summary").get_attribute("data-n"))
    assert n == 500
    card = page.locator("#result-anomalies")
    assert card.is_visible() and card.get_attribute("data-value") == str(n * 5 // 100)
    canvas = page.locator("#cluster-canvas")
    assert canvas.get_attribute("data-anomalies") == "25"
    assert int(canvas.get_attribute("data-anomaly-contour")) > 20
    assert page.locator("#anomaly").input_value() == "5"
    legend = page.locator("#cluster-legend li").all_inner_texts()
    assert "anomaly (lowest density)" in legend
    # the same fit in CPython catches as many of the planted outliers
    data = make_gallery("outliers", 500, 1)
    result = run_data(data.X, data.labels, k=3, seed=1)
    found = find_anomalies(result, 5, data.outliers)
    assert page.locator("#result-anomalies-note").inner_text() == found.note
    run.screenshot("gallery-outliers-anomaly-5")
    # another share redraws, without a new run; 0 hides the card
    page.locator("#anomaly").fill("10")
    page.locator("#anomaly").dispatch_event("change")
    page.wait_for_function(
        "document.getElementById('result-anomalies').dataset.value === '50'"
    )
    assert canvas.get_attribute("data-anomalies") == "50"
    assert "anomaly=10" in page.locator("#share-url").input_value()
    page.locator("#anomaly").fill("0")
    page.locator("#anomaly").dispatch_event("change")
    page.wait_for_function("document.getElementById('anomaly-card').hidden")
    assert canvas.get_attribute("data-anomalies") == "0"
    assert canvas.get_attribute("data-anomaly-contour") == "0"
    legend = page.locator("#cluster-legend li").all_inner_texts()
    assert "anomaly (lowest density)" not in legend
    check_clean(run)
