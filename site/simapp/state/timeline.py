"""The timeline in the page state: where the data chart stands, and how it moves.

:class:`TimelineState` is the part of :class:`~simapp.state.pagestate.PageState`
that says what the data chart shows of the run's record (the live run, a
half-step position, or one start's final solution); the functions below are
its transitions, one per action (play, step, seek, tick, show the final
fit, pick a start) and per run event (the record grew, the run finished).
Each takes and returns a :class:`TimelineState` and returns its argument
itself when the action does nothing; :mod:`simapp.state.reducer` applies them
to the page state and starts the play loop when playing begins. The record
itself (the parameters at every position) is the run's
(:class:`simapp.run.timeline.Timeline`), not the state's.

Examples
--------
>>> tl = grew(TimelineState(), positions=7, offsets=(0,))
>>> tl.mode, tl.position
('live', 6)
>>> tl = play(finished(tl, final_position=6), running=False)
>>> tl.mode, tl.position, tl.playing
('timeline', 0, True)
>>> tl = tick(tl, half_step_frames=2)
>>> tl.position, tl.frames
(0, 1)
>>> tick(tl, half_step_frames=2).position
1
"""

from __future__ import annotations

from dataclasses import dataclass, replace

__all__ = [
    "TimelineState",
    "finished",
    "for_new_run",
    "grew",
    "pick_start",
    "play",
    "seek",
    "show_final",
    "step",
    "tick",
]


@dataclass(frozen=True)
class TimelineState:
    """The timeline: what the data chart shows of the run's record.

    Attributes
    ----------
    mode : str
        ``live`` (what the run computed), ``timeline`` (a position of the
        record) or ``start`` (one start's final solution).
    selected : int or None
        The start shown in mode ``start``.
    position : int
        Current position (half-steps, all starts in order).
    positions : int
        Number of recorded positions.
    playing : bool
        The timeline plays.
    frames : int
        Animation frames since the last move (the playing speed).
    has_result : bool
        The run finished (its final fit and starts can be shown).
    offsets : tuple of int
        First position of each start recorded so far (ascending).
    final_position : int
        The best start's last position (the final fit), -1 before the end.
    """

    mode: str = "live"
    selected: int | None = None
    position: int = 0
    positions: int = 0
    playing: bool = False
    frames: int = 0
    has_result: bool = False
    offsets: tuple[int, ...] = ()
    final_position: int = -1

    def span(self, position: int | None = None) -> tuple[int, int]:
        """First and last position of the start holding ``position``.

        Back, Step, the slider and playing stay inside this span, so they
        move through one start's iterations in order.

        >>> TimelineState(positions=12, offsets=(0, 5)).span(3)
        (0, 4)
        >>> TimelineState(positions=12, offsets=(0, 5)).span(7)
        (5, 11)
        """
        p = self.position if position is None else int(position)
        last = max(self.positions - 1, 0)
        starts = [o for o in self.offsets if o <= p] or [0]
        later = [o for o in self.offsets if o > p]
        return starts[-1], (later[0] - 1 if later else last)


# ------------------------------------------------------------------ run events
def for_new_run(paused: bool) -> TimelineState:
    """The timeline of a run just started: live, or (``paused``) held at the
    initial parameters while EM computes on."""
    return TimelineState(mode="timeline") if paused else TimelineState()


def grew(tl: TimelineState, positions: int, offsets=()) -> TimelineState:
    """The run recorded more positions; a live timeline follows the newest."""
    tl = replace(tl, positions=positions, offsets=tuple(offsets))
    if tl.mode == "live" and tl.positions:
        tl = replace(tl, position=tl.positions - 1)
    return tl


def finished(tl: TimelineState, final_position: int) -> TimelineState:
    """The run finished; a live timeline shows the final fit."""
    tl = replace(tl, has_result=True, final_position=int(final_position))
    if tl.mode == "live" and tl.positions:
        tl = replace(tl, position=_final_position(tl))
    return tl


# ------------------------------------------------------------------ helpers
def _seek(tl: TimelineState, position: int) -> TimelineState:
    last = max(tl.positions - 1, 0)
    return replace(tl, position=min(max(int(position), 0), last), frames=0)


def _enter(tl: TimelineState, position: int | None = None) -> TimelineState:
    """Switch to mode ``timeline``: at ``position``, or where it stands (at
    the final fit when coming from a finished live run)."""
    was_live = tl.mode != "timeline"
    tl = replace(tl, mode="timeline", selected=None)
    if position is not None:
        return _seek(tl, position)
    if was_live and tl.has_result:
        return _seek(tl, _final_position(tl))
    return tl


def _final_position(tl: TimelineState) -> int:
    """Where the final fit is in the record (the best start's end)."""
    if 0 <= tl.final_position < tl.positions:
        return tl.final_position
    return tl.positions - 1


def _start_playing(tl: TimelineState) -> TimelineState:
    first, last = tl.span()
    if tl.position >= last:
        tl = replace(tl, position=first)
    return replace(tl, playing=last > first, frames=0)


def _live(tl: TimelineState) -> TimelineState:
    tl = replace(tl, mode="live", selected=None, playing=False)
    return _seek(tl, _final_position(tl)) if tl.positions else tl


# ------------------------------------------------------------------ actions
def play(tl: TimelineState, running: bool) -> TimelineState:
    """Play / pause. From the live run: enter the timeline and play (paused
    at the newest position while a ``running`` run has no result yet)."""
    if not tl.positions:
        return tl
    if tl.mode != "timeline":
        tl = _enter(tl)
        if running and not tl.has_result:
            return replace(tl, playing=False)
        return _start_playing(tl)
    if tl.playing:
        return replace(tl, playing=False)
    return _start_playing(tl)


def step(tl: TimelineState, delta: int) -> TimelineState:
    """Pause and move ``delta`` half-steps within the current start."""
    if not tl.positions:
        return tl
    if tl.mode != "timeline":
        tl = _enter(tl)
        if tl.has_result and delta > 0:
            # from the final fit, Step plays the best start from its start
            first, _ = tl.span(_final_position(tl))
            return replace(_seek(tl, first), playing=False)
    tl = replace(tl, playing=False)
    first, last = tl.span()
    return _seek(tl, min(max(tl.position + delta, first), last))


def seek(tl: TimelineState, position: int) -> TimelineState:
    """Pause at ``position`` (clamped to the record)."""
    if not tl.positions:
        return tl
    return replace(_enter(tl, position), playing=False)


def show_final(tl: TimelineState) -> TimelineState:
    """Back to the live run's view: the final fit once there is one."""
    return _live(tl)


def tick(tl: TimelineState, half_step_frames: int) -> TimelineState:
    """One animation frame while playing: move on every ``half_step_frames``
    frames, and stop at the end of the current start."""
    if not tl.playing:
        return tl
    frames = tl.frames + 1
    if frames < half_step_frames:
        return replace(tl, frames=frames)
    last = tl.span()[1]
    tl = _seek(tl, min(tl.position + 1, last))
    if tl.position >= last:
        tl = replace(tl, playing=False)
    return tl


def pick_start(tl: TimelineState, start: int, toggle: bool) -> TimelineState:
    """Show one start's final solution; pressing the shown one again
    (``toggle``) goes back to the final fit."""
    if not tl.has_result:
        return tl
    tl = replace(tl, playing=False)
    if toggle and tl.mode == "start" and tl.selected == start:
        return _live(tl)
    return replace(tl, mode="start", selected=int(start))
