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
took); for the Bayesian fit it carries ``data-model="bayes"`` and its
``data-series`` holds the ELBO per iteration (``iteration``, ``elbo``,
totals); ``#bound-canvas`` carries ``data-current`` (the index in
the series of the timeline's half-step, or empty when the timeline shows
no half-step of that start).

``#bound-path`` follows the iteration the timeline shows of the best start
along its path from the parameters before it (``s = 0``) to its M-step's
(``s = 1``): it carries ``data-path`` (JSON: ``iteration``, and ``s``,
``loglik`` and ``bound``, one per point, totals as in ``data-series``; empty
when the timeline shows no iteration of the best start) and
``data-compute-ms`` (what computing the last path took).
"""

from __future__ import annotations

import json
import math
import time

from simapp.charts import axes, bound_chart, loglik_chart
from simapp.charts.look import display_look
from simapp.run.bound import (
    PATH_POINTS,
    bound_series,
    iteration_path,
    path_points,
    path_record,
    series_records,
)
from simapp.text import bound as bound_words
from simapp.text import loglik as words
from simapp.text import results

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
            look or display_look(self.state().display),
        )
        c.dataset.marker = "" if frame is None else f"{bold},{marker}"
        note = words.off_chart_note(hidden)
        if s.get("model") == "bayes":
            note = f"{results.BAYES_TRACE_NOTE} {note}".strip()
        self.note.textContent = note
        ds = c.dataset
        trace = series[bold] if bold is not None and bold < len(series) else []
        ds.trace = json.dumps([float(v) for v in trace])
        ds.best = "" if bold is None else str(bold)

    def draw_empty(self) -> None:
        c = self.canvas
        c.fit()
        look = display_look(self.state().display)
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
        result = self.data.result
        bayes = result is not None and result.settings.get("model") == "bayes"
        self.panel.dataset.model = "bayes" if bayes else "em"
        if bayes:
            self.draw_elbo()
            return
        series = self.series()
        if not series:
            self.reset()
            return
        current = self.current(series)
        bound_chart.draw_bound_chart(
            c.ctx, c.width, c.height, series, c.dpr, current, ZOOM_HALF_STEPS
        )
        drawn, hidden = bound_chart.off_chart(
            [s["loglik"] for s in series], [s["bound"] for s in series]
        )
        note = bound_words.off_chart_note(hidden)
        if current is not None:
            at = series[current]
            temperature = float(self.data.result.settings.get("temperature", 1.0))
            step_note = bound_words.half_step_note(
                at["iteration"], at["step"], at["gap"], temperature
            )
            # the half-step on show may be one of those left off the chart
            off = any(math.isnan(curve[current]) for curve in drawn)
            note = f"{step_note} {note}" if off else step_note
        self.note.textContent = note
        self.panel.dataset.series = json.dumps(series)
        self.panel.dataset.start = str(int(self.data.result.best_start))
        c.dataset.current = "" if current is None else str(current)

    def draw_elbo(self) -> None:
        """The Bayesian fit's ELBO per iteration (its result's trace, per
        point, as totals), with the note on why there is no log L."""
        result, c = self.data.result, self.canvas
        elbo = [b * len(result.X) for b in result.trace]
        bound_chart.draw_elbo_chart(c.ctx, c.width, c.height, elbo, c.dpr)
        self.note.textContent = bound_words.BAYES_NOTE
        series = [{"iteration": t + 1, "elbo": b} for t, b in enumerate(elbo)]
        self.panel.dataset.series = json.dumps(series)
        self.panel.dataset.start = "0"
        c.dataset.current = ""

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


class BoundPathView:
    """``#bound-path``: one iteration of the best start along its path
    through parameter space (PRML figure 9.14)."""

    def __init__(self, data, state) -> None:
        self.data = data
        self.state = state  # callable: the current PageState
        self.panel = dom.el("bound-path")
        self.canvas = dom.Canvas("bound-path-canvas")
        self.note = dom.el("bound-path-note")
        self.caption = dom.el("bound-path-caption")
        # (result, iteration, record): one path at a time, the one on show
        self._computed: tuple = (None, None, None)

    def render(self, old, new) -> None:
        """Follow the timeline: the iteration on show (and pausing, which
        lets a path of large data be computed)."""
        a, b = old.timeline, new.timeline
        moved = (a.mode, a.position, a.selected, a.playing) != (
            b.mode,
            b.position,
            b.selected,
            b.playing,
        )
        if moved and self.data.result is not None:
            self.draw()

    def iteration(self) -> int | None:
        """The iteration of the best start the timeline shows, or None."""
        frame = shown.timeline_frame(self.state().timeline, self.data.timeline)
        result = self.data.result
        if frame is None or result is None or frame.phase == "init":
            return None
        if int(frame.start) != int(result.best_start):
            return None
        return int(frame.iteration)

    def path(self, iteration: int) -> dict | None:
        """``iteration``'s path record (computed once per result and
        iteration)."""
        result = self.data.result
        if not self.holds(iteration):
            t0 = time.perf_counter()
            temperature = float(result.settings.get("temperature", 1.0))
            path = iteration_path(
                self.data.timeline,
                result.X,
                int(result.best_start),
                iteration,
                temperature,
            )
            record = None if path is None else path_record(iteration, path)
            self._computed = (result, iteration, record)
            ms = (time.perf_counter() - t0) * 1000.0
            self.panel.dataset.computeMs = f"{ms:.1f}"
        return self._computed[2]

    def holds(self, iteration: int) -> bool:
        """Whether ``iteration``'s path of the current result is computed."""
        result, held, _ = self._computed
        return result is self.data.result and held == iteration

    def waits(self, iteration: int) -> bool:
        """Whether ``iteration``'s path waits for a pause: while the
        timeline plays, a path of large data (a few hundred ms in the
        browser) would stall the animation at every iteration."""
        if not self.state().timeline.playing or self.holds(iteration):
            return False
        result = self.data.result
        return path_points(len(result.X), len(result.weights)) < PATH_POINTS

    def draw(self) -> None:
        c = self.canvas
        c.fit()
        iteration = self.iteration()
        waiting = iteration is not None and self.waits(iteration)
        record = None if iteration is None or waiting else self.path(iteration)
        empty = bound_words.PATH_WAITS if waiting else bound_words.PATH_EMPTY
        bound_chart.draw_bound_path_chart(
            c.ctx, c.width, c.height, record, c.dpr, empty
        )
        self.caption.textContent = bound_words.PATH_CAPTION
        if record is None:
            self.note.textContent = ""
            self.panel.dataset.path = ""
            return
        temperature = float(self.data.result.settings.get("temperature", 1.0))
        n_points = len(record["s"])
        self.note.textContent = bound_words.path_note(
            iteration, n_points, temperature, n_points < PATH_POINTS
        )
        self.panel.dataset.path = json.dumps(record)

    def reset(self) -> None:
        """The empty state (no finished run)."""
        self._computed = (None, None, None)
        c = self.canvas
        c.fit()
        bound_chart.draw_bound_path_chart(c.ctx, c.width, c.height, None, c.dpr)
        self.note.textContent = ""
        self.panel.dataset.path = ""
