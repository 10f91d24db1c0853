"""Mixture density as a shaded background, and assignment uncertainty.

:func:`density_grid` evaluates ``p(x) = sum_k pi_k N(x | mu_k, Sigma_k)`` at
the centres of ``step_px`` x ``step_px`` pixel cells covering the canvas,
using the closed-form 2x2 inverse and the separable grid (no per-pixel
Python). :func:`density_image` turns the values into a straight-alpha RGBA
buffer of one colour whose opacity follows the density, for
``putImageData`` under the scatter. :func:`uncertainty` is mclust's
``1 - max_k gamma_ik``; :func:`alpha_for_uncertainty` maps it to point
opacity.
:func:`params_key` identifies a parameter set, so the page recomputes the
background only when the drawn parameters change.

Shading scales (``density_image``'s ``scale``)
----------------------------------------------
``"sqrt"`` (default)
    ``a = sqrt(p / p_max)``: the peaks are dark and the shoulders visible.
``"log"``
    ``a = clip(1 + log10(p / p_max) / decades, 0, 1)``: every decade of
    density below the peak fades by ``1 / decades`` (default 4 decades), so
    low-density tails show.
``"linear"``
    ``a = p / p_max``.

Opacity is ``a * max_alpha`` (default 0.35, a soft wash). ``p_max`` is the
largest value on the grid, so the shading is relative to what is on screen.

Speed: an 800 x 600 canvas at ``step_px=4`` is a 200 x 150 grid; with K = 6
:func:`density_grid` plus :func:`density_image` take a few milliseconds in
CPython.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

__all__ = [
    "alpha_for_uncertainty",
    "canvas_bounds",
    "contour_segments",
    "density_grid",
    "density_image",
    "params_key",
    "uncertainty",
]

_SCALES = ("sqrt", "log", "linear")


def canvas_bounds(view) -> tuple[float, float, float, float]:
    """Data rectangle ``(xmin, xmax, ymin, ymax)`` of a whole canvas.

    ``view`` is a :class:`simapp.charts.viewport.Viewport` (anything with ``width``,
    ``height`` and ``to_data``): the corners of the canvas, margins
    included, mapped to data coordinates.
    """
    (x0, y1), (x1, y0) = view.to_data(
        [[0.0, 0.0], [float(view.width), float(view.height)]]
    )
    return float(x0), float(x1), float(y0), float(y1)


def params_key(params) -> bytes | None:
    """A cheap identity of a parameter set (K <= 8: a few hundred bytes).

    ``params`` has ``weights``, ``means`` and ``covariances`` arrays (e.g.
    :class:`simapp.run.timeline.Params`), or is None (then None).
    """
    if params is None:
        return None
    return b"".join(
        np.ascontiguousarray(a, dtype=np.float64).tobytes()
        for a in (params.weights, params.means, params.covariances)
    )


def density_grid(
    weights,
    means,
    covariances_full,
    bounds: Sequence[float],
    width: int,
    height: int,
    step_px: int = 4,
) -> np.ndarray:
    """Mixture density at the centres of a coarse pixel grid.

    Parameters
    ----------
    weights : array-like of shape (K,)
    means : array-like of shape (K, 2)
    covariances_full : array-like of shape (K, 2, 2)
        Components whose covariance is not finite and positive definite, or
        whose weight is not positive and finite, are left out (so a
        collapsing component mid-animation never breaks the picture).
    bounds : (xmin, xmax, ymin, ymax)
        Data coordinates of the canvas's left, right, bottom and top edges
        (see :func:`canvas_bounds`); y points up in data, down on canvas.
    width, height : int
        Canvas size in device pixels.
    step_px : int, default 4
        Cell size in pixels.

    Returns
    -------
    ndarray of shape (ceil(height / step_px), ceil(width / step_px)), float64
        ``values[r, c]`` is the density at pixel
        ``((c + 0.5) * step_px, (r + 0.5) * step_px)``; rows top to bottom.
        Zero where every component underflows.
    """
    width, height, step = int(width), int(height), int(step_px)
    if width < 1 or height < 1:
        raise ValueError(f"canvas size must be positive, got {width}x{height}")
    if step < 1:
        raise ValueError(f"step_px must be >= 1, got {step_px}")
    xmin, xmax, ymin, ymax = (float(b) for b in bounds)
    if not all(math.isfinite(b) for b in (xmin, xmax, ymin, ymax)):
        raise ValueError(f"bounds must be finite, got {tuple(bounds)}")
    w = np.asarray(weights, dtype=np.float64).reshape(-1)
    k = len(w)
    mu = np.asarray(means, dtype=np.float64).reshape(k, 2)
    cov = np.asarray(covariances_full, dtype=np.float64).reshape(k, 2, 2)

    nx, ny = -(-width // step), -(-height // step)
    px = (np.arange(nx) + 0.5) * step
    py = (np.arange(ny) + 0.5) * step
    gx = xmin + px * ((xmax - xmin) / width)
    gy = ymax - py * ((ymax - ymin) / height)

    a, b, c = cov[:, 0, 0], 0.5 * (cov[:, 0, 1] + cov[:, 1, 0]), cov[:, 1, 1]
    det = a * c - b * b
    ok = (
        np.isfinite(w)
        & (w > 0)
        & np.isfinite(mu).all(axis=1)
        & np.isfinite(cov).all(axis=(1, 2))
        & (a > 0)
        & (det > 0)
    )
    out = np.zeros((ny, nx))
    for j in np.flatnonzero(ok):
        dx = gx - mu[j, 0]
        dy = gy - mu[j, 1]
        inv_det = 1.0 / det[j]
        # Mahalanobis distance on the separable grid: (ny, 1) and (1, nx) terms
        qx = (c[j] * inv_det) * dx * dx
        qy = (a[j] * inv_det) * dy * dy
        cross = (-2.0 * b[j] * inv_det) * dy[:, np.newaxis] * dx[np.newaxis, :]
        cross += qy[:, np.newaxis]
        cross += qx[np.newaxis, :]
        cross *= -0.5
        np.exp(cross, out=cross)
        out += (w[j] / (2.0 * math.pi * math.sqrt(det[j]))) * cross
    return out


def contour_segments(values: np.ndarray, level: float, step_px: int) -> np.ndarray:
    """The contour of a :func:`density_grid` at ``level`` (marching squares).

    Parameters
    ----------
    values : ndarray of shape (rows, cols)
        :func:`density_grid`'s values (cell centres ``((c + 0.5) * step_px,
        (r + 0.5) * step_px)``).
    level : float
        The density the contour passes through.
    step_px : int
        The grid's cell size in pixels.

    Returns
    -------
    ndarray of shape (n_segments, 2, 2), float64
        Each segment's two ends ``(x, y)`` in canvas pixels, the crossing
        on each cell edge interpolated linearly. A cell with the level
        crossing all four edges (a saddle) gives two segments.
    """
    v = np.asarray(values, dtype=np.float64)
    if v.ndim != 2 or min(v.shape) < 2:
        return np.empty((0, 2, 2))
    above = v >= level
    # corners of every cell: top-left, top-right, bottom-right, bottom-left
    corners = (v[:-1, :-1], v[:-1, 1:], v[1:, 1:], v[1:, :-1])
    sides = (above[:-1, :-1], above[:-1, 1:], above[1:, 1:], above[1:, :-1])
    rows, cols = np.indices(corners[0].shape, dtype=np.float64)
    # the corner positions in grid units, in the same order
    pos = ((cols, rows), (cols + 1, rows), (cols + 1, rows + 1), (cols, rows + 1))
    crossings, crossed = [], []
    for i in range(4):  # edges top, right, bottom, left: corner i to i + 1
        j = (i + 1) % 4
        a, b = corners[i], corners[j]
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.clip((level - a) / (b - a), 0.0, 1.0)
        t = np.where(np.isfinite(t), t, 0.5)
        x = pos[i][0] + t * (pos[j][0] - pos[i][0])
        y = pos[i][1] + t * (pos[j][1] - pos[i][1])
        crossings.append(np.stack((x, y), axis=-1))
        crossed.append(sides[i] != sides[j])
    crossed = np.stack(crossed, axis=-1)  # (rows, cols, 4)
    points = np.stack(crossings, axis=-2)  # (rows, cols, 4, 2)
    count = crossed.sum(axis=-1)
    two = count == 2
    # the two crossed edges of a plain cell, in edge order
    order = np.argsort(~crossed[two], axis=-1, kind="stable")[:, :2]
    plain = np.take_along_axis(points[two], order[:, :, None], axis=1)
    saddle = points[count == 4]
    pairs = np.concatenate(
        (plain, saddle[:, [0, 1]], saddle[:, [2, 3]]), axis=0
    )  # a saddle: top with right, bottom with left
    return (pairs + 0.5) * step_px


def density_image(
    values: np.ndarray,
    width: int,
    height: int,
    colour: Sequence[float],
    *,
    scale: str = "sqrt",
    max_alpha: float = 0.35,
    decades: float = 4.0,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Soft background shading from a :func:`density_grid` result.

    Parameters
    ----------
    values : ndarray of shape (ny, nx)
        Densities on the coarse grid (any non-negative numbers; NaN and
        negative values count as 0).
    width, height : int
        Canvas size in device pixels; each grid cell covers
        ``ceil(width / nx)`` pixels (nearest-neighbour upsampling, cropped).
    colour : sequence of 3 numbers
        RGB, channels in [0, 1] (floats) or 0-255 (ints).
    scale : {'sqrt', 'log', 'linear'}, default 'sqrt'
        See the module notes.
    max_alpha : float, default 0.35
        Opacity of the densest cell.
    decades : float, default 4.0
        Range shown by the ``'log'`` scale.
    out : ndarray of shape (height, width, 4), uint8, optional
        Buffer to fill and return.

    Returns
    -------
    ndarray of shape (height, width, 4), uint8
        Straight-alpha RGBA, constant RGB, alpha from the density; fully
        transparent when every value is 0.
    """
    if scale not in _SCALES:
        raise ValueError(f"scale must be one of {', '.join(_SCALES)}; got {scale!r}")
    width, height = int(width), int(height)
    v = np.asarray(values, dtype=np.float64)
    if v.ndim != 2 or v.size == 0:
        raise ValueError(f"values must be a non-empty 2-D grid, got shape {v.shape}")
    ny, nx = v.shape
    step_x, step_y = -(-width // nx), -(-height // ny)
    if -(-width // step_x) != nx or -(-height // step_y) != ny:
        raise ValueError(f"a {ny}x{nx} grid does not tile a {width}x{height} canvas")
    rgb = np.asarray(colour, dtype=np.float64).reshape(3)
    if np.issubdtype(np.asarray(colour).dtype, np.integer) or rgb.max() > 1.0:
        rgb = rgb / 255.0
    rgb_bytes = np.clip(np.round(rgb * 255.0), 0, 255).astype(np.uint8)

    v = np.where(np.isfinite(v) & (v > 0), v, 0.0)
    peak = float(v.max())
    if peak > 0:
        rel = v / peak
        if scale == "sqrt":
            level = np.sqrt(rel)
        elif scale == "linear":
            level = rel
        else:
            with np.errstate(divide="ignore"):
                level = np.clip(1.0 + np.log10(rel) / float(decades), 0.0, 1.0)
    else:
        level = v
    alpha = np.round(level * (255.0 * min(max(float(max_alpha), 0.0), 1.0))).astype(
        np.uint8
    )

    if out is None:
        out = np.empty((height, width, 4), dtype=np.uint8)
    elif out.shape != (height, width, 4) or out.dtype != np.uint8:
        raise ValueError(f"out must be uint8 ({height}, {width}, 4), got {out.shape}")
    elif not out.flags.c_contiguous:
        raise ValueError("out must be C-contiguous")
    # One little-endian 32-bit word per pixel (bytes R, G, B, A), built on the
    # coarse grid, then upsampled nearest-neighbour by one broadcast copy.
    base = int(rgb_bytes[0]) | int(rgb_bytes[1]) << 8 | int(rgb_bytes[2]) << 16
    words = alpha.astype("<u4") << np.uint32(24)
    words |= np.uint32(base)
    big = np.broadcast_to(words[:, None, :, None], (ny, step_y, nx, step_x))
    big = big.reshape(ny * step_y, nx * step_x)
    out.view("<u4").reshape(height, width)[...] = big[:height, :width]
    return out


def uncertainty(resp) -> np.ndarray:
    """Assignment uncertainty ``1 - max_k gamma_ik`` of every point.

    Parameters
    ----------
    resp : array-like of shape (n, K)
        Responsibilities (rows sum to 1).

    Returns
    -------
    ndarray of shape (n,), float64
        In ``[0, 1 - 1/K]``: 0 for a certain assignment, ``1 - 1/K`` for a
        point shared equally. Rows that are unusable (NaN, all zero) get the
        maximum ``1 - 1/K``.
    """
    r = np.asarray(resp, dtype=np.float64)
    if r.ndim != 2 or r.shape[1] < 1:
        raise ValueError(f"resp must have shape (n, K), got {r.shape}")
    k = r.shape[1]
    top = r.max(axis=1, initial=-np.inf) if r.shape[0] else np.empty(0)
    u = 1.0 - top
    bad = ~np.isfinite(u) | (top <= 0)
    u[bad] = 1.0 - 1.0 / k
    return np.clip(u, 0.0, 1.0 - 1.0 / k)


def _relative(u, n_components: int) -> np.ndarray:
    k = int(n_components)
    if k < 1:
        raise ValueError(f"n_components must be >= 1, got {n_components}")
    u = np.asarray(u, dtype=np.float64)
    u_max = 1.0 - 1.0 / k
    if u_max <= 0:
        return np.zeros_like(u)
    return np.clip(np.nan_to_num(u / u_max, nan=1.0), 0.0, 1.0)


def alpha_for_uncertainty(
    u,
    n_components: int,
    *,
    low: float = 0.15,
    high: float = 1.0,
) -> np.ndarray:
    """Point opacity from uncertainty: certain points opaque, doubtful faint.

    Parameters
    ----------
    u : array-like of shape (n,)
        From :func:`uncertainty`.
    n_components : int
        K; ``u`` is divided by its maximum ``1 - 1/K`` first.
    low, high : float
        Opacity at maximum uncertainty and at certainty.

    Returns
    -------
    ndarray of shape (n,), float64
        ``high - (high - low) * t`` with ``t = u / (1 - 1/K)``.
    """
    t = _relative(u, n_components)
    return high - (high - low) * t
