"""Reading in slices: Table.iter_select and the label suggestion give what
select and a row-by-row reading give, whatever the rows' classes."""

from __future__ import annotations

import numpy as np
import pytest
from simapp.data import tables as dataio
from simapp.data.cells import MISSING


def _table(seed: int, n: int = 400, missing: bool = False) -> str:
    rng = np.random.default_rng(seed)
    names = np.array(["setosa", "Versicolor", "virginica", "NA", ""])
    kinds = rng.integers(0, 5 if missing else 3, n)
    X = rng.normal(size=(n, 2))
    lines = ["x,y,species"]
    for (x, y), k in zip(X.tolist(), kinds.tolist(), strict=True):
        cell = "oops" if missing and k == 0 and x > 1.5 else f"{x:.4f}"
        lines.append(f"{cell},{y:.4f},{names[k]}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("missing", [False, True])
@pytest.mark.parametrize("seed", range(3))
def test_iter_select_yields_between_parts_and_equals_select(seed, missing):
    text = _table(seed, missing=missing)
    steps = dataio.parse_table(text).iter_select("x", "y", "species", n_components=3)
    pieces = 0
    while True:
        try:
            next(steps)
            pieces += 1
        except StopIteration as stop:
            got = stop.value
            break
    want = dataio.parse_table(text).select("x", "y", "species", n_components=3)
    assert pieces >= 3
    np.testing.assert_array_equal(got.X, want.X)
    np.testing.assert_array_equal(got.labels, want.labels)
    assert got.label_names == want.label_names and got.notes == want.notes
    if missing:  # rows without a class or with a bad x were skipped
        assert len(got.X) < 400 and got.notes
    # classes in order of first appearance, coded 0, 1, ...
    first = dict.fromkeys(
        c
        for c in (line.split(",")[2] for line in text.splitlines()[1:])
        if c.lower() not in MISSING
    )
    assert set(got.label_names) <= set(first)


@pytest.mark.parametrize("seed", range(3))
def test_the_suggested_label_is_a_column_of_2_to_20_classes(seed):
    text = _table(seed, missing=True)
    table = dataio.parse_table(text)
    assert table.suggest() == ("x", "y", "species")
    many = "a,b,c\n" + "".join(f"{i},{i * 2},{i}x\n" for i in range(30))
    assert dataio.parse_table(many).suggest() == ("a", "b", None)
    only_missing = "a,b,c\n" + "".join(f"{i},{i * 2},NA\n" for i in range(30))
    assert dataio.parse_table(only_missing).suggest() == ("a", "b", None)
