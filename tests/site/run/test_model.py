"""simapp.run.model: folding simulator events and slicing them into frames."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from fakes import FakeClock
from simapp.run.model import RunModel, advance
from simapp.run.pacing import FRAME_BUDGET_S, SWEEP_BUDGET_S, frame_budget

from emcore.experiment import SWEEP_KS, iterate, run
from emcore.records import Event

SETTINGS = {"k": 3, "n": 300, "overlap": 30, "cov": "diag", "seed": 5, "n_init": 2}


def _drive(animate: bool, budget_s: float, step: float):
    model = RunModel(dict(SETTINGS))
    events = iterate(**SETTINGS)
    kinds_per_call = []
    clock = FakeClock(step)
    for _ in range(100_000):
        before = dict(model.counts)
        finished = advance(
            model, events, animate=animate, budget_s=budget_s, clock=clock
        )
        kinds_per_call.append(
            {
                k: v - before.get(k, 0)
                for k, v in model.counts.items()
                if v != before.get(k, 0)
            }
        )
        if finished:
            return model, kinds_per_call
    raise AssertionError("the run never finished")


def test_animated_frames_hold_one_em_iteration_and_the_data_alone():
    model, calls = _drive(animate=True, budget_s=1.0, step=1e-6)
    assert calls[0] == {"data": 1}
    for call in calls:
        assert sum(call.values()) >= 1  # always progress
        if call.get("em"):
            # a start's initial parameters (and the heartbeats of its
            # seeding, within the budget) arrive with its first iteration
            assert call["em"] == 1 and set(call) <= {"em", "init", "seed"}
    expected = run(**SETTINGS)
    assert model.finished and model.phase == "done"
    assert model.result.loglik == expected.loglik
    assert model.result.iterations == expected.iterations
    # one log-likelihood series per start, equal to emcore's traces
    assert model.series == [list(t) for t in expected.start_traces]
    assert sorted(model.ic) == list(SWEEP_KS)
    aic, bic = model.ic_lists(SWEEP_KS)
    assert aic == list(expected.sweep.aic) and bic == list(expected.sweep.bic)


def test_the_time_budget_slices_the_sweep():
    # every clock read costs 1 ms: a 9 ms budget allows about 9 events
    model, calls = _drive(animate=False, budget_s=0.009, step=0.001)
    assert max(sum(c.values()) for c in calls) <= 10
    assert model.counts["sweep"] > 50
    assert len(calls) > model.counts["sweep"] / 9


def test_the_sweep_gets_the_larger_budget_and_the_animation_keeps_its_pace():
    # every clock read costs 1 ms; the page's loop: a budget per frame from
    # the phase the run is in
    model = RunModel(dict(SETTINGS))
    events = iterate(**SETTINGS)
    clock = FakeClock(0.001)
    per_phase: dict[str, list[int]] = {}
    while True:
        phase, before = model.phase, sum(model.counts.values())
        budget = frame_budget(phase, True)
        finished = advance(model, events, animate=True, budget_s=budget, clock=clock)
        per_phase.setdefault(phase, []).append(sum(model.counts.values()) - before)
        if finished:
            break
    # about one event per ms of budget, so no slice of the sweep (one
    # event more than the budget) goes far past it
    assert max(per_phase["sweep"]) == round(SWEEP_BUDGET_S / 0.001)
    assert max(per_phase["data"] + per_phase["em"]) <= round(FRAME_BUDGET_S / 0.001)
    # long enough to cut the sweep's frames a few times, short of ~50 ms
    assert 3 * FRAME_BUDGET_S <= SWEEP_BUDGET_S <= 0.045
    assert frame_budget("em", False) == frame_budget("data", False) == SWEEP_BUDGET_S
    assert model.result.bic == run(**SETTINGS).bic


def test_skipping_the_animation_takes_many_em_iterations_per_frame():
    model, calls = _drive(animate=False, budget_s=1.0, step=1e-6)
    assert len(calls) == 1  # a generous budget: everything in one slice
    assert model.counts["em"] == sum(len(t) for t in model.result.start_traces)


def test_dirty_parts_follow_the_events():
    model = RunModel(dict(SETTINGS))
    events = iterate(**SETTINGS)
    model.apply(next(events))
    assert model.take_dirty() == {"cluster", "progress"}
    assert model.take_dirty() == set()
    event = next(events)
    while event.kind == "seed":  # the start is seeded: progress only
        assert model.apply(event) == "seed" and model.take_dirty() == {"progress"}
        assert model.phase == "data"
        event = next(events)
    assert model.counts["seed"] >= 1
    model.apply(event)
    assert model.take_dirty() == {"progress"} and model.initial[0].iteration == 0
    model.apply(next(events))
    assert model.take_dirty() == {"cluster", "loglik", "progress"}
    assert model.phase == "em" and model.frame.iteration == 1
    rest = list(events)
    sweep = next(e for e in rest if e.kind == "sweep")
    model.apply(sweep)
    assert model.phase == "sweep" and model.take_dirty() == {"progress"}


def test_unknown_event_kind_is_a_value_error():
    class Banana(Event):
        kind = "banana"

    with pytest.raises(ValueError, match="unknown simulator event kind"):
        RunModel({}).apply(Banana())


def test_an_exhausted_iterator_counts_as_finished():
    model = RunModel({})
    assert advance(model, iter(()), animate=True) is True
    assert not model.finished


@pytest.mark.parametrize("animate", [True, False])
def test_abandoning_a_run_midway_leaves_emcore_usable(animate):
    """A cancelled run is just a generator that is closed early."""
    events = iterate(**SETTINGS)
    model = RunModel(dict(SETTINGS))
    for _ in itertools.islice(itertools.count(), 5):
        advance(model, events, animate=animate, budget_s=0.0)
    events.close()
    again = run(**SETTINGS)
    assert np.isfinite(again.loglik)
