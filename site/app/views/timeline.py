"""The step-through controls: play, step, slider, final fit and their label.

``#timeline`` carries ``data-mode``, ``data-positions``, ``data-position``,
``data-playing``, ``data-phase``, ``data-start`` and ``data-iteration``.
"""

from __future__ import annotations

from simapp import explore, messages

from .. import dom

BUTTONS = ("tl-back", "tl-step", "tl-slider", "tl-play")


class TimelineView:
    """``#timeline`` and its controls, from ``state.explore``."""

    def __init__(self, data, scatter) -> None:
        self.data = data
        self.scatter = scatter  # knows the history position it drew
        self.box = dom.el("timeline")
        self.slider = dom.el("tl-slider")
        self.play = dom.el("tl-play")
        self.final = dom.el("tl-final")
        self.label = dom.el("tl-label")
        self.buttons = [dom.el(element_id) for element_id in BUTTONS]
        self._synced = None

    def render(self, old, new) -> None:
        ex = new.explore
        frame = self.scatter.frame_state if ex.mode == "timeline" else None
        signature = (ex, new.running, id(self.data.result), id(frame))
        if signature == self._synced:
            return  # nothing changed: no DOM writes
        self._synced = signature
        n = ex.positions
        pos = ex.position if n else 0
        box = self.box.dataset
        # the slider spans the start on show (the final fit's: the best one)
        first, last = ex.span(pos)
        self.slider.min, self.slider.max = str(first), str(last)
        self.slider.value = str(pos)
        for button in self.buttons:
            button.disabled = n == 0
        self.final.disabled = ex.mode == "live" or not ex.has_result
        live_running = ex.mode == "live" and new.running and not ex.has_result
        pause = ex.playing or live_running
        self.play.textContent = "❚❚ Pause" if pause else "▶ Play"
        self.play.setAttribute("aria-pressed", "true" if pause else "false")
        box.mode = ex.mode
        box.positions = str(n)
        box.playing = "true" if ex.playing else "false"
        tl = self.data.timeline
        n_starts = tl.n_starts if tl is not None else 0
        if ex.mode == "timeline" and frame is not None and n:
            box.position, box.phase = str(pos), frame.phase
            box.start, box.iteration = str(frame.start), str(frame.iteration)
            text = explore.timeline_label(frame, n_starts)
        else:
            box.position = str(pos) if n else ""
            if ex.mode == "start":
                box.phase = "start"
            elif ex.has_result:
                box.phase = "final"
            else:
                box.phase = "live" if n else ""
            box.start = box.iteration = ""
            text = messages.timeline_text(
                ex.mode, ex.selected, n, n_starts, ex.has_result
            )
        if str(self.label.textContent) != text:
            self.label.textContent = text
        self.slider.setAttribute("aria-valuetext", text)
