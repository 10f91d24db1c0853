"""The timeline controls: play, step, slider, final fit and their label.

``#timeline`` carries ``data-mode``, ``data-positions``, ``data-position``,
``data-playing``, ``data-phase``, ``data-start`` and ``data-iteration``.
"""

from __future__ import annotations

from simapp.text import timeline as words

from .. import dom
from . import shown

BUTTONS = ("tl-back", "tl-step", "tl-slider", "tl-play")
#: the ``#timeline`` data attributes, in ``write``'s ``out``
DATASET = ("mode", "positions", "playing", "position", "phase", "start", "iteration")


class TimelineView:
    """``#timeline`` and its controls, from ``state.timeline``."""

    def __init__(self, data) -> None:
        self.data = data
        self.box = dom.el("timeline")
        self.slider = dom.el("tl-slider")
        self.play = dom.el("tl-play")
        self.final = dom.el("tl-final")
        self.label = dom.el("tl-label")
        self.buttons = [dom.el(element_id) for element_id in BUTTONS]
        self._synced = None
        self._written: dict = {}

    def render(self, old, new) -> None:
        ex = new.timeline
        tl = self.data.timeline
        frame = shown.timeline_frame(ex, tl)
        where = None if frame is None else (frame.start, frame.iteration, frame.phase)
        signature = (ex, new.running, id(self.data.result), id(tl), where)
        if signature == self._synced:
            return  # nothing changed: no DOM writes
        self._synced = signature
        n = ex.positions
        pos = ex.position if n else 0
        out = {}  # what the controls show; only the changes are written
        # the slider spans the start on show (the final fit's: the best one)
        first, last = ex.span(pos)
        out["min"], out["max"], out["value"] = str(first), str(last), str(pos)
        out["disabled"] = n == 0
        out["final"] = ex.mode == "live" or not ex.has_result
        live_running = ex.mode == "live" and new.running and not ex.has_result
        pause = ex.playing or live_running
        out["play"] = words.PAUSE if pause else words.PLAY
        out["pressed"] = "true" if pause else "false"
        out["mode"] = ex.mode
        out["positions"] = str(n)
        out["playing"] = "true" if ex.playing else "false"
        n_starts = tl.n_starts if tl is not None else 0
        if ex.mode == "timeline" and frame is not None and n:
            out["position"], out["phase"] = str(pos), frame.phase
            out["start"], out["iteration"] = str(frame.start), str(frame.iteration)
            text = words.position_label(
                frame.start,
                n_starts,
                frame.iteration,
                frame.phase,
                loglik=frame.loglik,
                converged=frame.converged,
            )
        else:
            out["position"] = str(pos) if n else ""
            if ex.mode == "start":
                out["phase"] = "start"
            elif ex.has_result:
                out["phase"] = "final"
            else:
                out["phase"] = "live" if n else ""
            out["start"] = out["iteration"] = ""
            text = words.timeline_text(ex.mode, ex.selected, n, n_starts, ex.has_result)
        out["text"] = text
        self.write(out)

    def write(self, out: dict) -> None:
        """Write the values of ``out`` that differ from the last ones written:
        a live run moves the slider every EM iteration, and WebKit repaints
        for every write, even of an unchanged value."""
        old, self._written = self._written, out
        changed = {key for key, value in out.items() if old.get(key) != value}
        slider, box = self.slider, self.box.dataset
        for key in ("min", "max", "value"):  # in this order: value within range
            if key in changed:
                setattr(slider, key, out[key])
        if "disabled" in changed:
            for button in self.buttons:
                button.disabled = out["disabled"]
        if "final" in changed:
            self.final.disabled = out["final"]
        if "play" in changed:
            self.play.textContent = out["play"]
        if "pressed" in changed:
            self.play.setAttribute("aria-pressed", out["pressed"])
        for key in DATASET:
            if key in changed:
                setattr(box, key, out[key])
        if "text" in changed:
            dom.set_text(self.label, out["text"])
            self.slider.setAttribute("aria-valuetext", out["text"])
