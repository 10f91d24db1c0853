"""Working against a time budget: the one rule every sliced loop of the page follows.

The page never holds the browser for long: a live run, the model-selection
sweep, reading a large table and stamping a big scatter each do a slice of
their work per animation frame. :class:`TimeBudget` is how each of those
loops decides whether another step still fits in its slice: after every step
(or before the next) it reads the clock once with :meth:`TimeBudget.lap`,
which says whether the time spent since the start is still under the
budget. The clock is injected, so the decisions are tested in CPython with a
fake clock.

Examples
--------
A clock that reads 1, 2, 3, ... seconds: a 3-second budget started at 1
allows the steps that end at 2 and 3, not the one ending at 4.

>>> from itertools import count
>>> ticks = count(1)
>>> budget = TimeBudget(3.0, clock=lambda: float(next(ticks)))
>>> budget.lap(), budget.lap(), budget.lap()
(True, True, False)
>>> budget.longest
1.0
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

__all__ = ["TimeBudget"]


class TimeBudget:
    """Seconds of work allowed from a start, on a clock.

    Parameters
    ----------
    seconds : float
        The budget; a step starts only while less than this has been spent
        (so nothing fits a budget that is not positive).
    clock : callable, default time.perf_counter
        Seconds, monotonic.
    start : float, optional
        When the budget began, on ``clock`` (e.g. the frame's start); read
        from ``clock`` when not given.
    lookahead : bool, default False
        Also stop when another step as long as the last one would overrun
        the budget (a slice then holds the budget or one long step, not
        both).

    Attributes
    ----------
    longest : float
        The longest time between two readings of :meth:`lap` (the first
        measured from ``start``), in seconds.

    Raises
    ------
    ValueError
        If ``seconds`` is NaN.
    """

    def __init__(
        self,
        seconds: float,
        clock: Callable[[], float] = time.perf_counter,
        *,
        start: float | None = None,
        lookahead: bool = False,
    ) -> None:
        if math.isnan(seconds):
            raise ValueError(f"seconds must be a number, got {seconds!r}")
        self.seconds = seconds
        self.clock = clock
        self.lookahead = lookahead
        self.start = clock() if start is None else start
        self._last = self.start
        self.longest = 0.0

    def lap(self) -> bool:
        """Read the clock once; True while another step fits the budget.

        Call it after each step of the loop (or before each step, when the
        loop may do none): the time since the previous reading is that
        step's length.
        """
        now = self.clock()
        step = now - self._last
        self._last = now
        self.longest = max(self.longest, step)
        spent = now - self.start
        if self.lookahead and spent + step > self.seconds:
            return False
        return spent < self.seconds
