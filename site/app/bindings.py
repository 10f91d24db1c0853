"""Every DOM event of the page, mapped to one action.

The only code that reads the controls' values. A handler builds an action
from its event and dispatches it; it never draws and never changes state
itself. An exception in a handler becomes a message, never a dead page.
"""

from __future__ import annotations

import asyncio
import random

from simapp.state import actions as A
from simapp.state.pagestate import DisplayOptions
from simapp.text import messages

from . import dom
from .dataload import DataLoader
from .frames import next_frame
from .views.controls import CONTROLS, RANGES, VIEW_CONTROLS

__all__ = ["Bindings", "random_seed", "report"]

RANDOM_SEED_MAX = 99_999  # fresh seeds stay short enough to read and type
EXPORT_BUTTONS = {
    "png-cluster": "png-cluster",
    "png-loglik": "png-loglik",
    "png-ic": "png-ic",
    "export-json": "json",
    "export-snippet": "snippet",
    "export-csv": "csv",
    "export-notebook": "notebook",
    "export-video": "video",
}


def random_seed() -> int:
    return random.SystemRandom().randint(1, RANDOM_SEED_MAX)


class Bindings:
    """Attaches the page's listeners; each dispatches to ``store``."""

    def __init__(self, store, views, data) -> None:
        self.store = store
        self.views = views
        self.data = data
        self._resize_pending = False
        self.loader = DataLoader(store, lambda exc, what: report(self.store, exc, what))

    # ------------------------------------------------------------------ helpers
    def guard(self, what: str, handler):
        """``handler`` with every exception turned into a message."""

        def guarded(event):
            try:
                handler(event)
            except ValueError as exc:
                self.store.dispatch(A.Warned(messages.not_applied(exc)))
            except Exception as exc:
                report(self.store, exc, what)

        return guarded

    def on(self, event: str, element_id: str, what: str, handler) -> None:
        dom.listen(event, f"#{element_id}", self.guard(what, handler))

    def dispatch_on(self, event: str, element_id: str, what: str, make) -> None:
        """On ``event``, dispatch ``make(event)`` (skipped when it is None)."""

        def handler(ev):
            action = make(ev)
            if action is not None:
                self.store.dispatch(action)

        self.on(event, element_id, what, handler)

    @staticmethod
    def control_values() -> tuple[tuple[str, str], ...]:
        """The setting controls' values, as text keyed by setting name."""
        return tuple(
            (name, str(dom.el(element_id).value))
            for name, element_id in CONTROLS.items()
        )

    # ------------------------------------------------------------------ wiring
    def attach(self) -> None:
        self.attach_settings()
        self.attach_data()
        self.attach_display()
        self.attach_timeline()
        self.attach_share()

    def attach_settings(self) -> None:
        def edited(commit: bool):
            return lambda _e: A.ControlsEdited(self.control_values(), commit)

        for name in RANGES:
            self.dispatch_on("input", name, "updating a control", edited(False))
        for element_id in CONTROLS.values():
            self.dispatch_on("change", element_id, "applying a setting", edited(True))

        def submit(event):
            event.preventDefault()
            return A.ControlsEdited(self.control_values(), reveal=True)

        self.dispatch_on("submit", "settings", "starting a run", submit)
        self.dispatch_on(
            "click",
            "new-seed",
            "drawing a new seed",
            lambda _e: A.NewSeed(random_seed(), self.control_values()),
        )
        dom.listen("click", dom.document, self.guard("following a link", self.on_try))
        dom.listen(
            "click", dom.document, self.guard("opening a lesson", self.on_lesson_link)
        )
        self.dispatch_on(
            "change",
            "lesson",
            "opening a lesson",
            lambda _e: A.LessonChosen(str(dom.el("lesson").value)),
        )
        dom.listen("resize", dom.window, self.guard("resizing", self.on_resize))

    def on_try(self, event) -> None:
        """``a.try[data-settings]`` links set the controls and run in place."""
        link = _plain_click_on(event, "a.try[data-settings]")
        if link is not None:
            self.store.dispatch(A.TryLink(str(link.dataset.settings or "")))

    def on_lesson_link(self, event) -> None:
        """``a.lesson-link[data-scenario]`` links open a lesson in place."""
        link = _plain_click_on(event, "a.lesson-link[data-scenario]")
        if link is not None:
            self.store.dispatch(A.LessonChosen(str(link.dataset.scenario or "")))

    def on_resize(self, _event) -> None:
        if not self._resize_pending:
            self._resize_pending = True
            asyncio.ensure_future(self._redraw_after_resize())

    async def _redraw_after_resize(self) -> None:
        try:
            await next_frame()
            self._resize_pending = False
            self.store.dispatch(A.Resized())
        except Exception as exc:
            self._resize_pending = False
            report(self.store, exc, "redrawing the charts")

    def attach_data(self) -> None:
        def value(element_id: str) -> str:
            return str(dom.el(element_id).value)

        self.dispatch_on(
            "change",
            "data-source",
            "choosing the data",
            lambda _e: A.DataSourceChosen(value("data-source")),
        )
        self.dispatch_on(
            "change",
            "dataset",
            "loading the dataset",
            lambda _e: A.DatasetChosen(value("dataset")),
        )
        self.on("change", "data-file", "reading the file", self.on_file)
        self.on(
            "click",
            "data-use-text",
            "reading the table",
            lambda _e: self.loader.load(value("data-text")),
        )
        self.on("paste", "data-text", "reading the pasted table", self.loader.on_paste)
        for element_id in ("col-x", "col-y", "col-label"):
            self.dispatch_on(
                "change",
                element_id,
                "choosing columns",
                lambda _e: A.ColumnsChosen(
                    value("col-x"), value("col-y"), value("col-label")
                ),
            )
        for element_id in ("cols", "plot"):
            self.dispatch_on(
                "change",
                element_id,
                "choosing the columns to fit",
                lambda _e: A.ColumnChoiceEdited(value("cols"), value("plot")),
            )
        self.dispatch_on(
            "click", "click-clear", "clearing the points", lambda _e: A.PointsCleared()
        )
        self.dispatch_on(
            "click", "click-fit", "fitting the points", lambda _e: A.FitRequested()
        )
        self.dispatch_on("click", "cluster-canvas", "adding a point", self.point_at)
        # the keyboard's way to add a point: its coordinates
        self.dispatch_on("click", "click-add", "adding a point", self.typed_point)
        for element_id in ("click-x", "click-y"):
            self.dispatch_on("keydown", element_id, "adding a point", self.typed_enter)

    def on_file(self, _event) -> None:
        files = dom.el("data-file").files
        if not files or not files.length:
            return
        self.loader.read_file(files.item(0))

    def typed_enter(self, event):
        """Enter in a coordinate field adds the point (and submits nothing)."""
        if str(event.key) != "Enter":
            return None
        event.preventDefault()
        return self.typed_point(event)

    @staticmethod
    def typed_point(_event):
        """The point typed into ``#click-x`` and ``#click-y`` (NaN if blank:
        the reducer's check then says what is wrong)."""

        def number(element_id: str) -> float:
            text = str(dom.el(element_id).value).strip()
            try:
                return float(text)
            except ValueError:
                return float("nan")

        choice = str(dom.el("click-class").value)
        label = int(choice) if choice else None
        return A.PointAdded(number("click-x"), number("click-y"), label)

    def point_at(self, event):
        """A click on the data chart, in data units (clicking data only)."""
        state, model = self.store.state, self.data.model
        if state.source.kind != "click" or model is None or model.data is None:
            return None
        scatter = self.views.scatter
        px = scatter.canvas.to_canvas_px(event)
        if px is None:
            return None
        view, _ = scatter.view_of(model)
        x, y = (float(v) for v in view.to_data(list(px)))
        choice = str(dom.el("click-class").value)
        return A.PointAdded(x, y, int(choice) if choice else None)

    def attach_display(self) -> None:
        self.dispatch_on(
            "change",
            "compare",
            "switching the comparison",
            lambda _e: A.CompareToggled(bool(dom.el("compare").checked)),
        )
        defaults = DisplayOptions()
        for name, (element_id, prop, event) in VIEW_CONTROLS.items():
            kind = type(getattr(defaults, name))

            def make(_e, name=name, element_id=element_id, prop=prop, kind=kind):
                value = getattr(dom.el(element_id), prop)
                if kind is int:  # an emptied number field means 0
                    value = int(float(value or 0))
                return A.DisplayChanged(name, kind(value))

            self.dispatch_on(event, element_id, "changing the view", make)

    def attach_timeline(self) -> None:
        what = "stepping through EM"
        self.dispatch_on("click", "tl-play", what, lambda _e: A.Play())
        self.dispatch_on("click", "tl-step", what, lambda _e: A.Step(1))
        self.dispatch_on("click", "tl-back", what, lambda _e: A.Step(-1))
        self.dispatch_on("click", "tl-final", what, lambda _e: A.ShowFinal())
        self.dispatch_on(
            "input",
            "tl-slider",
            what,
            lambda e: A.Seek(int(float(e.target.value))),
        )
        self.dispatch_on("click", "starts-list", "showing a start", self.start_button)
        self.dispatch_on(
            "click",
            "starts-canvas",
            "showing a start",
            lambda e: self._pick(self.views.starts.start_at(e)),
        )

    @staticmethod
    def _pick(start):
        return None if start is None else A.PickStart(start)

    @staticmethod
    def start_button(event):
        target = event.target
        if dom.is_none(target) or not hasattr(target, "closest"):
            return None
        button = target.closest("button[data-start]")
        if dom.is_none(button):
            return None
        return A.PickStart(int(button.dataset.start), toggle=True)

    def attach_share(self) -> None:
        for element_id, what in EXPORT_BUTTONS.items():
            self.dispatch_on(
                "click",
                element_id,
                "preparing the download",
                lambda _e, what=what: A.ExportRequested(what),
            )
        self.dispatch_on(
            "click", "copy-link", "copying the link", lambda _e: A.CopyLinkRequested()
        )


def report(store, exc: BaseException, what: str) -> None:
    """An unexpected error the page survives: say so, log the traceback."""
    detail = dom.traceback_text(exc)
    dom.log_error(f"unexpected error while {what}:\n{detail}")
    store.dispatch(A.Failed(messages.unexpected_error(exc, what), detail))


def _plain_click_on(event, selector: str):
    """The link matching ``selector`` under a plain click, its default
    navigation prevented, or ``None``: a click with a modifier key or another
    button keeps the browser's "open in a new tab/window"."""
    target = event.target
    if dom.is_none(target) or not hasattr(target, "closest"):
        return None
    link = target.closest(selector)
    if dom.is_none(link):
        return None
    if event.button or event.ctrlKey or event.metaKey or event.shiftKey:
        return None
    event.preventDefault()
    return link
