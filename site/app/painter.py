"""Puts big scatters on their canvases a slice per animation frame.

The work and its scheduling are pure (:mod:`simapp.charts.drawsteps`); this module
only drives a :class:`~simapp.charts.drawsteps.DrawQueue` from the browser's frames:
a picture of at most :data:`~simapp.charts.drawsteps.AT_ONCE_POINTS` points is drawn
at once, a bigger one is stamped :data:`~simapp.charts.drawsteps.DRAW_BUDGET_S` per
frame into its off-screen buffer and put on the canvas when complete (the
canvas keeps its previous picture meanwhile). The runner waits while a
picture is pending, so every EM iteration it draws is seen whole.
"""

from __future__ import annotations

import asyncio
import math

from simapp.charts.drawsteps import DRAW_BUDGET_S, DrawQueue

from . import dom
from .frames import frame_number, next_frame

__all__ = ["Painter"]


class Painter:
    """The page's one queue of pending pictures."""

    def __init__(self) -> None:
        self.queue = DrawQueue()
        self._task = None
        self._worked_in = -1  # the frame of the latest slice
        self.longest_ms = 0.0

    def submit(self, key, steps, finish, *, at_once: bool) -> None:
        """Draw ``steps`` for canvas ``key`` (see ``DrawQueue.submit``)."""
        self.queue.submit(key, steps, finish)
        if at_once:
            self._run(math.inf, (key,))
            return
        # the first slice now, in the frame that asked for the picture
        self._worked_in = frame_number()
        self._run(DRAW_BUDGET_S, (key,))
        if self._task is None and not self.queue.idle:
            self._task = asyncio.ensure_future(self._loop())

    def busy(self) -> bool:
        """True while a picture is pending or a slice ran in this frame."""
        return not self.queue.idle or self._worked_in == frame_number()

    def _run(self, budget_s: float, keys=None) -> None:
        t0 = dom.now()
        for finish, picture in self.queue.run(budget_s, dom.now, keys):
            finish(picture)
        if budget_s < math.inf:
            # the longest frame's drawing, for benchmarks: body[data-longest-draw-ms]
            ms = (dom.now() - t0) * 1000
            if ms > self.longest_ms:
                self.longest_ms = ms
                dom.web.page.body.dataset.longestDrawMs = f"{ms:.1f}"

    async def _loop(self) -> None:
        try:
            while not self.queue.idle:
                await next_frame()
                self._worked_in = frame_number()
                try:
                    self._run(DRAW_BUDGET_S)
                except Exception as exc:  # a picture failed: log, keep the page
                    dom.log_error(dom.traceback_text(exc))
        finally:
            self._task = None
