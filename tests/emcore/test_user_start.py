"""A start the user gives (the page's dragged means0): ``means_init``, and
optionally ``weights_init`` and ``precisions_init``, for every covariance
type, through ``fit``, ``fit_steps`` and the functional ``em_steps``."""

import re
import warnings

import numpy as np
import pytest

from emcore import GaussianMixture, em_steps, logsumexp
from emcore.densities import compute_precision_cholesky, estimate_weighted_log_prob
from emcore.synthetic import simulate

COV_TYPES = ("full", "tied", "diag", "spherical")
MEANS0 = np.array([[-4.0, 1.0], [0.5, -3.0], [4.0, 2.5]])


def precisions(cov, k=3, d=2):
    """Positive-definite precisions in each type's shape."""
    rng = np.random.default_rng(5)
    a = rng.normal(size=(k, d, d))
    full = np.einsum("kij,klj->kil", a, a) + np.eye(d)
    return {
        "full": full,
        "tied": full[0],
        "diag": np.diagonal(full, axis1=1, axis2=2).copy(),
        "spherical": full[:, 0, 0].copy(),
    }[cov]


def first_snapshot(gm, X):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        events = [snap for _, snap in gm.fit_steps(X, include_initial=True)]
    return events[0], events[1]


@pytest.mark.parametrize("cov", COV_TYPES)
def test_iteration_zero_is_the_given_means(cov):
    X, _ = simulate(300, 3, 0.3, 1)
    gm = GaussianMixture(3, covariance_type=cov, means_init=MEANS0, random_state=0)
    initial, first = first_snapshot(gm, X)
    assert initial.iteration == 0
    np.testing.assert_array_equal(initial.means, MEANS0)
    # EM moves on from them
    assert first.iteration == 1 and not np.array_equal(first.means, MEANS0)


@pytest.mark.parametrize("cov", COV_TYPES)
def test_a_whole_start_is_used_as_given_without_randomness(cov):
    X, _ = simulate(300, 3, 0.3, 2)
    weights0 = np.array([0.2, 0.3, 0.5])
    start = dict(
        weights_init=weights0, means_init=MEANS0, precisions_init=precisions(cov)
    )
    runs = []
    for seed in (0, 1):
        gm = GaussianMixture(
            3, covariance_type=cov, n_init=2, random_state=seed, **start
        )
        initial, _ = first_snapshot(gm, X)
        np.testing.assert_array_equal(initial.weights, weights0)
        np.testing.assert_array_equal(initial.means, MEANS0)
        expected = compute_precision_cholesky(
            np.linalg.inv(precisions(cov))
            if cov in ("full", "tied")
            else 1.0 / precisions(cov),
            cov,
        )
        np.testing.assert_allclose(initial.precisions_cholesky, expected, rtol=1e-10)
        runs.append(gm)
    # the seed plays no part, and every start is the same
    np.testing.assert_array_equal(runs[0].means_, runs[1].means_)
    bounds = [s.lower_bound for s in runs[0].starts_]
    assert bounds[0] == bounds[1]


@pytest.mark.parametrize("cov", COV_TYPES)
def test_em_steps_start_from_the_given_parameters(cov):
    X, _ = simulate(300, 3, 0.3, 3)
    weights0 = np.array([0.2, 0.3, 0.5])
    prec_chol = compute_precision_cholesky(
        np.linalg.inv(precisions(cov))
        if cov in ("full", "tied")
        else 1.0 / precisions(cov),
        cov,
    )
    frames = list(em_steps(X, weights0, MEANS0, prec_chol, cov, max_iter=3))
    # the first E-step measures the given parameters
    given = logsumexp(
        estimate_weighted_log_prob(X, weights0, MEANS0, prec_chol, cov), axis=1
    )
    assert frames[0].log_likelihood == pytest.approx(given.mean(), rel=1e-12)


@pytest.mark.parametrize(
    ("means", "shape"), [(MEANS0[:2], "(2, 2)"), (MEANS0[:, :1], "(3, 1)")]
)
def test_a_wrong_shape_names_means_init_and_both_shapes(means, shape):
    X, _ = simulate(100, 3, 0.3, 1)
    message = f"means_init must have shape (3, 2); got shape {shape}"
    with pytest.raises(ValueError, match=re.escape(message)):
        GaussianMixture(3, means_init=means).fit(X)


def test_non_finite_means_are_refused():
    X, _ = simulate(100, 3, 0.3, 1)
    bad = MEANS0.copy()
    bad[1, 0] = np.nan
    with pytest.raises(ValueError, match="means_init must contain only finite"):
        GaussianMixture(3, means_init=bad).fit(X)
