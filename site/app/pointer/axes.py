"""The axes of the watched fit's starting ellipses as handles to drag.

With the start handles (:mod:`app.pointer.drag`)
(:func:`app.views.shown.start_axes`), two ``<button class="axis-handle">``
per component (one for ``cov=spherical``: its circle's radius) sit at the
ends of its start ellipse's 1σ principal semi-axes, as drawn: no shorter
than :data:`simapp.charts.data_chart.START_SEMI_AXIS_CSS` (a k-means++
start is a point). Dragging one sets that axis's length (the handle's
distance from the centre) and, for full and tied, its direction; the arrow
keys on a focused one lengthen or shorten it (Up, Down) and turn it (Left,
Right; not for diag or spherical); Shift: bigger steps. A change
dispatches :class:`simapp.state.actions.StartShaped` with every mean and
the start's covariances (for tied, the one matrix every component shares:
all its ellipses follow), clamped as
:func:`simapp.state.startcov.cov_from_axes` says. ``#start-handles``
carries ``data-covs`` (the covariances shown, JSON, data units).
"""

from __future__ import annotations

import json
import math

from simapp.charts.data_chart import START_SEMI_AXIS_CSS
from simapp.state import actions as A
from simapp.state import startcov
from simapp.text import starts as words

from .. import dom
from ..views import shown

__all__ = ["StartAxes"]

#: Arrow-key steps: lengths in CSS pixels, turns in degrees (Shift: larger).
KEY_STEP_PX, SHIFT_STEP_PX = 8.0, 40.0
KEY_TURN_DEG, SHIFT_TURN_DEG = 15.0, 45.0
#: A press that moves less than this (CSS px) is a click: it selects only.
CLICK_SLOP_PX = 3.0


class StartAxes:
    """The axis handles inside ``#start-handles`` and their gestures."""

    def __init__(self, bindings, views, data, box, live, view) -> None:
        self.store = bindings.store
        # the data chart's map the means' handles were placed on: it stays
        # while a run from a moved start has not made its data yet
        self.view = view
        self.guard = bindings.guard
        self.views = views
        self.data = data
        self.box = box
        self.live = live
        self.start = None  # (means (k, 2), covs (k, 2, 2)) shown, data units
        self.ends = None  # [(component, axis)] -> (length css, angle rad)
        self.dragging = None  # (component, axis, start x, start y) client px
        self.turns = {}  # component -> its first handle's direction (rad)

    def attach(self) -> None:
        dom.set_text(dom.el("axes-hint"), words.AXES_HINT)
        for event, handler in (
            ("pointerdown", self.on_down),
            ("pointermove", self.on_move),
            ("pointerup", self.on_up),
            ("pointercancel", self.on_cancel),
            ("keydown", self.on_key),
        ):
            dom.listen(event, "#start-handles", self.guard("shaping a start", handler))

    # ------------------------------------------------------------------ render
    def _css_scale(self) -> float:
        """CSS pixels per data unit on the chart now."""
        canvas = self.views.scatter.canvas
        el = dom.js_element(canvas.el)
        view = self.view()
        return view.scale * float(el.clientWidth or el.offsetWidth) / canvas.width

    def render(self, means_shown: bool) -> None:
        """Place the axis handles (none when the means have none)."""
        state = self.store.state
        start = shown.start_axes(state, self.data) if means_shown else None
        if start is None:
            for button in list(self.box.querySelectorAll(".axis-handle")):
                button.remove()
            self.start = self.ends = None
            return
        means, covs = start
        if self.dragging is not None:
            return  # the dragged handle follows the pointer until the drop
        scale = self._css_scale()
        view = self.view()
        ratio = scale / view.scale  # CSS px per device px
        per = _per_component(state.settings.cov)
        buttons = self._buttons(len(means), per)
        ends = {}
        for i, (mean, cov) in enumerate(zip(means, covs, strict=True)):
            cx, cy = (float(v) * ratio for v in view.to_px(mean))
            pairs = self._axes(i, cov[0, 0], cov[0, 1], cov[1, 1])
            for axis, (sd, turn) in enumerate(pairs[:per]):
                length = max(sd * scale, START_SEMI_AXIS_CSS)
                ends[i, axis] = (length, turn, sd)
                button = buttons[per * i + axis]
                # data y points up, the page's down
                button.style.left = f"{cx + length * math.cos(turn)}px"
                button.style.top = f"{cy - length * math.sin(turn)}px"
                button.setAttribute("aria-label", _said(i, axis, sd, turn))
        self.start, self.ends = (means, covs), ends
        self.box.dataset.covs = json.dumps(
            [[[float(v) for v in row] for row in c] for c in covs]
        )

    def _axes(self, i: int, a: float, b: float, c: float) -> tuple:
        """Component ``i``'s two (1σ length, direction) handles: its first
        where it was (nearest its last direction), so a handle stays the
        one a pointer dropped or the keys move."""
        sd1, sd2, angle = startcov.axes_of(float(a), float(b), float(c))
        last = self.turns.get(i, angle)
        quarter = math.pi / 2
        q = min(
            range(4),
            key=lambda q: abs(math.remainder(angle + q * quarter - last, 2 * math.pi)),
        )
        first, second = (sd1, sd2) if q % 2 == 0 else (sd2, sd1)
        turn = angle + q * quarter
        self.turns[i] = turn
        return (first, turn), (second, turn + quarter)

    def _buttons(self, k: int, per: int) -> list:
        """The ``per k`` axis buttons (kept while their count stays, so
        focus stays)."""
        buttons = list(self.box.querySelectorAll(".axis-handle"))
        if len(buttons) == per * k:
            return buttons
        for button in buttons:
            button.remove()
        for i in range(k):
            for axis in range(per):
                button = dom.document.createElement("button")
                button.type = "button"
                button.className = "axis-handle"
                button.dataset.component = str(i)
                button.dataset.axis = str(axis)
                button.setAttribute("aria-describedby", "axes-hint")
                self.box.appendChild(button)
        return list(self.box.querySelectorAll(".axis-handle"))

    # ------------------------------------------------------------------ gestures
    @staticmethod
    def _handle(event):
        handle = event.target.closest(".axis-handle")
        if dom.is_none(handle):
            return None
        return int(handle.dataset.component), int(handle.dataset.axis), handle

    def on_down(self, event) -> None:
        found = self._handle(event)
        if found is None or self.start is None or event.button != 0:
            return
        found[2].setPointerCapture(event.pointerId)
        self.dragging = (found[0], found[1], float(event.clientX), float(event.clientY))

    def on_move(self, event) -> None:
        if self.dragging is None:
            return
        i, axis = self.dragging[:2]
        rect = self.box.getBoundingClientRect()
        per = _per_component(self.store.state.settings.cov)
        handle = self.box.querySelectorAll(".axis-handle").item(per * i + axis)
        handle.style.left = f"{float(event.clientX) - float(rect.left)}px"
        handle.style.top = f"{float(event.clientY) - float(rect.top)}px"

    def on_up(self, event) -> None:
        if self.dragging is None:
            return
        i, axis, x0, y0 = self.dragging
        self.dragging = None
        moved = abs(float(event.clientX) - x0) + abs(float(event.clientY) - y0)
        px = self.views.scatter.canvas.to_canvas_px(event)
        if moved < CLICK_SLOP_PX or px is None or self.start is None:
            self.render(True)  # a click: the handle back where it was
            return
        view = self.view()
        x, y = (float(v) for v in view.to_data(px))
        mx, my = (float(v) for v in self.start[0][i])
        length, turn = math.hypot(x - mx, y - my), math.atan2(y - my, x - mx)
        if self.store.state.settings.cov == "diag":  # no turning: along the axis
            along = self.ends[i, axis][1]
            length = abs(math.cos(turn - along)) * length
            turn = along
        self._shape(i, axis, length, turn)

    def on_cancel(self, _event) -> None:
        self.dragging = None
        self.render(True)

    def on_key(self, event) -> None:
        found = self._handle(event)
        key = str(event.key)
        if found is None or self.start is None or not key.startswith("Arrow"):
            return
        if event.ctrlKey or event.altKey or event.metaKey:
            return
        # the page's own arrow shortcuts (the timeline's steps) stay out
        event.preventDefault()
        event.stopPropagation()
        i, axis, _ = found
        length_css, turn, _ = self.ends[i, axis]
        step = SHIFT_STEP_PX if event.shiftKey else KEY_STEP_PX
        degrees = SHIFT_TURN_DEG if event.shiftKey else KEY_TURN_DEG
        if key in ("ArrowUp", "ArrowDown"):
            # from the length drawn: a tiny start's first step shows
            length_css += step if key == "ArrowUp" else -step
        elif self.store.state.settings.cov in _UNTURNED:
            return  # its axes stay along x and y
        else:
            turn += math.radians(degrees if key == "ArrowLeft" else -degrees)
        self._shape(i, axis, length_css / self._css_scale(), turn)

    def _shape(self, i: int, axis: int, length: float, turn: float) -> None:
        """Component ``i``'s ``axis`` now ``length`` (data units) along
        ``turn`` (radians): the start's covariances (a tied one's shared
        matrix), dispatched."""
        cov_type = self.store.state.settings.cov
        means, covs = self.start
        # a spherical start has one handle: both its axes are its radius
        sd1, sd2 = self.ends[i, 0][2], self.ends.get((i, 1), self.ends[i, 0])[2]
        if axis == 0:
            sd1, angle = length, turn
        else:
            sd2, angle = length, turn - math.pi / 2
        shaped = [startcov.cov_from_axes(sd1, sd2, angle, cov_type)]
        if cov_type != "tied":  # a tied start is that one matrix for all
            shaped = [
                shaped[0] if j == i else _start_of(c[0, 0], c[0, 1], c[1, 1], cov_type)
                for j, c in enumerate(covs)
            ]
        means0 = tuple((float(x), float(y)) for x, y in means)
        self.turns[i] = angle  # the dropped handle stays where it was put
        self.store.dispatch(A.StartShaped(means0, tuple(shaped)))
        covs0 = self.store.state.settings.covs0
        sd, turn = self._axes(i, *covs0[0 if cov_type == "tied" else i])[axis]
        dom.set_text(self.live, _said(i, axis, sd, turn))


#: Covariance types whose start axes do not turn (diag: along x and y;
#: spherical: a circle's radius).
_UNTURNED = ("diag", "spherical")


def _per_component(cov: str) -> int:
    """Axis handles per component: a spherical start's radius, else both
    axes."""
    return 1 if cov == "spherical" else 2


def _start_of(a: float, b: float, c: float, cov: str) -> tuple[float, float, float]:
    """An unchanged component's covariance as a start of ``cov`` (its
    seeded one may be thinner than the rule allows: the rule's nearest)."""
    sd1, sd2, angle = startcov.axes_of(float(a), float(b), float(c))
    # an axis-aligned one stays exactly so (b = 0, not a rounding's 1e-17)
    return startcov.cov_from_axes(
        sd1, sd2, angle, "diag" if cov == "full" and not b else cov
    )


def _said(i: int, axis: int, sd: float, turn: float) -> str:
    """Component ``i``'s ``axis`` in words, its direction in (-180°, 180°]."""
    return words.start_axis(i, axis, sd, math.degrees(math.remainder(turn, math.tau)))
