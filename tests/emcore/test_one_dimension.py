"""Fits of one column (d = 1): every covariance type, scikit-learn's numbers,
the stepwise API, model selection; and the ellipse helpers' clear refusal."""

import warnings

import numpy as np
import pytest
from sklearn.mixture import GaussianMixture as SkGaussianMixture

from emcore import (
    GaussianMixture,
    component_ellipse,
    em_steps,
    local_optima_verdict,
    mixture_ellipses,
    n_parameters,
    select_model,
    to_full_covariances,
)
from emcore.synthetic import simulate

COV_TYPES = ("full", "tied", "diag", "spherical")


def line_data(seed=0, n=400, k=3):
    X, _ = simulate(n, k, 0.2, seed, n_features=1)
    return X


def start(cov, k=3):
    """One fixed start (no randomness) in each type's shape for d = 1."""
    precisions = {
        "full": np.full((k, 1, 1), 0.5),
        "tied": np.full((1, 1), 0.5),
        "diag": np.full((k, 1), 0.5),
        "spherical": np.full(k, 0.5),
    }[cov]
    return {
        "weights_init": np.full(k, 1.0 / k),
        "means_init": np.linspace(-3.0, 3.0, k)[:, None],
        "precisions_init": precisions,
    }


@pytest.mark.parametrize(
    ("cov", "expected"), [("full", 8), ("tied", 6), ("diag", 8), ("spherical", 8)]
)
def test_parameter_counts_in_one_dimension(cov, expected):
    # K = 3, d = 1: 3 means, 2 weights, and 3 variances (1 for tied)
    assert n_parameters(3, 1, cov) == expected
    gm = GaussianMixture(3, covariance_type=cov, **start(cov)).fit(line_data())
    assert gm.n_parameters() == expected
    sk = SkGaussianMixture(3, covariance_type=cov, **start(cov)).fit(line_data())
    assert sk._n_parameters() == expected


@pytest.mark.parametrize("cov", COV_TYPES)
def test_one_column_fits_like_scikit_learn(cov):
    X = line_data(1)
    kw = dict(covariance_type=cov, tol=1e-8, max_iter=500, **start(cov))
    gm = GaussianMixture(3, **kw).fit(X)
    sk = SkGaussianMixture(3, **kw).fit(X)
    np.testing.assert_allclose(gm.means_, sk.means_, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(gm.covariances_, sk.covariances_, rtol=1e-7)
    np.testing.assert_allclose(gm.weights_, sk.weights_, rtol=1e-7)
    assert gm.score(X) == pytest.approx(sk.score(X), rel=1e-10)
    assert gm.bic(X) == pytest.approx(sk.bic(X), rel=1e-10)
    assert gm.aic(X) == pytest.approx(sk.aic(X), rel=1e-10)
    np.testing.assert_array_equal(gm.predict(X), sk.predict(X))


@pytest.mark.parametrize("cov", COV_TYPES)
def test_one_column_with_random_starts_and_the_stepwise_api(cov):
    X = line_data(2)
    gm = GaussianMixture(3, covariance_type=cov, n_init=3, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        events = list(gm.fit_steps(X, include_initial=True, progress=True))
    snaps = [(start, snap) for start, snap in events if snap is not None]
    assert snaps[0][1].iteration == 0 and snaps[0][1].means.shape == (3, 1)
    for which in range(3):  # EM never lowers the log-likelihood
        trace = [s.log_likelihood for i, s in snaps if i == which and s.iteration]
        assert np.all(np.diff(trace) > -1e-9)
    verdict = local_optima_verdict(gm, X)
    assert verdict.status in ("OK", "WARN")
    full = to_full_covariances(gm.covariances_, cov, 3, 1)
    assert full.shape == (3, 1, 1) and np.all(full > 0)
    # the functional API from the fitted parameters: already at the optimum
    frames = list(
        em_steps(X, gm.weights_, gm.means_, gm.precisions_cholesky_, cov, tol=1e-6)
    )
    assert frames[-1].log_likelihood == pytest.approx(gm.score(X), abs=1e-3)


def test_model_selection_on_one_column_finds_the_clusters():
    X, _ = simulate(1500, 3, 0.0, 4, n_features=1)
    result = select_model(X, range(1, 6), covariance_types=["full", "tied"])
    assert result.best_bic["full"] == 3


def test_ellipse_helpers_refuse_one_column_clearly():
    with pytest.raises(ValueError, match=r"d >= 2"):
        component_ellipse([0.0], [[1.0]], "full")
    with pytest.raises(ValueError, match=r"d >= 2; got \(2, 1\)"):
        mixture_ellipses([[0.0], [1.0]], [1.0, 2.0], "spherical")
