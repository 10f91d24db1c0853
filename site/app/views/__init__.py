"""One view per region of the page; :class:`Views` renders them all.

Each view draws from the page state and the run data only (never from the
DOM, never from another view: what several of them show alike is computed
by :mod:`app.views.shown`, so the order they render in does not matter) and
writes the ``data-*`` attributes the tests read.

Modules
-------
``controls``, ``lessons``, ``data_source``, ``columns``, ``status``
    The settings and display options, the lesson, the data source, the
    fitted columns and the status line.
``scatter``
    The data chart: points, ellipses, true centres, its legend and the
    mixture density behind the points.
``loglik``, ``ic``, ``starts``, ``kmeans``, ``timeline``, ``results``
    The log-likelihood chart and the bound panel beside it (log L, the lower
    bound and their gap per half-step), the information criteria and
    comparison, the starts panel, the k-means panel, the timeline controls
    and the results.
``share``, ``segment``
    The share panel and the colour-segmentation section.
``shown``
    What the charts show, as pure functions of the page state and the run
    data: the timeline position, the data's plane, what the data chart
    draws, its caption and its label. It imports no browser module (the
    tests run it in CPython).

The views may import any of :mod:`simapp`, :mod:`app.dom` and
:mod:`app.painter`.
"""

from __future__ import annotations

from ..painter import Painter
from .columns import ColumnsView
from .controls import ControlsView
from .data_source import DataSourceView
from .ic import IcView
from .kmeans import KmeansView
from .lessons import LessonsView
from .loglik import BoundView, LoglikView
from .results import ResultsView
from .scatter import ScatterView
from .segment import SegmentView
from .share import ShareView
from .starts import StartsView
from .status import StatusView
from .timeline import TimelineView

__all__ = ["Views"]


class Views:
    """All views; the store calls :meth:`render`, the runner the ``draw_*``."""

    def __init__(self, np, data, state) -> None:
        self.data = data
        self.state = state
        self.painter = Painter()  # big scatters: a slice per frame
        self.status = StatusView()
        self.controls = ControlsView()
        self.lessons = LessonsView()
        self.source = DataSourceView()
        self.columns = ColumnsView()
        self.results = ResultsView(data, state)
        self.scatter = ScatterView(np, data, state, self.painter)
        self.loglik = LoglikView(data, state)
        self.bound = BoundView(data, state)
        self.ic = IcView(data, state)
        self.starts = StartsView(data, state)
        self.kmeans = KmeansView(np, data, state, self.painter)
        self.timeline = TimelineView(data)
        self.share = ShareView(data)
        self.segment = SegmentView()
        # no view reads another (what they share comes from app.views.shown),
        # so this order is only the order of their DOM writes
        self._state_views = (
            self.status,
            self.controls,
            self.lessons,
            self.source,
            self.columns,
            self.results,
            self.scatter,
            self.loglik,
            self.bound,
            self.ic,
            self.starts,
            self.timeline,
            self.share,
            self.segment,
        )

    def configure(self) -> None:
        self.controls.configure()
        self.lessons.configure()
        self.source.configure()

    def render(self, old, new) -> None:
        """Show ``new`` (the views compare it with ``old`` to do only what changed)."""
        for view in self._state_views:
            view.render(old, new)
        if new.timeline.has_result and not old.timeline.has_result:
            self.finished(new)

    def finished(self, state) -> None:
        """The run finished: fill the panels that need its whole result."""
        self.results.fill()
        self.ic.fill(self.data.result, own=state.own_active)
        self.kmeans.fill()
        self.draw_panels()
        self.scatter.caption(self.data.model)

    # ------------------------------------------------------------------ runs
    def painting(self) -> bool:
        """True while a big picture is being stamped (or was, this frame)."""
        return self.painter.busy()

    def run_reset(self) -> None:
        """A run (or data without a fit) replaces the previous one."""
        self.results.clear()
        self.loglik.clear()
        self.bound.reset()
        self.ic.clear()
        self.starts.reset()
        self.kmeans.reset()

    def draw_model(self, model) -> None:
        """Redraw what the run changed (resized canvases in full)."""
        parts = model.take_dirty()
        scatter, loglik, ic = self.scatter, self.loglik, self.ic
        resized = [c.fit() for c in (scatter.canvas, loglik.canvas, ic.canvas)]
        # a paused timeline position or a picked start stays on the canvas
        if resized[0] or ("cluster" in parts and not scatter.holds_canvas()):
            scatter.draw(model)
        if resized[1] or "loglik" in parts:
            loglik.draw(model)
        if resized[2] or "ic" in parts:
            ic.draw(model)
        if "progress" in parts and not scatter.holds_canvas():
            scatter.caption(model)

    def draw_progress(self, model) -> None:
        """While skipping the animation: only the caption and the AIC/BIC chart."""
        parts = model.take_dirty()
        model.dirty.update(parts & {"cluster", "loglik"})  # drawn at the end
        if "ic" in parts:
            self.ic.canvas.fit()
            self.ic.draw(model)
        if "progress" in parts and not self.scatter.holds_canvas():
            self.scatter.caption(model)

    def draw_panels(self) -> None:
        self.bound.draw()
        self.starts.draw()
        self.kmeans.draw()

    def draw_all(self) -> None:
        """Redraw every chart for the current model (or the empty states)."""
        model = self.data.model
        self.draw_panels()
        if model is None:
            self.scatter.draw_empty()
            self.loglik.draw_empty()
            self.ic.draw_empty()
            return
        model.dirty.update(("cluster", "loglik", "ic", "progress"))
        self.draw_model(model)
