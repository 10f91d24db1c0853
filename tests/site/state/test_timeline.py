"""simapp.state.timeline through the reducer: play, step, seek, tick, show the
final fit, pick a start, and how the timeline follows a run."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from simapp.run.pacing import MAX_SPEED, MIN_SPEED, pace
from simapp.state import actions as A
from simapp.state.pagestate import DisplayOptions, PageState
from simapp.state.reducer import reducer
from simapp.state.timeline import TimelineState


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


def finished(positions: int = 9) -> PageState:
    ex = TimelineState(positions=positions, position=positions - 1, has_result=True)
    return ready(timeline=ex, status="done")


def test_play_from_the_final_fit_plays_from_the_start():
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
def test_playing_moves_one_position_per_half_step_frames(speed, positions):
    state, _ = reducer(finished(positions), A.Play())
    state = state.with_changes(display=DisplayOptions(speed=speed))
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


def test_an_unpaused_run_follows_the_record():
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


def test_playing_plays_the_current_start_only():
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
