"""simapp.charts.starts_chart: the optima of the starts and their strip chart,
checked against emcore's own numbers."""

from __future__ import annotations

import pytest
from simapp.charts import starts_chart

from emcore.experiment import check_settings
from emcore.experiment import run as emcore_run
from emcore.experiment.sweep import model
from emcore.selection import local_optima_verdict
from emcore.synthetic import simulate


@pytest.mark.parametrize("seed", [1, 2, 5, 9, 12])
def test_the_starts_optima_are_the_verdicts(seed):
    kwargs = {"k": 4, "n": 400, "overlap": 40, "seed": seed, "n_init": 5}
    result = emcore_run(**kwargs)
    groups = [s.optimum for s in result.starts]
    assert max(groups) + 1 == result.n_optima
    assert groups.count(0) == result.best_hits
    # the same count refitted independently
    s = check_settings(**kwargs)
    X, _ = simulate(s["n"], s["k_true"], s["overlap"] / 100, s["seed"])
    verdict = local_optima_verdict(model(s, s["k"]).fit(X), X)
    assert verdict.n_optima == result.n_optima
    assert list(verdict.groups) == groups


def test_draw_starts_chart(ctx):
    finals = [-4.70, -4.71, -4.70, -4.80, -4.70]
    groups = [0, 1, 0, 2, 0]
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
    # starts that did not converge (-1) are drawn, grey, with the others
    ctx.calls.clear()
    dots = starts_chart.draw_starts_chart(
        ctx, 480, 160, [-4.7, -4.6, -4.8], [0, -1, -1], 0, None
    )
    assert len(dots) == 3 and ctx.balanced()
    fills = [c.state["fillStyle"] for c in ctx.named("fill")]
    assert fills.count(starts_chart.OTHER_CSS) == 2
