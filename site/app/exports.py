"""Downloads (framed chart PNGs, parameters JSON, data CSV, a stand-alone
script and notebook) and copying the link: the share panel's effects."""

from __future__ import annotations

import asyncio
import json

from simapp.charts import palette
from simapp.charts.look import LIGHT
from simapp.exports import export, figure, handout, reproduce, sharing
from simapp.state import actions as A
from simapp.state import url

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
        self.recorder = Recorder(store, views.scatter.canvas, self._file_name)

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
        else:
            raise ValueError(f"unknown export {what!r}")

    def _link(self) -> str:
        origin, path, _ = dom.page_location()
        return f"{origin}{path}?{url.state_to_query(self.store.state)}"

    def _frame(self, canvas, what: str):
        """A detached canvas: the chart on white with title, legend, link."""
        state = self.store.state
        own = state.source.own if state.own_active else None
        result = self.data.result
        labels = None if result is None else result.labels_true
        n_classes = 0 if labels is None else int(max(labels)) + 1
        names = own.label_names if own is not None else ()
        legend = handout.chart_legend(what, n_classes, palette.HEX, names)
        title = handout.chart_title(what, state.settings, own.title if own else "")
        lay = figure.layout(canvas.width, canvas.height, legend=legend, dpr=canvas.dpr)
        out = dom.offscreen_canvas()
        out.width, out.height = lay.width, lay.height
        ctx = out.getContext("2d")
        figure.draw_frame(ctx, lay, title=title, legend=legend, footer=self._link())
        x, y, _, _ = lay.chart
        dark = state.display.dark
        if dark:  # exports stay light: the chart drawn light for the copy
            self._redraw(what, LIGHT)
        ctx.drawImage(dom.js_element(canvas.el), x, y)
        if dark:  # and dark again before the browser paints
            self._redraw(what, None)
        out.dataset.title = title
        return out

    def _redraw(self, what: str, look) -> None:
        """Redraw chart ``what`` in ``look`` (None: the page theme's)."""
        views, model = self.views, self.data.model
        if what == "cluster":
            views.scatter.repaint(look)
        elif model is not None:
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
        text = export.params_json(result, settings) + "\n"
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
