"""simapp.charts.data_chart: the ellipses and true centres drawn over the
scatter, against a recording canvas context."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest
from simapp.charts import axes, palette
from simapp.charts.data_chart import (
    Drawable,
    draw_component_centres,
    draw_ellipses,
    draw_true_centres,
    ellipse_marks,
    project_drawable,
    tiny_components,
)
from simapp.charts.viewport import Viewport
from simapp.state.pagestate import DisplayOptions


def _view(dpr=2.0):
    return Viewport.fit((-5, 5, -4, 4), 800, 600, dpr=dpr)


@pytest.mark.parametrize("seed", range(5))
def test_ellipse_calls_match_the_data_geometry(ctx, seed):
    rng = np.random.default_rng(seed)
    v = _view()
    center = rng.uniform(-2, 2, size=2)
    a, b = sorted(rng.uniform(0.2, 2.0, size=2), reverse=True)
    angle = rng.uniform(-math.pi, math.pi)
    e = SimpleNamespace(center=center, semi_axes=(a, b), angle=angle)
    draw_ellipses(ctx, v, [e], ["#123456"], n_std_list=(1, 2))
    # Ellipses as stroked: (ellipse call, stroke call with the style used).
    stroked = [
        (p[0], c) for p, c in ctx.paths() if len(p) == 1 and p[0].name == "ellipse"
    ]
    coloured = [e for e, c in stroked if c.state["strokeStyle"] == "#123456"]
    halos = [c for e, c in stroked if c.state["strokeStyle"] != "#123456"]
    assert len(halos) == 2 and all(h.state["lineWidth"] > 0 for h in halos)
    assert len(coloured) == 2
    for n_std, c in zip((1, 2), coloured, strict=True):
        x, y, rx, ry, rot, start, end = c.args
        np.testing.assert_allclose([x, y], v.to_px(center))
        assert math.isclose(rx, a * n_std * v.scale) and math.isclose(
            ry, b * n_std * v.scale
        )
        assert start == 0 and math.isclose(end, 2 * math.pi)
        # Where the canvas puts the end of the major axis (rotation is
        # clockwise on screen) must map back to centre + n * a * (cos, sin).
        tip_px = np.array([x + rx * math.cos(rot), y + rx * math.sin(rot)])
        expected = center + n_std * a * np.array([math.cos(angle), math.sin(angle)])
        np.testing.assert_allclose(v.to_data(tip_px), expected, atol=1e-9)
        minor_px = np.array([x - ry * math.sin(rot), y + ry * math.cos(rot)])
        d = v.to_data(minor_px) - center
        assert math.isclose(np.hypot(*d), n_std * b, rel_tol=1e-9)
        assert abs(d @ [math.cos(angle), math.sin(angle)]) < 1e-9
    # 1 sigma solid, 2 sigma dashed.
    assert coloured[0].state["lineDash"] == () or coloured[0].state["lineDash"] == []
    assert len(coloured[1].state["lineDash"]) == 2
    # Principal axes: two segments through the centre, lengths 2a and 2b.
    segs = [
        p
        for p, c in ctx.paths()
        if c.state["strokeStyle"] == "#123456" and p and p[0].name == "moveTo"
    ]
    assert len(segs) == 1
    pts = np.array([c.args for c in segs[0]])
    lengths = sorted(np.hypot(*(pts[1::2] - pts[0::2]).T))
    np.testing.assert_allclose(lengths, sorted([2 * b * v.scale, 2 * a * v.scale]))
    np.testing.assert_allclose((pts[0::2] + pts[1::2]) / 2, [v.to_px(center)] * 2)
    assert ctx.balanced()


def test_ellipses_accept_tuples_and_skip_non_finite(ctx):
    v = _view(1.0)
    good = ((0.0, 0.0), (1.0, 0.5), 0.3)
    bad = ((np.nan, 0.0), (1.0, 0.5), 0.3)
    draw_ellipses(ctx, v, [good, bad], [palette.RGB[0], (255, 0, 0)], n_std_list=(1,))
    styles = {
        c.state["strokeStyle"] for p, c in ctx.paths() if p and p[0].name == "ellipse"
    }
    assert palette.HEX[0] in styles and "#ff0000" not in styles


def test_true_centres_are_crosses_over_a_white_halo(ctx):
    v = _view()
    centres = np.array([[0.0, 0.0], [1.5, -2.0], [np.nan, 1.0]])
    draw_true_centres(ctx, v, centres)
    strokes = ctx.paths()
    assert [c.state["strokeStyle"] for _, c in strokes] == ["#ffffff", "#000000"]
    assert strokes[0][1].state["lineWidth"] > strokes[1][1].state["lineWidth"]
    pts = np.array([c.args for c in strokes[1][0]])
    assert len(pts) == 8  # two finite centres x two strokes x two points
    mids = (pts[0::2] + pts[1::2]) / 2
    expected = v.to_px(centres[:2])
    np.testing.assert_allclose(mids, np.repeat(expected, 2, axis=0))


def test_a_drawable_without_parameters_keeps_no_ellipses_on_a_plane():
    resp, mapping = np.eye(3)[[0, 1, 2, 1]], np.array([2, 0, 1])
    drawable = Drawable(("an ellipse of the first two columns",), resp, mapping, None)
    plane = SimpleNamespace(means=lambda m: m, covariances=lambda c: c)
    projected = project_drawable(drawable, plane)
    assert projected.ellipses == () and projected.params is None
    assert projected.resp is resp and projected.mapping is mapping
    assert project_drawable(drawable, None) is drawable
    assert project_drawable(None, plane) is None


def test_ellipse_marks_are_the_drawn_geometry():
    v = _view(1.5)
    e = SimpleNamespace(center=(1.0, -0.5), semi_axes=(2.0, 0.5), angle=0.3)
    (mark,) = ellipse_marks(v, [e], ["#abcdef"])
    np.testing.assert_allclose([mark["cx"], mark["cy"]], v.to_px([1.0, -0.5]))
    assert mark["rx"] == pytest.approx(2.0 * v.scale)
    assert mark["ry"] == pytest.approx(0.5 * v.scale)
    assert (mark["rotation"], mark["color"]) == (-0.3, "#abcdef")


@pytest.mark.parametrize("dpr", [1.0, 2.0])
def test_tiny_ellipses_are_drawn_at_the_least_size_with_their_centres(ctx, dpr):
    # a k-means++ start: each component on one point, covariance reg_covar
    v = _view(dpr)
    sd = math.sqrt(1e-6)
    point = SimpleNamespace(center=(1.0, -1.0), semi_axes=(sd, sd), angle=0.0)
    big = SimpleNamespace(center=(-2.0, 1.0), semi_axes=(1.5, 0.5), angle=0.4)
    assert tiny_components(v, [point, big]) == [0]
    draw_ellipses(ctx, v, [point, big], ["#123456", "#654321"], min_semi_axis_css=6.0)
    drawn = {
        c.state["strokeStyle"]: p[0].args
        for p, c in ctx.paths()
        if len(p) == 1 and p[0].name == "ellipse"
    }
    rx, ry = drawn["#123456"][2:4]
    assert rx >= 6.0 * dpr and ry >= 6.0 * dpr  # visible, not 0.001 px
    # a component large enough is drawn true to size (its last, 2σ, contour)
    assert math.isclose(drawn["#654321"][2], 2 * 1.5 * v.scale)
    ctx.calls.clear()
    draw_component_centres(ctx, v, [point.center], ["#123456"])
    fills = ctx.named("fill")
    assert [c.state["fillStyle"] for c in fills] == ["#ffffff", "#123456"]
    assert ctx.balanced()


def _drawn_sizes(ctx, dpr: float) -> tuple[list[float], list[float]]:
    """Font sizes (px) and line widths of a data chart drawn at ``dpr``, the
    labels sized for an 800 px canvas at dpr 1 (as the scatter view does)."""
    view = Viewport.from_points(
        np.array([[-5.0, -4.0], [5.0, 4.0]]),
        800,
        600,
        dpr=dpr,
        margins=axes.TITLED_MARGINS,
    )
    axes.draw_axes(ctx, view, titles=("x", "y"), font_css=axes.label_font_css(800, 1.0))
    draw_ellipses(ctx, view, [((0.0, 0.0), (2.0, 1.0), 0.3)], ["#0072b2"])
    draw_true_centres(ctx, view, [[1.0, 1.0]])
    fonts = [float(c.state["font"].split("px")[0]) for c in ctx.named("fillText")]
    widths = [float(c.state["lineWidth"]) for c in ctx.named("stroke")]
    return fonts, widths


def test_presenter_mode_draws_text_and_lines_larger(ctx):
    scale = DisplayOptions(present=True).scale
    fonts, widths = _drawn_sizes(ctx, 1.0)
    big_fonts, big_widths = _drawn_sizes(type(ctx)(), 1.0 * scale)
    assert len(big_fonts) == len(fonts) and len(big_widths) == len(widths)
    # every text and line at least 1.4 times larger (fonts round to whole px)
    for normal, big in zip(fonts + widths, big_fonts + big_widths, strict=True):
        assert big >= 1.4 * normal - 0.5
    assert min(big_fonts) >= 1.4 * min(fonts)
