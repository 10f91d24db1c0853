"""Tests for emcore.synthetic.gallery: the hard data sets and what goes wrong
on them with the page's fit."""

import math
import warnings

import numpy as np
import pytest

from emcore import COVARIANCE_TYPES, GaussianMixture, adjusted_rand_score, kmeans
from emcore.experiment import DEFAULTS, REG_COVAR
from emcore.synthetic import GALLERY, GalleryData, make_gallery, n_planted_outliers
from emcore.synthetic.gallery import MIN_SAMPLES

NAMES = ("ring", "moons", "cigars", "unequal", "outliers")


def page_fit(X, k, seed, init="k-means++", cov="full"):
    """The page's fit at its default settings (emcore.experiment): ``n_init``
    starts, the fit's own stream ``[seed, k, type]``."""
    gm = GaussianMixture(
        k,
        covariance_type=cov,
        tol=DEFAULTS["tol"],
        reg_covar=REG_COVAR,
        max_iter=DEFAULTS["iters"],
        n_init=DEFAULTS["n_init"],
        init_params=init,
        random_state=np.random.default_rng([seed, k, COVARIANCE_TYPES.index(cov)]),
        on_singular="regularize",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return gm.fit(X).predict(X)


def test_the_gallery_in_menu_order():
    assert tuple(GALLERY) == NAMES


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("n", [MIN_SAMPLES, 500, 1001])
def test_shapes_labels_and_flags(name, n):
    data = make_gallery(name, n, 3)
    assert isinstance(data, GalleryData) and data.name == name
    assert data.X.shape == (n, 2) and data.X.dtype == np.float64
    assert data.X.flags.c_contiguous and np.all(np.isfinite(data.X))
    assert data.labels.shape == (n,) and data.labels.dtype == np.int64
    assert data.outliers.shape == (n,) and data.outliers.dtype == np.bool_
    k = data.n_clusters
    assert data.n_components == k
    # every cluster has points; the outliers, and only they, carry label k
    assert set(np.unique(data.labels[~data.outliers])) == set(range(k))
    np.testing.assert_array_equal(data.outliers, data.labels == k)
    assert np.all(np.abs(data.X) < 20)


@pytest.mark.parametrize("name", NAMES)
def test_the_seed_decides_the_data(name):
    a, b = make_gallery(name, 300, 7), make_gallery(name, 300, 7)
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.labels, b.labels)
    assert not np.allclose(a.X, make_gallery(name, 300, 8).X)
    rng = np.random.default_rng(7)
    np.testing.assert_array_equal(make_gallery(name, 300, rng).X, a.X)
    assert not np.allclose(make_gallery(name, 300, rng).X, a.X)  # advanced


def test_ring_is_a_round_cluster_inside_a_ring():
    data = make_gallery("ring", 2000, 0)
    radius = np.hypot(*data.X.T)
    inner, outer = radius[data.labels == 0], radius[data.labels == 1]
    assert np.median(inner) < 1.5 and 4.5 < np.median(outer) < 5.5
    assert np.mean(data.labels == 1) == pytest.approx(0.65, abs=0.05)


def test_moons_interlock():
    data = make_gallery("moons", 2000, 0)
    upper, lower = data.X[data.labels == 0], data.X[data.labels == 1]
    # each moon's tips reach past the other's middle
    assert upper[:, 0].min() < lower[:, 0].min() < upper[:, 0].max() < lower[:, 0].max()
    assert upper[:, 1].mean() > lower[:, 1].mean()


def test_cigars_are_long_thin_and_parallel():
    data = make_gallery("cigars", 2000, 0)
    for label, centre in ((0, -0.5), (1, 0.5)):
        x, y = data.X[data.labels == label].T
        assert np.abs(x).max() <= 9.0 and x.std() == pytest.approx(
            9 / math.sqrt(3), rel=0.1
        )
        assert y.mean() == pytest.approx(centre, abs=0.02)
        assert y.std() == pytest.approx(0.15, rel=0.1)


def test_unequal_clusters_have_very_different_sizes_and_spreads():
    data = make_gallery("unequal", 4000, 0)
    shares = np.bincount(data.labels) / 4000
    np.testing.assert_allclose(shares, [0.7, 0.2, 0.1], atol=0.03)
    spreads = [data.X[data.labels == j].std(axis=0).mean() for j in range(3)]
    np.testing.assert_allclose(spreads, [2.2, 0.7, 0.3], rtol=0.1)


@pytest.mark.parametrize("n", [20, 29, 30, 500, 1010])
def test_outliers_are_five_percent_rounded_half_up_in_the_square(n):
    data = make_gallery("outliers", n, 1)
    assert data.outliers.sum() == n_planted_outliers(n) == math.floor(0.05 * n + 0.5)
    assert np.all(np.abs(data.X[data.outliers]) <= 12.0)
    assert data.n_clusters == 3


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"name": "rings"}, r"name must be one of 'ring', 'moons', .*got 'rings'"),
        ({"n_samples": 19}, r"n_samples must be >= 20; got 19"),
        ({"n_samples": 50.0}, "n_samples must be an integer"),
        ({"random_state": -2}, "random_state"),
    ],
)
def test_bad_arguments_are_named(kwargs, match):
    args = {"name": "ring", "n_samples": 100, "random_state": 0, **kwargs}
    with pytest.raises(ValueError, match=match):
        make_gallery(**args)


# --- what goes wrong, with the page's fit ----------------------------------------


@pytest.mark.parametrize("seed", range(1, 21))
def test_the_kmeans_trap_on_cigars_and_its_fix(seed):
    data = make_gallery("cigars", DEFAULTS["n"], seed)
    default = page_fit(data.X, 2, seed)
    whitened = page_fit(data.X, 2, seed, init="whitened")
    assert adjusted_rand_score(data.labels, default) < 0.5
    assert adjusted_rand_score(data.labels, whitened) > 0.9


def test_kmeans_fails_on_unequal_clusters_where_em_does_not():
    data = make_gallery("unequal", DEFAULTS["n"], 1)
    _, km_labels = kmeans(data.X, 3, random_state=1)
    assert adjusted_rand_score(data.labels, km_labels) < 0.5
    assert adjusted_rand_score(data.labels, page_fit(data.X, 3, 1)) > 0.9


@pytest.mark.parametrize("name", ["ring", "moons"])
def test_two_ellipses_cannot_follow_a_ring_or_moons(name):
    data = make_gallery(name, DEFAULTS["n"], 1)
    assert adjusted_rand_score(data.labels, page_fit(data.X, 2, 1)) < 0.5
