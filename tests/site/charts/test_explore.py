"""Tests for simapp.charts.explore: the browser-free side of issue 5's items 1, 3,
4, 6 and 7, checked against emcore's own numbers."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from simapp.charts import explore
from simapp.run.timeline import Timeline

from emcore.experiment import _model, check_settings, iterate
from emcore.experiment import run as emcore_run
from emcore.selection import local_optima_verdict
from emcore.synthetic import simulate


def _history(**kwargs):
    inits, ems, result, data = {}, {}, None, None
    tl = None
    for event in iterate(**kwargs):
        kind = event["kind"]
        if kind == "data":
            data = event
            tl = Timeline(event["settings"]["k"], "full")
        elif kind == "init":
            inits[event["start"]] = event
            tl.begin_start(
                event["start"], event["weights"], event["means"], event["covariances"]
            )
        elif kind == "em":
            ems.setdefault(event["start"], []).append(event)
            tl.append_frame(event)
        elif kind == "done":
            result = event["result"]
    return data, inits, ems, result, tl


@pytest.fixture(scope="module")
def history():
    return _history(k=3, n=300, overlap=30, seed=4, n_init=2)


def _same_ellipses(a, b):
    assert len(a) == len(b)
    for e, f in zip(a, b, strict=True):
        np.testing.assert_allclose(e.center, f.center, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(e.semi_axes, f.semi_axes, rtol=1e-8)


def test_timeline_positions_draw_the_recorded_parameters(history):
    data, inits, ems, result, tl = history
    X, labels = data["X"], data["labels_true"]
    state, d = explore.timeline_drawable(tl, X, 0, labels, 3)
    assert state.phase == "init" and d.resp is None  # grey points, no E-step
    _same_ellipses(d.ellipses, inits[0]["ellipses"])
    state, d = explore.timeline_drawable(tl, X, 1, labels, 3)
    assert state.phase == "e"
    _same_ellipses(d.ellipses, inits[0]["ellipses"])
    np.testing.assert_allclose(d.resp, ems[0][0]["resp"], atol=1e-10)
    np.testing.assert_array_equal(d.mapping, ems[0][0]["mapping"])
    state, d = explore.timeline_drawable(tl, X, 2, labels, 3)
    assert (state.phase, state.iteration) == ("m", 1)
    _same_ellipses(d.ellipses, ems[0][0]["ellipses"])
    assert d["params"] is d.params  # read like the page's frames
    last = tl.n_positions() - 1
    state, d = explore.timeline_drawable(tl, X, last, labels, 3)
    _same_ellipses(d.ellipses, ems[max(ems)][-1]["ellipses"])
    text = explore.timeline_label(state, tl.n_starts)
    assert text.startswith(f"Start {max(ems) + 1} of 2, iteration {state.iteration}")
    assert "M-step" in text and "converged" in text


def test_start_drawable_is_that_starts_final_solution(history):
    data, _, ems, result, tl = history
    for i in range(len(result["starts"])):
        d = explore.start_drawable(tl, data["X"], result, i, data["labels_true"], 3)
        _same_ellipses(d.ellipses, result["starts"][i]["ellipses"])
        _same_ellipses(d.ellipses, ems[i][-1]["ellipses"])
        assert d.resp.shape == (300, 3)
        np.testing.assert_allclose(d.resp.sum(axis=1), 1.0)


@pytest.mark.parametrize(
    ("k", "k_true", "kind", "word"),
    [
        (4, 2, "over", "Over-fitting"),
        (2, 5, "under", "Under-fitting"),
        (3, 3, "match", "as many"),
    ],
)
def test_fit_vs_truth(k, k_true, kind, word):
    text, got = explore.fit_vs_truth(k, k_true, 3)
    assert got == kind and word in text and "BIC picks K = 3" in text
    assert ("the right number" in text) == (k_true == 3)
    text, got = explore.fit_vs_truth(3, None, 2)
    assert got == "unknown" and "K = 2" in text


@pytest.mark.parametrize("seed", [1, 2, 5, 9, 12])
def test_optima_groups_agree_with_emcores_verdict(seed):
    kwargs = {"k": 4, "n": 400, "overlap": 40, "seed": seed, "n_init": 5}
    result = emcore_run(**kwargs)
    finals = [s["loglik_mean"] for s in result["starts"]]
    groups = explore.optima_groups(finals, max(10 * 1e-4, 1e-4))
    assert len(set(groups)) == result["n_optima"]
    assert groups[result["best_start"]] == 0
    assert groups.count(0) == result["best_hits"]
    # the same rule as emcore.selection, refitted independently
    s = check_settings(**kwargs)
    X, _ = simulate(s["n"], s["k_true"], s["overlap"] / 100, s["seed"])
    verdict = local_optima_verdict(_model(s, s["k"]).fit(X), X)
    assert verdict.n_optima == result["n_optima"]


@given(st.lists(st.floats(-10, 0), min_size=1, max_size=10), st.floats(1e-6, 1.0))
def test_optima_groups_properties(finals, tol):
    groups = explore.optima_groups(finals, tol)
    best = max(range(len(finals)), key=lambda i: finals[i])
    assert groups[best] == 0 and min(groups) == 0
    # groups are ordered like the values and contiguous
    order = sorted(range(len(finals)), key=lambda i: -finals[i])
    assert [groups[i] for i in order] == sorted(groups)
    assert set(groups) == set(range(max(groups) + 1))


def test_starts_summary_words():
    assert explore.starts_summary(2, 3, 4) == (
        "2 distinct optima; the best reached by 3 of 4 starts."
    )
    assert explore.starts_summary(1, 1, 1).startswith("1 distinct optimum;")


def test_draw_starts_chart(ctx):
    finals = [-4.70, -4.71, -4.70, -4.80, -4.70]
    groups = explore.optima_groups(finals, 1e-3)
    dots = explore.draw_starts_chart(ctx, 480, 160, finals, groups, 0, 3, 1.0)
    assert ctx.balanced() and len(dots) == 5
    xs = [x for x, _ in dots]
    assert xs[3] < xs[1] < xs[0] and xs[0] == xs[2] == xs[4]  # order by log L
    ys = sorted(y for x, y in dots if x == xs[0])
    assert all(b - a >= 14 for a, b in zip(ys, ys[1:], strict=False))  # no overlap
    assert all(0 <= y <= 160 for _, y in dots)
    assert "final log-likelihood per point" in ctx.texts()
    assert {"1", "2", "3", "4", "5"} <= set(ctx.texts())
    # many starts in one optimum still fit on the canvas
    dots = explore.draw_starts_chart(ctx, 300, 120, [-1.0] * 10, [0] * 10, 0, None)
    assert all(0 <= y <= 120 for _, y in dots)


def test_kmeans_colours_and_aris():
    result = emcore_run(k=3, n=300, seed=2)
    km = result["kmeans"]
    rgb = explore.kmeans_colours(km["labels"], 3, km["mapping"])
    assert rgb.shape == (300, 3) and rgb.dtype == np.uint8
    assert len({tuple(c) for c in rgb}) == len(set(km["labels"].tolist()))
    text = explore.ari_sentence(result["ari"], km["ari"])
    assert f"{km['ari']:.3f}" in text and f"{result['ari']:.3f}" in text
    assert "No true labels" in explore.ari_sentence(None, None)


def test_params_key_changes_with_the_parameters(history):
    _, _, _, _, tl = history
    a, b = tl.params(0, 1), tl.params(0, 2)
    assert explore.params_key(a) == explore.params_key(tl.params(0, 1))
    assert explore.params_key(a) != explore.params_key(b)
    assert explore.params_key(None) is None
    assert math.isfinite(len(explore.params_key(a)))
