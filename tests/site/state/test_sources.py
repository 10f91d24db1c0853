"""simapp.state.sources through the reducer: choosing a source, reading tables,
picking columns, clicked points."""

from __future__ import annotations

from csv import DictReader
from pathlib import Path

import numpy as np
import pytest
from dispatch import apply, values
from simapp.run.plan import data_only_model, run_events
from simapp.state import actions as A
from simapp.state.pagestate import PageState
from simapp.state.reducer import reducer


def ready(**changes) -> PageState:
    return PageState(**{"status": "ready", **changes})


def test_choosing_a_source_without_data_cancels_and_prompts():
    running, _ = reducer(ready(), A.ControlsEdited(values()))
    state, effects = reducer(running, A.DataSourceChosen("paste"))
    assert state.generation == running.generation + 1 and not state.running
    assert effects == [A.ReplaceUrl()]
    assert state.message.text.startswith("Paste a table")
    with pytest.raises(ValueError, match="no data to fit yet"):
        run_events(*state.run_inputs)


def test_showing_new_data_cancels_the_run_in_progress():
    running, _ = reducer(ready(), A.ControlsEdited(values()))
    state, effects = reducer(running, A.DataSourceChosen("click"))
    assert state.generation == running.generation + 1 and not state.running
    assert A.ShowData(state.generation) in effects
    # the cancelled run's events no longer land
    for stale in (A.RunFinished(running.generation, "old"), A.TimelineGrew(1, 9)):
        assert reducer(state, stale) == (state, [])


def test_unknown_source_is_refused():
    with pytest.raises(ValueError, match="data source must be one of"):
        reducer(ready(), A.DataSourceChosen("ftp"))


def test_pasted_table_is_parsed_selected_and_fitted():
    text = "a,b,kind\n" + "\n".join(f"{i},{i % 7},{'xy'[i % 2]}" for i in range(40))
    state, _ = reducer(ready(), A.DataSourceChosen("paste"))
    state, effects = reducer(state, A.TableRead(text))
    assert state.source.columns == ("a", "b", "kind")
    assert state.source.own.X.shape == (40, 2)
    assert state.source.own.title == "Your pasted table (a, b)"
    assert A.StartRun(state.generation) in effects
    settings_, events = run_events(*state.run_inputs)
    assert settings_["n"] == 40 and next(events).kind == "data"


def test_a_broken_table_shows_the_problem():
    state, _ = reducer(ready(), A.DataSourceChosen("paste"))
    state, effects = reducer(state, A.TableRead("just one word"))
    assert effects == [A.ShowData(state.generation)] and state.source.error
    assert state.message.kind == "warn"
    assert state.message.text.startswith("Your data could not be used")


def test_choosing_no_x_column_is_an_error_and_x_alone_is_fitted_alone():
    text = "a,b\n" + "\n".join(f"{i},{i * 2 % 5}" for i in range(20))
    state, _ = apply(ready(), A.DataSourceChosen("upload"), A.TableRead(text, "f.csv"))
    state, effects = reducer(state, A.ColumnsChosen("", "b", ""))
    assert effects == [A.ShowData(state.generation)]
    assert "numeric column for x" in state.source.error
    assert state.source.own is None
    state, effects = reducer(state, A.ColumnsChosen("a", "", ""))
    assert state.source.own.X.shape == (20, 1) and state.source.error == ""
    assert A.StartRun(state.generation) in effects


def test_clicked_points_accumulate_and_show_without_a_fit():
    state, effects = reducer(ready(), A.DataSourceChosen("click"))
    assert isinstance(effects[0], A.ShowData)
    for x in range(3):
        state, effects = reducer(state, A.PointAdded(float(x), 1.0, x % 2))
        assert effects == [A.ShowData(state.generation)]
    X, labels = state.source.clicked
    assert X.tolist() == [[0.0, 1.0], [1.0, 1.0], [2.0, 1.0]]
    assert state.source.own.label_names == ("class 1", "class 2")
    model = data_only_model(*state.run_inputs)
    assert model.view_points.shape == (2, 2)
    state, _ = reducer(state, A.PointsCleared())
    assert state.source.own is None and state.source.clicked == (None, None)


def test_sources_holding_arrays_compare_by_identity():
    # equality of arrays is elementwise; a view comparing two sources must not
    # raise (clicked points of different lengths, or none and some)
    state, _ = reducer(ready(), A.DataSourceChosen("click"))
    one, _ = reducer(state, A.PointAdded(0.0, 0.0, None))
    two, _ = reducer(one, A.PointAdded(1.0, 1.0, None))
    assert state.source != one.source and one.source != two.source
    assert two.source == two.source


def test_clicks_outside_click_mode_are_ignored():
    state = ready()
    assert reducer(state, A.PointAdded(1.0, 2.0, None)) == (state, [])


def test_loading_large_data_drops_the_old_then_fits_the_parsed_table():
    from simapp.data import tables as dataio

    state, _ = reducer(PageState(), A.DataSourceChosen("paste"))
    text = "x,y\n" + "\n".join(f"{i % 7},{i % 5}" for i in range(50))
    state, _ = reducer(state, A.TableRead(text))
    assert state.source.own is not None and state.running
    state, effects = reducer(state, A.DataLoading("Reading… 0 %", first=True))
    assert state.source.own is None and state.source.table is None
    assert not state.running and effects == [A.ShowData(state.generation)]
    assert state.message.text == "Reading… 0 %"
    same, effects = reducer(state, A.DataLoading("Reading… 50 %"))
    assert same.source is state.source and effects == []
    table = dataio.parse_table(text)
    state, effects = reducer(same, A.TableParsed(table, "big.csv"))
    assert state.source.table is table and state.source.file_name == "big.csv"
    assert len(state.source.own.X) == 50
    assert state.running and effects[0] == A.StartRun(state.generation)


# ------------------------------------------------------------------ gallery
def test_a_gallery_data_set_is_drawn_from_the_seed_and_n_and_fitted():
    state, effects = reducer(ready(), A.DatasetChosen("moons"))
    assert effects[0] == A.StartRun(state.generation) and state.running
    own = state.source.own
    assert own.X.shape == (state.settings.n, 2) and own.labels is not None
    assert state.settings.data == "moons" and own.dataset == "moons"
    model_settings, events = run_events(*state.run_inputs)
    assert model_settings["n"] == state.settings.n
    np.testing.assert_array_equal(next(events).labels_true, own.labels)


def test_a_new_n_or_seed_draws_the_gallery_data_again():
    state, _ = reducer(ready(), A.DatasetChosen("ring"))
    first = state.source.own
    state, _ = reducer(state, A.ControlsEdited(values(n=300, seed=7)))
    assert state.source.own.X.shape == (300, 2)
    state, _ = reducer(state, A.ControlsEdited(values(n=300, seed=8)))
    redrawn = state.source.own.X
    assert not np.array_equal(redrawn[:10], first.X[:10])
    # the same settings draw the same points again
    state, _ = reducer(state, A.ControlsEdited(values(n=300, seed=7)))
    again, _ = reducer(ready(), A.ControlsEdited(values(n=300, seed=7)))
    again, _ = reducer(again, A.DatasetChosen("ring"))
    np.testing.assert_array_equal(state.source.own.X, again.source.own.X)


def test_a_bundled_dataset_is_not_redrawn_by_a_new_seed():
    state, _ = reducer(ready(), A.DatasetChosen("iris"))
    own = state.source.own
    state, _ = reducer(state, A.ControlsEdited(values(seed=99)))
    assert state.source.own is own


def test_gallery_data_drop_a_column_choice_left_from_another_dataset():
    state, _ = reducer(ready(), A.DatasetChosen("iris"))
    state, _ = reducer(state, A.ColumnChoiceEdited("all", ""))
    state, _ = reducer(state, A.DatasetChosen("cigars"))
    assert state.columns.cols == "" and state.source.own.X.shape[1] == 2


@pytest.mark.parametrize("column", ["eruptions", "waiting"])
def test_either_column_of_a_dataset_without_classes_is_fitted_alone(column):
    """Old Faithful records no classes, so its last column is data too."""
    state, _ = reducer(ready(), A.DatasetChosen("faithful"))
    state, effects = apply(state, A.ColumnChoiceEdited(column, ""))
    assert state.columns.cols == column and state.notes == ()
    assert state.source.own.columns == (column,)
    csv = Path(__file__).resolve().parents[3] / "site/simapp/data/faithful.csv"
    with csv.open() as f:
        rows = list(DictReader(f))
    np.testing.assert_array_equal(
        state.source.own.X[:, 0], [float(r[column]) for r in rows]
    )
    assert any(isinstance(e, A.StartRun) for e in effects)
