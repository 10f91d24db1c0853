"""Fitting more than two columns in a real browser (issue 15, item 4).

``?data=iris&cols=all&k=3&cov=full&run=1`` fits all four Iris measurements:
the page shows 44 parameters and the log-likelihood, AIC and BIC that
``emcore.experiment.run_data`` computes in CPython on the same columns with the
settings the page wrote into its link. The chart draws the first two
principal components (axes titled PC1 and PC2) and switches to a pair of
columns from its control without refitting; a list of columns refits.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest

from emcore import experiment

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "site"))

from simapp.data import datasets  # noqa: E402
from simapp.state import settings as S  # noqa: E402
from test_data_and_sharing import check_clean, url_query, value  # noqa: E402
from test_teaching import wait_done  # noqa: E402

pytestmark = pytest.mark.browser

REL = 1e-9
IRIS = ("sepal_length", "sepal_width", "petal_length", "petal_width")


@pytest.fixture(scope="module")
def site(site_factory, numpy_wheels_dir):
    return site_factory("vendor")


def cpython_fit(run, columns):
    """``run_data`` on the Iris columns with the fit settings of the page's link."""
    query = url_query(run)
    settings, _ = S.parse_settings({k: [v] for k, v in query.items()})
    fit = {
        k: v
        for k, v in settings.to_run_kwargs().items()
        if k in experiment.FIT_SETTINGS
    }
    X, labels, _, _ = datasets.load("iris", columns)
    return experiment.run_data(X, labels, **fit)


def download(page, button: str, tmp_path: Path) -> bytes:
    with page.expect_download(timeout=60_000) as info:
        page.locator(f"#{button}").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path.read_bytes()


def test_all_four_iris_measurements_match_cpython(
    site, open_page, tmp_path, run_without_emcore
):
    run = open_page(f"{site.url}?data=iris&cols=all&k=3&cov=full&run=1", offline=True)
    wait_done(run)
    page = run.page
    expected = cpython_fit(run, range(4))
    assert expected.params == 44
    assert value(run, "params") == "44"
    for name in ("loglik", "aic", "bic"):
        shown = float(value(run, name))
        assert math.isclose(shown, getattr(expected, name), rel_tol=REL), name
    assert math.isclose(float(value(run, "ari")), expected.ari, rel_tol=REL)
    q = url_query(run)
    assert q["cols"] == "all" and q["data"] == "iris"

    # the chart: principal components, three projected ellipses, named axes
    canvas = page.locator("#cluster-canvas")
    assert canvas.get_attribute("data-plane") == "pca"
    axes = json.loads(canvas.get_attribute("data-axes"))
    assert axes[0].startswith("PC1") and axes[1].startswith("PC2")
    assert len(json.loads(canvas.get_attribute("data-ellipses"))) == 3
    assert page.locator("#fit-columns-row").is_visible()
    assert page.locator("#cols").input_value() == "all"
    run.screenshot("columns-iris-pca")

    # the exports follow the columns: all four in the CSV, and the notebook
    # (scikit-learn only) reaches the page's BIC on them
    header = download(page, "export-csv", tmp_path).decode().splitlines()[0]
    assert header.split(",")[:4] == list(IRIS)
    notebook = json.loads(download(page, "export-notebook", tmp_path))
    assert "'sepal_width'" in json.dumps(notebook)
    bic = run_without_emcore(notebook, "float(gm.bic(X))")
    assert math.isclose(bic, float(value(run, "bic")), rel_tol=1e-6)

    # another plane: a pair of columns, drawn without a new fit
    page.select_option("#plot", "petal_length,petal_width")
    page.wait_for_function(
        "document.getElementById('cluster-canvas').dataset.plane === 'pair'"
    )
    axes = json.loads(canvas.get_attribute("data-axes"))
    assert axes == ["petal length (cm)", "petal width (cm)"]
    assert value(run, "params") == "44"
    assert url_query(run)["plot"] == "petal_length,petal_width"

    # two columns by number: a new fit of 2 + 6 + 9 = 17 parameters
    page.fill("#cols", "1,3")
    page.locator("#cols").dispatch_event("change")
    page.wait_for_function(
        "document.getElementById('result-params').dataset.value === '17'",
        timeout=120_000,
    )
    wait_done(run)
    expected = cpython_fit(run, [0, 2])
    assert math.isclose(float(value(run, "bic")), expected.bic, rel_tol=REL)
    assert url_query(run)["cols"] == "1,3"
    check_clean(run)


def test_a_bad_cols_value_is_named_and_the_petals_are_fitted(site, open_page):
    run = open_page(
        f"{site.url}?data=iris&cols=petal_length,stem&k=3&n_init=1&run=1",
        offline=True,
    )
    wait_done(run)
    assert value(run, "params") == "17"
    notes = run.page.locator("body").inner_text()
    assert '"stem" is not a column' in notes
    check_clean(run)
