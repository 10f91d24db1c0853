"""simapp.run.budget.TimeBudget: when a sliced loop stops, on a fake clock."""

from __future__ import annotations

import pytest
from fakes import FakeClock
from hypothesis import given
from hypothesis import strategies as st
from simapp.run.budget import TimeBudget


def laps(budget: TimeBudget, most: int = 1000) -> int:
    """Steps a loop that checks after each step takes (at least one)."""
    for n in range(1, most + 1):
        if not budget.lap():
            return n
    raise AssertionError("the budget never ran out")


def test_a_loop_stops_once_the_budget_is_spent():
    # every reading 1/4 s after the previous: the start, then one per step
    assert laps(TimeBudget(2.5, FakeClock(0.25))) == 10
    assert laps(TimeBudget(2.6, FakeClock(0.25))) == 11
    assert laps(TimeBudget(0.0, FakeClock(0.25))) == 1  # at least one step


def test_nothing_fits_a_budget_that_is_not_positive():
    for seconds in (0.0, -1.0, -float("inf")):
        assert not TimeBudget(seconds, FakeClock(0.001)).lap()
    # even when the clock has not moved
    assert not TimeBudget(0.0, lambda: 5.0).lap()


def test_an_infinite_budget_never_runs_out():
    budget = TimeBudget(float("inf"), FakeClock(1e6))
    assert all(budget.lap() for _ in range(100))


def test_the_start_may_be_given():
    # a frame began at 0; the loop starts at 3 and checks at 4, 5, ...
    readings = iter([4.0, 5.0, 6.0])
    budget = TimeBudget(6.0, lambda: next(readings), start=0.0)
    assert [budget.lap() for _ in range(3)] == [True, True, False]
    assert budget.longest == 4.0  # the first step is measured from the start


def test_lookahead_stops_before_a_step_as_long_as_the_last_would_overrun():
    # steps of 1, 1, 3 s on a 6 s budget: after the 3 s step (at 5 s) another
    # such step would end at 8 s
    readings = iter([0.0, 1.0, 2.0, 5.0])
    plain = TimeBudget(6.0, lambda: next(readings))
    assert [plain.lap() for _ in range(3)] == [True, True, True]
    readings = iter([0.0, 1.0, 2.0, 5.0])
    ahead = TimeBudget(6.0, lambda: next(readings), lookahead=True)
    assert [ahead.lap() for _ in range(3)] == [True, True, False]
    assert ahead.longest == 3.0


def test_a_nan_budget_is_refused():
    with pytest.raises(ValueError, match="seconds"):
        TimeBudget(float("nan"))


@given(
    seconds=st.floats(0, 1, allow_nan=False),
    step=st.floats(1e-4, 0.1),
    lookahead=st.booleans(),
)
def test_the_spent_time_bounds_the_steps(seconds, step, lookahead):
    """With equal steps, a loop stops at the first reading at or past the
    budget (or, looking ahead, before it would pass it), never earlier."""
    fake = FakeClock(step)
    readings = []

    def clock():
        readings.append(fake())
        return readings[-1]

    budget = TimeBudget(seconds, clock, lookahead=lookahead)
    n = laps(budget, most=20_000)
    spent = [t - readings[0] for t in readings[1:]]
    assert len(spent) == n
    if lookahead:
        assert spent[-1] >= seconds or spent[-1] + step * (1 + 1e-6) > seconds
        assert all(t + step * (1 - 1e-6) <= seconds for t in spent[:-1])
    else:
        assert spent[-1] >= seconds
        assert all(t < seconds for t in spent[:-1])
    assert budget.longest == pytest.approx(step)
