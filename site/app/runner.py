"""The runner: animates a run frame by frame, and plays the timeline.

A run belongs to one generation of the page state; as soon as the state's
``generation`` moves on (a new run, a data change) the loop stops at its next
frame. The run's computed model (:class:`RunData`) is what the views draw
from besides the state; the runner reports progress back as actions.
"""

from __future__ import annotations

import asyncio
import math

from simapp.run import model as runmodel
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
    """What the current run has computed (not page state: arrays, the record).

    Attributes
    ----------
    model : simapp.run.model.RunModel or None
    timeline : simapp.run.timeline.Timeline or None
        The timeline's record: every start's iterations.
    result : emcore.records.ExperimentResult or None
        The finished run's result.
    stats : dict
        Timings of the finished run (``run_ms``, ``em_fps``...).
    """

    def __init__(self) -> None:
        self.model = None
        self.timeline = None
        self.result = None
        self.stats: dict = {}
        #: each start's ``init`` frame (an ``emcore.records.FrameEvent``):
        #: the exports start scikit-learn there
        self.initial: dict = {}

    def positions(self) -> int:
        tl = self.timeline
        return tl.n_positions() if tl is not None and tl.n_starts else 0

    def offsets(self) -> tuple[int, ...]:
        """Each recorded start's first position on the timeline."""
        tl = self.timeline
        if tl is None:
            return ()
        return tuple(tl.start_offset(s) for s in range(tl.n_starts))

    def final_position(self) -> int:
        """The best start's last position on the timeline (-1 if unknown)."""
        tl, result = self.timeline, self.result
        if tl is None or result is None:
            return -1
        best = int(result.best_start)
        if not 0 <= best < tl.n_starts:
            return -1
        return tl.start_offset(best) + tl.n_positions(best) - 1

    def record(self, event) -> None:
        """Fold a simulator event into the timeline's record."""
        kind = event.kind
        if kind == "init":
            self.initial[event.start] = event
        if kind == "data":
            self.initial = {}
            k, d = int(event.settings["k"]), int(event.X.shape[1])
            self.timeline = Timeline(k, "full", n_features=d)
        elif self.timeline is None:
            return
        elif kind == "init":
            self.timeline.begin_start(
                event.start, event.weights, event.means, event.covariances
            )
        elif kind == "em":
            self.timeline.append_frame(event)
        elif kind == "done":
            self.result = event.result


class Runner:
    """Runs and plays the timeline for a store; draws through ``views``."""

    def __init__(self, store, views, data: RunData) -> None:
        self.store = store
        self.views = views
        self.data = data
        self._timeline_playing = False

    # ------------------------------------------------------------------ runs
    def start(self, effect: A.StartRun) -> None:
        asyncio.ensure_future(self._guarded_run(effect.generation))

    def show_data(self, effect: A.ShowData) -> None:
        """Draw the data without a fit (the previous run is cancelled)."""
        data = self.data
        state = self.store.state
        settings, kind, own = state.run_inputs
        # data that failed to load leave nothing to draw: the empty states
        gone = own is None and kind not in ("click", "simulated")
        if kind == "simulated":  # before the first run: the data it will fit
            data.model = runplan.simulated_model(settings)
        else:
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
        loop = self._begin(generation)
        try:
            while True:
                await next_frame()
                if not self._current(generation):
                    return
                if loop.frame():
                    break
        finally:
            loop.events.close()
        await self._finish(loop)

    def _begin(self, generation: int) -> _RunLoop:
        """Plan the run of the current state and clear the previous one."""
        data = self.data
        settings, kind, own = self.store.state.run_inputs
        try:
            kwargs, raw_events = runplan.run_events(settings, kind, own)
        except ValueError:
            # nothing to fit: the previous run's charts must not stay as if
            # this run had drawn them
            if self._current(generation):
                data.model = data.timeline = data.result = None
                self.views.run_reset()
                self.views.draw_all()
            raise
        events = _recording(raw_events, data)
        model = runplan.run_model(kwargs, kind)
        data.model, data.timeline, data.result = model, None, None
        self.views.run_reset()
        return _RunLoop(self.store, self.views, data, generation, model, events)

    async def _finish(self, loop: _RunLoop) -> None:
        """Draw the final fit, then the k-means panel, then report the result.

        Each in a frame of its own: with the result's computation that makes
        three short frames, not one long pause at the end of every run.
        """
        model, generation = loop.model, loop.generation
        for what, draw in (
            ("draw final", lambda: self.views.draw_model(model)),
            ("draw k-means", lambda: self.views.kmeans.draw(model.result)),
        ):
            await next_frame()
            if not self._current(generation):
                return
            t0 = dom.now()
            draw()
            loop.slowest = max(loop.slowest, (dom.now() - t0, what))
            if not await self._painted(generation):
                return
        await next_frame()
        if not self._current(generation):
            return
        data = self.data
        data.result = model.result
        data.stats = loop.stats()
        message = messages.done_message(
            model.result,
            model.settings["n_init"],
            embedded=self.store.state.settings.embed,
        )
        final = data.final_position()
        self.store.dispatch(A.RunFinished(generation, message, final))

    async def _painted(self, generation: int) -> bool:
        """Wait until the pending pictures are on their canvases (the final
        fit is never reported before it is drawn); False if cancelled."""
        while self.views.painting():
            await next_frame()
            if not self._current(generation):
                return False
        return True

    # ------------------------------------------------------------------ timeline
    def play_timeline(self, _effect=None) -> None:
        if not self._timeline_playing:
            asyncio.ensure_future(self._play_timeline())

    async def _play_timeline(self) -> None:
        self._timeline_playing = True
        try:
            while self.store.state.timeline.playing:
                await next_frame()
                self.store.dispatch(A.Tick())
        finally:
            self._timeline_playing = False


class _RunLoop:
    """One run's frames: what each computes and draws, and when.

    A frame either draws the EM iteration computed in the previous frame
    (computing and drawing it in separate frames halves the longest pause of
    the page) or computes: the next events (one EM iteration when the fit
    animates, held for the speed control's pace), then the model-selection
    sweep in what is left of the frame. The timings are kept for
    :meth:`stats`.
    """

    def __init__(self, store, views, data, generation, model, events) -> None:
        self.store, self.views, self.data = store, views, data
        self.generation, self.model, self.events = generation, model, events
        self.t_start = dom.now()
        self.last_shown = -math.inf  # frame of the latest EM iteration computed
        self.t_prev = math.inf  # the previous frame's start
        self.pending = False  # an EM iteration computed, to be drawn next frame
        self.em_times: list[float] = []
        self.drawn_at: list[float] = []  # frames that drew an EM iteration
        self.draw_ms: list[float] = []
        self.slowest = (0.0, "")
        self.phase = None
        self.positions = 0

    def frame(self) -> bool:
        """Do one animation frame's work; True once the run is over."""
        if self.views.painting():
            # a big picture is stamped a slice per frame (app.painter): it is
            # seen whole before the run moves on
            self.t_prev = dom.now()
            return False
        display = self.store.state.display
        animate = not display.skip_animation
        t0 = dom.now()
        gap, self.t_prev = t0 - self.t_prev, t0  # this frame's interval
        if self.pending:
            finished, what = self._draw_pending(t0, animate)
        else:
            hold = pacing.pace(display.speed).em_seconds
            held = self.model.last_kind in ("data", "em")
            # one EM iteration per hold at the speed control's value (a few
            # ms of slack so 60 Hz frames give a steady rate)
            if animate and held and t0 - self.last_shown < hold - 0.004:
                return self._background(t0, animate)  # the fit never ends here
            finished, what = self._compute(t0, gap, hold, animate)
        self._report(animate)
        elapsed = dom.now() - t0
        if elapsed > self.slowest[0]:
            self.slowest = (elapsed, what)
        return finished

    def _draw_pending(self, t0: float, animate: bool) -> tuple[bool, str]:
        """Draw the EM iteration computed in the previous frame."""
        self.pending = False
        self.views.draw_model(self.model)
        what = f"draw {self.model.last_kind}"
        self.draw_ms.append((dom.now() - t0) * 1000)
        self.drawn_at.append(t0)
        return self._background(t0, animate), what

    def _compute(
        self, t0: float, gap: float, hold: float, animate: bool
    ) -> tuple[bool, str]:
        """Compute this frame's events; draw them now or mark them pending."""
        model = self.model
        after_em = model.last_kind == "em"
        # slow frames (drawing on the CPU) get more work each, so the sweep
        # and a skipped animation take no longer
        budget = pacing.catch_up_budget(gap, pacing.frame_budget(model.phase, animate))
        finished = runmodel.advance(
            model, self.events, animate=animate, budget_s=budget
        )
        if animate and after_em and model.last_kind == "em":
            finished = self._catch_up(t0, hold, finished)
        if not finished:
            finished = self._background(t0, animate)
        what = f"compute {model.last_kind}"
        if model.last_kind == "sweep":  # which fit, how far
            sw = model.sweep
            what += f" K={sw.k} it={sw.iteration}"
        if finished:
            pass  # computing the result filled this frame
        elif animate and model.last_kind in ("data", "em"):
            self.pending = True
            self.last_shown = t0
            self.em_times.append(t0)
        elif animate:
            self.views.draw_model(model)
        else:
            self.views.draw_progress(model)
        return finished, what

    def _catch_up(self, t0: float, hold: float, finished: bool) -> bool:
        """Frames slower than the pace: EM keeps the chosen speed, the
        display draws every few iterations."""
        model = self.model
        due = pacing.iterations_due(t0 - self.last_shown, hold)
        seconds = pacing.catch_up_budget(t0 - self.last_shown)
        budget = TimeBudget(seconds, dom.now, start=t0)
        for _ in range(due - 1):
            if finished or not budget.lap():
                break
            self.em_times.append(t0)
            finished = runmodel.advance(model, self.events, animate=True)
            if model.last_kind != "em":
                break
        return finished

    def _background(self, t0: float, animate: bool) -> bool:
        """Top the frame begun at ``t0`` up with the model-selection sweep
        while the fit animates; True if that ended the run."""
        if not animate:
            return False
        spare = pacing.BACKGROUND_FRAME_S - (dom.now() - t0)
        return runmodel.work_in_background(self.model, self.events, budget_s=spare)

    def _report(self, animate: bool) -> None:
        """The timeline's growth and the run's phase, as actions."""
        data, generation = self.data, self.generation
        # the timeline's slider moves in the frame that draws the EM
        # iteration: one repaint per iteration, not two (WebKit painting on
        # the CPU pays for each)
        if not self.pending and data.positions() != self.positions:
            self.positions = data.positions()
            self.store.dispatch(
                A.TimelineGrew(generation, self.positions, data.offsets())
            )
        model = self.model
        if model.phase != self.phase:
            self.phase = model.phase
            text = messages.phase_message(
                self.phase,
                model.settings,
                experiment.SWEEP_KS,
                skipping=not animate,
            )
            if text:
                self.store.dispatch(A.RunPhase(generation, text))

    def stats(self) -> dict:
        """Timings of the run (``seconds``, ``fps``, ``draw_fps``...)."""
        em_times, drawn_at, draw_ms = self.em_times, self.drawn_at, self.draw_ms
        fps = draw_fps = None
        if len(em_times) > 2 and em_times[-1] > em_times[0]:
            fps = (len(em_times) - 1) / (em_times[-1] - em_times[0])
        if len(drawn_at) > 2:
            draw_fps = (len(drawn_at) - 1) / (drawn_at[-1] - drawn_at[0])
        return {
            "seconds": dom.now() - self.t_start,
            "fps": fps,
            "draw_fps": draw_fps,
            "longest": self.slowest,
            "draw_ms_median": sorted(draw_ms)[len(draw_ms) // 2] if draw_ms else None,
        }


def _recording(events, data: RunData):
    """Pass the simulator's events through, recording them in the timeline's
    record; what is sent in (``experiment.BACKGROUND``) is passed on."""
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
    model = runmodel.RunModel({})
    for _ in range(3):
        model.apply(next(events))
    events.close()
