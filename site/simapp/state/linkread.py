"""A link's parameters read within caps, before any value is parsed.

At most :data:`MAX_QUERY_FIELDS` parameters, each given once (the first
value counts), none longer than :data:`~simapp.text.quoting.MAX_VALUE_CHARS`
characters; what is left out is noted, so that a crafted link costs no more
to open than an ordinary one. :mod:`simapp.state.settings` offers
:func:`read_query` with the settings' parsers.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from simapp.text.quoting import MAX_VALUE_CHARS, QUOTE_CHARS, quote_user_text

__all__ = ["MAX_QUERY_FIELDS", "read_query"]

#: Most ``key=value`` parameters of a link read; the rest are left out.
MAX_QUERY_FIELDS = 64


def _shown_key(key: str) -> str:
    # a parameter name as the page spells them is shown as it is
    if key.isascii() and key.replace("_", "").isalnum() and len(key) <= QUOTE_CHARS:
        return key
    return quote_user_text(key)


def read_query(query: str) -> tuple[dict[str, list[str]], list[str]]:
    """A link's parameters within the caps, and notes on what was left out.

    Parameters
    ----------
    query : str
        ``location.search`` (with or without ``?``), or any untrusted query.

    Returns
    -------
    raw : dict
        Stripped lower-case key -> ``[first value]``, as
        :func:`simapp.state.settings.parse_query_string` shapes it: at most
        :data:`MAX_QUERY_FIELDS` keys, no value longer than
        :data:`~simapp.text.quoting.MAX_VALUE_CHARS`.
    notes : list of str
        One per key given more than once, per value too long (quoted and
        cut, left out) and one if parameters beyond the cap were dropped.

    Examples
    --------
    >>> raw, notes = read_query("?k=3&K=4&cols=" + "a," * 2000)
    >>> raw
    {'k': ['3']}
    >>> notes[0]
    'k was given 2 times; using the first value'
    >>> notes[1][:47]
    'cols="a,a,a,a,a,a,a,a,a,a,…" is 4,000 character'
    """
    fields = query.removeprefix("?").split("&", MAX_QUERY_FIELDS)
    notes: list[str] = []
    if len(fields) > MAX_QUERY_FIELDS:
        fields.pop()  # everything after the cap, in one string
        notes.append(
            f"the link has more than {MAX_QUERY_FIELDS} parameters; only the "
            f"first {MAX_QUERY_FIELDS} were read"
        )
    values: dict[str, list[str]] = {}
    for key, value in parse_qsl("&".join(fields), keep_blank_values=True):
        values.setdefault(key.strip().lower(), []).append(value)
    raw: dict[str, list[str]] = {}
    for key, given in values.items():
        shown = _shown_key(key)
        if len(given) > 1:
            notes.append(f"{shown} was given {len(given)} times; using the first value")
        value = given[0]
        if len(value) > MAX_VALUE_CHARS:
            notes.append(
                f"{shown}={quote_user_text(value)} is {len(value):,} characters "
                f"long; at most {MAX_VALUE_CHARS:,} are read, so it was left out"
            )
            continue
        raw[key] = [value]
    return raw, notes
