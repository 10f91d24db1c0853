"""Tests for simapp.charts.palette."""

from __future__ import annotations

import numpy as np
import pytest
from simapp.charts.palette import (
    CLASS_MARKERS,
    HEX,
    MAX_COMPONENTS,
    NEUTRAL_RGB,
    RGB,
    blend,
    class_style,
    colour_mapping,
    component_colors,
    nearest,
    permute,
    rgb_to_css,
)


def _contrast_on_white(rgb: np.ndarray) -> float:
    """WCAG 2 contrast ratio of an sRGB colour against white."""
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    lum = float(lin @ np.array([0.2126, 0.7152, 0.0722]))
    return 1.05 / (lum + 0.05)


def test_palette_has_eight_distinct_colours_visible_on_white():
    assert MAX_COMPONENTS == 8 == len(set(HEX)) == RGB.shape[0]
    for rgb in RGB:
        # Pure yellow (#f0e442) scores ~1.3 and would fail; 2.0 keeps points visible.
        assert _contrast_on_white(rgb) >= 2.0
    # Pairwise distinct enough to tell apart (Euclidean sRGB distance).
    d = np.linalg.norm(RGB[:, None, :] - RGB[None, :, :], axis=-1)
    assert d[~np.eye(len(RGB), dtype=bool)].min() > 0.15


def test_css_strings_round_trip_to_rgb():
    for i, h in enumerate(HEX):
        assert rgb_to_css(RGB[i]) == h
    half = rgb_to_css(RGB[0], 0.5)
    assert half.startswith("rgba(") and half.endswith("0.5)")


def test_one_hot_responsibilities_give_exact_palette_colours():
    resp = np.eye(5)
    out = blend(resp)
    assert out.dtype == np.uint8 and out.shape == (5, 3)
    np.testing.assert_array_equal(out, np.rint(RGB[:5] * 255).astype(np.uint8))


def test_seventy_thirty_point_is_seventy_thirty_mix():
    out = blend(np.array([[0.7, 0.3]])).astype(float)[0]
    expected = (0.7 * RGB[0] + 0.3 * RGB[1]) * 255
    np.testing.assert_allclose(out, expected, atol=0.5 + 1e-9)


@pytest.mark.parametrize("seed", range(5))
def test_blend_rows_are_convex_combinations(seed):
    rng = np.random.default_rng(seed)
    k = int(rng.integers(2, 9))
    n = 400
    raw = rng.gamma(0.3, size=(n, k)) * rng.uniform(0.1, 10, size=(n, 1))
    colors = rng.uniform(size=(k, 3))
    out = blend(raw, colors).astype(float) / 255
    w = raw / raw.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(out, w @ colors, atol=0.5 / 255 + 1e-12)
    # Each channel lies between the extremes of the colours actually used.
    used = w > 0
    lo = np.where(used[:, :, None], colors[None], np.inf).min(axis=1)
    hi = np.where(used[:, :, None], colors[None], -np.inf).max(axis=1)
    assert np.all(out >= lo - 0.5 / 255) and np.all(out <= hi + 0.5 / 255)


def test_unusable_rows_become_neutral_grey():
    resp = np.array([[0.0, 0.0], [np.nan, np.nan], [np.inf, 1.0], [1.0, 0.0]])
    out = blend(resp)
    grey = np.rint(NEUTRAL_RGB * 255).astype(np.uint8)
    np.testing.assert_array_equal(out[0], grey)
    np.testing.assert_array_equal(out[1], grey)
    np.testing.assert_array_equal(out[2], np.rint(RGB[1] * 255).astype(np.uint8))
    np.testing.assert_array_equal(out[3], np.rint(RGB[0] * 255).astype(np.uint8))


def test_blend_rejects_bad_shapes():
    with pytest.raises(ValueError):
        blend(np.ones(3))
    with pytest.raises(ValueError):
        blend(np.ones((4, 3)), np.ones((2, 3)))


def test_permute_and_mapping_follow_true_clusters():
    rng = np.random.default_rng(0)
    order = rng.permutation(6)
    np.testing.assert_array_equal(permute(order), RGB[order])
    # Component j matched to cluster order[j] gets that cluster's colour.
    np.testing.assert_array_equal(component_colors(6, order), RGB[order])
    with pytest.raises(ValueError):
        permute([0, 0])
    with pytest.raises(ValueError):
        permute([8])


def test_unmatched_components_get_distinct_unused_colours():
    cols = component_colors(5, [2, -1, 2, 0, 99])
    np.testing.assert_array_equal(cols[0], RGB[2])
    np.testing.assert_array_equal(cols[3], RGB[0])
    assert len({tuple(c) for c in cols}) == 5
    assert component_colors(3).tolist() == RGB[:3].tolist()


@pytest.mark.parametrize("seed", range(4))
def test_colour_mapping_follows_the_true_clusters(seed):
    rng = np.random.default_rng(seed)
    k = 4
    truth = rng.integers(0, k, size=200)
    order = rng.permutation(k)  # component j holds true cluster order[j]
    resp = np.eye(k)[np.argsort(order)[truth]]
    np.testing.assert_array_equal(colour_mapping(resp, truth, k, k), order)
    # without truth (or without responsibilities): the identity
    np.testing.assert_array_equal(colour_mapping(resp, None, None, k), np.arange(k))
    np.testing.assert_array_equal(colour_mapping(None, truth, k, k), np.arange(k))


def test_nearest_names_slightly_off_colours():
    rng = np.random.default_rng(1)
    drawn = RGB[[3, 1, 7]] + rng.uniform(-0.02, 0.02, size=(3, 3))
    assert nearest(drawn).tolist() == [3, 1, 7]


def test_classes_beyond_the_palette_cycle_colours_with_other_markers():
    styles = [class_style(j) for j in range(40)]
    assert styles[:8] == [(h, "square") for h in HEX]
    assert len(set(styles[:32])) == 32  # colour or shape tells them apart
    assert styles[32] == styles[0]  # then they repeat
    assert {marker for _, marker in styles} == set(CLASS_MARKERS)
    with pytest.raises(ValueError, match="j=-1"):
        class_style(-1)
