"""Old Faithful (simapp.data.datasets): the bundled copy, and what EM makes
of it in one column and in two."""

import warnings

import numpy as np
import pytest
from simapp.data.datasets import csv_text, info, load
from sklearn.mixture import GaussianMixture as SkGaussianMixture

from emcore import COVARIANCE_TYPES, GaussianMixture
from emcore.experiment import DEFAULTS, REG_COVAR


def page_model(k, cov="full", seed=DEFAULTS["seed"]):
    """The page's fit of ``k`` components at its default settings."""
    return GaussianMixture(
        k,
        covariance_type=cov,
        tol=DEFAULTS["tol"],
        reg_covar=REG_COVAR,
        max_iter=DEFAULTS["iters"],
        n_init=DEFAULTS["n_init"],
        init_params="k-means++",
        random_state=np.random.default_rng([seed, k, COVARIANCE_TYPES.index(cov)]),
        on_singular="regularize",
    )


def test_the_copy_is_r_datasets_faithful():
    lines = csv_text("faithful").splitlines()
    assert lines[:3] == ['"eruptions","waiting"', "3.6,79", "1.8,54"]
    assert lines[-1] == "4.467,74"  # R's row 272
    X, labels, label_names, meta = load("faithful")
    assert X.shape == (272, 2) == (meta.n_samples, 2)
    assert labels is None and label_names == ()
    # R: summary(faithful)
    np.testing.assert_allclose(X.min(axis=0), [1.6, 43.0])
    np.testing.assert_allclose(X.max(axis=0), [5.1, 96.0])
    np.testing.assert_allclose(X.mean(axis=0), [3.487783, 70.897059], atol=5e-7)


def test_titles_and_units():
    meta = info("faithful")
    assert meta.columns == ("eruptions", "waiting") and meta.units == "min"
    assert meta.column_title("eruptions") == "eruptions (min)"
    assert meta.x_label == "eruption duration (min)"
    assert "Azzalini" in meta.source and "Public domain" in meta.licence


def test_one_column_loads_as_one_feature():
    X, labels, _, _ = load("faithful", columns=[0])
    assert X.shape == (272, 1) and labels is None
    np.testing.assert_array_equal(X[:, 0], load("faithful")[0][:, 0])


@pytest.mark.parametrize(
    ("cov", "params"), [("full", 5), ("tied", 4), ("diag", 5), ("spherical", 5)]
)
def test_two_components_on_the_eruptions_count_their_parameters(cov, params):
    X, _, _, _ = load("faithful", columns=[0])
    gm = page_model(2, cov).fit(X)
    assert gm.n_parameters() == params
    assert SkGaussianMixture(2, covariance_type=cov).fit(X)._n_parameters() == params


@pytest.mark.parametrize("columns", [[0], [0, 1]])
def test_the_page_fit_reaches_scikit_learns_best_of_twenty(columns):
    X, _, _, _ = load("faithful", columns=columns)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = page_model(2).fit(X).score(X)
    for seed in (0, 1):
        best = SkGaussianMixture(2, n_init=20, random_state=seed).fit(X).score(X)
        assert ours >= best - 1e-6
