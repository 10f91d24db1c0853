"""The assembled page: store, views, runner, bindings and exports."""

from __future__ import annotations

from dataclasses import replace

from simapp.charts import marks
from simapp.segmentation import state as G
from simapp.state import actions as A
from simapp.state import pagestate, url
from simapp.text import messages

from . import dom, reach
from .bindings import Bindings, report
from .display import DisplayBindings, system_dark
from .embed import Embed
from .exports import Exports
from .runner import RunData, Runner
from .segmentation import SegmentBindings, Segmenter
from .store import Store
from .views import Views


class Page:
    """Wires the parts together; holds nothing but references to them."""

    def __init__(self, np) -> None:
        marks.set_js_array_converter(dom.to_js)
        # what opening a link costs beyond loading: reading it, building the
        # page and its first render (the User Timing measure
        # "emgmm:page-build", for the browser tests)
        dom.window.performance.mark("emgmm:page-build")
        _, _, search = dom.page_location()
        # a link without a seed gives everyone the same picture; New seed
        # still draws a fresh one
        state, notes = url.state_from_query(search)
        # theme=auto follows the system; the bindings follow its changes
        state = state.with_changes(
            notes=tuple(notes),
            notes_source="The link's settings",
            display=replace(state.display, system_dark=system_dark()),
        )
        self.data = RunData()
        self.store = Store(state, render=self.render, on_error=self.on_error)
        self.views = Views(np, self.data, lambda: self.store.state)
        self.runner = Runner(self.store, self.views, self.data)
        self.exports = Exports(self.store, self.data, self.views)
        self.bindings = Bindings(self.store, self.views, self.data)
        self.segmenter = Segmenter(self.store, np)
        self.segment_bindings = SegmentBindings(self.bindings, np)
        self.display_bindings = DisplayBindings(self.bindings)
        self.embed = Embed(self.store, self.data)  # a parent window's API
        self.store.handle({G.StartSegment: self.segmenter.start})
        self.store.handle(
            {
                A.StartRun: self.runner.start,
                A.ShowData: self.runner.show_data,
                A.TimelinePlay: self.runner.play_timeline,
                A.ReplaceUrl: self.replace_url,
                A.Redraw: lambda _effect: self.views.draw_all(),
                A.Export: self.exports.export,
                A.CopyLink: self.exports.copy_link,
                A.ScrollTo: self.scroll_to,
            }
        )

    def setup(self) -> None:
        """Configure the controls, show the link's state, attach handlers."""
        self.views.configure()
        blank = pagestate.PageState(message=pagestate.Message("", "info"))
        self.views.render(blank, self.store.state)
        dom.window.performance.measure("emgmm:page-build", "emgmm:page-build")
        self.bindings.attach()
        self.segment_bindings.attach()
        self.display_bindings.attach()
        self.embed.attach()
        self.views.draw_all()
        reach.keep_simulate_in_reach()

    def ready(self, about: str) -> None:
        """Python is ready: ``about`` (versions, load times) goes to the about
        line and the console, the status line says what to do."""
        dom.log_info(about)
        self.views.status.show_about(about)
        kind = self.store.state.source.kind
        self.store.dispatch(A.Ready(messages.ready_status(kind)))

    def render(self, old, new) -> None:
        self.views.render(old, new)
        self.embed.render(old, new)

    @staticmethod
    def scroll_to(effect) -> None:
        options = dom.to_js({"block": effect.block})
        dom.el(effect.element_id).scrollIntoView(options)

    def replace_url(self, _effect) -> None:
        dom.replace_url(url.state_to_query(self.store.state))

    def on_error(self, exc: BaseException, action) -> None:
        if isinstance(exc, ValueError):
            self.store.dispatch(A.Warned(messages.not_applied(exc)))
        else:
            report(self.store, exc, f"handling {type(action).__name__}")


__all__ = ["Page"]
