"""The page's one state transition: ``reducer(state, action) -> (state, effects)``.

Pure: no DOM, no clock, no randomness (a fresh seed arrives inside the
action). Every handler of the page builds an action and the store applies
this function, then shows the new state and carries out the effects.

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

from simapp.data import columns as C
from simapp.data import datasets
from simapp.data import tables as dataio
from simapp.run import pacing
from simapp.segmentation import state as segstate
from simapp.state import actions as A
from simapp.state import settings as S
from simapp.state.pagestate import (
    DATA_KINDS,
    DataSource,
    DisplayOptions,
    Message,
    OwnData,
    PageState,
    TimelineState,
    scenario_query,
)
from simapp.text import messages

__all__ = ["reducer"]

Result = tuple[PageState, list]


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
    return handler(state, action)


# ------------------------------------------------------------------ helpers
def _message(state: PageState, text: str, kind: str = "info", detail: str = ""):
    return replace(state, message=Message(text, kind, detail))


def _start_run(state: PageState) -> Result:
    generation = state.generation + 1
    # paused: the chart holds the initial parameters while EM computes on
    timeline = (
        TimelineState(mode="timeline") if state.display.paused else TimelineState()
    )
    state = replace(
        state,
        generation=generation,
        running=True,
        status="running",
        draft=None,
        timeline=timeline,
        message=Message(messages.running_message(state.settings)),
    )
    return state, [A.StartRun(generation), A.ReplaceUrl()]


def _show_data(state: PageState, status: str = "ready") -> Result:
    """Cancel any run and draw the own data as they are."""
    generation = state.generation + 1
    state = replace(
        state,
        generation=generation,
        running=False,
        status=status,
        timeline=TimelineState(),
    )
    return state, [A.ShowData(generation)]


def _cancel(state: PageState) -> PageState:
    return replace(
        state, generation=state.generation + 1, running=False, status="ready"
    )


def _with_error(state: PageState, error: str, notes=()) -> PageState:
    source = replace(state.source, error=error, notes=tuple(notes))
    state = replace(state, source=source)
    if not error:
        return state
    if not state.running:
        state = replace(state, status="ready")
    return _message(state, f"Your data could not be used: {error}", "warn")


def _data_failed(state: PageState, error: str, notes=()) -> Result:
    """New data could not be used: nothing of the data they were to replace
    stays on show as if current (the run stops, the charts and results are
    cleared) and the message says why."""
    state = replace(state, source=replace(state.source, own=None))
    state, effects = _show_data(state)
    return _with_error(state, error, notes), effects


def _parse_values(state: PageState, values) -> tuple[S.Settings, list[str]]:
    query = dict(values)
    current = state.settings
    query.update(
        compare="1" if current.compare else "0",
        data=current.data,
        embed="1" if current.embed else "0",
    )
    return S.parse_settings(query, default_seed=current.seed)


def _own(X, labels, names, title: str, dataset: str = "", **columns) -> OwnData:
    return OwnData(X, labels, tuple(names), title, dataset, **columns)


# ------------------------------------------------------------------ settings
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
    state, effects = _start_run(state)
    if action.reveal:
        effects = [*effects, A.ScrollTo("cluster-canvas", "nearest")]
    return state, effects


def _new_seed(state: PageState, action: A.NewSeed) -> Result:
    values = (*action.values, ("seed", str(action.seed)))
    return _controls_edited(state, A.ControlsEdited(values))


def _try_link(state: PageState, action: A.TryLink) -> Result:
    query = S.parse_query_string(S.settings_to_query(state.settings))
    query.update(S.parse_query_string(action.query))
    settings, notes = S.parse_settings(query, default_seed=state.settings.seed)
    state = replace(
        state,
        settings=settings,
        notes=tuple(notes),
        notes_source="The link's settings",
    )
    if settings.data:
        state = _load_dataset(replace(state, source=DataSource()), settings.data)
    elif state.source.kind == "dataset":
        state = replace(state, source=DataSource())
    state, effects = _start_run(state)
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
        state = _load_dataset(replace(state, source=DataSource()), settings.data)
    else:
        state = replace(state, source=DataSource())
    state, effects = _start_run(state)
    return state, [*effects, A.ScrollTo("lesson-panel")]


def _compare_toggled(state: PageState, action: A.CompareToggled) -> Result:
    settings = state.settings.with_changes(compare=bool(action.on))
    return _start_run(replace(state, settings=settings))


def _view_changed(state: PageState, action: A.DisplayChanged) -> Result:
    if action.name not in {f.name for f in fields(DisplayOptions)}:
        raise ValueError(f"{action.name!r} is not a display option")
    view = replace(state.display, **{action.name: action.value})
    if view == state.display:
        return state, []
    state = replace(state, display=view)
    return state, [A.ReplaceUrl()] if state.status != "loading" else []


def _resized(state: PageState, _action) -> Result:
    # a running loop redraws on its next frame anyway
    return state, [] if state.running else [A.Redraw()]


# ------------------------------------------------------------------ data source
def _load_dataset(state: PageState, name: str) -> PageState:
    table = datasets.table(name)
    meta = datasets.info(name)
    picked = [table.columns.index(c) for c in meta.columns or table.columns[:2]]
    title, notes = meta.title, state.notes
    if state.columns.cols:
        try:
            picked = C.resolve(
                state.columns.cols, table.columns[:-1], table.numeric_columns()
            )
        except ValueError as exc:
            kept = tuple(n for n in notes if not n.startswith("cols="))
            notes = (*kept, f"{exc}; fitting {', '.join(meta.columns)}")
        else:
            title = f"{meta.title.split(' (')[0]} ({len(picked)} columns)"
    X, labels, label_names, meta = datasets.load(name, picked)
    names = tuple(table.columns[j] for j in picked)
    own = _own(
        X,
        labels,
        label_names,
        title,
        dataset=name,
        columns=names,
        column_titles=tuple(meta.column_title(c) for c in names),
    )
    source = DataSource(kind="dataset", dataset=name, own=own)
    settings = state.settings.with_changes(data=name)
    return replace(state, source=source, settings=settings, notes=notes)


def _column_choice(state: PageState, action: A.ColumnChoiceEdited) -> Result:
    """New ``cols=`` / ``plot=`` values: refit on other columns, or redraw."""
    notes = []
    choice = state.columns
    for key, parse, text in (
        ("cols", C.parse_cols, action.cols),
        ("plot", C.parse_plot, action.plot),
    ):
        try:
            choice = replace(choice, **{key: parse(text)})
        except ValueError as exc:
            notes.append(str(exc))
    if notes:
        state = _message(state, "; ".join(notes), "warn")
    if choice == state.columns:
        return state, []
    refit = choice.cols != state.columns.cols
    state = replace(state, columns=choice)
    if not refit:
        return state, [A.Redraw(), A.ReplaceUrl()]
    source = state.source
    if source.kind == "dataset" and source.dataset:
        return _start_run(_load_dataset(state, source.dataset))
    if source.kind in ("upload", "paste") and source.table is not None:
        return _select(state, *source.columns)
    return state, [A.ReplaceUrl()]


def _data_source(state: PageState, action: A.DataSourceChosen) -> Result:
    kind = action.kind
    if kind not in DATA_KINDS:
        raise ValueError(f"data source must be one of {DATA_KINDS}; got {kind!r}")
    source = DataSource(kind=kind, dataset=state.source.dataset)
    state = replace(state, source=source, settings=state.settings.with_changes(data=""))
    if kind == "simulated":
        return _start_run(state)
    if kind == "dataset":
        state = _load_dataset(state, state.source.dataset or datasets.names()[0])
        return _start_run(state)
    if kind == "click":
        state, effects = _show_data(state)
        state = _message(state, messages.data_prompt(kind))
        return state, [*effects, A.ReplaceUrl()]
    state = _message(_cancel(state), messages.data_prompt(kind))
    return state, [A.ReplaceUrl()]


def _dataset(state: PageState, action: A.DatasetChosen) -> Result:
    if state.columns.cols != "all":  # named columns belong to the last dataset
        state = replace(state, columns=replace(state.columns, cols="", plot=""))
    return _start_run(_load_dataset(state, action.name))


def _select(state: PageState, x: str, y: str, label: str) -> Result:
    """Pick columns of the parsed table and fit them."""
    source = state.source
    table = source.table
    if table is None:
        return state, []
    source = replace(source, columns=(x, y, label), own=None)
    state = replace(state, source=source)
    try:
        if not x or not y:
            raise dataio.DataError(
                "the table needs two numeric columns for x and y; none or "
                f"only one was found among {', '.join(table.columns[:8])}"
            )
        picked = [table.columns.index(x), table.columns.index(y)]
        if state.columns.cols:
            numeric = [c for c in table.numeric_columns() if c != label]
            picked = C.resolve(state.columns.cols, table.columns, numeric)
        jl = table.columns.index(label) if label else None
        sel = C.select_columns(table, picked, jl, n_components=state.settings.k)
    except ValueError as exc:  # dataio.DataError included
        return _data_failed(state, str(exc), table.notes)
    name = source.file_name or "Your pasted table"
    names = tuple(table.columns[j] for j in picked)
    own = _own(
        sel.X,
        sel.labels,
        sel.label_names,
        f"{name} ({', '.join(names)})",
        columns=names,
    )
    state = replace(state, source=replace(source, own=own))
    state = _with_error(state, "", (*table.notes, *sel.notes))
    return _start_run(state)


def _table_read(state: PageState, action: A.TableRead) -> Result:
    source = replace(state.source, own=None, table=None, file_name=action.file_name)
    state = replace(state, source=source)
    try:
        table = dataio.parse_table(action.text)
    except dataio.DataError as exc:
        return _data_failed(state, str(exc))
    return _table_parsed(state, A.TableParsed(table, action.file_name))


def _table_parsed(state: PageState, action: A.TableParsed) -> Result:
    source = replace(
        state.source, own=None, table=action.table, file_name=action.file_name
    )
    state = replace(state, source=source)
    x, y, label = action.table.suggest()
    return _select(state, x or "", y or "", label or "")


def _data_loading(state: PageState, action: A.DataLoading) -> Result:
    if not action.first:
        return _message(state, action.text), []
    source = replace(
        state.source,
        own=None,
        table=None,
        file_name=action.file_name,
        error="",
        notes=(),
    )
    state, effects = _show_data(replace(state, source=source))
    return _message(state, action.text), effects


def _data_rejected(state: PageState, action: A.DataRejected) -> Result:
    return _data_failed(state, action.reason, state.source.notes)


def _columns(state: PageState, action: A.ColumnsChosen) -> Result:
    return _select(state, action.x, action.y, action.label)


def _point_added(state: PageState, action: A.PointAdded) -> Result:
    if state.source.kind != "click":
        return state, []
    X, labels = state.source.clicked
    try:
        X, labels = dataio.add_point(X, labels, action.x, action.y, action.label)
    except dataio.DataError as exc:
        return _with_error(state, str(exc)), []
    names = (
        ()
        if labels is None
        else tuple(f"class {j + 1}" for j in range(int(labels.max()) + 1))
    )
    own = _own(X, labels, names, "Your clicked points")
    source = replace(state.source, clicked=(X, labels), own=own, error="")
    return _show_data(replace(state, source=source))


def _points_cleared(state: PageState, _action) -> Result:
    source = replace(state.source, clicked=(None, None), own=None, error="")
    return _show_data(replace(state, source=source))


def _fit(state: PageState, _action) -> Result:
    return _start_run(state)


# ------------------------------------------------------------------ runs
def _ready(state: PageState, action: A.Ready) -> Result:
    state = _message(replace(state, status="ready"), action.message)
    if state.source.kind == "dataset" and state.source.own is None:
        state = _load_dataset(state, state.source.dataset)
    if state.settings.run:
        return _start_run(state)
    return state, []


def _current(state: PageState, generation: int) -> bool:
    return generation == state.generation


def _run_phase(state: PageState, action: A.RunPhase) -> Result:
    if not _current(state, action.generation):
        return state, []
    return _message(state, action.text), []


def _timeline_grew(state: PageState, action: A.TimelineGrew) -> Result:
    if not _current(state, action.generation):
        return state, []
    ex = state.timeline
    ex = replace(ex, positions=action.positions, offsets=tuple(action.offsets))
    if ex.mode == "live" and ex.positions:
        ex = replace(ex, position=ex.positions - 1)
    return replace(state, timeline=ex), []


def _run_finished(state: PageState, action: A.RunFinished) -> Result:
    if not _current(state, action.generation):
        return state, []
    ex = replace(
        state.timeline, has_result=True, final_position=int(action.final_position)
    )
    if ex.mode == "live" and ex.positions:
        ex = replace(ex, position=_final_position(ex))
    state = replace(state, running=False, status="done", timeline=ex)
    return _message(state, action.message), [A.ReplaceUrl()]


def _run_failed(state: PageState, action: A.RunFailed) -> Result:
    if not _current(state, action.generation):
        return state, []
    state = replace(state, running=False, status="ready")
    return _message(state, action.text, action.kind, action.detail), []


def _failed(state: PageState, action: A.Failed) -> Result:
    return _message(state, action.text, "error", action.detail), []


def _warned(state: PageState, action: A.Warned) -> Result:
    return _message(state, action.text, "warn"), []


# ------------------------------------------------------------------ step-through
def _seek(ex: TimelineState, position: int) -> TimelineState:
    last = max(ex.positions - 1, 0)
    return replace(ex, position=min(max(int(position), 0), last), frames=0)


def _enter_timeline(ex: TimelineState, position: int | None = None) -> TimelineState:
    was_live = ex.mode != "timeline"
    ex = replace(ex, mode="timeline", selected=None)
    if position is not None:
        return _seek(ex, position)
    if was_live and ex.has_result:
        return _seek(ex, _final_position(ex))
    return ex


def _final_position(ex: TimelineState) -> int:
    """Where the final fit is in the history (the best start's end)."""
    if 0 <= ex.final_position < ex.positions:
        return ex.final_position
    return ex.positions - 1


def _play(ex: TimelineState) -> TimelineState:
    first, last = ex.span()
    if ex.position >= last:
        ex = replace(ex, position=first)
    return replace(ex, playing=last > first, frames=0)


def _with_timeline(state: PageState, ex: TimelineState, *extra) -> Result:
    effects = list(extra)
    if ex.playing and not state.timeline.playing:
        effects.append(A.TimelinePlay())
    return replace(state, timeline=ex), effects


def _on_play(state: PageState, _action) -> Result:
    ex = state.timeline
    if not ex.positions:
        return state, []
    if ex.mode != "timeline":
        ex = _enter_timeline(ex)
        if state.running and not ex.has_result:
            return _with_timeline(state, replace(ex, playing=False))
        ex = _play(ex)
    elif ex.playing:
        ex = replace(ex, playing=False)
    else:
        ex = _play(ex)
    return _with_timeline(state, ex)


def _step(state: PageState, action: A.Step) -> Result:
    ex = state.timeline
    if not ex.positions:
        return state, []
    if ex.mode != "timeline":
        ex = _enter_timeline(ex)
        if ex.has_result and action.delta > 0:
            # from the final fit, Step replays the best start from its start
            first, _ = ex.span(_final_position(ex))
            return _with_timeline(state, replace(_seek(ex, first), playing=False))
    ex = replace(ex, playing=False)
    first, last = ex.span()
    return _with_timeline(
        state, _seek(ex, min(max(ex.position + action.delta, first), last))
    )


def _live(ex: TimelineState) -> TimelineState:
    ex = replace(ex, mode="live", selected=None, playing=False)
    return _seek(ex, _final_position(ex)) if ex.positions else ex


def _final(state: PageState, _action) -> Result:
    return _with_timeline(state, _live(state.timeline))


def _seek_action(state: PageState, action: A.Seek) -> Result:
    ex = state.timeline
    if not ex.positions:
        return state, []
    ex = _enter_timeline(ex, action.position)
    return _with_timeline(state, replace(ex, playing=False))


def _tick(state: PageState, _action) -> Result:
    ex = state.timeline
    if not ex.playing:
        return state, []
    frames = ex.frames + 1
    if frames < pacing.pace(state.display.speed).half_step_frames:
        return replace(state, timeline=replace(ex, frames=frames)), []
    last = ex.span()[1]
    ex = _seek(ex, min(ex.position + 1, last))
    if ex.position >= last:
        ex = replace(ex, playing=False)
    return replace(state, timeline=ex), []


def _pick_start(state: PageState, action: A.PickStart) -> Result:
    ex = state.timeline
    if not ex.has_result:
        return state, []
    ex = replace(ex, playing=False)
    same = ex.mode == "start" and ex.selected == action.start
    if action.toggle and same:
        return _with_timeline(state, _live(ex))
    return _with_timeline(state, replace(ex, mode="start", selected=int(action.start)))


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
    A.DisplayChanged: _view_changed,
    A.Resized: _resized,
    A.DataSourceChosen: _data_source,
    A.DatasetChosen: _dataset,
    A.TableRead: _table_read,
    A.TableParsed: _table_parsed,
    A.DataLoading: _data_loading,
    A.DataRejected: _data_rejected,
    A.ColumnsChosen: _columns,
    A.ColumnChoiceEdited: _column_choice,
    A.PointAdded: _point_added,
    A.PointsCleared: _points_cleared,
    A.FitRequested: _fit,
    A.Ready: _ready,
    A.RunPhase: _run_phase,
    A.TimelineGrew: _timeline_grew,
    A.RunFinished: _run_finished,
    A.RunFailed: _run_failed,
    A.Failed: _failed,
    A.Warned: _warned,
    A.Play: _on_play,
    A.Step: _step,
    A.Seek: _seek_action,
    A.ShowFinal: _final,
    A.Tick: _tick,
    A.PickStart: _pick_start,
    A.ExportRequested: _export,
    A.CopyLinkRequested: _copy,
    A.ShareDone: _share_done,
}
_HANDLERS.update(segstate.HANDLERS)  # the colour-segmentation section
