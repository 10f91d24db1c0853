"""The page's one state transition: ``reducer(state, action) -> (state, effects)``.

Pure: no DOM, no clock, no randomness (a fresh seed arrives inside the
action). Every handler of the page builds an action and the store applies
this function, then shows the new state and carries out the effects.

The handlers of the settings, the runs, the timeline and sharing are here;
those of the data source are :mod:`simapp.state.sources`', those of the
painting tools :mod:`simapp.state.paint`'s and those of the colour
segmentation :mod:`simapp.segmentation.state`'s. The timeline's
transitions are :mod:`simapp.state.timeline`'s; the ones every handler
shares (start a run, show the data, cancel, set the message) are
:mod:`simapp.state.transitions`'.

Examples
--------
>>> from simapp.state import actions as A
>>> from simapp.state.pagestate import PageState
>>> state, effects = reducer(PageState(), A.ControlsEdited((("k", "5"),)))
>>> state.settings.k, state.running, effects
(5, True, [StartRun(generation=1), ReplaceUrl()])
>>> state, effects = reducer(state, A.RunFinished(1, "Done."))
>>> state.status, state.running, state.timeline.has_result
('done', False, True)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, replace

from simapp.run import pacing
from simapp.segmentation import state as segstate
from simapp.state import actions as A
from simapp.state import paint, sources, timeline
from simapp.state import settings as S
from simapp.state.pagestate import DataSource, DisplayOptions, PageState
from simapp.state.startcov import covs0_count, covs0_label, parse_covs0
from simapp.state.transitions import Result, say, show_data, start_run
from simapp.state.url import DISPLAY_LIMITS, scenario_query
from simapp.state.values import means0_label, round_start

__all__ = ["reducer"]


def reducer(state: PageState, action: object) -> Result:
    """Apply ``action`` to ``state``.

    Parameters
    ----------
    state : PageState
    action : one of the :mod:`simapp.state.actions` actions

    Returns
    -------
    state : PageState
        The new state (``state`` itself when nothing changed).
    effects : list
        :mod:`simapp.state.actions` effects to carry out, in order.

    Raises
    ------
    TypeError
        For an object that is not an action.
    """
    handler = _HANDLERS.get(type(action))
    if handler is None:
        raise TypeError(f"not a page action: {action!r}")
    new, effects = handler(state, action)
    return _start_of_these_data(state, new), effects


def _start_of_these_data(old: PageState, new: PageState) -> PageState:
    """``new`` without a moved start that was placed on other data (another
    source, dataset, table or columns: other units): their runs start as
    ``init`` says."""
    if not (new.settings.means0 or new.settings.covs0):
        return new
    a, b = old.source, new.source
    same = (a.kind, a.dataset) == (b.kind, b.dataset)
    # data loading for the first time (a link's dataset) are the same data
    if same and (a.own is None or (a.own is b.own and old.columns == new.columns)):
        return new
    return replace(new, settings=new.settings.with_changes(means0=(), covs0=()))


# ------------------------------------------------------------------ settings
def _parse_values(state: PageState, values) -> tuple[S.Settings, list[str]]:
    query = dict(values)
    current = state.settings
    if not str(query.get("k_true", "")).strip():
        # the data's cluster count is a setting of its own: values that do
        # not name it keep it, whatever K becomes
        query["k_true"] = str(current.k_true)
    query.update(
        compare="1" if current.compare else "0",
        data=current.data,
        embed="1" if current.embed else "0",
        # a dragged start stays while K does (the parser notes it otherwise)
        means0=means0_label(current.means0),
        covs0=covs0_label(current.covs0),
    )
    return S.parse_settings(query, default_seed=current.seed)


def _controls_edited(state: PageState, action: A.ControlsEdited) -> Result:
    settings, notes = _parse_values(state, action.values)
    if not action.commit:
        return replace(state, draft=settings), []
    if action.reveal and state.running and settings == state.settings:
        # Enter in a field commits it (change) and submits the form: one run,
        # and the note on a clamped value stays
        return state, [A.ScrollTo("cluster-canvas", "nearest")]
    state = replace(
        state, settings=settings, notes=tuple(notes), notes_source="Your settings"
    )
    state, effects = start_run(sources.redraw_gallery(state))
    if action.reveal:
        effects = [*effects, A.ScrollTo("cluster-canvas", "nearest")]
    return state, effects


def _new_seed(state: PageState, action: A.NewSeed) -> Result:
    values = (*action.values, ("seed", str(action.seed)))
    return _controls_edited(state, A.ControlsEdited(values))


def _try_link(state: PageState, action: A.TryLink) -> Result:
    query = S.parse_query_string(S.settings_to_query(state.settings))
    # a link that changes K but not the data's clusters keeps them
    query["k_true"] = [str(state.settings.k_true)]
    query.update(S.parse_query_string(action.query))
    settings, notes = S.parse_settings(query, default_seed=state.settings.seed)
    state = replace(
        state,
        settings=settings,
        notes=tuple(notes),
        notes_source="The link's settings",
    )
    if settings.data:
        state = sources.load_dataset(replace(state, source=DataSource()), settings.data)
    elif state.source.kind == "dataset":
        state = replace(state, source=DataSource())
    state, effects = start_run(state)
    return state, [*effects, A.ScrollTo("stage")]


def _lesson(state: PageState, action: A.LessonChosen) -> Result:
    """Open a lesson: its settings over the defaults (parsed like a link), run."""
    if not action.scenario:
        state = replace(state, lesson="")
        return state, [A.ReplaceUrl()] if state.status != "loading" else []
    query = scenario_query(action.scenario)  # ValueError names the lessons
    settings, notes = S.parse_settings(query, default_seed=state.settings.seed)
    settings = settings.with_changes(embed=state.settings.embed)
    state = replace(
        state,
        settings=settings,
        lesson=action.scenario,
        notes=tuple(notes),
        notes_source="The lesson's settings",
    )
    if settings.data:
        state = sources.load_dataset(replace(state, source=DataSource()), settings.data)
    else:
        state = replace(state, source=DataSource())
    state, effects = start_run(state)
    # "nearest": a lesson picked on the stage is in view already; one opened
    # from the theory comes into view
    return state, [*effects, A.ScrollTo("lesson-panel", "nearest")]


def _compare_toggled(state: PageState, action: A.CompareToggled) -> Result:
    settings = state.settings.with_changes(compare=bool(action.on))
    return start_run(replace(state, settings=settings))


def _display_changed(state: PageState, action: A.DisplayChanged) -> Result:
    if action.name not in {f.name for f in fields(DisplayOptions)}:
        raise ValueError(f"{action.name!r} is not a display option")
    value = action.value
    if action.name in DISPLAY_LIMITS:  # a typed number may be out of range
        low, high = DISPLAY_LIMITS[action.name]
        value = min(max(value, low), high)
    display = replace(state.display, **{action.name: value})
    if display == state.display:
        return state, []
    old = state.display
    restyled = (display.scale, display.dark) != (old.scale, old.dark)
    state = replace(state, display=display)
    if state.status == "loading":
        return state, []
    # every chart's sizes or colours follow these: redraw them all
    return state, [A.ReplaceUrl(), A.Redraw()] if restyled else [A.ReplaceUrl()]


def _resized(state: PageState, _action) -> Result:
    # a running loop redraws on its next frame anyway
    return state, [] if state.running else [A.Redraw()]


# ------------------------------------------------------------------ runs
def _ready(state: PageState, action: A.Ready) -> Result:
    state = say(replace(state, status="ready"), action.message)
    if state.source.kind == "dataset" and state.source.own is None:
        state = sources.load_dataset(state, state.source.dataset)
    if state.settings.run:
        return start_run(state)
    # the data of the settings, before the first run; a link with notes had
    # values left out or changed: the address bar shows what the page uses
    state, effects = show_data(state)
    if state.notes:
        effects = [*effects, A.ReplaceUrl()]
    return state, effects


def _current(state: PageState, generation: int) -> bool:
    return generation == state.generation


def _run_phase(state: PageState, action: A.RunPhase) -> Result:
    if not _current(state, action.generation):
        return state, []
    return say(state, action.text), []


def _timeline_grew(state: PageState, action: A.TimelineGrew) -> Result:
    if not _current(state, action.generation):
        return state, []
    grown = timeline.grew(state.timeline, action.positions, action.offsets)
    return replace(state, timeline=grown), []


def _run_finished(state: PageState, action: A.RunFinished) -> Result:
    if not _current(state, action.generation):
        return state, []
    done = timeline.finished(state.timeline, action.final_position)
    state = replace(state, running=False, status="done", timeline=done)
    return say(state, action.message), [A.ReplaceUrl()]


def _run_failed(state: PageState, action: A.RunFailed) -> Result:
    if not _current(state, action.generation):
        return state, []
    state = replace(state, running=False, status="ready")
    return say(state, action.text, action.kind, action.detail), []


def _failed(state: PageState, action: A.Failed) -> Result:
    return say(state, action.text, "error", action.detail), []


def _warned(state: PageState, action: A.Warned) -> Result:
    return say(state, action.text, "warn"), []


# ------------------------------------------------------------------ timeline
def _timeline(state: PageState, tl: timeline.TimelineState) -> Result:
    """``state`` showing ``tl``; the play loop starts when playing begins."""
    if tl is state.timeline:
        return state, []
    effects = [A.TimelinePlay()] if tl.playing and not state.timeline.playing else []
    return replace(state, timeline=tl), effects


def _play(state: PageState, _action) -> Result:
    return _timeline(state, timeline.play(state.timeline, state.running))


def _step(state: PageState, action: A.Step) -> Result:
    return _timeline(state, timeline.step(state.timeline, action.delta))


def _seek(state: PageState, action: A.Seek) -> Result:
    return _timeline(state, timeline.seek(state.timeline, action.position))


def _show_final(state: PageState, _action) -> Result:
    return _timeline(state, timeline.show_final(state.timeline))


def _tick(state: PageState, _action) -> Result:
    frames = pacing.pace(state.display.speed).half_step_frames
    return _timeline(state, timeline.tick(state.timeline, frames))


def _start_moved(state: PageState, action: A.StartMoved) -> Result:
    """EM again from the moved start (rounded as its link writes it)."""
    k, given = state.settings.k, tuple(action.means0)
    if given and len(given) != k:
        raise ValueError(
            f"means0 must have {k} (x, y) pairs, one per component (k={k}); "
            f"got {len(given)}"
        )
    means0 = tuple((round_start(x), round_start(y)) for x, y in given)
    # the usual start again: its means and its covariances
    covs0 = state.settings.covs0 if given else ()
    changes = {"means0": means0, "covs0": covs0}
    state = replace(state, settings=state.settings.with_changes(**changes))
    if state.status == "loading":
        return state, []
    return start_run(state)


def _start_shaped(state: PageState, action: A.StartShaped) -> Result:
    """EM again from the reshaped start (rounded as its link writes it)."""
    settings, given = state.settings, tuple(action.covs0)
    count = covs0_count(settings.k, settings.cov)
    if len(given) != count:
        raise ValueError(
            f"covs0 must have {count} (a, b, c) triples (k={settings.k}, "
            f"cov={settings.cov}); got {len(given)}"
        )
    notes: list[str] = []
    covs0 = parse_covs0(covs0_label(given), settings.k, settings.cov, notes)
    if notes:  # not a start's covariances: the note says why
        raise ValueError(notes[0])
    state = replace(state, settings=settings.with_changes(covs0=covs0))
    return _start_moved(state, A.StartMoved(tuple(action.means0)))


def _pick_start(state: PageState, action: A.PickStart) -> Result:
    picked = timeline.pick_start(state.timeline, action.start, action.toggle)
    return _timeline(state, picked)


# ------------------------------------------------------------------ share
def _export(state: PageState, action: A.ExportRequested) -> Result:
    return state, [A.Export(action.what)]


def _copy(state: PageState, _action) -> Result:
    return state, [A.CopyLink()]


def _share_done(state: PageState, action: A.ShareDone) -> Result:
    return replace(state, share_status=(action.text, action.file)), []


_HANDLERS: dict[type, Callable[[PageState, object], Result]] = {
    A.ControlsEdited: _controls_edited,
    A.NewSeed: _new_seed,
    A.TryLink: _try_link,
    A.LessonChosen: _lesson,
    A.CompareToggled: _compare_toggled,
    A.DisplayChanged: _display_changed,
    A.Resized: _resized,
    A.Ready: _ready,
    A.RunPhase: _run_phase,
    A.TimelineGrew: _timeline_grew,
    A.RunFinished: _run_finished,
    A.RunFailed: _run_failed,
    A.Failed: _failed,
    A.Warned: _warned,
    A.Play: _play,
    A.Step: _step,
    A.Seek: _seek,
    A.ShowFinal: _show_final,
    A.Tick: _tick,
    A.StartMoved: _start_moved,
    A.StartShaped: _start_shaped,
    A.PickStart: _pick_start,
    A.ExportRequested: _export,
    A.CopyLinkRequested: _copy,
    A.ShareDone: _share_done,
}
_HANDLERS.update(sources.HANDLERS)  # where the points come from
_HANDLERS.update(paint.HANDLERS)  # the brush, the eraser and undo
for _edit in (A.PointAdded, A.PointsCleared):  # a click is an undo step too
    _HANDLERS[_edit] = paint.undoable(_HANDLERS[_edit])
_HANDLERS.update(segstate.HANDLERS)  # the colour-segmentation section
