"""The fitted columns and the chart's plane (``cols=`` and ``plot=``).

``#fit-columns-row`` shows when a bundled dataset has two numeric columns or
more (two: either one alone can be fitted) and when your table has more
than two (with two, its x and y pickers choose);
``#cols`` holds the state's ``cols`` text and ``#plot`` offers principal
components or any pair of the fitted columns.
"""

from __future__ import annotations

from simapp.data import columns
from simapp.text import messages
from simapp.text.columns import plot_options

from .. import dom


class ColumnsView:
    """``#fit-columns-row`` from ``state.columns`` and ``state.source``."""

    def __init__(self) -> None:
        self._source = None
        self._own = None
        self._numeric: tuple[str, ...] = ()

    def render(self, old, new) -> None:
        source = new.source
        if source is not self._source:
            self._source = source
            self._numeric = columns.numeric_of(
                source.kind,
                dataset=source.dataset,
                table=source.table,
                label=source.columns[2],
            )
        row = dom.el("fit-columns-row")
        n_numeric = len(self._numeric)
        row.hidden = n_numeric < 2 or (n_numeric == 2 and source.kind != "dataset")
        if row.hidden:
            return
        dom.el("cols-hint").textContent = messages.columns_hint(self._numeric)
        cols = dom.el("cols")
        if str(cols.value) != new.columns.cols:
            cols.value = new.columns.cols
        own = source.own
        if own is not self._own and own is not None:
            self._own = own
            titles = own.column_titles or own.columns
            options = plot_options(own.columns, titles)
            plot = dom.el("plot")
            dom.fill_options(plot, options)
            plot.disabled = len(options) == 1  # two columns: their own plane
            if len(options) == 1:
                one = len(own.columns) == 1
                plot.title = messages.PLANE_OF_ONE if one else messages.PLANE_OF_TWO
            else:
                plot.removeAttribute("title")
        dom.el("plot").value = new.columns.plot
