"""emcore.initialization: k-means++ seeding and Lloyd's k-means, rule by rule.

The oracles are scikit-learn's own implementations (``kmeans_plusplus`` fed
the same random draws, ``KMeans(init=centres, n_init=1, algorithm="lloyd")``
from the same start) and the documented rules written out here: where an
empty cluster restarts, and when the iterations stop.
"""

import math

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.cluster import kmeans_plusplus as sk_kmeans_plusplus

from emcore.initialization import (
    _lloyd_steps,
    initial_responsibilities,
    kmeans,
    kmeans_plusplus,
)
from emcore.kernels.rowblocks import run_steps


class _ReplayedDraws(np.random.RandomState):
    """A RandomState for scikit-learn whose draws come from a numpy Generator.

    scikit-learn's k-means++ asks for its first centre by ``choice(n, p)``
    (p uniform without sample weights) and for the candidates by
    ``uniform(size=trials)``; emcore asks the Generator for ``integers(n)``
    and ``uniform(size=trials)``. Replaying one Generator's stream through
    both makes every centre comparable, and any change in how many numbers
    are drawn, or what is done with them, shows.
    """

    def __init__(self, seed):
        super().__init__(0)
        self._draws = np.random.default_rng(seed)

    def choice(self, a, size=None, replace=True, p=None):
        assert size is None and p is not None
        np.testing.assert_allclose(p, 1.0 / a)  # uniform: no sample weights
        return int(self._draws.integers(a))

    def uniform(self, low=0.0, high=1.0, size=None):
        assert (low, high) == (0.0, 1.0)
        return self._draws.uniform(size=size)


def _blobs(seed, n=240, d=2, k=5, spread=3.0):
    rng = np.random.default_rng(seed)
    centres = spread * rng.normal(size=(k, d))
    return centres[rng.integers(0, k, n)] + rng.normal(size=(n, d))


def _run_lloyd(X, centres, max_iter=300, tol=1e-4):
    return run_steps(_lloyd_steps(X, np.array(centres, float), max_iter, tol))


# --- k-means++ ----------------------------------------------------------------


@pytest.mark.parametrize("n_clusters", [2, 3, 5, 8, 20])
def test_kmeans_plusplus_picks_scikit_learns_centres_from_the_same_draws(
    n_clusters,
):
    # the default number of candidates (2 + int(log K)) and the sampling
    # rule (proportional to the squared distance, best potential wins) are
    # both visible: another count or rule consumes or uses the draws
    # differently and picks other rows
    for seed in range(25):
        X = _blobs(1000 + seed)
        _, want = sk_kmeans_plusplus(X, n_clusters, random_state=_ReplayedDraws(seed))
        centres, got = kmeans_plusplus(X, n_clusters, random_state=seed)
        np.testing.assert_array_equal(got, want, err_msg=f"seed {seed}")
        np.testing.assert_array_equal(centres, X[want])


@pytest.mark.parametrize("trials", [1, 3, 7])
def test_kmeans_plusplus_honours_an_explicit_trial_count(trials):
    for seed in range(10):
        X = _blobs(2000 + seed, d=3)
        _, want = sk_kmeans_plusplus(
            X, 6, random_state=_ReplayedDraws(seed), n_local_trials=trials
        )
        _, got = kmeans_plusplus(X, 6, random_state=seed, n_local_trials=trials)
        np.testing.assert_array_equal(got, want, err_msg=f"seed {seed}")


def test_kmeans_plusplus_samples_rather_than_taking_the_farthest_point():
    # one far outlier: a greedy "farthest point" rule would pick it as the
    # second centre every time; sampling by squared distance picks it with
    # probability about its share of the potential (here about 0.7)
    rng = np.random.default_rng(7)
    X = np.vstack([rng.normal(size=(400, 2)), [[40.0, 0.0]]])
    outlier = len(X) - 1
    share = []
    for seed in range(200):
        _, idx = kmeans_plusplus(X, 2, random_state=seed, n_local_trials=1)
        if idx[0] != outlier:
            share.append(idx[1] == outlier)
    d2 = ((X - X.mean(axis=0)) ** 2).sum(axis=1)
    expected = d2[outlier] / d2.sum()  # about the chance from a central start
    assert 0.6 < expected < 0.8
    # 200 draws: the standard error of the share is about 0.03
    assert abs(np.mean(share) - expected) < 0.15


# --- Lloyd's iterations -------------------------------------------------------


@pytest.mark.parametrize("tol", [0.0, 1e-4, 1e-2, 0.3])
@pytest.mark.parametrize("d", [2, 3])
def test_lloyd_matches_scikit_learn_from_the_same_start(tol, d):
    for seed in range(12):
        X = _blobs(3000 + seed, d=d, k=4, spread=2.0)
        rng = np.random.default_rng(seed)
        start = X[rng.choice(len(X), size=5, replace=False)]
        ref = KMeans(5, init=start, n_init=1, algorithm="lloyd", tol=tol).fit(X)
        centres, labels, n_iter = _run_lloyd(X, start, tol=tol)
        assert n_iter == ref.n_iter_, f"seed {seed}"
        np.testing.assert_array_equal(labels, ref.labels_)
        np.testing.assert_allclose(centres, ref.cluster_centers_, rtol=1e-9, atol=1e-9)


def _shifts(X, start, iterations):
    """Centres after 0..iterations Lloyd steps (tol 0, so none stops early
    unless the centres stop moving) and the squared shift of each step."""
    path = [np.array(start, float)]
    for m in range(1, iterations + 1):
        centres, _, n_iter = _run_lloyd(X, start, max_iter=m, tol=0.0)
        assert n_iter == m  # no step of this path leaves the centres in place
        path.append(centres)
    steps = zip(path[:-1], path[1:], strict=True)
    shifts = [float(np.sum((b - a) ** 2)) for a, b in steps]
    return path, shifts


def test_lloyd_stops_at_the_first_shift_within_tol_times_the_mean_variance():
    # scikit-learn's rule: stop after the first iteration whose summed
    # squared centre shift is <= tol * mean(var(X, axis=0)); d = 3 so that a
    # sum of the variances (3x the mean) or a strict < gives other stops
    X = _blobs(42, n=300, d=3, k=4, spread=1.5)
    X[:, 2] *= 5.0  # unequal variances: mean, max and sum all differ
    start = X[:4]
    path, shifts = _shifts(X, start, 6)
    mean_var = float(np.mean(np.var(X, axis=0)))
    for m, shift in enumerate(shifts, start=1):
        exact = shift / mean_var
        while exact * mean_var < shift:  # the tol whose threshold is the shift
            exact = math.nextafter(exact, math.inf)
        for tol in (exact, math.nextafter(exact, 0.0), exact / 1.5, exact * 1.5):
            stop = next(
                (j for j, s in enumerate(shifts, start=1) if s <= tol * mean_var),
                None,
            )
            if stop is None:
                continue
            centres, labels, n_iter = _run_lloyd(X, start, tol=tol)
            assert n_iter == stop, (m, tol)
            np.testing.assert_array_equal(centres, path[stop])


def test_an_empty_cluster_restarts_at_the_worst_served_points_in_order():
    # two of five start centres are far from every point: after the first
    # assignment they are empty and restart at the points farthest from
    # their nearest centre, the farthest taking the lowest empty index
    rng = np.random.default_rng(5)
    X = rng.normal(size=(60, 2)) * [3.0, 1.0]
    start = np.array([[0.0, 0.0], [50.0, 50.0], [2.0, 0.0], [-60.0, 40.0], [-2, 0]])
    d2 = ((X[:, np.newaxis, :] - start[np.newaxis]) ** 2).sum(axis=2)
    labels = d2.argmin(axis=1)
    assert set(labels) == {0, 2, 4}
    served = d2.min(axis=1)
    worst = np.argsort(served)[::-1]
    assert served[worst[1]] > served[worst[2]]  # no tie decides the order
    centres, _, _ = _run_lloyd(X, start, max_iter=1, tol=0.0)
    np.testing.assert_array_equal(centres[1], X[worst[0]])
    np.testing.assert_array_equal(centres[3], X[worst[1]])
    for k in (0, 2, 4):
        np.testing.assert_allclose(centres[k], X[labels == k].mean(axis=0))


def test_kmeans_on_duplicate_points_matches_scikit_learn():
    # duplicates make empty clusters and exact ties common
    rng = np.random.default_rng(11)
    points = rng.normal(size=(6, 2)) * 4
    X = points[rng.integers(0, 6, 90)]
    for seed in range(20):
        for k in (3, 5):
            centres, labels = kmeans(X, k, random_state=seed)
            start, _ = kmeans_plusplus(X, k, random_state=seed)
            ref = KMeans(k, init=start, n_init=1, algorithm="lloyd").fit(X)
            np.testing.assert_allclose(centres, ref.cluster_centers_, atol=1e-12)
            np.testing.assert_array_equal(labels, ref.labels_)


# --- initial responsibilities --------------------------------------------------


def test_random_from_data_starts_on_distinct_samples():
    # scikit-learn's rule: K samples drawn without replacement, one-hot
    X = _blobs(7, n=12)
    for seed in range(20):
        resp = initial_responsibilities(X, 12, "random_from_data", seed)
        want = np.random.default_rng(seed).choice(12, size=12, replace=False)
        np.testing.assert_array_equal(resp[want, np.arange(12)], 1.0)
        assert resp.sum() == 12.0


def test_random_starts_are_rows_of_uniform_draws_summing_to_one():
    X = _blobs(8, n=30)
    resp = initial_responsibilities(X, 4, "random", 5)
    draws = np.random.default_rng(5).uniform(size=(30, 4))
    np.testing.assert_allclose(resp, draws / draws.sum(axis=1, keepdims=True))
