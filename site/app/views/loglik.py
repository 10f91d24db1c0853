"""The log-likelihood chart: per-point log L per iteration, every start.

``#loglik-canvas`` carries ``data-trace`` (the bold series as JSON, full
precision), ``data-best`` (its 0-based start index) and ``data-marker``
(``start,iteration`` of the timeline position marked, or empty).
"""

from __future__ import annotations

import json

from simapp.charts import axes, loglik_chart
from simapp.text import loglik as words

from .. import dom
from . import shown


class LoglikView:
    """``#loglik-canvas`` and the note under it."""

    def __init__(self, data, state) -> None:
        self.data = data
        self.state = state  # callable: the current PageState
        self.canvas = dom.Canvas("loglik-canvas")
        self.note = dom.el("loglik-note")

    def render(self, old, new) -> None:
        """Follow the timeline: mark the position on show."""
        a, b = old.timeline, new.timeline
        if (a.mode, a.position, a.selected, a.positions > 0) == (
            b.mode,
            b.position,
            b.selected,
            b.positions > 0,
        ):
            return
        if self.data.model is not None and self.data.model.data is not None:
            self.draw(self.data.model)

    def draw(self, model) -> None:
        c = self.canvas
        s = model.settings
        if model.result is not None:
            series = model.result.start_traces
            bold = int(model.result.best_start)
        else:
            series = model.series
            bold = int(model.frame.start) if model.frame is not None else None
        frame = shown.timeline_frame(self.state().timeline, self.data.timeline)
        marker = None
        if frame is not None:
            bold, marker = int(frame.start), int(frame.iteration)
        runs, hidden = loglik_chart.off_chart_first(series)
        loglik_chart.draw_loglik_chart(
            c.ctx, c.width, c.height, runs, bold, int(s["iters"]), c.dpr, marker
        )
        c.dataset.marker = "" if frame is None else f"{bold},{marker}"
        self.note.textContent = words.off_chart_note(hidden)
        ds = c.dataset
        trace = series[bold] if bold is not None and bold < len(series) else []
        ds.trace = json.dumps([float(v) for v in trace])
        ds.best = "" if bold is None else str(bold)

    def draw_empty(self) -> None:
        c = self.canvas
        c.fit()
        axes.draw_empty(c.ctx, c.width, c.height, c.dpr, words.EMPTY)

    def clear(self) -> None:
        self.note.textContent = ""
