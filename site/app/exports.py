"""Downloads (chart PNGs, parameters JSON, scikit-learn script) and copying
the link: the share panel's effects."""

from __future__ import annotations

import asyncio

from simapp import actions as A
from simapp import export, sharing

from . import dom


class Exports:
    """Carries out :class:`~simapp.actions.Export` and ``CopyLink`` effects."""

    def __init__(self, store, data, views) -> None:
        self.store = store
        self.data = data
        self.canvases = {
            "png-cluster": (views.scatter.canvas, "cluster"),
            "png-loglik": (views.loglik.canvas, "loglik"),
            "png-ic": (views.ic.canvas, "ic"),
        }

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
            self.download_snippet()
        else:
            raise ValueError(f"unknown export {what!r}")

    def download_canvas(self, canvas, what: str) -> None:
        name = self._file_name(what, "png")

        def saved(blob) -> None:
            try:
                if dom.is_none(blob):
                    raise ValueError("the browser could not encode the chart as PNG")
                self._saved(blob, name)
            except Exception as exc:
                dom.log_error(dom.traceback_text(exc))

        canvas.el.toBlob(dom.create_proxy(saved), "image/png")

    def download_json(self) -> None:
        result = self.data.result
        if result is None:
            raise ValueError("there is no finished fit to export yet")
        settings = dict(result["settings"])
        settings["data"] = self._source_name()
        own = self.store.state.source.own
        if self.store.state.own_active and own is not None:
            settings["data_title"] = own.title
        text = export.params_json(result, settings) + "\n"
        name = self._file_name("params", "json")
        self._saved(dom.text_blob(text, "application/json"), name)

    def download_snippet(self) -> None:
        state = self.store.state
        settings = state.settings
        values = {
            k: getattr(settings, k) for k in ("k", "n", "overlap", "cov", "iters")
        }
        values.update(tol=settings.tol, seed=settings.seed, n_init=settings.n_init)
        if state.own_active:
            own = state.source.own
            if own is None:
                raise ValueError("there are no data to export yet: load data first")
            text = export.sklearn_snippet(values, X=own.X, labels=own.labels)
        elif settings.k_true != settings.k:
            text = export.sklearn_snippet(
                {**values, "k": settings.k_true}, n_components=settings.k
            )
        else:
            text = export.sklearn_snippet(values)
        name = self._file_name("sklearn", "py")
        self._saved(dom.text_blob(text, "text/x-python"), name)

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
