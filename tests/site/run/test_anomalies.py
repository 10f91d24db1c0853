"""simapp.run.anomalies: the points of lowest fitted density of a run."""

from __future__ import annotations

import numpy as np
import pytest
from simapp.data import gallery
from simapp.run.anomalies import MAX_PERCENT, find_anomalies

from emcore.anomaly import mixture_density
from emcore.experiment import run, run_data


@pytest.fixture(scope="module")
def outliers_run():
    X, labels, names = gallery.load("outliers", 500, 1)
    result = run_data(X, labels, k=3, seed=1)
    return result, gallery.planted_outliers("outliers", labels, names)


@pytest.mark.parametrize("cov", ["full", "tied", "diag", "spherical"])
@pytest.mark.parametrize("percent", [1, 5, 20])
def test_the_lowest_density_points_are_flagged(cov, percent):
    result = run(k=3, n=400, seed=6, cov=cov, overlap=30)
    found = find_anomalies(result, percent)
    assert found.n_flagged == int(found.flags.sum()) == round(400 * percent / 100)
    # the fitted density, computed apart (emcore.anomaly's own evaluator)
    scores = mixture_density(
        result.X, result.weights, result.means, result.covariances, "full"
    ).total
    assert scores[found.flags].max() <= scores[~found.flags].min()
    np.testing.assert_allclose(found.level, scores[found.flags].max(), rtol=1e-9)


def test_zero_is_off():
    assert find_anomalies(run(k=2, n=100, seed=1), 0) is None


@pytest.mark.parametrize("percent", [-1, MAX_PERCENT + 1, 2.5, True, "5"])
def test_a_bad_percent_is_named(percent):
    with pytest.raises(ValueError, match="percent"):
        find_anomalies(run(k=2, n=100, seed=1), percent)


def test_planted_outliers_are_scored(outliers_run):
    result, planted = outliers_run
    found = find_anomalies(result, 5, planted)
    caught = int((found.flags & planted).sum())
    assert int(planted.sum()) == 25 and found.n_flagged == 25
    assert found.note.startswith(f"{caught} of the 25 planted outliers flagged")
    assert f"recall {caught / 25:.2f}" in found.note
    # most scattered points lie where the fitted clusters have little density
    assert caught >= 15


def test_without_planted_outliers_there_is_no_note():
    assert find_anomalies(run(k=2, n=100, seed=1), 5).note == ""
