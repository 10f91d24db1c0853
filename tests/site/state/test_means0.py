"""``means0``, the watched fit's starting means: its link form, its notes,
and the reducer's :class:`~simapp.state.actions.StartMoved`."""

from __future__ import annotations

import numpy as np
import pytest
from simapp.run.plan import run_events
from simapp.state import actions as A
from simapp.state import settings as S
from simapp.state.pagestate import PageState
from simapp.state.reducer import reducer
from simapp.state.url import state_from_query, state_to_query


def random_means(k: int, seed: int) -> tuple:
    rng = np.random.default_rng(seed)
    return tuple(
        (float(x), float(y)) for x, y in rng.uniform(-50, 50, size=(k, 2)).round(3)
    )


@pytest.mark.parametrize("k", [2, 3, 6])
def test_the_link_carries_the_start_and_reads_it_back(k):
    means = random_means(k, seed=k)
    state, notes = state_from_query(
        f"k={k}&means0=" + ";".join(f"{x},{y}" for x, y in means)
    )
    assert notes == [] and state.settings.means0 == means
    again, notes = state_from_query(state_to_query(state))
    assert notes == [] and again.settings == state.settings.with_changes(run=True)
    assert state.settings.to_run_kwargs()["means_init"] == means


def test_no_start_leaves_the_link_and_the_run_alone():
    settings = S.Settings()
    assert "means0" not in S.settings_to_query(settings)
    assert "means_init" not in settings.to_run_kwargs()


def test_coordinates_keep_six_significant_digits():
    state, _ = state_from_query("k=2&means0=1.23456789,-0.000123456789;1e3,2")
    assert state.settings.means0 == ((1.23457, -0.000123457), (1000.0, 2.0))
    assert "means0=1.23457,-0.000123457;1000,2" in state_to_query(state)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("1,2;3,4", "means0 has 2 starts but k=3"),
        ("1,2;3,4;5,6;7,8", "means0 has 4 starts but k=3"),
        ("1,2;a,4;5,6", 'start 2 ("a,4") is not two numbers'),
        ("1,2;3;5,6", 'start 2 ("3") is not two numbers'),
        ("1,2,3;3,4;5,6", 'start 1 ("1,2,3") is not two numbers'),
        ("1,2;nan,4;5,6", "is not two numbers"),
        ("1,2;inf,4;5,6", "is not two numbers"),
    ],
)
def test_a_bad_start_is_named_and_the_usual_start_used(text, words):
    state, notes = state_from_query(f"k=3&means0={text}")
    assert state.settings.means0 == ()
    assert len(notes) == 1 and words in notes[0] and "usual start" in notes[0]
    assert "means0" not in state_to_query(state)


def test_a_trailing_semicolon_is_forgiven():
    state, notes = state_from_query("k=2&means0=1,2;3,4;")
    assert notes == [] and state.settings.means0 == ((1.0, 2.0), (3.0, 4.0))


def test_settings_refuse_a_malformed_start():
    with pytest.raises(ValueError, match="means0"):
        S.Settings(k=2, means0=((1.0, float("nan")), (0.0, 0.0)))


def ready(**settings) -> PageState:
    return PageState(status="ready", settings=S.Settings(**settings))


def test_moving_a_start_sets_it_rounded_and_runs_from_it():
    state, effects = reducer(
        ready(k=2), A.StartMoved(((1.0000004, 2.0), (-3.5, 0.1234567)))
    )
    assert state.settings.means0 == ((1.0, 2.0), (-3.5, 0.123457))
    assert state.running and effects == [A.StartRun(1), A.ReplaceUrl()]
    assert "means0=1,2;-3.5,0.123457" in state_to_query(state)
    kwargs, events = run_events(*state.run_inputs[:1])
    next(events)  # the data
    init = next(e for e in events if e.kind == "init")
    np.testing.assert_allclose(init.means, state.settings.means0)
    assert kwargs["means_init"] == state.settings.means0


def test_a_start_with_the_wrong_count_is_refused_by_name():
    with pytest.raises(ValueError, match=r"means0 must have 3 \(x, y\) pairs"):
        reducer(ready(k=3), A.StartMoved(((0.0, 0.0), (1.0, 1.0))))


def test_an_empty_start_returns_to_the_usual_one():
    state, _ = reducer(ready(k=2, means0=((0.0, 0.0), (1.0, 1.0))), A.StartMoved(()))
    assert state.settings.means0 == () and state.running


def test_the_start_survives_other_edits_but_not_a_new_k():
    means = ((0.0, 0.0), (1.0, 1.0))
    kept, _ = reducer(
        ready(k=2, means0=means),
        A.ControlsEdited((("k", "2"), ("n", "300"))),
    )
    assert kept.settings.means0 == means and kept.notes == ()
    changed, _ = reducer(ready(k=2, means0=means), A.ControlsEdited((("k", "3"),)))
    assert changed.settings.means0 == ()
    assert any("means0 has 2 starts but k=3" in note for note in changed.notes)


def test_other_data_forget_the_start():
    means = ((0.0, 0.0), (1.0, 1.0), (2.0, 2.0))
    state = ready(k=3, means0=means)
    same, _ = reducer(state, A.NewSeed(99, (("k", "3"),)))
    assert same.settings.means0 == means  # new simulated data, same units
    other, _ = reducer(state, A.DatasetChosen("iris"))
    assert other.source.dataset == "iris" and other.settings.means0 == ()


def test_a_links_dataset_keeps_its_start_when_it_loads():
    state, notes = state_from_query(
        "data=iris&k=3&means0=5,3;6,3;7,3&paused=1&run=1", default_seed=1
    )
    assert notes == []
    loaded, effects = reducer(state, A.Ready("Ready."))
    assert loaded.source.own is not None and A.StartRun(1) in effects
    assert loaded.settings.means0 == ((5.0, 3.0), (6.0, 3.0), (7.0, 3.0))
    kwargs, _ = run_events(*loaded.run_inputs)
    assert kwargs["means_init"] == loaded.settings.means0
