"""Tests for simapp.charts.raster: pixels appear exactly where points are."""

from __future__ import annotations

import numpy as np
import pytest
from simapp.charts.raster import render_points


def _grid_points(rng, n, width, height, margin, min_gap):
    """Well-separated points on the 1/4-pixel grid (phase centres), so the
    expected disc is exact without modelling sub-pixel snapping."""
    pts = []
    while len(pts) < n:
        p = np.floor(rng.uniform([margin, margin], [width - margin, height - margin]))
        p += (rng.integers(0, 4, size=2) + 0.5) / 4
        if all(np.hypot(*(p - q)) >= min_gap for q in pts):
            pts.append(p)
    return np.array(pts)


def _expected_hard(X, width, height, r):
    """Brute force: owner index of each pixel whose centre is within r."""
    yy, xx = np.mgrid[0:height, 0:width] + 0.5
    owner = np.full((height, width), -1)
    for i, (x, y) in enumerate(X):
        owner[np.hypot(xx - x, yy - y) <= r] = i
    return owner


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("radius", [1.0, 2.5, 3.3])
def test_hard_discs_cover_exactly_the_expected_pixels(seed, radius):
    rng = np.random.default_rng(seed)
    W, H = 90, 70
    X = _grid_points(rng, 25, W, H, margin=-3, min_gap=2 * radius + 2)
    rgb = rng.integers(1, 256, size=(len(X), 3), dtype=np.uint8)
    img = render_points(X, rgb, W, H, radius, antialias=False)
    assert img.shape == (H, W, 4) and img.dtype == np.uint8
    owner = _expected_hard(X, W, H, radius)
    lit = img[..., 3] > 0
    np.testing.assert_array_equal(lit, owner >= 0)
    np.testing.assert_array_equal(img[lit, :3], rgb[owner[lit]])
    assert np.all(img[lit, 3] == 255)
    assert not img[~lit].any()


def test_orientation_row_is_y_column_is_x():
    img = render_points(
        np.array([[10.5, 3.5]]),
        np.array([[200, 10, 20]], np.uint8),
        20,
        8,
        0.5,
        antialias=False,
    )
    ys, xs = np.nonzero(img[..., 3])
    assert ys.tolist() == [3] and xs.tolist() == [10]
    assert img[3, 10].tolist() == [200, 10, 20, 255]


@pytest.mark.parametrize("seed", range(3))
def test_antialiased_blobs_are_centred_on_the_points(seed):
    rng = np.random.default_rng(seed)
    W, H, r = 120, 80, 3.0
    X = rng.uniform([6, 6], [W - 6, H - 6], size=(12, 2))
    # Keep points apart so blobs do not touch.
    X = X[[all(np.hypot(*(p - q)) > 2 * r + 4 for q in X[:i]) for i, p in enumerate(X)]]
    rgb = np.full((len(X), 3), 255, np.uint8)
    img = render_points(X, rgb, W, H, r, alpha=1.0)
    a = img[..., 3].astype(float)
    yy, xx = np.mgrid[0:H, 0:W] + 0.5
    d = np.min([np.hypot(xx - x, yy - y) for x, y in X], axis=0)
    assert np.all(a[d > r + 1.2] == 0)  # nothing far from every point
    assert np.all(a[d < r - 1.0] == 255)  # solid interiors
    for x, y in X:
        near = np.hypot(xx - x, yy - y) < r + 1.5
        w = a * near
        cx, cy = (w * xx).sum() / w.sum(), (w * yy).sum() / w.sum()
        # Centres snap to a 1/4-px grid, so allow 1/8 px plus a little.
        assert abs(cx - x) < 0.2 and abs(cy - y) < 0.2


def test_points_off_canvas_are_clipped_and_non_finite_skipped():
    W, H, r = 30, 20, 2.0
    # Centres on the 1/4-px phase grid (x = i + (j + 0.5) / 4) so snapping is exact.
    X = np.array(
        [
            [-0.875, 5.125],
            [29.625, 19.375],
            [-50.0, -50.0],
            [1e9, 3.0],
            [np.nan, 4.0],
            [15.0, np.inf],
        ]
    )
    rgb = np.full((len(X), 3), 9, np.uint8)
    img = render_points(X, rgb, W, H, r, antialias=False)
    owner = _expected_hard(X[:4], W, H, r)
    np.testing.assert_array_equal(img[..., 3] > 0, owner >= 0)
    assert (owner[:, 0] == 0).any() and owner[-1, -1] == 1


def test_alpha():
    X = np.array([[10.0, 10.0]])
    rgb = np.array([[0, 0, 255]], np.uint8)
    img = render_points(X, rgb, 20, 20, 3.0, alpha=0.5)
    assert img[..., 3].max() == round(0.5 * 255)


def test_out_buffer_is_reused_and_cleared():
    buf = np.full((10, 12, 4), 77, np.uint8)
    out = render_points(np.empty((0, 2)), np.empty((0, 3), np.uint8), 12, 10, out=buf)
    assert out is buf and not buf.any()
    with pytest.raises(ValueError):
        render_points(
            np.zeros((1, 2)),
            np.zeros((1, 3), np.uint8),
            12,
            10,
            out=np.zeros((10, 10, 4), np.uint8),
        )


def test_later_points_win_where_interiors_overlap_same_phase():
    X = np.array([[10.5, 10.5], [11.5, 10.5]])  # same sub-pixel phase
    rgb = np.array([[255, 0, 0], [0, 255, 0]], np.uint8)
    img = render_points(X, rgb, 24, 24, 3.0, antialias=False)
    assert img[10, 11].tolist() == [0, 255, 0, 255]


def test_rejects_bad_arguments():
    with pytest.raises(ValueError):
        render_points(np.zeros((2, 2)), np.zeros((3, 3), np.uint8), 10, 10)
    with pytest.raises(ValueError):
        render_points(np.zeros((1, 2)), np.zeros((1, 3), np.uint8), 0, 10)
    with pytest.raises(ValueError):
        render_points(np.zeros((1, 2)), np.zeros((1, 3), np.uint8), 10, 10, radius_px=0)


# ------------------------------------------- per-point opacity (uncertainty view)


@pytest.mark.parametrize("alpha", [1.0, 0.6, 0.2])
def test_per_point_alpha_equal_to_a_scalar_gives_the_same_image(alpha):
    rng = np.random.default_rng(3)
    X = rng.uniform(-5, 85, size=(300, 2))
    rgb = rng.integers(0, 256, size=(300, 3), dtype=np.uint8)
    scalar = render_points(X, rgb, 80, 60, 2.6, alpha)
    array = render_points(X, rgb, 80, 60, 2.6, np.full(300, alpha))
    # the fringes of the per-point path round twice (coverage, then opacity)
    diff = np.abs(scalar.astype(int) - array.astype(int))
    assert diff.max() <= 1
    assert (diff == 0).mean() > 0.95


def test_per_point_alpha_sets_each_disc_interior():
    X = np.array([[10.5, 10.5], [30.5, 10.5], [50.5, 10.5]])
    rgb = np.array([[255, 0, 0], [0, 255, 0], [0, 0, 255]], dtype=np.uint8)
    out = render_points(X, rgb, 64, 24, 3.0, np.array([1.0, 0.5, 0.0]))
    assert tuple(out[10, 10]) == (255, 0, 0, 255)
    assert tuple(out[10, 30]) == (0, 255, 0, 128)
    assert out[:, 44:58, 3].max() == 0  # opacity 0: not drawn at all
    faint = render_points(X[:1], rgb[:1], 64, 24, 3.0, np.array([0.25]))
    assert faint[10, 10, 3] == 64


def test_per_point_alpha_must_match_the_points():
    X = np.zeros((4, 2))
    with pytest.raises(ValueError, match="alpha"):
        render_points(X, np.zeros(3, np.uint8), 8, 8, 1.0, np.ones(3))
