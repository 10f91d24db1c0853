"""Tests for emcore.anomaly: lowest-density flags, precision and recall, the
contour level and the mixture's density on a grid."""

import math
import warnings

import numpy as np
import pytest
from sklearn.mixture import GaussianMixture as SkGaussianMixture

from emcore import GaussianMixture
from emcore.anomaly import (
    anomaly_scores,
    contour_level,
    flag_anomalies,
    mixture_density,
    n_flagged,
)
from emcore.synthetic import make_gallery, simulate

COV_TYPES = ("full", "tied", "diag", "spherical")


@pytest.mark.parametrize(
    ("n", "percent", "expected"),
    [
        (500, 5, 25),  # 25 exactly
        (50, 5, 3),  # 2.5 rounds up
        (30, 5, 2),  # 1.5 rounds up
        (70, 5, 4),  # 3.5 rounds up
        (333, 5, 17),  # 16.65
        (110, 5, 6),  # 5.5
        (108, 5, 5),  # 5.4
        (375, 9.2, 35),  # 34.5, which float arithmetic makes 34.49999999999999
        (10, 1, 1),  # 0.1: at least one
        (100, 0.5, 1),  # 0.5 rounds up
        (100, 50, 50),
    ],
)
def test_n_flagged_rounds_half_up_and_flags_at_least_one(n, percent, expected):
    assert n_flagged(n, percent) == expected
    scores = np.random.default_rng(n).normal(size=n)
    assert flag_anomalies(scores, percent).flags.sum() == expected


@pytest.mark.parametrize("percent", [0, -1, 50.5, 100, math.nan, math.inf, "5", None])
def test_percent_outside_zero_to_fifty_is_refused(percent):
    with pytest.raises(
        ValueError, match=r"percent must be (in \(0\.0, 50\.0\]|a real)"
    ):
        flag_anomalies([0.0, 1.0], percent)
    with pytest.raises(ValueError, match="percent"):
        n_flagged(10, percent)


@pytest.mark.parametrize(
    "scores", [[], [[1.0, 2.0]], [1.0, math.nan], [1.0, math.inf], ["a", "b"]]
)
def test_bad_log_densities_are_refused(scores):
    with pytest.raises(ValueError, match="log_density"):
        flag_anomalies(scores, 5)


def test_lowest_densities_are_flagged_and_the_threshold_separates_them():
    rng = np.random.default_rng(0)
    scores = rng.normal(size=200)
    found = flag_anomalies(scores, 10)
    assert found.n_flagged == 20 and found.percent == 10.0
    assert scores[found.flags].max() == found.threshold
    assert scores[~found.flags].min() > found.threshold
    assert set(np.flatnonzero(found.flags)) == set(np.argsort(scores)[:20])
    assert found.level == pytest.approx(math.exp(found.threshold), rel=1e-15)


def test_ties_are_flagged_in_the_order_of_the_points():
    scores = np.array([-1.0, -5.0, -3.0, -5.0, -5.0, 0.0, -5.0, -2.0, -4.0, -1.5])
    # 2 of the four points at -5 are flagged: the first two
    found = flag_anomalies(scores, 20)
    assert np.flatnonzero(found.flags).tolist() == [1, 3]
    assert found.threshold == -5.0
    # -inf (a point the mixture gives no density) comes first
    scores[9] = -math.inf
    assert np.flatnonzero(flag_anomalies(scores, 10).flags).tolist() == [9]


def test_anomaly_five_percent_of_a_fitted_model():
    X, _ = simulate(500, 3, 0.2, 1)
    gm = GaussianMixture(3, random_state=0).fit(X)
    found = flag_anomalies(gm.score_samples(X), 5)
    assert found.flags.sum() == 25 == round(0.05 * 500)
    # the contour at the level passes through the last flagged point
    last = np.flatnonzero(found.flags)[np.argmax(gm.score_samples(X)[found.flags])]
    at_last = mixture_density(
        X[last : last + 1], gm.weights_, gm.means_, gm.covariances_, "full"
    )
    assert at_last.total[0] == pytest.approx(contour_level(found.threshold), rel=1e-9)


def test_planted_outliers_are_mostly_caught():
    data = make_gallery("outliers", 500, 1)
    gm = GaussianMixture(3, n_init=4, random_state=1, tol=1e-4).fit(data.X)
    found = flag_anomalies(gm.score_samples(data.X), 5)
    score = anomaly_scores(found.flags, data.outliers)
    assert score.n_flagged == 25 and score.n_planted == 25
    assert score.precision == score.n_caught / 25 == score.recall
    # some outliers fall inside the clusters: no method catches those
    assert 0.6 < score.recall < 1.0


def test_precision_and_recall_by_hand():
    flags = np.array([True, True, True, False, False, False])
    planted = np.array([True, False, False, True, False, False])
    score = anomaly_scores(flags, planted)
    assert (score.n_flagged, score.n_planted, score.n_caught) == (3, 2, 1)
    assert score.precision == pytest.approx(1 / 3) and score.recall == 0.5
    none = anomaly_scores(flags, np.zeros(6, dtype=bool))
    assert none.n_caught == 0 and math.isnan(none.recall) and none.precision == 0.0


def test_anomaly_scores_check_their_masks():
    with pytest.raises(ValueError, match="flags must be a 1-D array of booleans"):
        anomaly_scores([1, 0], [True, False])
    with pytest.raises(ValueError, match=r"planted must have shape \(2,\)"):
        anomaly_scores([True, False], [True, False, True])


def test_contour_level():
    assert contour_level(0.0) == 1.0
    assert contour_level(-math.inf) == 0.0
    assert contour_level(math.log(0.25)) == pytest.approx(0.25, rel=1e-15)
    with pytest.raises(ValueError, match="threshold"):
        contour_level(math.nan)


# --- the mixture's density ------------------------------------------------------


@pytest.mark.parametrize("cov", COV_TYPES)
@pytest.mark.parametrize("d", [1, 2])
def test_mixture_density_matches_scikit_learn(cov, d):
    X, _ = simulate(300, 3, 0.3, 2, n_features=d)
    sk = SkGaussianMixture(3, covariance_type=cov, random_state=0).fit(X)
    grid = np.random.default_rng(1).uniform(-10, 10, (50, d))
    dens = mixture_density(grid, sk.weights_, sk.means_, sk.covariances_, cov)
    assert dens.components.shape == (50, 3) and dens.total.shape == (50,)
    np.testing.assert_allclose(dens.total, np.exp(sk.score_samples(grid)), rtol=1e-10)
    np.testing.assert_allclose(
        dens.components / dens.total[:, None], sk.predict_proba(grid), atol=1e-10
    )


def test_one_dimensional_density_integrates_to_the_weights():
    weights, means, variances = [0.3, 0.7], [[-2.0], [3.0]], [0.5, 2.0]
    grid = np.linspace(-30.0, 30.0, 20001)
    dens = mixture_density(grid, weights, means, variances, "spherical")
    step = grid[1] - grid[0]
    np.testing.assert_allclose(dens.components.sum(axis=0) * step, weights, rtol=1e-9)
    assert dens.total.sum() * step == pytest.approx(1.0, rel=1e-9)
    # a 1-D grid equals the same points as a column
    column = mixture_density(grid[:, None], weights, means, variances, "spherical")
    np.testing.assert_array_equal(column.total, dens.total)


def test_a_zero_weight_gives_a_zero_density_quietly():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dens = mixture_density(
            [0.0, 1.0], [0.0, 1.0], [[0.0], [1.0]], [[1.0], [1.0]], "diag"
        )
    assert np.all(dens.components[:, 0] == 0.0)


@pytest.mark.parametrize(
    ("points", "weights", "means", "covs", "match"),
    [
        ([0.0], [1.0], [[0.0, 0.0]], [1.0], r"points must have shape \(n_points, 2\)"),
        ([[0.0]], [0.5], [[0.0], [1.0]], [1.0, 1.0], "weights must be 2"),
        ([[0.0]], [1.0], [0.0], [1.0], r"means must have shape \(K, d\)"),
        ([[0.0]], [1.0], [[0.0]], [[1.0, 1.0]], "spherical"),
        ([[math.nan]], [1.0], [[0.0]], [1.0], "finite"),
    ],
)
def test_mixture_density_checks_its_arguments(points, weights, means, covs, match):
    with pytest.raises(ValueError, match=match):
        mixture_density(points, weights, means, covs, "spherical")
