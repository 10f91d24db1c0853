"""The store in CPython (it imports no browser module): order, effects, errors."""

from __future__ import annotations

from app.store import Store
from simapp.state import actions as A
from simapp.state.pagestate import PageState


def make_store(effects=None):
    log = []
    errors = []
    store = Store(
        PageState(status="ready"),
        render=lambda old, new: log.append(("render", old.generation, new.generation)),
        on_error=lambda exc, action: errors.append((type(exc).__name__, action)),
    )
    store.handle(effects or {})
    return store, log, errors


def test_actions_render_then_run_their_effects_in_order():
    calls = []
    store, log, errors = make_store(
        {
            A.StartRun: lambda e: calls.append(("start", e.generation)),
            A.ReplaceUrl: lambda e: calls.append(("url", store.state.generation)),
        }
    )
    store.dispatch(A.ControlsEdited((("k", "4"),)))
    assert log == [("render", 0, 1)]
    assert calls == [("start", 1), ("url", 1)]
    assert store.state.settings.k == 4 and errors == []


def test_actions_dispatched_by_an_effect_queue_up():
    seen = []
    store, log, _ = make_store()

    def start(effect):
        # the runner reports back while the first action is still handled
        store.dispatch(A.RunFinished(effect.generation, "Done."))
        seen.append(store.state.status)  # not applied yet: queued

    store.handle({A.StartRun: start, A.ReplaceUrl: lambda e: None})
    store.dispatch(A.ControlsEdited((("k", "2"),)))
    assert seen == ["running"]
    assert store.state.status == "done" and len(log) == 2


def test_an_unchanged_state_is_not_rendered():
    store, log, _ = make_store()
    store.dispatch(A.Seek(4))  # nothing recorded: no change
    assert log == []


def test_errors_go_to_the_handler_and_the_store_keeps_working():
    store, _, errors = make_store()
    store.dispatch(A.DataSourceChosen("ftp"))
    assert errors == [("ValueError", A.DataSourceChosen("ftp"))]
    store.handle({A.StartRun: lambda e: None, A.ReplaceUrl: lambda e: None})
    store.dispatch(A.ControlsEdited((("k", "5"),)))
    assert store.state.settings.k == 5
