"""What a run computes: the simulator's event stream for a run's settings and data.

:func:`run_events` picks the simulator's event stream for the data source
(simulated data, or the own data with the fit settings only) and
:func:`run_model` the model its events are folded into;
:func:`data_only_model` is the model of own data shown before any fit and
:func:`simulated_model` that of the simulated data before the first run. The
page state passes its values in (its settings as ``emcore.experiment.run``
keywords, the data source's kind and own data), so nothing here depends on
the state's records.

Examples
--------
>>> settings, events = run_events({"k": 3, "n": 200, "seed": 1})
>>> settings["k"], next(events).kind
(3, 'data')
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import numpy as np

from emcore import experiment
from emcore.records import DataEvent, Event
from simapp.run.model import RunModel
from simapp.text import messages

__all__ = [
    "CLICK_BOUNDS",
    "data_only_model",
    "run_events",
    "run_model",
    "simulated_model",
]

#: Initial view of the click-to-add canvas (data units); it grows with the
#: points, so a click never moves the points already there.
CLICK_BOUNDS = ((-10.0, -10.0), (10.0, 10.0))


def _fit_settings(settings: Mapping) -> dict:
    return {k: v for k, v in settings.items() if k in experiment.FIT_SETTINGS}


def run_events(
    settings: Mapping, kind: str = "simulated", own=None
) -> tuple[dict, Iterator[Event]]:
    """``(model settings, event iterator)`` of a run.

    Parameters
    ----------
    settings : mapping
        ``emcore.experiment.run`` keywords (the page's settings).
    kind : str
        The data source: ``"simulated"`` simulates the data from
        ``settings``; any other kind fits ``own`` with the fit settings only.
    own : OwnData or None
        The own data (``X``, ``labels``, ``title``:
        :class:`simapp.state.pagestate.OwnData`), for a kind other than
        ``"simulated"``.

    Raises
    ------
    ValueError
        When own data are chosen but none are loaded yet (the message says
        what to do first).
    """
    if kind == "simulated":
        kwargs = dict(settings)
        return kwargs, experiment.iterate(**kwargs)
    if own is None:
        hint = messages.data_hint(kind)
        raise ValueError(f"there are no data to fit yet: {hint}")
    fit = _fit_settings(settings)
    events = experiment.iterate_data(own.X, own.labels, **fit)
    model_settings = {**fit, "n": len(own.X), "own": own.title}
    return model_settings, events


def run_model(model_settings: dict, kind: str = "simulated") -> RunModel:
    """The empty model of a run of :func:`run_events`'s ``model settings``
    on data of ``kind``: the click-to-add canvas keeps
    :data:`CLICK_BOUNDS` in view."""
    view_points = np.asarray(CLICK_BOUNDS, dtype=float) if kind == "click" else None
    return RunModel(model_settings, view_points=view_points)


def simulated_model(settings: Mapping) -> RunModel:
    """The model of the data ``settings`` simulate, without a fit (grey
    points and the true centres): what the page shows before the first run.

    Parameters are those of :func:`run_events` for simulated data; the points
    are those a run of the same settings fits.

    >>> simulated_model({"k": 2, "n": 120, "seed": 3}).data.X.shape
    (120, 2)
    """
    kwargs, events = run_events(settings)
    try:
        model = RunModel(kwargs)
        model.apply(next(events))  # the data, drawn before any start
    finally:
        events.close()
    return model


def data_only_model(settings: Mapping, kind: str, own=None) -> RunModel:
    """The model of the own data without a fit (grey points, no ellipses).

    Parameters are those of :func:`run_events`; ``own`` may be ``None``
    (no points yet: an empty chart).
    """
    X = own.X if own is not None else np.empty((0, 2))
    title = own.title if own is not None else "Your points"
    model = run_model({**_fit_settings(settings), "n": len(X), "own": title}, kind)
    model.apply(
        DataEvent(
            X=X,
            labels_true=own.labels if own is not None else None,
            true_means=None,
            true_covariances=None,
            settings={},
        )
    )
    return model
