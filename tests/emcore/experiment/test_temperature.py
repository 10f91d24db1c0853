"""emcore.experiment's ``temperature``: the watched fit's E-step temperature."""

from __future__ import annotations

import numpy as np
import pytest

import emcore
from emcore.experiment import check_settings, run


@pytest.mark.parametrize("cov", ["full", "tied", "diag", "spherical"])
def test_temperature_one_is_the_default_run_to_the_bit(cov):
    seed = int(np.random.default_rng(len(cov)).integers(0, 10_000))
    settings = {"k": 3, "n": 300, "overlap": 30, "cov": cov, "seed": seed}
    default = run(**settings)
    one = run(**settings, temperature=1.0)
    assert one.loglik == default.loglik and one.bic == default.bic
    assert one.trace == default.trace and one.iterations == default.iterations
    np.testing.assert_array_equal(one.means, default.means)
    np.testing.assert_array_equal(one.covariances, default.covariances)
    np.testing.assert_array_equal(one.resp, default.resp)
    assert one.settings == default.settings and "temperature" not in one.settings


def test_a_temperature_changes_only_the_watched_fit():
    settings = {"k": 3, "n": 300, "overlap": 40, "seed": 5}
    default = run(**settings)
    hot = run(**settings, temperature=2.5)
    assert hot.trace != default.trace
    # the sweep's other cells are EM's
    for i, k in enumerate(hot.sweep.ks):
        if k != 3:
            assert hot.sweep.bic[i] == default.sweep.bic[i], k
    assert hot.sweep.bic[hot.sweep.ks.index(3)] != default.sweep.bic[2]
    assert hot.settings["temperature"] == 2.5


@pytest.mark.parametrize("bad", [-0.1, 5.5, float("nan"), "1"])
def test_temperature_is_checked_by_name(bad):
    with pytest.raises(ValueError, match="temperature"):
        check_settings(temperature=bad)


def test_a_cold_e_step_with_equal_spherical_variances_is_kmeans_from_its_start():
    """EM at T = 0.01 with equal weights and one fixed spherical variance
    moves the means as Lloyd's k-means from the same k-means++ centres."""
    X, _ = emcore.simulate(600, 4, 0.3, random_state=11)
    K, seed = 4, 8
    centres = emcore.kmeans_plusplus(X, K, random_state=np.random.default_rng(seed))
    centres = centres[0] if isinstance(centres, tuple) else centres
    km_centres, km_labels = emcore.kmeans(
        X, K, random_state=np.random.default_rng(seed)
    )
    weights = np.full(K, 1.0 / K)
    prec_chol = np.full(K, 1.0)  # variance 1 for every component, never updated
    means = centres
    for _ in range(300):
        _, log_resp = emcore.e_step(
            X, weights, means, prec_chol, "spherical", temperature=0.01
        )
        resp = np.exp(log_resp)
        _, new_means, _, _, _ = emcore.m_step(X, resp, "spherical", 1e-6)
        if np.allclose(new_means, means, rtol=0, atol=1e-12):
            break
        means = new_means
    np.testing.assert_array_equal(np.argmax(resp, axis=1), km_labels)
    # T = 0.01 leaves samples on a border a sliver of the other component,
    # and k-means stops at its tolerance: the centres agree to 1e-3
    np.testing.assert_allclose(means, km_centres, atol=1e-3)
