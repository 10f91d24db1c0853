"""simapp.data.gallery: the gallery's data sets drawn as the page's datasets."""

from __future__ import annotations

import numpy as np
import pytest
from simapp.data import datasets, gallery

from emcore.synthetic import make_gallery


@pytest.mark.parametrize("name", gallery.NAMES)
def test_the_same_seed_and_n_draw_the_same_points(name):
    X, labels, names = gallery.load(name, 240, 17)
    again, labels_again, _ = gallery.load(name, 240, 17)
    np.testing.assert_array_equal(X, again)
    np.testing.assert_array_equal(labels, labels_again)
    assert X.shape == (240, 2) and labels.dtype == np.int64
    # every class has a name, and every name a point
    assert len(names) == int(labels.max()) + 1
    assert set(np.unique(labels)) == set(range(len(names)))


@pytest.mark.parametrize("name", gallery.NAMES)
def test_another_seed_draws_other_points(name):
    X, _, _ = gallery.load(name, 240, 17)
    other, _, _ = gallery.load(name, 240, 18)
    assert not np.array_equal(X, other)


def test_the_planted_outliers_are_one_more_class():
    _, labels, names = gallery.load("outliers", 500, 1)
    planted = make_gallery("outliers", 500, 1).outliers
    assert names[-1] == "outliers"
    np.testing.assert_array_equal(labels == len(names) - 1, planted)


def test_gallery_names_are_not_bundled_files():
    for name in gallery.NAMES:
        assert gallery.is_gallery(name) and name not in datasets.DATASETS
    assert not any(gallery.is_gallery(name) for name in datasets.names())


def test_an_unknown_name_is_named_with_the_gallery():
    with pytest.raises(ValueError, match="ring.*moons.*cigars"):
        gallery.load("rings", 200, 1)
