"""The data-source part of the reducer: where the points come from.

Choosing a source or a bundled dataset, reading a pasted or uploaded table,
picking its columns, clicking points, and the fitted columns (``cols=``,
``plot=``). :data:`HANDLERS` maps each of these actions to its transition;
:mod:`simapp.state.reducer` dispatches to them.

Examples
--------
>>> from simapp.state import actions as A
>>> from simapp.state.pagestate import PageState
>>> state, effects = HANDLERS[A.DatasetChosen](PageState(), A.DatasetChosen("iris"))
>>> state.source.kind, state.source.own.X.shape, state.running
('dataset', (150, 2), True)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from simapp.data import columns as C
from simapp.data import datasets, fitsize, gallery
from simapp.data import tables as dataio
from simapp.data.points import add_point
from simapp.data.selection import select_columns
from simapp.state import actions as A
from simapp.state.pagestate import DATA_KINDS, DataSource, OwnData, PageState
from simapp.state.transitions import Result, cancel, say, show_data, start_run
from simapp.text import columns as column_words
from simapp.text import gallery as words
from simapp.text import messages
from simapp.text.quoting import names_list, quote_user_text, strip_bidi

__all__ = ["HANDLERS", "load_dataset", "redraw_gallery"]


def _with_error(state: PageState, error: str, notes=()) -> PageState:
    source = replace(state.source, error=error, notes=tuple(notes))
    state = replace(state, source=source)
    if not error:
        return state
    if not state.running:
        state = replace(state, status="ready")
    return say(state, f"Your data could not be used: {error}", "warn")


def _data_failed(state: PageState, error: str, notes=()) -> Result:
    """New data could not be used: nothing of the data they were to replace
    stays on show as if current (the run stops, the charts and results are
    cleared) and the message says why."""
    state = replace(state, source=replace(state.source, own=None))
    state, effects = show_data(state)
    return _with_error(state, error, notes), effects


def _own(X, labels, names, title: str, dataset: str = "", **columns) -> OwnData:
    return OwnData(X, labels, tuple(names), title, dataset, **columns)


def load_dataset(state: PageState, name: str) -> PageState:
    """Load bundled dataset ``name`` (its chosen columns) as the own data;
    a gallery name draws its points from the settings' N and seed."""
    if gallery.is_gallery(name):
        return _load_gallery(state, name)
    table = datasets.table(name)
    meta = datasets.info(name)
    picked = [table.columns.index(c) for c in meta.columns or table.columns[:2]]
    title, notes = meta.title, state.notes
    # the last column holds the classes, when the dataset records them
    fittable = table.columns[:-1] if meta.has_labels else table.columns
    if state.columns.cols:
        try:
            picked = C.resolve(state.columns.cols, fittable, table.numeric_columns())
        except ValueError as exc:
            kept = tuple(n for n in notes if not n.startswith("cols="))
            notes = (*kept, f"{exc}; fitting {', '.join(meta.columns)}")
            # the rejected value leaves the link
            state = replace(state, columns=C.ColumnChoice())
        else:
            title = column_words.picked_title(meta.title, len(picked))
    X, labels, label_names, meta = datasets.load(name, picked)
    names = tuple(table.columns[j] for j in picked)
    state, notes = _checked_plot(state, names, notes)
    own = _own(
        X,
        labels,
        label_names,
        title,
        dataset=name,
        columns=names,
        column_titles=tuple(meta.column_title(c) for c in names),
    )
    source = DataSource(kind="dataset", dataset=name, own=own)
    settings = state.settings.with_changes(data=name)
    return replace(state, source=source, settings=settings, notes=notes)


def _load_gallery(state: PageState, name: str) -> PageState:
    """Gallery data set ``name``, drawn from the settings' N and seed.

    Its two columns are all there is: a column choice left from another
    dataset does not apply, and leaves the link.
    """
    settings = state.settings
    X, labels, label_names = gallery.load(name, settings.n, settings.seed)
    own = _own(X, labels, label_names, words.menu_label(name), dataset=name)
    source = DataSource(kind="dataset", dataset=name, own=own)
    state = replace(state, columns=C.ColumnChoice())
    return replace(state, source=source, settings=settings.with_changes(data=name))


def redraw_gallery(state: PageState) -> PageState:
    """``state`` with its gallery data drawn again for its settings (a new
    N or seed draws new points); any other data as they are."""
    source = state.source
    if source.kind != "dataset" or not gallery.is_gallery(source.dataset):
        return state
    return _load_gallery(state, source.dataset)


def _checked_plot(state: PageState, names, notes) -> tuple[PageState, tuple]:
    """A ``plot=`` naming columns that are not fitted is noted and dropped
    (so it leaves the link too)."""
    plot = state.columns.plot
    if plot in ("", "pca"):
        return state, notes
    try:
        first, second = (
            C.column_index(p, names, f"plot={quote_user_text(plot)}")
            for p in C.split_items(plot)
        )
    except ValueError as exc:
        note = f"{exc}; showing the default"
    else:
        if first != second:
            return state, notes
        note = (
            f"plot={quote_user_text(plot)} names the same column twice; "
            "showing the default"
        )
    columns = replace(state.columns, plot="")
    return replace(state, columns=columns), (*notes, note)


def _picked(state: PageState, table, x: str, y: str, label: str) -> tuple:
    """The columns to fit (the choice's, else x and y), within the limits.

    Raises
    ------
    ValueError
        No x, a choice that names no numeric columns, or a fit beyond
        :mod:`simapp.data.fitsize`'s limits (checked before any cell is read).
    """
    if not x:
        raise dataio.DataError(
            "the table needs a numeric column for x; none was chosen or found "
            f"among {', '.join(table.columns[:8])}"
        )
    # no y: the one column is fitted alone
    picked = tuple(table.columns.index(c) for c in (x, y) if c)
    if state.columns.cols:
        numeric = [c for c in table.numeric_columns() if c != label]
        picked = C.resolve(state.columns.cols, table.columns, numeric)
    settings = state.settings
    fitsize.check_fit_size(
        len(table.rows), len(picked), settings.cov, compare=settings.compare
    )
    return picked


def _column_choice(state: PageState, action: A.ColumnChoiceEdited) -> Result:
    """New ``cols=`` / ``plot=`` values: refit on other columns, or redraw."""
    notes = []
    choice = state.columns
    for key, parse, text in (
        ("cols", C.parse_cols, action.cols),
        ("plot", C.parse_plot, action.plot),
    ):
        try:
            choice = replace(choice, **{key: parse(text)})
        except ValueError as exc:
            notes.append(str(exc))
    if notes:
        state = say(state, "; ".join(notes), "warn")
    if choice == state.columns:
        return state, []
    refit = choice.cols != state.columns.cols
    state = replace(state, columns=choice)
    if not refit:
        return state, [A.Redraw(), A.ReplaceUrl()]
    source = state.source
    if source.kind == "dataset" and source.dataset:
        return start_run(load_dataset(state, source.dataset))
    if source.kind in ("upload", "paste") and source.table is not None:
        return _select(state, *source.columns)
    return state, [A.ReplaceUrl()]


def _data_source(state: PageState, action: A.DataSourceChosen) -> Result:
    kind = action.kind
    if kind not in DATA_KINDS:
        raise ValueError(f"data source must be one of {DATA_KINDS}; got {kind!r}")
    source = DataSource(kind=kind, dataset=state.source.dataset)
    state = replace(state, source=source, settings=state.settings.with_changes(data=""))
    if kind == "simulated":
        return start_run(state)
    if kind == "dataset":
        state = load_dataset(state, state.source.dataset or datasets.names()[0])
        return start_run(state)
    if kind == "click":
        state, effects = show_data(state)
        state = say(state, messages.data_prompt(kind))
        return state, [*effects, A.ReplaceUrl()]
    state = say(cancel(state), messages.data_prompt(kind))
    return state, [A.ReplaceUrl()]


def _dataset(state: PageState, action: A.DatasetChosen) -> Result:
    if state.columns.cols != "all":  # named columns belong to the last dataset
        state = replace(state, columns=replace(state.columns, cols="", plot=""))
    return start_run(load_dataset(state, action.name))


def _select(state: PageState, x: str, y: str, label: str) -> Result:
    """Pick columns of the parsed table and fit them."""
    source = state.source
    table = source.table
    if table is None:
        return state, []
    source = replace(source, columns=(x, y, label), own=None)
    state = replace(state, source=source)
    try:
        picked = _picked(state, table, x, y, label)
    except ValueError as exc:  # dataio.DataError included
        # the rejected choice leaves the link (the default pair is offered)
        state = replace(state, columns=C.ColumnChoice())
        return _data_failed(state, str(exc), table.notes)
    try:
        jl = table.columns.index(label) if label else None
        sel = select_columns(table, picked, jl, n_components=state.settings.k)
    except ValueError as exc:  # dataio.DataError included
        return _data_failed(state, str(exc), table.notes)
    name = strip_bidi(source.file_name) or "Your pasted table"
    names = tuple(table.columns[j] for j in picked)
    own = _own(
        sel.X,
        sel.labels,
        sel.label_names,
        f"{name} ({names_list(names)})",
        columns=names,
    )
    state = replace(state, source=replace(source, own=own))
    state, notes = _checked_plot(state, names, (*table.notes, *sel.notes))
    state = _with_error(state, "", notes)
    return start_run(state)


def _table_read(state: PageState, action: A.TableRead) -> Result:
    source = replace(state.source, own=None, table=None, file_name=action.file_name)
    state = replace(state, source=source)
    try:
        table = dataio.parse_table(action.text)
    except dataio.DataError as exc:
        return _data_failed(state, str(exc))
    return _table_parsed(state, A.TableParsed(table, action.file_name))


def _table_parsed(state: PageState, action: A.TableParsed) -> Result:
    source = replace(
        state.source, own=None, table=action.table, file_name=action.file_name
    )
    state = replace(state, source=source)
    x, y, label = action.table.suggest()
    return _select(state, x or "", y or "", label or "")


def _data_loading(state: PageState, action: A.DataLoading) -> Result:
    if not action.first:
        return say(state, action.text), []
    source = replace(
        state.source,
        own=None,
        table=None,
        file_name=action.file_name,
        error="",
        notes=(),
    )
    state, effects = show_data(replace(state, source=source))
    return say(state, action.text), effects


def _data_rejected(state: PageState, action: A.DataRejected) -> Result:
    return _data_failed(state, action.reason, state.source.notes)


def _columns(state: PageState, action: A.ColumnsChosen) -> Result:
    return _select(state, action.x, action.y, action.label)


def _point_added(state: PageState, action: A.PointAdded) -> Result:
    if state.source.kind != "click":
        return state, []
    X, labels = state.source.clicked
    try:
        X, labels = add_point(X, labels, action.x, action.y, action.label)
    except dataio.DataError as exc:
        return _with_error(state, str(exc)), []
    names = (
        ()
        if labels is None
        else tuple(f"class {j + 1}" for j in range(int(labels.max()) + 1))
    )
    own = _own(X, labels, names, "Your clicked points")
    source = replace(state.source, clicked=(X, labels), own=own, error="")
    return show_data(replace(state, source=source))


def _points_cleared(state: PageState, _action) -> Result:
    source = replace(state.source, clicked=(None, None), own=None, error="")
    return show_data(replace(state, source=source))


def _fit(state: PageState, _action) -> Result:
    return start_run(state)


HANDLERS: dict[type, Callable[[PageState, object], Result]] = {
    A.DataSourceChosen: _data_source,
    A.DatasetChosen: _dataset,
    A.TableRead: _table_read,
    A.TableParsed: _table_parsed,
    A.DataLoading: _data_loading,
    A.DataRejected: _data_rejected,
    A.ColumnsChosen: _columns,
    A.ColumnChoiceEdited: _column_choice,
    A.PointAdded: _point_added,
    A.PointsCleared: _points_cleared,
    A.FitRequested: _fit,
}
