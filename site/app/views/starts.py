"""The starts panel: every start's final log L, and a button per start.

``#starts-canvas`` carries ``data-finals``, ``data-groups``, ``data-best``,
``data-selected`` and ``data-dots``; ``#starts-summary`` carries
``data-n-optima``, ``data-best-hits`` and ``data-n-starts``.
"""

from __future__ import annotations

import json
import math

from simapp.charts import axes, starts_chart
from simapp.charts.look import chart_look
from simapp.text import starts as words

from .. import dom


class StartsView:
    """``#starts-canvas``, ``#starts-list`` and ``#starts-summary``."""

    def __init__(self, data, state) -> None:
        self.data = data
        self.state = state  # callable: the current PageState
        self.canvas = dom.Canvas("starts-canvas")
        self.list = dom.el("starts-list")
        self.summary = dom.el("starts-summary")
        self.dots: list = []
        self.selected = None

    def render(self, old, new) -> None:
        a, b = old.timeline, new.timeline
        if (a.mode, a.selected, a.has_result) != (b.mode, b.selected, b.has_result):
            self.selected = b.selected if b.mode == "start" else None
            self.fill()
            self.draw()

    def reset(self) -> None:
        self.selected = None
        self.list.replaceChildren()
        self.summary.textContent = words.EMPTY_SUMMARY
        self.draw()

    def fill(self) -> None:
        """The summary and one button per start of the finished run."""
        result = self.data.result
        if result is None:
            return
        starts = result.starts
        summary = self.summary
        summary.textContent = words.starts_summary(
            int(result.n_optima),
            int(result.best_hits),
            len(starts),
            sum(bool(st.converged) for st in starts),
        )
        summary.dataset.nOptima = str(int(result.n_optima))
        summary.dataset.bestHits = str(int(result.best_hits))
        summary.dataset.nStarts = str(len(starts))
        best = int(result.best_start)
        buttons = []
        for i, st in enumerate(starts):
            button = dom.web.button(
                type="button",
                classes="start-pick",
                textContent=words.start_button(i, st.loglik_mean, best=i == best),
            )
            button.dataset.start = str(i)
            pressed = "true" if self.selected == i else "false"
            button.setAttribute("aria-pressed", pressed)
            buttons.append(button)
        self.list.replaceChildren()
        self.list.append(buttons)

    def draw(self) -> None:
        c = self.canvas
        c.fit()
        result = self.data.result
        if result is None:
            self.dots = []
            look = chart_look(self.state().display.dark)
            axes.draw_empty(c.ctx, c.width, c.height, c.dpr, words.EMPTY_CHART, look)
            c.dataset.finals = "[]"
            return
        finals = [float(st.loglik_mean) for st in result.starts]
        groups = [int(st.optimum) for st in result.starts]  # the verdict's
        self.dots = starts_chart.draw_starts_chart(
            c.ctx,
            c.width,
            c.height,
            finals,
            groups,
            int(result.best_start),
            self.selected,
            self.dpr(),
            chart_look(self.state().display.dark),
        )
        ds = c.dataset
        ds.finals = json.dumps(finals)
        ds.groups = json.dumps(groups)
        ds.best = str(int(result.best_start))
        ds.selected = "" if self.selected is None else str(self.selected)
        ds.dots = json.dumps(self.dots)

    def dpr(self) -> float:
        """Device pixels per CSS pixel of the drawing (presenter mode: larger)."""
        return self.canvas.dpr * self.state().display.scale

    def start_at(self, event) -> int | None:
        """The start whose dot is under a click, if any (for the binding)."""
        if not self.dots:
            return None
        c = self.canvas
        rect = c.el.getBoundingClientRect()
        scale = c.width / max(float(rect.width), 1.0)
        x = (float(event.clientX) - float(rect.left)) * scale
        y = (float(event.clientY) - float(rect.top)) * scale
        dist = [math.hypot(x - dx, y - dy) for dx, dy in self.dots]
        i = min(range(len(dist)), key=dist.__getitem__)
        return i if dist[i] <= 14 * self.dpr() else None
