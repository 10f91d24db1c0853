"""Tests for emcore.synthetic: reproducibility, shapes, the overlap rule."""

import math

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score as sk_ari

from emcore.synthetic import (
    MAX_COMPONENTS,
    S_OVERLAPPING,
    S_SEPARATED,
    TrueMixture,
    separation,
    simulate,
)


def test_same_seed_same_data_different_seed_different_data():
    a = simulate(300, 4, 0.4, 123, return_mixture=True)
    b = simulate(300, 4, 0.4, 123, return_mixture=True)
    c = simulate(300, 4, 0.4, 124, return_mixture=True)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    np.testing.assert_array_equal(a[2].means, b[2].means)
    assert not np.allclose(a[0], c[0])
    assert not np.allclose(a[2].means, c[2].means)
    # A generator seeded alike gives the same stream as the integer seed.
    d = simulate(300, 4, 0.4, np.random.default_rng(123))
    np.testing.assert_array_equal(a[0], d[0])


def test_mixture_does_not_depend_on_sample_size():
    _, _, small = simulate(10, 3, 0.3, 5, return_mixture=True)
    _, _, large = simulate(2000, 3, 0.3, 5, return_mixture=True)
    np.testing.assert_array_equal(small.means, large.means)
    np.testing.assert_array_equal(small.covariances, large.covariances)
    np.testing.assert_array_equal(small.weights, large.weights)


@pytest.mark.parametrize("k", [1, 2, 3, 5, 8, MAX_COMPONENTS])
@pytest.mark.parametrize("overlap", [0.0, 0.5, 1.0])
def test_shapes_dtypes_and_labels(k, overlap):
    rng = np.random.default_rng(k)
    n = int(rng.integers(k, 40 * k))
    X, labels, mix = simulate(
        n, k, overlap, int(rng.integers(1000)), return_mixture=True
    )
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert labels.shape == (n,) and labels.dtype == np.int64
    assert np.all(np.isfinite(X))
    counts = np.bincount(labels, minlength=k)
    assert counts.size == k and counts.min() >= min(5, n // k) >= 1
    assert mix.n_components == k
    assert mix.weights.min() > 0 and mix.weights.sum() == pytest.approx(1.0)
    eig = np.linalg.eigvalsh(mix.covariances)
    assert np.all(eig > 0)
    np.testing.assert_allclose(mix.covariances, np.swapaxes(mix.covariances, 1, 2))
    # Anisotropic: no cluster is a circle.
    assert np.all(eig[:, 1] / eig[:, 0] > 1.5**2 - 1e-9)
    # Coordinates stay of order 1..10.
    assert np.abs(mix.means).max() < 15


def test_every_cluster_gets_points_at_n_equals_k():
    for seed in range(20):
        _, labels = simulate(6, 6, 0.2, seed)
        np.testing.assert_array_equal(np.sort(labels), np.arange(6))


@pytest.mark.parametrize("k", [2, 3, 5, 8])
@pytest.mark.parametrize("overlap", [0.0, 0.3, 0.9])
def test_neighbouring_means_are_at_the_documented_separation(k, overlap):
    for seed in range(10):
        _, _, mix = simulate(k, k, overlap, seed, return_mixture=True)
        nxt = np.roll(np.arange(k), -1)
        gap = mix.means[nxt] - mix.means
        dist = np.linalg.norm(gap, axis=1)
        u = gap / dist[:, None]
        sd = np.sqrt(np.einsum("ki,kij,kj->k", u, mix.covariances, u))
        sd_next = np.sqrt(np.einsum("ki,kij,kj->k", u, mix.covariances[nxt], u))
        sep = dist / (sd + sd_next)
        expected = S_SEPARATED ** (1 - overlap) * S_OVERLAPPING**overlap
        assert sep.min() == pytest.approx(expected, rel=1e-9)
        assert mix.separation == pytest.approx(expected)
        if k >= 4:
            # The ring makes all neighbouring pairs (nearly) equally separated.
            assert sep.max() <= 1.05 * expected


def test_separation_rule_endpoints_and_monotone():
    assert separation(0) == S_SEPARATED
    assert separation(1) == pytest.approx(S_OVERLAPPING)
    values = [separation(o) for o in np.linspace(0, 1, 11)]
    assert np.all(np.diff(values) < 0)


def test_overall_spread_is_normalised():
    for seed in range(5):
        X, _ = simulate(20000, 4, float(seed) / 4, seed)
        assert np.allclose(X.mean(axis=0), 0, atol=0.1)
        assert math.sqrt(np.trace(np.cov(X.T)) / 2) == pytest.approx(3.0, rel=0.05)


def test_bayes_ari_is_perfect_when_separated_and_falls_with_overlap():
    levels = [0.0, 0.25, 0.5, 0.75, 1.0]
    means = []
    for overlap in levels:
        scores = []
        for seed in range(6):
            for k in (2, 3, 5, 8):
                X, y, mix = simulate(1500, k, overlap, seed, return_mixture=True)
                scores.append(sk_ari(y, mix.predict(X)))
        means.append(float(np.mean(scores)))
    assert means[0] >= 0.99
    assert np.all(np.diff(means) < -0.02), means
    assert means[-1] < 0.4, means


def test_true_mixture_posterior_is_normalised_and_consistent():
    X, _, mix = simulate(500, 3, 0.6, 2, return_mixture=True)
    logp = mix.log_posterior(X)
    assert logp.shape == (500, 3)
    np.testing.assert_allclose(np.exp(logp).sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_array_equal(mix.predict(X), np.argmax(logp, axis=1))
    # The log density agrees with a direct evaluation of the mixture density.
    dens = np.zeros(500)
    for w, m, c in zip(mix.weights, mix.means, mix.covariances, strict=True):
        diff = X - m
        maha = np.einsum("ni,ij,nj->n", diff, np.linalg.inv(c), diff)
        dens += w * np.exp(-0.5 * maha) / (2 * np.pi * np.sqrt(np.linalg.det(c)))
    np.testing.assert_allclose(mix.score_samples(X), np.log(dens), rtol=1e-10)
    with pytest.raises(AttributeError):
        mix.weights = np.ones(3) / 3
    with pytest.raises(ValueError):
        mix.means[0, 0] = 1.0
    with pytest.raises(ValueError, match="X"):
        mix.predict(np.zeros((3, 3)))
    with pytest.raises(ValueError, match="shapes"):
        TrueMixture(np.ones(2) / 2, np.zeros((3, 2)), np.stack([np.eye(2)] * 2))


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"n_samples": 0}, r"n_samples must be >= 1; got 0"),
        ({"n_samples": 10.0}, r"n_samples must be an integer; got 10\.0"),
        ({"n_samples": True}, r"n_samples .*got True"),
        ({"n_samples": 3, "n_components": 4}, r"n_samples must be >= n_components"),
        ({"n_components": 0}, r"n_components must be in \[1, 20\]; got 0"),
        ({"n_components": 21}, r"n_components .*got 21"),
        ({"n_components": "3"}, r"n_components .*got '3'"),
        ({"overlap": 1.5}, r"overlap must be in \[0, 1\]; got 1\.5"),
        ({"overlap": -0.1}, r"overlap .*got -0\.1"),
        ({"overlap": float("nan")}, r"overlap .*got nan"),
        ({"overlap": "0.5"}, r"overlap .*got '0\.5'"),
        ({"random_state": -1}, r"random_state .*got -1"),
        ({"random_state": 1.5}, r"random_state .*got 1\.5"),
        ({"random_state": "seed"}, r"random_state .*got 'seed'"),
    ],
)
def test_validation_errors(kwargs, pattern):
    args = {"n_samples": 50, "n_components": 3, "overlap": 0.5, "random_state": 0}
    args.update(kwargs)
    with pytest.raises(ValueError, match=pattern):
        simulate(**args)


def test_numpy_scalars_are_accepted():
    X, labels = simulate(np.int64(40), np.int32(3), np.float32(0.25), np.int64(9))
    X2, labels2 = simulate(40, 3, float(np.float32(0.25)), 9)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(labels, labels2)


# --- one dimension -------------------------------------------------------------


@pytest.mark.parametrize("k", [1, 2, 3, 6])
def test_line_mode_shapes_labels_and_reproducibility(k):
    X, labels, mix = simulate(400, k, 0.3, 5, return_mixture=True, n_features=1)
    assert X.shape == (400, 1) and X.dtype == np.float64 and X.flags.c_contiguous
    assert labels.dtype == np.int64 and set(np.unique(labels)) == set(range(k))
    assert mix.means.shape == (k, 1) and mix.covariances.shape == (k, 1, 1)
    assert mix.n_features == 1
    again, labels_again = simulate(400, k, 0.3, 5, n_features=1)
    np.testing.assert_array_equal(X, again)
    np.testing.assert_array_equal(labels, labels_again)


def test_line_mode_does_not_change_the_plane():
    a, la = simulate(300, 3, 0.2, 1)
    b, lb = simulate(300, 3, 0.2, 1, n_features=2)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(la, lb)


@pytest.mark.parametrize("overlap", [0.0, 0.4, 1.0])
def test_line_neighbours_sit_at_the_separation(overlap):
    _, _, mix = simulate(100, 4, overlap, 3, return_mixture=True, n_features=1)
    means = mix.means[:, 0]
    sd = np.sqrt(mix.covariances[:, 0, 0])
    gaps = np.diff(means) / (sd[:-1] + sd[1:])
    np.testing.assert_allclose(gaps, separation(overlap), rtol=1e-12)
    # centred, and spread TOTAL_SD = 3 overall
    w = mix.weights
    assert w @ means == pytest.approx(0.0, abs=1e-12)
    assert math.sqrt(w @ (sd**2 + means**2)) == pytest.approx(3.0, rel=1e-12)


def test_line_true_mixture_density_and_bayes_ari():
    X, y, mix = simulate(2000, 3, 0.0, 4, return_mixture=True, n_features=1)
    x = X[:, 0]
    dens = sum(
        w * np.exp(-0.5 * (x - m[0]) ** 2 / c[0, 0]) / np.sqrt(2 * np.pi * c[0, 0])
        for w, m, c in zip(mix.weights, mix.means, mix.covariances, strict=True)
    )
    np.testing.assert_allclose(mix.score_samples(X), np.log(dens), rtol=1e-10)
    assert sk_ari(y, mix.predict(X)) > 0.99
    X, y, mix = simulate(2000, 3, 0.8, 4, return_mixture=True, n_features=1)
    assert sk_ari(y, mix.predict(X)) < 0.5
    with pytest.raises(ValueError, match=r"X must have shape \(n_samples, 1\)"):
        mix.predict(np.zeros((3, 2)))


@pytest.mark.parametrize("bad", [0, 3, 1.0, "1"])
def test_n_features_is_one_or_two(bad):
    with pytest.raises(ValueError, match="n_features"):
        simulate(50, 2, 0.5, 0, n_features=bad)
