"""The data chart of one fitted column: a histogram under the mixture's curves.

A fit of a single column has no plane to draw: its points are binned
(:func:`bin_edges`, the Freedman–Diaconis rule clipped to
:data:`MIN_BINS`–:data:`MAX_BINS` bins), each bar split by the points'
hard assignments (stacked in the components' colours, or grey before the
first E-step), and over it each component's weighted density
``π_k N(x | μ_k, σ²_k)`` in its colour and the mixture density (their sum)
dashed in the theme's ink. Bars and curves share one unit, probability density:
a bar's height is its count over ``n × bin width``, so the bars' area is 1
and each component curve's area is its weight. Flagged anomalies
(:func:`draw_anomalies`) are rings on a rug along the x axis, under a
horizontal line at the density they fall below: the 1-D analogue of the
2-D chart's rings and contour.

Examples
--------
>>> x = np.arange(100.0)
>>> edges = bin_edges(x)
>>> len(edges) - 1, float(edges[0]), float(edges[-1])
(10, 0.0, 99.0)
>>> h = histogram(x, edges)
>>> float(np.sum(h.heights.sum(axis=0) * np.diff(h.edges)))
1.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from emcore.anomaly import mixture_density
from simapp.charts.axes import ChartFrame, chart_axes, max_ticks
from simapp.charts.data_chart import draw_rings
from simapp.charts.look import LIGHT, ChartLook
from simapp.charts.marks import polyline, set_dash
from simapp.charts.viewport import nice_ticks

__all__ = [
    "CLIP",
    "GRID_POINTS",
    "MARGIN",
    "MAX_BINS",
    "MIN_BINS",
    "Curves",
    "Histogram",
    "anomaly_marks",
    "bin_edges",
    "curve_marks",
    "curve_range",
    "density_curves",
    "draw_anomalies",
    "draw_histogram",
    "histogram",
    "histogram_marks",
    "line_picture",
]

#: The least and most bins drawn, whatever the Freedman–Diaconis rule says:
#: fewer hide two modes, more leave most bars one point tall.
MIN_BINS = 10
MAX_BINS = 60
#: Points on which the curves are evaluated across the chart.
GRID_POINTS = 241
#: Share of the bars' range added on each side of the chart for the tails.
MARGIN = 0.08
#: The y axis reaches at most this many times the tallest bar: a curve
#: taller still (a component on one point) is cut at the top.
CLIP = 3.0
#: Bars are drawn this opaque, so the curves over them stay clear.
BAR_ALPHA = 0.55
GREY_CSS = "rgb(140, 140, 140)"
#: An anomaly's ring on the rug, radius in CSS pixels (as on the scatter).
RING_CSS = 5.0


def bin_edges(x) -> np.ndarray:
    """Equal-width bin edges over the data's range.

    Freedman–Diaconis: width ``2 IQR / n^(1/3)``, so ``ceil(range / width)``
    bins, clipped to ``MIN_BINS .. MAX_BINS`` (``MIN_BINS`` when the IQR is
    zero). Equal points get one unit-wide range around them.

    Parameters
    ----------
    x : array-like of shape (n,) or (n, 1)
        Finite numbers, at least one.

    Returns
    -------
    ndarray of shape (n_bins + 1,)

    Raises
    ------
    ValueError
        For no numbers, more than one column or a non-finite value.
    """
    x = _column(x)
    lo, hi = float(x.min()), float(x.max())
    if hi <= lo:
        return np.linspace(lo - 0.5, hi + 0.5, MIN_BINS + 1)
    q75, q25 = np.percentile(x, [75, 25])
    width = 2.0 * float(q75 - q25) / len(x) ** (1.0 / 3.0)
    n_bins = MIN_BINS if width <= 0 else math.ceil((hi - lo) / width)
    n_bins = min(max(n_bins, MIN_BINS), MAX_BINS)
    return np.linspace(lo, hi, n_bins + 1)


def _column(x) -> np.ndarray:
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1 or arr.size == 0 or not np.all(np.isfinite(arr)):
        raise ValueError(
            "x must be one column of finite numbers, at least one; got an array "
            f"of shape {arr.shape}"
        )
    return arr


@dataclass(frozen=True)
class Histogram:
    """Bars in density units, split by component.

    Attributes
    ----------
    edges : ndarray of shape (n_bins + 1,)
    heights : ndarray of shape (n_groups, n_bins)
        Per group (component, or one grey group), its points in each bin over
        ``n × bin width``: stacked, the bars' total area is 1.
    """

    edges: np.ndarray
    heights: np.ndarray

    @property
    def tops(self) -> np.ndarray:
        """The stacked bars' heights, shape (n_bins,)."""
        return self.heights.sum(axis=0)


def histogram(x, edges, resp=None) -> Histogram:
    """The histogram of ``x`` on ``edges``, split by hard assignment.

    Parameters
    ----------
    x : array-like of shape (n,) or (n, 1)
    edges : array-like of shape (n_bins + 1,)
        Increasing; the last bin includes its right edge.
    resp : ndarray of shape (n, K), optional
        Responsibilities: each point counts for its most responsible
        component. None: one group.
    """
    x = _column(x)
    edges = np.asarray(edges, dtype=np.float64)
    if edges.ndim != 1 or edges.size < 2 or not np.all(np.diff(edges) > 0):
        raise ValueError(f"edges must be increasing, at least two; got {edges!r}")
    n_bins = edges.size - 1
    which = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, n_bins - 1)
    if resp is None:
        group, n_groups = np.zeros(len(x), dtype=np.int64), 1
    else:
        resp = np.asarray(resp, dtype=np.float64)
        if resp.ndim != 2 or resp.shape[0] != len(x):
            raise ValueError(f"resp must have shape ({len(x)}, K); got {resp.shape}")
        group, n_groups = np.argmax(resp, axis=1), resp.shape[1]
    counts = np.zeros((n_groups, n_bins))
    np.add.at(counts, (group, which), 1.0)
    return Histogram(edges, counts / (len(x) * np.diff(edges)))


@dataclass(frozen=True)
class Curves:
    """The fitted densities on a grid.

    Attributes
    ----------
    grid : ndarray of shape (n_points,)
    components : ndarray of shape (K, n_points)
        Each component's weighted density ``π_k N(x | μ_k, σ²_k)``.
    total : ndarray of shape (n_points,)
        The mixture density, their sum.
    """

    grid: np.ndarray
    components: np.ndarray
    total: np.ndarray


def curve_range(hist: Histogram) -> tuple[float, float]:
    """The x range the curves are drawn over: the bars' range and
    :data:`MARGIN` of it on each side, where the tails show."""
    lo, hi = float(hist.edges[0]), float(hist.edges[-1])
    pad = MARGIN * (hi - lo)
    return lo - pad, hi + pad


def density_curves(params, lo: float, hi: float, n_points: int = GRID_POINTS):
    """Each component's weighted density and the mixture's over ``[lo, hi]``.

    Parameters
    ----------
    params : MixtureParams
        ``weights`` (K,), ``means`` (K, 1) and ``covariances`` (K, 1, 1).
    lo, hi : float
        The range, ``lo < hi``.
    n_points : int, default GRID_POINTS

    Returns
    -------
    Curves
    """
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise ValueError(f"lo and hi must be finite with lo < hi; got {lo}, {hi}")
    # the means join the grid: a component still on one point (a k-means++
    # start) is a spike there, not missed between grid points
    means = np.asarray(params.means, dtype=np.float64).reshape(-1)
    inside = means[np.isfinite(means) & (means > lo) & (means < hi)]
    grid = np.union1d(np.linspace(float(lo), float(hi), int(n_points)), inside)
    found = mixture_density(
        grid, params.weights, params.means, params.covariances, "full"
    )
    return Curves(grid, found.components.T, found.total)


def line_picture(X, params=None, resp=None) -> tuple[Histogram, Curves | None]:
    """What the chart of one fitted column shows: its histogram, split by
    ``resp`` (None: grey), and the curves of ``params`` (None: none).

    Parameters
    ----------
    X : array-like of shape (n, 1)
    params : MixtureParams or None
        Weights (K,), means (K, 1), covariances (K, 1, 1).
    resp : ndarray of shape (n, K) or None
    """
    hist = histogram(X, bin_edges(X), resp)
    if params is None:
        return hist, None
    return hist, density_curves(params, *curve_range(hist))


def draw_histogram(
    ctx: Any,
    width: float,
    height: float,
    dpr: float,
    hist: Histogram,
    curves: Curves | None,
    colours: list[str] | None,
    titles: tuple[str, str],
    look: ChartLook = LIGHT,
) -> ChartFrame:
    """Clear the canvas and draw the bars, then the curves over them.

    Parameters
    ----------
    ctx : canvas 2D context
    width, height : float
        Canvas size in device pixels.
    dpr : float
    hist : Histogram
        One group (grey bars) or one per component (``colours``).
    curves : Curves or None
        None: the bars alone (no fit yet).
    colours : list of str or None
        Each component's CSS colour.
    titles : (str, str)
        The x (the column) and y (density) axis titles.
    look : ChartLook, default LIGHT

    Returns
    -------
    ChartFrame
        The value-to-pixel map of the plot.
    """
    x_lo, x_hi = _x_range(hist, curves)
    x_ticks = nice_ticks(x_lo, x_hi, max_ticks(width - 76 * dpr, dpr, 60))
    tallest = float(hist.tops.max())
    tops = [hist.tops, np.zeros(1)]
    if curves is not None:
        # a spike (a component on one point) is cut at the chart's top
        peak = float(np.max(curves.total, initial=0.0, where=np.isfinite(curves.total)))
        tops.append(np.array([min(peak, CLIP * tallest)]))
    frame = chart_axes(
        ctx,
        width,
        height,
        dpr,
        [t for t in x_ticks if x_lo <= t <= x_hi],
        (x_lo, x_hi),
        np.concatenate(tops),
        titles,
        look=look,
    )
    ctx.save()
    set_dash(ctx, [])
    _draw_bars(ctx, frame, hist, colours)
    if curves is not None:
        ctx.lineJoin = "round"
        xs = frame.x_px(curves.grid)
        for k, ys in enumerate(curves.components):
            ctx.strokeStyle = colours[k] if colours else look.ink
            ctx.lineWidth = 2.0 * dpr
            polyline(ctx, xs, frame.y_px(np.minimum(ys, frame.y_hi)))
        # dashed: where one component makes the whole density, both show
        ctx.strokeStyle = look.ink
        ctx.lineWidth = 2.0 * dpr
        set_dash(ctx, [6 * dpr, 4 * dpr])
        polyline(ctx, xs, frame.y_px(np.minimum(curves.total, frame.y_hi)))
        set_dash(ctx, [])
    ctx.restore()
    return frame


def _x_range(hist: Histogram, curves: Curves | None) -> tuple[float, float]:
    if curves is not None:
        return float(curves.grid[0]), float(curves.grid[-1])
    return float(hist.edges[0]), float(hist.edges[-1])


def _draw_bars(ctx: Any, frame: ChartFrame, hist: Histogram, colours) -> None:
    """Stacked bars, each group in its colour (grey for a single group
    without colours)."""
    ctx.globalAlpha = BAR_ALPHA
    base = np.zeros(hist.heights.shape[1])
    lefts = frame.x_px(hist.edges[:-1])
    rights = frame.x_px(hist.edges[1:])
    for g, heights in enumerate(hist.heights):
        ctx.fillStyle = colours[g] if colours and len(hist.heights) > 1 else GREY_CSS
        y0, y1 = frame.y_px(base), frame.y_px(base + heights)
        for j in np.flatnonzero(heights > 0):
            ctx.fillRect(
                float(lefts[j]),
                float(y1[j]),
                float(rights[j] - lefts[j]),
                float(y0[j] - y1[j]),
            )
        base = base + heights
    ctx.globalAlpha = 1.0


def histogram_marks(hist: Histogram) -> dict:
    """The bars in numbers, for the canvas's ``data-histogram``: the edges,
    each group's heights (density units) and the number of bins."""
    return {
        "bins": int(hist.edges.size - 1),
        "edges": [round(float(e), 9) for e in hist.edges],
        "heights": [[round(float(v), 9) for v in row] for row in hist.heights],
    }


def curve_marks(curves: Curves | None) -> dict:
    """The curves in numbers, for the canvas's ``data-curves``: each
    component's area under its curve (its weight, when the grid covers
    it), the mixture's peak and where it is."""
    if curves is None:
        return {"areas": [], "peak": None, "at": None}
    step = np.diff(curves.grid)
    areas = (0.5 * (curves.components[:, 1:] + curves.components[:, :-1])) @ step
    top = int(np.argmax(curves.total))
    return {
        "areas": [round(float(a), 9) for a in areas],
        "peak": round(float(curves.total[top]), 9),
        "at": round(float(curves.grid[top]), 9),
    }


def _rug_points(frame: ChartFrame, x_flagged, dpr: float) -> np.ndarray:
    """Device-pixel centres of the rug's rings: at each flagged x, resting
    on the x axis (the bars' base)."""
    xs = frame.x_px(np.asarray(x_flagged, dtype=np.float64).reshape(-1))
    ys = np.full(xs.shape, frame.bottom - RING_CSS * dpr)
    return np.column_stack([xs, ys])


def draw_anomalies(
    ctx: Any,
    frame: ChartFrame,
    x_flagged,
    level: float,
    dpr: float,
    look: ChartLook = LIGHT,
) -> None:
    """Ring the flagged points on a rug along the x axis and draw the
    density they fall below as a horizontal line across the plot, both in
    ``look.mark`` on a ``look.mark_halo`` halo (the scatter's rings and
    contour): the mixture curve crosses the line where the flagged tails
    begin.

    Parameters
    ----------
    ctx : canvas 2D context
    frame : ChartFrame
        The histogram's (:func:`draw_histogram`).
    x_flagged : array-like of shape (n_flagged,)
        The flagged points' values.
    level : float
        The threshold in density units (``Anomalies.level``); above the
        chart's top, the line is drawn at the top.
    dpr : float
    look : ChartLook, default LIGHT
    """
    y = float(frame.y_px(min(max(float(level), frame.y_lo), frame.y_hi)))
    ctx.save()
    set_dash(ctx, [])
    for stroke, width in ((look.mark_halo, 3.0), (look.mark, 1.2)):
        ctx.strokeStyle = stroke
        ctx.lineWidth = width * dpr
        ctx.beginPath()
        ctx.moveTo(frame.left, y)
        ctx.lineTo(frame.right, y)
        ctx.stroke()
    ctx.restore()
    points = _rug_points(frame, x_flagged, dpr)
    draw_rings(ctx, points, RING_CSS * dpr, dpr, look)


def anomaly_marks(frame: ChartFrame, x_flagged, level: float, dpr: float) -> dict:
    """The anomaly marks in numbers, for the canvas's
    ``data-anomaly-marks``: the flagged x values (ascending), the rings'
    device-pixel x, and the threshold's density and pixel y."""
    x = np.sort(np.asarray(x_flagged, dtype=np.float64).reshape(-1))
    y = frame.y_px(min(max(float(level), frame.y_lo), frame.y_hi))
    return {
        "x": [round(float(v), 9) for v in x],
        "x_px": [round(float(v), 2) for v in _rug_points(frame, x, dpr)[:, 0]],
        "level": round(float(level), 12),
        "level_px": round(float(y), 2),
    }
