"""simapp.exports.embedding: the embed API's events and its commands."""

from __future__ import annotations

import json

import pytest
from simapp.exports.embedding import (
    COMMANDS,
    RESULT_KEYS,
    SETTABLE,
    notes_event,
    read_command,
    status_event,
)
from simapp.state import actions as A
from simapp.state import settings as S
from simapp.state.pagestate import DataSource, PageState
from simapp.state.reducer import reducer
from simapp.text.results import format_result

from emcore.experiment import run

READY = PageState(status="ready", settings=S.Settings(k=3, n=400, seed=6, n_init=1))


@pytest.fixture(scope="module")
def finished():
    """A real run's result and the state of a page showing it."""
    result = run(k=3, n=400, seed=6, n_init=1)
    return result, READY.with_changes(status="done")


def test_status_events_carry_the_status_and_the_link():
    event = status_event(READY.with_changes(status="running"))
    assert event == {
        "type": "emgmm:status",
        "status": "running",
        "source": "simulated",
        "query": "k=3&n=400&overlap=20&cov=full&iters=100&tol=1e-4&seed=6"
        "&n_init=1&run=1",
    }
    # done without results yet is still a plain status event
    assert status_event(READY.with_changes(status="done"))["type"] == "emgmm:status"


def test_done_carries_every_result_at_full_precision(finished):
    result, state = finished
    event = status_event(state, format_result(result))
    assert event["type"] == "emgmm:done" and event["withheld"] == ""
    got = event["results"]
    assert set(got) == set(RESULT_KEYS)
    for name in ("loglik", "aic", "bic", "ari"):
        assert got[name] == float(getattr(result, name))  # exactly, not rounded
    assert got["params"] == int(result.params)
    assert got["iterations"] == int(result.iterations)
    assert got["converged"] is bool(result.converged)
    assert got["verdict"] == result.verdict
    json.dumps(event, allow_nan=False)  # plain data, what postMessage clones


@pytest.mark.parametrize("kind", ["upload", "paste", "click"])
def test_fits_of_your_own_data_are_withheld(finished, kind):
    result, state = finished
    state = state.with_changes(source=DataSource(kind=kind))
    event = status_event(state, format_result(result))
    assert event["type"] == "emgmm:done" and event["results"] is None
    assert "your own data" in event["withheld"]


@pytest.mark.parametrize(
    "message",
    [None, "emgmm:run", 3, [], {}, {"type": 5}, {"type": "webpackOk"}, {"kind": "x"}],
)
def test_messages_of_other_protocols_are_ignored(message):
    assert read_command(message, READY) is None


def test_an_unknown_command_is_refused_with_the_commands_named():
    command = read_command({"type": "emgmm:" + "z" * 500}, READY)
    assert not command.accepted and command.action is None
    assert "z" * 21 not in command.notes[0]
    assert all(name in command.notes[0] for name in COMMANDS)
    assert notes_event(command)["accepted"] is False


def test_commands_wait_for_the_page():
    loading = READY.with_changes(status="loading")
    command = read_command({"type": "emgmm:run"}, loading)
    assert not command.accepted and "loading" in command.notes[0]
    assert read_command({"type": "emgmm:get-status"}, loading).reply


def test_run_and_get_status():
    assert read_command({"type": "emgmm:run"}, READY).action == A.FitRequested()
    command = read_command({"type": "emgmm:get-status"}, READY)
    assert command.reply and command.action is None and command.notes == ()


def test_set_parses_like_a_link_and_keeps_the_other_settings():
    params = {"k": 9, "cov": "TIED", "colour": "red", "seed": "x" * 3000}
    command = read_command({"type": "emgmm:set", "params": params}, READY)
    assert command.accepted
    notes = " ".join(command.notes)
    assert '"colour" cannot be set' in notes
    assert "k=9 is above the maximum 6; using 6" in notes
    assert "3,000 characters long" in notes and "x" * 21 not in notes
    state, effects = reducer(READY, command.action)
    s = state.settings
    assert (s.k, s.cov, s.n, s.seed, s.n_init) == (6, "tied", 400, 6, 1)
    assert any(isinstance(e, A.StartRun) for e in effects)


def test_k_true_stays_when_k_changes_unless_it_is_set():
    command = read_command({"type": "emgmm:set", "params": {"k": 5}}, READY)
    k_true = READY.settings.k_true
    assert reducer(READY, command.action)[0].settings.k_true == k_true
    command = read_command({"type": "emgmm:set", "params": {"k_true": 4}}, READY)
    assert reducer(READY, command.action)[0].settings.k_true == 4
    apart = READY.with_changes(settings=READY.settings.with_changes(k_true=2))
    command = read_command({"type": "emgmm:set", "params": {"k": 5}}, apart)
    assert reducer(apart, command.action)[0].settings.k_true == 2


@pytest.mark.parametrize(
    ("params", "why"),
    [
        (None, "params must be an object"),
        ({}, "params must be an object"),
        ([1, 2], "params must be an object"),
        ({"k": True}, "not bool"),
        ({"k": [3]}, "not list"),
        ({"k": {"x": 1}}, "not dict"),
        ({"data": "iris"}, "cannot be set"),
    ],
)
def test_bad_params_are_refused_whole(params, why):
    command = read_command({"type": "emgmm:set", "params": params}, READY)
    assert not command.accepted and command.action is None
    assert why in " ".join(command.notes)


def test_every_settable_name_is_a_setting_of_links():
    assert set(SETTABLE) <= set(S.QUERY_KEYS + S.EXTRA_QUERY_KEYS)


def test_a_parent_can_set_the_start():
    command = read_command({"type": "emgmm:set", "params": {"init": "whitened"}}, READY)
    assert command.accepted and command.notes == ()
    assert ("init", "whitened") in command.action.values
