"""Splitting text into records, and guessing how the table is written.

:func:`records` yields the non-blank, non-comment records of the text for a
delimiter; :func:`sniff` chooses the delimiter and whether commas are
decimal marks, :func:`looks_like_header` whether the first record names the
columns, and :func:`unique_names` makes the column names.

* **Delimiter** is sniffed from the first 50 records: tab, semicolon, comma or
  ``|``, else runs of whitespace. The candidate giving the most consistent
  field count wins; ties go to the one whose cells are more often numbers.
* **Decimal comma** (``1,5``) is accepted when the delimiter is ``;`` (the
  European spreadsheet export), and for tab/whitespace files when the sample
  has comma decimals and no dot decimals.
* **Header**: the first record is a header when one of its cells is not a
  number in a column whose other cells mostly are, or when all its cells are
  text and some later record has a number.

Examples
--------
>>> sniff("x;y\\n1,5;2\\n3;4,25\\n")
(';', True)
>>> found = list(records("a b\\n# note\\n1 2\\n", " "))
>>> found, looks_like_header(found, False)
([(1, ['a', 'b']), (3, ['1', '2'])], True)
"""

from __future__ import annotations

import csv
import io
import re

from simapp.data.cells import COMMA_NUMBER_RE, MISSING, DataError, parse_number
from simapp.text.quoting import strip_bidi

__all__ = [
    "RECORD_LINE",
    "RECORD_LINE_BYTES",
    "SNIFF_COLUMNS",
    "SNIFF_RECORDS",
    "looks_like_header",
    "records",
    "sniff",
    "unique_names",
]

#: Records read to sniff the delimiter and the header.
SNIFF_RECORDS = 50
#: Cells of a record the sniffing tests (a wide table's first columns tell
#: its delimiter and header as well as all of them, in a fraction of the time).
SNIFF_COLUMNS = 40
#: A line that can hold a record: not blank, not a ``#`` comment.
RECORD_LINE = re.compile(r"^[ \t]*[^\s#]", re.MULTILINE)
RECORD_LINE_BYTES = re.compile(rb"^[ \t]*[^\s#]", re.MULTILINE)

_SNIFF_LINES = 1000
_SNIFF_CHARS = 200_000
_CANDIDATES = ("\t", ";", ",", "|")
_DOT_DECIMAL_RE = re.compile(r"[+-]?[0-9]*\.[0-9]+(?:[eE][+-]?[0-9]+)?")
_WS_TOKEN_RE = re.compile(r'"((?:[^"]|"")*)"|(\S+)')
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


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


def records(text: str, delimiter: str, limit: int | None = None):
    """Yield (row number, stripped cells) of the non-blank, non-comment records.

    Rows are numbered like a spreadsheet numbers them: row 1 is the first
    line of the text, and a quoted field spanning several lines belongs to
    the row where it starts. ``delimiter`` ``" "`` means runs of whitespace.

    Raises
    ------
    DataError
        If the csv module cannot read the text (an unclosed quote).
    """
    source = _records_ws(text) if delimiter == " " else _records_csv(text, delimiter)
    count = 0
    for row, cells in source:
        if cells[0].startswith("#"):
            continue
        yield row, cells
        count += 1
        if limit is not None and count >= limit:
            return


def _numeric_fraction(sample, decimal_comma: bool) -> float:
    total = numeric = 0
    for _, cells in sample[1:] or sample:
        for c in cells[:SNIFF_COLUMNS]:
            if c.strip().lower() in MISSING:
                continue
            total += 1
            numeric += parse_number(c, decimal_comma) is not None
    return numeric / total if total else 0.0


def _sniff_sample(text: str) -> str:
    """The start of ``text`` the delimiter is sniffed from.

    Sniffing reads :data:`SNIFF_RECORDS` records per candidate; on large
    text, copying and splitting all of it for that costs a second in the
    browser. The first :data:`_SNIFF_LINES` lines hold those records unless
    most of them are blank or comments, and then the whole text is used.
    Lines of a wide table are long: the sample ends at the first line end
    after :data:`_SNIFF_CHARS` characters if it holds two records.
    """
    end = -1
    for _ in range(_SNIFF_LINES):
        end = text.find("\n", end + 1)
        if end < 0:
            return text
        if end >= _SNIFF_CHARS:
            break  # long lines: a wide table's first records say enough
    sample = text[: end + 1]
    enough = 4 * SNIFF_RECORDS if end < _SNIFF_CHARS else 2
    if sum(1 for _ in RECORD_LINE.finditer(sample)) < enough:
        return text
    return sample


def sniff(text: str) -> tuple[str, bool]:
    """Choose the delimiter and whether commas are decimal marks.

    Returns
    -------
    delimiter : str
        ``"\\t"``, ``";"``, ``","``, ``"|"``, or ``" "`` for whitespace.
    decimal_comma : bool
    """
    text = _sniff_sample(text)
    best_key, best = None, (" ", False)
    for delimiter in (*_CANDIDATES, " "):
        try:
            sample = list(records(text, delimiter, SNIFF_RECORDS))
        except DataError:
            continue
        if not sample:
            continue
        counts = [len(cells) for _, cells in sample]
        mode = max(set(counts), key=lambda m: (counts.count(m), m))
        if mode < 2:
            continue
        consistency = counts.count(mode) / len(counts)
        decimal_comma = delimiter == ";" or (
            delimiter in ("\t", " ") and _comma_decimals(sample)
        )
        key = (round(consistency, 2), _numeric_fraction(sample, decimal_comma), mode)
        if best_key is None or key > best_key:
            best_key, best = key, (delimiter, decimal_comma)
    return best


def _comma_decimals(sample) -> bool:
    cells = [c.strip() for _, row in sample for c in row[:SNIFF_COLUMNS]]
    return any(COMMA_NUMBER_RE.fullmatch(c) for c in cells) and not any(
        _DOT_DECIMAL_RE.fullmatch(c) for c in cells
    )


def looks_like_header(sample, decimal_comma: bool) -> bool:
    """Whether the first of the ``(row, cells)`` records names the columns."""
    first = sample[0][1]
    rest = sample[1:]
    if not rest:
        return any(
            parse_number(c, decimal_comma) is None and c.lower() not in MISSING
            for c in first
        )
    for j, cell in enumerate(first[:SNIFF_COLUMNS]):
        if parse_number(cell, decimal_comma) is not None:
            continue
        below = [cells[j] for _, cells in rest[:SNIFF_RECORDS] if j < len(cells)]
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
        for _, cells in rest[:SNIFF_RECORDS]
        for c in cells
    )
    return all_text and later_number


def unique_names(raw: list[str], width: int) -> tuple[str, ...]:
    """``width`` distinct column names from the header cells ``raw``.

    Bidirectional controls go (:func:`simapp.text.quoting.strip_bidi`),
    other control characters become spaces and names are cut at 60
    characters; a missing name is ``column j``, a repeated one gets
    `` (2)``, `` (3)``...

    >>> unique_names(["x", "x", ""], 4)
    ('x', 'x (2)', 'column 3', 'column 4')
    """
    names: list[str] = []
    seen: set[str] = set()
    for j in range(width):
        base = raw[j].strip() if j < len(raw) else ""
        base = _CONTROL_RE.sub(" ", strip_bidi(base))[:60] or f"column {j + 1}"
        name, n = base, 2
        while name in seen:
            name, n = f"{base} ({n})", n + 1
        seen.add(name)
        names.append(name)
    return tuple(names)
