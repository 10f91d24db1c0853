"""A parsed table: column names and the cell strings of every data row.

:class:`Table` is what :func:`simapp.data.tables.parse_table` returns. It
reads each column's numbers once (:meth:`Table.column_values`, or a slice at
a time with :meth:`Table.iter_column_values`), names the columns that can be
x or y (:meth:`Table.numeric_columns`), suggests the pickers' default
(:meth:`Table.suggest`) and selects points (:meth:`Table.select`, through
:mod:`simapp.data.selection`).

Examples
--------
>>> table = Table(
...     columns=("x", "y", "kind"),
...     rows=(("1", "2", "a"), ("3", "4", "b"), ("5", "NA", "a")),
...     row_numbers=(2, 3, 4),
...     delimiter=",",
...     decimal_comma=False,
...     has_header=True,
... )
>>> table.numeric_columns(), table.suggest()
(['x', 'y'], ('x', 'y', 'kind'))
>>> table.select("x", "y", min_points=2).X.tolist()
[[1.0, 2.0], [3.0, 4.0]]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import itemgetter

import numpy as np

from emcore.kernels.rowblocks import run_steps
from simapp.data.cells import (
    CELL_MISSING,
    CELL_NOT_FINITE,
    CELL_OK,
    MISSING,
    DataError,
    column_values,
    plural,
)
from simapp.data.selection import MIN_POINTS, Selection, pair_steps
from simapp.text.quoting import quote_user_text

__all__ = ["Table"]


@dataclass(frozen=True)
class Table:
    """Parsed text: column names and the cell strings of every data row.

    Attributes
    ----------
    columns : tuple of str
        Unique column names (from the header, or ``column 1``, ...).
    rows : tuple of tuple of str
        Stripped cell texts, one tuple per data row, each padded with ``""``
        (missing) to ``len(columns)``.
    row_numbers : tuple of int
        Spreadsheet row (text line) of each data row, for messages.
    delimiter : str
        ``"\\t"``, ``";"``, ``","``, ``"|"``, or ``" "`` for whitespace.
    decimal_comma : bool
        Whether ``1,5`` reads as 1.5.
    has_header : bool
    notes : tuple of str
        Notes from parsing (encoding, ragged rows, comments).
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    row_numbers: tuple[int, ...]
    delimiter: str
    decimal_comma: bool
    has_header: bool
    notes: tuple[str, ...] = ()
    #: column index -> (values, status) of :func:`simapp.data.cells.column_values`,
    #: filled on first use or in slices by :meth:`iter_column_values`; also
    #: the suggestion and the selections made
    _values: dict = field(default_factory=dict, compare=False, repr=False)

    def __len__(self) -> int:
        return len(self.rows)

    def column_values(self, j: int) -> tuple[np.ndarray, np.ndarray]:
        """Numbers (NaN where unusable) and cell statuses of column ``j``.

        Read once, then kept (see :func:`simapp.data.cells.column_values`).
        """
        if j not in self._values:
            cells = [r[j] for r in self.rows]
            self._values[j] = column_values(cells, self.decimal_comma)
        return self._values[j]

    def iter_column_values(self, chunk_rows: int = 20_000):
        """Read every column's numbers in slices: a generator of fractions.

        Yields from 0 to 1 after each slice of ``chunk_rows`` cells, so a
        page can read a large table a little per frame; afterwards
        :meth:`numeric_columns`, :meth:`suggest` and :meth:`select` reuse the
        values instead of reading the cells again.
        """
        chunk_rows = max(int(chunk_rows), 1)
        n, width = len(self.rows), len(self.columns)
        for j in range(width):
            if j in self._values:
                continue
            parts = []
            for lo in range(0, n, chunk_rows):
                cells = [r[j] for r in self.rows[lo : lo + chunk_rows]]
                parts.append(column_values(cells, self.decimal_comma))
                yield (j + min(lo + chunk_rows, n) / max(n, 1)) / width
            values = np.concatenate([v for v, _ in parts]) if parts else np.empty(0)
            status = (
                np.concatenate([st for _, st in parts])
                if parts
                else np.empty(0, dtype=np.int8)
            )
            self._values[j] = (values, status)
        yield 1.0

    def _index(self, column: str | int) -> int:
        if isinstance(column, int) and not isinstance(column, bool):
            if 0 <= column < len(self.columns):
                return column
            raise DataError(
                f"there is no column number {column + 1}; the table has "
                f"{plural(len(self.columns), 'column')}"
            )
        try:
            return self.columns.index(column)
        except ValueError:
            names = ", ".join(repr(c) for c in self.columns[:10])
            raise DataError(
                f"there is no column {quote_user_text(column)}; the columns are {names}"
            ) from None

    def column(self, column: str | int) -> tuple[str, ...]:
        """The cell texts of one column (by name or 0-based index)."""
        j = self._index(column)
        return tuple(r[j] for r in self.rows)

    def numeric_columns(self) -> list[str]:
        """Names of the columns that can serve as x or y.

        A column qualifies when at least one cell is a finite number and at
        least 80 % of its non-missing cells are numbers. Computed once per
        table (a new list each call).
        """
        if "numeric" not in self._values:
            self._values["numeric"] = tuple(self._numeric_columns())
        return list(self._values["numeric"])

    def _numeric_columns(self) -> list[str]:
        out = []
        for j, name in enumerate(self.columns):
            _, status = self.column_values(j)
            total = int(np.count_nonzero(status != CELL_MISSING))
            finite = int(np.count_nonzero(status == CELL_OK))
            numeric = finite + int(np.count_nonzero(status == CELL_NOT_FINITE))
            if finite and numeric >= 0.8 * total:
                out.append(name)
        return out

    def suggest(self) -> tuple[str | None, str | None, str | None]:
        """Default choice ``(x, y, label)`` for the column pickers.

        x and y are the first two numeric columns; the label is the first
        other column with between 2 and 20 distinct values (or ``None``).
        Computed once per table.
        """
        if "suggest" not in self._values:
            self._values["suggest"] = self._suggest()
        return self._values["suggest"]

    def _suggest(self) -> tuple[str | None, str | None, str | None]:
        numeric = self.numeric_columns()
        x = numeric[0] if numeric else None
        y = numeric[1] if len(numeric) > 1 else None
        label = None
        numeric_names = frozenset(numeric)  # a list: quadratic in wide tables
        for j, name in enumerate(self.columns):
            if name in numeric_names:
                continue
            # the distinct texts first (a C loop), then each tested once
            values = set(map(itemgetter(j), self.rows))
            values = {v for v in values if v.lower() not in MISSING}
            if 2 <= len(values) <= 20:
                label = name
                break
        return x, y, label

    def select(
        self,
        x_col: str | int,
        y_col: str | int,
        label_col: str | int | None = None,
        *,
        n_components: int | None = None,
        min_points: int = MIN_POINTS,
    ) -> Selection:
        """Points from two numeric columns, and class labels from a third.

        Parameters
        ----------
        x_col, y_col : str or int
            Column names (or 0-based indices) of the coordinates; must differ.
        label_col : str or int, optional
            Column of true classes (any text); enables ARI.
        n_components : int, optional
            Number of components to be fitted; at least this many points
            are required.
        min_points : int, default 3

        Returns
        -------
        Selection
            ``(X, labels, label_names, notes)``, X of shape (n, 2).

        Raises
        ------
        DataError
            Unknown or identical columns, too many bad rows, too few points.
        """
        steps = self.iter_select(
            x_col, y_col, label_col, n_components=n_components, min_points=min_points
        )
        return run_steps(steps)

    def iter_select(
        self,
        x_col: str | int,
        y_col: str | int,
        label_col: str | int | None = None,
        *,
        n_components: int | None = None,
        min_points: int = MIN_POINTS,
    ):
        """:meth:`select` as a generator: yields ``None`` between its parts
        (a page reads 200,000 rows a slice per frame) and returns the
        :class:`~simapp.data.selection.Selection`; the result is kept for
        :meth:`select`."""
        jx, jy = self._index(x_col), self._index(y_col)
        jl = None if label_col is None else self._index(label_col)
        # the same choice again (the page's loader prepares the first one
        # while reading): the kept result, with a fresh notes list
        key = ("select", jx, jy, jl, int(min_points), n_components)
        if key not in self._values:
            self._values[key] = yield from pair_steps(
                self, jx, jy, jl, n_components, min_points
            )
        X, labels, names, notes = self._values[key]
        return Selection(X, labels, names, list(notes))
