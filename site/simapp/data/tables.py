"""Read the user's own data: parse pasted or uploaded text into a table.

:func:`parse_table` turns CSV, TSV, semicolon- or whitespace-separated text
into a :class:`~simapp.data.table.Table` of cell strings, whose
:meth:`~simapp.data.table.Table.select` picks an x and a y column (and
optionally a label column) and returns float64 points.
:func:`iter_parse_table` does the same work in steps, so that a page can read
200,000 rows a slice per frame, and :func:`check_size` refuses too large text
before any of it. Every problem a student can fix is reported as a
:class:`~simapp.data.cells.DataError` (a ``ValueError``) whose message names
the row and column; nothing else escapes :func:`parse_table` for any input
text.

Conventions
-----------
* **Rows** are numbered like a spreadsheet or a text editor numbers lines:
  row 1 is the first line of the text (usually the header). A quoted field
  spanning several lines belongs to the row where it starts.
* **Delimiter, decimal comma and header** are sniffed from the first records
  (:mod:`simapp.data.sniffing`); columns without a header are named
  ``column 1``, ``column 2``, ... Pass ``header=True/False`` to override.
* **Missing values** (empty, ``NA``, ``N/A``, ``NaN``, ``null``, ``None``,
  ``?``, ``-``, ``.``) drop the row with a note. **Bad values** (text that is
  not a number, ``inf``, overflow such as ``1e999``) drop the row with a note
  listing the first few row numbers, up to
  :func:`simapp.data.cells.bad_row_limit` rows; more than that is an error
  quoting the first bad cell.
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

from emcore.kernels.rowblocks import run_steps
from simapp.data.cells import DataError, plural, rows_list
from simapp.data.sniffing import (
    RECORD_LINE,
    RECORD_LINE_BYTES,
    looks_like_header,
    records,
    sniff,
    unique_names,
)
from simapp.data.table import Table

# DataError and Table are what the reader raises and returns: callers name
# them through this module.
__all__ = [
    "CHUNK_CELLS",
    "CHUNK_ROWS",
    "MAX_BYTES",
    "MAX_ROWS",
    "DataError",
    "Table",
    "check_size",
    "iter_parse_table",
    "parse_table",
]

#: Largest text (UTF-8 bytes) and most data rows :func:`parse_table` accepts.
MAX_BYTES = 10_000_000
MAX_ROWS = 200_000

#: Records parsed between two progress reports of :func:`iter_parse_table`.
CHUNK_ROWS = 10_000
#: Most cells parsed between two progress reports: fewer records of a wide
#: table (300 records of 1,000 cells are one long step otherwise).
CHUNK_CELLS = 40_000


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
    simapp.data.cells.DataError: the data have more than 10 rows (12 lines); ...
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
        pattern = RECORD_LINE_BYTES if newline == b"\n" else RECORD_LINE
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
    value) is the :class:`~simapp.data.table.Table`. A page resumes it a few
    steps per frame so that large data never freeze the browser. Same
    arguments and errors as :func:`parse_table`, which runs it to the end.

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
    text = _plain_text(text, notes)
    delimiter, decimal_comma = sniff(text)
    yield 0.05
    found = []
    cells = 0
    for record in records(text, delimiter, max_rows + 2):
        found.append(record)
        cells += len(record[1])
        if len(found) % chunk_rows == 0 or cells >= CHUNK_CELLS:
            cells = 0
            yield min(0.05 + 0.8 * record[0] / n_lines, 0.85)
    if not found:
        raise DataError("the data have no rows (only blank or # comment lines)")
    has_header = looks_like_header(found, decimal_comma) if header is None else header
    if len(found) - has_header > max_rows:
        raise DataError(
            f"the data have more than {max_rows:,} rows; use a sample of at most "
            f"{max_rows:,} rows"
        )
    typical = _typical_width(found[int(has_header) :])
    yield 0.87
    width = _width(found, has_header, typical)
    yield 0.9
    columns = unique_names(found[0][1] if has_header else [], width)
    if len(found) == int(has_header):
        raise DataError("the data have a header row but no data rows")
    rows, numbers, ragged = yield from _padded_rows(
        found, int(has_header), width, max(min(chunk_rows, CHUNK_CELLS // width), 1)
    )
    if ragged:
        notes.append(
            f"{plural(len(ragged), 'row')} had more than {width} fields; the "
            f"extra fields were ignored ({rows_list(ragged)})."
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


def _decode(data: str | bytes, notes: list[str]) -> str:
    if isinstance(data, str):
        return data
    try:
        return bytes(data).decode("utf-8-sig")
    except UnicodeDecodeError:
        notes.append("The file is not UTF-8; it was read as Windows-1252 text.")
        return bytes(data).decode("cp1252", errors="replace")


def _plain_text(text: str | bytes, notes: list[str]) -> str:
    """The text without byte-order mark and NUL characters; refuses blank text."""
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
    return text


def _typical_width(body) -> int:
    """The most common number of fields of the data records (the larger on a tie)."""
    counts = [len(cells) for _, cells in body] or [0]
    return max(set(counts), key=lambda m: (counts.count(m), m))


def _width(found, has_header: bool, typical: int) -> int:
    """Number of columns: the header's or the typical record's, trailing
    empty columns dropped; fewer than two is an error."""
    width = max(len(found[0][1]) if has_header else 0, typical)
    # Spreadsheets export trailing empty columns ("1,2,"); drop them.
    while width > 1 and all(
        len(cells) < width or not cells[width - 1] for _, cells in found
    ):
        width -= 1
    if width < 2:
        raise DataError(
            "found only one column. Put x and y side by side on each line, "
            "separated by a comma, tab, semicolon or spaces (e.g. '1.5, 2.0')"
        )
    return width


def _padded_rows(found: list, start: int, width: int, chunk_rows: int):
    """The data records cut or padded to ``width`` cells, in steps.

    Yields progress from 0.9 to 1 every ``chunk_rows`` records and returns
    ``(rows, row numbers, numbers of the rows that had extra fields)``.
    """
    n_body = len(found) - start
    ragged: list[int] = []
    rows = []
    numbers = []  # gathered here: one pass at the end would be a long step
    for i in range(1, n_body + 1):
        row, cells = found[start + i - 1]
        # freed as it is read: 200,000 records freed at the end take a step
        found[start + i - 1] = None
        numbers.append(row)
        if len(cells) > width:
            ragged.append(row)
            cells = cells[:width]
        rows.append(tuple(cells) + ("",) * (width - len(cells)))
        if i % chunk_rows == 0:
            yield 0.9 + 0.1 * i / n_body
    return rows, numbers, ragged


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
