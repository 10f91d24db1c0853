"""The k-means panel: the same data clustered by k-means, with both ARIs.

Drawn on the data chart's plane (:func:`app.views.shown.plane`).
``#kmeans-canvas`` carries ``data-centres`` and ``data-colors``; ``#ari-gmm``
and ``#ari-kmeans`` carry ``data-value``.
"""

from __future__ import annotations

import json

from simapp.charts import axes, data_chart, drawsteps, palette
from simapp.charts.look import display_look
from simapp.charts.viewport import Viewport
from simapp.text import kmeans as words

from .. import dom
from . import shown

ARI_IDS = ("ari-gmm", "ari-kmeans")


class KmeansView:
    """``#kmeans-canvas``, the two ARIs and the sentence comparing them."""

    def __init__(self, np, data, state, painter) -> None:
        self.np = np
        self.painter = painter  # big scatters are drawn a slice per frame
        self.data = data
        self.state = state  # callable: the current PageState (the plane)
        self.canvas = dom.Canvas("kmeans-canvas")
        self.pixels = dom.Pixels(np)
        self.summary = dom.el("kmeans-summary")
        self._drawn = None  # what the canvas shows: see draw()

    def reset(self) -> None:
        self.summary.textContent = words.EMPTY_SUMMARY
        for element_id in ARI_IDS:
            el = dom.el(element_id)
            el.textContent, el.dataset.value = words.NO_VALUE, ""
        self.draw()

    def fill(self) -> None:
        result = self.data.result
        ari, km_ari = result.ari, result.kmeans.ari
        for element_id, value in zip(ARI_IDS, (ari, km_ari), strict=True):
            el = dom.el(element_id)
            el.textContent = words.ari_text(value)
            el.dataset.value = "" if value is None else repr(float(value))
        self.summary.textContent = words.ari_sentence(ari, km_ari)

    def draw(self, result=None) -> None:
        """Draw ``result`` (default: the finished run's). The runner draws a
        new result a frame before reporting it; drawing the same result,
        plane and canvas size again is then skipped (200,000 points take a
        while in the browser)."""
        c = self.canvas
        c.fit()
        result = self.data.result if result is None else result
        model = self.data.model
        if result is None or model is None or model.data is None:
            self._drawn = None
            self.painter.queue.cancel("kmeans")  # a pending picture is stale
            look = display_look(self.state().display)
            axes.draw_empty(c.ctx, c.width, c.height, c.dpr, words.EMPTY_CHART, look)
            c.dataset.centres = "[]"
            return
        np = self.np
        X = model.data.X
        centers = np.asarray(result.kmeans.centers, dtype=float)
        plane = shown.plane(self.state(), model.data)
        proj = plane.projection
        # the objects themselves are kept: a freed object's id is reused
        display = self.state().display
        dpr = c.dpr * display.scale  # presenter mode: larger
        look = display_look(display)
        objects, size = (result, model.data, proj), (c.width, c.height, dpr, look)
        drawn = self._drawn
        if (
            drawn is not None
            and drawn[1] == size
            and all(a is b for a, b in zip(drawn[0], objects, strict=True))
        ):
            return
        self._drawn = (objects, size)
        titles = plane.titles
        if proj is not None:
            X, centers = proj.points(X), proj.points(centers)
        elif X.shape[1] == 1:  # one column: its points on a line
            X, centers = _on_line(np, X), _on_line(np, centers)
            titles = (titles[0], "")
        pts = [X]
        true_means = model.data.true_means
        if true_means is not None:  # on a line as the points are
            one = true_means.shape[1] == 1
            pts.append(_on_line(np, true_means) if one else true_means)
        view = Viewport.from_points(
            np.vstack(pts), c.width, c.height, dpr=dpr, margins=axes.TITLED_MARGINS
        )
        km = result.kmeans
        k = int(result.settings["k"])
        rgb = data_chart.kmeans_colours(km.labels, k, km.mapping, look)
        buf = self.pixels.for_size(c.width, c.height)
        n = len(X)
        radius = (2.2 if n <= 1000 else 1.8 if n <= 2500 else 1.4) * dpr
        steps = drawsteps.scatter_steps(
            view.to_px(X), c.width, c.height, radius, rgb=rgb, out=buf
        )
        self.painter.submit(
            "kmeans",
            steps,
            lambda _buf: self.finish(view, titles, centers, k, km, look),
            at_once=n <= drawsteps.AT_ONCE_POINTS,
        )

    def finish(self, view, titles, centers, k, km, look) -> None:
        """Put the stamped points on the canvas, then the axes and centres."""
        c = self.canvas
        c.ctx.putImageData(self.pixels.publish(), 0, 0)
        font_css = axes.label_font_css(c.width, c.dpr)
        axes.draw_axes(c.ctx, view, titles=titles, font_css=font_css, look=look)
        colours = palette.component_colors(k, km.mapping)
        css = [palette.rgb_to_css(col) for col in look.paint(colours)]
        centres_px = view.to_px(centers)
        data_chart.draw_kmeans_centres(c.ctx, centres_px, css, view.dpr)
        ds = c.dataset
        ds.centres = json.dumps(centres_px.tolist())
        ds.colors = json.dumps(css)


def _on_line(np, values):
    """One column (n, 1) as points (x, 0) of the plane."""
    return np.column_stack([values[:, 0], np.zeros(len(values))])
