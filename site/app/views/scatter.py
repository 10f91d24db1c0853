"""The data chart: points by responsibility, ellipses, true centres, caption.

What it shows follows ``state.timeline``: the live frame or final fit, a
history position of the step-through, or one start's final solution; over
the mixture density and with uncertain points faded when the display options
ask. ``#cluster-canvas`` carries (device pixels; ``data-dpr`` converts to CSS
px) ``data-view`` (scale, cx, cy, plot_cx, plot_cy: pixel = plot_c + (data -
c) * scale, y flipped), ``data-ellipses`` (per drawn component: centre ``cx,
cy``, 1σ radii ``rx, ry``, canvas ``rotation``, ``color``), ``data-centres``,
``data-frame``, ``data-source``, ``data-uncertainty``, ``data-density``,
``data-plane`` (``columns``, ``pair`` or ``pca``: what a fit of more than two
columns is drawn on, :mod:`simapp.charts.planeview`) and ``data-axes`` (the axis
titles, JSON).
"""

from __future__ import annotations

import json

from simapp.charts import (
    axes,
    axisnames,
    data_chart,
    density,
    drawsteps,
    explore,
    palette,
    planeview,
)
from simapp.charts.viewport import Viewport
from simapp.data import columns
from simapp.text import describe, failure, messages, results

from emcore import experiment

from .. import dom
from .density import DensityLayer

LEGEND_MARKS = (
    ("swatch-cross", "true centre"),
    ("swatch-solid", "1σ ellipse"),
    ("swatch-dashed", "2σ ellipse"),
)


class ScatterView:
    """``#cluster-canvas``, its legend and the caption above it."""

    def __init__(self, np, data, state, painter) -> None:
        self.np = np
        self.painter = painter  # big scatters are drawn a slice per frame
        self.data = data
        self.state = state  # callable: the current PageState
        self.canvas = dom.Canvas("cluster-canvas")
        self.label = dom.el("frame-label")
        self.legend = dom.el("cluster-legend")
        self.pixels = dom.Pixels(np)
        self.density = DensityLayer(np)
        self._view_cache = None
        self._plane_cache = None
        self.frame_state = None  # FrameState of the history position shown

    # ------------------------------------------------------------------ state
    def render(self, old, new) -> None:
        a, b = old.timeline, new.timeline
        moved = (a.mode, a.selected) != (b.mode, b.selected) or (
            b.mode == "timeline"
            # a paused run (paused=1) shows position 0 once it is recorded
            and (a.position != b.position or (b.positions > 0) != (a.positions > 0))
        )
        drawn = ("uncertainty", "density", "centres")
        view_changed = any(
            getattr(old.display, name) != getattr(new.display, name) for name in drawn
        ) or (old.columns.plot != new.columns.plot)
        if moved or view_changed:
            self.redraw()
        if failure.fit_failed(old, new):
            self.label.textContent = failure.STOPPED_CAPTION
            self.canvas.dataset.frame = "failed"

    def holds_canvas(self) -> bool:
        """True while a history position or a start is shown (the live run
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
    def plane(self, model):
        """``(projection, axis titles)`` of this run's data (projection None:
        two columns drawn as they are)."""
        state = self.state()
        own = state.source.own if state.own_active else None
        X = model.data["X"]
        key = (id(model.data), state.columns.plot, id(own))
        cache = self._plane_cache
        if cache is None or cache[0] != key or cache[2] is not model.data:
            names = own.columns if own is not None else ()
            titles = (own.column_titles or own.columns) if own is not None else ()
            if len(names) != X.shape[1]:
                names = titles = ()
            proj, _ = columns.projection(state.columns.plot, X, names, titles)
            named = planeview.axis_titles(proj, titles)
            self._plane_cache = (key, (proj, named), model.data)
        return self._plane_cache[1]

    def view_of(self, model):
        """The data-to-pixel map of this run on the current canvas size."""
        c = self.canvas
        # the data object itself, not only its id: a freed dict's id is reused
        proj, _ = self.plane(model)
        key = (id(model.data), c.width, c.height, c.dpr, id(proj))
        cache = self._view_cache
        if cache is None or cache[0] != key or cache[3] is not model.data:
            X = model.data["X"]
            if proj is not None:
                X = proj.points(X)
            extra = model.data.get("view_points")  # click-to-add frame
            if extra is None:
                extra = model.data["true_means"]  # None for your own data
            pts = X if extra is None else self.np.vstack([X, extra])
            view = Viewport.from_points(
                pts, c.width, c.height, dpr=c.dpr, margins=axes.TITLED_MARGINS
            )
            self._view_cache = (key, view, view.to_px(X), model.data)
        return self._view_cache[1], self._view_cache[2]

    def source(self, model):
        """What to draw: the live frame / result, a history position or a
        start's solution (mappings with ellipses, resp, mapping)."""
        state = self.state()
        ex = state.timeline
        data = model.data
        X, labels_true = data["X"], data.get("labels_true")
        n_true = data["settings"].get("k_true")
        tl = self.data.timeline
        source = model.result if model.result is not None else model.frame
        self.frame_state = None
        if ex.mode == "timeline" and tl is not None and tl.n_positions():
            pos = min(ex.position, tl.n_positions() - 1)
            self.frame_state, source = explore.timeline_drawable(
                tl, X, pos, labels_true, n_true
            )
        elif ex.mode == "start" and self.data.result is not None and tl is not None:
            source = explore.start_drawable(
                tl, X, self.data.result, ex.selected, labels_true, n_true
            )
        return source

    def source_name(self, model) -> str:
        ex = self.state().timeline
        if ex.mode == "timeline":
            return "timeline"
        if ex.mode == "start":
            return f"start:{ex.selected}"
        return "final" if model.result is not None else "live"

    def point_alpha(self, source, k: int):
        """Per-point opacity 1 − uncertainty (scaled) when the view asks."""
        if source is None or not self.state().display.uncertainty:
            return 1.0
        resp = source["resp"]
        if resp is None:
            return 1.0
        u = density.uncertainty(resp)
        return density.alpha_for_uncertainty(u, k, low=0.12)

    def draw(self, model) -> None:
        if model.data is None:
            return
        np = self.np
        c = self.canvas
        view, X_px = self.view_of(model)
        k = int(model.settings["k"])
        proj, named = self.plane(model)
        raw = self.source(model)
        source = planeview.project_drawable(raw, proj)
        n = X_px.shape[0]
        radius = (2.6 if n <= 1000 else 2.1 if n <= 2500 else 1.7) * c.dpr
        colour = {}
        if source is None:
            colours = None
            colour["rgb"] = np.full((n, 3), 140, dtype=np.uint8)  # data only: grey
        else:
            colours = palette.component_colors(k, source["mapping"])
            if source["resp"] is None:  # the initial parameters: no E-step yet
                colour["rgb"] = np.full((n, 3), 140, dtype=np.uint8)
            else:
                colour = {"resp": source["resp"], "colours": colours}
        alpha = self.point_alpha(source, k)
        buf = self.pixels.for_size(c.width, c.height)
        steps = drawsteps.scatter_steps(
            X_px, c.width, c.height, radius, alpha=alpha, out=buf, **colour
        )
        # the rest of the picture is drawn with the points: the canvas shows
        # one frame whole, never the ellipses of one over the points of another
        picture = (model, view, proj, named, raw, source, colours, alpha)
        self.painter.submit(
            "scatter",
            steps,
            lambda _buf: self.finish(*picture),
            at_once=n <= drawsteps.AT_ONCE_POINTS,
        )

    def finish(self, model, view, proj, named, raw, source, colours, alpha) -> None:
        """Put the stamped points on the canvas, then the axes and ellipses."""
        np = self.np
        c = self.canvas
        k = int(model.settings["k"])
        c.dataset.uncertainty = "off" if isinstance(alpha, float) else "on"
        self.put_scatter(model, self.pixels.publish(), source)
        titles = named or axisnames.data_axis_titles(self.state().source)
        axes.draw_axes(c.ctx, view, titles=titles)
        c.dataset.axisTitles = json.dumps(titles)
        drawn = []
        if source is not None:
            css = [palette.rgb_to_css(col) for col in colours]
            data_chart.draw_ellipses(c.ctx, view, source["ellipses"], css)
            drawn = ellipse_marks(np, view, source["ellipses"], css)
        true_means = model.data["true_means"]  # None for your own data
        if not self.state().display.centres:
            true_means = None  # the view hides the truth
        if true_means is not None:
            data_chart.draw_true_centres(c.ctx, view, true_means)
        ds = c.dataset
        ds.plane = "columns" if proj is None else proj.kind
        ds.axes = json.dumps(list(named) if named else [])
        ds.dpr = repr(c.dpr)
        ds.view = view_json(view)
        ds.ellipses = json.dumps(drawn)
        ds.centres = json.dumps(
            [] if true_means is None else view.to_px(true_means).tolist()
        )
        ds.frame = (
            "final" if model.result is not None else str(model.counts.get("em", 0))
        )
        ds.source = self.source_name(model)
        self.draw_legend(k, true_means is not None)
        c.el.setAttribute("aria-label", self.words(model, source, colours, raw))

    def words(self, model, source, colours, raw=None) -> str:
        """The canvas's label: what this frame shows (simapp.text.describe).

        ``raw`` is what ``source`` was projected from (the same object for
        two columns): it says whether the frame is the final fit."""
        raw = source if raw is None else raw
        n = int(model.data["X"].shape[0])
        params = self.density.params_of(source)
        if params is None or colours is None:
            return f"Scatter chart of {n} data points; no mixture fitted yet."
        names = describe.colour_names_of(colours)
        frame, result = self.frame_state, model.result
        if frame is not None:
            where = {"iteration": int(frame.iteration), "start": int(frame.start) + 1}
            what, loglik = "A", None
        elif result is not None and raw is result:
            where = {"iteration": int(result["iterations"])}
            what, loglik = "The final", float(result["lower_bound"])
        elif model.frame is not None and raw is model.frame:
            f = model.frame
            where = {"iteration": int(f["iteration"]), "start": int(f["start"]) + 1}
            what, loglik = "A", f.get("loglik_mean")
        else:
            where, what, loglik = {}, "A", None
        text = describe.describe_fit(
            params.means,
            params.covariances,
            params.weights,
            colour_names=names,
            log_likelihood=loglik,
            what=what,
            **where,
        )
        return f"Scatter chart of {n} data points. {text}"

    def put_scatter(self, model, image, source) -> None:
        """Put the scatter on the canvas, over the mixture density if asked."""
        c = self.canvas
        params = (
            self.density.params_of(source) if self.state().display.density else None
        )
        if params is None:
            c.ctx.putImageData(image, 0, 0)
            c.dataset.density = "off"
            return
        view, _ = self.view_of(model)
        self.density.put(c, view, params, image)

    def draw_legend(self, k, truth: bool = True) -> None:
        """Swatches of the true clusters' colours (fitted components follow):
        your data's class names when it has a class column, the true centre's
        mark only when one is drawn."""
        legend = self.legend
        names = ()
        own = self.state().source.own
        if own is not None and own.labels is not None:
            names = tuple(str(name) for name in own.label_names)
        key = json.dumps([k, truth, names])
        if str(legend.getAttribute("data-key") or "") == key:
            return
        legend.setAttribute("data-key", key)
        legend.setAttribute("data-k", "" if k is None else str(k))
        legend.replaceChildren()
        if k is None:
            return
        web = dom.web
        items = []
        for j in range(k):
            swatch = web.span(classes="swatch")
            swatch.style["background-color"] = palette.HEX[j]
            text = names[j] if j < len(names) else f"cluster {j + 1}"
            items.append(web.li(swatch, web.span(textContent=text)))
        for cls, text in LEGEND_MARKS:
            if cls == "swatch-cross" and not truth:
                continue
            swatch = web.span(classes=["swatch", cls])
            items.append(web.li(swatch, web.span(textContent=text)))
        legend.append(items)

    def draw_empty(self) -> None:
        self.painter.queue.cancel("scatter")  # a pending picture is stale
        c = self.canvas
        c.fit()
        text = failure.empty_chart_text(self.state().source)
        axes.draw_empty(c.ctx, c.width, c.height, c.dpr, text)
        self.draw_legend(None)
        # nothing on the canvas: no caption, label or geometry of a past run
        error = self.state().source.error
        self.label.textContent = "No data" if error else "No run yet"
        c.el.setAttribute("aria-label", f"Data chart, empty. {text}.")
        ds = c.dataset
        ds.ellipses = ds.centres = "[]"
        ds.frame = ds.source = ""

    # ------------------------------------------------------------------ caption
    def caption(self, model) -> None:
        """The sentence above the chart: what the frame shows."""
        ex = self.state().timeline
        if ex.mode != "live":
            st = self.frame_state
            if st is None or ex.mode == "start":
                text = messages.frame_head(ex.mode, ex.selected)
            else:
                text = messages.frame_head(
                    ex.mode,
                    None,
                    phase=st.phase,
                    start=st.start,
                    iteration=st.iteration,
                )
            dom.set_text(self.label, text)
            return
        s = model.settings
        if model.result is not None:
            r = model.result
            state = "converged" if r["converged"] else "capped"
            text = f"Final fit: {r['iterations']} iterations, {state}"
            if s["n_init"] > 1:
                text += f" (start {r['best_start'] + 1}, best of {s['n_init']})"
        elif model.sweep is not None and model.phase == "sweep":
            sw = model.sweep
            text = results.sweep_label(
                sw["k"], sw["start"], sw["iteration"], experiment.SWEEP_KS
            )
        elif model.frame is not None:
            f = model.frame
            text = results.frame_label(
                f["start"], f["n_starts"], f["iteration"], converged=f["converged"]
            )
        elif s.get("own"):
            n = len(model.data["X"]) if model.data is not None else 0
            clicking = self.state().source.kind == "click"
            fitted = model.counts.get("em", 0) > 0
            text = messages.own_data_label(
                s["own"], n, clicking=clicking, fitted=fitted
            )
        else:
            text = results.data_label(s["n"], s.get("k_true", s["k"]))
        dom.set_text(self.label, text)


def ellipse_marks(np, view, ellipses, css) -> list[dict]:
    """``data-ellipses``: each drawn ellipse's centre, 1σ radii, canvas
    rotation and colour, in device pixels."""
    drawn = []
    for e, colour in zip(ellipses, css, strict=False):
        centre = view.to_px(np.asarray(e.center, dtype=float))
        drawn.append(
            {
                "cx": float(centre[0]),
                "cy": float(centre[1]),
                "rx": float(view.length_to_px(float(e.semi_axes[0]))),
                "ry": float(view.length_to_px(float(e.semi_axes[1]))),
                "rotation": -float(e.angle),
                "color": colour,
            }
        )
    return drawn


def view_json(view) -> str:
    """``data-view``: pixel = plot_c + (data - c) * scale (y flipped)."""
    return json.dumps(
        {
            "scale": float(view.scale),
            "cx": float(view.cx),
            "cy": float(view.cy),
            "plot_cx": float(view.plot_cx),
            "plot_cy": float(view.plot_cy),
        }
    )
