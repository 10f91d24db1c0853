"""Untrusted text (URL values, table cells, names) shown inside a sentence.

One rule for the whole page: printable characters only, at most
:data:`QUOTE_CHARS` of them, in double quotes; plain numbers may be shown as
they are (:data:`NUMBER_RE`). Names shown as they are (column and class
names, file names) lose their bidirectional controls first
(:func:`strip_bidi`): a right-to-left override in a name would otherwise
reverse the sentence that follows it. :func:`quote_list` quotes a list of
such values, at most a few of them, and says how many more there are;
:func:`names_list` lists names the same way, unquoted.
"""

from __future__ import annotations

import re

__all__ = [
    "BIDI_CONTROLS",
    "MAX_VALUE_CHARS",
    "NUMBER_RE",
    "QUOTE_CHARS",
    "SHOWN_NAMES",
    "names_list",
    "quote_list",
    "quote_user_text",
    "strip_bidi",
]

#: Characters of untrusted text kept in a message; longer text ends in "…".
QUOTE_CHARS = 20
#: Longest untrusted value the page reads: a link's value, a list of columns
#: typed into a field. Longer ones are refused whole (with a note), before
#: any work on them.
MAX_VALUE_CHARS = 2_000
#: Values :func:`quote_list` quotes before it says how many more there are.
QUOTE_ITEMS = 3
#: Names :func:`names_list` lists before it says how many more there are.
SHOWN_NAMES = 10
#: A plain decimal number as people type it: ``3``, ``-0.5``, ``.5``, ``1e-4``.
NUMBER_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
#: The characters that change the direction of the text after them: the
#: Arabic letter mark, the left-to-right and right-to-left marks, the
#: embeddings and overrides (U+202A-U+202E) and the isolates (U+2066-U+2069).
BIDI_CONTROLS = (
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_BIDI = str.maketrans("", "", BIDI_CONTROLS)


def strip_bidi(text: object) -> str:
    """``text`` without its bidirectional controls (:data:`BIDI_CONTROLS`).

    >>> strip_bidi("abc\\u202edef")
    'abcdef'
    """
    return str(text).translate(_BIDI)


def quote_user_text(text: object, limit: int = QUOTE_CHARS) -> str:
    """Quote untrusted text for a note: printable, short, in double quotes.

    Parameters
    ----------
    text : object
        The raw value (converted with ``str``).
    limit : int, default 20
        Maximum number of characters kept; longer text ends in an ellipsis.

    Returns
    -------
    str
        Still plain text: insert it as a text node. Control characters,
        bidirectional ones included, become U+FFFD.

    Examples
    --------
    >>> quote_user_text("<script>")
    '"<script>"'
    >>> quote_user_text("a" * 30)
    '"aaaaaaaaaaaaaaaaaaaa…"'
    """
    s = str(text)
    cut = len(s) > limit
    s = "".join(c if c.isprintable() else "\ufffd" for c in s[:limit])
    return f'"{s}{"…" if cut else ""}"'


def quote_list(items, limit: int = QUOTE_ITEMS) -> str:
    """Up to ``limit`` values quoted, then how many more there are.

    Parameters
    ----------
    items : sequence
        Untrusted values (each quoted by :func:`quote_user_text`).
    limit : int, default 3

    Returns
    -------
    str

    Examples
    --------
    >>> quote_list(["a", "b"])
    '"a", "b"'
    >>> quote_list(["a", "b", "c", "d", "e"])
    '"a", "b", "c" and 2 more'
    """
    items = list(items)
    shown = ", ".join(quote_user_text(item) for item in items[:limit])
    more = len(items) - limit
    return f"{shown} and {more:,} more" if more > 0 else shown


def names_list(names) -> str:
    """Names (of columns, say) in a sentence: the first :data:`SHOWN_NAMES`,
    then how many more there are.

    >>> names_list(["a", "b"]), names_list([f"c{j}" for j in range(12)])[-17:]
    ('a, b', 'c8, c9 and 2 more')
    """
    names = list(names)
    shown = ", ".join(names[:SHOWN_NAMES])
    more = len(names) - SHOWN_NAMES
    return f"{shown} and {more:,} more" if more > 0 else shown
