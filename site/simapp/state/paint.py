"""The painting part of the reducer: brush, eraser, tools and undo.

A stroke (:class:`A.StrokeBegan`, then :class:`A.Dabbed` per step of the
pointer, then :class:`A.StrokeEnded`) paints or erases the points on the data
chart. Painted data are clicked data (``kind="click"``): painting on
simulated data or a dataset first copies their points, so the fit, K and
the exports treat them as any clicked points. The brush's points are drawn
from ``numpy.random.default_rng`` seeded by the settings' seed, the stroke's
number and the dab's, so a stroke is reproducible. Each stroke, click or
clearing is one undo step (:class:`A.PaintUndone`); the last
:data:`HISTORY_LIMIT` are kept. :data:`HANDLERS` maps the actions to their
transitions; :mod:`simapp.state.reducer` dispatches to them.

Examples
--------
>>> import numpy as np
>>> from simapp.state import actions as A
>>> state = PageState(status="ready")
>>> base = (np.zeros((3, 2)), None)
>>> stroke = A.StrokeBegan("brush", 0.0, 0.0, 1.0, None, base)
>>> state, _ = HANDLERS[A.StrokeBegan](state, stroke)
>>> state.source.kind, len(state.source.own.X), len(state.paint.history)
('click', 7, 1)
>>> state, _ = HANDLERS[A.PaintUndone](state, A.PaintUndone())
>>> state.source.kind, state.paint.history
('simulated', ())
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np

from simapp.data.cells import DataError
from simapp.data.points import brush_points, erase_points
from simapp.state import actions as A
from simapp.state.pagestate import (
    PAINT_TOOLS,
    DataSource,
    OwnData,
    PageState,
    Stroke,
    Undo,
)
from simapp.state.transitions import Result, say, show_data
from simapp.text import data_chart as words

__all__ = [
    "DAB_POINTS",
    "HANDLERS",
    "HISTORY_LIMIT",
    "MAX_POINTS",
    "SPREAD_LIMITS",
    "undo_steps",
    "undoable",
]

#: Points one dab of the brush adds.
DAB_POINTS = 4
#: Undo steps kept (each holds a copy of the points before it).
HISTORY_LIMIT = 20
#: The brush's radius on the chart, CSS pixels.
SPREAD_LIMITS = (4, 120)
#: The most points painting makes (as many as clicking allows).
MAX_POINTS = 20_000
#: The title of painted data.
TITLE = "Your clicked points"


def _paint(state: PageState, **changes) -> PageState:
    return replace(state, paint=replace(state.paint, **changes))


def _checked_tool(tool: str) -> str:
    if tool not in PAINT_TOOLS:
        raise ValueError(f"tool={tool!r} is not one of {', '.join(PAINT_TOOLS)}")
    return tool


def _tool(state: PageState, action: A.PaintToolChosen) -> Result:
    tool = _checked_tool(action.tool)
    if tool == state.paint.tool:
        return state, []
    return _paint(state, tool=tool, stroke=None), []


def _spread(state: PageState, action: A.SpreadChanged) -> Result:
    low, high = SPREAD_LIMITS
    spread = min(max(int(action.spread), low), high)
    if spread == state.paint.spread:
        return state, []
    return _paint(state, spread=spread), []


def _label_names(labels) -> tuple[str, ...]:
    if labels is None or not len(labels):
        return ()
    return tuple(f"class {j + 1}" for j in range(int(np.max(labels)) + 1))


def _with_points(state: PageState, X, labels) -> PageState:
    """``state`` with clicked data ``(X, labels)``, its last undo step
    following them."""
    own = OwnData(X, labels, _label_names(labels), TITLE)
    source = replace(state.source, clicked=(X, labels), own=own, error="")
    history = state.paint.history
    if history:
        history = (*history[:-1], replace(history[-1], after=source))
    state = replace(state, source=source)
    return _paint(state, history=history)


def _base(state: PageState, action: A.StrokeBegan):
    """The points the stroke starts from and the class it paints,
    ``(X, labels, label)``: the clicked points, or a copy of those on the
    chart (their classes kept only when the brush paints a class).

    Raises
    ------
    DataError
        Clicked points whose classes the brush's class does not fit, no
        points drawn yet, or a chart of more than two columns.
    """
    source, label = state.source, action.label
    if source.kind == "click":
        X, labels = source.clicked
        X = np.empty((0, 2)) if X is None else X
        if labels is not None and label is None:
            raise DataError(words.classes_needed(True))
        if labels is None and label is not None and len(X):
            raise DataError(words.classes_needed(False))
    else:
        if action.base is None:
            raise DataError(words.NO_DATA_YET)
        X, labels = action.base
        X = np.array(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != 2:
            raise DataError(words.too_many_columns(X.shape[-1] if X.ndim else 1))
        if labels is None:
            label = None  # the chart's points have no classes to paint
        elif label is None:
            labels = None
        else:
            labels = np.array(labels, dtype=np.int64).reshape(-1)
    if labels is None and label is not None:
        labels = np.empty(0, dtype=np.int64)
    return X, labels, label


def _stroke_began(state: PageState, action: A.StrokeBegan) -> Result:
    if _checked_tool(action.tool) == "point":
        raise ValueError("tool='point' adds points by clicking, not by strokes")
    try:
        X, labels, label = _base(state, action)
    except DataError as exc:
        return say(_paint(state, stroke=None), str(exc), "warn"), []
    undo = Undo(state.source, state.settings.data, state.source)
    source = DataSource(kind="click", dataset=state.source.dataset)
    settings = state.settings.with_changes(data="")
    state = replace(state, source=source, settings=settings)
    history = (*state.paint.history, undo)[-HISTORY_LIMIT:]
    stroke = Stroke(action.tool, float(action.radius), label)
    state = _paint(
        state, stroke=stroke, strokes=state.paint.strokes + 1, history=history
    )
    state = _with_points(state, X, labels)
    return _dab(state, action.x, action.y, effects=[A.ReplaceUrl()])


def _dabbed(state: PageState, action: A.Dabbed) -> Result:
    if state.paint.stroke is None or state.source.kind != "click":
        return state, []
    return _dab(state, action.x, action.y)


def _dab(state: PageState, x: float, y: float, effects=()) -> Result:
    """One dab of the stroke under way at ``(x, y)``."""
    stroke = state.paint.stroke
    X, labels = state.source.clicked
    try:
        if stroke.tool == "eraser":
            X, labels = erase_points(X, labels, (x, y), stroke.radius)
        else:
            seed = (state.settings.seed, state.paint.strokes, stroke.dabs)
            rng = np.random.default_rng(seed)
            n = min(DAB_POINTS, MAX_POINTS - len(X))
            if n <= 0:
                raise DataError(
                    f"there are already {MAX_POINTS:,} points; no more can be added"
                )
            new = brush_points((x, y), stroke.radius, n, rng)
            X = np.vstack([X, new])
            if labels is not None:
                labels = np.append(labels, np.full(n, stroke.label, dtype=np.int64))
    except DataError as exc:
        return say(_paint(state, stroke=None), str(exc), "warn"), list(effects)
    state = _paint(state, stroke=replace(stroke, dabs=stroke.dabs + 1))
    if len(X) == len(state.source.clicked[0]) and stroke.dabs:
        return state, list(effects)  # nothing under the eraser
    state = _with_points(state, X, labels)
    state, shown = show_data(state)
    return say(state, words.painted_status(len(X), stroke.tool)), [*shown, *effects]


def _stroke_ended(state: PageState, _action) -> Result:
    if state.paint.stroke is None:
        return state, []
    return _paint(state, stroke=None), []


def undo_steps(state: PageState) -> int:
    """How many edits Undo can take back now (none once the data were
    replaced by other means: another source, a new file)."""
    history = state.paint.history
    return len(history) if history and state.source is history[-1].after else 0


def _undo(state: PageState, _action) -> Result:
    history = state.paint.history
    if not undo_steps(state):
        # the data were replaced since (another source, a new file): the
        # steps belong to data no longer shown
        state = _paint(state, history=(), stroke=None)
        return say(state, words.NOTHING_TO_UNDO), []
    step = history[-1]
    state = replace(
        state,
        source=step.before,
        settings=state.settings.with_changes(data=step.data),
    )
    state = _paint(state, history=history[:-1], stroke=None)
    state, effects = show_data(state)
    return say(state, words.UNDONE), [*effects, A.ReplaceUrl()]


def undoable(handler: Callable[[PageState, object], Result]):
    """``handler`` (a click's or a clearing's) made one undo step."""

    def recorded(state: PageState, action) -> Result:
        new, effects = handler(state, action)
        if new.source is state.source:
            return new, effects
        step = Undo(state.source, state.settings.data, new.source)
        history = (*new.paint.history, step)[-HISTORY_LIMIT:]
        return replace(new, paint=replace(new.paint, history=history)), effects

    return recorded


HANDLERS: dict[type, Callable[[PageState, object], Result]] = {
    A.PaintToolChosen: _tool,
    A.SpreadChanged: _spread,
    A.StrokeBegan: _stroke_began,
    A.Dabbed: _dabbed,
    A.StrokeEnded: _stroke_ended,
    A.PaintUndone: _undo,
}
