"""simapp.run.model.work_in_background: the page's frames topped up with the
model-selection sweep while the fit animates (emcore.experiment.BACKGROUND)."""

from __future__ import annotations

import numpy as np
import pytest
from fakes import FakeClock
from simapp.run.model import RunModel, advance, work_in_background

from emcore.experiment import iterate, run
from emcore.records import DoneEvent, FrameEvent, SweepEvent

COVS = ["full", "tied", "diag", "spherical"]


def _live_run(settings, budget_s, step=1e-3):
    """Frames as the runner makes them: one foreground step (an EM
    iteration when animating), then the sweep in the rest of the frame.
    Returns the model and, per frame, (phase, last_kind) after each part."""
    model = RunModel(dict(settings))
    events = iterate(**settings)
    clock = FakeClock(step)
    frames = []
    for _ in range(100_000):
        if advance(model, events, animate=True, budget_s=1.0, clock=clock):
            return model, frames
        seen = (model.phase, model.last_kind)
        ic_before = len(model.comparison)
        finished = work_in_background(model, events, budget_s=budget_s, clock=clock)
        frames.append((seen, (model.phase, model.last_kind), ic_before))
        if finished:
            return model, frames
    raise AssertionError("the run never finished")


@pytest.mark.parametrize("cov", COVS)
def test_a_live_run_with_the_sweep_in_the_background_gives_runs_result(cov):
    settings = dict(k=3, n=300, overlap=30, cov=cov, seed=5, n_init=2, compare=True)
    model, frames = _live_run(settings, budget_s=0.004)
    expected = run(**settings)
    for name in ("loglik", "aic", "bic", "icl", "ari"):
        assert getattr(model.result, name) == getattr(expected, name)
    assert model.result.picks == expected.picks
    for c, col in expected.comparison.items():
        for j, k in enumerate(col.ks):
            assert model.comparison[c, k].bic == col.bic[j]
    # the background work never moved the fit's phase or pace on
    for before, after, _ in frames:
        if before[0] == "em":
            assert after == before
    # and did something: cells arrived while the fit was animating
    during = [f for f in frames if f[0][0] == "em" and f[1][0] == "em"]
    assert len(model.comparison) == 32
    assert any(len_before < 32 for *_, len_before in during)


def test_without_spare_time_nothing_runs_in_the_background():
    settings = dict(k=3, n=200, seed=1, n_init=1)
    model, frames = _live_run(settings, budget_s=0.0)
    assert model.background is None and not model.idle
    assert model.finished


def test_the_sweep_is_asked_only_while_the_fit_can_wait():
    """``can_background``: after a fit event and before the sweep says idle;
    never during the data, the sweep after the fit, or the result."""
    settings = dict(k=2, n=200, cov="full", seed=3, n_init=1)
    model = RunModel(dict(settings))
    events = iterate(**settings)
    model.apply(next(events))
    assert model.phase == "data" and not model.can_background
    model.apply(next(events))
    assert model.last_kind == "seed" and model.can_background
    clock = FakeClock(1e-6)
    work_in_background(model, events, budget_s=10.0, clock=clock)
    assert model.idle and not model.can_background
    assert model.phase == "data"  # still: no EM iteration yet
    assert set(model.ic) == {1, 3, 4, 5, 6, 7, 8}  # all but the watched K = 2
    while not advance(model, events, animate=False, budget_s=10.0):
        pass
    assert sorted(model.ic) == list(range(1, 9))
    assert model.result.bic == run(**settings).bic


def _em_frame():
    """An ``em`` event of one component on one point."""
    return FrameEvent(
        start=0,
        n_starts=1,
        iteration=1,
        loglik_mean=-1.0,
        converged=False,
        weights=np.ones(1),
        means=np.zeros((1, 2)),
        covariances=np.eye(2)[None],
        resp=np.ones((1, 1)),
        regularized=(),
    )


def test_a_reply_that_is_not_background_work_is_folded_in():
    """A simulator that ignores the request answers with its next event:
    the model takes it as such and stops asking when it is not a fit one."""
    replies = iter(
        [
            SweepEvent(k=1, cov="full", start=0, iteration=0),
            DoneEvent(result=run(k=2, n=100, seed=1, n_init=1)),
        ]
    )

    class Ignoring:
        def send(self, _request):
            return next(replies)

    model = RunModel({})
    model.apply(_em_frame())
    assert model.can_background
    assert not work_in_background(model, Ignoring(), budget_s=1.0)
    assert model.phase == "sweep" and not model.can_background
    model.apply(_em_frame())
    assert work_in_background(model, Ignoring(), budget_s=1.0)
    assert model.finished


def test_the_budget_bounds_the_background_work():
    settings = dict(k=3, n=300, seed=2, n_init=1, compare=True)
    model = RunModel(dict(settings))
    events = iterate(**settings)
    while model.last_kind != "em":
        model.apply(next(events))
    clock = FakeClock(0.001)  # each read 1 ms later
    before = sum(model.counts.values())
    work_in_background(model, events, budget_s=0.010, clock=clock)
    # t0 read once, then one read per step: about ten steps in 10 ms
    assert 5 <= sum(model.counts.values()) - before <= 10
