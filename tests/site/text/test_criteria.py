"""simapp.text.criteria: the AIC/BIC panel and the comparison in words, and
what the page says about ICL matching what it does."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from simapp.state.pagestate import IC_CRITERIA
from simapp.text import criteria

from emcore.experiment import run, run_data

SITE = Path(__file__).resolve().parents[3] / "site"


def _plain(html: str) -> str:
    text = re.sub(r"<math.*?</math>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())


def test_the_theory_says_icl_is_plotted_exactly_when_the_panel_offers_it():
    text = _plain((SITE / "theory.html").read_text(encoding="utf-8"))
    sentences = [s for s in re.split(r"(?<=[.!?])\s", text) if "ICL" in s]
    denies = [s for s in sentences if re.search(r"(does not|doesn't|not) plot", s)]
    claims = [s for s in sentences if re.search(r"\bplots? it\b|plots ICL", s)]
    if "icl" in IC_CRITERIA:
        assert not denies, denies
        assert claims, "the theory should say where ICL is plotted"
    else:
        assert not claims, claims


@pytest.mark.parametrize("cov", ["full", "tied", "diag", "spherical"])
@pytest.mark.parametrize("criterion", IC_CRITERIA)
@pytest.mark.parametrize("complete", [True, False])
def test_the_comparison_summary_says_each_thing_once(cov, criterion, complete):
    text = criteria.best_text((cov, 3), criterion, complete=complete)
    assert text.count("K = 3") == 1, text
    assert len(re.findall(rf"\b{cov}", text)) == 1, text  # the type named once
    assert not re.search(r"\)\s*\(", text), text  # no "(…) (full, K = 3)"
    assert text.count(criterion.upper()) == 1, text


def test_comparison_labels_and_words():
    assert criteria.axis_label("bic") == "BIC (lower is better)"
    assert criteria.axis_label("icl", higher_is_better=True).startswith("\u2212ICL")
    text = criteria.best_text(("diag", 4), "aic")
    assert text.count("K = 4") == 1  # said once, not repeated in brackets
    assert "AIC" in text and "K = 4" in text and "diag" in text
    assert "so far" in criteria.best_text(("full", 2), complete=False)
    assert "appears" in criteria.best_text(None)


def test_ic_summary_and_progress():
    assert criteria.ic_summary(3, 4) == "BIC recommends K = 3, AIC K = 4."
    assert "both recommend K = 2" in criteria.ic_summary(2, 2, true_k=2)
    assert "1 of 8" in criteria.ic_progress([1], range(1, 9))


def test_legend_labels_name_the_minimum_or_say_pending():
    assert criteria.legend_label("AIC", 3) == "AIC: min at K=3"
    assert criteria.legend_label("BIC", None) == "BIC: pending"
    with pytest.raises(ValueError, match="criterion"):
        criteria.axis_label("bicc")


def test_the_iris_lowest_bic_is_named_left_out_with_the_pick_beside_it():
    from simapp.data import datasets

    X, labels, _, _ = datasets.load("iris")
    result = run_data(X, labels, k=3, cov="full", seed=3, n_init=2)
    text, healthy = criteria.pick_warning(result.picks)
    k_bic = result.picks.bic.k_raw
    assert k_bic == result.sweep.ks[int(np.argmin(result.sweep.bic))]
    assert f"K = {k_bic} left out of " in text and "BIC" in text.split(":")[0]
    assert "sits on duplicated points" in text  # names the component and why
    assert f"BIC K = {result.picks.bic.k_healthy}" in text
    assert healthy["bic"] == result.picks.bic.k_healthy == result.picks.bic.k < k_bic


def test_when_every_fit_is_suspect_the_pick_is_the_lowest_with_a_caution():
    from emcore.records import CriterionPick, Picks

    note = "component 2: collapsed (spread 0.0001 of the data's)"
    odd = CriterionPick(k=4, k_healthy=None, note=note, k_raw=4)
    text, healthy = criteria.pick_warning(Picks(aic=odd, bic=odd, icl=odd))
    assert text.startswith("Caution: every fit of the sweep rests on a suspect")
    assert f"K = 4: {note}" in text
    assert healthy == {"bic": None, "aic": None, "icl": None}


def test_no_warning_when_every_pick_is_healthy():
    result = run(k=3, n=300, overlap=10, seed=4, n_init=1)
    picks = result.picks
    assert all(picks.of(c).note == "" for c in ("aic", "bic", "icl"))
    assert criteria.pick_warning(picks) == (
        "",
        {"bic": picks.bic.k, "aic": picks.aic.k, "icl": picks.icl.k},
    )


@pytest.mark.parametrize("criterion", IC_CRITERIA)
@pytest.mark.parametrize("ks", [(3, 3, 3), (3, 4, 2)])
def test_the_summary_leads_with_the_criterion_shown(criterion, ks):
    bic, aic, icl = ks
    text = criteria.ic_summary(bic, aic, criterion=criterion, best_icl=icl)
    name = criteria.CRITERION_NAMES[criterion]
    assert text.startswith(name)
    chosen = dict(zip(("bic", "aic", "icl"), ks, strict=True))[criterion]
    assert f"K = {chosen}" in text.split(";")[0].split(",")[0] or len(set(ks)) == 1
    if criterion == "icl":
        assert "BIC and AIC both recommend" not in text
        # the other two are still named, with their picks
        assert f"BIC K = {bic}" in text or "all recommend" in text


def test_the_icl_summary_needs_the_icl_pick():
    with pytest.raises(ValueError, match="best_icl"):
        criteria.ic_summary(3, 3, criterion="icl")
