"""More than two columns: ``cols=`` / ``plot=`` parsing, the state and its
link, the reducer's refits and the chart's plane."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from simapp.data import columns as C
from simapp.data.fitsize import MAX_FIT_COLUMNS
from simapp.state import actions as A
from simapp.state.pagestate import DataSource, OwnData, PageState
from simapp.state.reducer import reducer
from simapp.state.url import state_from_query, state_to_query

from emcore.experiment import run_data

IRIS_COLUMNS = ("sepal_length", "sepal_width", "petal_length", "petal_width")


# ------------------------------------------------------------------ parsing
@pytest.mark.parametrize(
    ("text", "expected"),
    [("all", "all"), (" All ", "all"), ("", ""), ("a,b", "a,b"), ("b , a,,b", "b,a")],
)
def test_cols_normal_form(text, expected):
    assert C.parse_cols(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"), [("petal_length", "petal_length"), ("2", "2"), (" x ,", "x")]
)
def test_one_column_is_a_choice_of_its_own(text, expected):
    assert C.parse_cols(text) == expected
    assert C.resolve(expected, ("x", "petal_length", "kind"), ("x", "petal_length"))


@pytest.mark.parametrize("text", ["a", "a,b,c", "tsne"])
def test_plot_must_be_pca_or_a_pair(text):
    with pytest.raises(ValueError, match=r"plot=.*not pca or two different columns"):
        C.parse_plot(text)


@given(st.lists(st.sampled_from(IRIS_COLUMNS + ("1", "4")), min_size=2, max_size=6))
def test_cols_round_trip_through_the_link(parts):
    text = ",".join(parts)
    try:
        cols = C.parse_cols(text)
    except ValueError:
        assert len(set(parts)) == 1
        return
    state = PageState(
        source=DataSource(kind="dataset", dataset="iris"),
        columns=C.ColumnChoice(cols=cols, plot="pca"),
    )
    state = state.with_changes(settings=state.settings.with_changes(data="iris"))
    again, notes = state_from_query(state_to_query(state))
    assert notes == [] and again.columns == state.columns


def test_bad_link_values_are_noted_and_left_at_the_default():
    too_many = ",".join(f"c{j}" for j in range(MAX_FIT_COLUMNS + 1))
    state, notes = state_from_query(f"data=iris&cols={too_many}&plot=a,b,c")
    assert state.columns == C.ColumnChoice()
    assert len(notes) == 2 and all("using the default" in n for n in notes)


def test_simulated_data_write_no_columns():
    state = PageState(columns=C.ColumnChoice(cols="all"))
    assert "cols=" not in state_to_query(state)


# ------------------------------------------------------------------ resolving
NAMES = ("a", "b", "c", "kind")
NUMERIC = ("a", "b", "c")


@pytest.mark.parametrize(
    ("cols", "expected"),
    [("all", (0, 1, 2)), ("c,a", (2, 0)), ("3,1", (2, 0)), ("A,b", (0, 1))],
)
def test_resolve_names_numbers_and_all(cols, expected):
    assert C.resolve(cols, NAMES, NUMERIC) == expected


@pytest.mark.parametrize(
    ("cols", "message"),
    [
        ("a,zz", '"zz" is not a column; the columns are a, b, c, kind'),
        ("a,9", "is not a column"),
        ("a,kind", "column 'kind' does not hold numbers"),
        ("a,1", "names a column twice"),
    ],
)
def test_resolve_says_what_is_wrong(cols, message):
    with pytest.raises(ValueError, match=message):
        C.resolve(cols, NAMES, NUMERIC)


def test_resolve_all_takes_one_numeric_column_and_needs_one():
    assert C.resolve("all", ("a", "kind"), ("a",)) == (0,)
    assert C.resolve("2", ("a", "b", "kind"), ("a", "b")) == (1,)
    with pytest.raises(ValueError, match="no numeric column"):
        C.resolve("all", ("a", "kind"), ())


# ------------------------------------------------------------------ reducer
def _iris_all():
    state, notes = state_from_query("data=iris&cols=all&k=3&cov=full&seed=2&run=1")
    assert notes == []
    state, effects = reducer(state, A.Ready("ready"))
    return state, effects


def test_iris_all_columns_reach_the_fit_with_names_and_titles():
    state, effects = _iris_all()
    own = state.source.own
    assert own.X.shape == (150, 4) and own.columns == IRIS_COLUMNS
    assert own.column_titles[0] == "sepal length (cm)"
    assert any(isinstance(e, A.StartRun) for e in effects)
    assert "cols=all" in state_to_query(state)


def test_default_iris_keeps_the_petals():
    state, _ = reducer(state_from_query("data=iris&run=1")[0], A.Ready("ready"))
    assert state.source.own.columns == ("petal_length", "petal_width")
    assert state.source.own.X.shape == (150, 2)


def test_unknown_dataset_column_falls_back_with_a_note():
    state, _ = state_from_query("data=iris&cols=sepal_length,stem&run=1")
    state, _ = reducer(state, A.Ready("ready"))
    assert state.source.own.X.shape == (150, 2)
    assert any('"stem"' in n and "fitting petal_length" in n for n in state.notes)


def test_changing_columns_refits_and_changing_the_plane_only_redraws():
    state, _ = _iris_all()
    state, effects = reducer(state, A.ColumnChoiceEdited("1,3", ""))
    assert state.source.own.columns == ("sepal_length", "petal_length")
    assert any(isinstance(e, A.StartRun) for e in effects)
    generation = state.generation
    state, effects = reducer(state, A.ColumnChoiceEdited("1,3", "pca"))
    assert state.generation == generation and A.Redraw() in effects
    assert state.columns.plot == "pca"
    same, effects = reducer(state, A.ColumnChoiceEdited("1,3", "oops"))
    assert same.columns == state.columns and effects == []
    assert same.message.kind == "warn" and "not pca or two" in same.message.text


def test_one_dataset_column_is_fitted_alone():
    state, _ = state_from_query("data=faithful&cols=eruptions&k=2&run=1")
    state, effects = reducer(state, A.Ready("ready"))
    assert state.source.own.X.shape == (272, 1)
    assert state.source.own.columns == ("eruptions",)
    assert state.columns.cols == "eruptions" and state.notes == ()


def test_uploaded_table_fits_the_chosen_columns():
    text = "u,v,w,kind\n" + "\n".join(
        f"{i % 7},{(i * 3) % 5},{(i * i) % 11},{'ab'[i % 2]}" for i in range(40)
    )
    state = PageState(source=DataSource(kind="paste"))
    state, _ = reducer(state, A.TableRead(text))
    assert state.source.own.X.shape == (40, 2)
    state, effects = reducer(state, A.ColumnChoiceEdited("all", ""))
    assert state.source.own.X.shape == (40, 3)
    assert state.source.own.columns == ("u", "v", "w")
    assert any(isinstance(e, A.StartRun) for e in effects)
    state, _ = reducer(state, A.ColumnChoiceEdited("u,kind", ""))
    assert "does not hold numbers" in state.source.error


def test_numeric_of_lists_the_choosable_columns():
    state, _ = _iris_all()
    source = state.source
    numeric = C.numeric_of(
        source.kind, dataset=source.dataset, table=source.table, label=source.columns[2]
    )
    assert numeric == IRIS_COLUMNS
    assert C.numeric_of(DataSource().kind) == ()


# ------------------------------------------------------------------ the plane
def test_iris_all_numbers_are_the_four_column_fit():
    """44 parameters (2 weights + 12 means + 30 covariance entries) and the
    same numbers as run_data on the four columns of scikit-learn's copy."""
    from sklearn.datasets import load_iris

    X = load_iris().data.astype(np.float64)
    state, _ = _iris_all()
    np.testing.assert_array_equal(state.source.own.X, X)
    result = run_data(state.source.own.X, state.source.own.labels, k=3, seed=2)
    assert result.params == 44
    assert result.covariances.shape == (3, 4, 4)


# ------------------------------------------------------------------ limits
def test_a_long_cols_value_is_refused_before_it_is_split_and_is_quoted():
    text = "a," * 20_000
    with pytest.raises(ValueError) as info:
        C.parse_cols(text)
    message = str(info.value)
    assert "40,000 characters long" in message and len(message) < 200


def test_more_columns_than_a_fit_takes_are_refused_by_the_link():
    names = ",".join(f"c{j}" for j in range(MAX_FIT_COLUMNS + 1))
    with pytest.raises(ValueError, match=f"at most {MAX_FIT_COLUMNS} at once"):
        C.parse_cols(names)
    assert C.split_items("a," * 50_000 + "b") == ["a", "b"]


def test_a_resolve_message_quotes_and_cuts_the_value():
    cols = "a," + "z" * 500
    with pytest.raises(ValueError) as info:
        C.resolve(cols, NAMES, NUMERIC)
    assert "z" * 21 not in str(info.value)
    many = tuple(f"c{j}" for j in range(1000))
    with pytest.raises(ValueError) as info:
        C.resolve("c1,zz", many, many)
    assert "and 990 more" in str(info.value) and len(str(info.value)) < 300


def test_a_rejected_cols_or_plot_leaves_the_link():
    state, _ = state_from_query("data=iris&cols=sepal_length,stem&run=1")
    state, _ = reducer(state, A.Ready("ready"))
    assert state.columns == C.ColumnChoice() and "cols=" not in state_to_query(state)
    state, _ = state_from_query("data=iris&cols=all&plot=petal_length,stem&run=1")
    state, _ = reducer(state, A.Ready("ready"))
    assert state.columns == C.ColumnChoice(cols="all")
    assert any('plot="petal_length,stem"' in n for n in state.notes)
    assert "plot=" not in state_to_query(state)


def _pasted(n_columns: int, n_rows: int = 40) -> PageState:
    rng = np.random.default_rng(n_columns)
    head = ",".join(f"v{j}" for j in range(n_columns))
    rows = [
        ",".join(f"{v:.3f}" for v in row)
        for row in rng.normal(size=(n_rows, n_columns))
    ]
    state, _ = reducer(
        PageState(source=DataSource(kind="paste")),
        A.TableRead("\n".join([head, *rows])),
    )
    return state


def test_your_columns_stay_out_of_the_link():
    state, _ = reducer(_pasted(4), A.ColumnChoiceEdited("all", "v2,v3"))
    assert state.source.own.X.shape == (40, 4)
    query = state_to_query(state)
    assert "cols=" not in query and "v2" not in query


def test_a_table_too_wide_to_fit_is_refused_before_its_cells_are_read(monkeypatch):
    from simapp.state import sources

    state = _pasted(MAX_FIT_COLUMNS + 5)

    def never(*args, **kwargs):
        raise AssertionError("the cells were read")

    monkeypatch.setattr(sources, "select_columns", never)
    state, effects = reducer(state, A.ColumnChoiceEdited("all", ""))
    assert f"at most {MAX_FIT_COLUMNS}" in state.source.error
    assert state.columns == C.ColumnChoice()  # the rejected choice is dropped
    assert not any(isinstance(e, A.StartRun) for e in effects)


def test_settings_that_take_a_fit_beyond_the_limit_show_the_data_unfitted():
    X = np.random.default_rng(5).normal(size=(200_000, 7))
    own = OwnData(X, None, (), "wide", columns=tuple(f"c{j}" for j in range(7)))
    state = PageState(source=DataSource(kind="upload", own=own), status="done")
    state, effects = reducer(state, A.ControlsEdited((("cov", "diag"),)))
    assert any(isinstance(e, A.StartRun) for e in effects)
    state, effects = reducer(state, A.CompareToggled(True))
    assert not any(isinstance(e, A.StartRun) for e in effects)
    assert any(isinstance(e, A.ShowData) for e in effects)
    assert (
        state.message.kind == "warn" and "million moment values" in state.message.text
    )


def test_a_pasted_column_alone_is_fitted_alone():
    rng = np.random.default_rng(0)
    values = np.r_[rng.normal(0.0, 1.0, 30), rng.normal(6.0, 1.0, 30)]
    text = "width\n" + "\n".join(f"{v:.4f}" for v in values)
    state = PageState(source=DataSource(kind="paste"))
    state, effects = reducer(state, A.TableRead(text))
    assert state.source.own.X.shape == (60, 1)
    np.testing.assert_allclose(state.source.own.X[:, 0], values, atol=1e-4)
    assert state.source.own.columns == ("width",)
    assert any(isinstance(e, A.StartRun) for e in effects)
    # a table of text alone has nothing to fit
    state, _ = reducer(state, A.TableRead("name\na\nb\nc\n"))
    assert state.source.own is None
    assert "needs a numeric column for x" in state.source.error


def test_a_dataset_without_classes_offers_every_numeric_column():
    assert C.numeric_of("dataset", dataset="faithful") == ("eruptions", "waiting")
    # with classes, the class column is not one to fit
    assert "species" not in C.numeric_of("dataset", dataset="palmer_penguins")
