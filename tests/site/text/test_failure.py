"""A failed data load or fit leaves nothing on show as if current.

The reducer cancels the run and asks for the charts to be cleared (ShowData
without data draws the empty states); the data chart's sentences come from
:mod:`simapp.text.failure` (and a failed fit is told apart from a cancelled
one by :func:`app.views.shown.fit_failed`, tested with it).
"""

from __future__ import annotations

import pytest
from simapp.run.plan import run_events
from simapp.state import actions as A
from simapp.state.pagestate import PageState
from simapp.state.reducer import reducer
from simapp.text import failure

GOOD = "a,b,kind\n" + "\n".join(f"{i},{(i * 7) % 11},{'pq'[i % 2]}" for i in range(40))
BAD_TABLES = ["just one word", "", "a,b\nx,y\nz,w\n", "1\n2\n3\n"]


def apply(state, *actions):
    effects = []
    for action in actions:
        state, new = reducer(state, action)
        effects.extend(new)
    return state, effects


def fitted_paste() -> PageState:
    """A pasted table, fitted to the end."""
    state, _ = apply(PageState(status="ready"), A.DataSourceChosen("paste"))
    state, _ = reducer(state, A.TableRead(GOOD))
    assert state.running and state.source.own is not None
    state, _ = reducer(state, A.RunFinished(state.generation, "Done."))
    assert state.timeline.has_result
    return state


@pytest.mark.parametrize("text", BAD_TABLES)
def test_a_bad_table_after_a_good_one_clears_the_old_data(text):
    good = fitted_paste()
    state, effects = reducer(good, A.TableRead(text))
    assert state.source.own is None and state.source.table is not good.source.table
    assert state.source.error
    assert state.generation == good.generation + 1 and not state.running
    assert not state.timeline.has_result  # the old result is not on show
    assert effects == [A.ShowData(state.generation)]  # the charts are cleared
    assert state.message.kind == "warn"
    assert state.source.error in state.message.text
    with pytest.raises(ValueError, match="no data"):
        run_events(*state.run_inputs)  # Simulate has nothing left to fit


def test_a_bad_table_during_a_run_stops_it():
    state, _ = apply(PageState(status="ready"), A.DataSourceChosen("paste"))
    running, _ = reducer(state, A.TableRead(GOOD))
    assert running.running
    state, effects = reducer(running, A.TableRead("one"))
    assert not state.running and state.status == "ready"
    assert effects == [A.ShowData(state.generation)]
    # the old run's last events change nothing any more
    late, _ = reducer(state, A.RunFinished(running.generation, "Done."))
    assert late is state


def test_unusable_columns_clear_the_fit_but_keep_the_table():
    good = fitted_paste()
    state, effects = reducer(good, A.ColumnsChosen("a", "", ""))
    assert state.source.own is None and state.source.table is good.source.table
    assert effects == [A.ShowData(state.generation)]
    assert not state.timeline.has_result
    # choosing usable columns again fits again
    state, effects = reducer(state, A.ColumnsChosen("a", "b", ""))
    assert state.source.own is not None and A.StartRun(state.generation) in effects
    assert state.source.error == ""


def test_a_rejected_file_clears_the_previous_data():
    state, _ = apply(PageState(status="ready"), A.DataSourceChosen("upload"))
    state, _ = reducer(state, A.TableRead(GOOD, "good.csv"))
    state, _ = reducer(state, A.RunFinished(state.generation, "Done."))
    state, effects = reducer(state, A.DataRejected("the file is 80.0 MB"))
    assert state.source.own is None and "80.0 MB" in state.message.text
    assert effects == [A.ShowData(state.generation)]


def test_a_bad_clicked_point_keeps_the_points_already_there():
    state, _ = apply(
        PageState(status="ready"),
        A.DataSourceChosen("click"),
        A.PointAdded(1.0, 2.0, None),
        A.PointAdded(2.0, 1.0, None),
    )
    after, effects = reducer(state, A.PointAdded(float("nan"), 1.0, None))
    assert effects == [] and after.source.error
    assert after.source.own is state.source.own


def test_the_empty_chart_says_why_it_is_empty():
    assert "Press Simulate" in failure.empty_chart_text("simulated", "")
    pasted = failure.empty_chart_text("paste", "bad")
    uploaded = failure.empty_chart_text("upload", "bad")
    assert "table could not be used" in pasted
    assert "file could not be used" in uploaded
    assert "load a table" in failure.empty_chart_text("paste", "")
