"""Tests for simapp.data.points: adding a clicked point to the data."""

from __future__ import annotations

import numpy as np
import pytest
from simapp.data.cells import DataError
from simapp.data.points import add_point, brush_points, erase_points


def test_add_point_without_labels():
    X, labels = add_point(None, None, 1.0, 2.0)
    assert X.tolist() == [[1.0, 2.0]] and labels is None
    X2, _ = add_point(X, None, 3, 4)
    assert X2.tolist() == [[1, 2], [3, 4]] and X.shape == (1, 2)  # input untouched
    with pytest.raises(DataError, match="no labels"):
        add_point(X, None, 0, 0, label=1)


def test_add_point_with_labels():
    X = np.array([[0.0, 0.0], [1.0, 1.0]])
    labels = np.array([0, 1])
    X2, l2 = add_point(X, labels, 5, 5, label=2)
    assert X2.shape == (3, 2) and l2.tolist() == [0, 1, 2] and l2.dtype == np.int64
    with pytest.raises(DataError, match="choose the class"):
        add_point(X, labels, 5, 5)
    with pytest.raises(DataError, match="non-negative integer"):
        add_point(X, labels, 5, 5, label=-1)
    # the first clicked point may start a labelled set
    _, l1 = add_point(None, None, 1, 1, label=0)
    assert l1.tolist() == [0]


def test_add_point_rejects_bad_input():
    with pytest.raises(DataError, match="not finite"):
        add_point(None, None, float("nan"), 0)
    with pytest.raises(DataError, match="already 2 points"):
        add_point(np.zeros((2, 2)), None, 0, 0, max_points=2)


def test_brush_points_spray_around_the_centre_reproducibly():
    def draw():
        return brush_points((3.0, -2.0), 2.0, 4000, np.random.default_rng(5))

    P = draw()
    assert P.shape == (4000, 2)
    np.testing.assert_array_equal(P, draw())  # the same seed, the same points
    # a normal cloud of standard deviation radius / 2 around the centre
    np.testing.assert_allclose(P.mean(axis=0), [3.0, -2.0], atol=0.08)
    np.testing.assert_allclose(P.std(axis=0), [1.0, 1.0], rtol=0.06)
    inside = np.hypot(P[:, 0] - 3.0, P[:, 1] + 2.0) <= 2.0
    assert 0.8 < inside.mean() < 0.9  # 1 - exp(-2) of a 2-D normal


@pytest.mark.parametrize(
    ("center", "radius", "match"),
    [((np.nan, 0.0), 1.0, "not a finite point"), ((0.0, 0.0), 0.0, "positive")],
)
def test_brush_and_eraser_refuse_bad_dabs(center, radius, match):
    rng = np.random.default_rng(0)
    with pytest.raises(DataError, match=match):
        brush_points(center, radius, 3, rng)
    with pytest.raises(DataError, match=match):
        erase_points(np.zeros((2, 2)), None, center, radius)
    with pytest.raises(ValueError, match="n must be"):
        brush_points((0.0, 0.0), 1.0, -1, rng)


def test_erase_points_removes_those_within_the_radius_with_their_labels():
    X = np.array([[0.0, 0.0], [0.6, 0.8], [1.0, 1.0], [-3.0, 0.0]])
    labels = np.array([0, 1, 2, 3])
    kept, kept_labels = erase_points(X, labels, (0.0, 0.0), 1.0)
    assert kept.tolist() == [[1.0, 1.0], [-3.0, 0.0]]  # (0.6, 0.8) is on the rim
    assert kept_labels.tolist() == [2, 3]
    assert erase_points(X, None, (9.0, 9.0), 1.0)[0].shape == (4, 2)
