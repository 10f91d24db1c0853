"""Tests for simapp.text.columns: the plane menu's options."""

from __future__ import annotations

from itertools import combinations

from simapp.text.columns import plot_options


def test_every_pair_of_fitted_columns_is_offered_once_with_its_titles():
    names = ("a", "b", "c", "d")
    titles = ("A (cm)", "B (cm)", "C (cm)", "D (cm)")
    options = plot_options(names, titles)
    assert [v for v, _ in options[:2]] == ["", "pca"]
    pairs = options[2:]
    assert [v for v, _ in pairs] == [f"{x},{y}" for x, y in combinations(names, 2)]
    assert ("b,d", "B (cm) by D (cm)") in pairs


def test_names_title_the_options_without_titles():
    assert plot_options(("x", "y", "z"))[-1] == ("y,z", "y by z")


def test_two_fitted_columns_offer_no_other_plane():
    # their plane is the chart's: no principal components, no other pair
    assert [v for v, _ in plot_options(("x", "y"), ("X", "Y"))] == [""]
