"""The lesson "Why EM never goes down" shows what its text promises, in the
bound panel's numbers (simapp.run.bound on the page's record of the run)."""

from __future__ import annotations

import numpy as np
from simapp.lessons.scenarios import scenario
from simapp.run.bound import bound_series, series_records
from simapp.run.timeline import Timeline
from simapp.state.settings import parse_settings

from emcore.experiment import iterate

LESSON = "em-never-goes-down"


def _bound_panel(**override):
    settings, notes = parse_settings(scenario(LESSON).query)
    assert notes == []
    kwargs = {**settings.to_run_kwargs(), **override}
    timeline = result = None
    for event in iterate(**kwargs):
        if event.kind == "data":
            timeline = Timeline(event.settings["k"], "full", event.X.shape[1])
        elif event.kind == "init":
            timeline.begin_start(
                event.start, event.weights, event.means, event.covariances
            )
        elif event.kind == "em":
            timeline.append_frame(event)
        elif event.kind == "done":
            result = event.result
    temperature = kwargs.get("temperature", 1.0)
    steps = bound_series(timeline, result.X, result.best_start, temperature)
    series = series_records(steps)
    ll = np.array([s["loglik"] for s in series])
    return ll, np.array([s["gap"] for s in series])


def test_the_bound_touches_after_every_e_step_and_log_l_never_goes_down():
    ll, gap = _bound_panel()
    scale = np.abs(ll[-1])
    assert np.all(gap[0::2] <= 1e-9 * np.abs(ll[0::2]))  # touches
    assert np.all(gap[1::2][:3] > 1e-4 * scale)  # a gap opens after the M-step
    assert np.all(np.diff(ll) >= -1e-9 * scale)  # never goes down


def test_at_temperature_0_3_the_bound_stays_below_and_log_l_goes_down():
    ll, gap = _bound_panel(temperature=0.3)
    scale = np.abs(ll[-1])
    assert np.all(gap[2::2] > 1e-3 * scale)  # no touch after the E-steps
    assert np.min(np.diff(ll)) < -1e-3  # log L goes down at some step
