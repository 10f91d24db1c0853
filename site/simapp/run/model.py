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

:func:`work_in_background` tops an animated frame up with the sweep. The
budgets themselves are :mod:`simapp.run.pacing`'s; each loop spends one with
:class:`simapp.run.budget.TimeBudget`. Everything here is plain Python (the
clock is injected), so the scheduling can be tested in CPython against the
real simulator.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np

from emcore.experiment import BACKGROUND
from emcore.records import (
    CellEvent,
    DataEvent,
    Event,
    ExperimentResult,
    FrameEvent,
    SweepEvent,
)
from simapp.run.budget import TimeBudget
from simapp.run.pacing import FRAME_BUDGET_S

__all__ = ["RunModel", "advance", "work_in_background"]


@dataclass
class RunModel:
    """Accumulated state of one run, fed event by event.

    Attributes
    ----------
    settings : dict
        The run's settings (``emcore.experiment.run`` keywords).
    view_points : ndarray of shape (m, 2) or None
        Points the data chart's view must contain besides the data (the
        click-to-add canvas's initial frame); None: the data and the true
        centres decide.
    data : emcore.records.DataEvent or None
        The ``data`` event (``X``, ``labels_true``, ``true_means``...).
    frame : emcore.records.FrameEvent or None
        The latest ``em`` event (what the clustering canvas shows).
    series : list of list of float
        Per start, the per-sample log-likelihood after each EM iteration.
    initial : dict
        ``start -> init event``: each start's initial parameters.
    ic : dict
        ``k -> (aic, bic)`` for the sweep cells of the run's covariance type
        received so far.
    comparison : dict
        ``(cov, k) -> CellEvent`` for every sweep cell, all types included.
    sweep : emcore.records.SweepEvent or None
        The latest ``sweep`` heartbeat of the sweep after the fit (progress
        of model selection).
    background : emcore.records.SweepEvent or None
        The latest ``sweep`` heartbeat computed in the fit's idle time.
    idle : bool
        The sweep answered ``idle``: what is left of it waits for the fit.
    result : emcore.records.ExperimentResult or None
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
    view_points: np.ndarray | None = None
    data: DataEvent | None = None
    frame: FrameEvent | None = None
    series: list[list[float]] = field(default_factory=list)
    initial: dict[int, FrameEvent] = field(default_factory=dict)
    ic: dict[int, tuple[float, float]] = field(default_factory=dict)
    comparison: dict[tuple[str, int], CellEvent] = field(default_factory=dict)
    sweep: SweepEvent | None = None
    background: SweepEvent | None = None
    idle: bool = False
    result: ExperimentResult | None = None
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

    def apply(self, event: Event) -> str:
        """Fold one simulator event into the model; returns its kind.

        Raises
        ------
        ValueError
            On an event of unknown kind (a simulator/page version mismatch).
        """
        kind = str(event.kind)
        self.counts[kind] = self.counts.get(kind, 0) + 1
        if not (kind == "idle" or event.background):
            # the fit's pace is kept on the latest foreground event
            self.last_kind = kind
        if kind == "data":
            self.data = event
            self.dirty.update(("cluster", "progress"))
        elif kind == "init":
            self.initial[int(event.start)] = event
            self.dirty.add("progress")
        elif kind == "em":
            # emcore builds a frame's ellipses and label mapping only when
            # read, and most frames are never drawn
            self.frame = event
            start = int(event.start)
            while len(self.series) <= start:
                self.series.append([])
            self.series[start].append(float(event.loglik_mean))
            self.dirty.update(("cluster", "loglik", "progress"))
        elif kind == "sweep":
            if event.background:
                self.background = event
            else:
                self.sweep = event
            self.dirty.add("progress")
        elif kind == "idle":
            self.idle = True
        elif kind in ("finish", "seed"):
            self.dirty.add("progress")
        elif kind == "ic":
            cov = str(event.cov)
            self.comparison[cov, int(event.k)] = event
            if cov == self.settings.get("cov"):
                self.ic[int(event.k)] = (float(event.aic), float(event.bic))
            self.dirty.update(("ic", "progress"))
        elif kind == "done":
            self.result = event.result
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
    events: Iterator[Event],
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
    budget = TimeBudget(budget_s, clock)
    while True:
        event = next(events, None)
        if event is None:
            return True
        kind = model.apply(event)
        if kind == "done":
            return True
        if animate and kind in ("data", "em"):
            return False
        if not budget.lap():
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
    budget = TimeBudget(budget_s, clock)
    while model.can_background and budget.lap():
        if model.apply(events.send(BACKGROUND)) == "done":
            return True
    return False
