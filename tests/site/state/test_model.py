"""``model=`` and ``conc=``: the watched fit (EM or variational Bayes) and
its concentration prior, read from links and passed to emcore."""

from __future__ import annotations

import math

import pytest
from simapp.state import settings as S
from simapp.state import values as V


def test_the_concentration_choices_are_decades_across_emcore_limits():
    from emcore.experiment import LIMITS

    low, high = LIMITS["concentration"]
    assert V.CONC_CHOICES[0] == low and V.CONC_CHOICES[-1] == high
    ratios = [b / a for a, b in zip(V.CONC_CHOICES, V.CONC_CHOICES[1:], strict=False)]
    assert all(math.isclose(r, 10.0) for r in ratios)


def test_bayes_and_its_prior_round_trip_through_a_link():
    settings, notes = S.parse_settings({"model": "Bayes", "conc": "0.01"})
    assert notes == []
    assert (settings.model, settings.conc) == ("bayes", 0.01)
    query = S.settings_to_query(settings)
    assert "model=bayes" in query and "conc=0.01" in query
    back, _ = S.parse_settings(S.parse_query_string(query))
    assert back == settings


def test_em_and_the_default_prior_are_left_out_of_links():
    settings, notes = S.parse_settings({"model": "em", "conc": ""})
    assert notes == [] and settings.conc is None
    query = S.settings_to_query(settings)
    assert "model" not in query and "conc" not in query


@pytest.mark.parametrize(
    ("text", "expected", "note"),
    [
        ("5", 10.0, "conc=5 is not offered; using 10"),
        ("1e9", 1000.0, "conc=1e9 is not offered; using 1000"),
        ("-1", None, "conc=-1 is not a positive number; using 1/K"),
        ("abc", None, 'conc="abc" is not a positive number; using 1/K'),
    ],
)
def test_an_unoffered_concentration_snaps_with_a_note(text, expected, note):
    settings, notes = S.parse_settings({"conc": text})
    assert settings.conc == expected
    assert notes == [note]


def test_an_unknown_model_means_em_with_a_note():
    settings, notes = S.parse_settings({"model": "mcmc"})
    assert settings.model == "em"
    assert notes == ['model="mcmc" is not one of em, bayes; using em']


def test_run_kwargs_name_the_bayesian_fit_and_drop_the_temperature():
    bayes = S.Settings(model="bayes", conc=0.1, temp=0.5)
    kwargs = bayes.to_run_kwargs()
    assert kwargs["model"] == "bayes" and kwargs["concentration"] == 0.1
    assert "temperature" not in kwargs
    em = S.Settings(temp=0.5, conc=0.1).to_run_kwargs()
    assert "model" not in em and "concentration" not in em
    assert em["temperature"] == 0.5


@pytest.mark.parametrize(("model", "conc"), [("mcmc", None), ("bayes", 0.5)])
def test_hand_built_settings_are_checked(model, conc):
    with pytest.raises(ValueError, match="model|conc"):
        S.Settings(model=model, conc=conc)


def test_anneal_round_trips_and_reaches_emcore_only_where_it_can_cool():
    settings, notes = S.parse_settings({"anneal": "1", "temp": "0.5"})
    assert notes == [] and settings.anneal
    query = S.settings_to_query(settings)
    assert "anneal=1" in query
    assert S.parse_settings(S.parse_query_string(query))[0] == settings
    assert settings.to_run_kwargs()["annealing"] == V.ANNEAL_SCHEDULE
    # a schedule from 1.5 cools to a temperature in (0, 1.5), for EM only
    for changes in ({"temp": 0.0}, {"temp": 2.0}, {"model": "bayes"}):
        assert "annealing" not in settings.with_changes(**changes).to_run_kwargs()
    assert "anneal" not in S.settings_to_query(S.Settings())


def test_a_garbled_anneal_flag_does_not_anneal_and_says_so():
    settings, notes = S.parse_settings({"anneal": "maybe"})
    assert not settings.anneal
    assert notes == ['anneal="maybe" is not 0/1; not annealing']
