"""The pace of the page: the speed control's one mapping, and each frame's budget.

:func:`pace` maps the speed control (1-10) to how fast things move: how long
an EM iteration of a live run stays on screen, and how many animation frames
the timeline holds each half-step when it plays. Both follow the one control
and are read from the :class:`Pace` it returns, nowhere else.

How much work a frame may do is :func:`frame_budget` (the fit animates, or
nothing does), :func:`catch_up_budget` (slow frames get more) and
:func:`iterations_due` (EM keeps the chosen speed when the frames are slower
than it).

Examples
--------
>>> pace(1)
Pace(em_seconds=1.0, half_step_frames=60)
>>> pace(10)
Pace(em_seconds=0.0, half_step_frames=1)
>>> round(1 / pace(5).em_seconds), pace(5).half_step_frames
(30, 10)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = [
    "BACKGROUND_FRAME_S",
    "CATCH_UP_BUDGET_S",
    "CATCH_UP_SHARE",
    "FRAME_BUDGET_S",
    "HALF_STEP_FRAMES",
    "MAX_CATCH_UP",
    "MAX_SPEED",
    "MIN_EM_FRAME_S",
    "MIN_SPEED",
    "SWEEP_BUDGET_S",
    "Pace",
    "catch_up_budget",
    "frame_budget",
    "iterations_due",
    "pace",
]

#: Slowest and fastest settings of the speed control (whole numbers).
MIN_SPEED = 1
MAX_SPEED = 10

#: Shortest time an EM iteration of a live run stays on screen at the default
#: speed 5 (about 30 iterations/s), so a fast fit remains watchable; slower
#: iterations simply take longer.
MIN_EM_FRAME_S = 1 / 30

#: Frames each timeline half-step is held at speeds 1..10 (60 frames = 1 s):
#: 1 s at the slowest, then about 1.6x faster per notch, down to a half-step
#: every frame.
HALF_STEP_FRAMES = (60, 36, 24, 15, 10, 6, 4, 3, 2, 1)

#: Work per animation frame (seconds) while the fit animates (between its
#: drawn iterations, e.g. k-means++ seeding): leaves the rest of a 16.7 ms
#: frame to the browser.
FRAME_BUDGET_S = 0.009

#: Work per frame where nothing animates (the model-selection sweep, the
#: result, a skipped animation): a 9 ms slice per 16.7 ms frame made the
#: sweep's wall time twice its computation; with 35 ms the page still paints
#: and reacts every ~50 ms (BENCHMARKS.md section 5, round 4).
SWEEP_BUDGET_S = 0.035

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


@dataclass(frozen=True)
class Pace:
    """How fast the page moves at one setting of the speed control.

    Attributes
    ----------
    em_seconds : float
        Seconds each EM iteration of a live run stays on screen, from 1.0
        (speed 1) through :data:`MIN_EM_FRAME_S` (speed 5) to 0.0 (speed
        10: as fast as the machine computes and draws). Geometric in the
        speed.
    half_step_frames : int
        Animation frames the playing timeline holds each half-step, from
        60 (speed 1) to 1 (speed 10): :data:`HALF_STEP_FRAMES` at the
        nearest notch.
    """

    em_seconds: float
    half_step_frames: int


def pace(speed: float) -> Pace:
    """The pace at a value of the speed control.

    Parameters
    ----------
    speed : float
        The control's value, :data:`MIN_SPEED` to :data:`MAX_SPEED`. Values
        outside are clamped; a non-finite value (NaN, infinity) gives the
        slowest pace.

    Returns
    -------
    Pace
    """
    speed = float(speed)
    if not math.isfinite(speed):
        speed = MIN_SPEED
    speed = min(max(speed, MIN_SPEED), MAX_SPEED)
    notch = int(round(speed))
    if speed >= MAX_SPEED:
        em_seconds = 0.0
    else:
        # 1 s at speed 1 and MIN_EM_FRAME_S four notches later
        em_seconds = (1 / MIN_EM_FRAME_S) ** (-(speed - 1.0) / 4.0)
    return Pace(em_seconds, HALF_STEP_FRAMES[notch - MIN_SPEED])


def iterations_due(elapsed: float, hold: float, limit: int = MAX_CATCH_UP) -> int:
    """EM iterations to compute before the next drawn frame of a live run.

    One when the frames keep up with the speed control (an iteration every
    ``hold`` seconds); when drawing is slower than that (WebKit painting on
    the CPU took 100-300 ms a frame), the iterations the pace asks for since
    the last one, so EM runs at the chosen speed and the slow display draws
    every few iterations instead of slowing the fit down. The timeline still
    holds every iteration.

    Parameters
    ----------
    elapsed : float
        Seconds since the previous EM iteration was computed.
    hold : float
        :attr:`Pace.em_seconds` of the speed control; 0 (fastest) draws
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
