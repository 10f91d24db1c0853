"""simapp.data.fitsize: the stated limits of a fit, checked before it starts."""

from __future__ import annotations

import numpy as np
import pytest
from simapp.data.cells import DataError
from simapp.data.fitsize import (
    MAX_FIT_COLUMNS,
    MAX_FIT_VALUES,
    check_fit_size,
    fit_values,
    moment_features,
)

from emcore.kernels.moments import MomentWorkspace

COV_TYPES = ("full", "tied", "diag", "spherical")


@pytest.mark.parametrize("cov", COV_TYPES)
@pytest.mark.parametrize("d", [1, 2, 5, 13])
def test_features_are_those_emcore_prepares(cov, d):
    X = np.random.default_rng(d).normal(size=(7, d))
    assert moment_features(d, cov) == MomentWorkspace(X, cov).phi.shape[1]


def test_the_comparison_counts_both_kinds():
    assert fit_values(10, 3, "diag", compare=True) == 10 * (10 + 7)
    assert fit_values(10, 3, "diag") == 70


@pytest.mark.parametrize("cov", COV_TYPES)
def test_the_page_own_sizes_fit(cov):
    # the largest table (200,000 rows of two columns), Iris with every column
    check_fit_size(200_000, 2, cov, compare=True)
    check_fit_size(150, 4, cov, compare=True)
    check_fit_size(300, MAX_FIT_COLUMNS, cov, compare=True)


@pytest.mark.parametrize("cov", COV_TYPES)
def test_a_thousand_columns_are_refused_naming_the_limit_and_the_way_out(cov):
    with pytest.raises(DataError) as info:
        check_fit_size(300, 1000, cov)
    text = str(info.value)
    assert "1,000 columns" in text and f"at most {MAX_FIT_COLUMNS}" in text
    assert "Columns to fit" in text and "principal components" in text


def test_too_many_values_are_refused_with_what_to_change():
    with pytest.raises(DataError) as info:
        check_fit_size(200_000, 8, "full", compare=True)
    text = str(info.value)
    assert f"{MAX_FIT_VALUES / 1e6:g} million" in text
    assert "fewer columns" in text and "diag or spherical" in text
    assert "no comparison" in text
    # the same table fits with diagonal covariances alone
    check_fit_size(200_000, 8, "diag")


@pytest.mark.parametrize(
    ("args", "message"),
    [((-1, "full"), "n_columns=-1"), ((2, "round"), "covariance_type='round'")],
)
def test_bad_arguments_are_named(args, message):
    with pytest.raises(ValueError, match=message):
        moment_features(*args)
