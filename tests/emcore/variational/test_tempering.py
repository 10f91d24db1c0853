"""The E-step at a temperature, and deterministic annealing.

``T = 1`` must be EM's own code (the same bits); ``T = 0`` hard assignments,
which with equal, shared, fixed spherical variances and equal weights is
Lloyd's k-means from the same start; ``T > 1`` merges components; annealing
runs one EM stage per temperature of its schedule.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import emcore
from emcore import GaussianMixture, annealing_temperatures, e_step, em_steps, m_step
from emcore.kernels.moments import MomentWorkspace
from emcore.kernels.rowblocks import run_steps
from emcore.variational.tempering import MAX_STAGES, tempered_iteration_steps

COV_TYPES = ("full", "tied", "diag", "spherical")
ATTRIBUTES = ("weights_", "means_", "covariances_", "precisions_cholesky_")


@pytest.fixture
def blobs():
    X, _ = emcore.simulate(400, 4, 0.25, random_state=3)
    return X


def _fit(X, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", emcore.ConvergenceWarning)
        return GaussianMixture(**{"random_state": 0, **kw}).fit(X)


@pytest.mark.parametrize("cov", COV_TYPES)
def test_temperature_one_is_em_itself_to_the_bit(blobs, cov):
    plain = _fit(blobs, n_components=4, covariance_type=cov)
    for temperature in (1.0, 1, np.float64(1.0)):
        same = _fit(blobs, n_components=4, covariance_type=cov, temperature=temperature)
        for name in ATTRIBUTES:
            np.testing.assert_array_equal(getattr(same, name), getattr(plain, name))
        assert same.lower_bounds_ == plain.lower_bounds_


@pytest.mark.parametrize("cov", COV_TYPES)
def test_the_tempered_code_at_one_agrees_with_em(blobs, cov):
    # the general code path, asked for T = 1, is EM up to rounding
    gm = _fit(blobs, n_components=4, covariance_type=cov, max_iter=0)
    work = MomentWorkspace(blobs, cov)
    params = (gm.weights_, gm.means_, gm.precisions_cholesky_)
    mean_ll, resp, (nk, means, covs) = run_steps(
        tempered_iteration_steps(work, *params, 1e-6, 1.0, (slice(None),))
    )
    ll_em, log_resp = e_step(blobs, *params, cov)
    np.testing.assert_allclose(resp, np.exp(log_resp), rtol=1e-12, atol=1e-300)
    assert mean_ll == pytest.approx(ll_em, rel=1e-13)
    w_em, m_em, c_em, _, _ = m_step(blobs, np.exp(log_resp), cov, 1e-6)
    np.testing.assert_allclose(means, m_em, rtol=1e-10)
    np.testing.assert_allclose(covs, c_em, rtol=1e-10)


def test_hard_em_with_equal_fixed_variances_and_weights_is_lloyds_kmeans():
    cluster = pytest.importorskip("sklearn.cluster", reason="scikit-learn missing")
    X, _ = emcore.simulate(500, 5, 0.4, random_state=7)
    K = 5
    start = X[np.random.default_rng(1).choice(len(X), K, replace=False)]
    weights = np.full(K, 1.0 / K)
    shared = np.full(K, 1.0)  # one spherical precision factor for all
    means = start
    for _ in range(300):
        _, log_resp = e_step(X, weights, means, shared, "spherical", temperature=0)
        resp = np.exp(log_resp)
        assert set(np.unique(resp)) <= {0.0, 1.0}
        assert np.all(resp.sum(axis=1) == 1.0)
        _, new_means, _, _, _ = m_step(X, resp, "spherical", 1e-6)
        if np.array_equal(new_means, means):
            break
        means = new_means
    labels = np.argmax(resp, axis=1)
    km = cluster.KMeans(K, init=start, n_init=1, algorithm="lloyd", tol=0.0).fit(X)
    np.testing.assert_array_equal(labels, km.labels_)
    np.testing.assert_allclose(means, km.cluster_centers_, rtol=1e-9)


@settings(max_examples=30, derandomize=True, deadline=None)
@given(seed=st.integers(0, 10_000), cov=st.sampled_from(COV_TYPES))
def test_zero_temperature_assigns_each_sample_to_its_most_probable_component(seed, cov):
    X, _ = emcore.simulate(120, 3, 0.5, random_state=seed)
    gm = _fit(X, n_components=3, covariance_type=cov, random_state=seed, max_iter=3)
    params = (gm.weights_, gm.means_, gm.precisions_cholesky_)
    _, soft = e_step(X, *params, cov)
    ll_hard, hard = e_step(X, *params, cov, temperature=0)
    rows = np.arange(len(X))
    assert np.all(hard[rows, np.argmax(soft, axis=1)] == 0.0)
    assert np.all(np.isneginf(hard).sum(axis=1) == 2)
    ll_soft, _ = e_step(X, *params, cov)
    assert ll_hard == pytest.approx(ll_soft, rel=1e-12)  # T = 1's log-likelihood
    # a tiny temperature is the same as 0 wherever no two components tie
    _, tiny = e_step(X, *params, cov, temperature=1e-9)
    gaps = np.sort(soft, axis=1)
    clear = gaps[:, -1] - gaps[:, -2] > 1e-6
    np.testing.assert_allclose(np.exp(tiny[clear]), np.exp(hard[clear]), atol=1e-12)


@pytest.mark.parametrize("cov", COV_TYPES)
def test_hard_em_converges_with_one_hot_responsibilities(blobs, cov):
    gm = GaussianMixture(4, covariance_type=cov, temperature=0.0, random_state=0)
    snaps = [s for _, s in gm.fit_steps(blobs, return_resp=True)]
    assert gm.converged_ and all(s.temperature == 0.0 for s in snaps)
    for s in snaps:
        assert set(np.unique(s.resp)) <= {0.0, 1.0}


@pytest.mark.parametrize("overlap, temperature", [(0.2, 3.0), (0.0, 10.0)])
def test_a_high_temperature_merges_the_components(overlap, temperature):
    # the further apart the clusters, the hotter it must be to merge them
    X, _ = emcore.simulate(400, 2, overlap, random_state=0)
    spread = np.ptp(X, axis=0).max()
    kw = dict(n_components=2, max_iter=2000, tol=1e-9)
    cold = _fit(X, **kw)
    hot = _fit(X, temperature=temperature, **kw)
    assert np.ptp(cold.means_, axis=0).max() > 0.1 * spread
    assert np.ptp(hot.means_, axis=0).max() < 1e-4 * spread


@pytest.mark.parametrize("cov", COV_TYPES)
def test_a_blocked_tempered_fit_equals_the_whole_one(monkeypatch, cov):
    X, _ = emcore.simulate(900, 3, 0.3, random_state=2)
    kw = dict(n_components=3, covariance_type=cov, random_state=1, tol=0.0)
    whole = _fit(X, max_iter=8, temperature=0.7, **kw)
    monkeypatch.setattr(emcore.mixture, "ROW_BLOCK", 250)
    gm = GaussianMixture(max_iter=8, temperature=0.7, **kw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", emcore.ConvergenceWarning)
        events = list(gm.fit_steps(X, progress=True))
    assert sum(snap is None for _, snap in events) > 8 * 3  # paused by blocks
    for name in ATTRIBUTES:
        np.testing.assert_allclose(
            getattr(gm, name), getattr(whole, name), rtol=1e-10, atol=1e-12
        )


# --- annealing -------------------------------------------------------------------


def test_schedules_cool_from_t0_to_the_final_temperature():
    assert annealing_temperatures(None) == (1.0,)
    assert annealing_temperatures(None, 0.0) == (0.0,)
    assert annealing_temperatures((4, 0.5)) == (4.0, 2.0, 1.0)
    stages = annealing_temperatures((3.0, 0.9), temperature=0.5)
    assert stages[0] == 3.0 and stages[-1] == 0.5
    assert np.all(np.diff(stages) < 0)
    assert all(t > 0.5 for t in stages[:-1])
    np.testing.assert_allclose(np.diff(np.log(stages[:-1])), np.log(0.9))


@pytest.mark.parametrize(
    "annealing, temperature, match",
    [
        ("hot", 1.0, "annealing must be None or a pair"),
        ((2.0,), 1.0, "annealing must be None or a pair"),
        ((2.0, True), 1.0, "annealing must be None or a pair"),
        ((0.5, 0.9), 1.0, r"annealing\[0\] \(T0\) must be > 1.0"),
        ((2.0, 1.0), 1.0, r"annealing\[1\] \(factor\) must be below 1"),
        ((2.0, 0.0), 1.0, r"annealing\[1\] \(factor\) must be in \(0.0, 1.0\]"),
        ((2.0, 0.5), 0.0, "annealing needs a final temperature > 0"),
        ((1e300, 0.99), 1.0, f"more than {MAX_STAGES} stages"),
        (None, -1.0, "temperature must be >= 0.0"),
    ],
)
def test_bad_schedules_are_refused_by_name(annealing, temperature, match):
    with pytest.raises(ValueError, match=match):
        annealing_temperatures(annealing, temperature)


def test_the_estimator_checks_temperature_and_annealing(blobs):
    with pytest.raises(ValueError, match="temperature must be"):
        GaussianMixture(2, temperature=-0.5).fit(blobs)
    with pytest.raises(ValueError, match="temperature must be a real number"):
        GaussianMixture(2, temperature="warm").fit(blobs)
    with pytest.raises(ValueError, match="annealing must be None or a pair"):
        GaussianMixture(2, annealing=3.0).fit(blobs)
    with pytest.raises(ValueError, match="temperature must be"):
        e_step(blobs, [1.0], [[0.0, 0.0]], [1.0], "spherical", temperature=np.nan)
    assert "annealing=(2.0, 0.8)" in repr(GaussianMixture(annealing=(2.0, 0.8)))


def test_annealed_em_runs_a_stage_per_temperature(blobs):
    gm = _fit(blobs, n_components=4, max_iter=0)
    schedule = (2.0, 0.8)
    stages = annealing_temperatures(schedule)
    snaps = list(
        em_steps(
            blobs,
            gm.weights_,
            gm.means_,
            gm.precisions_cholesky_,
            annealing=schedule,
            max_iter=200,
        )
    )
    assert [s.iteration for s in snaps] == list(range(1, len(snaps) + 1))
    seen = [s.temperature for s in snaps]
    assert sorted(set(seen), reverse=True) == list(stages)
    assert seen == sorted(seen, reverse=True)  # never warms up again
    # each stage ran to convergence and only the last one says converged
    assert [s.converged for s in snaps].count(True) == 1 and snaps[-1].converged
    for t in stages:
        stage = [s for s in snaps if s.temperature == t]
        assert len(stage) >= 2 and abs(stage[-1].change) < 1e-3
        assert stage[0].change == np.inf  # measured within its own stage


def test_the_annealed_estimator_reports_every_iteration(blobs):
    gm = _fit(blobs, n_components=4, annealing=(1.5, 0.9), max_iter=300)
    assert gm.converged_
    assert len(gm.lower_bounds_) == gm.n_iter_
    assert gm.n_iter_ > len(annealing_temperatures((1.5, 0.9)))
    assert np.isfinite(gm.score(blobs))
