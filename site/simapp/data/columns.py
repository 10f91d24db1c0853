"""Which columns of a table are fitted: the choice and its link form.

A link's ``cols=`` names the columns EM fits: ``all`` (every numeric column)
or a comma list of column names or 1-based column numbers, in any order
(``cols=sepal_length,petal_length`` or ``cols=1,3``); a single column
(``cols=eruptions``) is fitted alone and drawn as a histogram. ``plot=`` says what the
scatter draws when more than two columns are fitted: ``pca`` (the first two
principal components, the default) or a pair of the fitted columns
(``plot=petal_length,petal_width``). Two fitted columns are drawn as they are.

Everything here is pure: :class:`ColumnChoice` is the part of the page
state, :func:`choice_from_query` / :func:`choice_query` its link form,
:func:`resolve` checks a choice against a table's columns (the message of the
``ValueError`` names the value and what is allowed) and :func:`numeric_of`
lists the columns a data source offers. Reading the chosen columns is
:func:`simapp.data.selection.select_columns`; the plane drawn is
:func:`simapp.data.projection.choose_projection`.

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

from collections.abc import Sequence
from dataclasses import dataclass

from simapp.data import datasets
from simapp.data.fitsize import MAX_FIT_COLUMNS
from simapp.text.quoting import MAX_VALUE_CHARS, names_list, quote_user_text

__all__ = [
    "ColumnChoice",
    "choice_from_query",
    "choice_query",
    "column_index",
    "numeric_of",
    "parse_cols",
    "parse_plot",
    "resolve",
    "split_items",
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


def split_items(text: str) -> list[str]:
    """Comma-separated items, stripped, blanks and repeats left out.

    >>> split_items(" b, a,,b ")
    ['b', 'a']
    """
    # a dict keeps the first of each in order, in linear time
    return list(dict.fromkeys(p for p in map(str.strip, str(text).split(",")) if p))


def _check_length(key: str, text: str) -> None:
    """Refuse a value too long to be a list of columns, before splitting it."""
    if len(text) > MAX_VALUE_CHARS:
        raise ValueError(
            f"{key}={quote_user_text(text)} is {len(text):,} characters long; "
            f"at most {MAX_VALUE_CHARS:,} are read"
        )


def parse_cols(text: str) -> str:
    """``cols=`` in its normal form (``""``, ``"all"`` or ``"a,b,..."``).

    Raises
    ------
    ValueError
        For text longer than :data:`~simapp.text.quoting.MAX_VALUE_CHARS`
        or a list of more than :data:`~simapp.data.fitsize.MAX_FIT_COLUMNS`.
        One column is fitted alone (drawn as a histogram).

    >>> parse_cols(" ALL "), parse_cols("a, b,,a"), parse_cols(" a "), parse_cols("")
    ('all', 'a,b', 'a', '')
    """
    text = str(text).strip()
    _check_length("cols", text)
    if text.lower() == "all":
        return "all"
    parts = split_items(text)
    if len(parts) > MAX_FIT_COLUMNS:
        raise ValueError(
            f"cols={quote_user_text(text)} names {len(parts):,} columns; the "
            f"page fits at most {MAX_FIT_COLUMNS} at once"
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
    _check_length("plot", text)
    if text.lower() == "pca":
        return "pca"
    parts = split_items(text)
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
        ``{key: [value, ...]}`` as :func:`urllib.parse.parse_qs` gives it
        (keys compared without case).
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
    from urllib.parse import quote  # not needed for the default link

    parts = []
    for key in ("cols", "plot"):
        value = getattr(choice, key)
        if value:
            parts.append(f"{key}={quote(value, safe=',')}")
    return parts


def column_index(item: str, columns: Sequence[str], what: str) -> int:
    """Index of a column given by name (exact, then any case) or 1-based number.

    Raises
    ------
    ValueError
        Naming ``what`` (the link value being read), the item and the columns.
    """
    if item in columns:
        return list(columns).index(item)
    folded = [c.lower() for c in columns]
    if item.lower() in folded:
        return folded.index(item.lower())
    if item.isascii() and item.isdigit() and 1 <= int(item) <= len(columns):
        return int(item) - 1
    raise ValueError(
        f"{what}: {quote_user_text(item)} is not a column; the columns are "
        f"{names_list(columns)} (or their numbers 1 to {len(columns)})"
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
        or no column at all.
    """
    columns = tuple(columns)
    shown = f"cols={quote_user_text(cols)}"
    numeric = frozenset(numeric)
    if cols == "all":
        picked = tuple(j for j, c in enumerate(columns) if c in numeric)
    else:
        picked = tuple(column_index(p, columns, shown) for p in split_items(cols))
        for j in picked:
            if columns[j] not in numeric:
                named = [c for c in columns if c in numeric]
                raise ValueError(
                    f"{shown}: column {columns[j]!r} does not hold numbers; "
                    f"the numeric columns are {names_list(named)}"
                )
        if len(set(picked)) != len(picked):
            raise ValueError(f"{shown} names a column twice")
    if not picked:
        raise ValueError(f"{shown}: no numeric column was found")
    return picked


def numeric_of(
    kind: str, *, dataset: str = "", table=None, label: str = ""
) -> tuple[str, ...]:
    """The numeric columns a data source could fit, without its class column.

    Parameters
    ----------
    kind : str
        The source's kind: ``"dataset"``, ``"upload"`` or ``"paste"`` (any
        other kind, simulated or clicked data, has no columns to choose).
    dataset : str
        The bundled dataset's name, for ``"dataset"``.
    table : simapp.data.table.Table or None
        The parsed upload or paste.
    label : str
        The table's chosen class column (``""``: none).

    >>> numeric_of("dataset", dataset="palmer_penguins")
    ('bill_length_mm', 'bill_depth_mm')
    >>> numeric_of("dataset", dataset="faithful")
    ('eruptions', 'waiting')
    >>> numeric_of("simulated")
    ()
    """
    if kind == "dataset" and dataset in datasets.DATASETS:  # not the gallery's
        parsed = datasets.table(dataset)
        # the class column is the last, when the dataset records classes
        has_labels = datasets.info(dataset).has_labels
        label = parsed.columns[-1] if has_labels else None
        return tuple(c for c in parsed.numeric_columns() if c != label)
    if kind in ("upload", "paste") and table is not None:
        return tuple(c for c in table.numeric_columns() if c != label)
    return ()
