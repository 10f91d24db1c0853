"""The data chart: points by responsibility, ellipses, true centres, caption.

What it shows follows ``state.timeline`` (:func:`app.views.shown.data_chart_shows`):
the live frame or final fit, a timeline position, or one start's final
solution; over the mixture density and with uncertain points faded when the
display options ask. ``#cluster-canvas`` carries (device pixels; ``data-dpr``
converts to CSS px) ``data-view`` (scale, cx, cy, plot_cx, plot_cy: pixel =
plot_c + (data - c) * scale, y flipped), ``data-ellipses`` (per drawn
component: centre ``cx, cy``, 1σ radii ``rx, ry``, canvas ``rotation``,
``color``), ``data-centres``, ``data-frame``, ``data-source``,
``data-uncertainty``, ``data-plane`` (``columns``, ``pair`` or ``pca``: what
a fit of more than two columns is drawn on), ``data-axes`` (the plane's own
axis titles, JSON), ``data-axis-titles`` (the titles drawn), ``data-density``
(``on`` or ``off``), ``data-points`` (how many points are drawn: 0 on an
empty chart), ``data-anomalies`` (how many points are ringed as anomalies:
0 when off or not on the final fit), ``data-anomaly-contour`` (segments of
the density contour drawn at their threshold; on one column, 1 for the
threshold's line), ``data-anomaly-marks`` (one column only: the rug's
rings and the threshold, :func:`simapp.charts.histogram.anomaly_marks`)
and, once shaded,
``data-density-computed`` (how many density images were computed: the
image is recomputed only when the drawn parameters or the canvas size
change, not on every frame while paused).

The legend (:class:`ClusterLegend`, ``#cluster-legend`` with ``data-k`` and
``data-key``) has one swatch per colour drawn: fitted components take their
matched true cluster's colour, so the swatches name the clusters the fit
found (your data's class names when it has a class column; "extra
component" for one matched to no cluster), then the marks. Grey points
(the data alone) list only the marks.
"""

from __future__ import annotations

import json

from simapp.charts import axes, data_chart, density, drawsteps, histogram, palette
from simapp.charts.look import display_look
from simapp.charts.viewport import Viewport
from simapp.text import data_chart as words
from simapp.text import failure

from .. import dom
from . import shown

GREY = 140  # points with no responsibilities to colour them
DENSITY_ALPHA = 0.6  # its densest cell: a wash clearly seen behind the points


class ScatterView:
    """``#cluster-canvas``, its legend and the caption above it."""

    def __init__(self, np, data, state, painter) -> None:
        self.np = np
        self.painter = painter  # big scatters are drawn a slice per frame
        self.data = data
        self.state = state  # callable: the current PageState
        self.canvas = dom.Canvas("cluster-canvas")
        self.label = dom.el("frame-label")
        self._tiny: list[int] = []  # components drawn at the least size
        self.legend = ClusterLegend()
        self.pixels = dom.Pixels(np)
        self.density = DensityLayer(np)
        self._view_cache = None
        self._picture = None  # what finish drew last, to repaint in a look
        self._line = None  # the run whose one column draw_line drew last

    # ------------------------------------------------------------------ state
    def render(self, old, new) -> None:
        a, b = old.timeline, new.timeline
        moved = (a.mode, a.selected) != (b.mode, b.selected) or (
            b.mode == "timeline"
            # a paused run (paused=1) shows position 0 once it is recorded
            and (a.position != b.position or (b.positions > 0) != (a.positions > 0))
        )
        drawn = ("uncertainty", "density", "centres", "anomaly", "scale", "dark")
        view_changed = any(
            getattr(old.display, name) != getattr(new.display, name) for name in drawn
        ) or (old.columns.plot != new.columns.plot)
        if moved or view_changed:
            self.redraw()
        if shown.fit_failed(old, new):
            self.label.textContent = failure.STOPPED_CAPTION
            self.canvas.dataset.frame = "failed"

    def holds_canvas(self) -> bool:
        """True while a timeline position or a start is shown (the live run
        then leaves the canvas alone)."""
        return self.state().timeline.mode != "live"

    def redraw(self) -> None:
        """Draw now; ``data-redraw-ms`` says how long it took."""
        model = self.data.model
        if model is None or model.data is None:
            return
        t0 = dom.now()
        self.canvas.fit()
        self.draw(model)
        self.caption(model)
        self.canvas.dataset.redrawMs = f"{(dom.now() - t0) * 1000:.1f}"

    # ------------------------------------------------------------------ drawing
    def view_of(self, model):
        """The data-to-pixel map of this run on the current canvas size, and
        the points in pixels."""
        c = self.canvas
        state = self.state()
        projection = shown.plane(state, model.data).projection
        # presenter mode draws as on a screen that many times denser: larger
        # margins, text, lines and marks on the same canvas
        dpr = c.dpr * state.display.scale
        key = (c.width, c.height, dpr)
        cache = self._view_cache
        # the objects themselves, not their ids: a freed object's id is reused
        if (
            cache is None
            or cache[0] != key
            or cache[1] is not model.data
            or cache[2] is not projection
        ):
            X = model.data.X
            if projection is not None:
                X = projection.points(X)
            extra = model.view_points  # click-to-add frame
            if extra is None:
                extra = model.data.true_means  # None for your own data
            pts = X if extra is None else self.np.vstack([X, extra])
            view = Viewport.from_points(
                pts, c.width, c.height, dpr=dpr, margins=axes.TITLED_MARGINS
            )
            cache = (key, model.data, projection, view, view.to_px(X))
            self._view_cache = cache
        return cache[3], cache[4]

    def draw(self, model, look=None) -> None:
        if model.data is None:
            return
        if model.data.X.shape[1] == 1:
            self.draw_line(model)
            return
        state = self.state()
        c = self.canvas
        view, X_px = self.view_of(model)
        k = int(model.settings["k"])
        what = shown.data_chart_shows(state, self.data)
        drawable = what.drawable
        n = X_px.shape[0]
        radius = (2.6 if n <= 1000 else 2.1 if n <= 2500 else 1.7) * view.dpr
        colours = None
        if drawable is not None:
            colours = palette.component_colors(k, drawable.mapping)
        alpha = 1.0
        # no responsibilities (the data alone, the initial parameters): grey
        if drawable is None or drawable.resp is None:
            colour = {"rgb": self.np.full((n, 3), GREY, dtype=self.np.uint8)}
        else:
            look = look or display_look(state.display)
            colour = {"resp": drawable.resp, "colours": look.paint(colours)}
            if state.display.uncertainty:  # doubtful points fade
                u = density.uncertainty(drawable.resp)
                alpha = density.alpha_for_uncertainty(u, k, low=0.12)
        buf = self.pixels.for_size(c.width, c.height)
        steps = drawsteps.scatter_steps(
            X_px, c.width, c.height, radius, alpha=alpha, out=buf, **colour
        )
        # the rest of the picture is drawn with the points: the canvas shows
        # one frame whole, never the ellipses of one over the points of another
        picture = (model, view, shown.plane(state, model.data), what, colours, alpha)
        self.painter.submit(
            "scatter",
            steps,
            lambda _buf: self.finish(*picture),
            at_once=n <= drawsteps.AT_ONCE_POINTS,
        )

    def finish(self, model, view, plane, what, colours, alpha, look=None) -> None:
        """Put the stamped points on the canvas, then the axes and ellipses, in
        the page theme's colours or in ``look`` (an export's light look)."""
        self._picture = (model, view, plane, what, colours, alpha)
        self._line = None
        display = self.state().display
        look = look or display_look(display)
        c = self.canvas
        ds = c.dataset
        ds.uncertainty = "off" if isinstance(alpha, float) else "on"
        drawable = what.drawable
        params = drawable.params if drawable is not None else None
        image = self.pixels.publish()
        shade = params if display.density else None
        self.density.show(c, view, shade, image, look.density_rgb)
        # the tick labels' size follows the canvas's CSS width, not the zoom
        font_css = axes.label_font_css(c.width, c.dpr)
        axes.draw_axes(c.ctx, view, titles=plane.titles, font_css=font_css, look=look)
        ds.axisTitles = json.dumps(plane.titles)
        drawn, tiny = [], []
        if drawable is not None:
            css = [palette.rgb_to_css(col) for col in look.paint(colours)]
            ds.ellipseAlphas = ""
            if params is not None and self.state().settings.model == "bayes":
                # emptied components' ellipses die away with their weights
                alphas = palette.weight_alphas(params.weights)
                pairs = zip(look.paint(colours), alphas, strict=False)
                css = [palette.rgb_to_css(col, a) for col, a in pairs]
                ds.ellipseAlphas = json.dumps([round(float(a), 4) for a in alphas])
            ellipses = drawable.ellipses
            # a start's components are single points: drawn at a least size,
            # their centres marked (data-ellipses keeps their true size)
            tiny = data_chart.tiny_components(view, ellipses)
            least = data_chart.MIN_SEMI_AXIS_CSS
            if shown.start_axes(self.state(), self.data) is not None:
                least = data_chart.START_SEMI_AXIS_CSS  # where its handles are
            data_chart.draw_ellipses(
                c.ctx, view, ellipses, css, min_semi_axis_css=least, look=look
            )
            data_chart.draw_component_centres(
                c.ctx,
                view,
                [ellipses[j].center for j in tiny],
                [css[j] for j in tiny],
                look=look,
            )
            drawn = data_chart.ellipse_marks(view, ellipses, css)
        ds.tiny = json.dumps(tiny)
        if tiny != self._tiny:
            self._tiny = tiny
            self.caption(model)
        # your own data have no true centres; the display options may hide them
        true_means = model.data.true_means if display.centres else None
        if true_means is not None:
            data_chart.draw_true_centres(c.ctx, view, true_means, look=look)
        ds.plane = "columns" if plane.projection is None else plane.projection.kind
        ds.axes = json.dumps(list(plane.named) if plane.named else [])
        ds.dpr = repr(c.dpr)
        ds.view = json.dumps(data_chart.viewport_marks(view))
        ds.ellipses = json.dumps(drawn)
        ds.centres = json.dumps(
            [] if true_means is None else view.to_px(true_means).tolist()
        )
        ds.frame = (
            "final" if model.result is not None else str(model.counts.get("em", 0))
        )
        # the anomalies are the final fit's: rung only on it
        found = shown.anomalies(self.state(), self.data) if what.final else None
        ds.anomalies = "0" if found is None else str(found.n_flagged)
        ds.anomalyContour = str(self.draw_anomalies(model, view, plane, found, look))
        ds.source = what.name
        ds.points = str(len(model.data.X))
        self.legend.show(
            self.legend_entries(model, colours, look),
            true_means is not None,
            rings=found is not None,
        )
        label = shown.chart_label(model, what, colours)
        c.el.setAttribute("aria-label", label)

    def repaint(self, look=None) -> None:
        """Draw the last picture again, in ``look`` (None: the page's)."""
        if self._line is not None:
            self.draw_line(self._line, look)
        elif self._picture is not None and self.painter.queue.idle:
            self.finish(*self._picture, look=look)

    def draw_line(self, model, look=None) -> None:
        """One fitted column: a histogram (:func:`draw_column`)."""
        self.painter.queue.cancel("scatter")  # no scatter of another run
        self._picture, self._line = None, model
        state = self.state()
        what = shown.data_chart_shows(state, self.data)
        look = look or display_look(state.display)
        colours, found = draw_column(self.canvas, state, model, what, look, self.data)
        marks = words.LINE_MARKS + (words.LINE_ANOMALY_MARKS if found else ())
        entries = self.legend_entries(model, colours, look)
        self.legend.show(entries, False, rings=found is not None, marks=marks)
        label = shown.chart_label(model, what, colours)
        self.canvas.el.setAttribute("aria-label", label)

    def legend_entries(self, model, colours, look) -> list[tuple[str, str]]:
        """``(colour, name)`` of each drawn component (as ``look`` draws it)."""
        if colours is None:
            return []
        names = self.names()
        data = model.data
        if data.true_means is not None:
            n_true = len(data.true_means)
        elif data.labels_true is not None:
            n_true = max(len(names), int(self.np.max(data.labels_true)) + 1)
        else:
            n_true = 0
        indices = sorted(int(i) for i in palette.nearest(colours))
        texts = words.legend_names(indices, n_true, names)
        return [(look.components[i], t) for i, t in zip(indices, texts, strict=True)]

    def draw_anomalies(self, model, view, plane, found, look) -> int:
        """Ring the ``found`` anomalies and, on two columns, draw the density
        contour they fall below, in ``look``; returns its number of segments."""
        self.canvas.el.removeAttribute("data-anomaly-marks")  # the histogram's
        if found is None:
            return 0
        c, result = self.canvas, model.result
        segments = ()
        # on a projection the drawn density is a marginal: the level is not its
        if plane.projection is None and result.X.shape[1] == 2:
            step = max(2, round(4 * c.dpr))
            grid = density.density_grid(
                result.weights,
                result.means,
                result.covariances,
                density.canvas_bounds(view),
                c.width,
                c.height,
                step_px=step,
            )
            segments = density.contour_segments(grid, found.level, step)
            data_chart.draw_contour(c.ctx, segments, c.dpr, look)
        points = self.view_of(model)[1][found.flags]
        data_chart.draw_rings(c.ctx, points, 5.0 * c.dpr, c.dpr, look)
        return len(segments)

    def names(self) -> tuple[str, ...]:
        """Your data's class names (none for simulated data or no class column)."""
        own = self.state().source.own
        if own is None or own.labels is None:
            return ()
        return tuple(str(name) for name in own.label_names)

    def draw_empty(self) -> None:
        self.painter.queue.cancel("scatter")  # a pending picture is stale
        c = self.canvas
        c.fit()
        source = self.state().source
        text = failure.empty_chart_text(source.kind, source.error)
        look = display_look(self.state().display)
        axes.draw_empty(c.ctx, c.width, c.height, c.dpr, text, look)
        self.legend.show(None)
        # nothing on the canvas: no caption, label or geometry of a past run
        self.label.textContent = words.NO_DATA if source.error else words.NO_RUN
        c.el.setAttribute("aria-label", words.empty_label(text))
        ds = c.dataset
        ds.ellipses = ds.centres = ds.tiny = "[]"
        self._tiny = []
        ds.frame = ds.source = ""
        ds.points = "0"

    def caption(self, model) -> None:
        """The sentence above the chart: what the frame shows."""
        state = self.state()
        frame = shown.timeline_frame(state.timeline, self.data.timeline)
        note = words.tiny_note(len(self._tiny), int(model.settings["k"]))
        dom.set_text(self.label, shown.caption(state, model, frame) + note)


def draw_column(c, state, model, what, look, run):
    """Draw a fit of one column (``model``, of ``run``) on canvas ``c`` in ``look``
    (None: the page theme's): its histogram, the bars split by the points'
    hard assignments, under each component's weighted density and the
    mixture's, and on the final fit its anomalies on a rug under their
    density threshold. ``data-plane`` is ``line``; ``data-histogram``,
    ``data-curves`` and ``data-anomaly-marks`` say what was drawn
    (:mod:`simapp.charts.histogram`). Returns the components' colours (None
    before there are parameters) and the anomalies (None: none)."""
    look = look or display_look(state.display)
    # the anomalies are the final fit's: marked only on it
    found = shown.anomalies(state, run) if what.final else None
    drawable = what.drawable
    params = None if drawable is None else drawable.params
    colours = css = None
    if params is not None:
        colours = palette.component_colors(len(params.weights), drawable.mapping)
        css = [palette.rgb_to_css(col) for col in look.paint(colours)]
    resp = None if drawable is None else drawable.resp
    hist, curves = histogram.line_picture(model.data.X, params, resp)
    titles = shown.plane(state, model.data).titles
    dpr = c.dpr * state.display.scale  # presenter mode: larger
    frame = histogram.draw_histogram(
        c.ctx, c.width, c.height, dpr, hist, curves, css, titles, look
    )
    marks = None
    if found is not None:
        flagged = model.data.X[found.flags, 0]
        histogram.draw_anomalies(c.ctx, frame, flagged, found.level, dpr, look)
        marks = histogram.anomaly_marks(frame, flagged, found.level, dpr)
    ds = c.dataset
    ds.plane, ds.density, ds.uncertainty = "line", "off", "off"
    ds.axes = ds.axisTitles = json.dumps(list(titles))
    ds.histogram = json.dumps(histogram.histogram_marks(hist))
    ds.curves = json.dumps(histogram.curve_marks(curves))
    ds.ellipses = ds.centres = ds.tiny = "[]"
    ds.anomalies = "0" if found is None else str(found.n_flagged)
    ds.anomalyContour = "0" if found is None else "1"  # the threshold's line
    ds.anomalyMarks = json.dumps(marks)
    ds.frame = "final" if model.result is not None else str(model.counts.get("em", 0))
    ds.source = what.name
    ds.points = str(len(model.data.X))
    ds.dpr = repr(c.dpr)
    return colours, found


class ClusterLegend:
    """``#cluster-legend``, rebuilt only when what it lists changes."""

    def __init__(self) -> None:
        self.el = dom.el("cluster-legend")

    def show(
        self,
        entries: list | None,
        truth: bool = True,
        *,
        rings: bool = False,
        marks=words.LEGEND_MARKS,
    ) -> None:
        """List the ``(colour, name)`` entries (None: nothing) and the marks
        drawn (of ``marks``: true centres with ``truth``, anomaly rings with
        ``rings``)."""
        legend = self.el
        # the scatter's marks are the default: its key names only the others
        other = [] if marks is words.LEGEND_MARKS else [marks]
        key = json.dumps([entries, truth, rings, *other])
        if str(legend.getAttribute("data-key") or "") == key:
            return
        legend.setAttribute("data-key", key)
        legend.setAttribute("data-k", "" if entries is None else str(len(entries)))
        legend.replaceChildren()
        if entries is None:
            return
        web = dom.web
        items = []
        for colour, text in entries:
            swatch = web.span(classes="swatch")
            swatch.style["background-color"] = colour
            items.append(web.li(swatch, web.span(textContent=text)))
        for cls, text in marks:
            if (cls == "swatch-cross" and not truth) or (
                cls == "swatch-ring" and not rings
            ):
                continue
            swatch = web.span(classes=["swatch", cls])
            items.append(web.li(swatch, web.span(textContent=text)))
        legend.append(items)


class DensityLayer:
    """The shaded density image, cached per parameters and canvas size."""

    def __init__(self, np) -> None:
        self.np = np
        self.pixels = dom.Pixels(np)
        self.key = None
        self.computed = 0
        self._scratch = None

    def show(self, c, view, params, image, rgb) -> None:
        """Put the points ``image`` on canvas ``c``, over the density of
        ``params`` (None: no density, the points alone) in colour ``rgb``."""
        if params is None:
            c.ctx.putImageData(image, 0, 0)
            c.dataset.density = "off"
            return
        key = (density.params_key(params), c.width, c.height, rgb)
        if self.key != key:
            grid = density.density_grid(
                params.weights,
                params.means,
                params.covariances,
                density.canvas_bounds(view),
                c.width,
                c.height,
                step_px=max(2, round(4 * c.dpr)),
            )
            buf = self.pixels.for_size(c.width, c.height)
            density.density_image(
                grid, c.width, c.height, rgb, max_alpha=DENSITY_ALPHA, out=buf
            )
            self.pixels.publish()
            self.key = key
            self.computed += 1
        c.ctx.putImageData(self.pixels.image, 0, 0)
        scratch = self._scratch
        if scratch is None:
            scratch = self._scratch = dom.offscreen_canvas()
        if int(scratch.width) != c.width or int(scratch.height) != c.height:
            scratch.width, scratch.height = c.width, c.height
        scratch.getContext("2d").putImageData(image, 0, 0)
        c.ctx.drawImage(scratch, 0, 0)
        c.dataset.density = "on"
        c.dataset.densityComputed = str(self.computed)
