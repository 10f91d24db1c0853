"""Tests for simapp.data.selection: reading more than two columns of a table."""

from __future__ import annotations

import numpy as np
import pytest
from simapp.data import tables as dataio
from simapp.data.selection import select_columns


def test_select_columns_skips_gaps_and_codes_labels():
    table = dataio.parse_table(
        "a,b,c,kind\n1,2,3,x\n4,NA,6,y\n7,8,9,y\n1,1,1,x\n2,2,oops,x\n5,5,5,\n"
    )
    sel = select_columns(table, [0, 1, 2], 3)
    np.testing.assert_array_equal(sel.X, [[1, 2, 3], [7, 8, 9], [1, 1, 1]])
    assert sel.labels.tolist() == [0, 1, 0] and sel.label_names == ("x", "y")
    assert any("not numbers" in n for n in sel.notes)
    assert any("missing value" in n for n in sel.notes)
    with pytest.raises(dataio.DataError, match="at least 5 are needed"):
        select_columns(table, [0, 1, 2], 3, n_components=5)


def test_select_columns_quotes_the_bad_cell_like_every_message():
    table = dataio.parse_table(
        "a,b,c\n" + "".join(f"{i},{i},{i}\n" for i in range(5)) + "1,2,\x1b" + "z" * 40
    )
    sel = select_columns(table, [0, 1, 2])
    assert "\x1b" not in sel.notes[0] and "z" * 30 not in sel.notes[0]
