"""Projections of d-column data and of fitted Gaussians onto the scatter."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from simapp.data import datasets
from simapp.data.projection import Projection, choose_projection

import emcore


def _random_data(seed: int, d: int, n: int = 200) -> np.ndarray:
    rng = np.random.default_rng(seed)
    mix = rng.normal(size=(d, d))
    return rng.normal(size=(n, d)) @ mix + rng.normal(size=d) * 5


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), d=st.integers(2, 6), pca=st.booleans())
def test_projected_sample_covariance_is_the_projected_covariance(seed, d, pca):
    X = _random_data(seed, d)
    proj = Projection.principal(X) if pca else Projection.pair(d, d - 1, 0)
    cov = np.cov(X, rowvar=False, bias=True)
    got = proj.covariances(cov[None])[0]
    want = np.cov(proj.points(X), rowvar=False, bias=True)
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-9 * np.abs(cov).max())
    np.testing.assert_allclose(
        proj.means(X.mean(axis=0)[None])[0],
        proj.points(X).mean(0),
        atol=1e-9 * (1 + np.abs(X).max()),
    )


@pytest.mark.parametrize("d", [2, 3, 4])
def test_principal_axes_are_ordered_uncorrelated_and_signed(d):
    X = _random_data(11, d, n=500)
    proj = Projection.principal(X)
    P = proj.points(X)
    c = np.cov(P, rowvar=False, bias=True)
    assert abs(c[0, 1]) < 1e-8 * c[0, 0]
    assert c[0, 0] >= c[1, 1]
    assert 0 < sum(proj.explained) <= 1 + 1e-12
    total = np.trace(np.cov(X, rowvar=False, bias=True))
    assert proj.explained[0] == pytest.approx(c[0, 0] / total)
    big = proj.matrix[np.argmax(np.abs(proj.matrix), axis=0), [0, 1]]
    assert np.all(big > 0)
    assert proj.labels[0].startswith("PC1 (")


def test_pair_keeps_units_and_names():
    X = _random_data(3, 4)
    proj = Projection.pair(4, 2, 1, ("a", "b", "c", "d"))
    np.testing.assert_array_equal(proj.points(X), X[:, [2, 1]])
    assert proj.labels == ("c", "b") and proj.kind == "pair"


@pytest.mark.parametrize("cov", ["full", "tied", "diag", "spherical"])
def test_fitted_ellipses_of_a_4d_fit_project_exactly(cov):
    X = _random_data(5, 4, n=400)
    gm = emcore.GaussianMixture(2, covariance_type=cov, random_state=0).fit(X)
    full = emcore.to_full_covariances(gm.covariances_, cov, 2, 4)
    proj = Projection.pair(4, 0, 3)
    np.testing.assert_allclose(proj.covariances(full), full[:, [0, 3]][:, :, [0, 3]])


@pytest.mark.parametrize(
    ("args", "message"),
    [((3, 0, 3), "second=3"), ((3, -1, 1), "first=-1"), ((3, 1, 1), "must differ")],
)
def test_bad_pairs_are_named(args, message):
    with pytest.raises(ValueError, match=message):
        Projection.pair(*args)


def test_principal_needs_two_columns():
    with pytest.raises(ValueError, match="at least 2 rows and 2 columns"):
        Projection.principal(np.ones((5, 1)))


# ------------------------------------------------------------------ plot=
IRIS_COLUMNS = ("sepal_length", "sepal_width", "petal_length", "petal_width")


@pytest.mark.parametrize("plot", ["", "pca", "petal_length,sepal_width", "4,1"])
def test_projection_follows_plot(plot):
    X, _, _, meta = datasets.load("iris", range(4))
    titles = tuple(meta.column_title(c) for c in IRIS_COLUMNS)
    proj, note = choose_projection(plot, X, IRIS_COLUMNS, titles)
    assert note == ""
    if plot in ("", "pca"):
        assert proj.kind == "pca" and proj.labels[0].startswith("PC1")
    else:
        assert proj.kind == "pair"
        first = 2 if plot.startswith("petal") else 3
        assert proj.labels[0] == titles[first]
        np.testing.assert_array_equal(proj.points(X)[:, 0], X[:, first])


def test_two_columns_are_drawn_as_they_are_and_bad_plots_fall_back():
    X = np.random.default_rng(0).normal(size=(20, 2))
    assert choose_projection("", X, ("x", "y")) == (None, "")
    assert choose_projection("x,y", X, ("x", "y")) == (None, "")
    assert choose_projection("y,x", X, ("x", "y"))[0].kind == "pair"
    proj, note = choose_projection("x,zz", np.c_[X, X[:, 0]], ("x", "y", "z"))
    assert proj.kind == "pca" and "is not a column" in note
