"""Load the user's own 2-D data: parse pasted or uploaded text into points.

:func:`parse_table` turns CSV, TSV, semicolon- or whitespace-separated text
into a :class:`Table` of cell strings; :meth:`Table.select` picks an x and a y
column (and optionally a label column) and returns float64 points. Every
problem a student can fix is reported as a :class:`DataError` (a
``ValueError``) whose message names the row and column; nothing else escapes
:func:`parse_table` for any input text.

Conventions
-----------
* **Rows** are numbered like a spreadsheet or a text editor numbers lines:
  row 1 is the first line of the text (usually the header). A quoted field
  spanning several lines belongs to the row where it starts.
* **Delimiter** is sniffed from the first 50 records: tab, semicolon, comma or
  ``|``, else runs of whitespace. The candidate giving the most consistent
  field count wins; ties go to the one whose cells are more often numbers.
* **Decimal comma** (``1,5``) is accepted when the delimiter is ``;`` (the
  European spreadsheet export), and for tab/whitespace files when the sample
  has comma decimals and no dot decimals.
* **Header**: the first record is a header when one of its cells is not a
  number in a column whose other cells mostly are, or when all its cells are
  text and some later record has a number. Otherwise columns are named
  ``column 1``, ``column 2``, ... Pass ``header=True/False`` to override.
* **Missing values** (empty, ``NA``, ``N/A``, ``NaN``, ``null``, ``None``,
  ``?``, ``-``, ``.``) drop the row with a note. **Bad values** (text that is
  not a number, ``inf``, overflow such as ``1e999``) drop the row with a note
  listing the first few row numbers, up to :func:`bad_row_limit` rows; more
  than that is an error quoting the first bad cell.
* Lines starting with ``#`` are comments. A UTF-8 byte-order mark and CRLF
  line ends are handled; bytes that are not UTF-8 are read as Windows-1252.

Examples
--------
>>> table = parse_table("x;y;kind\\n1,5;2;a\\n3;4,25;b\\n5;6;a\\n")
>>> table.columns, table.delimiter, table.decimal_comma
(('x', 'y', 'kind'), ';', True)
>>> X, labels, names, notes = table.select("x", "y", "kind")
>>> X.tolist(), labels.tolist(), names
([[1.5, 2.0], [3.0, 4.25], [5.0, 6.0]], [0, 1, 0], ('a', 'b'))
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from operator import itemgetter
from typing import NamedTuple

import numpy as np

from emcore.diagnostics import count_distinct_rows
from emcore.rowblocks import run_steps
from simapp.text.quoting import NUMBER_RE

__all__ = [
    "MAX_BYTES",
    "MAX_ROWS",
    "MISSING",
    "DataError",
    "Selection",
    "Table",
    "add_point",
    "bad_row_limit",
    "check_size",
    "iter_parse_table",
    "parse_number",
    "parse_table",
]

#: Cell texts (compared case-insensitively, after stripping) meaning "no value".
MISSING = frozenset({"", "na", "n/a", "nan", "null", "none", "?", "-", ".", "#n/a"})

#: Minimum number of points :meth:`Table.select` accepts.
MIN_POINTS = 3

#: Largest text (UTF-8 bytes) and most data rows :func:`parse_table` accepts.
MAX_BYTES = 10_000_000
MAX_ROWS = 200_000

#: Records parsed between two progress reports of :func:`iter_parse_table`.
CHUNK_ROWS = 10_000

_SNIFF_RECORDS = 50
_SNIFF_LINES = 1000
_CANDIDATES = ("\t", ";", ",", "|")
_SHOW_ROWS = 5
_QUOTE_CHARS = 24
_ALL_NUMBERS_RE = re.compile(
    rf"(?:{NUMBER_RE.pattern})(?:\x00(?:{NUMBER_RE.pattern}))*"
)
_COMMA_NUMBER_RE = re.compile(r"[+-]?[0-9]+,[0-9]+(?:[eE][+-]?[0-9]+)?")
_DOT_DECIMAL_RE = re.compile(r"[+-]?[0-9]*\.[0-9]+(?:[eE][+-]?[0-9]+)?")
_NONFINITE = frozenset({"inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"})
_WS_TOKEN_RE = re.compile(r'"((?:[^"]|"")*)"|(\S+)')
#: A line that can hold a record: not blank, not a ``#`` comment.
_RECORD_LINE = re.compile(r"^[ \t]*[^\s#]", re.MULTILINE)
_RECORD_LINE_B = re.compile(rb"^[ \t]*[^\s#]", re.MULTILINE)
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class DataError(ValueError):
    """Data a student supplied cannot be used; the message says how to fix it."""


class Selection(NamedTuple):
    """Points chosen from a :class:`Table` (unpacks as a 4-tuple).

    Attributes
    ----------
    X : ndarray of shape (n, 2), float64
        Finite x, y coordinates of the kept rows, in file order.
    labels : ndarray of shape (n,), int64, or None
        Class codes 0, 1, ... in order of first appearance; ``None`` without
        a label column.
    label_names : tuple of str
        ``label_names[code]`` is the text of class ``code`` (empty without
        labels).
    notes : list of str
        Things the student should know (rows dropped, duplicates, ...).
    """

    X: np.ndarray
    labels: np.ndarray | None
    label_names: tuple[str, ...]
    notes: list[str]


def _shown(text: object) -> str:
    """``text`` quoted for a message: control characters replaced, truncated."""
    s = _CONTROL_RE.sub("\N{REPLACEMENT CHARACTER}", str(text))
    if len(s) > _QUOTE_CHARS:
        s = s[: _QUOTE_CHARS - 1] + "\N{HORIZONTAL ELLIPSIS}"
    return repr(s)


def _rows_list(rows: list[int]) -> str:
    """``"row 3"`` or ``"rows 2, 3, 4, 5, 6 and 7 more"``."""
    shown = ", ".join(str(r) for r in rows[:_SHOW_ROWS])
    more = len(rows) - _SHOW_ROWS
    if more > 0:
        shown = f"{shown} and {more} more"
    return f"row {shown}" if len(rows) == 1 else f"rows {shown}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def parse_number(cell: str, decimal_comma: bool = False) -> float | None:
    """The number written in ``cell``, or ``None`` if it is not a number.

    Accepts plain decimal and scientific notation (``-1.5``, ``.5``,
    ``2e-3``), with ``1,5`` meaning 1.5 when ``decimal_comma`` is true.
    ``inf``/``infinity`` give ``inf``; overflow (``1e999``) gives ``inf`` too.
    Missing markers (see :data:`MISSING`) and other text give ``None``.
    """
    s = cell.strip()
    if decimal_comma and "," in s and _COMMA_NUMBER_RE.fullmatch(s):
        s = s.replace(",", ".", 1)
    if NUMBER_RE.fullmatch(s):
        return float(s)
    if s.lower() in _NONFINITE:
        return -math.inf if s.startswith("-") else math.inf
    return None


_OK, _MISSING, _NOT_NUMBER, _NOT_FINITE = 0, 1, 2, 3


def _column_values(
    cells: list[str], decimal_comma: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Values (NaN where unusable) and a status code per cell, vectorised.

    Cells that all look like plain numbers (the usual case) are converted by
    numpy in one call; the others go through :func:`parse_number`.
    """
    n = len(cells)
    if decimal_comma:
        cells = [
            c.replace(",", ".", 1) if _COMMA_NUMBER_RE.fullmatch(c) else c
            for c in cells
        ]
    values = np.full(n, np.nan)
    status = np.full(n, _OK, dtype=np.int8)
    # one regex pass over all cells (parse_table drops NUL characters)
    fast = bool(n) and _ALL_NUMBERS_RE.fullmatch("\x00".join(cells)) is not None
    if fast:
        try:
            values[:] = np.array(cells, dtype=np.float64)
        except ValueError:  # pragma: no cover - a NUL inside a hand-built cell
            fast = False
    if not fast:
        match = NUMBER_RE.fullmatch
        plain = np.fromiter((match(c) is not None for c in cells), dtype=bool, count=n)
        idx = np.flatnonzero(plain)
        if idx.size:
            values[idx] = np.array([cells[i] for i in idx.tolist()], dtype=np.float64)
        # each distinct text is read once (a class column repeats a few
        # names over 200,000 rows), then written to all its rows at once
        rows_of: dict[str, list[int]] = {}
        for i in np.flatnonzero(~plain).tolist():
            rows_of.setdefault(cells[i], []).append(i)
        for c, where in rows_of.items():
            if c.lower() in MISSING:
                status[where] = _MISSING
                continue
            v = parse_number(c)
            if v is None:
                status[where] = _NOT_NUMBER
            else:
                values[where] = v
    with np.errstate(invalid="ignore"):
        overflow = (status == _OK) & ~np.isfinite(values)
    status[overflow] = _NOT_FINITE
    values[status != _OK] = np.nan
    return values, status


def bad_row_limit(n_rows: int) -> int:
    """How many unusable rows :meth:`Table.select` skips before giving up.

    At most 10 % of the data rows, and always at least 2.
    """
    return max(2, n_rows // 10)


# --- splitting text into records -------------------------------------------


def _decode(data: str | bytes, notes: list[str]) -> str:
    if isinstance(data, str):
        return data
    try:
        return bytes(data).decode("utf-8-sig")
    except UnicodeDecodeError:
        notes.append("The file is not UTF-8; it was read as Windows-1252 text.")
        return bytes(data).decode("cp1252", errors="replace")


def _records_csv(text: str, delimiter: str):
    """Yield (row number, cells) using the csv module."""
    reader = csv.reader(
        io.StringIO(text, newline=""),
        delimiter=delimiter,
        quotechar='"',
        skipinitialspace=True,
        strict=False,
    )
    previous = 0
    try:
        for cells in reader:
            row = previous + 1
            previous = reader.line_num
            cells = [c.strip() for c in cells]
            if any(cells):
                yield row, cells
    except csv.Error as err:
        raise DataError(
            f"row {previous + 1}: the text cannot be read as a table ({err}). "
            'Check for an unclosed quote (") or a binary file.'
        ) from None


def _records_ws(text: str):
    """Yield (row number, cells) splitting on runs of whitespace."""
    for row, line in enumerate(text.splitlines(), start=1):
        cells = [
            plain or quoted.replace('""', '"').strip()
            for quoted, plain in _WS_TOKEN_RE.findall(line)
        ]
        if any(cells):
            yield row, cells


def _records(text: str, delimiter: str, limit: int | None = None):
    """Yield (row number, stripped cells) of the non-blank, non-comment records."""
    source = _records_ws(text) if delimiter == " " else _records_csv(text, delimiter)
    count = 0
    for row, cells in source:
        if cells[0].startswith("#"):
            continue
        yield row, cells
        count += 1
        if limit is not None and count >= limit:
            return


def _numeric_fraction(records, decimal_comma: bool) -> float:
    total = numeric = 0
    for _, cells in records[1:] or records:
        for c in cells:
            if c.strip().lower() in MISSING:
                continue
            total += 1
            numeric += parse_number(c, decimal_comma) is not None
    return numeric / total if total else 0.0


def _sniff_sample(text: str) -> str:
    """The start of ``text`` the delimiter is sniffed from.

    Sniffing reads :data:`_SNIFF_RECORDS` records per candidate; on large
    text, copying and splitting all of it for that costs a second in the
    browser. The first :data:`_SNIFF_LINES` lines hold those records unless
    most of them are blank or comments, and then the whole text is used.
    """
    end = -1
    for _ in range(_SNIFF_LINES):
        end = text.find("\n", end + 1)
        if end < 0:
            return text
    sample = text[: end + 1]
    if sum(1 for _ in _RECORD_LINE.finditer(sample)) < 4 * _SNIFF_RECORDS:
        return text
    return sample


def _sniff(text: str) -> tuple[str, bool]:
    """Choose the delimiter and whether commas are decimal marks."""
    text = _sniff_sample(text)
    best_key, best = None, (" ", False)
    for delimiter in (*_CANDIDATES, " "):
        try:
            records = list(_records(text, delimiter, _SNIFF_RECORDS))
        except DataError:
            continue
        if not records:
            continue
        counts = [len(cells) for _, cells in records]
        mode = max(set(counts), key=lambda m: (counts.count(m), m))
        if mode < 2:
            continue
        consistency = counts.count(mode) / len(counts)
        decimal_comma = delimiter == ";" or (
            delimiter in ("\t", " ") and _comma_decimals(records)
        )
        key = (round(consistency, 2), _numeric_fraction(records, decimal_comma), mode)
        if best_key is None or key > best_key:
            best_key, best = key, (delimiter, decimal_comma)
    return best


def _comma_decimals(records) -> bool:
    cells = [c.strip() for _, row in records for c in row]
    return any(_COMMA_NUMBER_RE.fullmatch(c) for c in cells) and not any(
        _DOT_DECIMAL_RE.fullmatch(c) for c in cells
    )


def _looks_like_header(records, decimal_comma: bool) -> bool:
    first = records[0][1]
    rest = records[1:]
    if not rest:
        return any(
            parse_number(c, decimal_comma) is None and c.lower() not in MISSING
            for c in first
        )
    for j, cell in enumerate(first):
        if parse_number(cell, decimal_comma) is not None:
            continue
        below = [cells[j] for _, cells in rest[:_SNIFF_RECORDS] if j < len(cells)]
        below = [c for c in below if c.lower() not in MISSING]
        if (
            below
            and sum(parse_number(c, decimal_comma) is not None for c in below)
            > len(below) / 2
        ):
            return True
    all_text = all(
        c and c.lower() not in MISSING and parse_number(c, decimal_comma) is None
        for c in first
    )
    later_number = any(
        parse_number(c, decimal_comma) is not None
        for _, cells in rest[:_SNIFF_RECORDS]
        for c in cells
    )
    return all_text and later_number


def _unique_names(raw: list[str], width: int) -> tuple[str, ...]:
    names: list[str] = []
    seen: set[str] = set()
    for j in range(width):
        base = raw[j].strip() if j < len(raw) else ""
        base = _CONTROL_RE.sub(" ", base)[:60] or f"column {j + 1}"
        name, n = base, 2
        while name in seen:
            name, n = f"{base} ({n})", n + 1
        seen.add(name)
        names.append(name)
    return tuple(names)


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
    #: column index -> (values, status) of :func:`_column_values`, filled on
    #: first use or in slices by :meth:`iter_column_values`
    _values: dict = field(default_factory=dict, compare=False, repr=False)

    def __len__(self) -> int:
        return len(self.rows)

    def _column_values(self, j: int) -> tuple[np.ndarray, np.ndarray]:
        if j not in self._values:
            cells = [r[j] for r in self.rows]
            self._values[j] = _column_values(cells, self.decimal_comma)
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
                parts.append(_column_values(cells, self.decimal_comma))
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
                f"{_plural(len(self.columns), 'column')}"
            )
        try:
            return self.columns.index(column)
        except ValueError:
            names = ", ".join(repr(c) for c in self.columns[:10])
            raise DataError(
                f"there is no column {_shown(column)}; the columns are {names}"
            ) from None

    def column(self, column: str | int) -> tuple[str, ...]:
        """The cell texts of one column (by name or 0-based index)."""
        j = self._index(column)
        return tuple(r[j] for r in self.rows)

    def numeric_columns(self) -> list[str]:
        """Names of the columns that can serve as x or y.

        A column qualifies when at least one cell is a finite number and at
        least 80 % of its non-missing cells are numbers.
        """
        out = []
        for j, name in enumerate(self.columns):
            _, status = self._column_values(j)
            total = int(np.count_nonzero(status != _MISSING))
            finite = int(np.count_nonzero(status == _OK))
            numeric = finite + int(np.count_nonzero(status == _NOT_FINITE))
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
        for j, name in enumerate(self.columns):
            if name in numeric:
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
            ``(X, labels, label_names, notes)``.

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
        :class:`Selection`; the result is kept for :meth:`select`."""
        jx, jy = self._index(x_col), self._index(y_col)
        jl = None if label_col is None else self._index(label_col)
        # the same choice again (the page's loader prepares the first one
        # while reading): the kept result, with a fresh notes list
        key = ("select", jx, jy, jl, int(min_points), n_components)
        if key not in self._values:
            self._values[key] = yield from self._select_steps(
                jx, jy, jl, n_components, min_points
            )
        X, labels, names, notes = self._values[key]
        return Selection(X, labels, names, list(notes))

    def _select_steps(self, jx, jy, jl, n_components, min_points):
        if jx == jy:
            raise DataError(
                f"x and y are both column {self.columns[jx]!r}; choose two "
                "different columns"
            )
        if jl is not None and jl in (jx, jy):
            raise DataError(
                f"column {self.columns[jl]!r} cannot be both a coordinate and the label"
            )
        xname, yname = self.columns[jx], self.columns[jy]
        notes: list[str] = []
        vx, sx = self._column_values(jx)
        vy, sy = self._column_values(jy)
        status = np.maximum(sx, sy)
        if jl is not None:
            label_cells = list(map(itemgetter(jl), self.rows))
            yield
            # test each distinct class text once, not every row
            classes = dict.fromkeys(label_cells)
            absent = {c for c in classes if c.lower() in MISSING}
            no_label = np.zeros(len(label_cells), dtype=bool)
            if absent:
                no_label[:] = [c in absent for c in label_cells]
            status = np.where((status == _OK) & no_label, _MISSING, status)
            yield
        bad: list[tuple[int, str]] = []
        for i in np.flatnonzero(status >= _NOT_NUMBER).tolist():
            row = self.row_numbers[i]
            for j, name, st in ((jx, xname, sx[i]), (jy, yname, sy[i])):
                if st >= _NOT_NUMBER:
                    what = "a number" if st == _NOT_NUMBER else "a finite number"
                    cell = _shown(self.rows[i][j])
                    bad.append(
                        (row, f"row {row}: {cell} in column {name!r} is not {what}")
                    )
                    break
        missing_rows = [self.row_numbers[i] for i in np.flatnonzero(status == _MISSING)]
        keep = status == _OK
        X = np.column_stack([vx[keep], vy[keep]])

        limit = bad_row_limit(len(self.rows))
        if len(bad) > limit:
            raise DataError(
                f"{bad[0][1]}. {len(bad)} of {len(self.rows)} rows have values "
                f"that are not numbers ({_rows_list([r for r, _ in bad])}); "
                f"at most {limit} can be skipped. Check that you chose the right "
                "columns and that the file uses one delimiter throughout."
            )
        if bad:
            notes.append(
                f"Skipped {_plural(len(bad), 'row')} with values that are not "
                f"numbers: {_rows_list([r for r, _ in bad])} (first: "
                f"{bad[0][1]})."
            )
        if missing_rows:
            what = "x, y or label" if jl is not None else "x or y"
            notes.append(
                f"Skipped {_plural(len(missing_rows), 'row')} with a missing "
                f"{what} value: {_rows_list(missing_rows)}."
            )

        need = max(int(min_points), int(n_components or 0), 1)
        n_points = len(X)
        if n_points < need:
            why = (
                f"at least {need} are needed to fit {n_components} components"
                if n_components and n_components >= min_points
                else f"at least {need} are needed"
            )
            raise DataError(
                f"only {_plural(n_points, 'usable point')} in columns {xname!r} "
                f"and {yname!r}; {why}"
            )

        yield
        n_unique = int(count_distinct_rows(X)[0])
        if n_unique == 1:
            notes.append(
                f"All {n_points} points are identical; the mixture cannot "
                "separate them and every covariance will collapse to the ridge."
            )
        elif n_unique < n_points:
            notes.append(
                f"{_plural(n_points - n_unique, 'point')} repeat an earlier "
                "point exactly (allowed; they are drawn on top of each other)."
            )

        labels = None
        names: tuple[str, ...] = ()
        if jl is not None:
            yield
            if keep.all():  # the common case: no copy, the classes known
                kept = label_cells
            else:
                kept = [label_cells[i] for i in np.flatnonzero(keep).tolist()]
                classes = dict.fromkeys(kept)
            # classes in order of first appearance; the coding runs in C
            codes = {name: code for code, name in enumerate(classes)}
            labels = np.fromiter(
                map(codes.__getitem__, kept), dtype=np.int64, count=len(kept)
            )
            names = tuple(codes)
            lname = self.columns[jl]
            if len(names) == 1:
                notes.append(
                    f"Column {lname!r} has a single class; the ARI is not informative."
                )
            elif len(names) > max(20, n_points // 2):
                notes.append(
                    f"Column {lname!r} has {len(names)} different values for "
                    f"{n_points} points; it does not look like a class label."
                )
        return Selection(X, labels, names, notes)


def _text_size(text: str | bytes) -> int:
    """Size in bytes (UTF-8 for text), without copying ASCII text."""
    if isinstance(text, (bytes, bytearray, memoryview)):
        return len(text)
    if text.isascii():
        return len(text)
    return len(text.encode("utf-8", "replace"))


def check_size(
    text: str | bytes, *, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS
) -> int:
    """Refuse text that is too large, before any parsing; returns its lines.

    Cheap even for huge input: the byte size (UTF-8 for ``str``) and a count
    of line feeds, no copy of ASCII text. A table of ``max_rows`` data rows
    has at most ``max_rows + 1`` lines with its header; blank and ``#``
    comment lines do not count. A quoted field spanning lines counts once per
    line, so such a table may be refused slightly before ``max_rows``.

    Parameters
    ----------
    text : str or bytes
    max_bytes, max_rows : int

    Returns
    -------
    int
        Number of lines (at least 1; only those that can hold a record when
        the plain count is over the limit).

    Raises
    ------
    DataError
        Not text, more than ``max_bytes`` bytes or more than ``max_rows + 1``
        lines; the message gives the size and the limit.

    Examples
    --------
    >>> check_size("x,y\\n1,2\\n3,4\\n")
    3
    >>> check_size("1,2\\n" * 12, max_rows=10)
    Traceback (most recent call last):
    ...
    simapp.data.tables.DataError: the data have more than 10 rows (12 lines); ...
    """
    if not isinstance(text, (str, bytes, bytearray, memoryview)):
        raise DataError(f"expected text, got {type(text).__name__}")
    if isinstance(text, memoryview):
        text = text.tobytes()
    size = len(text) if len(text) > max_bytes else _text_size(text)
    if size > max_bytes:
        raise DataError(
            f"the data are {size / 1e6:.1f} MB; the limit is "
            f"{max_bytes / 1e6:.1f} MB. Keep two numeric columns (and a label) "
            "or fewer rows."
        )
    newline = b"\n" if isinstance(text, (bytes, bytearray)) else "\n"
    lines = text.count(newline) + (not text.endswith(newline))
    if lines > max_rows + 1:
        # only then count the lines that can be records: blank and comment
        # lines do not count (one C-level pass, no copy)
        pattern = _RECORD_LINE_B if newline == b"\n" else _RECORD_LINE
        lines = sum(1 for _ in pattern.finditer(text))
    if lines > max_rows + 1:
        raise DataError(
            f"the data have more than {max_rows:,} rows ({lines:,} lines); "
            f"the limit is {max_rows:,} rows. Use a sample of at most "
            f"{max_rows:,} rows."
        )
    return max(lines, 1)


def iter_parse_table(
    text: str | bytes,
    *,
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
    header: bool | None = None,
    chunk_rows: int = CHUNK_ROWS,
):
    """:func:`parse_table` in steps: a generator of progress fractions.

    Yields floats from 0 to 1 (the share of the text's lines read so far)
    after checking the size, after sniffing and after every ``chunk_rows``
    records; its return value (``StopIteration.value``, or ``yield from``'s
    value) is the :class:`Table`. A page resumes it a few steps per frame so
    that large data never freeze the browser. Same arguments and errors as
    :func:`parse_table`, which runs it to the end.

    Examples
    --------
    >>> steps = iter_parse_table("a b\\n1 2\\n3 4\\n5 6\\n", chunk_rows=2)
    >>> progress = []
    >>> while True:
    ...     try:
    ...         progress.append(next(steps))
    ...     except StopIteration as stop:
    ...         table = stop.value
    ...         break
    >>> progress[0], progress[-1], table.columns, len(table)
    (0.0, 1.0, ('a', 'b'), 3)
    """
    chunk_rows = max(int(chunk_rows), 1)
    notes: list[str] = []
    n_lines = check_size(text, max_bytes=max_bytes, max_rows=max_rows)
    yield 0.0
    if isinstance(text, memoryview):
        text = text.tobytes()
    text = _decode(text, notes)
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        text = text.replace("\x00", "")
    if not text or text.isspace():  # (strip() would copy megabytes)
        raise DataError(
            "the data are empty; paste or load a table with two numeric columns"
        )

    delimiter, decimal_comma = _sniff(text)
    yield 0.05
    records = []
    for record in _records(text, delimiter, max_rows + 2):
        records.append(record)
        if len(records) % chunk_rows == 0:
            yield min(0.05 + 0.8 * record[0] / n_lines, 0.85)
    if not records:
        raise DataError("the data have no rows (only blank or # comment lines)")
    has_header = (
        _looks_like_header(records, decimal_comma) if header is None else header
    )
    n_data = len(records) - has_header
    if n_data > max_rows:
        raise DataError(
            f"the data have more than {max_rows:,} rows; use a sample of at most "
            f"{max_rows:,} rows"
        )
    counts = [len(cells) for _, cells in records[int(has_header) :]] or [0]
    typical = max(set(counts), key=lambda m: (counts.count(m), m))
    yield 0.87
    width = max(len(records[0][1]) if has_header else 0, typical)
    # Spreadsheets export trailing empty columns ("1,2,"); drop them.
    while width > 1 and all(
        len(cells) < width or not cells[width - 1] for _, cells in records
    ):
        width -= 1
    if width < 2:
        raise DataError(
            "found only one column. Put x and y side by side on each line, "
            "separated by a comma, tab, semicolon or spaces (e.g. '1.5, 2.0')"
        )
    yield 0.9
    header_cells = records[0][1] if has_header else []
    columns = _unique_names(header_cells, width)
    start = int(has_header)
    n_body = len(records) - start
    if not n_body:
        raise DataError("the data have a header row but no data rows")
    ragged: list[int] = []
    rows = []
    numbers = []  # gathered here: one pass at the end would be a long step
    for i in range(1, n_body + 1):
        row, cells = records[start + i - 1]
        # freed as it is read: 200,000 records freed at the end take a step
        records[start + i - 1] = None
        numbers.append(row)
        if len(cells) > width:
            ragged.append(row)
            cells = cells[:width]
        rows.append(tuple(cells) + ("",) * (width - len(cells)))
        if i % chunk_rows == 0:
            yield 0.9 + 0.1 * i / n_body
    if ragged:
        notes.append(
            f"{_plural(len(ragged), 'row')} had more than {width} fields; the "
            f"extra fields were ignored ({_rows_list(ragged)})."
        )
    yield 1.0
    return Table(
        columns=columns,
        rows=tuple(rows),
        row_numbers=tuple(numbers),
        delimiter=delimiter,
        decimal_comma=decimal_comma,
        has_header=bool(has_header),
        notes=tuple(notes),
    )


def parse_table(
    text: str | bytes,
    *,
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
    header: bool | None = None,
) -> Table:
    """Parse delimited text into a :class:`Table` (see the module notes).

    Parameters
    ----------
    text : str or bytes
        File contents or pasted text. Bytes are decoded as UTF-8 (BOM
        allowed), falling back to Windows-1252.
    max_bytes : int, default :data:`MAX_BYTES` (10 MB)
        Larger input is refused before parsing.
    max_rows : int, default :data:`MAX_ROWS` (200,000)
        More data rows than this is refused (more than ``max_rows + 1``
        lines before parsing, see :func:`check_size`).
    header : bool, optional
        Force the first row to be (or not be) a header; sniffed by default.

    Returns
    -------
    Table

    Raises
    ------
    DataError
        Empty or too large input, too many rows, a single column, unreadable
        text. Nothing else is raised for any ``str`` or ``bytes`` input.
    """
    steps = iter_parse_table(
        text, max_bytes=max_bytes, max_rows=max_rows, header=header
    )
    return run_steps(steps)


def add_point(
    X: np.ndarray | None,
    labels: np.ndarray | None,
    x: float,
    y: float,
    label: int | None = None,
    *,
    max_points: int = 20_000,
) -> tuple[np.ndarray, np.ndarray | None]:
    """A copy of the data with one more point (e.g. from a canvas click).

    Parameters
    ----------
    X : ndarray of shape (n, 2), or None for no data yet
    labels : ndarray of shape (n,) of int, or None
    x, y : float
        Data coordinates of the new point (finite).
    label : int, optional
        Class code of the new point; required exactly when ``labels`` is not
        None (a non-negative int; a new code adds a class).
    max_points : int, default 20_000

    Returns
    -------
    X : ndarray of shape (n + 1, 2), float64
    labels : ndarray of shape (n + 1,), int64, or None

    Raises
    ------
    DataError
        Non-finite coordinates, a missing or unexpected label, too many points.
    """
    X = (
        np.empty((0, 2))
        if X is None
        else np.asarray(X, dtype=np.float64).reshape(-1, 2)
    )
    x, y = float(x), float(y)
    if not (math.isfinite(x) and math.isfinite(y)):
        raise DataError(f"the point ({x}, {y}) is not finite")
    if len(X) >= max_points:
        raise DataError(
            f"there are already {max_points:,} points; no more can be added"
        )
    new_X = np.vstack([X, [[x, y]]])
    if labels is None:
        if label is not None and len(X):
            raise DataError(
                "these data have no labels, so the new point cannot have one"
            )
        if label is None:
            return new_X, None
        labels = np.empty(0, dtype=np.int64)
    labels = np.asarray(labels, dtype=np.int64).reshape(-1)
    if len(labels) != len(X):
        raise ValueError(f"labels has {len(labels)} entries for {len(X)} points")
    if label is None:
        raise DataError("these data have labels; choose the class of the new point")
    if isinstance(label, bool) or int(label) != label or label < 0:
        raise DataError(f"the class code must be a non-negative integer, got {label!r}")
    return new_X, np.append(labels, np.int64(label))
