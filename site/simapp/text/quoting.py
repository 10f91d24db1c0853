"""Untrusted text (URL values, table cells, names) shown inside a sentence.

One rule for the whole page: printable characters only, at most
:data:`QUOTE_CHARS` of them, in double quotes; plain numbers may be shown as
they are (:data:`NUMBER_RE`).
"""

from __future__ import annotations

import re

__all__ = ["NUMBER_RE", "QUOTE_CHARS", "quote_user_text"]

#: Characters of untrusted text kept in a message; longer text ends in "…".
QUOTE_CHARS = 20
#: A plain decimal number as people type it: ``3``, ``-0.5``, ``.5``, ``1e-4``.
NUMBER_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


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
        Still plain text: insert it as a text node.

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
