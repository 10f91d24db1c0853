"""The ``"whitened"`` start (emcore.initialization): k-means on whitened data.

Its labels seed the responsibilities; the fit itself runs on the data as
given. Tested: the whitening, its invariance to any affine map of the data,
the start's place among ``init_params`` (validation, fit_steps, row blocks).
The cigars it is made for are tested in tests/emcore/synthetic/test_gallery.py.
"""

import re
import warnings

import numpy as np
import pytest

import emcore.mixture
from emcore import GaussianMixture, adjusted_rand_score, initial_responsibilities
from emcore.initialization import INIT_METHODS, kmeans, whiten

COV_TYPES = ("full", "tied", "diag", "spherical")


def stretched(seed, n=300):
    """Two round clusters squashed along y and stretched along x 40 times."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, n)
    X = rng.normal(size=(n, 2)) + np.array([[0.0, 0.0], [0.0, 5.0]])[labels]
    return X @ np.array([[40.0, 0.0], [0.0, 0.1]]), labels


@pytest.mark.parametrize("d", [1, 2, 4])
def test_whitened_data_have_mean_zero_and_identity_covariance(d):
    rng = np.random.default_rng(d)
    X = rng.normal(size=(400, d)) @ rng.normal(size=(d, d)) + rng.normal(0, 50, d)
    Z = whiten(X)
    assert Z.shape == X.shape and Z.flags.c_contiguous
    np.testing.assert_allclose(Z.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(
        np.cov(Z.T, bias=True).reshape(d, d), np.eye(d), atol=1e-9
    )


def test_whitened_distances_do_not_depend_on_an_affine_map():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(60, 3))
    A = np.array([[5.0, 1.0, 0.0], [0.0, 0.01, 2.0], [1.0, 0.0, 300.0]])
    Y = X @ A + np.array([1e3, -7.0, 0.5])

    def distances(Z):
        return np.linalg.norm(Z[:, None, :] - Z[None, :, :], axis=2)

    np.testing.assert_allclose(distances(whiten(Y)), distances(whiten(X)), atol=1e-9)


def test_degenerate_data_whiten_to_finite_values():
    t = np.linspace(0.0, 1.0, 50)
    on_a_line = np.column_stack((t, 2.0 * t + 1.0))
    constant = np.ones((10, 2))
    for X in (on_a_line, constant):
        assert np.all(np.isfinite(whiten(X)))
    np.testing.assert_array_equal(whiten(constant), 0.0)


def test_whitened_start_is_kmeans_on_the_whitened_data():
    X, _ = stretched(1)
    resp = initial_responsibilities(X, 2, "whitened", random_state=7)
    _, labels = kmeans(whiten(X), 2, random_state=7)
    np.testing.assert_array_equal(resp, np.eye(2)[labels])


@pytest.mark.parametrize("seed", range(5))
def test_whitened_start_is_the_same_after_an_affine_map(seed):
    X, _ = stretched(seed)
    A = np.array([[0.3, 2.0], [-1.0, 0.5]])
    a = initial_responsibilities(X, 2, "whitened", random_state=seed)
    b = initial_responsibilities(X @ A + 9.0, 2, "whitened", random_state=seed)
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("seed", range(5))
def test_whitened_start_finds_stretched_clusters_that_kmeans_cuts(seed):
    X, labels = stretched(seed)
    raw = np.argmax(initial_responsibilities(X, 2, "kmeans", random_state=seed), 1)
    white = initial_responsibilities(X, 2, "whitened", random_state=seed)
    assert adjusted_rand_score(labels, raw) < 0.2
    assert adjusted_rand_score(labels, np.argmax(white, 1)) > 0.9


def test_unknown_init_params_names_the_parameter_and_the_choices():
    X, _ = stretched(0)
    allowed = "'kmeans', 'k-means++', 'random', 'random_from_data', 'whitened'"
    message = re.escape(f"init_params must be one of {allowed}; got 'whiten'")
    assert INIT_METHODS[-1] == "whitened"
    with pytest.raises(ValueError, match=message):
        GaussianMixture(2, init_params="whiten").fit(X)
    with pytest.raises(ValueError, match=message):
        initial_responsibilities(X, 2, "whiten")


@pytest.mark.parametrize("cov", COV_TYPES)
def test_whitened_fit_by_steps_equals_fit(cov):
    X, _ = stretched(4)
    kwargs = dict(covariance_type=cov, init_params="whitened", n_init=2)
    fitted = GaussianMixture(2, random_state=3, **kwargs).fit(X)
    stepped = GaussianMixture(2, random_state=3, **kwargs)
    events = list(stepped.fit_steps(X, include_initial=True, progress=True))
    assert any(snap is None for _, snap in events)  # the k-means pauses
    assert [snap.iteration for _, snap in events if snap is not None][0] == 0
    for name in ("weights_", "means_", "covariances_"):
        np.testing.assert_array_equal(getattr(stepped, name), getattr(fitted, name))


def test_whitened_start_by_row_blocks_equals_the_whole():
    X, _ = stretched(2, n=700)
    fits = []
    saved = emcore.mixture.ROW_BLOCK
    for block in (saved, 100):
        emcore.mixture.ROW_BLOCK = block
        try:
            gm = GaussianMixture(2, init_params="whitened", random_state=1, max_iter=5)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for _ in gm.fit_steps(X, progress=True):
                    pass
        finally:
            emcore.mixture.ROW_BLOCK = saved
        fits.append(gm)
    np.testing.assert_allclose(fits[0].means_, fits[1].means_, rtol=1e-10)
    np.testing.assert_array_equal(fits[0].predict(X), fits[1].predict(X))
