"""emcore.densities: which covariances are singular, before any precision.

A covariance of points on a line or a plane, or of a component on one
point, is singular; computed in floating point it is off by rounding, so its
Cholesky factor may exist (with a precision of 1e60). These tests pin the
rule for every covariance type and dimension, on the 2x2 closed forms and the
general path alike, and its consequence for the fits.
"""

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from sklearn.mixture import GaussianMixture as SkGaussianMixture

from emcore import GaussianMixture, SingularCovarianceError
from emcore.densities import (
    SINGULAR_RTOL,
    compute_precision_cholesky,
    singular_components,
)

COV_TYPES = ("full", "tied", "diag", "spherical")
INITS = ("kmeans", "k-means++", "random", "random_from_data")

# found by hypothesis (and seen in CI): k-means++ puts one component on the
# first point and one on the two zeros; the tied covariance is exactly
# singular, its determinant exactly 0, but the 2x2 closed form's pivot came
# out a hair above zero and the precision factor about 1.8e61
REPORTED_X = np.array([[4.18640528e-39, 1e-8], [0.0, 0.0], [0.0, 0.0]])
REPORTED_COV = np.array(
    [[1.29335530e-107, 3.27904525e-077], [3.27904525e-077, 8.31336735e-047]]
)


@pytest.mark.parametrize("init", INITS)
def test_the_reported_tied_fit_raises_in_raise_mode_for_every_seed(init):
    for seed in range(20):
        gm = GaussianMixture(
            2,
            covariance_type="tied",
            init_params=init,
            on_singular="raise",
            reg_covar=0.0,
            random_state=seed,
        )
        with pytest.raises(SingularCovarianceError, match="ill-defined"):
            gm.fit(REPORTED_X)


def test_scikit_learn_also_raises_on_the_reported_fit():
    # the reference behaviour the raise mode follows
    sk = SkGaussianMixture(
        2, covariance_type="tied", init_params="k-means++", reg_covar=0.0
    )
    with pytest.raises(ValueError, match="ill-defined empirical covariance"):
        sk.fit(REPORTED_X)


def test_the_reported_fit_is_regularised_and_valid_in_the_default_mode():
    gm = GaussianMixture(
        2,
        covariance_type="tied",
        init_params="k-means++",
        on_singular="regularize",
        reg_covar=0.0,
        random_state=0,
    ).fit(REPORTED_X)
    assert gm.collapsed_ == (0,)
    assert np.all(np.isfinite(gm.score_samples(REPORTED_X)))
    assert np.linalg.eigvalsh(gm.covariances_)[0] > 0


@pytest.mark.parametrize("cov", ["full", "tied"])
def test_the_reported_covariance_is_refused_before_factorising(cov):
    # LAPACK itself refuses it; the closed form must not accept it either
    with pytest.raises(np.linalg.LinAlgError):
        np.linalg.cholesky(REPORTED_COV)
    covariances = REPORTED_COV if cov == "tied" else REPORTED_COV[np.newaxis]
    assert singular_components(covariances, cov) == [0]
    with pytest.raises(SingularCovarianceError):
        compute_precision_cholesky(covariances, cov)


def _line_covariance(rng, d, scale, n=12):
    """Covariance of points on a line through a random offset: singular."""
    t = rng.normal(size=n)
    X = (np.outer(t, rng.normal(size=d)) + rng.normal(size=d)) * scale
    return np.cov(X, rowvar=False, bias=True)


@pytest.mark.parametrize("d", [2, 3, 4])
@pytest.mark.parametrize("scale", [1e-100, 1e-8, 1.0, 1e8, 1e100])
def test_covariances_of_collinear_points_are_singular(d, scale):
    rng = np.random.default_rng(d)
    for _ in range(50):
        C = _line_covariance(rng, d, scale)
        assert singular_components(C[np.newaxis], "full") == [0]
        assert singular_components(C, "tied") == [0]
        # a thin but real spread across the line is no longer singular
        thin = C + 1e-9 * np.diag(np.diag(C))
        assert singular_components(thin[np.newaxis], "full") == []


@pytest.mark.parametrize("d", [3, 4])
def test_covariances_of_coplanar_points_are_singular(d):
    rng = np.random.default_rng(10 + d)
    for _ in range(50):
        X = rng.normal(size=(20, 2)) @ rng.normal(size=(2, d)) + rng.normal(size=d)
        C = np.cov(X, rowvar=False, bias=True)
        assert singular_components(C[np.newaxis], "full") == [0]


def test_a_thin_covariance_along_the_axes_is_not_singular():
    # singular means dependent features, not small ones: 1e-20 next to 1 is
    # a thin but perfectly conditioned covariance
    for d in (2, 3):
        C = np.diag([1e-20] + [1.0] * (d - 1))
        assert singular_components(C[np.newaxis], "full") == []
        assert singular_components(np.diag(C)[np.newaxis], "diag") == []


def _embed(mats):
    """A (n, 2, 2) stack as (n, 3, 3), block-diagonal with a unit third
    feature: the same correlations and spreads, on the general path."""
    big = np.zeros((len(mats), 3, 3))
    big[:, :2, :2] = mats
    big[:, 2, 2] = 1.0
    return big


@given(
    log_a=st.floats(-150, 150),
    log_c=st.floats(-150, 150),
    log_gap=st.floats(-17, 0),
    sign=st.sampled_from([-1.0, 1.0]),
)
def test_the_2x2_closed_form_and_the_general_path_decide_alike(
    log_a, log_c, log_gap, sign
):
    # a correlation of 1 - gap: the smallest eigenvalue of the correlation
    # matrix is the gap, so the matrix is singular when gap <= SINGULAR_RTOL
    a, c = 10.0**log_a, 10.0**log_c
    gap = 10.0**log_gap
    b = sign * (1.0 - gap) * math.sqrt(a) * math.sqrt(c)
    assume(abs(log_gap - math.log10(SINGULAR_RTOL)) > 0.01)  # not at rounding
    mats = np.array([[[a, b], [b, c]]])
    want = [0] if gap <= SINGULAR_RTOL else []
    assert singular_components(mats, "full") == want
    assert singular_components(mats[0], "tied") == want
    assert singular_components(_embed(mats), "full") == want


@pytest.mark.parametrize("cov", COV_TYPES)
def test_non_positive_and_nan_covariances_are_singular(cov):
    d = 3
    good = {
        "full": np.stack([np.eye(d)] * 3),
        "tied": np.eye(d),
        "diag": np.ones((3, d)),
        "spherical": np.ones(3),
    }[cov]
    assert singular_components(good, cov) == []
    for value in (0.0, -1.0, np.nan):
        bad = good.copy()
        if cov == "tied":
            bad[1, 1] = value
            assert singular_components(bad, cov) == [0]
            continue
        bad[2] = bad[2] * value if cov != "full" else np.eye(d) * value
        assert singular_components(bad, cov) == [2]
