"""simapp.run.bound: the bound panel's series from a run's timeline record."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from simapp.run.bound import bound_series, series_records
from simapp.run.timeline import Timeline

import emcore
from emcore.experiment import iterate

COV_TYPES = ("full", "tied", "diag", "spherical")


def _page_run(**settings):
    """What the page records of a run: the timeline (as the runner fills
    it from the events) and the result."""
    timeline = result = None
    for event in iterate(**settings):
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
    return timeline, result


@pytest.mark.parametrize("cov", COV_TYPES)
def test_series_obeys_the_decomposition_and_climbs(cov):
    seed = int(np.random.default_rng(len(cov)).integers(1, 1000))
    timeline, result = _page_run(k=3, n=400, overlap=30, cov=cov, seed=seed)
    series = series_records(bound_series(timeline, result.X, result.best_start))
    assert len(series) == 2 * result.iterations
    assert [s["step"] for s in series] == ["E", "M"] * result.iterations
    assert [s["iteration"] for s in series[::2]] == list(
        range(1, result.iterations + 1)
    )
    ll = np.array([s["loglik"] for s in series])
    bound = np.array([s["bound"] for s in series])
    gap = np.array([s["gap"] for s in series])
    scale = np.abs(ll)
    np.testing.assert_allclose(ll, bound + gap, rtol=1e-9)
    # the E-step closes the gap, the M-step reopens it
    assert np.all(gap[0::2] <= 1e-9 * scale[0::2])
    assert np.all(gap >= 0)
    # log L never goes down, nor does the bound
    assert np.all(np.diff(ll) >= -1e-9 * scale[1:])
    assert np.all(np.diff(bound) >= -1e-9 * scale[1:])
    # after the M-step log L rose at least as much as the bound
    rise_ll = ll[1::2] - ll[0::2]
    rise_bound = bound[1::2] - bound[0::2]
    assert np.all(rise_ll >= rise_bound - 1e-9 * scale[1::2])
    # the last M-step's log L is the fitted model's, the result card's
    assert ll[-1] == pytest.approx(result.loglik, rel=1e-12)
    # the E-step's log L is the per-point trace the log L chart draws, times n
    np.testing.assert_allclose(ll[0::2][1:] / len(result.X), result.trace[1:], 1e-9)


def test_series_matches_emcore_on_the_fits_own_snapshots():
    """The timeline route (responsibilities recomputed from the recorded
    parameters) gives emcore's decomposition of the fit's own snapshots."""
    rng = np.random.default_rng(4)
    X = np.vstack([rng.normal(0, 1, (120, 2)), rng.normal(4, 1.5, (150, 2))])
    gm = emcore.GaussianMixture(2, covariance_type="diag", random_state=3, tol=1e-8)
    timeline = Timeline(2, "diag")
    snaps = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for start, snap in gm.fit_steps(X, include_initial=True, return_resp=True):
            snaps.append(snap)
            if snap.iteration == 0:
                timeline.begin_start(start, snap.weights, snap.means, snap.covariances)
            else:
                timeline.append_snapshot(start, snap)
    expected = emcore.half_step_bounds(X, snaps, "diag")
    got = bound_series(timeline, X, 0)
    assert [(h.iteration, h.step) for h in got] == [
        (h.iteration, h.step) for h in expected
    ]
    for name in ("log_likelihood", "bound", "gap"):
        a = np.array([getattr(h, name) for h in got])
        b = np.array([getattr(h, name) for h in expected])
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-7, err_msg=name)


def test_series_is_empty_without_a_record():
    assert bound_series(None, np.zeros((3, 2)), 0) == ()
    timeline = Timeline(2)
    assert bound_series(timeline, np.zeros((3, 2)), 0) == ()
    # iterations recorded but no initial parameters: nothing to start from
    timeline.append(0, [0.5, 0.5], [[0, 0], [1, 1]], np.stack([np.eye(2)] * 2), -1.0)
    assert bound_series(timeline, np.zeros((3, 2)), 0) == ()
    assert bound_series(timeline, np.zeros((3, 2)), 5) == ()
    assert series_records(()) == []


def test_away_from_temperature_one_the_e_step_leaves_a_gap():
    timeline, result = _page_run(k=3, n=300, overlap=40, seed=2, temperature=0.3)
    steps = bound_series(timeline, result.X, result.best_start, 0.3)
    series = series_records(steps)
    ll = np.array([s["loglik"] for s in series])
    gap = np.array([s["gap"] for s in series])
    np.testing.assert_allclose(
        ll, np.array([s["bound"] for s in series]) + gap, rtol=1e-9
    )
    assert np.all(gap[2::2] > 1e-3 * abs(ll[-1]))
    # the last M-step's log L is still the fitted model's
    assert ll[-1] == pytest.approx(result.loglik, rel=1e-12)
    # and the series at temperature 1 of the same record is another one
    em = series_records(bound_series(timeline, result.X, result.best_start))
    assert [s["gap"] for s in em][0::2] != list(gap[0::2])
