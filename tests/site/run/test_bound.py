"""simapp.run.bound: the bound panel's series from a run's timeline record."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from simapp.run.bound import (
    PATH_FEW_POINTS,
    PATH_POINTS,
    PATH_WIDE,
    bound_series,
    iteration_path,
    path_points,
    path_record,
    series_records,
)
from simapp.run.timeline import Timeline

import emcore

COV_TYPES = ("full", "tied", "diag", "spherical")


@pytest.mark.parametrize("cov", COV_TYPES)
def test_series_obeys_the_decomposition_and_climbs(cov, record_page_run):
    seed = int(np.random.default_rng(len(cov)).integers(1, 1000))
    timeline, result = record_page_run(k=3, n=400, overlap=30, cov=cov, seed=seed)
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


def test_away_from_temperature_one_the_e_step_leaves_a_gap(record_page_run):
    timeline, result = record_page_run(k=3, n=300, overlap=40, seed=2, temperature=0.3)
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


def _path_checks(path, rel=1e-9):
    """Touch at s = 0, the bound's maximum at s = 1, the bound below log L."""
    s = np.asarray(path["s"])
    ll, bound = np.asarray(path["loglik"]), np.asarray(path["bound"])
    zero, one = int(np.argmin(np.abs(s))), int(np.argmin(np.abs(s - 1)))
    assert s[zero] == 0.0 and s[one] == 1.0
    scale = np.abs(ll)
    assert abs(ll[zero] - bound[zero]) <= rel * scale[zero]
    assert int(np.argmax(bound)) == one
    assert np.all(bound <= ll + rel * scale)


@pytest.mark.parametrize("cov", COV_TYPES)
def test_iteration_path_touches_at_the_start_and_peaks_at_the_m_step(
    cov, record_page_run
):
    seed = int(np.random.default_rng(7 + len(cov)).integers(1, 1000))
    timeline, result = record_page_run(k=3, n=400, overlap=30, cov=cov, seed=seed)
    series = series_records(bound_series(timeline, result.X, result.best_start))
    for t in (1, 2, result.iterations):
        path = iteration_path(timeline, result.X, result.best_start, t)
        record = path_record(t, path)
        assert record["iteration"] == t and len(record["s"]) == PATH_POINTS
        assert record["s"][0] == -0.5 and record["s"][-1] == 1.5
        _path_checks(record)
        # s = 0 is the E half-step of the series, s = 1 its M half-step
        # (k-means++'s initial weights sum to k / n: the path's sum to 1)
        e, m = series[2 * (t - 1)], series[2 * t - 1]
        zero, one = record["s"].index(0.0), record["s"].index(1.0)
        total = timeline.params(result.best_start, t - 1).weights.sum()
        at_zero = e["loglik"] - len(result.X) * np.log(total)
        assert record["loglik"][zero] == pytest.approx(at_zero, rel=1e-9)
        assert record["bound"][one] == pytest.approx(m["bound"], rel=1e-9)
        assert record["loglik"][one] == pytest.approx(m["loglik"], rel=1e-9)


def test_iteration_path_matches_emcore_on_the_fits_own_snapshots():
    """log L and the bound on the path, from emcore's own snapshots and
    :func:`emcore.lower_bound` at :func:`emcore.interpolate_mixture`'s
    points, without the timeline."""
    rng = np.random.default_rng(11)
    X = np.vstack([rng.normal(0, 1, (100, 2)), rng.normal(3, 1.2, (140, 2))])
    gm = emcore.GaussianMixture(2, covariance_type="full", random_state=5, tol=1e-8)
    timeline = Timeline(2, "full")
    snaps = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for start, snap in gm.fit_steps(X, include_initial=True, return_resp=True):
            snaps.append(snap)
            if snap.iteration == 0:
                timeline.begin_start(start, snap.weights, snap.means, snap.covariances)
            else:
                timeline.append_snapshot(start, snap)
    t = 2
    record = path_record(t, iteration_path(timeline, X, 0, t))
    before, after = snaps[t - 1], snaps[t]
    ends = [(p.weights, p.means, p.covariances) for p in (before, after)]
    for s, ll, bound in zip(
        record["s"], record["loglik"], record["bound"], strict=True
    ):
        w, m, c = emcore.interpolate_mixture(*ends, s, "full")
        want = emcore.lower_bound(X, w, m, c, "full", after.resp)
        assert ll == pytest.approx(want.log_likelihood, rel=1e-9)
        assert bound == pytest.approx(want.bound, rel=1e-9)
    _path_checks(record)


def test_iteration_path_takes_fewer_points_for_big_data():
    assert path_points(PATH_WIDE // 3, 3) == PATH_POINTS
    assert path_points(PATH_WIDE // 3 + 1, 3) == PATH_FEW_POINTS
    rng = np.random.default_rng(3)
    X = np.vstack([rng.normal(c, 1.0, (7600, 2)) for c in (0.0, 4.0, 8.0, 12.0)])
    gm = emcore.GaussianMixture(4, max_iter=3, random_state=2)
    timeline = Timeline(4, "full")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for start, snap in gm.fit_steps(X, include_initial=True):
            if snap.iteration == 0:
                timeline.begin_start(start, snap.weights, snap.means, snap.covariances)
            else:
                timeline.append_snapshot(start, snap)
    path = iteration_path(timeline, X, 0, 2)
    assert len(path.s) == PATH_FEW_POINTS
    _path_checks(path_record(2, path))


def test_iteration_path_is_none_without_a_record():
    X = np.zeros((3, 2))
    assert iteration_path(None, X, 0, 1) is None
    timeline = Timeline(2)
    assert iteration_path(timeline, X, 0, 1) is None
    timeline.append(0, [0.5, 0.5], [[0, 0], [1, 1]], np.stack([np.eye(2)] * 2), -1.0)
    # iteration 1 recorded, but not the initial parameters before it
    assert iteration_path(timeline, X, 0, 1) is None
    assert iteration_path(timeline, X, 0, 0) is None
    assert iteration_path(timeline, X, 0, 2) is None
    assert iteration_path(timeline, X, 1, 1) is None


def test_iteration_path_away_from_temperature_one_peaks_but_does_not_touch(
    record_page_run,
):
    timeline, result = record_page_run(k=3, n=300, overlap=40, seed=2, temperature=0.3)
    path = iteration_path(timeline, result.X, result.best_start, 2, 0.3)
    record = path_record(2, path)
    zero, one = record["s"].index(0.0), record["s"].index(1.0)
    assert record["loglik"][zero] - record["bound"][zero] > 1e-3
    assert int(np.argmax(record["bound"])) == one
