"""What a simulator run has produced so far, and how to advance it in slices.

The page animates ``emcore.experiment.iterate``: a generator whose ``next()``
does the real work (simulate the data, one EM iteration, one iteration of a
model-selection fit, ...). :class:`RunModel` folds its events into the state
the page draws, and :func:`advance` consumes events for one animation frame:

* animated: at most one ``em`` event per frame (one EM iteration is one frame
  of the animation), the ``data`` event alone in its frame, and heartbeats of
  the model-selection sweep for a time budget only, so the browser can paint
  and react to input between slices;
* not animated ("skip the animation"): events for a time budget per frame,
  nothing drawn until the end.

The budget is :data:`FRAME_BUDGET_S` while the fit animates and the larger
:data:`SWEEP_BUDGET_S` where nothing animates (the sweep, a skipped
animation): :func:`frame_budget` picks it.

Everything here is plain Python (the clock is injected), so the scheduling can
be tested in CPython against the real simulator.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from emcore.experiment import BACKGROUND

__all__ = [
    "BACKGROUND_FRAME_S",
    "CATCH_UP_BUDGET_S",
    "CATCH_UP_SHARE",
    "FRAME_BUDGET_S",
    "MAX_CATCH_UP",
    "MIN_EM_FRAME_S",
    "RunModel",
    "SWEEP_BUDGET_S",
    "advance",
    "catch_up_budget",
    "frame_budget",
    "iterations_due",
    "live_frame_seconds",
    "work_in_background",
]

#: Work per animation frame (seconds) while the fit animates (between its
#: drawn iterations, e.g. k-means++ seeding): leaves the rest of a 16.7 ms
#: frame to the browser.
FRAME_BUDGET_S = 0.009

#: Work per frame where nothing animates (the model-selection sweep, the
#: result, a skipped animation): a 9 ms slice per 16.7 ms frame made the
#: sweep's wall time twice its computation; with 35 ms the page still paints
#: and reacts every ~50 ms (BENCHMARKS.md section 5, round 4).
SWEEP_BUDGET_S = 0.035

#: Shortest time an EM iteration stays on screen (about 30 iterations/s), so a
#: fast fit remains watchable; slower iterations simply take longer.
MIN_EM_FRAME_S = 1 / 30

#: Most EM iterations computed for one drawn frame when the frames fall
#: behind the speed control's pace (see :func:`iterations_due`).
MAX_CATCH_UP = 30
#: Time for such catching up in one frame: this many seconds, or this share
#: of the time since the previous iteration if the frames are that slow
CATCH_UP_BUDGET_S = 0.05
CATCH_UP_SHARE = 0.25


#: While the fit animates, each frame is topped up with steps of the
#: model-selection sweep (``emcore.experiment.BACKGROUND``) until its work
#: (the iteration or the drawing included) reaches this many seconds: the
#: animation's pace leaves most of every 16.7 ms frame idle, and the sweep
#: then has less or nothing left when the fit ends.
BACKGROUND_FRAME_S = 0.012


def live_frame_seconds(speed: float) -> float:
    """Seconds each EM iteration stays on screen during a live run.

    The speed control's notches 1-10 are geometric: 1 holds an iteration for
    a second, the default 5 for :data:`MIN_EM_FRAME_S` (about 30 per second)
    and 10 not at all (as fast as the machine computes and draws).

    Parameters
    ----------
    speed : float
        The speed control's value; clipped to 1-10, NaN counts as 1.

    Returns
    -------
    float
        Seconds, from 1.0 down to 0.0.

    Examples
    --------
    >>> live_frame_seconds(1), live_frame_seconds(10)
    (1.0, 0.0)
    >>> round(1 / live_frame_seconds(5))
    30
    """
    speed = float(speed)
    if not math.isfinite(speed):
        speed = 1.0
    speed = min(max(speed, 1.0), 10.0)
    if speed >= 10.0:
        return 0.0
    return (1 / MIN_EM_FRAME_S) ** (-(speed - 1.0) / 4.0)


def iterations_due(elapsed: float, hold: float, limit: int = MAX_CATCH_UP) -> int:
    """EM iterations to compute before the next drawn frame of a live run.

    One when the frames keep up with the speed control (an iteration every
    ``hold`` seconds); when drawing is slower than that (WebKit painting on
    the CPU took 100-300 ms a frame, issue 13), the iterations the pace asks
    for since the last one, so EM runs at the chosen speed and the slow
    display draws every few iterations instead of slowing the fit down. The
    step-through still holds every iteration.

    Parameters
    ----------
    elapsed : float
        Seconds since the previous EM iteration was computed.
    hold : float
        :func:`live_frame_seconds` of the speed control; 0 (fastest) draws
        every iteration.
    limit : int
        At most this many.

    Returns
    -------
    int
        From 1 to ``limit``.

    Examples
    --------
    >>> iterations_due(0.035, 1 / 30), iterations_due(0.25, 1 / 30)
    (1, 7)
    >>> iterations_due(5.0, 1 / 30), iterations_due(5.0, 0.0)
    (30, 1)
    """
    if not (hold > 0 and math.isfinite(elapsed)) or elapsed < 2 * hold:
        return 1
    return int(min(limit, max(1, elapsed // hold)))


def frame_budget(phase: str, animate: bool) -> float:
    """Seconds of work for one frame of a run in ``phase``.

    :data:`FRAME_BUDGET_S` while the fit animates (``phase`` ``'data'`` or
    ``'em'`` with ``animate``), so its pace is kept; :data:`SWEEP_BUDGET_S`
    otherwise, when no frame shows an EM iteration and fewer, longer slices
    bring the wall time close to the computation's.

    Examples
    --------
    >>> frame_budget("em", True), frame_budget("sweep", True)
    (0.009, 0.035)
    >>> frame_budget("em", False)
    0.035
    """
    if animate and phase in ("data", "em"):
        return FRAME_BUDGET_S
    return SWEEP_BUDGET_S


def catch_up_budget(elapsed: float, least: float = CATCH_UP_BUDGET_S) -> float:
    """Seconds one frame may spend computing.

    ``least``, or :data:`CATCH_UP_SHARE` of ``elapsed`` (the time since the
    previous iteration or frame) when the frames are slower than that, so a
    display that takes a second a frame still lets EM keep its pace.

    Examples
    --------
    >>> catch_up_budget(0.07), catch_up_budget(1.2)
    (0.05, 0.3)
    >>> catch_up_budget(0.017, FRAME_BUDGET_S), catch_up_budget(-math.inf)
    (0.009, 0.05)
    """
    if not math.isfinite(elapsed):
        return least
    return max(least, CATCH_UP_SHARE * elapsed)


@dataclass
class RunModel:
    """Accumulated state of one run, fed event by event.

    Attributes
    ----------
    settings : dict
        The run's settings (``emcore.experiment.run`` keywords).
    data : dict or None
        The ``data`` event (``X``, ``labels_true``, ``true_means``...).
    frame : dict or None
        The latest ``em`` event (what the clustering canvas shows).
    series : list of list of float
        Per start, the per-sample log-likelihood after each EM iteration.
    initial : dict
        ``start -> init event``: each start's initial parameters.
    ic : dict
        ``k -> (aic, bic)`` for the sweep cells of the run's covariance type
        received so far.
    comparison : dict
        ``(cov, k) -> ic event`` for every sweep cell, all types included.
    sweep : dict or None
        The latest ``sweep`` heartbeat of the sweep after the fit (progress
        of model selection).
    background : dict or None
        The latest ``sweep`` heartbeat computed in the fit's idle time.
    idle : bool
        The sweep answered ``idle``: what is left of it waits for the fit.
    result : dict or None
        The ``done`` event's result (what ``emcore.experiment.run`` returns).
    counts : dict
        Number of events of each kind received.
    dirty : set of str
        Parts to redraw: ``"cluster"``, ``"loglik"``, ``"ic"``, ``"progress"``.
    last_kind : str or None
        Kind of the latest event, not counting the sweep's steps in the
        fit's idle time.
    """

    settings: dict
    data: dict | None = None
    frame: dict | None = None
    series: list[list[float]] = field(default_factory=list)
    initial: dict[int, dict] = field(default_factory=dict)
    ic: dict[int, tuple[float, float]] = field(default_factory=dict)
    comparison: dict[tuple[str, int], dict] = field(default_factory=dict)
    sweep: dict | None = None
    background: dict | None = None
    idle: bool = False
    result: dict | None = None
    counts: dict[str, int] = field(default_factory=dict)
    dirty: set[str] = field(default_factory=set)
    last_kind: str | None = None

    @property
    def finished(self) -> bool:
        """True once the ``done`` event arrived."""
        return self.result is not None

    @property
    def phase(self) -> str:
        """``'data'``, ``'em'``, ``'sweep'`` or ``'done'``: what runs now
        (cells computed in the fit's idle time leave it at ``'em'``)."""
        if self.result is not None:
            return "done"
        if self.sweep is not None or "finish" in self.counts:
            return "sweep"
        if self.frame is not None:
            return "em"
        return "data"

    def apply(self, event: Mapping[str, Any]) -> str:
        """Fold one simulator event into the model; returns its kind.

        Raises
        ------
        ValueError
            On an event of unknown kind (a simulator/page version mismatch).
        """
        kind = str(event["kind"])
        self.counts[kind] = self.counts.get(kind, 0) + 1
        if not (kind == "idle" or event.get("background")):
            # the fit's pace is kept on the latest foreground event
            self.last_kind = kind
        if kind == "data":
            self.data = dict(event)
            self.dirty.update(("cluster", "progress"))
        elif kind == "init":
            self.initial[int(event["start"])] = dict(event)
            self.dirty.add("progress")
        elif kind == "em":
            # kept as it came: emcore builds a frame's ellipses and label
            # mapping only when read, and most frames are never drawn
            self.frame = event
            start = int(event["start"])
            while len(self.series) <= start:
                self.series.append([])
            self.series[start].append(float(event["loglik_mean"]))
            self.dirty.update(("cluster", "loglik", "progress"))
        elif kind == "sweep":
            if event.get("background"):
                self.background = dict(event)
            else:
                self.sweep = dict(event)
            self.dirty.add("progress")
        elif kind == "idle":
            self.idle = True
        elif kind in ("finish", "seed"):
            self.dirty.add("progress")
        elif kind == "ic":
            cov = str(event.get("cov", self.settings.get("cov")))
            self.comparison[cov, int(event["k"])] = dict(event)
            if cov == self.settings.get("cov"):
                self.ic[int(event["k"])] = (float(event["aic"]), float(event["bic"]))
            self.dirty.update(("ic", "progress"))
        elif kind == "done":
            self.result = dict(event["result"])
            self.dirty.update(("cluster", "loglik", "ic", "progress"))
        else:
            raise ValueError(f"unknown simulator event kind {kind!r}")
        return kind

    @property
    def can_background(self) -> bool:
        """Whether the events may be sent ``BACKGROUND`` now: the latest
        event came from the fit (or from the sweep in its idle time) and
        the sweep has something left to do before the fit ends."""
        return not self.idle and self.last_kind in ("seed", "init", "em")

    def take_dirty(self) -> set[str]:
        """Return the parts to redraw and forget them."""
        parts, self.dirty = self.dirty, set()
        return parts

    def ic_lists(self, ks: tuple[int, ...]) -> tuple[list, list]:
        """AIC and BIC per ``k`` in ``ks`` (``None`` where not computed yet)."""
        aic = [self.ic[k][0] if k in self.ic else None for k in ks]
        bic = [self.ic[k][1] if k in self.ic else None for k in ks]
        return aic, bic


def advance(
    model: RunModel,
    events: Iterator[Mapping[str, Any]],
    *,
    animate: bool,
    budget_s: float = FRAME_BUDGET_S,
    clock: Callable[[], float] = time.perf_counter,
) -> bool:
    """Consume the events of one animation frame; True when the run is over.

    Parameters
    ----------
    model : RunModel
        Receives every consumed event.
    events : iterator
        ``emcore.experiment.iterate(**settings)``.
    animate : bool
        Stop after a ``data`` or ``em`` event so it can be drawn this frame.
    budget_s : float
        Stop once this much time went by (at least one event is consumed per
        call, so a run always makes progress).
    clock : callable
        Seconds, monotonic.

    Returns
    -------
    bool
        True when the ``done`` event was consumed or the events ran out.
    """
    t0 = clock()
    while True:
        event = next(events, None)
        if event is None:
            return True
        kind = model.apply(event)
        if kind == "done":
            return True
        if animate and kind in ("data", "em"):
            return False
        if clock() - t0 >= budget_s:
            return False


def work_in_background(
    model: RunModel,
    events,
    *,
    budget_s: float,
    clock: Callable[[], float] = time.perf_counter,
) -> bool:
    """Advance the model-selection sweep in the animated fit's idle time.

    Sends ``emcore.experiment.BACKGROUND`` into ``events`` while
    :attr:`RunModel.can_background` holds and ``budget_s`` seconds have not
    gone by (nothing when ``budget_s`` is not positive). A reply that is
    not a background event (a simulator that ignores the request) is
    folded in like any other.

    Returns
    -------
    bool
        True when the run is over (the ``done`` event was consumed).
    """
    t0 = clock()
    while model.can_background and clock() - t0 < budget_s:
        if model.apply(events.send(BACKGROUND)) == "done":
            return True
    return False
