"""Results must not depend on the CPU's BLAS kernel.

Blocked GEMM kernels pad and reorder their products differently per CPU, so an
``inf`` or ``NaN`` entering a matrix product gives NaN on some CPUs and not on
others (``-inf * 0``). emcore keeps every BLAS input finite; these cases once
broke that. ``build.py test`` runs this file (and the other numeric tests) a
second time under another OpenBLAS kernel, chosen by ``OPENBLAS_CORETYPE``.
"""

import os
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emcore import (
    GaussianMixture,
    densities,
    e_step,
    em_steps,
    logsumexp,
    m_step,
)
from emcore.kernels.moments import MomentWorkspace

COV_TYPES = ("full", "tied", "diag", "spherical")

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")


def test_the_requested_openblas_kernel_is_the_one_running(openblas_kernels):
    kernels = openblas_kernels
    numpy_kernel = next((k for lib, k in kernels.items() if "64_" in lib), None)
    print(f"OpenBLAS kernels in use: {kernels}")
    assert numpy_kernel, f"numpy's OpenBLAS not found among {kernels}"
    wanted = os.environ.get("OPENBLAS_CORETYPE")
    if wanted:
        # OpenBLAS runs some requested cores on a sibling's kernels
        same = {"zen": {"zen", "haswell"}, "prescott": {"prescott", "katmai"}}
        allowed = same.get(wanted.lower(), {wanted.lower()})
        assert numpy_kernel.lower() in allowed, (wanted, kernels)


def _unit_precisions(cov, k, d, scale=1.0):
    shape = {
        "full": (k, d, d),
        "tied": (d, d),
        "diag": (k, d),
        "spherical": (k,),
    }[cov]
    if cov in ("full", "tied"):
        return np.broadcast_to(scale * np.eye(d), shape).copy()
    return np.full(shape, scale)


def _direct_log_resp(X, weights, means, prec_chol, cov):
    # differences first, no expanded moments: the reference
    weighted = densities.estimate_weighted_log_prob(X, weights, means, prec_chol, cov)
    log_norm = logsumexp(weighted, axis=1)
    return log_norm, weighted - log_norm[:, np.newaxis]


@pytest.mark.parametrize("cov", COV_TYPES)
def test_zero_weight_component_gets_exactly_zero_responsibility(cov):
    rng = np.random.default_rng(7)
    X = rng.normal(size=(257, 3))  # odd sizes leave partial GEMM blocks
    weights = np.array([0.6, 0.0, 0.4, 0.0])
    means = rng.normal(size=(4, 3))
    prec = _unit_precisions(cov, 4, 3)
    mean_ll, log_resp = e_step(X, weights, means, prec, cov)
    log_norm, expected = _direct_log_resp(X, weights, means, prec, cov)
    assert mean_ll == pytest.approx(log_norm.mean(), rel=1e-12)
    assert np.all(log_resp[:, [1, 3]] == -np.inf)
    np.testing.assert_allclose(log_resp[:, [0, 2]], expected[:, [0, 2]], atol=1e-10)
    frames = list(em_steps(X, weights, means, prec, cov, max_iter=5))
    for frame in frames:
        assert np.isfinite(frame.log_likelihood)
        assert np.all(np.isfinite(frame.means))
        assert np.all(frame.weights[[1, 3]] < 1e-12)


@pytest.mark.parametrize("cov", COV_TYPES)
def test_zero_weight_start_fits_without_nan(cov):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(101, 2))
    gm = GaussianMixture(
        3,
        covariance_type=cov,
        weights_init=[0.5, 0.5, 0.0],
        means_init=[[-1.0, 0.0], [1.0, 0.0], [0.0, 3.0]],
        on_singular="regularize",
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # convergence is not asked
        gm.fit(X)
    for name in ("weights_", "means_", "covariances_", "precisions_cholesky_"):
        assert np.all(np.isfinite(getattr(gm, name))), name
    assert np.isfinite(gm.score(X))
    proba = gm.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


@given(
    weights=st.lists(
        st.sampled_from([0.0, 1e-300, 1e-8, 0.3, 1.0]), min_size=1, max_size=5
    ).filter(lambda w: sum(w) > 0),
    cov=st.sampled_from(COV_TYPES),
    seed=st.integers(0, 2**16),
)
@settings(max_examples=60, deadline=None)
def test_kernel_coefficients_are_always_finite(weights, cov, seed):
    # what goes into the E-step's matrix product: finite whatever the weights
    rng = np.random.default_rng(seed)
    k, d = len(weights), 2
    X = rng.normal(size=(40, d))
    work = MomentWorkspace(X, cov)
    coef, absent = work._coefficients(
        np.array(weights), rng.normal(size=(k, d)), _unit_precisions(cov, k, d)
    )
    assert np.all(np.isfinite(coef))
    assert np.array_equal(absent is not None and absent, np.array(weights) == 0) or (
        absent is None and all(w > 0 for w in weights)
    )


@pytest.mark.parametrize("cov", COV_TYPES)
def test_collapsed_component_far_from_the_centre_stays_exact(cov):
    # a component sitting on one point far away: a huge precision, where
    # expanded quadratic forms would be rounding noise
    rng = np.random.default_rng(11)
    X = np.vstack([rng.normal(size=(80, 2)), np.full((6, 2), 40.0)])
    resp = np.zeros((86, 2))
    resp[:80, 0] = 1.0
    resp[80:, 1] = 1.0
    weights, means, covariances, prec, _ = m_step(X, resp, cov, 1e-9)
    np.testing.assert_allclose(means[1], [40.0, 40.0], rtol=1e-14)
    if cov in ("diag", "spherical"):
        np.testing.assert_allclose(np.ravel(covariances[1]), 1e-9, rtol=1e-6)
    mean_ll, log_resp = e_step(X, weights, means, prec, cov)
    log_norm, expected = _direct_log_resp(X, weights, means, prec, cov)
    assert mean_ll == pytest.approx(log_norm.mean(), rel=1e-9)
    np.testing.assert_allclose(np.exp(log_resp), np.exp(expected), atol=1e-9)


@pytest.mark.parametrize("cov", COV_TYPES)
@pytest.mark.parametrize("offset", [1e6, -3e8])
def test_far_from_the_origin_matches_the_direct_densities(cov, offset):
    rng = np.random.default_rng(12)
    X = np.vstack([rng.normal(size=(90, 2)), rng.normal(size=(90, 2)) + 6.0]) + offset
    weights = np.array([0.5, 0.5])
    means = np.array([[0.0, 0.0], [6.0, 6.0]]) + offset
    prec = _unit_precisions(cov, 2, 2)
    mean_ll, log_resp = e_step(X, weights, means, prec, cov)
    log_norm, expected = _direct_log_resp(
        X - offset, weights, means - offset, prec, cov
    )
    assert mean_ll == pytest.approx(log_norm.mean(), rel=1e-9)
    np.testing.assert_allclose(np.exp(log_resp), np.exp(expected), atol=1e-9)
    gm = GaussianMixture(2, covariance_type=cov, random_state=0, tol=1e-8).fit(X)
    shifted = GaussianMixture(2, covariance_type=cov, random_state=0, tol=1e-8)
    shifted.fit(X - offset)
    assert gm.lower_bound_ == pytest.approx(shifted.lower_bound_, abs=1e-6)
