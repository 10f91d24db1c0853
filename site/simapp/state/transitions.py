"""The transitions the reducer's handlers share: start, show data, cancel, say.

Every part of :mod:`simapp.state.reducer` (settings, data sources, runs)
ends in one of these: a new run (:func:`start_run`), the own data drawn
without a fit (:func:`show_data`), the current run cancelled
(:func:`cancel`), or a new status line (:func:`say`).

Examples
--------
>>> from simapp.state.pagestate import PageState
>>> state, effects = start_run(PageState(status="ready"))
>>> state.generation, state.status, effects
(1, 'running', [StartRun(generation=1), ReplaceUrl()])
>>> cancel(state).running
False
"""

from __future__ import annotations

from dataclasses import replace

from simapp.data import fitsize
from simapp.state import actions as A
from simapp.state import timeline
from simapp.state.pagestate import Message, PageState
from simapp.text import messages

__all__ = ["Result", "cancel", "say", "show_data", "start_run"]

#: What a handler returns: the new state and the effects to carry out.
Result = tuple[PageState, list]


def say(state: PageState, text: str, kind: str = "info", detail: str = ""):
    """``state`` with the status line ``text`` (kind info, warn or error)."""
    return replace(state, message=Message(text, kind, detail))


def start_run(state: PageState) -> Result:
    """Start a run of the state's settings and data (the URL follows).

    Own data beyond the page's limits (:mod:`simapp.data.fitsize`, which
    the settings' covariance type and comparison count in) are shown
    without a fit, and the message says why and what to do.
    """
    own = state.source.own
    if state.own_active and own is not None:
        rows, columns = own.X.shape
        settings = state.settings
        try:
            fitsize.check_fit_size(
                rows, columns, settings.cov, compare=settings.compare
            )
        except ValueError as exc:
            state, effects = show_data(state)
            return say(state, f"Not fitted: {exc}", "warn"), [*effects, A.ReplaceUrl()]
    generation = state.generation + 1
    state = replace(
        state,
        generation=generation,
        running=True,
        status="running",
        draft=None,
        timeline=timeline.for_new_run(state.display.paused),
        message=Message(messages.running_message(state.settings)),
    )
    return state, [A.StartRun(generation), A.ReplaceUrl()]


def show_data(state: PageState, status: str = "ready") -> Result:
    """Cancel any run and draw the own data as they are."""
    generation = state.generation + 1
    state = replace(
        state,
        generation=generation,
        running=False,
        status=status,
        timeline=timeline.TimelineState(),
    )
    return state, [A.ShowData(generation)]


def cancel(state: PageState) -> PageState:
    """Stop the current run (its next frame sees the new generation)."""
    return replace(
        state, generation=state.generation + 1, running=False, status="ready"
    )
