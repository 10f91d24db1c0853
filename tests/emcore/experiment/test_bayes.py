"""emcore.experiment's ``model='bayes'``: the watched fit as variational
Bayes, the sweep left to EM."""

from __future__ import annotations

import numpy as np
import pytest

from emcore import BayesianGaussianMixture
from emcore.experiment import active_components, check_settings, iterate, run
from emcore.experiment.settings import COVARIANCE_TYPES, REG_COVAR, fit_rng

TWO_CLUSTERS = {"k": 6, "k_true": 2, "n": 300, "overlap": 0, "seed": 1}


def _frames_and_result(**settings):
    frames, result = [], None
    for event in iterate(**settings):
        if event.kind in ("init", "em"):
            frames.append(event)
        elif event.kind == "done":
            result = event.result
    return frames, result


@pytest.mark.parametrize("cov", ["full", "tied", "diag", "spherical"])
def test_the_frames_are_the_estimators_own_iterations(cov):
    settings = {**TWO_CLUSTERS, "cov": cov, "model": "bayes"}
    frames, result = _frames_and_result(**settings)
    X = result.X
    bgm = BayesianGaussianMixture(
        n_components=6,
        covariance_type=cov,
        tol=1e-4 * len(X),  # the page's tol is per point, VB's a total
        reg_covar=REG_COVAR,
        init_params="k-means++",
        random_state=fit_rng(1, 6, COVARIANCE_TYPES.index(cov)),
    ).fit(X)
    assert [f.iteration for f in frames] == list(range(bgm.n_iter_ + 1))
    assert {f.start for f in frames} == {0} and frames[0].n_starts == 1
    np.testing.assert_allclose(frames[-1].weights, bgm.weights_)
    np.testing.assert_allclose(result.weights, bgm.weights_)
    np.testing.assert_allclose(result.means, bgm.means_)
    np.testing.assert_array_equal(result.labels_pred, bgm.predict(X))
    elbo = np.array([f.loglik_mean for f in frames[1:]])
    np.testing.assert_allclose(elbo * len(X), bgm.lower_bounds_)
    assert result.trace == tuple(elbo)
    assert result.iterations == bgm.n_iter_ and len(result.starts) == 1


def test_unneeded_components_die_away_on_two_separated_clusters():
    frames, result = _frames_and_result(**TWO_CLUSTERS, model="bayes")
    in_use = [active_components(f.weights) for f in frames]
    assert in_use[0] == 6 and in_use[-1] <= 3
    assert active_components(result.weights) <= 3
    em = run(**TWO_CLUSTERS)
    assert active_components(em.weights) == 6  # EM has no prior to empty any


def test_the_sweep_and_its_scores_stay_em():
    em = run(**TWO_CLUSTERS)
    bayes = run(**TWO_CLUSTERS, model="bayes")
    assert bayes.comparison == em.comparison and bayes.picks == em.picks
    assert (bayes.loglik, bayes.bic, bayes.params) == (em.loglik, em.bic, em.params)
    assert bayes.settings == {**em.settings, "model": "bayes", "concentration": None}


def test_a_larger_concentration_prior_keeps_more_weight_on_spare_components():
    small = run(**TWO_CLUSTERS, model="bayes", concentration=0.001)
    large = run(**TWO_CLUSTERS, model="bayes", concentration=1000.0)
    spare_small = np.sort(small.weights)[:-2].sum()
    spare_large = np.sort(large.weights)[:-2].sum()
    assert spare_large > spare_small


def test_em_settings_are_recorded_as_before():
    clean = check_settings(k=3, model="em")
    assert "model" not in clean and "concentration" not in clean


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"model": "gibbs"}, "model"),
        ({"concentration": 0.1}, "concentration is a prior of model='bayes'"),
        ({"model": "bayes", "concentration": 0.0}, "concentration"),
        ({"model": "bayes", "temperature": 0.5}, "temperature must be 1"),
        ({"model": "bayes", "init": "whitened"}, "init='whitened'"),
    ],
)
def test_bad_bayes_settings_are_named(settings, message):
    with pytest.raises(ValueError, match=message):
        check_settings(**settings)
