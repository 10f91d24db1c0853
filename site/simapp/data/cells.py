"""Reading the cells of a table: numbers, missing markers, unusable text.

:func:`parse_number` reads one cell; :func:`column_values` reads a whole
column at once and gives each cell a status (:data:`CELL_OK`,
:data:`CELL_MISSING`, :data:`CELL_NOT_NUMBER`, :data:`CELL_NOT_FINITE`).
:class:`DataError` is the error every data problem a student can fix raises,
and :func:`rows_list` / :func:`plural` word the row numbers its messages name.

Examples
--------
>>> parse_number("1,5", decimal_comma=True), parse_number("NA")
(1.5, None)
>>> values, status = column_values(["1", "NA", "oops", "1e999"], False)
>>> values.tolist()[0], status.tolist()
(1.0, [0, 1, 2, 3])
"""

from __future__ import annotations

import math
import re

import numpy as np

from simapp.text.quoting import NUMBER_RE

__all__ = [
    "CELL_MISSING",
    "CELL_NOT_FINITE",
    "CELL_NOT_NUMBER",
    "CELL_OK",
    "COMMA_NUMBER_RE",
    "MISSING",
    "DataError",
    "bad_row_limit",
    "column_values",
    "parse_number",
    "plural",
    "rows_list",
]

#: Cell texts (compared case-insensitively, after stripping) meaning "no value".
MISSING = frozenset({"", "na", "n/a", "nan", "null", "none", "?", "-", ".", "#n/a"})

#: Status of a cell in :func:`column_values`, from usable to worst; a row's
#: status is the worst of its cells'.
CELL_OK, CELL_MISSING, CELL_NOT_NUMBER, CELL_NOT_FINITE = 0, 1, 2, 3

#: A number written with a decimal comma: ``1,5``, ``-2,25e3``.
COMMA_NUMBER_RE = re.compile(r"[+-]?[0-9]+,[0-9]+(?:[eE][+-]?[0-9]+)?")

_SHOW_ROWS = 5
_ALL_NUMBERS_RE = re.compile(
    rf"(?:{NUMBER_RE.pattern})(?:\x00(?:{NUMBER_RE.pattern}))*"
)
_NONFINITE = frozenset({"inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"})


class DataError(ValueError):
    """Data a student supplied cannot be used; the message says how to fix it."""


def rows_list(rows: list[int]) -> str:
    """``"row 3"`` or ``"rows 2, 3, 4, 5, 6 and 7 more"``."""
    shown = ", ".join(str(r) for r in rows[:_SHOW_ROWS])
    more = len(rows) - _SHOW_ROWS
    if more > 0:
        shown = f"{shown} and {more} more"
    return f"row {shown}" if len(rows) == 1 else f"rows {shown}"


def plural(n: int, word: str) -> str:
    """``"1 row"``, ``"2 rows"``."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def bad_row_limit(n_rows: int) -> int:
    """How many unusable rows a selection skips before giving up.

    At most 10 % of the data rows, and always at least 2.
    """
    return max(2, n_rows // 10)


def parse_number(cell: str, decimal_comma: bool = False) -> float | None:
    """The number written in ``cell``, or ``None`` if it is not a number.

    Accepts plain decimal and scientific notation (``-1.5``, ``.5``,
    ``2e-3``), with ``1,5`` meaning 1.5 when ``decimal_comma`` is true.
    ``inf``/``infinity`` give ``inf``; overflow (``1e999``) gives ``inf`` too.
    Missing markers (see :data:`MISSING`) and other text give ``None``.
    """
    s = cell.strip()
    if decimal_comma and "," in s and COMMA_NUMBER_RE.fullmatch(s):
        s = s.replace(",", ".", 1)
    if NUMBER_RE.fullmatch(s):
        return float(s)
    if s.lower() in _NONFINITE:
        return -math.inf if s.startswith("-") else math.inf
    return None


def column_values(
    cells: list[str], decimal_comma: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Values (NaN where unusable) and a status code per cell, vectorised.

    Cells that all look like plain numbers (the usual case) are converted by
    numpy in one call; the others go through :func:`parse_number`.

    Parameters
    ----------
    cells : list of str
        Stripped cell texts of one column (without NUL characters).
    decimal_comma : bool

    Returns
    -------
    values : ndarray of shape (n,), float64
    status : ndarray of shape (n,), int8
        One of the ``CELL_*`` codes per cell.
    """
    n = len(cells)
    if decimal_comma:
        cells = [
            c.replace(",", ".", 1) if COMMA_NUMBER_RE.fullmatch(c) else c for c in cells
        ]
    values = np.full(n, np.nan)
    status = np.full(n, CELL_OK, dtype=np.int8)
    # one regex pass over all cells (the reader drops NUL characters)
    fast = bool(n) and _ALL_NUMBERS_RE.fullmatch("\x00".join(cells)) is not None
    if fast:
        try:
            values[:] = np.array(cells, dtype=np.float64)
        except ValueError:  # pragma: no cover - a NUL inside a hand-built cell
            fast = False
    if not fast:
        _read_one_by_one(cells, values, status)
    with np.errstate(invalid="ignore"):
        overflow = (status == CELL_OK) & ~np.isfinite(values)
    status[overflow] = CELL_NOT_FINITE
    values[status != CELL_OK] = np.nan
    return values, status


def _read_one_by_one(cells: list[str], values: np.ndarray, status: np.ndarray):
    """Fill ``values`` and ``status`` for a column that is not all numbers."""
    match = NUMBER_RE.fullmatch
    n = len(cells)
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
            status[where] = CELL_MISSING
            continue
        v = parse_number(c)
        if v is None:
            status[where] = CELL_NOT_NUMBER
        else:
            values[where] = v
