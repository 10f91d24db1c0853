"""The data source panel: which rows show, the dataset, columns, errors.

``document.body`` carries ``data-data-source`` (the kind) and ``data-own-n``;
``#data-summary`` carries ``data-n`` and ``data-classes``.
"""

from __future__ import annotations

from simapp.data import datasets, gallery
from simapp.text import gallery as gallery_words
from simapp.text import messages

from .. import dom

#: Controls that only describe simulated data (hidden for your own data);
#: gallery data are drawn with the page's N (and seed) and keep ``n``.
SIMULATED_ONLY = ("n", "overlap", "k-true", "dims")
DRAWN = ("n",)
ROWS = {
    "dataset-row": ("dataset",),
    "upload-row": ("upload",),
    "paste-row": ("paste",),
    "click-row": ("click",),
}


class DataSourceView:
    """``#data-controls`` from ``state.source``."""

    def __init__(self) -> None:
        self.summary = dom.el("data-summary")
        self.error = dom.el("data-error")
        self.notes = dom.el("data-notes")
        self._table = None

    def configure(self) -> None:
        pairs = [(name, datasets.info(name).title) for name in datasets.names()]
        pairs += [(name, gallery_words.menu_label(name)) for name in gallery.NAMES]
        dom.fill_options(dom.el("dataset"), pairs)

    def render(self, old, new) -> None:
        a, b = old.source, new.source
        if a == b and old.status != "loading":
            return
        kind = b.kind
        dom.el("data-source").value = kind
        if b.dataset:
            dom.el("dataset").value = b.dataset
        for element_id, kinds in ROWS.items():
            dom.el(element_id).hidden = kind not in kinds
        columns_shown = kind in ("upload", "paste") and b.table is not None
        dom.el("columns-row").hidden = not columns_shown
        drawn = kind == "dataset" and gallery.is_gallery(b.dataset)
        for element_id in SIMULATED_ONLY:
            el = dom.el(element_id)
            if el is None:
                continue
            box = el.closest(".control")
            shown = kind == "simulated" or (drawn and element_id in DRAWN)
            (el if dom.is_none(box) else box).hidden = not shown
        # its heading too: your own data have no true mixture to set
        dom.el("controls").hidden = kind != "simulated" and not drawn
        dom.web.page.body.dataset.dataSource = kind
        self.error.textContent = b.error
        self.error.hidden = not b.error
        dom.fill_list(self.notes, list(b.notes))
        if b.table is not self._table:
            self._table = b.table
            if b.table is not None:
                self.fill_columns(b.table, b.columns)
        if b.table is not None:
            pickers = ("col-x", "col-y", "col-label")
            for element_id, value in zip(pickers, b.columns, strict=True):
                dom.el(element_id).value = value
        self.show_own(b, new.settings)

    def fill_columns(self, table, columns) -> None:
        names = [(name, name) for name in table.columns]
        dom.fill_options(dom.el("col-x"), names, columns[0])
        dom.fill_options(
            dom.el("col-y"), [("", messages.NO_Y_COLUMN), *names], columns[1]
        )
        dom.fill_options(
            dom.el("col-label"), [("", messages.NO_CLASS_COLUMN), *names], columns[2]
        )

    def show_own(self, source, settings) -> None:
        if source.kind == "dataset" and gallery.is_gallery(source.dataset):
            dom.el("dataset-info").textContent = gallery_words.data_info(
                source.dataset, settings.n, settings.seed
            )
        elif source.kind == "dataset" and source.own is not None:
            meta = datasets.info(source.own.dataset)
            # the menu names the columns fitted: "Iris flowers (4 columns)"
            menu = dom.el("dataset")
            if int(menu.selectedIndex) >= 0:
                dom.set_text(menu.options.selected, source.own.title)
            dom.el("dataset-info").textContent = messages.dataset_info(
                meta.description,
                source.own.column_titles,
                (meta.x_label, meta.y_label),
                meta.source,
                meta.licence,
            )
        own = source.own
        if own is None:
            # no data in use: nothing of the last data's summary stays
            self.summary.textContent = ""
            self.summary.dataset.n = self.summary.dataset.classes = ""
            dom.web.page.body.dataset.ownN = ""
            return
        n = len(own.X)
        labelled = own.labels is not None
        self.summary.textContent = messages.data_summary(
            own.title, n, own.label_names, labelled
        )
        self.summary.dataset.n = str(n)
        self.summary.dataset.classes = str(len(own.label_names) if labelled else 0)
        dom.web.page.body.dataset.ownN = str(n)
