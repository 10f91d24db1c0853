"""The painting tools' events, each mapped to one action of
:mod:`simapp.state.paint`; the listeners go through :class:`app.bindings.Bindings`'s
guards, so an exception becomes a message, never a dead page.

A brush or eraser stroke on ``#cluster-canvas`` is a pointer pressed, moved
and released: the press begins it (:class:`A.StrokeBegan`, with the points on
the chart when they are not clicked points), each move of at least
:data:`DAB_STEP` of the spread from the last dab makes one more
(:class:`A.Dabbed`), the release ends it. Positions are in data units,
through the data chart's own viewport.
"""

from __future__ import annotations

from simapp.state import actions as A
from simapp.state import paint

from .. import dom
from .tools import TOOL_IDS

__all__ = ["DAB_STEP", "StrokeBindings"]

#: A dab per move of this fraction of the spread (and at least 3 CSS px):
#: a fast drag paints a trail, a resting pointer does not pile points up.
DAB_STEP = 0.4
#: Inputs whose own Ctrl/Cmd+Z (undo typing) wins over undoing a stroke.
TYPING = ("text", "number", "search", "email", "url", "tel", "password")


class StrokeBindings:
    """Attaches the painting tools' listeners through ``bindings``; reads the
    data chart's viewport from ``bindings.views.scatter``."""

    def __init__(self, bindings) -> None:
        self.bindings = bindings
        self.store = bindings.store
        self._pointer = None  # the stroke's pointer id
        self._last = (0.0, 0.0)  # where its last dab was, client px

    def attach(self) -> None:
        b = self.bindings
        for tool, element_id in TOOL_IDS.items():
            b.dispatch_on(
                "change",
                element_id,
                "choosing a painting tool",
                lambda _e, tool=tool: A.PaintToolChosen(tool),
            )
        b.dispatch_on(
            "input",
            "paint-spread",
            "changing the brush's spread",
            lambda e: A.SpreadChanged(int(float(e.target.value))),
        )
        b.dispatch_on("click", "paint-undo", "undoing", lambda _e: A.PaintUndone())
        what = "painting the data"
        b.on("pointerdown", "cluster-canvas", what, self.on_down)
        b.on("pointermove", "cluster-canvas", what, self.on_move)
        for event in ("pointerup", "pointercancel", "lostpointercapture"):
            b.on(event, "cluster-canvas", what, self.on_up)
        dom.listen("keydown", dom.document, b.guard("undoing", self.on_key))

    def _data_point(self, event):
        """The event's position in data units, the stroke's radius in data
        units, and the points on the chart; None when nothing is drawn."""
        model = self.bindings.data.model
        if model is None or model.data is None:
            return None
        scatter = self.bindings.views.scatter
        canvas = scatter.canvas
        px = canvas.to_canvas_px(event)
        if px is None:
            return None
        view, _ = scatter.view_of(model)
        x, y = (float(v) for v in view.to_data(list(px)))
        css_width = float(canvas.el.getBoundingClientRect().width)
        spread_px = self.store.state.paint.spread * canvas.width / css_width
        return x, y, spread_px / view.scale, model.data

    def on_down(self, event) -> None:
        state = self.store.state
        tool = state.paint.tool
        if tool == "point" or event.button or state.status == "loading":
            return
        found = self._data_point(event)
        if found is None:
            return
        x, y, radius, data = found
        event.preventDefault()  # no text selection, no scrolling
        if event.isTrusted:  # a script's event has no pointer to capture
            dom.el("cluster-canvas").setPointerCapture(event.pointerId)
        self._pointer = event.pointerId
        self._last = (float(event.clientX), float(event.clientY))
        choice = str(dom.el("click-class").value)
        base = None
        if state.source.kind != "click":  # a copy of the chart's points
            base = (data.X, data.labels_true)
        label = int(choice) if choice else None
        self.store.dispatch(A.StrokeBegan(tool, x, y, radius, label, base))

    def on_move(self, event) -> None:
        if self._pointer is None or event.pointerId != self._pointer:
            return
        cx, cy = float(event.clientX), float(event.clientY)
        step = max(3.0, DAB_STEP * self.store.state.paint.spread)
        if (cx - self._last[0]) ** 2 + (cy - self._last[1]) ** 2 < step * step:
            return
        found = self._data_point(event)
        if found is None:
            return
        self._last = (cx, cy)
        self.store.dispatch(A.Dabbed(found[0], found[1]))

    def on_up(self, event) -> None:
        if self._pointer is None or event.pointerId != self._pointer:
            return
        self._pointer = None
        self.store.dispatch(A.StrokeEnded())

    def on_key(self, event) -> None:
        """Ctrl/Cmd+Z undoes the last edit of the points, unless a field
        that undoes its own typing has the focus."""
        if not (event.ctrlKey or event.metaKey) or event.shiftKey or event.altKey:
            return
        if str(event.key).lower() != "z" or not paint.undo_steps(self.store.state):
            return
        target = event.target
        tag = str(getattr(target, "tagName", "") or "").upper()
        kind = str(getattr(target, "type", "") or "").lower()
        if tag == "TEXTAREA" or (tag == "INPUT" and kind in TYPING):
            return
        if bool(getattr(target, "isContentEditable", False)):
            return
        event.preventDefault()
        self.store.dispatch(A.PaintUndone())
