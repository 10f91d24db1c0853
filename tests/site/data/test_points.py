"""Tests for simapp.data.points: adding a clicked point to the data."""

from __future__ import annotations

import numpy as np
import pytest
from simapp.data.cells import DataError
from simapp.data.points import add_point


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
