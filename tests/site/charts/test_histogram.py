"""The chart of one fitted column: bins by the Freedman–Diaconis rule
(clipped), bars in density units split by hard assignment, curves whose
areas are the components' weights, and the drawing of both."""

from __future__ import annotations

import math

import numpy as np
import pytest
from fakes import line_strokes
from simapp.charts import histogram as H
from simapp.charts.look import DARK, LIGHT
from simapp.run.timeline import Params

from emcore import GaussianMixture
from emcore.geometry import to_full_covariances

COV_TYPES = ("full", "tied", "diag", "spherical")


def two_bumps(seed=0, n=400):
    rng = np.random.default_rng(seed)
    return np.concatenate([rng.normal(-2.0, 0.5, n // 4), rng.normal(3.0, 1.0, n)])


# ------------------------------------------------------------------ bins
def test_freedman_diaconis_width_sets_the_bins_between_the_clips():
    rng = np.random.default_rng(1)
    x = rng.normal(0.0, 1.0, 2000)
    q75, q25 = np.percentile(x, [75, 25])
    width = 2 * (q75 - q25) / 2000 ** (1 / 3)
    expected = math.ceil((x.max() - x.min()) / width)
    assert H.MIN_BINS < expected < H.MAX_BINS  # the rule itself decides here
    edges = H.bin_edges(x)
    assert len(edges) - 1 == expected
    assert edges[0] == x.min() and edges[-1] == x.max()
    np.testing.assert_allclose(np.diff(edges), np.diff(edges)[0])


@pytest.mark.parametrize(
    ("x", "n_bins"),
    [
        (np.arange(6.0), H.MIN_BINS),  # few points: wide bins, clipped up
        (np.random.default_rng(2).standard_cauchy(20_000), H.MAX_BINS),
        (np.r_[np.zeros(50), 1.0], H.MIN_BINS),  # IQR 0
        (np.full(7, 3.5), H.MIN_BINS),  # no range at all
    ],
)
def test_bin_count_is_clipped(x, n_bins):
    edges = H.bin_edges(x)
    assert len(edges) - 1 == n_bins
    assert edges[0] <= x.min() and edges[-1] >= x.max()


@pytest.mark.parametrize("bad", [[], [1.0, np.nan], np.zeros((3, 2))])
def test_bins_refuse_what_is_not_one_column(bad):
    with pytest.raises(ValueError, match="x must be one column"):
        H.bin_edges(bad)


# ------------------------------------------------------------------ bars
def test_bars_are_a_density_and_split_by_hard_assignment():
    x = two_bumps()
    edges = H.bin_edges(x)
    plain = H.histogram(x[:, None], edges)
    assert plain.heights.shape == (1, len(edges) - 1)
    assert np.sum(plain.tops * np.diff(edges)) == pytest.approx(1.0)
    counts, _ = np.histogram(x, edges)  # numpy's bins close the last one too
    np.testing.assert_allclose(plain.tops * len(x) * np.diff(edges), counts)

    resp = np.column_stack([x < 0.5, x >= 0.5]).astype(float) * 0.8 + 0.1
    split = H.histogram(x, edges, resp)
    assert split.heights.shape == (2, len(edges) - 1)
    np.testing.assert_allclose(split.tops, plain.tops)
    left = split.heights[0] * len(x) * np.diff(edges)
    assert left.sum() == pytest.approx(np.sum(x < 0.5))


def test_bars_refuse_bad_edges_and_responsibilities():
    with pytest.raises(ValueError, match="edges must be increasing"):
        H.histogram([1.0, 2.0], [0.0, 0.0, 1.0])
    with pytest.raises(ValueError, match=r"resp must have shape \(2, K\)"):
        H.histogram([1.0, 2.0], [0.0, 3.0], np.ones((3, 2)))


# ------------------------------------------------------------------ curves
@pytest.mark.parametrize("cov", COV_TYPES)
def test_component_curves_integrate_to_their_weights(cov):
    X = two_bumps(3)[:, None]
    gm = GaussianMixture(2, covariance_type=cov, random_state=0).fit(X)
    params = Params(
        gm.weights_, gm.means_, to_full_covariances(gm.covariances_, cov, 2, 1)
    )
    hist, curves = H.line_picture(X, params)
    lo, hi = H.curve_range(hist)
    assert lo < X.min() and hi > X.max()
    areas = H.curve_marks(curves)["areas"]
    np.testing.assert_allclose(areas, gm.weights_, atol=5e-3)
    np.testing.assert_allclose(curves.total, curves.components.sum(axis=0))
    # the mixture curve is scikit-learn's density: exp(score_samples)
    np.testing.assert_allclose(
        curves.total, np.exp(gm.score_samples(curves.grid[:, None])), rtol=1e-9
    )


def test_a_component_on_one_point_shows_as_a_spike():
    params = Params(
        np.array([0.5, 0.5]), np.array([[0.123], [2.0]]), np.full((2, 1, 1), 1e-8)
    )
    curves = H.density_curves(params, -1.0, 3.0, n_points=11)
    assert 0.123 in curves.grid and 2.0 in curves.grid
    assert curves.total.max() > 1000


def test_curves_need_a_range():
    params = Params(np.ones(1), np.zeros((1, 1)), np.ones((1, 1, 1)))
    with pytest.raises(ValueError, match="lo < hi"):
        H.density_curves(params, 1.0, 1.0)


# ------------------------------------------------------------------ drawing
def test_drawing_stacks_the_bars_and_strokes_every_curve(ctx):
    X = two_bumps(4)[:, None]
    gm = GaussianMixture(2, random_state=0).fit(X)
    params = Params(gm.weights_, gm.means_, gm.covariances_)
    hist, curves = H.line_picture(X, params, gm.predict_proba(X))
    colours = ["#0072b2", "#e69f00"]
    frame = H.draw_histogram(
        ctx, 640, 400, 1.0, hist, curves, colours, ("x (cm)", "density")
    )
    filled = ctx.named("fillRect")
    assert len(filled) == np.count_nonzero(hist.heights)
    assert {c.state["fillStyle"] for c in filled} == set(colours)
    # the bars' tops sit at their heights in the frame's units
    tallest = min(filled, key=lambda c: c.args[1])
    assert frame.y_px(hist.tops.max()) == pytest.approx(tallest.args[1])
    # each component solid in its colour, the mixture dashed in ink
    strokes = line_strokes(ctx, 1.0)
    assert strokes == {"#0072b2": (), "#e69f00": (), LIGHT.ink: (6.0, 4.0)}
    assert frame.y_hi >= curves.total.max()
    texts = [c.args[0] for c in ctx.named("fillText")]
    assert "x (cm)" in texts and "density" in texts


def test_a_spike_is_cut_at_the_top_and_bars_without_a_fit_are_grey(ctx):
    X = two_bumps(5)[:, None]
    params = Params(
        np.array([0.5, 0.5]), np.array([[-2.0], [3.0]]), np.full((2, 1, 1), 1e-9)
    )
    hist, curves = H.line_picture(X, params)
    frame = H.draw_histogram(ctx, 640, 400, 1.0, hist, curves, None, ("x", "density"))
    assert frame.y_hi <= H.CLIP * hist.tops.max() * 1.5  # nice ticks round up
    assert {c.state["fillStyle"] for c in ctx.named("fillRect")} == {H.GREY_CSS}
    marks = H.histogram_marks(hist)
    assert marks["bins"] == len(hist.edges) - 1 and len(marks["heights"]) == 1
    assert H.curve_marks(None) == {"areas": [], "peak": None, "at": None}


# ------------------------------------------------------------------ anomalies
@pytest.mark.parametrize("look", [LIGHT, DARK], ids=["light", "dark"])
def test_anomalies_are_rings_on_the_rug_under_a_threshold_line(ctx, look):
    X = two_bumps(6)[:, None]
    gm = GaussianMixture(2, random_state=0).fit(X)
    params = Params(gm.weights_, gm.means_, gm.covariances_)
    hist, curves = H.line_picture(X, params)
    frame = H.draw_histogram(ctx, 640, 400, 2.0, hist, curves, None, ("x", "d"))
    log_density = gm.score_samples(X)
    lowest = np.argsort(log_density)[:7]
    level = float(np.exp(log_density[lowest[-1]]))
    before = len(ctx.calls)
    H.draw_anomalies(ctx, frame, X[lowest, 0], level, 2.0, look)
    calls = ctx.calls[before:]
    arcs = [c for c in calls if c.name == "arc"]
    assert len(arcs) == 2 * 7  # a halo and a ring per flagged point
    np.testing.assert_allclose(
        sorted(a.args[0] for a in arcs[:7]), np.sort(frame.x_px(X[lowest, 0]))
    )
    # the rings rest on the x axis, inside the plot
    assert all(frame.top < a.args[1] < frame.bottom for a in arcs)
    assert {c.state["strokeStyle"] for c in calls if c.name == "stroke"} == {
        look.mark,
        look.mark_halo,
    }
    # the threshold: a horizontal line across the plot at the level
    lines = [c.args for c in calls if c.name == "lineTo"]
    y_level = frame.y_px(level)
    assert any(y == pytest.approx(y_level) and x == frame.right for x, y in lines)
    marks = H.anomaly_marks(frame, X[lowest, 0], level, 2.0)
    assert marks["x"] == sorted(round(float(v), 9) for v in X[lowest, 0])
    assert len(marks["x_px"]) == 7
    assert marks["level"] == pytest.approx(level)
    assert marks["level_px"] == pytest.approx(y_level, abs=0.01)


def test_a_threshold_above_the_top_is_drawn_at_the_top(ctx):
    X = two_bumps(7)[:, None]
    hist, curves = H.line_picture(X)
    frame = H.draw_histogram(ctx, 640, 400, 1.0, hist, curves, None, ("x", "d"))
    H.draw_anomalies(ctx, frame, X[:1, 0], 1e9, 1.0)
    assert H.anomaly_marks(frame, X[:1, 0], 1e9, 1.0)["level_px"] == pytest.approx(
        frame.top
    )
