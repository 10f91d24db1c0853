"""Running a lesson's link in CPython as the page runs it (imported as
``lesson_runs``: pytest puts this folder on ``sys.path`` with its
``conftest.py``)."""

from __future__ import annotations

import warnings

from simapp.data import datasets, gallery
from simapp.state.settings import parse_settings

from emcore.experiment import run, run_data


def run_query(query: dict, **override):
    """The ``ExperimentResult`` of a link's settings, ``override`` applied to
    the run's arguments; the link must parse without a note."""
    settings, notes = parse_settings(query)
    assert notes == [], notes  # every value in range: nothing clamped
    kwargs = {**settings.to_run_kwargs(), **override}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence notes are part of lessons
        if not settings.data:
            return run(**kwargs)
        if gallery.is_gallery(settings.data):
            X, labels, _ = gallery.load(settings.data, settings.n, settings.seed)
        else:
            X, labels = datasets.load(settings.data)[:2]
        for key in ("n", "overlap", "k_true"):
            kwargs.pop(key, None)
        return run_data(X, labels, **kwargs)
