"""The data chart: what it draws of a mixture, on which plane, and how.

A :class:`Drawable` is what the chart shows whatever its source (the live
frame, the final fit, a timeline position or one start's solution): ellipses,
responsibilities, colour mapping and parameters. :func:`project_drawable`
puts it on the chart's plane when the fit has more than two columns (each
ellipse is the projection of its component's covariance, ``Pᵀ Σ P``). The
scatter itself is rasterised by :func:`simapp.charts.raster.render_points`
and put on the canvas before the vector overlays drawn here (fitted ellipses,
true centres); :func:`ellipse_marks` and :func:`viewport_marks` say in
numbers (device pixels) what was drawn, for the canvas's ``data-*``
attributes.

Examples
--------
>>> view = Viewport.fit((0, 1, 0, 1), 120, 120, padding=0, margins=(10,) * 4)
>>> viewport_marks(view)
{'scale': 100.0, 'cx': 0.5, 'cy': 0.5, 'plot_cx': 60.0, 'plot_cy': 60.0}
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from emcore.geometry import mixture_ellipses
from simapp.charts.look import LIGHT, ChartLook
from simapp.charts.marks import TAU, css_colour, marker, set_dash
from simapp.charts.viewport import Viewport

__all__ = [
    "MIN_SEMI_AXIS_CSS",
    "Drawable",
    "MixtureParams",
    "draw_component_centres",
    "draw_contour",
    "draw_ellipses",
    "draw_rings",
    "draw_true_centres",
    "ellipse_marks",
    "project_drawable",
    "tiny_components",
    "viewport_marks",
]

#: Smallest 1σ semi-axis drawn, in CSS pixels. A k-means++ start puts each
#: component on one point (covariance ``reg_covar``), and a collapsed one
#: ends on a point: drawn true to size they would vanish.
MIN_SEMI_AXIS_CSS = 6.0


class MixtureParams(Protocol):
    """Mixture parameters with full covariances, as a frozen dataclass (e.g.
    :class:`simapp.run.timeline.Params`): weights (K,), means (K, d),
    covariances (K, d, d)."""

    weights: np.ndarray
    means: np.ndarray
    covariances: np.ndarray


@dataclass(frozen=True)
class Drawable:
    """What the data chart shows of a mixture, whatever its source.

    Attributes
    ----------
    ellipses : tuple of emcore.geometry.Ellipse
        1σ ellipses, one per component (empty: none to draw).
    resp : ndarray of shape (n, K) or None
        Responsibilities colouring the points (None: grey points).
    mapping : ndarray of shape (K,)
        Fitted component -> true cluster (for stable colours).
    params : MixtureParams or None
        Parameters behind the ellipses (for the density background and the
        chart's description).
    """

    ellipses: tuple
    resp: np.ndarray | None
    mapping: np.ndarray
    params: MixtureParams | None


def project_drawable(drawable: Drawable | None, projection) -> Drawable | None:
    """``drawable`` as the plane of ``projection`` shows it.

    Parameters
    ----------
    drawable : Drawable or None
        What the chart draws, parameters in the fitted columns.
    projection : simapp.data.projection.Projection or None
        Anything with ``means(means)`` and ``covariances(covariances)``
        mapping (K, d) and (K, d, d) onto the plane; ``None``: the data's
        two columns as they are (``drawable`` unchanged).

    Returns
    -------
    Drawable or None
        Projected 1σ ellipses and parameters (means (K, 2), covariances
        (K, 2, 2)); responsibilities and colour mapping as they were. A
        drawable without parameters keeps no ellipses (those the simulator
        made belong to the first two columns only).
    """
    if drawable is None or projection is None:
        return drawable
    params = drawable.params
    if params is None:
        return Drawable((), drawable.resp, drawable.mapping, None)
    means = projection.means(params.means)
    covariances = projection.covariances(params.covariances)
    shown = dataclasses.replace(params, means=means, covariances=covariances)
    ellipses = tuple(mixture_ellipses(means, covariances, "full"))
    return Drawable(ellipses, drawable.resp, drawable.mapping, shown)


def _ellipse_parts(e: Any) -> tuple[np.ndarray, np.ndarray, float] | None:
    """(center, semi_axes, angle) of an Ellipse-like object or 3-tuple.

    Returns ``None`` when any number is non-finite so a diverged component is
    skipped instead of making the canvas API throw.
    """
    if hasattr(e, "center"):
        center, axes, angle = e.center, e.semi_axes, e.angle
    else:
        center, axes, angle = e
    center = np.asarray(center, dtype=np.float64).reshape(2)
    axes = np.abs(np.asarray(axes, dtype=np.float64).reshape(2))
    angle = float(angle)
    if not (
        np.isfinite(center).all() and np.isfinite(axes).all() and math.isfinite(angle)
    ):
        return None
    return center, axes, angle


def draw_ellipses(
    ctx: Any,
    view: Viewport,
    ellipses: Sequence[Any],
    colors: Sequence[Any],
    n_std_list: Sequence[float] = (1, 2),
    *,
    line_width_css: float = 2.0,
    principal_axes: bool = True,
    min_semi_axis_css: float = 0.0,
    look: ChartLook = LIGHT,
) -> None:
    """Draw fitted-component ellipses and their principal axes.

    Parameters
    ----------
    ctx : canvas 2D context (duck-typed)
    view : Viewport
        Data-to-pixel map of the clustering canvas.
    ellipses : sequence
        Objects with ``center`` (2,), ``semi_axes`` (2,) - the **1-sigma**
        semi-axis lengths, major first - and ``angle`` (radians, major axis
        counter-clockwise from +x in data space), or ``(center, semi_axes,
        angle)`` tuples. Non-finite entries are skipped.
    colors : sequence
        One CSS string or RGB triple per ellipse.
    n_std_list : sequence of float, default (1, 2)
        Contours to draw, in standard deviations; the first is solid and the
        others dashed.
    line_width_css : float, default 2
        Contour width in CSS pixels.
    principal_axes : bool, default True
        Also draw both principal axes, spanning the first contour.
    min_semi_axis_css : float, default 0
        No 1σ semi-axis is drawn shorter than this many CSS pixels (the
        other contours in proportion), so that a tiny component stays
        visible (:func:`tiny_components` says which were enlarged).
    look : ChartLook, default LIGHT
        The theme's colours: each contour is drawn over a halo of
        ``look.halo``.
    """
    for e, color in zip(ellipses, colors, strict=False):
        parts = _ellipse_parts(e)
        if parts is None:
            continue
        css = css_colour(color)
        if min_semi_axis_css > 0:
            center, axes, angle = parts
            least = min_semi_axis_css * view.dpr / float(view.length_to_px(1.0))
            parts = (center, np.maximum(axes, least), angle)
        ctx.save()
        _contours(ctx, view, parts, (look.halo, css), n_std_list, line_width_css)
        if principal_axes and len(n_std_list):
            _principal_axes(ctx, view, parts, css, n_std_list[0], line_width_css)
        ctx.restore()


def _contours(ctx, view, parts, strokes, n_std_list, line_width_css) -> None:
    """The contours of one ellipse, each over a halo: ``strokes`` is
    (halo colour, contour colour)."""
    halo, css = strokes
    center, axes, angle = parts
    dpr = view.dpr
    cx, cy = view.to_px(center)
    for i, n_std in enumerate(n_std_list):
        rx = float(view.length_to_px(axes[0] * n_std))
        ry = float(view.length_to_px(axes[1] * n_std))
        set_dash(ctx, [] if i == 0 else [6 * dpr, 4 * dpr])
        # Canvas y points down, so a counter-clockwise data angle is a
        # clockwise canvas rotation: negate it.
        for stroke, width in ((halo, 2.0), (css, 0.0)):
            ctx.strokeStyle = stroke
            ctx.beginPath()
            ctx.ellipse(cx, cy, rx, ry, -angle, 0, TAU)
            ctx.lineWidth = (line_width_css * (1.0 if i == 0 else 0.75) + width) * dpr
            ctx.stroke()


def _principal_axes(ctx, view, parts, css, n_std, line_width_css) -> None:
    """Both principal axes of one ellipse, spanning its ``n_std`` contour."""
    center, axes, angle = parts
    u = np.array([math.cos(angle), math.sin(angle)])
    v = np.array([-u[1], u[0]])
    set_dash(ctx, [])
    ctx.strokeStyle = css
    ctx.lineWidth = 0.75 * line_width_css * view.dpr
    ctx.beginPath()
    for direction, length in ((u, axes[0]), (v, axes[1])):
        a, b = view.to_px(
            [
                center - direction * length * n_std,
                center + direction * length * n_std,
            ]
        )
        ctx.moveTo(a[0], a[1])
        ctx.lineTo(b[0], b[1])
    ctx.stroke()


def draw_true_centres(
    ctx: Any,
    view: Viewport,
    centres: np.ndarray | Sequence[Sequence[float]],
    *,
    size_css: float = 6.0,
    look: ChartLook = LIGHT,
) -> None:
    """Mark the true cluster centres with a cross on a halo (black on white
    in the light theme, white on black in the dark one).

    Parameters
    ----------
    ctx : canvas 2D context
    view : Viewport
    centres : array_like, shape (k, 2)
        True means in data coordinates; non-finite rows are skipped.
    size_css : float, default 6
        Half the cross's arm length in CSS pixels.
    look : ChartLook, default LIGHT
    """
    C = np.asarray(centres, dtype=np.float64).reshape(-1, 2)
    C = C[np.isfinite(C).all(axis=1)]
    if C.shape[0] == 0:
        return
    P = view.to_px(C)
    h = size_css * view.dpr
    ctx.save()
    set_dash(ctx, [])
    ctx.lineCap = "round"
    for stroke, width in ((look.mark_halo, 5.0), (look.mark, 2.0)):
        ctx.strokeStyle = stroke
        ctx.lineWidth = width * view.dpr
        ctx.beginPath()
        for x, y in P:
            ctx.moveTo(x - h, y - h)
            ctx.lineTo(x + h, y + h)
            ctx.moveTo(x - h, y + h)
            ctx.lineTo(x + h, y - h)
        ctx.stroke()
    ctx.restore()


def draw_contour(ctx: Any, segments: np.ndarray, dpr: float) -> None:
    """Stroke contour ``segments`` (device pixels, shape (n, 2, 2)) thin
    black on a white halo: the density level the anomalies fall below.
    Solid: a dash would restart on every short segment."""
    if len(segments) == 0:
        return
    ctx.save()
    ctx.lineCap = "round"
    set_dash(ctx, [])
    for stroke, width in (("#ffffff", 3.0), ("#000000", 1.2)):
        ctx.strokeStyle = stroke
        ctx.lineWidth = width * dpr
        ctx.beginPath()
        for (x0, y0), (x1, y1) in segments:
            ctx.moveTo(x0, y0)
            ctx.lineTo(x1, y1)
        ctx.stroke()
    ctx.restore()


def draw_rings(ctx: Any, points_px: np.ndarray, radius_px: float, dpr: float) -> None:
    """Ring points (flagged anomalies): a black circle on a white halo
    around each, so it shows on any colour and over the density wash.

    Parameters
    ----------
    ctx : canvas 2D context
    points_px : ndarray of shape (n, 2)
        Centres in device pixels.
    radius_px : float
        The ring's radius in device pixels (a little over a point's).
    dpr : float
        Device pixels per CSS pixel (line widths are in CSS pixels).
    """
    if len(points_px) == 0:
        return
    ctx.save()
    set_dash(ctx, [])
    for stroke, width in (("#ffffff", 3.5), ("#000000", 1.5)):
        ctx.strokeStyle = stroke
        ctx.lineWidth = width * dpr
        ctx.beginPath()
        for x, y in points_px:
            ctx.moveTo(x + radius_px, y)
            ctx.arc(x, y, radius_px, 0.0, 2.0 * np.pi)
        ctx.stroke()
    ctx.restore()


def tiny_components(
    view: Viewport, ellipses: Sequence[Any], min_css: float = MIN_SEMI_AXIS_CSS
) -> list[int]:
    """The components whose 1σ ellipse is smaller than ``min_css`` CSS
    pixels across its major semi-axis (too small to see drawn to size)."""
    tiny = []
    for j, e in enumerate(ellipses):
        parts = _ellipse_parts(e)
        if parts is None:
            continue
        if float(view.length_to_px(float(parts[1].max()))) < min_css * view.dpr:
            tiny.append(j)
    return tiny


def draw_component_centres(
    ctx: Any,
    view: Viewport,
    centres: np.ndarray | Sequence[Sequence[float]],
    colors: Sequence[Any],
    *,
    size_css: float = 5.0,
) -> None:
    """Mark components' centres with a diamond of their colour on a white
    halo (where their ellipses are too small to show them).

    Parameters
    ----------
    ctx : canvas 2D context
    view : Viewport
    centres : array_like, shape (m, 2)
        Means in data coordinates; non-finite rows are skipped.
    colors : sequence
        One CSS string or RGB triple per centre.
    size_css : float, default 5
        The diamond's half-size in CSS pixels.
    """
    C = np.asarray(centres, dtype=np.float64).reshape(-1, 2)
    r = size_css * view.dpr
    ctx.save()
    for centre, color in zip(C, colors, strict=False):
        if not np.isfinite(centre).all():
            continue
        x, y = (float(v) for v in view.to_px(centre))
        ctx.fillStyle = "#ffffff"
        marker(ctx, "diamond", x, y, r + 1.5 * view.dpr)
        ctx.fillStyle = css_colour(color)
        marker(ctx, "diamond", x, y, r)
    ctx.restore()


def ellipse_marks(
    view: Viewport, ellipses: Sequence[Any], colours: Sequence[str]
) -> list[dict]:
    """Each drawn ellipse's centre ``cx, cy``, 1σ radii ``rx, ry``, canvas
    ``rotation`` and ``color``, in device pixels (the ``data-ellipses``)."""
    drawn = []
    for e, colour in zip(ellipses, colours, strict=False):
        centre = view.to_px(np.asarray(e.center, dtype=float))
        drawn.append(
            {
                "cx": float(centre[0]),
                "cy": float(centre[1]),
                "rx": float(view.length_to_px(float(e.semi_axes[0]))),
                "ry": float(view.length_to_px(float(e.semi_axes[1]))),
                "rotation": -float(e.angle),
                "color": colour,
            }
        )
    return drawn


def viewport_marks(view: Viewport) -> dict[str, float]:
    """The map from data to pixels, ``pixel = plot_c + (data - c) * scale``
    (y flipped), as plain numbers (the ``data-view``)."""
    return {
        "scale": float(view.scale),
        "cx": float(view.cx),
        "cy": float(view.cy),
        "plot_cx": float(view.plot_cx),
        "plot_cy": float(view.plot_cy),
    }
