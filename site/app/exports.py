"""Downloads (framed chart PNGs, parameters JSON, data CSV, a stand-alone
script and notebook) and copying the link: the share panel's effects."""

from __future__ import annotations

import asyncio
import json
import math

from simapp.charts.look import LIGHT
from simapp.exports import export, figure, handout, key, reproduce, sharing, video
from simapp.exports.worksheet import page as worksheet_page
from simapp.state import actions as A
from simapp.state import url
from simapp.text import worksheet as worksheet_words

from . import dom
from .recorder import Recorder


class Exports:
    """Carries out :class:`~simapp.state.actions.Export` and ``CopyLink`` effects."""

    def __init__(self, store, data, views) -> None:
        self.store = store
        self.data = data
        self.views = views
        self.canvases = {
            "png-cluster": (views.scatter.canvas, "cluster"),
            "png-loglik": (views.loglik.canvas, "loglik"),
            "png-ic": (views.ic.canvas, "ic"),
        }
        self.recorder = Recorder(
            store, views.scatter.canvas, self._file_name, self._video_texts
        )

    def _video_texts(self) -> tuple[str, str]:
        """A recorded frame's title and its counter (``iteration i / n``)."""
        state = self.store.state
        own = state.source.own if state.own_active else None
        title = handout.chart_title("cluster", state.settings, own.title if own else "")
        timeline = self.data.timeline
        n = 0 if timeline is None else timeline.n_positions()
        if not n:
            return title, ""
        at = timeline.state_at(min(state.timeline.position, n - 1))
        count = video.counter(
            at.start, timeline.n_starts, at.iteration, timeline.n_iterations(at.start)
        )
        return title, count

    def _source_name(self) -> str:
        """``simulated``, the dataset's key, or ``your-upload`` etc."""
        source = self.store.state.source
        if source.kind == "dataset":
            return source.dataset
        return source.kind if source.kind == "simulated" else f"your-{source.kind}"

    def _file_name(self, what: str, ext: str) -> str:
        model = self.data.model
        s = model.settings if model is not None else {}
        settings = self.store.state.settings
        return sharing.file_name(
            what,
            ext,
            k=int(s.get("k", settings.k)),
            cov=str(s.get("cov", settings.cov)),
            seed=int(s.get("seed", settings.seed)),
            source=self._source_name(),
        )

    def _saved(self, blob, name: str) -> None:
        dom.save_blob(blob, name)
        self.store.dispatch(A.ShareDone(f"Downloaded {name}.", name))

    def export(self, effect: A.Export) -> None:
        what = effect.what
        if what in self.canvases:
            self.download_canvas(*self.canvases[what])
        elif what == "json":
            self.download_json()
        elif what == "snippet":
            self.download_script()
        elif what == "csv":
            self.download_csv()
        elif what == "notebook":
            self.download_notebook()
        elif what == "video":
            self.recorder.record()
        elif what == "worksheet":
            self.open_worksheet()
        else:
            raise ValueError(f"unknown export {what!r}")

    def _link(self) -> str:
        origin, path, _ = dom.page_location()
        return f"{origin}{path}?{url.state_to_query(self.store.state)}"

    def _frame(self, canvas, what: str):
        """A detached canvas: the chart redrawn light at
        :func:`~simapp.exports.figure.export_scale` (2x at least, 1,000 px
        wide at least) on white, with its title, settings, legend and link."""
        state = self.store.state
        own = state.source.own if state.own_active else None
        result = self.data.result
        names = own.label_names if own is not None else ()
        legend, subtitle = [], ""
        if result is not None:
            legend = handout.chart_legend(what, key.result_key(result, names))
            subtitle = handout.settings_line(result.settings, simulated=own is None)
        title = handout.chart_title(what, state.settings, own.title if own else "")
        scale = figure.export_scale(canvas.width / canvas.dpr, canvas.dpr)
        out = dom.offscreen_canvas()
        ctx = out.getContext("2d")

        def measure(text: str, css_font: str) -> float:
            ctx.font = css_font
            return float(ctx.measureText(text).width)

        saved = (canvas.width, canvas.height, canvas.dpr)
        self._resize(canvas, scale / canvas.dpr, scale)
        try:
            self._redraw(what, LIGHT)  # exports stay light, even from a dark page
            lay = figure.layout(
                canvas.width,
                canvas.height,
                legend=legend,
                dpr=scale,
                title=title,
                subtitle=subtitle,
                footer=self._link(),
                measure=measure,
            )
            out.width, out.height = lay.width, lay.height
            figure.draw_frame(ctx, lay, legend=legend)
            x, y, _, _ = lay.chart
            ctx.drawImage(dom.js_element(canvas.el), x, y)
        finally:
            # back to the screen's size and the page's theme before it paints
            canvas.width, canvas.height, canvas.dpr = saved
            canvas.el.width, canvas.el.height = saved[0], saved[1]
            self._redraw(what, None)
        out.dataset.title = title
        # what was drawn, for tests: the size, the lines and how wide they are
        dom.web.page.body.dataset.exportFigure = json.dumps(
            {
                "width": lay.width,
                "height": lay.height,
                "chart": list(lay.chart),
                "scale": scale,
                "footer": list(lay.footer_lines),
                "legend": [list(entry) for entry in legend],
                "room": lay.room,
                "widest": max((measure(t, f) for t, f, *_ in lay.texts), default=0),
            }
        )
        return out

    @staticmethod
    def _resize(canvas, factor: float, dpr: float) -> None:
        """Scale ``canvas``'s backing store by ``factor`` (drawn at ``dpr``)."""
        canvas.width = max(1, round(canvas.width * factor))
        canvas.height = max(1, round(canvas.height * factor))
        canvas.dpr = dpr
        canvas.el.width, canvas.el.height = canvas.width, canvas.height

    def _redraw(self, what: str, look) -> None:
        """Redraw chart ``what`` at its canvas's size now, in ``look`` (None:
        the page theme's)."""
        views, model = self.views, self.data.model
        if model is None:
            return
        if what == "cluster":
            scatter = views.scatter
            scatter.draw(model, look)  # the points in the export's colours
            # a big scatter is drawn a slice per frame: finish it now
            for finish, picture in scatter.painter.queue.run(
                math.inf, dom.now, ("scatter",)
            ):
                finish(picture)
            if look is not None:
                scatter.repaint(look)
        else:
            getattr(views, what).draw(model, look)

    def download_canvas(self, canvas, what: str) -> None:
        name = self._file_name(what, "png")
        framed = self._frame(canvas, what)

        def saved(blob) -> None:
            try:
                if dom.is_none(blob):
                    raise ValueError("the browser could not encode the chart as PNG")
                self._saved(blob, name)
            except Exception as exc:
                dom.log_error(dom.traceback_text(exc))

        framed.toBlob(dom.create_proxy(saved), "image/png")

    def download_json(self) -> None:
        result = self.data.result
        if result is None:
            raise ValueError("there is no finished fit to export yet")
        settings = dict(result.settings)
        settings["data"] = self._source_name()
        own = self.store.state.source.own
        if self.store.state.own_active and own is not None:
            settings["data_title"] = own.title
        names = own.label_names if self.store.state.own_active and own else ()
        text = export.params_json(result, settings, key=key.result_key(result, names))
        text += "\n"
        name = self._file_name("params", "json")
        self._saved(dom.text_blob(text, "application/json"), name)

    def _reproduction(self):
        """The finished run as :class:`simapp.exports.reproduce.Reproduction`."""
        result = self.data.result
        if result is None:
            raise ValueError("there is no finished fit to export yet")
        state = self.store.state
        own = state.source.own if state.own_active else None
        initial = self.data.initial.get(int(result.best_start))
        return handout.reproduction(
            result,
            initial,
            class_names=own.label_names if own is not None else (),
            # the script and notebook name the fitted columns (all of them)
            columns=_fitted_columns(own, result),
            title=self._link(),
        )

    def download_script(self) -> None:
        text = reproduce.script(self._reproduction())
        name = self._file_name("sklearn", "py")
        self._saved(dom.text_blob(text, "text/x-python"), name)

    def download_csv(self) -> None:
        text = reproduce.data_csv(self._reproduction())
        name = self._file_name("data", "csv")
        self._saved(dom.text_blob(text, "text/csv"), name)

    def download_notebook(self) -> None:
        text = json.dumps(reproduce.notebook(self._reproduction()), indent=1) + "\n"
        name = self._file_name("notebook", "ipynb")
        self._saved(dom.text_blob(text, "application/x-ipynb+json"), name)

    def open_worksheet(self) -> None:
        """The printable worksheet (:mod:`simapp.exports.worksheet`) in a new
        tab, from a Blob URL; a download where the browser blocks the tab."""
        result = self.data.result
        if result is None:
            raise ValueError("there is no finished fit to export yet")
        state = self.store.state
        own = state.source.own if state.own_active else None
        figures = [
            (what, str(self._frame(canvas, what).toDataURL("image/png")))
            for canvas, what in self.canvases.values()
        ]
        html = worksheet_page(
            result,
            lesson=state.lesson,
            link=self._link(),
            figures=figures,
            data_title=own.title if own is not None else "",
            class_names=own.label_names if own is not None else (),
        )
        blob = dom.text_blob(html, "text/html")
        if dom.open_blob(blob):
            self.store.dispatch(A.ShareDone(worksheet_words.OPENED))
        else:  # no new tab: the file, to open and print
            self._saved(blob, self._file_name("worksheet", "html"))

    def copy_link(self, _effect=None) -> None:
        asyncio.ensure_future(self._copy_link())

    async def _copy_link(self) -> None:
        field = dom.el("share-url")
        try:
            await dom.window.navigator.clipboard.writeText(field.value)
            text = "Link copied."
        except Exception:
            field.focus()
            field.select()
            text = "Press Ctrl+C (or Cmd+C) to copy the selected link."
        self.store.dispatch(A.ShareDone(text))


def _fitted_columns(own, result) -> tuple:
    """The own data's column names when they name every fitted column."""
    names = tuple(own.columns) if own is not None else ()
    return names if len(names) == result.X.shape[1] else ()
