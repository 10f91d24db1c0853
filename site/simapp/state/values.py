"""One value of a link or a control, read as the settings read them.

:func:`parse_number` accepts what a person types as a number and nothing
else; :func:`shown` is a value as a note quotes it; ``temp`` (the E-step's
temperature, emcore's ``temperature``) is read and written here.

Examples
--------
>>> parse_number("0.25"), parse_number("nan"), parse_number("1_000")
(0.25, None, None)
>>> notes = []
>>> parse_temp("9", notes), notes
(5.0, ['temp=9 is above the maximum 5; using 5'])
>>> temp_label(0.25), temp_label(1.0)
('0.25', '1')
"""

from __future__ import annotations

import math

from emcore.experiment import LIMITS as _LIMITS
from simapp.text.quoting import NUMBER_RE, QUOTE_CHARS, quote_user_text

__all__ = ["TEMP_LIMITS", "parse_number", "parse_temp", "shown", "temp_label"]

#: Inclusive limits of ``temp``, the watched fit's E-step temperature
#: (emcore's ``temperature``): 1 is EM, 0 hard assignments.
TEMP_LIMITS: tuple[float, float] = (
    float(_LIMITS["temperature"][0]),
    float(_LIMITS["temperature"][1]),
)

# Longer inputs are never legitimate and could make int() slow (CPython caps
# int parsing at 4300 digits, but there is no reason to get anywhere near).
_MAX_INPUT_CHARS = 64


def parse_number(text: str) -> float | None:
    """Parse a plain decimal/scientific number; ``None`` for anything else.

    ``float()`` alone would accept ``'nan'``, ``'infinity'`` and ``'1_000'``;
    the regex restricts input to what a person types as a number.
    """
    if len(text) > _MAX_INPUT_CHARS or not NUMBER_RE.fullmatch(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def shown(text: str) -> str:
    """``text`` as a note quotes it: plain numbers read better unquoted
    (``k=999``); anything else is quoted."""
    if len(text) <= QUOTE_CHARS and NUMBER_RE.fullmatch(text):
        return text
    return quote_user_text(text)


def temp_label(temp: float) -> str:
    """A temperature as links and the control write it: ``'0.25'``, ``'1'``
    (the shortest text that reads back as the same float)."""
    text = repr(float(temp))
    return text.removesuffix(".0")


def parse_temp(text: str, notes: list[str]) -> float:
    """``temp``: clamped to :data:`TEMP_LIMITS`; unreadable means 1 (EM)."""
    low, high = TEMP_LIMITS
    quoted = shown(text)
    value = parse_number(text)
    if value is None:
        notes.append(f"temp={quoted} is not a valid number; using 1 (EM)")
        return 1.0
    if value > high:
        notes.append(f"temp={quoted} is above the maximum {high:g}; using {high:g}")
        return high
    if value < low:
        notes.append(f"temp={quoted} is below the minimum {low:g}; using {low:g}")
        return low
    return float(value)
