"""simapp.run.timeline: the timeline's record of a run, by half-steps."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from simapp.run.timeline import Timeline, responsibilities

import emcore
from emcore.densities import compute_precision_cholesky
from emcore.experiment import iterate
from emcore.geometry import to_full_covariances

COV_TYPES = ("full", "tied", "diag", "spherical")


def _initial(X, k, cov, rng):
    """theta_0 as GaussianMixture builds it (k-means++ seeds + one M-step)."""
    resp = emcore.initial_responsibilities(X, k, "k-means++", rng)
    weights, means, covs, _, _ = emcore.m_step(
        X, resp, cov, 1e-6, on_singular="regularize"
    )
    return weights, means, covs


def _record(X, k, cov, seed, n_starts=1, max_iter=50):
    """Run em_steps from recorded initial parameters; keep every snapshot."""
    rng = np.random.default_rng(seed)
    tl = Timeline(k, cov)
    snaps, inits = [], []
    for start in range(n_starts):
        w, m, c = _initial(X, k, cov, rng)
        tl.begin_start(start, w, m, c)
        inits.append((w, m, to_full_covariances(c, cov, k, 2)))
        run = list(
            emcore.em_steps(
                X,
                w,
                m,
                compute_precision_cholesky(c, cov),
                cov,
                tol=1e-6,
                max_iter=max_iter,
                return_resp=True,
                on_singular="regularize",
            )
        )
        for snap in run:
            tl.append_snapshot(start, snap)
        snaps.append(run)
    return tl, snaps, inits


@pytest.mark.parametrize("cov", COV_TYPES)
def test_half_steps_match_em_steps(cov):
    X, _ = emcore.simulate(400, 3, 0.4, random_state=11)
    k = 3
    tl, (snaps,), ((w0, m0, c0),) = _record(X, k, cov, seed=5)
    T = len(snaps)
    assert T >= 3 and tl.n_positions() == 2 * T + 1 == tl.n_positions(0)

    s0 = tl.state_at(0)
    assert s0.phase == "init" and s0.iteration == 0 and s0.resp_params is None
    np.testing.assert_array_equal(s0.ellipse_params.means, m0)
    np.testing.assert_allclose(s0.ellipse_params.covariances, c0, rtol=0, atol=0)
    assert tl.resp_at(X, 0) is None

    previous_means = m0
    for t, snap in enumerate(snaps, start=1):
        e = tl.state_at(2 * t - 1)
        m = tl.state_at(2 * t)
        assert (e.phase, e.iteration, m.phase, m.iteration) == ("e", t, "m", t)
        # E half-step: ellipses have not moved; colours are the E-step's
        np.testing.assert_array_equal(e.ellipse_params.means, previous_means)
        resp = tl.resp_at(X, 2 * t - 1)
        np.testing.assert_allclose(resp, snap.resp, rtol=0, atol=1e-10)
        # M half-step: ellipses at the M-step's parameters; same colours
        np.testing.assert_array_equal(m.ellipse_params.means, snap.means)
        np.testing.assert_array_equal(m.ellipse_params.weights, snap.weights)
        np.testing.assert_allclose(
            m.ellipse_params.covariances,
            to_full_covariances(snap.covariances, cov, k, 2),
            rtol=0,
            atol=0,
        )
        np.testing.assert_allclose(tl.resp_at(X, 2 * t), snap.resp, rtol=0, atol=1e-10)
        # log-likelihood of the shown colours is that E-step's
        assert e.loglik == m.loglik == snap.log_likelihood
        _, ll = responsibilities(X, e.resp_params)
        assert math.isclose(ll, snap.log_likelihood, rel_tol=1e-12, abs_tol=1e-10)
        assert m.converged == snap.converged and not e.converged
        previous_means = snap.means
    assert tl.state_at(2 * T).is_last and not tl.state_at(2 * T - 1).is_last
    np.testing.assert_array_equal(tl.loglik_trace(0), [s.log_likelihood for s in snaps])


def test_multi_start_global_positions():
    X, _ = emcore.simulate(300, 4, 0.6, random_state=2)
    tl, snaps, _ = _record(X, 4, "full", seed=3, n_starts=3, max_iter=30)
    lengths = [2 * len(s) + 1 for s in snaps]
    assert tl.n_starts == 3 and tl.n_positions() == sum(lengths)
    p = 0
    for start, run in enumerate(snaps):
        assert tl.start_offset(start) == p
        assert tl.locate(p) == (start, 0)
        for t, snap in enumerate(run, start=1):
            g = tl.state_at(p + 2 * t - 1)
            local = tl.state_at(2 * t - 1, start=start)
            assert g.start == local.start == start and g.iteration == t
            np.testing.assert_allclose(
                tl.resp_at(X, p + 2 * t - 1), snap.resp, atol=1e-10
            )
        p += lengths[start]
    with pytest.raises(IndexError):
        tl.locate(p)
    with pytest.raises(IndexError):
        tl.state_at(lengths[0], start=0)
    with pytest.raises(ValueError, match="in order"):
        tl.append(1, *_params(4), 0.0)
    with pytest.raises(ValueError, match="in order"):
        tl.append(5, *_params(4), 0.0)


def _params(k):
    return np.full(k, 1 / k), np.zeros((k, 2)), np.tile(np.eye(2), (k, 1, 1))


def test_simulator_frames_without_initial_parameters():
    """The page's frames: first E-step kept as first_resp, later ones recomputed."""
    settings = {"k": 3, "n": 300, "overlap": 30, "cov": "diag", "seed": 4, "n_init": 2}
    tl = Timeline(3)  # frames carry full covariances
    frames = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for event in iterate(**settings):
            if event.kind == "data":
                X = event.X
            elif event.kind == "em":
                tl.append_frame(event)
                frames.append(event)
            elif event.kind == "sweep":
                break
    assert tl.n_starts == 2
    p = 0
    for frame in frames:
        if frame.iteration == 1 and frame.start == 1:
            p = tl.start_offset(1)
        t = frame.iteration
        state = tl.state_at(p + 2 * t - 1)
        if t == 1:
            assert state.resp_params is None and state.ellipse_params is None
            assert state.colours_known
        np.testing.assert_allclose(tl.resp_at(X, p + 2 * t - 1), frame.resp, atol=1e-10)
    assert not tl.state_at(0).colours_known


def test_memory_stays_small_for_long_runs():
    k, n = 6, 5000
    tl = Timeline(k)
    rng = np.random.default_rng(0)
    resp = rng.dirichlet(np.ones(k), size=n)
    w, m, c = _params(k)
    for start in range(10):
        for it in range(500):
            tl.append(
                start, w, m + it, c, -1.0 - it, first_resp=resp if it == 0 else None
            )
    assert tl.n_positions() == 10 * 1001
    params_bytes = tl.nbytes() - 10 * resp.nbytes
    # 361 bytes per iteration at K = 6, capacity at most doubled
    assert params_bytes < 2 * 5000 * 361 + 10_000, params_bytes
    # without first_resp nothing grows with N
    tl2 = Timeline(k)
    for _ in range(500):
        tl2.append(0, w, m, c, 0.0)
    assert tl2.nbytes() < 400_000
    np.testing.assert_array_equal(tl.params(3, 7).means, m + 6)
    with pytest.raises(ValueError, match="read-only"):
        tl.params(3, 7).means[0, 0] = 1.0
    assert tl.state_at(2 * 7 - 1, start=3).loglik == -7.0


def test_resp_cache_is_bounded_and_keyed_by_data_size():
    X, _ = emcore.simulate(200, 2, 0.2, random_state=0)
    tl, (snaps,), _ = _record(X, 2, "full", seed=1)
    for p in range(1, tl.n_positions()):
        tl.resp_at(X, p)
    assert len(tl._cache) <= 4
    r_small = tl.resp_at(X[:50], 3)
    assert r_small.shape == (50, 2)
    np.testing.assert_allclose(r_small, snaps[1].resp[:50], atol=1e-10)


def test_begin_start_after_iterations_is_refused():
    tl = Timeline(2)
    tl.append(0, *_params(2), 0.0)
    with pytest.raises(ValueError, match="already has iterations"):
        tl.begin_start(0, *_params(2))
    tl.clear()
    assert tl.n_positions() == 0 and tl.n_starts == 0
