"""Data-to-canvas mapping with equal aspect ratio, and "nice" axis ticks.

All pixel quantities are canvas **device pixels** (``canvas.width`` =
CSS width x ``devicePixelRatio``) with the identity transform on the context:
the page must not also call ``ctx.scale(dpr, dpr)``. Data y points up, canvas
y points down; :class:`Viewport` does the flip.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Viewport", "format_ticks", "nice_ticks"]

_MANTISSAS = (1, 2, 5)


@dataclass(frozen=True)
class Viewport:
    """Affine map from data coordinates to canvas pixels, same scale on x and y.

    Build one with :meth:`fit` or :meth:`from_points`; the fields are plain
    numbers so a view can be compared, stored and re-created cheaply.

    Attributes
    ----------
    width, height : int
        Canvas size in device pixels.
    dpr : float
        ``devicePixelRatio`` used to size margins, text and lines.
    left, top, right, bottom : float
        Plot rectangle in device pixels (inside the axis margins).
    scale : float
        Device pixels per data unit (identical on both axes).
    cx, cy : float
        Data point drawn at the centre of the plot rectangle.
    """

    width: int
    height: int
    dpr: float
    left: float
    top: float
    right: float
    bottom: float
    scale: float
    cx: float
    cy: float

    @classmethod
    def fit(
        cls,
        bounds: Sequence[float],
        width: int,
        height: int,
        *,
        dpr: float = 1.0,
        padding: float = 0.05,
        margins: Sequence[float] = (44.0, 10.0, 10.0, 28.0),
    ) -> Viewport:
        """A viewport showing a data rectangle as large as possible, undistorted.

        Parameters
        ----------
        bounds : (xmin, xmax, ymin, ymax)
            Data rectangle that must be visible. A zero-width side is widened
            so a single point or a vertical line still gets a sensible view.
        width, height : int
            Canvas size in device pixels.
        dpr : float, default 1.0
            ``devicePixelRatio``; margins are given in CSS pixels.
        padding : float, default 0.05
            Extra room on every side, as a fraction of the larger data span.
        margins : (left, right, top, bottom), CSS pixels
            Space kept free for tick labels around the plot rectangle.

        Returns
        -------
        Viewport
            The shorter direction is centred, so the data rectangle maps
            inside the plot rectangle with equal pixel scale on x and y.

        Raises
        ------
        ValueError
            On non-finite bounds, or a canvas too small for the margins.
        """
        xmin, xmax, ymin, ymax = (float(b) for b in bounds)
        if not all(math.isfinite(b) for b in (xmin, xmax, ymin, ymax)):
            raise ValueError(f"bounds must be finite, got {tuple(bounds)}")
        xmin, xmax = min(xmin, xmax), max(xmin, xmax)
        ymin, ymax = min(ymin, ymax), max(ymin, ymax)
        if not dpr > 0:
            raise ValueError(f"dpr must be > 0, got {dpr}")
        ml, mr, mt, mb = (float(m) * dpr for m in margins)
        left, top = ml, mt
        right, bottom = float(width) - mr, float(height) - mb
        if right - left < 1 or bottom - top < 1:
            raise ValueError(
                f"canvas {width}x{height} is too small for margins {tuple(margins)}"
            )
        span = max(xmax - xmin, ymax - ymin)
        mag = max(abs(xmin), abs(xmax), abs(ymin), abs(ymax))
        if span <= 1e-12 * mag or span < 1e-150:
            # Effectively a single point (the scale would overflow): show a box
            # 20 % of its magnitude (or 1 unit) wide around it.
            half = 0.1 * mag if mag > 1e-150 else 0.5
            mx, my = (xmin + xmax) / 2, (ymin + ymax) / 2
            xmin, xmax, ymin, ymax = mx - half, mx + half, my - half, my + half
            span = 2 * half
        pad = max(padding, 0.0) * span
        # A flat side (points on a line) must not divide by zero below.
        sx = max(xmax - xmin + 2 * pad, 1e-9 * span)
        sy = max(ymax - ymin + 2 * pad, 1e-9 * span)
        scale = min((right - left) / sx, (bottom - top) / sy)
        return cls(
            width=int(width),
            height=int(height),
            dpr=float(dpr),
            left=left,
            top=top,
            right=right,
            bottom=bottom,
            scale=scale,
            cx=(xmin + xmax) / 2,
            cy=(ymin + ymax) / 2,
        )

    @classmethod
    def from_points(
        cls,
        points: np.ndarray,
        width: int,
        height: int,
        **kwargs: object,
    ) -> Viewport:
        """:meth:`fit` to the bounding box of the finite rows of ``points``.

        Parameters
        ----------
        points : ndarray, shape (n, 2)
            E.g. the data stacked with the true centres. Empty or all
            non-finite input gives the square ``[-1, 1] x [-1, 1]``.
        width, height : int
        **kwargs
            Passed on to :meth:`fit`.
        """
        P = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        P = P[np.isfinite(P).all(axis=1)]
        if P.shape[0] == 0:
            bounds = (-1.0, 1.0, -1.0, 1.0)
        else:
            lo, hi = P.min(axis=0), P.max(axis=0)
            bounds = (lo[0], hi[0], lo[1], hi[1])
        return cls.fit(bounds, width, height, **kwargs)  # type: ignore[arg-type]

    @property
    def plot_cx(self) -> float:
        """Pixel x of the plot rectangle's centre."""
        return (self.left + self.right) / 2

    @property
    def plot_cy(self) -> float:
        """Pixel y of the plot rectangle's centre."""
        return (self.top + self.bottom) / 2

    def to_px(self, xy: np.ndarray | Sequence[float]) -> np.ndarray:
        """Map data points to canvas pixels.

        Parameters
        ----------
        xy : array_like, shape (n, 2) or (2,)

        Returns
        -------
        ndarray of float64, same shape as ``xy``
            Canvas coordinates (x right, y down).
        """
        a = np.asarray(xy, dtype=np.float64)
        out = np.empty_like(a)
        out[..., 0] = self.plot_cx + (a[..., 0] - self.cx) * self.scale
        out[..., 1] = self.plot_cy - (a[..., 1] - self.cy) * self.scale
        return out

    def to_data(self, px: np.ndarray | Sequence[float]) -> np.ndarray:
        """Inverse of :meth:`to_px` (e.g. for pointer coordinates x dpr)."""
        a = np.asarray(px, dtype=np.float64)
        out = np.empty_like(a)
        out[..., 0] = self.cx + (a[..., 0] - self.plot_cx) / self.scale
        out[..., 1] = self.cy - (a[..., 1] - self.plot_cy) / self.scale
        return out

    def length_to_px(self, length: float | np.ndarray) -> float | np.ndarray:
        """Convert a data length to pixels (same on both axes)."""
        return length * self.scale

    @property
    def data_bounds(self) -> tuple[float, float, float, float]:
        """Data rectangle ``(xmin, xmax, ymin, ymax)`` of the plot area."""
        (x0, y1), (x1, y0) = self.to_data(
            [[self.left, self.top], [self.right, self.bottom]]
        )
        return (float(x0), float(x1), float(y0), float(y1))


def _decimal(m: int, e: int) -> float:
    # Building the float from its decimal text gives the correctly rounded
    # value, so i * 0.1 style artefacts (0.30000000000000004) never appear.
    return float(f"{m}e{e}")


def _steps_from(raw: float):
    """1-2-5 steps in increasing order, starting at or just below ``raw``."""
    e = math.floor(math.log10(raw))
    while True:
        for m in _MANTISSAS:
            yield m, e
        e += 1


def nice_ticks(
    lo: float,
    hi: float,
    max_ticks: int = 6,
    *,
    extend: bool = False,
    min_step: float = 0.0,
) -> list[float]:
    """Round tick positions with a 1-2-5 step.

    Parameters
    ----------
    lo, hi : float
        Axis range (swapped if reversed; a zero-width range is widened).
    max_ticks : int, default 6
        Upper bound on the number of ticks returned (>= 2).
    extend : bool, default False
        ``False``: ticks lie inside ``[lo, hi]`` and no gap at either end is as
        wide as a step. ``True``: the first tick is <= ``lo`` and the last >=
        ``hi``, so the ticks give "nice" axis limits covering the range.
    min_step : float, default 0
        Smallest allowed step, e.g. 1 for integer-only ticks (iterations, K).

    Returns
    -------
    list of float
        Equally spaced ticks, step = m x 10^e with m in {1, 2, 5}; the densest
        such spacing that respects ``max_ticks``.

    Raises
    ------
    ValueError
        If ``lo`` or ``hi`` is not finite or ``max_ticks < 2``.
    """
    lo, hi = float(lo), float(hi)
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ValueError(f"tick range must be finite, got ({lo}, {hi})")
    if max_ticks < 2:
        raise ValueError(f"max_ticks must be >= 2, got {max_ticks}")
    if lo > hi:
        lo, hi = hi, lo
    if hi - lo <= max(abs(lo), abs(hi)) * 1e-12:
        half = max(abs(lo) * 0.1, 1e-300) if lo else 1.0
        lo, hi = lo - half, hi + half
    span = hi - lo
    for m, e in _steps_from(max(span / max_ticks, min_step)):
        step = _decimal(m, e)
        if step < min_step:
            continue
        # The 1e-9 slack absorbs rounding in lo / step (e.g. 0.3 / 0.1).
        if extend:
            i0 = math.floor(lo / step + 1e-9)
            i1 = math.ceil(hi / step - 1e-9)
        else:
            i0 = math.ceil(lo / step - 1e-9)
            i1 = math.floor(hi / step + 1e-9)
        if i1 - i0 + 1 <= max_ticks:
            ticks = [_decimal(i * m, e) for i in range(i0, i1 + 1)]
            return [t + 0.0 for t in ticks]  # + 0.0 turns -0.0 into 0.0
    raise AssertionError("unreachable")  # pragma: no cover


def format_ticks(ticks: Sequence[float], step: float | None = None) -> list[str]:
    """Labels for equally spaced ticks, with the same precision for all.

    Fixed notation with just enough decimals for the step (``0.3``, not
    ``0.30000000000000004``); compact scientific notation (``2.5e6``,
    ``1e-5``) when the magnitude is >= 1e6 or below 1e-3.

    Parameters
    ----------
    ticks : sequence of float
        Output of :func:`nice_ticks` (or any ascending, equally spaced values).
    step : float, optional
        Tick spacing; inferred from the ticks when there are two or more.
        A lone tick without a step is printed with its shortest exact digits.

    Returns
    -------
    list of str
    """
    vals = [float(t) for t in ticks]
    if not vals:
        return []
    if step is None:
        diffs = [abs(b - a) for a, b in zip(vals[:-1], vals[1:], strict=True) if b != a]
        step = min(diffs) if diffs else _last_digit(vals[0])
    mag = max(abs(v) for v in vals)
    step_exp = math.floor(math.log10(step) + 1e-9)
    if mag >= 1e6 or 0 < mag < 1e-3:
        mag_exp = math.floor(math.log10(mag) + 1e-9)
        digits = max(0, mag_exp - step_exp)
        out = []
        for v in vals:
            if v == 0:
                out.append("0")
                continue
            mant, _, exp = f"{v:.{digits}e}".partition("e")
            out.append(f"{mant}e{int(exp)}")
        return out
    decimals = max(0, -step_exp)
    out = []
    for v in vals:
        s = f"{v:.{decimals}f}"
        if float(s) == 0:
            s = s.lstrip("-")
        out.append(s)
    return out


def _last_digit(value: float) -> float:
    """Place value of the last significant digit of ``value``'s shortest repr."""
    if value == 0 or not math.isfinite(value):
        return 1.0
    mant, _, exp = f"{abs(value):.15g}".partition("e")
    digits_after_point = len(mant.partition(".")[2])
    return 10.0 ** (int(exp or 0) - digits_after_point)
