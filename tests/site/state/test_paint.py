"""simapp.state.paint: brush strokes add points, the eraser removes them,
undo restores the data; in CPython."""

from __future__ import annotations

import numpy as np
import pytest
from dispatch import apply
from simapp.state import actions as A
from simapp.state import paint
from simapp.state.pagestate import DataSource, OwnData, PageState, PaintState
from simapp.state.reducer import reducer


def ready(**changes) -> PageState:
    return PageState(**{"status": "ready", **changes})


def simulated_base(n=30, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, 2)), rng.integers(0, 3, size=n)


def brush(x=0.0, y=0.0, radius=1.0, label=None, base=None, tool="brush"):
    return A.StrokeBegan(tool, x, y, radius, label, base)


def n_points(state) -> int:
    X = state.source.clicked[0]
    return 0 if X is None else len(X)


def test_a_brush_stroke_on_simulated_data_makes_them_clicked_points():
    X, labels = simulated_base()
    state, effects = apply(ready(), brush(base=(X, None)), A.Dabbed(2.0, 2.0))
    assert state.source.kind == "click" and state.settings.data == ""
    assert n_points(state) == 30 + 2 * paint.DAB_POINTS
    np.testing.assert_array_equal(state.source.own.X[:30], X)  # a copy, kept
    assert state.source.own is not None and state.source.own.labels is None
    assert A.ReplaceUrl() in effects
    assert effects[-1] == A.ShowData(state.generation) and not state.running
    # the second dab's points lie around (2, 2), the first's around (0, 0)
    second = state.source.own.X[30 + paint.DAB_POINTS :]
    assert np.all(np.hypot(*(second - 2.0).T) < 5 * 0.5)


def test_a_stroke_is_reproducible_from_the_seed_and_the_stroke_number():
    X, _ = simulated_base()
    strokes = (brush(base=(X, None)), A.Dabbed(1.0, 0.0), A.StrokeEnded())
    one, _ = apply(ready(), *strokes)
    two, _ = apply(ready(), *strokes)
    np.testing.assert_array_equal(one.source.own.X, two.source.own.X)
    other = ready(settings=ready().settings.with_changes(seed=99))
    three, _ = apply(other, *strokes)
    assert not np.array_equal(one.source.own.X, three.source.own.X)
    # the next stroke at the same place draws other points
    four, _ = apply(one, brush(), A.Dabbed(1.0, 0.0))
    assert not np.array_equal(four.source.own.X[-8:], one.source.own.X[-8:])


def test_the_eraser_removes_points_within_its_radius():
    X = np.array([[0.0, 0.0], [0.5, 0.0], [3.0, 3.0], [-3.0, 3.0]])
    state, _ = apply(ready(), brush(tool="eraser", base=(X, None)))
    assert state.source.own.X.tolist() == [[3.0, 3.0], [-3.0, 3.0]]
    state, _ = apply(state, A.Dabbed(3.0, 3.0), A.StrokeEnded())
    assert state.source.own.X.tolist() == [[-3.0, 3.0]]
    assert len(state.paint.history) == 1  # one stroke, one undo step
    # a dab over no point changes nothing and draws nothing
    state, _ = apply(state, brush(x=9.0, tool="eraser"))
    after, effects = reducer(state, A.Dabbed(9.5, 9.0))
    assert after.source is state.source and effects == []


def test_undo_restores_the_data_before_each_stroke_in_turn():
    X, labels = simulated_base()
    base = ready()
    one, _ = apply(base, brush(base=(X, labels)), A.StrokeEnded())
    two, _ = apply(one, brush(x=3.0), A.Dabbed(4.0, 4.0), A.StrokeEnded())
    assert n_points(two) == 30 + 3 * paint.DAB_POINTS
    back, effects = reducer(two, A.PaintUndone())
    assert back.source is one.source and n_points(back) == n_points(one)
    assert effects == [A.ShowData(back.generation), A.ReplaceUrl()]
    back, _ = reducer(back, A.PaintUndone())
    assert back.source is base.source and back.source.kind == "simulated"
    again, _ = reducer(back, A.PaintUndone())
    assert again.message.text.startswith("Nothing to undo")


def test_undo_brings_back_the_dataset_and_its_setting():
    own = OwnData(np.zeros((5, 2)), None, (), "Old Faithful", dataset="faithful")
    source = DataSource(kind="dataset", dataset="faithful", own=own)
    settings = ready().settings.with_changes(data="faithful")
    state = ready(source=source, settings=settings)
    painted, _ = apply(state, brush(base=(own.X, None)))
    assert painted.settings.data == "" and painted.source.kind == "click"
    back, _ = reducer(painted, A.PaintUndone())
    assert back.source is source and back.settings.data == "faithful"


def test_clicks_and_clearing_are_undo_steps_too():
    state, _ = apply(ready(), A.DataSourceChosen("click"))
    state, _ = apply(state, A.PointAdded(1.0, 1.0, None), A.PointAdded(2.0, 2.0, None))
    cleared, _ = reducer(state, A.PointsCleared())
    assert n_points(cleared) == 0
    back, _ = reducer(cleared, A.PaintUndone())
    assert n_points(back) == 2
    back, _ = reducer(back, A.PaintUndone())
    assert back.source.clicked[0].tolist() == [[1.0, 1.0]]


def test_undo_after_the_data_were_replaced_does_nothing():
    X, _ = simulated_base()
    painted, _ = apply(ready(), brush(base=(X, None)))
    other, _ = reducer(painted, A.DataSourceChosen("paste"))
    after, effects = reducer(other, A.PaintUndone())
    assert after.source is other.source and effects == []
    assert after.paint.history == () and "Nothing to undo" in after.message.text


def test_the_history_keeps_only_the_last_strokes():
    X, _ = simulated_base()
    state, _ = apply(ready(), brush(base=(X, None)), A.StrokeEnded())
    sizes = [n_points(state)]
    for j in range(paint.HISTORY_LIMIT + 5):
        state, _ = apply(state, brush(x=float(j)), A.StrokeEnded())
        sizes.append(n_points(state))
    assert len(state.paint.history) == paint.HISTORY_LIMIT
    for expected in reversed(sizes[-paint.HISTORY_LIMIT - 1 : -1]):
        state, _ = reducer(state, A.PaintUndone())
        assert n_points(state) == expected
    assert reducer(state, A.PaintUndone())[0].message.text.startswith("Nothing")


def test_a_brush_on_a_fit_of_more_than_two_columns_is_refused():
    X4 = np.zeros((10, 4))
    state = ready()
    after, effects = reducer(state, brush(base=(X4, None)))
    assert effects == [] and after.source is state.source
    assert after.message.kind == "warn"
    assert "two columns" in after.message.text and "4 columns" in after.message.text


def test_painted_classes_follow_the_class_chosen():
    X, labels = simulated_base()
    # a class: the simulated classes are kept, the new points get it
    state, _ = apply(ready(), brush(label=1, base=(X, labels)))
    got = state.source.own.labels
    assert got.tolist() == [*labels.tolist(), *[1] * paint.DAB_POINTS]
    assert state.source.own.label_names == ("class 1", "class 2", "class 3")
    # then no class on points with classes: refused, in plain words
    after, effects = reducer(state, brush())
    assert effects == [] and after.source is state.source
    assert "choose the class" in after.message.text
    # no class: the simulated classes are dropped
    plain, _ = apply(ready(), brush(base=(X, labels)))
    assert plain.source.own.labels is None


def test_tools_and_spread_live_in_the_state():
    state, effects = reducer(ready(), A.PaintToolChosen("eraser"))
    assert state.paint.tool == "eraser" and effects == []
    state, _ = reducer(state, A.SpreadChanged(10_000))
    assert state.paint.spread == paint.SPREAD_LIMITS[1]
    with pytest.raises(ValueError, match="tool='spray' is not one of"):
        reducer(state, A.PaintToolChosen("spray"))
    with pytest.raises(ValueError, match="tool="):
        PaintState(tool="pen")


def test_a_dab_without_a_stroke_or_a_stroke_before_the_data_is_ignored():
    state = ready()
    assert reducer(state, A.Dabbed(1.0, 1.0)) == (state, [])
    after, effects = reducer(state, brush(base=None))
    assert effects == [] and after.message.text.startswith("There is nothing")


def test_painting_stops_at_the_points_limit(monkeypatch):
    monkeypatch.setattr(paint, "MAX_POINTS", 34)
    X, _ = simulated_base()
    state, _ = apply(ready(), brush(base=(X, None)))
    assert n_points(state) == 34
    state, _ = reducer(state, A.Dabbed(1.0, 1.0))
    assert n_points(state) == 34 and "no more can be added" in state.message.text
