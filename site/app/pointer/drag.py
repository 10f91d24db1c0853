"""The watched fit's starting means as handles to drag (or move by keyboard).

At a start's iteration 0 (:func:`app.views.shown.start_handles`), one
``<button class="start-handle">`` per component sits over its mean on the
data chart, inside ``#start-handles`` (``data-means``: the means shown, JSON,
data units). Dragging one with a pointer, or the arrow keys on the focused
one (Shift: bigger steps), dispatches :class:`simapp.state.actions.StartMoved`
with every mean, in data units through the chart's
:class:`~simapp.charts.viewport.Viewport`; ``#start-live`` says where the
moved one now starts. ``#start-reset``, shown while a moved start is used,
returns to the usual start. While a pointer drags, the handle follows it on the
screen only (as a slider's thumb does); the state changes on the drop. The
ends of the start ellipses' axes are handles too (:mod:`app.pointer.axes`).
"""

from __future__ import annotations

import json

from simapp.state import actions as A
from simapp.text import starts as words

from .. import dom
from ..views import shown
from .axes import StartAxes

__all__ = ["StartDrag"]

#: Arrow-key steps in CSS pixels of the chart (Shift: the larger one).
KEY_STEP_PX = 8.0
SHIFT_STEP_PX = 40.0
#: A press that moves less than this (CSS px) is a click: it selects only.
CLICK_SLOP_PX = 3.0
ARROWS = {
    "ArrowLeft": (-1.0, 0.0),
    "ArrowRight": (1.0, 0.0),
    "ArrowUp": (0.0, 1.0),  # data y points up
    "ArrowDown": (0.0, -1.0),
}


class StartDrag:
    """The start handles over ``#cluster-canvas`` and their gestures."""

    def __init__(self, bindings, views, data) -> None:
        self.bindings = bindings
        self.store = bindings.store
        self.views = views
        self.data = data
        self.box = dom.js_element(dom.el("start-handles"))
        self.live = dom.el("start-live")
        self.reset = dom.js_element(dom.el("start-reset"))
        self.means = None  # (k, 2) on show, data units
        self.placed = None  # what the handles were placed for
        self.view = None  # the data chart's map they were placed on
        self.dragging = None  # (component, start x, start y) in client px
        self.axes = StartAxes(
            bindings, views, data, self.box, self.live, lambda: self.view
        )

    def attach(self) -> None:
        dom.set_text(dom.el("start-hint"), words.HANDLES_HINT)
        self.reset.textContent = words.RESET_START
        self.reset.title = words.RESET_START_TITLE
        guard = self.bindings.guard
        self.bindings.dispatch_on(
            "click", "start-reset", "forgetting the moved start", self.on_reset
        )
        for event, handler in (
            ("pointerdown", self.on_down),
            ("pointermove", self.on_move),
            ("pointerup", self.on_up),
            ("pointercancel", self.on_cancel),
            ("keydown", self.on_key),
        ):
            dom.listen(event, "#start-handles", guard("moving a start", handler))
        self.axes.attach()

    # ------------------------------------------------------------------ render
    def render(self, _old=None, _new=None) -> None:
        """Place the handles for the current state (hidden when none)."""
        self.axes.render(self._place_means())

    def _place_means(self) -> bool:
        """Place the means' handles; whether there are any."""
        means = shown.start_handles(self.store.state, self.data)
        scatter = self.views.scatter
        canvas = scatter.canvas
        if means is None or canvas.width < 1:
            if self.means is not None or self.placed is None:
                self.box.hidden = True
            self.means = self.placed = None
            return False
        if self.data.model.data is not None:
            self.view, _ = scatter.view_of(self.data.model)
        elif self.view is None:  # a run's data not made yet, nothing drawn
            return False
        view = self.view
        el = dom.js_element(canvas.el)
        # every store change comes here (each frame of a run): the DOM is
        # written only when the handles move
        # the caption above the chart may have moved it since
        box = tuple(
            float(v)
            for v in (el.offsetLeft, el.offsetTop, el.offsetWidth, el.offsetHeight)
        )
        placed = (means.tobytes(), view, box)
        if placed == self.placed:
            return True
        self.placed = placed
        ratio = float(el.clientWidth or el.offsetWidth) / canvas.width
        style = self.box.style
        for name, value in zip(("left", "top", "width", "height"), box, strict=True):
            setattr(style, name, f"{value}px")
        buttons = self._buttons(len(means))
        for i, (button, px) in enumerate(zip(buttons, view.to_px(means), strict=True)):
            x, y = float(means[i][0]), float(means[i][1])
            button.style.left = f"{float(px[0]) * ratio}px"
            button.style.top = f"{float(px[1]) * ratio}px"
            button.setAttribute("aria-label", words.start_handle(i, x, y))
        self.means = means
        self.reset.hidden = not self.store.state.settings.means0
        self.box.dataset.means = json.dumps([[float(v) for v in m] for m in means])
        self.box.hidden = False
        return True

    def _buttons(self, k: int) -> list:
        """The ``k`` handle buttons (kept while K stays, so focus stays)."""
        buttons = list(self.box.querySelectorAll(".start-handle"))
        if len(buttons) == k:
            return buttons
        for button in buttons:
            button.remove()
        for i in range(k):
            button = dom.document.createElement("button")
            button.type = "button"
            button.className = "start-handle"
            button.dataset.component = str(i)
            button.textContent = str(i + 1)
            button.setAttribute("aria-describedby", "start-hint")
            self.box.appendChild(button)
        return list(self.box.querySelectorAll(".start-handle"))

    # ------------------------------------------------------------------ gestures
    @staticmethod
    def _component(event) -> int | None:
        handle = event.target.closest(".start-handle")
        if dom.is_none(handle):
            return None
        return int(handle.dataset.component)

    def on_down(self, event) -> None:
        i = self._component(event)
        if i is None or self.means is None or event.button != 0:
            return
        self.render()  # where the chart is now
        event.target.closest(".start-handle").setPointerCapture(event.pointerId)
        self.dragging = (i, float(event.clientX), float(event.clientY))

    def on_move(self, event) -> None:
        if self.dragging is None:
            return
        i = self.dragging[0]
        rect = self.box.getBoundingClientRect()
        handle = self.box.querySelectorAll(".start-handle").item(i)
        handle.style.left = f"{float(event.clientX) - float(rect.left)}px"
        handle.style.top = f"{float(event.clientY) - float(rect.top)}px"

    def on_up(self, event) -> None:
        if self.dragging is None:
            return
        i, x0, y0 = self.dragging
        self.dragging = None
        moved = abs(float(event.clientX) - x0) + abs(float(event.clientY) - y0)
        px = self.views.scatter.canvas.to_canvas_px(event)
        if moved < CLICK_SLOP_PX or px is None or self.means is None:
            self.placed = None
            self.render()  # a click: the handle back where it was
            return
        view = self.view
        x, y = (float(v) for v in view.to_data(px))
        self._move(i, x, y)

    def on_cancel(self, _event) -> None:
        self.dragging = None
        self.placed = None
        self.render()

    def on_reset(self, _event):
        """The usual start again."""
        dom.set_text(self.live, words.RESET_START_TITLE)
        return A.StartMoved(())

    def on_key(self, event) -> None:
        i = self._component(event)
        step = ARROWS.get(str(event.key))
        if i is None or step is None or self.means is None:
            return
        if event.ctrlKey or event.altKey or event.metaKey:
            return
        # the page's own arrow shortcuts (the timeline's steps) stay out
        event.preventDefault()
        event.stopPropagation()
        canvas = self.views.scatter.canvas
        el = dom.js_element(canvas.el)
        view = self.view
        css = SHIFT_STEP_PX if event.shiftKey else KEY_STEP_PX
        # CSS px -> device px -> data units
        length = css * canvas.width / float(el.clientWidth or el.offsetWidth)
        length /= view.scale
        x, y = (float(v) for v in self._start()[i])
        self._move(i, x + step[0] * length, y + step[1] * length)

    def _start(self):
        """The start the last move asked for (the link's ``means0``), else
        the one drawn: presses quicker than the runs they start (a held
        key) each add their step."""
        settings = self.store.state.settings
        return settings.means0 if len(settings.means0) == settings.k else self.means

    def _move(self, i: int, x: float, y: float) -> None:
        means = [(float(a), float(b)) for a, b in self._start()]
        means[i] = (x, y)
        self.store.dispatch(A.StartMoved(tuple(means)))
        moved = self.store.state.settings.means0
        if len(moved) > i:  # the rounded start the run uses
            x, y = moved[i]
        dom.set_text(self.live, words.start_handle(i, x, y))
