"""The reducer: every action's new state and effects, in CPython."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from simapp.lessons.scenarios import scenario, scenario_ids
from simapp.run.pacing import MAX_SPEED, MIN_SPEED, pace
from simapp.run.plan import data_only_model, run_events
from simapp.state import actions as A
from simapp.state import settings as S
from simapp.state.pagestate import DataSource, DisplayOptions, PageState, TimelineState
from simapp.state.reducer import reducer


def ready(**changes) -> PageState:
    return PageState(**{"status": "ready", **changes})


def values(**overrides) -> tuple:
    base = {name: str(v) for name, v in (("k", 3), ("n", 500), ("seed", 7))}
    base.update({k: str(v) for k, v in overrides.items()})
    return tuple(base.items())


def apply(state, *actions):
    effects = []
    for action in actions:
        state, new = reducer(state, action)
        effects.extend(new)
    return state, effects


def test_a_committed_edit_applies_the_settings_and_starts_a_run():
    state, effects = reducer(ready(), A.ControlsEdited(values(k=5)))
    assert state.settings.k == 5 and state.settings.seed == 7
    assert state.running and state.status == "running" and state.generation == 1
    assert effects == [A.StartRun(1), A.ReplaceUrl()]
    assert state.message.text.startswith("Running EM: K = 5")


def test_dragging_a_slider_only_drafts():
    before = ready()
    state, effects = reducer(before, A.ControlsEdited(values(k=6), commit=False))
    assert effects == [] and state.settings == before.settings
    assert state.draft.k == 6 and state.shown.k == 6
    state, _ = reducer(state, A.ControlsEdited(values(k=6)))
    assert state.draft is None and state.settings.k == 6


def test_bad_values_are_clamped_with_notes():
    state, _ = reducer(ready(), A.ControlsEdited(values(k=99, n="abc")))
    assert state.settings.k == S.INT_LIMITS["k"][1]
    assert state.settings.n == S.DEFAULTS["n"]
    assert len(state.notes) == 2 and state.notes_source == "Your settings"


def test_new_seed_runs_with_that_seed():
    state, effects = reducer(ready(), A.NewSeed(4242, values()))
    assert state.settings.seed == 4242 and A.StartRun(1) in effects


def test_a_try_link_overrides_only_what_it_names_and_scrolls():
    start = ready(settings=S.Settings(k=4, n=800, seed=3))
    state, effects = reducer(start, A.TryLink("cov=tied&overlap=60"))
    s = state.settings
    assert (s.k, s.n, s.seed, s.cov, s.overlap) == (4, 800, 3, "tied", 60)
    assert effects[-1] == A.ScrollTo("stage")
    assert state.notes_source == "The link's settings"


def test_simulate_reveals_the_scatter_and_other_edits_do_not_scroll():
    _, pressed = reducer(ready(), A.ControlsEdited(values(), reveal=True))
    assert A.StartRun(1) in pressed
    assert pressed[-1] == A.ScrollTo("cluster-canvas", "nearest")
    _, changed = reducer(ready(), A.ControlsEdited(values()))
    assert not any(isinstance(e, A.ScrollTo) for e in changed)


def test_stale_run_events_are_ignored():
    state, _ = apply(ready(), A.ControlsEdited(values()), A.ControlsEdited(values()))
    assert state.generation == 2
    for stale in (
        A.RunFinished(1, "old"),
        A.RunFailed(1, "old"),
        A.RunPhase(1, "old"),
        A.TimelineGrew(1, 9),
    ):
        assert reducer(state, stale) == (state, [])


def test_a_run_finishes_and_fails():
    running, _ = reducer(ready(), A.ControlsEdited(values()))
    done, effects = reducer(running, A.RunFinished(1, "Done."))
    assert (done.status, done.running, done.message.text) == ("done", False, "Done.")
    assert done.timeline.has_result and effects == [A.ReplaceUrl()]
    failed, _ = reducer(running, A.RunFailed(1, "nope", "warn"))
    assert (failed.status, failed.running, failed.message.kind) == (
        "ready",
        False,
        "warn",
    )


def test_ready_starts_the_linked_run_only_with_run_1():
    state, effects = reducer(PageState(), A.Ready("Ready."))
    assert state.status == "ready" and effects == []
    linked = PageState(settings=S.Settings(run=True))
    state, effects = reducer(linked, A.Ready("Ready."))
    assert state.running and A.StartRun(1) in effects


def test_a_dataset_link_loads_its_data_when_ready():
    start = PageState(source=DataSource(kind="dataset", dataset="iris"))
    state, _ = reducer(start, A.Ready("Ready."))
    own = state.source.own
    assert own.X.shape == (150, 2) and own.dataset == "iris"
    assert state.settings.data == "iris"


# ------------------------------------------------------------------ data source
def test_choosing_a_source_without_data_cancels_and_prompts():
    running, _ = reducer(ready(), A.ControlsEdited(values()))
    state, effects = reducer(running, A.DataSourceChosen("paste"))
    assert state.generation == running.generation + 1 and not state.running
    assert effects == [A.ReplaceUrl()]
    assert state.message.text.startswith("Paste a table")
    with pytest.raises(ValueError, match="no data to fit yet"):
        run_events(state)


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
    settings_, events = run_events(state)
    assert settings_["n"] == 40 and next(events)["kind"] == "data"


def test_a_broken_table_shows_the_problem():
    state, _ = reducer(ready(), A.DataSourceChosen("paste"))
    state, effects = reducer(state, A.TableRead("just one word"))
    assert effects == [A.ShowData(state.generation)] and state.source.error
    assert state.message.kind == "warn"
    assert state.message.text.startswith("Your data could not be used")


def test_choosing_one_column_for_both_axes_is_an_error():
    text = "a,b\n" + "\n".join(f"{i},{i * 2 % 5}" for i in range(20))
    state, _ = apply(ready(), A.DataSourceChosen("upload"), A.TableRead(text, "f.csv"))
    state, effects = reducer(state, A.ColumnsChosen("a", "", ""))
    assert effects == [A.ShowData(state.generation)]
    assert "two numeric columns" in state.source.error
    assert state.source.own is None


def test_clicked_points_accumulate_and_show_without_a_fit():
    state, effects = reducer(ready(), A.DataSourceChosen("click"))
    assert isinstance(effects[0], A.ShowData)
    for x in range(3):
        state, effects = reducer(state, A.PointAdded(float(x), 1.0, x % 2))
        assert effects == [A.ShowData(state.generation)]
    X, labels = state.source.clicked
    assert X.tolist() == [[0.0, 1.0], [1.0, 1.0], [2.0, 1.0]]
    assert state.source.own.label_names == ("class 1", "class 2")
    model = data_only_model(state)
    assert model.data["view_points"].shape == (2, 2)
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


# ------------------------------------------------------------------ step-through
def finished(positions: int = 9) -> PageState:
    ex = TimelineState(positions=positions, position=positions - 1, has_result=True)
    return ready(timeline=ex, status="done")


def test_play_from_the_final_fit_replays_from_the_start():
    state, effects = reducer(finished(), A.Play())
    ex = state.timeline
    assert (ex.mode, ex.position, ex.playing) == ("timeline", 0, True)
    assert effects == [A.TimelinePlay()]
    state, effects = reducer(state, A.Play())
    assert not state.timeline.playing and effects == []


def test_pause_during_a_run_freezes_the_newest_position():
    running, _ = reducer(ready(), A.ControlsEdited(values()))
    running, _ = reducer(running, A.TimelineGrew(1, 5))
    assert running.timeline.position == 4
    state, effects = reducer(running, A.Play())
    ex = state.timeline
    assert (ex.mode, ex.position, ex.playing) == ("timeline", 4, False)
    assert effects == []
    # the run goes on recording; the paused position stays
    state, _ = reducer(state, A.TimelineGrew(1, 7))
    assert state.timeline.position == 4 and state.timeline.positions == 7


def test_steps_from_the_final_fit_start_at_zero_and_clamp():
    state, _ = reducer(finished(), A.Step(1))
    assert (state.timeline.mode, state.timeline.position) == ("timeline", 0)
    state, _ = apply(state, A.Step(-1), A.Step(-1))
    assert state.timeline.position == 0
    state, _ = apply(state, *[A.Step(1)] * 20)
    assert state.timeline.position == 8
    state, _ = reducer(state, A.ShowFinal())
    assert (state.timeline.mode, state.timeline.position) == ("live", 8)


def test_seek_enters_the_timeline_paused():
    state, _ = reducer(finished(), A.Seek(3))
    ex = state.timeline
    assert (ex.mode, ex.position, ex.playing) == ("timeline", 3, False)
    empty = ready()
    assert reducer(empty, A.Seek(3)) == (empty, [])  # nothing recorded yet


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 10), st.integers(2, 30))
def test_replay_moves_one_position_per_frames_per_step(speed, positions):
    state, _ = reducer(finished(positions), A.Play())
    state = state.with_changes(display=state.display.__class__(speed=speed))
    ticks = 0
    while state.timeline.playing:
        state, _ = reducer(state, A.Tick())
        ticks += 1
        assert ticks < 10_000
    assert state.timeline.position == positions - 1
    assert ticks == (positions - 1) * pace(speed).half_step_frames


def test_picking_a_start_and_pressing_it_again():
    state, _ = reducer(finished(), A.PickStart(2, toggle=True))
    assert (state.timeline.mode, state.timeline.selected) == ("start", 2)
    state, _ = reducer(state, A.PickStart(2, toggle=True))
    assert (state.timeline.mode, state.timeline.selected) == ("live", None)
    running, _ = reducer(ready(), A.ControlsEdited(values()))
    assert reducer(running, A.PickStart(1)) == (running, [])  # no result yet


# ------------------------------------------------------------------ the rest
def test_view_changes_write_the_url_but_never_run():
    state, effects = reducer(ready(), A.DisplayChanged("density", True))
    assert state.display.density and effects == [A.ReplaceUrl()]
    assert reducer(state, A.DisplayChanged("density", True)) == (state, [])


def test_a_resize_redraws_unless_a_run_will():
    idle = ready()
    assert reducer(idle, A.Resized()) == (idle, [A.Redraw()])
    running, _ = reducer(ready(), A.ControlsEdited(values()))
    assert reducer(running, A.Resized()) == (running, [])


def test_unknown_view_options_are_refused():
    with pytest.raises(ValueError, match="not a display option"):
        reducer(ready(), A.DisplayChanged("sparkles", True))


def test_comparison_toggle_starts_a_run():
    state, effects = reducer(ready(), A.CompareToggled(True))
    assert state.settings.compare and A.StartRun(1) in effects


def test_exports_and_copies_are_effects():
    state = finished()
    assert reducer(state, A.ExportRequested("json")) == (state, [A.Export("json")])
    assert reducer(state, A.CopyLinkRequested()) == (state, [A.CopyLink()])
    done, _ = reducer(state, A.ShareDone("Downloaded x.json.", "x.json"))
    assert done.share_status == ("Downloaded x.json.", "x.json")


def test_unknown_actions_are_refused():
    with pytest.raises(TypeError, match="not a page action"):
        reducer(ready(), object())


def test_the_simulated_run_plan_matches_the_settings():
    state, _ = reducer(ready(), A.ControlsEdited(values(k=2, n=120)))
    kwargs, events = run_events(state)
    first = next(events)
    assert kwargs["k"] == 2 and first["X"].shape == (120, 2)
    assert np.isfinite(first["X"]).all()


@pytest.mark.parametrize("lesson", scenario_ids())
def test_choosing_a_lesson_applies_its_settings_over_the_defaults_and_runs(lesson):
    start = ready(settings=S.Settings(k=5, n=900, iters=300, seed=3))
    state, effects = reducer(start, A.LessonChosen(lesson))
    expected, _ = S.parse_settings(scenario(lesson).query, default_seed=3)
    assert state.settings == expected.with_changes(run=True)
    assert state.lesson == lesson and state.running
    assert effects == [A.StartRun(1), A.ReplaceUrl(), A.ScrollTo("lesson-panel")]
    wants_data = scenario(lesson).query.get("data", "")
    assert state.source.kind == ("dataset" if wants_data else "simulated")
    if wants_data:
        assert state.source.own is not None and len(state.source.own.X) > 0


def test_closing_a_lesson_keeps_the_settings_and_rewrites_the_url():
    state, _ = reducer(ready(), A.LessonChosen("choose-k"))
    settings = state.settings
    state, effects = reducer(state, A.LessonChosen(""))
    assert state.lesson == "" and state.settings == settings
    assert effects == [A.ReplaceUrl()]


def test_a_lesson_stays_open_while_its_settings_change():
    state, _ = reducer(ready(), A.LessonChosen("wrong-k"))
    state, _ = reducer(state, A.ControlsEdited(values(k=4)))
    assert state.lesson == "wrong-k" and state.settings.k == 4


def test_an_unknown_lesson_is_refused_by_name():
    with pytest.raises(ValueError, match="local-optimum"):
        reducer(ready(), A.LessonChosen("nope"))


def test_a_paused_run_holds_the_initial_parameters_while_em_computes():
    start = ready(display=DisplayOptions(paused=True))
    state, effects = reducer(start, A.ControlsEdited(values()))
    assert A.StartRun(1) in effects
    assert state.timeline.mode == "timeline" and not state.timeline.playing
    state, _ = reducer(state, A.TimelineGrew(1, 9))
    assert (state.timeline.position, state.timeline.positions) == (0, 9)
    state, _ = reducer(state, A.Step(1))  # the first E-step
    assert state.timeline.position == 1
    state, _ = reducer(state, A.Step(1))  # then its M-step
    assert state.timeline.position == 2


def test_an_unpaused_run_follows_the_history():
    state, _ = reducer(ready(), A.ControlsEdited(values()))
    state, _ = reducer(state, A.TimelineGrew(1, 9))
    assert (state.timeline.mode, state.timeline.position) == ("live", 8)


def finished_run(offsets=(0, 5, 12), positions=19, final_position=11) -> PageState:
    """A run of three starts (5, 7 and 7 positions) whose best is start 2."""
    state, _ = reducer(ready(), A.ControlsEdited(values()))
    state, _ = reducer(state, A.TimelineGrew(1, positions, offsets))
    state, _ = reducer(state, A.RunFinished(1, "done", final_position))
    return state


def test_back_from_the_final_fit_stays_in_the_best_start():
    state = finished_run()
    assert state.timeline.position == 11  # the final fit is the best start's end
    state, _ = reducer(state, A.Step(-1))
    assert (state.timeline.mode, state.timeline.position) == ("timeline", 10)
    for _ in range(20):
        state, _ = reducer(state, A.Step(-1))
    assert state.timeline.position == 5  # not into start 1


def test_step_walks_one_start_in_order_and_stops_at_its_end():
    state = finished_run()
    state, _ = reducer(state, A.Step(1))  # from the final fit: the best start's start
    seen = [state.timeline.position]
    for _ in range(10):
        state, _ = reducer(state, A.Step(1))
        seen.append(state.timeline.position)
    assert seen == [5, 6, 7, 8, 9, 10, 11, 11, 11, 11, 11]


def test_the_replay_plays_the_current_start_only():
    state, _ = reducer(finished_run(), A.Seek(5))
    state, _ = reducer(state, A.Play())
    assert state.timeline.playing
    for _ in range(2000):
        state, _ = reducer(state, A.Tick())
    assert (state.timeline.position, state.timeline.playing) == (11, False)


@given(st.lists(st.integers(1, 9), min_size=1, max_size=6), st.data())
@settings(max_examples=100, deadline=None)
def test_a_span_holds_its_position_and_stays_in_one_start(lengths, data):
    offsets = tuple(int(sum(lengths[:i])) for i in range(len(lengths)))
    ex = TimelineState(positions=sum(lengths), offsets=offsets)
    p = data.draw(st.integers(0, sum(lengths) - 1))
    first, last = ex.span(p)
    assert first <= p <= last
    assert first in offsets and (last + 1 in offsets or last == sum(lengths) - 1)


def test_enter_in_a_field_runs_once_and_keeps_the_clamp_note():
    # Enter fires the field's change, then the form's submit
    state, first = reducer(ready(), A.ControlsEdited(values(n_init=99)))
    assert A.StartRun(1) in first and state.settings.n_init == 10
    note = state.notes
    assert note and "n_init" in " ".join(note)
    state, second = reducer(state, A.ControlsEdited(values(n_init=10), reveal=True))
    assert not any(isinstance(e, A.StartRun) for e in second)
    assert state.generation == 1 and state.notes == note
    # once the run is over, Simulate runs again
    state, _ = reducer(state, A.RunFinished(1, "done"))
    _, again = reducer(state, A.ControlsEdited(values(n_init=10), reveal=True))
    assert A.StartRun(2) in again


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


def one_start(positions: int, speed: int) -> PageState:
    """A finished run of one start, shown in the timeline at position 0."""
    tl = TimelineState(mode="timeline", positions=positions, has_result=True)
    return ready(timeline=tl, display=DisplayOptions(speed=speed))


def test_at_full_speed_playing_moves_every_frame_and_stops_at_the_end():
    state = one_start(7, MAX_SPEED)  # positions 0..6
    assert reducer(state, A.Tick()) == (state, [])  # not playing: nothing moves
    state, _ = reducer(state, A.Play())
    seen = []
    for _ in range(20):
        state, _ = reducer(state, A.Tick())
        seen.append(state.timeline.position)
    assert seen == [1, 2, 3, 4, 5, 6] + [6] * 14
    assert not state.timeline.playing
    state, effects = reducer(state, A.Play())  # from the end: from the start
    assert (state.timeline.position, state.timeline.playing) == (0, True)
    assert effects == [A.TimelinePlay()]


def test_at_the_slowest_speed_a_half_step_holds_60_frames_and_steps_pause():
    state = one_start(11, MIN_SPEED)  # positions 0..10
    state, _ = reducer(state, A.Play())
    seen = []
    for _ in range(60):
        state, _ = reducer(state, A.Tick())
        seen.append(state.timeline.position)
    assert seen == [0] * 59 + [1]
    state, _ = reducer(state, A.Play())  # pauses
    assert not state.timeline.playing
    state, _ = reducer(state, A.Step(-1))
    assert state.timeline.position == 0
    state, _ = reducer(state, A.Step(-1))  # clamped at 0
    assert state.timeline.position == 0
    state, _ = reducer(state, A.Seek(99))  # clamped at the end
    assert state.timeline.position == 10
    state, _ = reducer(state, A.Step(-3))
    assert (state.timeline.position, state.timeline.playing) == (7, False)
    state, _ = reducer(state, A.Play())
    assert state.timeline.playing
    state, _ = reducer(state, A.Step(-3))  # a step pauses
    assert (state.timeline.position, state.timeline.playing) == (4, False)


def test_an_empty_timeline_neither_plays_nor_moves():
    for tl in (TimelineState(), TimelineState(mode="timeline")):
        state = ready(timeline=tl)
        for action in (A.Play(), A.Tick(), A.Step(1), A.Seek(3)):
            assert reducer(state, action) == (state, [])
