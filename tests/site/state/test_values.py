"""simapp.state.values: one value of a link read; the E-step's temperature."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from simapp.state import settings as S
from simapp.state.pagestate import PageState
from simapp.state.url import state_from_query, state_to_query
from simapp.state.values import TEMP_LIMITS, parse_temp, temp_label


@given(st.floats(*TEMP_LIMITS))
def test_a_temperature_label_reads_back_as_the_same_float(temp):
    notes = []
    assert parse_temp(temp_label(temp), notes) == temp and notes == []


def test_temperatures_out_of_range_or_unreadable_are_noted():
    notes = []
    assert parse_temp("7.5", notes) == 5.0
    assert parse_temp("-1", notes) == 0.0
    assert parse_temp("hot", notes) == 1.0
    assert notes == [
        "temp=7.5 is above the maximum 5; using 5",
        "temp=-1 is below the minimum 0; using 0",
        'temp="hot" is not a valid number; using 1 (EM)',
    ]
    assert temp_label(1.0) == "1" and temp_label(0.05) == "0.05"


@given(st.floats(*TEMP_LIMITS))
def test_temp_round_trips_through_the_link(temp):
    state = PageState(settings=S.Settings(seed=3, k=4, temp=temp))
    query = state_to_query(state)
    assert ("temp=" in query) == (temp != 1.0)
    back, notes = state_from_query(query, default_seed=1)
    assert notes == [] and back.settings.temp == temp
    assert state_to_query(back) == query


def test_temp_one_is_em_and_stays_out_of_the_run_and_the_link():
    settings, notes = S.parse_settings({"temp": "1", "seed": "4"})
    assert notes == [] and settings.temp == 1.0
    assert "temperature" not in settings.to_run_kwargs()
    assert settings.to_run_kwargs() == S.Settings(seed=4).to_run_kwargs()
    assert "temp" not in S.settings_to_query(settings)
    cold, _ = S.parse_settings({"temp": "0.1"})
    assert cold.to_run_kwargs()["temperature"] == 0.1
    assert S.settings_to_query(cold).endswith("&temp=0.1")


def test_dims_are_read_from_what_a_person_types():
    from simapp.state.values import parse_dims

    notes: list[str] = []
    assert parse_dims("1", notes) == 1 and parse_dims("2.0", notes) == 2
    assert notes == []
    assert parse_dims("7", notes) == 2 and len(notes) == 1
