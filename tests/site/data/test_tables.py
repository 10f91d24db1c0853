"""Tests for simapp.data.tables: parsing the user's own data into a table
and selecting its points."""

from __future__ import annotations

import contextlib

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from simapp.data import sniffing
from simapp.data.cells import DataError, bad_row_limit
from simapp.data.selection import select_columns
from simapp.data.tables import CHUNK_CELLS, iter_parse_table, parse_table

# --- formats -----------------------------------------------------------------


def test_csv_with_header_and_labels():
    t = parse_table("x,y,kind\n1,2,b\n3.5,-4e-1,a\n5,6,b\n7,8,c\n")
    assert t.columns == ("x", "y", "kind")
    assert t.delimiter == "," and t.has_header and not t.decimal_comma
    X, labels, names, notes = t.select("x", "y", "kind")
    assert X.dtype == np.float64 and X.shape == (4, 2)
    assert X.tolist() == [[1, 2], [3.5, -0.4], [5, 6], [7, 8]]
    # codes in order of first appearance, not alphabetical
    assert labels.dtype == np.int64 and labels.tolist() == [0, 1, 0, 2]
    assert names == ("b", "a", "c")
    assert notes == []


def test_tsv_crlf_bom_bytes():
    data = "\ufeffa\tb\r\n1\t2\r\n3\t4\r\n5\t6\r\n".encode()
    t = parse_table(data)
    assert t.columns == ("a", "b") and t.delimiter == "\t"
    X, labels, names, _ = t.select("a", "b")
    assert X.tolist() == [[1, 2], [3, 4], [5, 6]] and labels is None and names == ()


def test_bom_in_str():
    t = parse_table("\ufeffx,y\n1,2\n3,4\n5,6\n")
    assert t.columns[0] == "x"


def test_semicolon_decimal_comma():
    t = parse_table("länge;breite\n1,5;2,25\n-3,0;4\n5;6,5e1\n")
    assert t.delimiter == ";" and t.decimal_comma
    X = t.select(0, 1).X
    assert X.tolist() == [[1.5, 2.25], [-3.0, 4.0], [5.0, 65.0]]


def test_tab_with_decimal_comma_detected():
    t = parse_table("1,5\t2,5\n3,25\t4\n5\t6,75\n")
    assert t.delimiter == "\t" and t.decimal_comma and not t.has_header
    assert t.select(0, 1).X.tolist() == [[1.5, 2.5], [3.25, 4.0], [5.0, 6.75]]


def test_whitespace_separated_no_header():
    t = parse_table("  1   2\n3 4\n\n5\t 6  \n# a comment\n7 8\n")
    assert t.delimiter == " " and not t.has_header
    assert t.columns == ("column 1", "column 2")
    assert t.select("column 1", "column 2").X.tolist() == [
        [1, 2],
        [3, 4],
        [5, 6],
        [7, 8],
    ]


def test_quoted_fields_with_delimiters_and_newlines():
    text = 'name,x,y\n"Smith, J",1,2\n"multi\nline",3,4\n"say ""hi""",5,6\n'
    t = parse_table(text)
    assert t.columns == ("name", "x", "y")
    assert t.column("name") == ("Smith, J", "multi\nline", 'say "hi"')
    # the record starting on line 3 spans lines 3-4; the next one is on line 5
    assert t.row_numbers == (2, 3, 5)
    X, labels, names, _ = t.select("x", "y", "name")
    assert X.tolist() == [[1, 2], [3, 4], [5, 6]] and names[0] == "Smith, J"


def test_pipe_delimiter():
    t = parse_table("a|b\n1|2\n3|4\n5|6\n")
    assert t.delimiter == "|" and t.select("a", "b").X.shape == (3, 2)


def test_cp1252_bytes_fall_back_with_note():
    t = parse_table("caf\xe9,y\n1,2\n3,4\n5,6\n".encode("cp1252"))
    assert t.columns[0] == "café"
    assert any("Windows-1252" in n for n in t.notes)


def test_trailing_empty_column_dropped_and_duplicate_names():
    t = parse_table("x,x,\n1,2,\n3,4,\n5,6,\n")
    assert t.columns == ("x", "x (2)")


def test_header_forced():
    t = parse_table("1,2\n3,4\n5,6\n7,8\n", header=True)
    assert t.columns == ("1", "2") and len(t) == 3


def test_all_text_header_over_numbers():
    t = parse_table("species,x,y\nsetosa,1,2\nvirginica,3,4\nsetosa,5,6\n")
    assert t.has_header and t.numeric_columns() == ["x", "y"]
    assert t.suggest() == ("x", "y", "species")


def test_ragged_rows_padded_and_noted():
    t = parse_table("x,y,z\n1,2\n3,4,5,99\n6,7,8\n7,8,9\n")
    assert t.rows[0] == ("1", "2", "")
    assert any("row 3" in n and "extra fields" in n for n in t.notes)


# --- bad rows, missing values, errors ----------------------------------------


def test_bad_row_message_names_row_and_column():
    rows = "\n".join(f"{i},{i + 1}" for i in range(30))
    text = "x,y\n" + rows + "\n"
    lines = text.splitlines()
    lines[16] = "7,abc"  # spreadsheet row 17
    t = parse_table("\n".join(lines))
    X, _, _, notes = t.select("x", "y")
    assert len(X) == 29
    assert any(
        "row 17" in n and "\"abc\" in column 'y' is not a number" in n for n in notes
    )


def test_too_many_bad_rows_is_an_error_quoting_the_first():
    n = 30
    limit = bad_row_limit(n)
    good = [f"{i},{i}" for i in range(n)]
    ok = good.copy()
    for i in range(limit):
        ok[i] = f"{i},oops"
    X = parse_table("x,y\n" + "\n".join(ok)).select("x", "y").X
    assert len(X) == n - limit
    bad = good.copy()
    for i in range(limit + 1):
        bad[i] = f"{i},oops"
    with pytest.raises(
        DataError, match=r'^row 2: "oops" in column \'y\' is not a number'
    ):
        parse_table("x,y\n" + "\n".join(bad)).select("x", "y")


def test_non_finite_values_are_bad_rows():
    t = parse_table("x,y\n1,2\ninf,3\n4,1e999\n5,6\n7,8\n9,10\n" + "1,1\n" * 20)
    X, _, _, notes = t.select("x", "y")
    assert np.isfinite(X).all() and len(X) == 24
    assert any("rows 3, 4" in n and "finite" in n for n in notes)


def test_missing_values_dropped_with_note():
    text = "x,y,c\n1,2,a\nNA,3,a\n4,,b\n5,6,\n7,8,b\n9,10,a\n"
    X, labels, names, notes = parse_table(text).select("x", "y", "c")
    assert X.tolist() == [[1, 2], [7, 8], [9, 10]]
    assert labels.tolist() == [0, 1, 0] and names == ("a", "b")
    assert any("rows 3, 4, 5" in n and "missing" in n for n in notes)
    # without the label column the row with a missing label is kept
    assert len(parse_table(text).select("x", "y").X) == 4


def test_too_few_points():
    with pytest.raises(DataError, match="only 2 usable points.*at least 3"):
        parse_table("x,y\n1,2\n3,4\n").select("x", "y")
    t = parse_table("x,y\n1,2\n3,4\n5,6\n7,8\n")
    assert len(t.select("x", "y", n_components=4).X) == 4
    with pytest.raises(DataError, match="at least 5 are needed to fit 5 components"):
        t.select("x", "y", n_components=5)


def test_single_column_is_an_error():
    with pytest.raises(DataError, match="only one column"):
        parse_table("x\n1\n2\n3\n")


def test_numeric_columns_and_non_numeric_choice():
    t = parse_table("x,name,y\n1,a,2\n3,b,4\n5,c,6\n")
    assert t.numeric_columns() == ["x", "y"]
    with pytest.raises(DataError, match="\"a\" in column 'name' is not a number"):
        t.select("x", "name")


def test_same_column_twice_and_unknown_columns():
    t = parse_table("x,y\n1,2\n3,4\n5,6\n")
    with pytest.raises(DataError, match="two\\s+different columns"):
        t.select("x", "x")
    with pytest.raises(DataError, match="no column \"z\"; the columns are 'x', 'y'"):
        t.select("x", "z")
    with pytest.raises(DataError, match="no column number 3"):
        t.select(0, 2)
    with pytest.raises(DataError, match="both a coordinate and the label"):
        t.select("x", "y", "y")


def test_identical_and_duplicate_points_are_noted():
    _, _, _, notes = parse_table("x,y\n1,1\n1,1\n1,1\n").select("x", "y")
    assert any("All 3 points are identical" in n for n in notes)
    _, _, _, notes = parse_table("x,y\n1,1\n1,1\n2,3\n2,3\n4,4\n").select("x", "y")
    assert any(n.startswith("2 points repeat") for n in notes)


def test_size_and_row_limits():
    text = "x,y\n" + "1,2\n" * 100
    with pytest.raises(DataError, match="limit"):
        parse_table(text, max_bytes=50)
    with pytest.raises(DataError, match="limit"):
        parse_table(text.encode(), max_bytes=50)
    with pytest.raises(DataError, match="more than 99 rows"):
        parse_table(text, max_rows=99)
    assert len(parse_table(text, max_rows=100)) == 100
    # comment lines do not count as rows
    assert len(parse_table("# c\n" * 200 + text, max_rows=100)) == 100


@pytest.mark.parametrize("text", ["", "   \n\n", "# only a comment\n", "x,y\n"])
def test_empty_inputs(text):
    with pytest.raises(DataError):
        parse_table(text).select(0, 1)


def test_unusual_label_columns_noted():
    rows = "\n".join(f"{i},{i * 2},id{i}" for i in range(40))
    _, labels, names, notes = parse_table("x,y,id\n" + rows).select("x", "y", "id")
    assert len(names) == 40 and any("does not look like a class" in n for n in notes)
    _, _, _, notes = parse_table("x,y,c\n1,2,a\n3,4,a\n5,6,a\n").select("x", "y", "c")
    assert any("single class" in n for n in notes)


def test_messages_quote_user_text_safely():
    t = parse_table("x,y\n1,2\n3,4\n5,6\n" + "1,\x1b[31m" + "A" * 100 + "\n")
    _, _, _, notes = t.select("x", "y")
    assert "\x1b" not in notes[0] and "A" * 30 not in notes[0]


# --- round trips (property) ----------------------------------------------------


@st.composite
def _tables(draw):
    n = draw(st.integers(3, 25))
    m = draw(st.integers(2, 4))
    values = draw(
        st.lists(
            st.lists(
                st.floats(-1e6, 1e6, allow_nan=False, allow_subnormal=False),
                min_size=m,
                max_size=m,
            ),
            min_size=n,
            max_size=n,
        )
    )
    delimiter = draw(st.sampled_from([",", "\t", ";", " ", "|"]))
    header = draw(st.booleans())
    crlf = draw(st.booleans())
    return values, delimiter, header, crlf


@given(_tables())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_written_tables_read_back_exactly(case):
    values, delimiter, header, crlf = case
    m = len(values[0])
    fmt = (lambda v: repr(v).replace(".", ",")) if delimiter == ";" else repr
    lines = [delimiter.join(f"c{j}" for j in range(m))] if header else []
    lines += [delimiter.join(fmt(v) for v in row) for row in values]
    text = ("\r\n" if crlf else "\n").join(lines)
    t = parse_table(text)
    assert t.has_header == header
    assert len(t.columns) == m
    X = t.select(0, m - 1).X
    expected = np.array([[row[0], row[-1]] for row in values])
    np.testing.assert_array_equal(X, expected)


def _only_data_error(text):
    """parse_table + select of the suggested columns: DataError or valid data."""
    try:
        t = parse_table(text)
    except DataError:
        return
    assert len(t.columns) >= 2 and all(len(r) == len(t.columns) for r in t.rows)
    x, y, label = t.suggest()
    try:
        sel = t.select(x if x is not None else 0, y if y is not None else 1, label)
    except DataError:
        return
    assert sel.X.shape[1] == 2 and np.isfinite(sel.X).all()


@given(st.text(max_size=400))
@settings(max_examples=400, deadline=None)
def test_arbitrary_text_raises_only_data_error(text):
    _only_data_error(text)


@given(st.binary(max_size=300))
@settings(deadline=None)
def test_arbitrary_bytes_raise_only_data_error(data):
    with contextlib.suppress(DataError):
        parse_table(data)


@given(
    st.lists(
        st.sampled_from(
            ["1", "2.5", ",", ";", "\t", " ", '"', "\n", "\r\n", "a", "NA", "#"]
        ),
        max_size=80,
    )
)
@settings(max_examples=300, deadline=None)
def test_delimiter_soup_raises_only_data_error(tokens):
    _only_data_error("".join(tokens))


def test_names_lose_their_bidirectional_controls():
    rlo = "\u202e"
    text = f"x{rlo}gnp,y,z,kind\n1,2,3,a{rlo}b\n4,5,7,c\n7,9,8,a{rlo}b\n2,2,1,c\n"
    table = parse_table(text)
    assert table.columns == ("xgnp", "y", "z", "kind")
    assert table.select(0, 1, 3).label_names == ("ab", "c")
    selection = select_columns(table, [0, 1, 2], 3)
    assert selection.label_names == ("ab", "c")
    assert selection.labels.tolist() == [0, 1, 0, 1]


def _wide_text(rows: int, columns: int, sep: str = ",") -> str:
    X = np.random.default_rng(columns).normal(size=(rows, columns))
    head = sep.join(f"f{j}" for j in range(columns))
    body = "\n".join(sep.join(f"{v:.3f}" for v in row) for row in X.tolist())
    return f"{head}\n{body}\n"


def test_a_wide_table_is_read_in_steps_of_a_bounded_number_of_cells():
    steps = iter_parse_table(_wide_text(300, 1000), chunk_rows=5000)
    progress = []
    while True:
        try:
            progress.append(next(steps))
        except StopIteration as stop:
            table = stop.value
            break
    # 300 records of 1,000 cells: several pauses while reading and padding them
    assert len(progress) >= 2 * (300 * 1000 // CHUNK_CELLS)
    assert len(table.columns) == 1000 and len(table) == 300 and table.has_header
    assert table.numeric_columns()[:2] == ["f0", "f1"] and table.suggest()[:2] == (
        "f0",
        "f1",
    )


@pytest.mark.parametrize("sep", [",", "\t", ";"])
def test_sniffing_a_wide_table_tests_only_its_first_cells(monkeypatch, sep):
    calls = []
    counted = sniffing.parse_number

    def counting(*args):
        calls.append(1)
        return counted(*args)

    monkeypatch.setattr(sniffing, "parse_number", counting)
    text = _wide_text(300, 1000, sep)
    assert sniffing.sniff(text)[0] == sep
    assert len(calls) < 10_000  # all of 50 records would be 50,000
