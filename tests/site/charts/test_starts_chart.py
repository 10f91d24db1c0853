"""simapp.charts.starts_chart: the optima of the starts and their strip chart,
checked against emcore's own numbers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from simapp.charts import starts_chart

from emcore.experiment import check_settings
from emcore.experiment import run as emcore_run
from emcore.experiment.sweep import model
from emcore.selection import local_optima_verdict
from emcore.synthetic import simulate


@pytest.mark.parametrize("seed", [1, 2, 5, 9, 12])
def test_optima_groups_agree_with_emcores_verdict(seed):
    kwargs = {"k": 4, "n": 400, "overlap": 40, "seed": seed, "n_init": 5}
    result = emcore_run(**kwargs)
    finals = [s.loglik_mean for s in result.starts]
    groups = starts_chart.optima_groups(finals, max(10 * 1e-4, 1e-4))
    assert len(set(groups)) == result.n_optima
    assert groups[result.best_start] == 0
    assert groups.count(0) == result.best_hits
    # the same rule as emcore.selection, refitted independently
    s = check_settings(**kwargs)
    X, _ = simulate(s["n"], s["k_true"], s["overlap"] / 100, s["seed"])
    verdict = local_optima_verdict(model(s, s["k"]).fit(X), X)
    assert verdict.n_optima == result.n_optima


@given(st.lists(st.floats(-10, 0), min_size=1, max_size=10), st.floats(1e-6, 1.0))
def test_optima_groups_properties(finals, tol):
    groups = starts_chart.optima_groups(finals, tol)
    best = max(range(len(finals)), key=lambda i: finals[i])
    assert groups[best] == 0 and min(groups) == 0
    # groups are ordered like the values and contiguous
    order = sorted(range(len(finals)), key=lambda i: -finals[i])
    assert [groups[i] for i in order] == sorted(groups)
    assert set(groups) == set(range(max(groups) + 1))


def test_draw_starts_chart(ctx):
    finals = [-4.70, -4.71, -4.70, -4.80, -4.70]
    groups = starts_chart.optima_groups(finals, 1e-3)
    dots = starts_chart.draw_starts_chart(ctx, 480, 160, finals, groups, 0, 3, 1.0)
    assert ctx.balanced() and len(dots) == 5
    xs = [x for x, _ in dots]
    assert xs[3] < xs[1] < xs[0] and xs[0] == xs[2] == xs[4]  # order by log L
    ys = sorted(y for x, y in dots if x == xs[0])
    assert all(b - a >= 14 for a, b in zip(ys, ys[1:], strict=False))  # no overlap
    assert all(0 <= y <= 160 for _, y in dots)
    assert "final log-likelihood per point" in ctx.texts()
    assert {"1", "2", "3", "4", "5"} <= set(ctx.texts())
    # many starts in one optimum still fit on the canvas
    dots = starts_chart.draw_starts_chart(ctx, 300, 120, [-1.0] * 10, [0] * 10, 0, None)
    assert all(0 <= y <= 120 for _, y in dots)
