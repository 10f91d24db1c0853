"""Vectorised scatter rasterisation into an RGBA buffer.

Drawing 5000 points with one canvas call each costs thousands of JS<->Python
round trips per frame in Pyodide. Instead the whole scatter is stamped into a
numpy ``(height, width, 4)`` uint8 buffer with a handful of array operations,
and the page hands it to ``putImageData`` once per frame.

Conventions
-----------
* Coordinates are canvas device pixels: x right, y down, pixel ``(i, j)``
  covers ``[i, i+1) x [j, j+1)`` so its centre is ``(i + 0.5, j + 0.5)`` -
  the same convention as ``ctx.arc``.
* The buffer holds **straight (non-premultiplied) alpha**, which is what
  ``ImageData`` expects; untouched pixels are transparent ``(0, 0, 0, 0)``.
* Overlapping discs do not blend: every fringe (partly covered) pixel is
  written before any interior pixel, so a neighbour's faint edge never notches
  a solid disc. Which of two overlapping interiors ends on top is deterministic
  but unspecified (grouped by sub-pixel phase, then by index).
* Centres are snapped to a 1/4-pixel grid (error <= 1/8 px): coverage is
  pre-computed per sub-pixel phase so drawing needs no per-pixel maths.
* :class:`PointRaster` does the same work in slices (``step``), so a page can
  stamp 200,000 points across several animation frames into an off-screen
  buffer; the writes happen in the same order as in one call, so the result is
  the same pixel for pixel whatever the slice sizes.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

__all__ = ["PointRaster", "render_points"]

_PHASES = 4  # sub-pixel positions per axis; centres snap to 1/8 px at most


class _Stamp:
    """Pre-computed disc coverage for every sub-pixel phase of the centre.

    For phase ``(i, j)`` (centre at ``((i + .5) / P, (j + .5) / P)`` within
    its pixel) it stores the offsets of fully covered ("core") pixels and of
    partly covered ("fringe") pixels with their alpha bytes. Grouping points
    by phase turns rasterisation into a few dense broadcasts with no per-pixel
    masking or sqrt at draw time.
    """

    def __init__(self, radius_px: float, antialias: bool, alpha_byte: int) -> None:
        reach = radius_px + (0.5 if antialias else 0.0)
        span = int(np.ceil(reach)) + 1
        self.span = span
        d = np.arange(-span, span + 1)
        dx, dy = (g.ravel() for g in np.meshgrid(d, d))
        self.core: list[tuple[np.ndarray, np.ndarray]] = []
        self.fringe: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        for phase in range(_PHASES * _PHASES):
            fx = (phase % _PHASES + 0.5) / _PHASES
            fy = (phase // _PHASES + 0.5) / _PHASES
            dist = np.hypot(dx + 0.5 - fx, dy + 0.5 - fy)
            if antialias:
                cover = np.clip(radius_px + 0.5 - dist, 0.0, 1.0)
            else:
                cover = (dist <= radius_px).astype(np.float64)
            a = np.rint(cover * alpha_byte).astype(np.uint32)
            core = cover >= 1.0
            fringe = (a > 0) & ~core
            self.core.append((dx[core], dy[core]))
            self.fringe.append((dx[fringe], dy[fringe], a[fringe]))
        self.alpha_byte = alpha_byte


_STAMP_CACHE: dict[tuple[float, bool, int], _Stamp] = {}


def _stamp(radius_px: float, antialias: bool, alpha_byte: int) -> _Stamp:
    key = (float(radius_px), bool(antialias), int(alpha_byte))
    stamp = _STAMP_CACHE.get(key)
    if stamp is None:
        if len(_STAMP_CACHE) > 32:  # radius follows dpr/zoom; keep memory bounded
            _STAMP_CACHE.clear()
        stamp = _STAMP_CACHE[key] = _Stamp(*key)
    return stamp


def _rgb_words(rgb: np.ndarray) -> np.ndarray:
    """Pack uint8 RGB (..., 3) into little-endian RGBA words with alpha 0."""
    c = rgb.astype(np.uint32)
    return c[..., 0] | (c[..., 1] << 8) | (c[..., 2] << 16)


def render_points(
    X_px: np.ndarray,
    rgb: np.ndarray,
    width: int,
    height: int,
    radius_px: float = 2.5,
    alpha: float | np.ndarray = 1.0,
    *,
    antialias: bool = True,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Stamp filled discs for all points into an RGBA buffer.

    Parameters
    ----------
    X_px : ndarray, shape (n, 2)
        Disc centres in device-pixel canvas coordinates (see module notes).
        Points partly or wholly outside the canvas are clipped; non-finite
        rows are skipped. Centres are snapped to a 1/4-pixel grid.
    rgb : ndarray, shape (n, 3), dtype uint8
        Colour of each point (e.g. from :func:`simapp.charts.palette.blend`).
        A single ``(3,)`` colour is broadcast to all points.
    width, height : int
        Canvas size in device pixels.
    radius_px : float, default 2.5
        Disc radius in device pixels (scale it by ``devicePixelRatio``).
    alpha : float or ndarray of shape (n,), default 1.0
        Opacity of the disc interiors in [0, 1]; edges fade with coverage.
        An array gives every point its own opacity (e.g. from
        :func:`simapp.charts.density.alpha_for_uncertainty`); points with opacity
        0 are not drawn.
    antialias : bool, default True
        Soften edges by pixel coverage. ``False`` draws hard discs made of
        the pixels whose centres lie within ``radius_px``.
    out : ndarray, shape (height, width, 4), dtype uint8, optional
        C-contiguous buffer to reuse between frames; it is cleared first.

    Returns
    -------
    ndarray, shape (height, width, 4), dtype uint8
        Straight-alpha RGBA, rows top to bottom, ready for ``ImageData``.
    """
    job = PointRaster(
        X_px,
        rgb,
        width,
        height,
        radius_px,
        alpha,
        antialias=antialias,
        out=out,
    )
    for _ in job.steps(None):
        pass
    return job.out


class PointRaster:
    """:func:`render_points` as a job done in pieces.

    The constructor only keeps the arguments; :meth:`steps` clears ``out``,
    prepares the points (O(n) array work, in a few pieces) and stamps them,
    yielding after every piece, so a caller can spread the work over several
    animation frames. The pixel writes happen in the same order as in one
    :func:`render_points` call, so the finished buffer is identical to it
    whatever the piece sizes.

    Parameters
    ----------
    X_px, rgb, width, height, radius_px, alpha, antialias, out
        As :func:`render_points`.

    Attributes
    ----------
    out : ndarray, shape (height, width, 4), dtype uint8
        The buffer being drawn (complete once :meth:`steps` is exhausted).
    total : int
        Pixel writes of the whole job (known once prepared; 0 before).
    written : int
        Pixel writes done so far.

    Examples
    --------
    >>> X = np.array([[2.5, 2.5], [6.5, 3.5], [4.5, 6.5]])
    >>> job = PointRaster(X, np.array([200, 0, 0], np.uint8), 9, 9, 1.0)
    >>> pieces = sum(1 for _ in job.steps(max_writes=5))
    >>> pieces > 3, np.array_equal(job.out, render_points(X, [200, 0, 0], 9, 9, 1.0))
    (True, True)
    """

    def __init__(
        self,
        X_px: np.ndarray,
        rgb: np.ndarray,
        width: int,
        height: int,
        radius_px: float = 2.5,
        alpha: float | np.ndarray = 1.0,
        *,
        antialias: bool = True,
        out: np.ndarray | None = None,
    ) -> None:
        width, height = int(width), int(height)
        if width < 1 or height < 1:
            raise ValueError(f"canvas size must be positive, got {width}x{height}")
        if not radius_px > 0 or not np.isfinite(radius_px):
            raise ValueError(f"radius_px must be finite and > 0, got {radius_px}")
        if out is None:
            out = np.empty((height, width, 4), dtype=np.uint8)
        elif out.shape != (height, width, 4) or out.dtype != np.uint8:
            raise ValueError(
                f"out must be uint8 ({height}, {width}, 4), got {out.shape}"
            )
        elif not out.flags.c_contiguous:
            raise ValueError("out must be C-contiguous")
        X = np.asarray(X_px, dtype=np.float64).reshape(-1, 2)
        colours = np.asarray(rgb, dtype=np.uint8)
        if colours.ndim == 1:
            colours = np.broadcast_to(colours, (X.shape[0], 3))
        if colours.shape != (X.shape[0], 3):
            raise ValueError(
                f"rgb must have shape ({X.shape[0]}, 3), got {colours.shape}"
            )
        if np.ndim(alpha) > 0 and np.shape(alpha) != (X.shape[0],):
            raise ValueError(f"alpha must be a float or have shape ({X.shape[0]},)")
        self.out = out
        self.width, self._height = width, height
        self._words = out.reshape(-1).view("<u4")
        self._args = (X, colours, radius_px, alpha, antialias)
        self.total = self.written = 0

    def steps(self, max_writes: int | None = None) -> Iterator[float]:
        """Do the job, yielding the share done after every piece.

        Parameters
        ----------
        max_writes : int or None
            About how many pixel writes make a piece of the stamping (at
            least one point's stamp); None stamps everything in one piece.
            The preparation yields three times whatever the size.

        Yields
        ------
        float
            Share of the pixel writes done, in [0, 1].
        """
        units = yield from self._prepare()
        self.total = sum(u[0].size * u[1].size for u in units)
        limit = None if max_writes is None else max(int(max_writes), 1)
        for pts, dx, dy, a in units:
            take = pts.size if limit is None else max(limit // dx.size, 1)
            for start in range(0, pts.size, take):
                chunk = pts[start : start + take]
                self._write(chunk, dx, dy, a)
                self.written += chunk.size * dx.size
                yield self.written / self.total

    def _prepare(self):
        """Clear the buffer, group the points; returns the stamping's units
        ``(points, dx, dy, coverage bytes)`` in the order of writes."""
        X, colours, radius_px, alpha, antialias = self._args
        width, height = self.width, self._height
        self._words.fill(0)
        point_alpha = None  # per-point alpha bytes (uint32), or None
        if np.ndim(alpha) > 0:
            a_arr = np.asarray(alpha, dtype=np.float64).reshape(-1)
            a_arr = np.where(np.isfinite(a_arr), a_arr, 0.0)
            point_alpha = np.rint(np.clip(a_arr, 0.0, 1.0) * 255).astype(np.uint32)
            visible = point_alpha > 0
            if not visible.all():
                X, colours = X[visible], colours[visible]
                point_alpha = point_alpha[visible]
            alpha_byte = 255  # the stamp holds coverage; scaled per point below
        else:
            alpha_byte = int(round(255 * float(np.clip(alpha, 0.0, 1.0))))
        if X.shape[0] == 0 or alpha_byte == 0:
            return []

        stamp = _stamp(radius_px, antialias, alpha_byte)
        span = stamp.span
        # Drop points whose disc cannot reach the canvas (and NaN/inf rows).
        with np.errstate(invalid="ignore"):
            near = (
                (X[:, 0] > -span)
                & (X[:, 0] < width + span)
                & (X[:, 1] > -span)
                & (X[:, 1] < height + span)
            )
        if not near.all():
            X, colours = X[near], colours[near]
            if point_alpha is not None:
                point_alpha = point_alpha[near]
        if X.shape[0] == 0:
            return []
        yield 0.0

        base = np.floor(X)
        sub = np.minimum(((X - base) * _PHASES).astype(np.intp), _PHASES - 1)
        # uint8 phases: numpy's stable sort of small integers is a radix sort
        phase = (sub[:, 0] + _PHASES * sub[:, 1]).astype(np.uint8)
        base = base.astype(np.int64)
        # Points whose whole stamp box is on the canvas need no per-pixel clipping.
        self._inside = (
            (base[:, 0] >= span)
            & (base[:, 0] < width - span)
            & (base[:, 1] >= span)
            & (base[:, 1] < height - span)
        )
        self._base = base
        self._flat0 = base[:, 1] * width + base[:, 0]
        self._point_alpha = point_alpha
        yield 0.0

        self._cwords = _rgb_words(colours)
        # Group points by phase once; a stable sort keeps painter's order per group.
        order = np.argsort(phase, kind="stable")
        n_phases = _PHASES * _PHASES
        bounds = np.searchsorted(phase[order], np.arange(n_phases + 1))
        groups = [order[bounds[p] : bounds[p + 1]] for p in range(n_phases)]
        yield 0.0

        # Fringes first, then cores, so solid interiors are never notched by a
        # neighbour's faint edge.
        units = []
        for p, pts in enumerate(groups):
            fdx, fdy, fa = stamp.fringe[p]
            units.append((pts, fdx, fdy, fa))
        for p, pts in enumerate(groups):
            cdx, cdy = stamp.core[p]
            ca = np.full(cdx.shape, alpha_byte, dtype=np.uint32)
            units.append((pts, cdx, cdy, ca))
        return [u for u in units if u[0].size and u[1].size]

    def _write(self, pts, dx, dy, a) -> None:
        words, width, height = self._words, self.width, self._height
        point_alpha = self._point_alpha
        if point_alpha is None:
            packed = self._cwords[pts][:, None] | (a[None, :] << 24)
        else:
            # coverage x the point's own opacity, rounded: (m, len(dx))
            w = (a[None, :] * point_alpha[pts][:, None] + 127) // 255
            packed = self._cwords[pts][:, None] | (w << 24)
        ins = self._inside[pts]
        if ins.all():
            words[self._flat0[pts][:, None] + (dy * width + dx)[None, :]] = packed
            return
        base = self._base
        px = base[pts, 0][:, None] + dx[None, :]
        py = base[pts, 1][:, None] + dy[None, :]
        ok = (px >= 0) & (px < width) & (py >= 0) & (py < height)
        words[(py * width + px)[ok]] = np.broadcast_to(packed, ok.shape)[ok]
