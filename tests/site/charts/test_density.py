"""Tests for simapp.charts.density: density background and uncertainty mapping."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from simapp.charts.density import (
    alpha_for_uncertainty,
    canvas_bounds,
    contour_segments,
    density_grid,
    density_image,
    params_key,
    uncertainty,
)
from simapp.charts.viewport import Viewport
from simapp.run.timeline import Params

from emcore.densities import (
    compute_precision_cholesky,
    estimate_log_gaussian_prob,
    logsumexp,
)


def _mixture(rng, k):
    weights = rng.dirichlet(np.ones(k))
    means = rng.normal(scale=3.0, size=(k, 2))
    A = rng.normal(size=(k, 2, 2))
    covs = A @ A.transpose(0, 2, 1) + 0.2 * np.eye(2)
    return weights, means, covs


def _reference(weights, means, covs, points):
    prec = compute_precision_cholesky(covs, "full")
    log_prob = estimate_log_gaussian_prob(points, means, prec, "full") + np.log(weights)
    return np.exp(logsumexp(log_prob, axis=1))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_grid_matches_emcore_density(seed):
    rng = np.random.default_rng(seed)
    w, m, c = _mixture(rng, 4)
    bounds, width, height, step = (-9.0, 7.0, -5.0, 6.0), 321, 203, 5
    values = density_grid(w, m, c, bounds, width, height, step)
    ny, nx = math.ceil(height / step), math.ceil(width / step)
    assert values.shape == (ny, nx)
    # pixel centre (c + .5) * step maps linearly onto the data bounds, y flipped
    cols, rows = np.meshgrid(np.arange(nx), np.arange(ny))
    x = -9.0 + (cols + 0.5) * step * 16.0 / width
    y = 6.0 - (rows + 0.5) * step * 11.0 / height
    ref = _reference(w, m, c, np.column_stack([x.ravel(), y.ravel()])).reshape(ny, nx)
    np.testing.assert_allclose(values, ref, rtol=1e-10, atol=1e-300)


def test_grid_integrates_to_one():
    rng = np.random.default_rng(7)
    w, m, c = _mixture(rng, 3)
    m *= 0.3
    half = 25.0
    values = density_grid(w, m, c, (-half, half, -half, half), 1000, 1000, 2)
    cell = (2 * half / 500) ** 2
    assert math.isclose(values.sum() * cell, 1.0, rel_tol=1e-3)


def test_orientation_y_up():
    w, m, c = [1.0], [[-4.0, 3.0]], [np.eye(2) * 0.5]
    values = density_grid(w, m, c, (-5, 5, -4, 4), 100, 80, 4)
    r, col = np.unravel_index(np.argmax(values), values.shape)
    assert r < values.shape[0] // 4 and col < values.shape[1] // 4  # top-left


def test_bad_components_are_left_out():
    rng = np.random.default_rng(3)
    w, m, c = _mixture(rng, 2)
    good = density_grid(w[:1], m[:1], c[:1], (-5, 5, -5, 5), 60, 60, 3)
    for bad_cov in (
        np.zeros((2, 2)),
        np.array([[1.0, 2.0], [2.0, 1.0]]),
        np.full((2, 2), np.nan),
    ):
        cov = np.stack([c[0], bad_cov])
        np.testing.assert_array_equal(
            density_grid(w, m, cov, (-5, 5, -5, 5), 60, 60, 3), good * 1.0
        )
    zero = density_grid([0.0], [[0, 0]], [np.eye(2)], (-1, 1, -1, 1), 10, 10, 2)
    assert not zero.any()
    with pytest.raises(ValueError, match="bounds"):
        density_grid(w, m, c, (0, np.inf, 0, 1), 10, 10)
    with pytest.raises(ValueError, match="step_px"):
        density_grid(w, m, c, (0, 1, 0, 1), 10, 10, 0)


def test_canvas_bounds_from_view():
    view = Viewport.fit((-3, 5, -1, 2), 400, 300)
    bounds = canvas_bounds(view)
    (x0, y0), (x1, y1) = view.to_px([[bounds[0], bounds[3]], [bounds[1], bounds[2]]])
    assert np.allclose([x0, y0, x1, y1], [0, 0, 400, 300])


# --- image --------------------------------------------------------------------


@pytest.mark.parametrize("scale", ["sqrt", "log", "linear"])
def test_image_alpha_follows_density(scale):
    rng = np.random.default_rng(4)
    w, m, c = _mixture(rng, 3)
    width, height, step = 203, 157, 4
    values = density_grid(w, m, c, (-8, 8, -6, 6), width, height, step)
    img = density_image(
        values, width, height, (0.0, 0.5, 1.0), scale=scale, max_alpha=0.4
    )
    assert img.shape == (height, width, 4) and img.dtype == np.uint8
    assert (
        (img[..., 0] == 0).all()
        and (img[..., 1] == 128).all()
        and (img[..., 2] == 255).all()
    )
    alpha = img[..., 3]
    assert alpha.max() == round(0.4 * 255)
    # nearest-neighbour: pixel (i, j) shows cell (i // step, j // step)
    cells = alpha[::step, ::step].astype(int)
    order = np.argsort(values.ravel(), kind="stable")
    assert (np.diff(cells.ravel()[order]) >= 0).all()  # monotone in density
    rows, cols = np.arange(height) // step, np.arange(width) // step
    np.testing.assert_array_equal(alpha, cells[rows][:, cols])


def test_image_scales():
    values = np.array([[1.0, 0.25, 1e-2, 1e-6, 0.0]])
    sqrt = density_image(values, 5, 1, (255, 0, 0), scale="sqrt", max_alpha=1.0)[
        0, :, 3
    ]
    assert sqrt.tolist() == [255, 128, 26, 0, 0]
    log = density_image(
        values, 5, 1, (255, 0, 0), scale="log", decades=4, max_alpha=1.0
    )
    assert log[0, :, 3].tolist() == [255, 217, 128, 0, 0]
    assert (log[0, :, 0] == 255).all()  # int colour taken as 0-255


def test_image_empty_and_out_buffer():
    out = np.full((6, 7, 4), 9, dtype=np.uint8)
    img = density_image(np.zeros((2, 2)), 7, 6, (1.0, 1.0, 1.0), out=out)
    assert img is out and (img[..., 3] == 0).all()
    with pytest.raises(ValueError, match="does not tile"):
        density_image(np.zeros((2, 3)), 4, 6, (1, 1, 1))
    with pytest.raises(ValueError, match="scale"):
        density_image(np.ones((2, 2)), 7, 6, (1, 1, 1), scale="cubic")


def test_800x600_at_4px_fills_the_page_buffer():
    """The page's largest wash: a K = 6 grid of 150 x 200 cells painted into
    the chart's reused 800 x 600 buffer (its speed: benchmarks/bench_cpython.py)."""
    rng = np.random.default_rng(0)
    w, m, c = _mixture(rng, 6)
    out = np.zeros((600, 800, 4), dtype=np.uint8)
    values = density_grid(w, m, c, (-10, 10, -7.5, 7.5), 800, 600, 4)
    assert values.shape == (150, 200)
    assert np.isfinite(values).all() and (values >= 0).all()
    img = density_image(values, 800, 600, (0.3, 0.3, 0.3), out=out)
    assert img is out
    # each 4 x 4 block of pixels is one cell: the wash has its grid's pattern
    np.testing.assert_array_equal(img[::4, ::4], img[3::4, 3::4])
    assert img[..., 3].max() > 0 and img[..., 3].min() == 0


# --- uncertainty ------------------------------------------------------------------


def test_uncertainty_values():
    resp = np.array(
        [[1.0, 0.0, 0.0], [0.5, 0.25, 0.25], [1 / 3] * 3, [np.nan] * 3, [0, 0, 0]]
    )
    u = uncertainty(resp)
    np.testing.assert_allclose(u, [0.0, 0.5, 2 / 3, 2 / 3, 2 / 3])
    assert uncertainty(np.empty((0, 4))).shape == (0,)
    with pytest.raises(ValueError):
        uncertainty(np.ones(3))


@given(hnp.arrays(np.float64, (20, 4), elements=st.floats(0, 1)))
def test_uncertainty_range(raw):
    resp = raw / np.maximum(raw.sum(axis=1, keepdims=True), 1e-300)
    u = uncertainty(resp)
    assert u.shape == (20,) and ((u >= 0) & (u <= 0.75)).all()


def test_alpha_mapping():
    k = 4
    u = np.array([0.0, 0.375, 0.75, 0.9, np.nan])
    alpha = alpha_for_uncertainty(u, k, low=0.2, high=1.0)
    np.testing.assert_allclose(alpha, [1.0, 0.6, 0.2, 0.2, 0.2])
    assert (alpha_for_uncertainty([0.0, 0.0], 1) == 1.0).all()
    with pytest.raises(ValueError, match="n_components"):
        alpha_for_uncertainty(u, 0)


def test_params_key_changes_with_the_parameters():
    rng = np.random.default_rng(5)
    a = Params(*_mixture(rng, 3))
    b = Params(a.weights, a.means + 1e-9, a.covariances)
    same = Params(*(np.array(p) for p in (a.weights, a.means, a.covariances)))
    assert params_key(a) == params_key(same)
    assert params_key(a) != params_key(b)
    assert params_key(None) is None
    assert math.isfinite(len(params_key(a)))


@pytest.mark.parametrize("radius", [1.0, 2.0, 3.0])
def test_a_contour_of_a_round_gaussian_is_a_closed_circle(radius):
    """Data box 10 x 10 on 200 x 200 px: 20 px per unit, y up."""
    grid = density_grid([1.0], [[5.0, 5.0]], [np.eye(2)], (0, 10, 0, 10), 200, 200)
    level = math.exp(-0.5 * radius**2) / (2 * math.pi)
    segments = contour_segments(grid, level, 4)
    ends = segments.reshape(-1, 2)
    x, y = ends[:, 0] / 20, 10 - ends[:, 1] / 20
    np.testing.assert_allclose(np.hypot(x - 5, y - 5), radius, atol=0.02)
    # closed: every end is shared by exactly two segments
    _, counts = np.unique(np.round(ends, 6), axis=0, return_counts=True)
    assert set(counts) == {2}
    # about the circumference in cells of 4 px (0.2 units)
    assert (
        2 * math.pi * radius / 0.2 * 0.9
        < len(segments)
        < 2 * math.pi * radius / 0.2 * 1.6
    )


def test_no_contour_above_the_peak_or_below_every_cell():
    grid = density_grid([1.0], [[5.0, 5.0]], [np.eye(2)], (0, 10, 0, 10), 100, 100)
    assert contour_segments(grid, grid.max() * 2, 4).shape == (0, 2, 2)
    assert contour_segments(grid, grid.min() / 2, 4).shape == (0, 2, 2)
    assert contour_segments(grid[:1], 0.01, 4).shape == (0, 2, 2)


def test_a_saddle_cell_gives_two_segments():
    grid = np.array([[1.0, 0.0], [0.0, 1.0]])
    segments = contour_segments(grid, 0.5, 10)
    assert segments.shape == (2, 2, 2)
    # the crossings are the edge midpoints of the one cell (centres 5 and 15)
    assert set(map(tuple, segments.reshape(-1, 2))) == {
        (10.0, 5.0),
        (15.0, 10.0),
        (10.0, 15.0),
        (5.0, 10.0),
    }
