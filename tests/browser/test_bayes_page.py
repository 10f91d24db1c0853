"""The Bayesian fit (``model=bayes``) in a real browser (vendored build,
offline): unneeded components die away, the concentration prior's control
reaches the fit, the bound panel shows the ELBO, ``anneal=1`` reaches EM,
the two lessons on temperature and priors load, and an embed may show the
new controls."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "site"))

from simapp.lessons.scenarios import scenario  # noqa: E402
from test_teaching import check_lesson, wait_done  # noqa: E402

from emcore.experiment import active_components  # noqa: E402
from emcore.experiment import run as emcore_run  # noqa: E402

pytestmark = pytest.mark.browser

TWO = {"k": 6, "k_true": 2, "n": 300, "overlap": 0, "seed": 3, "n_init": 1}
QUERY = "&".join(f"{key}={value}" for key, value in TWO.items())


def active(page) -> int:
    return int(page.locator("#result-active").get_attribute("data-value"))


def test_bayes_prunes_two_clusters_to_at_most_three_components(site, open_page):
    run = open_page(f"{site.url}?{QUERY}&model=bayes&run=1", offline=True)
    wait_done(run)
    page = run.page
    expected = emcore_run(**TWO, model="bayes")
    assert page.locator("#active-card").is_visible()
    assert active(page) == active_components(expected.weights) <= 3
    assert int(page.locator("#result-iterations").get_attribute("data-value")) == (
        expected.iterations
    )
    assert page.locator("#model").input_value() == "bayes"
    assert "model=bayes" in page.locator("#share-url").input_value()
    bound = page.locator("#bound")
    assert bound.get_attribute("data-model") == "bayes"
    series = json.loads(bound.get_attribute("data-series"))
    elbo = [s["elbo"] for s in series]
    want = np.array(expected.trace) * len(expected.X)
    np.testing.assert_allclose(elbo, want, rtol=1e-9)
    assert "ELBO" in page.locator("#bound-note").inner_text()
    assert "ELBO per point" in page.locator("#loglik-note").inner_text()
    # the final fit's emptied components are drawn faded, the used ones solid
    canvas = page.locator("#cluster-canvas")
    alphas = np.array(json.loads(canvas.get_attribute("data-ellipse-alphas")))
    np.testing.assert_array_equal(alphas < 1.0, expected.weights < 0.05)
    notes = page.locator("#result-notes").inner_text()
    assert "AIC/BIC chart" in notes


def test_em_hides_the_card_and_the_prior_control_reaches_the_fit(site, open_page):
    run = open_page(f"{site.url}?{QUERY}&run=1", offline=True)
    wait_done(run)
    page = run.page
    assert page.locator("#active-card").is_hidden()
    assert page.locator("#bound").get_attribute("data-model") == "em"
    page.select_option("#model", "bayes")
    wait_done(run)
    page.select_option("#conc", "1000")
    t0 = time.perf_counter()
    while "conc=1000" not in page.locator("#share-url").input_value():
        assert time.perf_counter() - t0 < 30, page.locator("#share-url").input_value()
        page.wait_for_timeout(50)
    wait_done(run)
    expected = emcore_run(**TWO, model="bayes", concentration=1000.0)
    weights = expected.weights
    assert active(page) == active_components(weights)
    iterations = int(page.locator("#result-iterations").get_attribute("data-value"))
    assert iterations == expected.iterations


@pytest.mark.parametrize("lesson", ["kmeans-cold-limit", "prior-chooses-k"])
def test_the_temperature_and_prior_lessons_load(site, open_page, lesson):
    run = open_page(f"{site.url}?scenario={lesson}", offline=True)
    wait_done(run)
    check_lesson(run, scenario(lesson))
    if lesson == "prior-chooses-k":
        assert active(run.page) == 2  # "ends at 2 of 6"


def test_an_embed_shows_the_model_controls_it_names(site, open_page):
    url = f"{site.url}?embed=1&controls=k,model,conc&{QUERY}"
    run = open_page(url, offline=True)
    page = run.page
    t0 = time.perf_counter()
    while page.locator("body").get_attribute("data-status") not in ("ready", "done"):
        assert time.perf_counter() - t0 < 120, run.message()
        page.wait_for_timeout(100)
    assert page.locator("#model").is_visible() and page.locator("#conc").is_visible()
    assert page.locator("#temp").is_hidden() and page.locator("#n").is_hidden()


def test_anneal_reaches_the_watched_fit(site, open_page):
    query = "k=3&n=300&overlap=20&seed=4&n_init=1"
    run = open_page(f"{site.url}?{query}&anneal=1&run=1", offline=True)
    wait_done(run)
    page = run.page
    settings = {"k": 3, "n": 300, "overlap": 20, "seed": 4, "n_init": 1}
    expected = emcore_run(**settings, annealing=(1.5, 0.9))
    plain = emcore_run(**settings)
    iterations = int(page.locator("#result-iterations").get_attribute("data-value"))
    assert iterations == expected.iterations != plain.iterations
    assert page.locator("#anneal").input_value() == "1"
    assert "anneal=1" in page.locator("#share-url").input_value()
