"""simapp.run.pacing: the speed control's one mapping to a pace, and catching up."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from simapp.run.pacing import (
    MAX_SPEED,
    MIN_EM_FRAME_S,
    MIN_SPEED,
    iterations_due,
    pace,
)

# The two mappings the page had before pace() (the timeline's frames per
# half-step and the live run's seconds per EM iteration), as they were
# written: pace() must reproduce both, value for value.
_OLD_FRAMES_PER_STEP = (60, 36, 24, 15, 10, 6, 4, 3, 2, 1)


def _old_frames_per_step(speed):
    speed = float(speed)
    if not math.isfinite(speed):
        speed = 1
    notch = int(round(min(max(speed, 1), 10)))
    return _OLD_FRAMES_PER_STEP[notch - 1]


def _old_live_frame_seconds(speed):
    speed = float(speed)
    if not math.isfinite(speed):
        speed = 1.0
    speed = min(max(speed, 1.0), 10.0)
    if speed >= 10.0:
        return 0.0
    return 30.0 ** (-(speed - 1.0) / 4.0)


SPEEDS = [
    *range(-2, 13),
    *np.linspace(0.5, 10.5, 41).tolist(),
    1.5,
    2.5,
    9.5,
    9.999,
    float("nan"),
    float("inf"),
    -float("inf"),
]


@pytest.mark.parametrize("speed", SPEEDS)
def test_pace_reproduces_both_old_mappings(speed):
    p = pace(speed)
    assert p.half_step_frames == _old_frames_per_step(speed)
    assert p.em_seconds == _old_live_frame_seconds(speed)


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_pace_reproduces_both_old_mappings_for_any_float(speed):
    p = pace(speed)
    assert p.half_step_frames == _old_frames_per_step(speed)
    assert p.em_seconds == _old_live_frame_seconds(speed)


def test_the_notches_of_the_timeline():
    assert pace(MIN_SPEED).half_step_frames == 60
    assert pace(MAX_SPEED).half_step_frames == 1
    values = [pace(s).half_step_frames for s in np.linspace(MIN_SPEED, MAX_SPEED, 91)]
    assert all(a >= b for a, b in zip(values[:-1], values[1:], strict=True))
    levels = [pace(s).half_step_frames for s in range(MIN_SPEED, MAX_SPEED + 1)]
    assert len(set(levels)) == 10  # every notch of the slider changes the speed
    ratios = [a / b for a, b in zip(levels[:-1], levels[1:], strict=True)]
    assert all(1.2 <= r <= 2.0 for r in ratios), ratios
    assert pace(-5).half_step_frames == 60 and pace(99).half_step_frames == 1
    assert pace(float("nan")).half_step_frames == 60


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_half_step_frames_are_always_a_positive_int(speed):
    f = pace(speed).half_step_frames
    assert isinstance(f, int) and 1 <= f <= 60


def test_the_live_speed_runs_from_a_second_per_iteration_to_no_hold():
    holds = [pace(s).em_seconds for s in range(1, 11)]
    assert holds[0] == 1.0 and holds[-1] == 0.0
    assert all(a > b for a, b in zip(holds[:-1], holds[1:], strict=True))
    assert abs(pace(5).em_seconds - MIN_EM_FRAME_S) < 1e-12  # the old default
    assert pace(float("nan")).em_seconds == 1.0
    assert pace(-3).em_seconds == 1.0 and pace(99).em_seconds == 0.0


@given(
    elapsed=st.floats(0, 100, allow_nan=False),
    speed=st.integers(1, 10),
    limit=st.integers(1, 20),
)
def test_slow_frames_catch_up_with_the_pace_within_the_limit(elapsed, speed, limit):
    """Frames that keep pace draw every iteration; slower ones compute the
    iterations the pace asks for since the last one, never more than ``limit``."""
    hold = pace(speed).em_seconds
    due = iterations_due(elapsed, hold, limit)
    assert 1 <= due <= limit
    if hold == 0 or elapsed < 2 * hold:
        assert due == 1
    else:
        assert due * hold <= elapsed * (1 + 1e-12)  # never ahead of the pace
        assert due == limit or (due + 1) * hold > elapsed  # never behind it
    assert iterations_due(elapsed + 1.0, hold, limit) >= due
    assert iterations_due(float("inf"), hold, limit) == 1  # no previous iteration
