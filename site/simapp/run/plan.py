"""What a run of a :class:`simapp.state.pagestate.PageState` computes.

:func:`run_events` picks the simulator's event stream for the state's data
source (simulated data, or the own data with the fit settings only);
:func:`data_only_model` is the model of own data shown before any fit.

Examples
--------
>>> from simapp.state.pagestate import PageState
>>> settings, events = run_events(PageState())
>>> settings["k"], next(events)["kind"]
(3, 'data')
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from emcore import experiment
from simapp.run.model import RunModel
from simapp.state.pagestate import PageState
from simapp.text import messages

__all__ = ["CLICK_BOUNDS", "data_only_model", "run_events"]

#: Initial view of the click-to-add canvas (data units); it grows with the
#: points, so a click never moves the points already there.
CLICK_BOUNDS = ((-10.0, -10.0), (10.0, 10.0))


def _fit_settings(state: PageState) -> dict:
    kwargs = state.settings.to_run_kwargs()
    return {k: v for k, v in kwargs.items() if k in experiment.FIT_SETTINGS}


def _with_view_points(events: Iterator[dict]) -> Iterator[dict]:
    corners = np.asarray(CLICK_BOUNDS, dtype=float)
    for event in events:
        if event["kind"] == "data":
            event = {**event, "view_points": corners}
        yield event


def run_events(state: PageState) -> tuple[dict, Iterator[dict]]:
    """``(model settings, event iterator)`` of a run of ``state``.

    Raises
    ------
    ValueError
        When own data are chosen but none are loaded yet (the message says
        what to do first).
    """
    if not state.own_active:
        kwargs = state.settings.to_run_kwargs()
        return kwargs, experiment.iterate(**kwargs)
    own = state.source.own
    if own is None:
        hint = messages.data_hint(state.source.kind)
        raise ValueError(f"there are no data to fit yet: {hint}")
    fit = _fit_settings(state)
    events = experiment.iterate_data(own.X, own.labels, **fit)
    model_settings = {**fit, "n": len(own.X), "own": own.title}
    if state.source.kind == "click":
        events = _with_view_points(events)
    return model_settings, events


def data_only_model(state: PageState) -> RunModel:
    """The model of the own data without a fit (grey points, no ellipses)."""
    own = state.source.own
    X = own.X if own is not None else np.empty((0, 2))
    title = own.title if own is not None else "Your points"
    model = RunModel({**_fit_settings(state), "n": len(X), "own": title})
    event = {
        "kind": "data",
        "X": X,
        "labels_true": own.labels if own is not None else None,
        "true_means": None,
        "true_covariances": None,
        "settings": {},
    }
    if state.source.kind == "click":
        event["view_points"] = np.asarray(CLICK_BOUNDS, dtype=float)
    model.apply(event)
    return model
