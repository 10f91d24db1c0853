"""simapp.charts.marks: the primitives the charts draw with."""

from __future__ import annotations

from simapp.charts import marks
from simapp.charts.data_chart import draw_ellipses
from simapp.charts.viewport import Viewport


def _view(dpr=2.0):
    return Viewport.fit((-5, 5, -4, 4), 800, 600, dpr=dpr)


def test_line_dash_converter_is_used(ctx, monkeypatch):
    seen = []
    monkeypatch.setattr(marks, "_js_array", lambda xs: seen.append(xs) or tuple(xs))
    draw_ellipses(ctx, _view(1.0), [((0, 0), (1, 1), 0.0)], ["#000000"])
    assert seen and all(isinstance(x, list) for x in seen)
