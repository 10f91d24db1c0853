"""Tests for simapp.data.cells: reading one cell as a number."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from simapp.data.cells import parse_number


@pytest.mark.parametrize(
    ("text", "comma", "value"),
    [
        ("1", False, 1.0),
        (" -2.5 ", False, -2.5),
        (".5", False, 0.5),
        ("5.", False, 5.0),
        ("1e3", False, 1000.0),
        ("+1E-2", False, 0.01),
        ("1,5", True, 1.5),
        ("1,5", False, None),
        ("1_000", False, None),
        ("0x10", False, None),
        ("abc", False, None),
        ("", False, None),
        ("NaN", False, None),
        ("inf", False, float("inf")),
        ("-Infinity", False, float("-inf")),
        ("1e999", False, float("inf")),
    ],
)
def test_parse_number(text, comma, value):
    assert parse_number(text, comma) == value


@given(st.floats(allow_nan=False, allow_infinity=False))
@settings(deadline=None)
def test_parse_number_round_trips_repr(x):
    assert parse_number(repr(x)) == x
    assert parse_number(repr(x).replace(".", ","), True) == x
