"""Points chosen from a table: the fitted columns as float64, the class labels.

:func:`pair_steps` reads an x and a y column (and optionally a label column)
a part at a time, for :meth:`simapp.data.table.Table.iter_select`;
:func:`select_columns` reads any number of columns. Both keep a row only
when every chosen cell is a finite number (and its label, if any, is
present), skip at most :func:`simapp.data.cells.bad_row_limit` rows of text
that is not a number, and say what they skipped in the notes.

Examples
--------
>>> from simapp.data.tables import parse_table
>>> table = parse_table("a,b,c,kind\\n1,2,3,x\\n4,5,6,y\\n7,8,9,x\\n")
>>> sel = select_columns(table, [0, 1, 2], 3)
>>> sel.X.shape, sel.labels.tolist(), sel.label_names
((3, 3), [0, 1, 0], ('x', 'y'))
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from operator import itemgetter
from typing import NamedTuple

import numpy as np

from emcore.diagnostics import count_distinct_rows
from simapp.data.cells import (
    CELL_MISSING,
    CELL_NOT_NUMBER,
    CELL_OK,
    MISSING,
    DataError,
    bad_row_limit,
    parse_number,
    plural,
    rows_list,
)
from simapp.text.quoting import quote_user_text, strip_bidi

__all__ = ["MIN_POINTS", "Selection", "pair_steps", "select_columns"]

#: Minimum number of points a selection accepts.
MIN_POINTS = 3


class Selection(NamedTuple):
    """Points chosen from a table (unpacks as a 4-tuple).

    Attributes
    ----------
    X : ndarray of shape (n, d), float64
        Finite coordinates of the kept rows, in file order (d = 2 for an x
        and a y column).
    labels : ndarray of shape (n,), int64, or None
        Class codes 0, 1, ... in order of first appearance; ``None`` without
        a label column.
    label_names : tuple of str
        ``label_names[code]`` is the text of class ``code`` (empty without
        labels), without bidirectional controls (they would turn the
        sentence a name is shown in around).
    notes : list of str
        Things the student should know (rows dropped, duplicates, ...).
    """

    X: np.ndarray
    labels: np.ndarray | None
    label_names: tuple[str, ...]
    notes: list[str]


# --- an x and a y column ------------------------------------------------------


def pair_steps(table, jx: int, jy: int, jl: int | None, n_components, min_points):
    """Select columns ``jx``, ``jy`` (labels from ``jl``) of ``table``.

    A generator: yields ``None`` between its parts (a page reads 200,000
    rows a slice per frame) and returns the :class:`Selection`.

    Parameters
    ----------
    table : simapp.data.table.Table
    jx, jy : int
        0-based columns of the coordinates.
    jl : int or None
        0-based column of the true classes.
    n_components : int or None
        At least this many points are required.
    min_points : int

    Raises
    ------
    DataError
        Identical columns, too many bad rows, too few points.
    """
    _check_roles(table.columns, jx, jy, jl)
    xname, yname = table.columns[jx], table.columns[jy]
    vx, sx = table.column_values(jx)
    vy, sy = table.column_values(jy)
    status = np.maximum(sx, sy)
    label_cells: list[str] = []
    classes: dict[str, None] = {}
    if jl is not None:
        label_cells = list(map(itemgetter(jl), table.rows))
        yield
        # test each distinct class text once, not every row
        classes = dict.fromkeys(label_cells)
        status = _without_labels(status, label_cells, classes)
        yield
    bad = _bad_cells(table, status, ((jx, xname, sx), (jy, yname, sy)))
    missing = [table.row_numbers[i] for i in np.flatnonzero(status == CELL_MISSING)]
    keep = status == CELL_OK
    X = np.column_stack([vx[keep], vy[keep]])
    notes = _skipped_notes(bad, missing, len(table.rows), jl is not None)
    _check_enough(len(X), n_components, min_points, xname, yname)
    yield
    notes += _repeat_notes(X)
    labels = None
    names: tuple[str, ...] = ()
    if jl is not None:
        yield
        labels, names = _label_codes(label_cells, classes, keep)
        notes += _label_notes(table.columns[jl], len(names), len(X))
    return Selection(X, labels, names, notes)


def _check_roles(columns, jx: int, jy: int, jl: int | None) -> None:
    if jx == jy:
        raise DataError(
            f"x and y are both column {columns[jx]!r}; choose two different columns"
        )
    if jl is not None and jl in (jx, jy):
        raise DataError(
            f"column {columns[jl]!r} cannot be both a coordinate and the label"
        )


def _without_labels(status: np.ndarray, label_cells, classes) -> np.ndarray:
    """``status`` with usable rows whose class is missing marked missing."""
    absent = {c for c in classes if c.lower() in MISSING}
    no_label = np.zeros(len(label_cells), dtype=bool)
    if absent:
        no_label[:] = [c in absent for c in label_cells]
    return np.where((status == CELL_OK) & no_label, CELL_MISSING, status)


def _bad_cells(table, status: np.ndarray, columns) -> list[tuple[int, str]]:
    """``(row, message)`` of each row with text that is not a finite number.

    ``columns`` holds ``(index, name, statuses)`` of the coordinates; the
    message quotes the row's first bad cell.
    """
    bad: list[tuple[int, str]] = []
    for i in np.flatnonzero(status >= CELL_NOT_NUMBER).tolist():
        row = table.row_numbers[i]
        for j, name, cell_status in columns:
            st = cell_status[i]
            if st >= CELL_NOT_NUMBER:
                what = "a number" if st == CELL_NOT_NUMBER else "a finite number"
                cell = quote_user_text(table.rows[i][j])
                bad.append((row, f"row {row}: {cell} in column {name!r} is not {what}"))
                break
    return bad


def _skipped_notes(bad, missing: list[int], n_rows: int, labelled: bool) -> list:
    """Notes on the rows left out; too many bad rows is an error."""
    notes: list[str] = []
    limit = bad_row_limit(n_rows)
    bad_rows = [r for r, _ in bad]
    if len(bad) > limit:
        raise DataError(
            f"{bad[0][1]}. {len(bad)} of {n_rows} rows have values "
            f"that are not numbers ({rows_list(bad_rows)}); "
            f"at most {limit} can be skipped. Check that you chose the right "
            "columns and that the file uses one delimiter throughout."
        )
    if bad:
        notes.append(
            f"Skipped {plural(len(bad), 'row')} with values that are not "
            f"numbers: {rows_list(bad_rows)} (first: {bad[0][1]})."
        )
    if missing:
        what = "x, y or label" if labelled else "x or y"
        notes.append(
            f"Skipped {plural(len(missing), 'row')} with a missing "
            f"{what} value: {rows_list(missing)}."
        )
    return notes


def _check_enough(n_points: int, n_components, min_points, xname, yname) -> None:
    need = max(int(min_points), int(n_components or 0), 1)
    if n_points < need:
        why = (
            f"at least {need} are needed to fit {n_components} components"
            if n_components and n_components >= min_points
            else f"at least {need} are needed"
        )
        raise DataError(
            f"only {plural(n_points, 'usable point')} in columns {xname!r} "
            f"and {yname!r}; {why}"
        )


def _repeat_notes(X: np.ndarray) -> list[str]:
    n_points = len(X)
    n_unique = int(count_distinct_rows(X)[0])
    if n_unique == 1:
        return [
            f"All {n_points} points are identical; the mixture cannot "
            "separate them and every covariance will collapse to the ridge."
        ]
    if n_unique < n_points:
        return [
            f"{plural(n_points - n_unique, 'point')} repeat an earlier "
            "point exactly (allowed; they are drawn on top of each other)."
        ]
    return []


def _label_codes(label_cells: list[str], classes, keep: np.ndarray):
    """Class codes of the kept rows, in order of first appearance, and names."""
    if keep.all():  # the common case: no copy, the classes known
        kept = label_cells
    else:
        kept = [label_cells[i] for i in np.flatnonzero(keep).tolist()]
        classes = dict.fromkeys(kept)
    # the coding runs in C
    codes = {name: code for code, name in enumerate(classes)}
    labels = np.fromiter(map(codes.__getitem__, kept), dtype=np.int64, count=len(kept))
    return labels, tuple(map(strip_bidi, codes))


def _label_notes(name: str, n_classes: int, n_points: int) -> list[str]:
    if n_classes == 1:
        return [f"Column {name!r} has a single class; the ARI is not informative."]
    if n_classes > max(20, n_points // 2):
        return [
            f"Column {name!r} has {n_classes} different values for "
            f"{n_points} points; it does not look like a class label."
        ]
    return []


# --- any number of columns ------------------------------------------------------


def select_columns(
    table,
    columns: Sequence[int],
    label_col: int | None = None,
    *,
    n_components: int | None = None,
) -> Selection:
    """The chosen columns of ``table`` as points (n, d), rows with a gap left out.

    Two columns go through :meth:`simapp.data.table.Table.select` unchanged.
    With more, a row is kept when every chosen cell is a finite number (and
    its label, if any, is present); at most
    :func:`simapp.data.cells.bad_row_limit` rows may hold text that is not a
    number.

    Parameters
    ----------
    table : simapp.data.table.Table
    columns : sequence of int
        0-based column indices, at least two, all different.
    label_col : int, optional
        Column of true classes.
    n_components : int, optional
        At least this many points are required.

    Raises
    ------
    DataError
        Too many bad rows, or too few points.
    """
    columns = [int(j) for j in columns]
    if len(columns) == 2:
        first, second = columns
        return table.select(first, second, label_col, n_components=n_components)
    names = [table.columns[j] for j in columns]
    kept, kept_rows, bad, missing = _read_rows(table, columns, names, label_col)
    notes = _gap_notes(bad, missing, len(table.rows))
    need = max(MIN_POINTS, int(n_components or 0))
    if len(kept) < need:
        raise DataError(
            f"only {len(kept)} usable points in columns {', '.join(names)}; at "
            f"least {need} are needed"
        )
    X = np.array(kept, dtype=np.float64)
    labels, label_names = None, ()
    if label_col is not None:
        codes: dict[str, int] = {}
        labels = np.array(
            [codes.setdefault(table.rows[i][label_col], len(codes)) for i in kept_rows],
            dtype=np.int64,
        )
        label_names = tuple(map(strip_bidi, codes))
    return Selection(X, labels, label_names, notes)


def _read_rows(table, columns: list[int], names: list[str], label_col: int | None):
    """Values of the usable rows, their indices, the bad and the gappy rows."""
    kept: list[list[float]] = []
    kept_rows: list[int] = []
    bad: list[tuple[int, str]] = []
    missing: list[int] = []
    for i, row in enumerate(table.rows):
        values, problem, gap = [], "", False
        for j, name in zip(columns, names, strict=True):
            cell = row[j]
            if cell.lower() in MISSING:
                gap = True
                continue
            v = parse_number(cell, table.decimal_comma)
            if v is None or not math.isfinite(v):
                problem = (
                    problem
                    or f"{quote_user_text(cell)} in column {name!r} is not a number"
                )
                continue
            values.append(v)
        if label_col is not None and row[label_col].lower() in MISSING:
            gap = True
        number = table.row_numbers[i]
        if problem:
            bad.append((number, f"row {number}: {problem}"))
        elif gap:
            missing.append(number)
        else:
            kept.append(values)
            kept_rows.append(i)
    return kept, kept_rows, bad, missing


def _gap_notes(bad, missing: list[int], n_rows: int) -> list[str]:
    """Notes on the rows left out; too many bad rows is an error."""
    limit = bad_row_limit(n_rows)
    if len(bad) > limit:
        raise DataError(
            f"{bad[0][1]}. {len(bad)} of {n_rows} rows have values that "
            f"are not numbers; at most {limit} can be skipped. Check the columns "
            "chosen."
        )
    notes = []
    if bad:
        shown = ", ".join(str(r) for r, _ in bad[:5])
        notes.append(
            f"Skipped {len(bad)} row(s) with values that are not numbers: "
            f"{shown} (first: {bad[0][1]})."
        )
    if missing:
        shown = ", ".join(str(r) for r in missing[:5])
        notes.append(f"Skipped {len(missing)} row(s) with a missing value: {shown}.")
    return notes
