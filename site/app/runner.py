"""The runner: animates a run frame by frame, and replays its history.

A run belongs to one generation of the page state; as soon as the state's
``generation`` moves on (a new run, a data change) the loop stops at its next
frame. The run's computed model (:class:`RunData`) is what the views draw
from besides the state; the runner reports progress back as actions.
"""

from __future__ import annotations

import asyncio
import math

from simapp.run import model as runstate
from simapp.run import pacing
from simapp.run import plan as runplan
from simapp.run.budget import TimeBudget
from simapp.run.timeline import Timeline
from simapp.state import actions as A
from simapp.text import messages

from emcore import experiment

from . import dom
from .frames import next_frame

__all__ = ["RunData", "Runner"]


class RunData:
    """What the current run has computed (not page state: arrays, history).

    Attributes
    ----------
    model : simapp.run.model.RunModel or None
    timeline : simapp.run.timeline.Timeline or None
        Every start's history, for the step-through.
    result : dict or None
        The finished run's result.
    stats : dict
        Timings of the finished run (``run_ms``, ``em_fps``...).
    """

    def __init__(self) -> None:
        self.model = None
        self.timeline = None
        self.result = None
        self.stats: dict = {}
        #: each start's ``init`` frame: the exports start scikit-learn there
        self.initial: dict = {}

    def positions(self) -> int:
        tl = self.timeline
        return tl.n_positions() if tl is not None and tl.n_starts else 0

    def offsets(self) -> tuple[int, ...]:
        """Each recorded start's first history position."""
        tl = self.timeline
        if tl is None:
            return ()
        return tuple(tl.start_offset(s) for s in range(tl.n_starts))

    def final_position(self) -> int:
        """The best start's last history position (-1 if unknown)."""
        tl, result = self.timeline, self.result
        if tl is None or not result or "best_start" not in result:
            return -1
        best = int(result["best_start"])
        if not 0 <= best < tl.n_starts:
            return -1
        return tl.start_offset(best) + tl.n_positions(best) - 1

    def record(self, event) -> None:
        """Fold a simulator event into the step-through history."""
        kind = event["kind"]
        if kind == "init":
            self.initial[event["start"]] = event
        if kind == "data":
            self.initial = {}
            k, d = int(event["settings"]["k"]), int(event["X"].shape[1])
            self.timeline = Timeline(k, "full", n_features=d)
        elif self.timeline is None:
            return
        elif kind == "init":
            self.timeline.begin_start(
                event["start"], event["weights"], event["means"], event["covariances"]
            )
        elif kind == "em":
            self.timeline.append_frame(event)
        elif kind == "done":
            self.result = event["result"]


class Runner:
    """Runs and replays for a store; draws through ``views``."""

    def __init__(self, store, views, data: RunData) -> None:
        self.store = store
        self.views = views
        self.data = data
        self._replaying = False

    # ------------------------------------------------------------------ runs
    def start(self, effect: A.StartRun) -> None:
        asyncio.ensure_future(self._guarded_run(effect.generation))

    def show_data(self, effect: A.ShowData) -> None:
        """Draw the own data without a fit (the previous run is cancelled)."""
        data = self.data
        state = self.store.state
        # data that failed to load leave nothing to draw: the empty states
        gone = state.source.own is None and state.source.kind != "click"
        data.model = None if gone else runplan.data_only_model(*state.run_inputs)
        data.timeline = data.result = None
        self.views.run_reset()
        self.views.draw_all()

    def _current(self, generation: int) -> bool:
        return self.store.state.generation == generation

    async def _guarded_run(self, generation: int) -> None:
        try:
            await self._run(generation)
        except ValueError as exc:
            text = f"This run could not be computed: {exc}"
            self.store.dispatch(A.RunFailed(generation, text))
        except Exception as exc:
            if not self._current(generation):
                dom.log_warning(f"a cancelled run failed: {exc!r}")
                return
            dom.log_error(dom.traceback_text(exc))
            text = messages.unexpected_error(exc, "running the simulation")
            detail = dom.traceback_text(exc)
            self.store.dispatch(A.RunFailed(generation, text, "error", detail))

    async def _run(self, generation: int) -> None:
        data = self.data
        try:
            kwargs, raw_events = runplan.run_events(*self.store.state.run_inputs)
        except ValueError:
            # nothing to fit: the previous run's charts must not stay as if
            # this run had drawn them
            if self._current(generation):
                data.model = data.timeline = data.result = None
                self.views.run_reset()
                self.views.draw_all()
            raise
        events = _recording(raw_events, data)
        model = runstate.RunModel(kwargs)
        data.model, data.timeline, data.result = model, None, None
        self.views.run_reset()
        t_start = dom.now()
        last_shown = -math.inf  # frame of the latest EM iteration computed
        t_prev = math.inf  # the previous frame's start
        pending = False  # an EM iteration computed, to be drawn next frame
        em_times: list[float] = []
        drawn_at: list[float] = []  # frames that drew an EM iteration
        draw_ms: list[float] = []
        slowest = (0.0, "")
        phase = None
        positions = 0
        try:
            while True:
                await next_frame()
                if not self._current(generation):
                    return
                if self.views.painting():
                    # a big picture is stamped a slice per frame (app.painter):
                    # it is seen whole before the run moves on
                    t_prev = dom.now()
                    continue
                animate = not self.store.state.display.skip_animation
                t0 = dom.now()
                gap, t_prev = t0 - t_prev, t0  # this frame's interval
                finished = False
                if pending:
                    # computing and drawing an EM iteration in separate frames
                    # halves the longest pause of the page
                    pending = False
                    self.views.draw_model(model)
                    what = f"draw {model.last_kind}"
                    draw_ms.append((dom.now() - t0) * 1000)
                    drawn_at.append(t0)
                    finished = self._background(model, events, t0, animate)
                else:
                    held = model.last_kind in ("data", "em")
                    # one EM iteration per pace().em_seconds at the speed
                    # control's value (a few ms of slack so 60 Hz frames give
                    # a steady rate)
                    hold = pacing.pace(self.store.state.display.speed).em_seconds
                    if animate and held and t0 - last_shown < hold - 0.004:
                        if self._background(model, events, t0, animate):
                            break  # pragma: no cover (the fit never ends here)
                        continue
                    after_em = model.last_kind == "em"
                    # slow frames (drawing on the CPU) get more work each,
                    # so the sweep and a skipped animation take no longer
                    budget = pacing.catch_up_budget(
                        gap, pacing.frame_budget(model.phase, animate)
                    )
                    finished = runstate.advance(
                        model, events, animate=animate, budget_s=budget
                    )
                    if animate and after_em and model.last_kind == "em":
                        # frames slower than the pace: EM keeps the chosen
                        # speed, the display draws every few iterations
                        due = pacing.iterations_due(t0 - last_shown, hold)
                        seconds = pacing.catch_up_budget(t0 - last_shown)
                        budget = TimeBudget(seconds, dom.now, start=t0)
                        for _ in range(due - 1):
                            if finished or not budget.lap():
                                break
                            em_times.append(t0)
                            finished = runstate.advance(model, events, animate=True)
                            if model.last_kind != "em":
                                break
                    if not finished:
                        finished = self._background(model, events, t0, animate)
                    what = f"compute {model.last_kind}"
                    if model.last_kind == "sweep":  # which fit, how far
                        sw = model.sweep
                        what += f" K={sw['k']} it={sw['iteration']}"
                    if finished:
                        pass  # computing the result filled this frame
                    elif animate and model.last_kind in ("data", "em"):
                        pending = True
                        last_shown = t0
                        em_times.append(t0)
                    elif animate:
                        self.views.draw_model(model)
                    else:
                        self.views.draw_progress(model)
                # the history slider moves in the frame that draws the EM
                # iteration: one repaint per iteration, not two (WebKit
                # painting on the CPU pays for each, issue 13)
                if not pending and data.positions() != positions:
                    positions = data.positions()
                    self.store.dispatch(
                        A.TimelineGrew(generation, positions, data.offsets())
                    )
                if model.phase != phase:
                    phase = model.phase
                    text = messages.phase_message(
                        phase, model.settings, experiment.SWEEP_KS, skipping=not animate
                    )
                    if text:
                        self.store.dispatch(A.RunPhase(generation, text))
                elapsed = dom.now() - t0
                if elapsed > slowest[0]:
                    slowest = (elapsed, what)
                if finished:
                    break
        finally:
            events.close()
        # the final fit is drawn, then reported, each in a frame of its own:
        # with the result's computation that makes three short frames, not one
        # long pause at the end of every run
        await next_frame()
        if not self._current(generation):
            return
        t0 = dom.now()
        self.views.draw_model(model)
        slowest = max(slowest, (dom.now() - t0, "draw final"))
        if not await self._painted(generation):
            return
        # the k-means panel (all points again) in a frame of its own too
        await next_frame()
        if not self._current(generation):
            return
        t0 = dom.now()
        self.views.kmeans.draw(model.result)
        slowest = max(slowest, (dom.now() - t0, "draw k-means"))
        if not await self._painted(generation):
            return
        await next_frame()
        if not self._current(generation):
            return
        data.result = model.result
        fps = draw_fps = None
        if len(em_times) > 2 and em_times[-1] > em_times[0]:
            fps = (len(em_times) - 1) / (em_times[-1] - em_times[0])
        if len(drawn_at) > 2:
            draw_fps = (len(drawn_at) - 1) / (drawn_at[-1] - drawn_at[0])
        seconds = dom.now() - t_start
        data.stats = {
            "seconds": seconds,
            "fps": fps,
            "draw_fps": draw_fps,
            "longest": slowest,
            "draw_ms_median": sorted(draw_ms)[len(draw_ms) // 2] if draw_ms else None,
        }
        message = messages.done_message(
            model.result,
            model.settings["n_init"],
            embedded=self.store.state.settings.embed,
        )
        final = data.final_position()
        self.store.dispatch(A.RunFinished(generation, message, final))

    def _background(self, model, events, t0: float, animate: bool) -> bool:
        """Top the frame begun at ``t0`` up with the model-selection sweep
        while the fit animates; True if that ended the run."""
        if not animate:
            return False
        spare = pacing.BACKGROUND_FRAME_S - (dom.now() - t0)
        return runstate.work_in_background(model, events, budget_s=spare)

    async def _painted(self, generation: int) -> bool:
        """Wait until the pending pictures are on their canvases (the final
        fit is never reported before it is drawn); False if cancelled."""
        while self.views.painting():
            await next_frame()
            if not self._current(generation):
                return False
        return True

    # ------------------------------------------------------------------ replay
    def play_timeline(self, _effect=None) -> None:
        if not self._replaying:
            asyncio.ensure_future(self._replay())

    async def _replay(self) -> None:
        self._replaying = True
        try:
            while self.store.state.timeline.playing:
                await next_frame()
                self.store.dispatch(A.Tick())
        finally:
            self._replaying = False


def _recording(events, data: RunData):
    """Pass the simulator's events through, recording the step-through
    history; what is sent in (``experiment.BACKGROUND``) is passed on."""
    request = None
    try:
        while True:
            try:
                event = events.send(request)
            except StopIteration:
                return
            data.record(event)
            request = yield event
    finally:
        events.close()


def warm_up() -> None:
    """Run the first steps of a tiny simulation once while loading.

    The first call of several numpy code paths costs a one-off 100-200 ms in
    Pyodide; paying it here keeps the first real run's frames short.
    """
    events = experiment.iterate(k=2, n=100, seed=0, n_init=1)
    model = runstate.RunModel({})
    for _ in range(3):
        model.apply(next(events))
    events.close()
