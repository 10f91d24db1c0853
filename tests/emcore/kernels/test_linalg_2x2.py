"""emcore.kernels.linalg's closed forms for d = 2 against LAPACK (numpy.linalg)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from emcore import GaussianMixture
from emcore.kernels.linalg import (
    precision_cholesky_2x2,
    smallest_eigenvalue_2x2,
    smallest_eigenvalues,
)

EPS = float(np.finfo(np.float64).eps)
scales = st.floats(-200, 200).map(lambda e: 10.0**e)
# products of two of these stay finite, as LAPACK's own arithmetic needs
moderate = st.floats(-100, 100).map(lambda e: 10.0**e)


@given(a=moderate, c=moderate, r=st.floats(-1, 1))
def test_the_smaller_eigenvalue_is_lapacks_to_rounding(a, c, r):
    b = r * math.sqrt(a * c)  # positive semi-definite
    m = np.array([[a, b], [b, c]])
    want = np.linalg.eigvalsh(m)[0]
    got = smallest_eigenvalue_2x2(a, b, c)
    # backward stable, as LAPACK: within eps of the largest eigenvalue
    assert abs(got - want) <= 8 * EPS * max(a, c)
    assert smallest_eigenvalues(m[np.newaxis])[0] == got


@given(small=scales, big=scales)
def test_a_thin_covariance_keeps_its_small_eigenvalue(small, big):
    # the textbook (a + c) / 2 - hypot((a - c) / 2, b) gives 0 here once
    # big / small exceeds 1 / eps; a thin covariance is not a singular one
    got = smallest_eigenvalue_2x2(small, 0.0, big)
    assert got == pytest.approx(min(small, big), rel=4 * EPS)
    assert smallest_eigenvalue_2x2(big, 1e-30 * min(small, big), small) > 0


def test_indefinite_and_nan_inputs():
    assert smallest_eigenvalue_2x2(-1.0, 0.0, 3.0) == -1.0
    assert smallest_eigenvalue_2x2(0.0, 1.0, 0.0) == -1.0
    assert math.isnan(smallest_eigenvalue_2x2(math.nan, 0.0, 1.0))


@given(a=st.floats(1e-6, 1e6), c=st.floats(1e-6, 1e6), r=st.floats(-0.99, 0.99))
def test_the_precision_factor_is_lapacks(a, c, r):
    b = r * math.sqrt(a * c)
    m = np.array([[a, b], [b, c]])
    prec, failed = precision_cholesky_2x2(m[np.newaxis])
    assert failed == []
    want = np.linalg.inv(np.linalg.cholesky(m)).T
    np.testing.assert_allclose(prec[0], want, rtol=1e-9, atol=1e-12 * abs(want).max())


@pytest.mark.parametrize(
    "bad",
    [
        [[1.0, 1.0], [1.0, 1.0]],  # singular: the pivot is exactly 0
        [[4.0, 2.0], [2.0, 1.0]],
        [[1.0, 0.0], [0.0, 0.0]],
        [[-1.0, 0.0], [0.0, 1.0]],  # indefinite
        [[1.0, 2.0], [2.0, 1.0]],
    ],
)
def test_the_closed_form_fails_where_lapack_fails(bad):
    with pytest.raises(np.linalg.LinAlgError):
        np.linalg.cholesky(np.array(bad))
    stack = np.array([np.eye(2), bad, 2.0 * np.eye(2)])
    prec, failed = precision_cholesky_2x2(stack)
    assert failed == [1]
    np.testing.assert_array_equal(prec[1], 0.0)
    np.testing.assert_array_equal(prec[2], np.eye(2) / math.sqrt(2.0))


@pytest.mark.parametrize("x0", [1e-8, 5.45046794e-63])
def test_regularize_fixes_a_pair_of_points_on_wildly_different_scales(x0):
    # found by hypothesis: the regularising ridge grew forever (then raised)
    # because the closed form called every thin covariance singular
    X = np.array([[x0, 1.23395867e-139], [0.0, 0.0]])
    gm = GaussianMixture(
        1,
        covariance_type="full",
        init_params="k-means++",
        random_state=0,
        reg_covar=0.0,
        on_singular="regularize",
        max_iter=30,
    ).fit(X)
    assert gm.regularized_ == (0,)
    assert np.all(np.isfinite(gm.score_samples(X)))
