"""Every lesson scenario is a valid link and shows what its text claims."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from lesson_runs import run_query
from simapp.lessons.scenarios import SCENARIOS, scenario, scenario_ids

SITE = Path(__file__).resolve().parents[3] / "site"


@pytest.fixture(scope="module")
def results():
    return {s.id: run_query(s.query) for s in SCENARIOS}


def test_at_least_six_lessons_with_unique_ids_and_texts():
    assert len(SCENARIOS) >= 6
    assert len(set(scenario_ids())) == len(SCENARIOS)
    for s in SCENARIOS:
        assert s.id == s.id.lower() and " " not in s.id
        for text in (s.title, s.watch, s.change, s.shows):
            assert 20 <= len(text) <= 400, (s.id, text)


def test_unknown_scenario_names_the_choices():
    with pytest.raises(ValueError, match="scenario='nope'.*local-optimum"):
        scenario("nope")


def test_local_optimum_starts_disagree(results):
    r = results["local-optimum"]
    assert r.verdict == "WARN"
    assert r.n_optima >= 3
    assert r.best_hits < len(r.starts)
    finals = [s.loglik_mean for s in r.starts]
    assert max(finals) - min(finals) > 0.01


def test_collapse_has_a_collapsed_component_and_bic_would_pick_more(results):
    r = results["collapse"]
    assert r.collapsed, r.notes
    dets = [np.linalg.det(c) for c in r.covariances]
    assert min(dets) < 1e-6
    # three species, but slivers have the lowest BIC; the pick leaves them out
    assert r.picks.bic.k_raw > 3 and r.picks.bic.note
    assert r.picks.bic.k == r.picks.bic.k_healthy < r.picks.bic.k_raw


def test_choose_k_criteria_disagree(results):
    r = results["choose-k"]
    icl = r.sweep.ks[int(np.argmin(r.sweep.icl))]
    assert len({r.picks.aic.k, r.picks.bic.k, icl}) == 3
    assert r.picks.aic.k > r.picks.bic.k > icl
    assert set(r.comparison) == {"full", "tied", "diag", "spherical"}


def test_overlap_lowers_ari(results):
    assert results["overlap-ari"].ari < 0.3
    clear = run_query({**scenario("overlap-ari").query, "overlap": "0"})
    assert clear.ari > 0.99


def test_mixture_beats_kmeans_on_elongated_clusters(results):
    r = results["kmeans-vs-mixture"]
    assert r.ari - r.kmeans.ari > 0.4
    round_ = run_query({**scenario("kmeans-vs-mixture").query, "cov": "spherical"})
    assert round_.ari < r.ari - 0.2


def test_covariance_types_full_wins_bic(results):
    r = results["covariance-types"]
    best = {cov: min(col.bic) for cov, col in r.comparison.items()}
    assert min(best, key=best.get) == "full"
    assert best["spherical"] - best["full"] > 20


def test_covariance_types_circles_fit_these_clusters_poorly(results):
    # "the circles fit poorly": spherical recovers the clusters far worse
    # than full; "tilted": axis-aligned ellipses fall short of full too
    spherical = results["covariance-types"]
    query = scenario("covariance-types").query
    ari = {
        cov: run_query({**query, "cov": cov, "compare": "0"}).ari
        for cov in ("diag", "full")
    }
    assert spherical.ari < ari["full"] - 0.3
    assert ari["diag"] < ari["full"] - 0.1
    assert ari["full"] > 0.9


def test_wrong_k_merges_clusters_and_bic_knows(results):
    r = results["wrong-k"]
    assert r.settings["k_true"] == 4 and r.settings["k"] == 2
    assert r.ari < 0.7
    assert r.picks.bic.k == 4


def test_the_kmeans_trap_fails_for_every_start_and_whitening_recovers(results):
    r = results["kmeans-trap"]
    assert r.ari < 0.5 and r.kmeans.ari < 0.5
    # "raise the starts to 10: every one cuts the same way"
    ten = run_query({**scenario("kmeans-trap").query, "n_init": "10"})
    assert len(ten.starts) == 10 and max(s.ari for s in ten.starts) < 0.5
    # "set Start to whitened: ARI above 0.9 and a higher log-likelihood"
    fixed = run_query({**scenario("kmeans-trap").query, "init": "whitened"})
    assert fixed.ari > 0.9 and fixed.loglik > r.loglik


def test_what_the_change_texts_promise():
    # choose-k: "lower the overlap to 10 %: BIC and ICL agree on three, AIC
    # still asks for more"
    r = run_query({**scenario("choose-k").query, "overlap": "10"})
    icl = r.sweep.ks[int(np.argmin(r.sweep.icl))]
    assert r.picks.bic.k == icl == 3 < r.picks.aic.k
    # collapse: "lower K to 3 ... the sliver disappears"
    r = run_query({**scenario("collapse").query, "k": "3"})
    assert not r.collapsed
    # wrong-k: "raise K to 4": the four clusters are found
    r = run_query({**scenario("wrong-k").query, "k": "4"})
    assert r.ari > 0.9


def test_the_theory_text_links_to_lessons_that_exist():
    from html.parser import HTMLParser

    from simapp.lessons.scenarios import scenario_ids

    class Links(HTMLParser):
        def __init__(self):
            super().__init__()
            self.found = []

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "a" and "lesson-link" in (a.get("class") or "").split():
                self.found.append((a.get("href"), a.get("data-scenario")))

    parser = Links()
    parser.feed((SITE / "theory.html").read_text(encoding="utf-8"))
    assert len(parser.found) >= 6
    for href, lesson in parser.found:
        assert lesson in scenario_ids()
        assert href == f"?scenario={lesson}"  # works without JavaScript too
    assert {lesson for _, lesson in parser.found} == set(scenario_ids())
