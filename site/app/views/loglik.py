"""The log-likelihood chart (per-point log L per iteration, every start)
and, beside it, the bound panel (log L, the lower bound and their gap at
every half-step of the best start, drawn once the run has finished).

``#loglik-canvas`` carries ``data-trace`` (the bold series as JSON, full
precision), ``data-best`` (its 0-based start index) and ``data-marker``
(``start,iteration`` of the timeline position marked, or empty).

``#bound`` carries ``data-series`` (JSON: one entry per half-step,
``iteration``, ``step`` ``"E"``/``"M"``, ``loglik``, ``bound``, ``gap``,
totals over the data as the log-likelihood result card) and ``data-start``
(the start drawn) and ``data-compute-ms`` (what computing the series
took); ``#bound-canvas`` carries ``data-current`` (the index in
the series of the timeline's half-step, or empty when the timeline shows
no half-step of that start).
"""

from __future__ import annotations

import json
import time

from simapp.charts import axes, bound_chart, loglik_chart
from simapp.charts.look import chart_look
from simapp.run.bound import bound_series, series_records
from simapp.text import bound as bound_words
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

    def draw(self, model, look=None) -> None:
        """Draw ``model``'s traces in the page theme's colours, or in
        ``look`` (an export's light look)."""
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
            c.ctx,
            c.width,
            c.height,
            runs,
            bold,
            int(s["iters"]),
            c.dpr * self.state().display.scale,  # presenter mode: larger
            marker,
            look or chart_look(self.state().display.dark),
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
        look = chart_look(self.state().display.dark)
        axes.draw_empty(c.ctx, c.width, c.height, c.dpr, words.EMPTY, look)

    def clear(self) -> None:
        self.note.textContent = ""


#: Half-steps shown each side of the timeline's (four iterations).
ZOOM_HALF_STEPS = 8


class BoundView:
    """``#bound``: its canvas, the note under it and the series it carries."""

    def __init__(self, data, state) -> None:
        self.data = data
        self.state = state  # callable: the current PageState
        self.panel = dom.el("bound")
        self.canvas = dom.Canvas("bound-canvas")
        self.note = dom.el("bound-note")
        # the series of one finished result, computed when first drawn
        self._computed: tuple = (None, [])

    def render(self, old, new) -> None:
        """Follow the timeline: mark the half-step on show."""
        a, b = old.timeline, new.timeline
        moved = (a.mode, a.position, a.selected) != (b.mode, b.position, b.selected)
        if moved and self.data.result is not None:
            self.draw()

    def series(self) -> list[dict]:
        """The finished run's half-steps (computed once per result)."""
        result = self.data.result
        if result is None:
            return []
        if self._computed[0] is not result:
            t0 = time.perf_counter()
            temperature = float(result.settings.get("temperature", 1.0))
            steps = bound_series(
                self.data.timeline, result.X, int(result.best_start), temperature
            )
            self._computed = (result, series_records(steps))
            ms = (time.perf_counter() - t0) * 1000.0
            self.panel.dataset.computeMs = f"{ms:.1f}"
        return self._computed[1]

    def current(self, series) -> int | None:
        """Index in ``series`` of the half-step the timeline shows."""
        frame = shown.timeline_frame(self.state().timeline, self.data.timeline)
        result = self.data.result
        if frame is None or result is None or frame.phase == "init":
            return None
        if int(frame.start) != int(result.best_start):
            return None
        index = 2 * (int(frame.iteration) - 1) + (0 if frame.phase == "e" else 1)
        return index if index < len(series) else None

    def draw(self) -> None:
        c = self.canvas
        c.fit()
        series = self.series()
        if not series:
            self.reset()
            return
        current = self.current(series)
        bound_chart.draw_bound_chart(
            c.ctx, c.width, c.height, series, c.dpr, current, ZOOM_HALF_STEPS
        )
        _, hidden = bound_chart.off_chart(
            [s["loglik"] for s in series], [s["bound"] for s in series]
        )
        note = bound_words.off_chart_note(hidden)
        if current is not None:
            at = series[current]
            temperature = float(self.data.result.settings.get("temperature", 1.0))
            note = bound_words.half_step_note(
                at["iteration"], at["step"], at["gap"], temperature
            )
        self.note.textContent = note
        self.panel.dataset.series = json.dumps(series)
        self.panel.dataset.start = str(int(self.data.result.best_start))
        c.dataset.current = "" if current is None else str(current)

    def reset(self) -> None:
        """The empty state (no finished run)."""
        self._computed = (None, [])
        c = self.canvas
        c.fit()
        axes.draw_empty(c.ctx, c.width, c.height, c.dpr, bound_words.EMPTY)
        self.note.textContent = ""
        self.panel.dataset.series = "[]"
        self.panel.dataset.start = ""
        c.dataset.current = ""
