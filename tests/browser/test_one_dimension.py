"""One fitted column in a real browser: Old Faithful's eruption durations.

``?data=faithful&cols=eruptions&k=2&cov=full`` fits the one column: the page
counts 5 parameters (two means, two variances, one free weight), and with a
tight tolerance its log-likelihood is scikit-learn's best of 20 starts on the
same column, computed here in CPython. The data chart is a histogram under
each component's weighted density and the mixture's; stepping through the
timeline redraws the curves; the AIC/BIC chart, the log-likelihood chart
and the exports work as for two columns. A pasted table of one column is
fitted alone too.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "site"))

from browser_support import check_clean, url_query, value  # noqa: E402
from simapp.data import datasets  # noqa: E402
from test_data_and_sharing import check_results  # noqa: E402
from test_teaching import wait_done  # noqa: E402

from emcore.experiment import run, run_data  # noqa: E402

pytestmark = pytest.mark.browser

QUERY = "data=faithful&cols=eruptions&k=2&cov=full&tol=1e-8&iters=500&n_init=4"


def sklearn_best_of_20() -> float:
    """scikit-learn's total log-likelihood of K = 2 (full) on the bundled
    eruptions column, best of 20 starts, converged tightly."""
    mixture = pytest.importorskip("sklearn.mixture")
    X, _, _, _ = datasets.load("faithful", [0])
    assert X.shape == (272, 1)
    gm = mixture.GaussianMixture(
        2, covariance_type="full", n_init=20, tol=1e-10, max_iter=2000, random_state=0
    ).fit(X)
    return float(gm.score(X)) * len(X)


def download(page, button: str, tmp_path: Path) -> bytes:
    with page.expect_download(timeout=60_000) as info:
        page.locator(f"#{button}").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path.read_bytes()


def canvas_json(page, name: str):
    return json.loads(page.locator("#cluster-canvas").get_attribute(f"data-{name}"))


def test_faithful_eruptions_alone_reach_scikit_learns_best(site, open_page, tmp_path):
    run = open_page(f"{site.url}?{QUERY}&run=1", offline=True)
    wait_done(run)
    page = run.page
    assert value(run, "params") == "5"
    best = sklearn_best_of_20()
    shown = float(value(run, "loglik"))
    assert math.isclose(shown, best, rel_tol=1e-6), (shown, best)
    # AIC and BIC follow from log L and the 5 parameters (n = 272)
    assert math.isclose(float(value(run, "aic")), 2 * 5 - 2 * shown, rel_tol=1e-9)
    bic = 5 * math.log(272) - 2 * shown
    assert math.isclose(float(value(run, "bic")), bic, rel_tol=1e-9)
    assert url_query(run)["cols"] == "eruptions"

    # the chart: a histogram of the column, each component's curve and the
    # mixture's, all in density units (the bars' area is 1)
    canvas = page.locator("#cluster-canvas")
    assert canvas.get_attribute("data-plane") == "line"
    axes = canvas_json(page, "axes")
    assert "eruption" in axes[0] and axes[1] == "density"
    hist = canvas_json(page, "histogram")
    assert 10 <= hist["bins"] <= 60
    edges = np.asarray(hist["edges"])
    heights = np.asarray(hist["heights"])
    assert heights.shape == (2, hist["bins"])  # split by the two components
    assert np.sum(heights.sum(axis=0) * np.diff(edges)) == pytest.approx(1.0)
    curves = canvas_json(page, "curves")
    assert len(curves["areas"]) == 2
    assert sum(curves["areas"]) == pytest.approx(1.0, abs=0.02)
    # the taller mode of the eruptions is the long one, near 4.4 minutes
    assert 4.0 < curves["at"] < 4.7
    assert page.locator("#cluster-legend").get_attribute("data-k") == "2"
    run.screenshot("one-dimension-faithful")

    # the other charts and the exports work in 1-D
    assert page.locator("#ic-summary").get_attribute("data-bic-k") in "123456"
    params = json.loads(download(page, "export-json", tmp_path))
    assert np.asarray(params["model"]["means"]).shape == (2, 1)
    assert np.asarray(params["model"]["covariances"]).shape == (2, 1, 1)
    assert params["fit"]["n_parameters"] == 5
    header = download(page, "export-csv", tmp_path).decode().splitlines()[0]
    assert header.split(",")[0] == "eruptions" and "waiting" not in header

    # the timeline: the first position (initial parameters) draws other
    # curves than the final fit, with grey bars (no E-step yet)
    final_peak = curves["peak"]
    page.locator("#tl-back").click()
    page.wait_for_function(
        "document.getElementById('cluster-canvas').dataset.source === 'timeline'"
    )
    page.locator("#tl-slider").focus()
    page.keyboard.press("Home")
    page.wait_for_function(
        "document.getElementById('timeline').dataset.phase === 'init'"
    )
    at_start = canvas_json(page, "curves")
    assert at_start["peak"] != pytest.approx(final_peak, rel=1e-6)
    assert len(canvas_json(page, "histogram")["heights"]) == 1  # grey
    page.keyboard.press("ArrowRight")  # the first E-step colours the bars
    page.wait_for_function(
        "JSON.parse(document.getElementById('cluster-canvas')"
        ".dataset.histogram).heights.length === 2"
    )
    check_clean(run)


def test_a_pasted_single_column_is_fitted_alone(site, open_page):
    run = open_page(f"{site.url}?k=2&seed=3&n_init=2", offline=True)
    run.wait_status("ready", "done")
    page = run.page
    rng = np.random.default_rng(7)
    values = np.r_[rng.normal(10.0, 1.0, 60), rng.normal(16.0, 2.0, 90)]
    text = "length\n" + "\n".join(f"{v:.4f}" for v in values)
    page.locator("#data-source").select_option("paste")
    page.locator("#data-text").fill(text)
    page.locator("#data-use-text").click()
    page.wait_for_function(
        "document.getElementById('cluster-canvas').dataset.plane === 'line'"
        " && document.body.dataset.status === 'done'",
        timeout=300_000,
    )
    assert page.locator("#col-y").input_value() == ""  # none: x alone
    expected = run_data(np.round(values, 4)[:, None], k=2, seed=3, n_init=2)
    assert value(run, "params") == "5" == str(expected.params)
    for name in ("loglik", "aic", "bic"):
        shown = float(value(run, name))
        assert math.isclose(shown, getattr(expected, name), rel_tol=1e-9), name
    assert canvas_json(page, "axes") == ["length", "density"]
    assert len(canvas_json(page, "histogram")["heights"]) == 2
    check_clean(run)


def test_anomalies_on_one_column_are_ringed_under_their_threshold(
    site, open_page, tmp_path
):
    """``anomaly=5`` on the eruptions alone: the rug rings as many points
    as the card counts, the lowest-density ones under the fit the page
    exports (scored here with scipy), below a line at their density."""
    norm = pytest.importorskip("scipy.stats").norm
    run = open_page(f"{site.url}?{QUERY}&anomaly=5&run=1", offline=True)
    wait_done(run)
    page = run.page
    flagged = int(value(run, "anomalies"))
    assert flagged == round(0.05 * 272)  # 13.6 -> 14
    canvas = page.locator("#cluster-canvas")
    assert canvas.get_attribute("data-anomalies") == str(flagged)
    marks = canvas_json(page, "anomaly-marks")
    assert len(marks["x"]) == len(marks["x_px"]) == flagged

    model = json.loads(download(page, "export-json", tmp_path))["model"]
    weights = np.asarray(model["weights"])
    means = np.asarray(model["means"])[:, 0]
    sds = np.sqrt(np.asarray(model["covariances"])[:, 0, 0])
    X, _, _, _ = datasets.load("faithful", [0])
    x = X[:, 0]
    density = norm.pdf(x[:, None], means, sds) @ weights
    lowest = np.argsort(density, kind="stable")[:flagged]
    np.testing.assert_allclose(marks["x"], np.sort(x[lowest]), atol=1e-9)
    # the line is at the last flagged point's density: every flagged point
    # at or under it, every other point at or over it
    level = marks["level"]
    assert level == pytest.approx(density[lowest].max(), rel=1e-6)
    assert np.all(np.delete(density, lowest) >= level * (1 - 1e-9))
    # the legend names the rings and the line
    key = page.locator("#cluster-legend").inner_text()
    assert "anomaly (lowest density)" in key and "anomaly threshold" in key
    run.screenshot("one-dimension-anomalies")
    check_clean(run)


def test_simulated_clusters_on_a_line_are_cpythons_run(site, open_page):
    """``dims=1``: the simulated data drawn on a line, fitted in one
    dimension (3K - 1 parameters, full), every number CPython's emcore run,
    the ARI against the true classes; the link keeps ``dims=1`` and the
    control shows it."""
    query = "dims=1&k=3&n=400&overlap=25&seed=5&cov=full"
    page_run = open_page(f"{site.url}?{query}&run=1", offline=True)
    wait_done(page_run)
    page = page_run.page
    expected = run(k=3, n=400, overlap=25, seed=5, cov="full", dims=1)
    assert expected.X.shape == (400, 1) and expected.params == 3 * 3 - 1
    check_results(page_run, expected)
    assert expected.ari is not None and float(value(page_run, "ari")) > 0.5
    assert url_query(page_run)["dims"] == "1"
    assert page.locator("#dims").input_value() == "1"
    assert page.locator("#dims").is_visible()
    assert page.locator("#cluster-canvas").get_attribute("data-plane") == "line"
    hist = canvas_json(page, "histogram")
    assert len(hist["heights"]) == 3
    assert canvas_json(page, "axes") == ["x", "density"]
    page_run.screenshot("one-dimension-simulated")

    # back to the plane from the control: two columns again, no dims= in the link
    page.locator("#dims").select_option("2")
    page.wait_for_function(
        "document.getElementById('cluster-canvas').dataset.plane === 'columns'"
        " && document.body.dataset.status === 'done'",
        timeout=300_000,
    )
    assert "dims" not in url_query(page_run)
    check_clean(page_run)


def test_a_two_column_dataset_offers_either_column_alone(site, open_page):
    """Old Faithful in the plane: 11 parameters at K = 2 (full) and
    scikit-learn's best log-likelihood of 20 starts. Its two columns make
    the column picker show, naming both as columns a student may fit
    alone, and typing ``waiting`` there fits that column alone, as CPython
    fits it."""
    tight = "tol=1e-8&iters=500"
    page_run = open_page(
        f"{site.url}?data=faithful&k=2&n_init=2&{tight}&run=1", offline=True
    )
    wait_done(page_run)
    page = page_run.page
    canvas = page.locator("#cluster-canvas")
    assert canvas.get_attribute("data-plane") == "columns"
    assert value(page_run, "params") == "11"
    mixture = pytest.importorskip("sklearn.mixture")
    plane = datasets.load("faithful", [0, 1])[0]
    best = mixture.GaussianMixture(
        2, covariance_type="full", n_init=20, tol=1e-10, max_iter=2000, random_state=0
    ).fit(plane)
    best_loglik = float(best.score(plane)) * len(plane)
    assert float(value(page_run, "loglik")) == pytest.approx(best_loglik, rel=1e-8)
    assert page.locator("#fit-columns-row").is_visible()
    hint = page.locator("#cols-hint").inner_text()
    assert "eruptions" in hint and "waiting" in hint
    page.locator("#cols").fill("waiting")
    page.locator("#cols").dispatch_event("change")
    page.wait_for_function(
        "document.getElementById('cluster-canvas').dataset.plane === 'line'"
        " && document.body.dataset.status === 'done'",
        timeout=240_000,
    )
    query = url_query(page_run)
    assert query["cols"] == "waiting"
    X, labels, _, _ = datasets.load("faithful", [1])
    assert X.shape == (272, 1) and X.min() > 40  # minutes between eruptions
    expected = run_data(
        X,
        labels,
        k=2,
        cov="full",
        seed=int(query.get("seed", 1)),
        n_init=2,
        tol=1e-8,
        iters=500,
    )
    assert float(value(page_run, "loglik")) == pytest.approx(expected.loglik, rel=1e-9)
    assert value(page_run, "params") == "5"
    check_clean(page_run)
