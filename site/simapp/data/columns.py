"""Which columns of a table are fitted, and which plane the scatter shows.

A link's ``cols=`` names the columns EM fits: ``all`` (every numeric column)
or a comma list of column names or 1-based column numbers, in any order
(``cols=sepal_length,petal_length`` or ``cols=1,3``). ``plot=`` says what the
scatter draws when more than two columns are fitted: ``pca`` (the first two
principal components, the default) or a pair of the fitted columns
(``plot=petal_length,petal_width``). Two fitted columns are drawn as they are.

Everything here is pure: :class:`ColumnChoice` is the part of the page
state, :func:`choice_from_query` / :func:`choice_query` its link form,
:func:`resolve` checks a choice against a table's columns (the message of the
``ValueError`` names the value and what is allowed), :func:`select_columns`
reads the chosen columns of a :class:`simapp.data.tables.Table`, and
:func:`projection` builds the :class:`simapp.data.projection.Projection` the
scatter draws through.

Examples
--------
>>> choice, notes = choice_from_query({"cols": ["all"], "plot": ["pca"]})
>>> choice, choice_query(choice)
(ColumnChoice(cols='all', plot='pca'), ['cols=all', 'plot=pca'])
>>> names = ("sepal_length", "sepal_width", "petal_length", "species")
>>> numeric = names[:3]
>>> resolve("all", names, numeric), resolve("3,sepal_length", names, numeric)
((0, 1, 2), (2, 0))
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

import numpy as np

from simapp.data import tables as dataio
from simapp.data.projection import Projection
from simapp.text.quoting import quote_user_text

__all__ = [
    "ColumnChoice",
    "choice_from_query",
    "choice_query",
    "numeric_of",
    "parse_cols",
    "parse_plot",
    "plot_options",
    "projection",
    "resolve",
    "select_columns",
]


@dataclass(frozen=True)
class ColumnChoice:
    """The fitted columns and the drawn plane, as the link spells them.

    Attributes
    ----------
    cols : str
        ``""`` (the data's default two columns), ``"all"`` or a comma list
        of column names / 1-based numbers, normalised by :func:`parse_cols`.
    plot : str
        ``""`` (principal components when more than two columns are
        fitted), ``"pca"`` or two of the fitted columns, comma-separated.
    """

    cols: str = ""
    plot: str = ""


def _parts(text: str) -> list[str]:
    """Comma-separated items, stripped, blanks and repeats left out."""
    out: list[str] = []
    for part in str(text).split(","):
        part = part.strip()
        if part and part not in out:
            out.append(part)
    return out


def parse_cols(text: str) -> str:
    """``cols=`` in its normal form (``""``, ``"all"`` or ``"a,b,..."``).

    Raises
    ------
    ValueError
        For a list of a single column (at least two are fitted).

    >>> parse_cols(" ALL "), parse_cols("a, b,,a"), parse_cols("")
    ('all', 'a,b', '')
    """
    text = str(text).strip()
    if text.lower() == "all":
        return "all"
    parts = _parts(text)
    if len(parts) == 1:
        raise ValueError(
            f"cols={quote_user_text(text)} names one column; name at least two "
            "(comma-separated names or 1-based numbers) or all"
        )
    return ",".join(parts)


def parse_plot(text: str) -> str:
    """``plot=`` in its normal form (``""``, ``"pca"`` or ``"a,b"``).

    Raises
    ------
    ValueError
        Unless the text is empty, ``pca`` or exactly two different columns.

    >>> parse_plot("PCA"), parse_plot("petal_length, petal_width")
    ('pca', 'petal_length,petal_width')
    """
    text = str(text).strip()
    if text.lower() == "pca":
        return "pca"
    parts = _parts(text)
    if not text:
        return ""
    if len(parts) != 2:
        raise ValueError(
            f"plot={quote_user_text(text)} is not pca or two different columns "
            "(comma-separated names or 1-based numbers)"
        )
    return ",".join(parts)


def choice_from_query(raw: dict) -> tuple[ColumnChoice, list[str]]:
    """The :class:`ColumnChoice` of a parsed link, and notes on bad values.

    Parameters
    ----------
    raw : dict
        ``{key: [value, ...]}`` as :func:`simapp.state.settings.parse_query_string`
        gives it (keys compared without case).
    """
    lowered = {str(k).strip().lower(): v for k, v in raw.items()}
    notes: list[str] = []
    values = {}
    for key, parse in (("cols", parse_cols), ("plot", parse_plot)):
        if key not in lowered:
            continue
        try:
            values[key] = parse(str(lowered[key][0]))
        except ValueError as exc:
            notes.append(f"{exc}; using the default")
    return ColumnChoice(**values), notes


def choice_query(choice: ColumnChoice) -> list[str]:
    """``key=value`` parts of the link for ``choice`` (none at the default)."""
    parts = []
    for key in ("cols", "plot"):
        value = getattr(choice, key)
        if value:
            parts.append(f"{key}={quote(value, safe=',')}")
    return parts


def _column_index(item: str, columns: Sequence[str], what: str) -> int:
    """Index of a column given by name (exact, then any case) or 1-based number."""
    if item in columns:
        return list(columns).index(item)
    folded = [c.lower() for c in columns]
    if item.lower() in folded:
        return folded.index(item.lower())
    if item.isascii() and item.isdigit() and 1 <= int(item) <= len(columns):
        return int(item) - 1
    names = ", ".join(columns)
    raise ValueError(
        f"{what}: {quote_user_text(item)} is not a column; the columns are "
        f"{names} (or their numbers 1 to {len(columns)})"
    )


def resolve(
    cols: str, columns: Sequence[str], numeric: Sequence[str]
) -> tuple[int, ...]:
    """0-based indices into ``columns`` of the columns ``cols`` fits.

    Parameters
    ----------
    cols : str
        A normal-form ``cols=`` value other than ``""``.
    columns : sequence of str
        Every column of the table, in order.
    numeric : sequence of str
        The columns holding numbers (:meth:`simapp.data.tables.Table.numeric_columns`).

    Raises
    ------
    ValueError
        A name or number that is not a column, a column that is not numeric,
        or fewer than two columns.
    """
    columns = tuple(columns)
    if cols == "all":
        picked = tuple(j for j, c in enumerate(columns) if c in numeric)
    else:
        picked = tuple(_column_index(p, columns, f"cols={cols}") for p in _parts(cols))
        for j in picked:
            if columns[j] not in numeric:
                raise ValueError(
                    f"cols={cols}: column {columns[j]!r} does not hold numbers; "
                    f"the numeric columns are {', '.join(numeric)}"
                )
        if len(set(picked)) != len(picked):
            raise ValueError(f"cols={cols} names a column twice")
    if len(picked) < 2:
        raise ValueError(
            f"cols={cols}: at least two numeric columns are needed; found "
            f"{len(picked)} ({', '.join(columns[j] for j in picked) or 'none'})"
        )
    return picked


def select_columns(
    table,
    columns: Sequence[int],
    label_col: int | None = None,
    *,
    n_components: int | None = None,
) -> dataio.Selection:
    """The chosen columns of ``table`` as points (n, d), rows with a gap left out.

    Two columns go through :meth:`simapp.data.tables.Table.select` unchanged.
    With more, a row is kept when every chosen cell is a finite number (and
    its label, if any, is present); at most
    :func:`simapp.data.tables.bad_row_limit` rows may hold text that is not a
    number.

    Parameters
    ----------
    table : simapp.data.tables.Table
    columns : sequence of int
        0-based column indices, at least two, all different.
    label_col : int, optional
        Column of true classes.
    n_components : int, optional
        At least this many points are required.

    Raises
    ------
    simapp.data.tables.DataError
        Too many bad rows, or too few points.
    """
    columns = [int(j) for j in columns]
    if len(columns) == 2:
        first, second = columns
        return table.select(first, second, label_col, n_components=n_components)
    names = [table.columns[j] for j in columns]
    kept: list[list[float]] = []
    kept_rows: list[int] = []
    bad: list[tuple[int, str]] = []
    missing: list[int] = []
    for i, row in enumerate(table.rows):
        values, problem, gap = [], "", False
        for j, name in zip(columns, names, strict=True):
            cell = row[j]
            if cell.lower() in dataio.MISSING:
                gap = True
                continue
            v = dataio.parse_number(cell, table.decimal_comma)
            if v is None or not math.isfinite(v):
                problem = problem or f"{cell[:24]!r} in column {name!r} is not a number"
                continue
            values.append(v)
        if label_col is not None and row[label_col].lower() in dataio.MISSING:
            gap = True
        number = table.row_numbers[i]
        if problem:
            bad.append((number, f"row {number}: {problem}"))
        elif gap:
            missing.append(number)
        else:
            kept.append(values)
            kept_rows.append(i)
    limit = dataio.bad_row_limit(len(table.rows))
    if len(bad) > limit:
        raise dataio.DataError(
            f"{bad[0][1]}. {len(bad)} of {len(table.rows)} rows have values that "
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
    need = max(dataio.MIN_POINTS, int(n_components or 0))
    if len(kept) < need:
        raise dataio.DataError(
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
        label_names = tuple(codes)
    return dataio.Selection(X, labels, label_names, notes)


def projection(
    plot: str, X, names: Sequence[str], titles: Sequence[str] = ()
) -> tuple[Projection | None, str]:
    """What the scatter draws for fitted data ``X`` (n, d) named ``names``.

    ``plot`` names columns as ``names`` does; the axes are titled with
    ``titles`` (default: the names).

    Returns
    -------
    projection : Projection or None
        ``None`` for two columns drawn as they are (the page's usual chart).
    note : str
        Why ``plot`` was not followed (``""`` if it was).
    """
    X = np.asarray(X, dtype=np.float64)
    d = X.shape[1]
    names = tuple(names) or tuple(f"column {j + 1}" for j in range(d))
    if plot in ("", "pca"):
        if d == 2 and plot == "":
            return None, ""
        return Projection.principal(X), ""
    try:
        first, second = (_column_index(p, names, f"plot={plot}") for p in _parts(plot))
        if first == second:
            raise ValueError(f"plot={plot} names the same column twice")
    except ValueError as exc:
        fallback = None if d == 2 else Projection.principal(X)
        return fallback, f"{exc}; showing the default"
    if d == 2 and (first, second) == (0, 1):
        return None, ""
    return Projection.pair(d, first, second, tuple(titles) or names), ""


def plot_options(names: Sequence[str], titles: Sequence[str] = ()) -> list:
    """``(value, text)`` choices of the plane control for fitted ``names``.

    >>> [v for v, _ in plot_options(("a", "b", "c"))]
    ['', 'pca', 'a,b', 'a,c', 'b,c']
    """
    titles = tuple(titles) or tuple(names)
    options = [
        ("", "Default (principal components beyond two columns)"),
        ("pca", "First two principal components"),
    ]
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            options.append((f"{names[i]},{names[j]}", f"{titles[i]} by {titles[j]}"))
    return options


def numeric_of(source) -> tuple[str, ...]:
    """The numeric columns the page's data source could fit (its table's,
    without a chosen class column); empty for simulated or clicked data."""
    from simapp.data import datasets  # datasets imports this module

    if source.kind == "dataset" and source.dataset:
        table = datasets.table(source.dataset)
        return tuple(c for c in table.numeric_columns() if c != table.columns[-1])
    if source.kind in ("upload", "paste") and source.table is not None:
        label = source.columns[2]
        return tuple(c for c in source.table.numeric_columns() if c != label)
    return ()
