"""app.views.shown in CPython: what several views show alike, computed from
the page state and the run data, so no view reads another and the order the
views render in does not matter."""

from __future__ import annotations

import ast
import importlib.util
import sys
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from simapp.charts.data_chart import project_drawable
from simapp.data import datasets
from simapp.data import tables as dataio
from simapp.data.columns import ColumnChoice
from simapp.data.projection import Projection
from simapp.run.timeline import Timeline
from simapp.state import actions as A
from simapp.state import settings as S
from simapp.state.pagestate import DataSource, PageState, TimelineState
from simapp.state.reducer import reducer
from simapp.text.data_chart import plane_titles
from simapp.text.timeline import position_label

from emcore.experiment import iterate, run_data
from emcore.records import DataEvent

VIEWS = Path(__file__).resolve().parents[4] / "site" / "app" / "views"


def _load(name: str):
    """``app.views.<name>`` without running the package's ``__init__``,
    which builds the views (they import the browser; this module does not)."""
    spec = importlib.util.spec_from_file_location(
        f"app.views.{name}", VIEWS / f"{name}.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


shown = _load("shown")


def _recorded(**kwargs):
    """A run's events by kind, and its timeline as the page records it."""
    inits, ems, result, data = {}, {}, None, None
    tl = None
    for event in iterate(**kwargs):
        kind = event.kind
        if kind == "data":
            data = event
            tl = Timeline(event.settings["k"], "full")
        elif kind == "init":
            inits[event.start] = event
            tl.begin_start(event.start, event.weights, event.means, event.covariances)
        elif kind == "em":
            ems.setdefault(event.start, []).append(event)
            tl.append_frame(event)
        elif kind == "done":
            result = event.result
    return data, inits, ems, result, tl


@pytest.fixture(scope="module")
def recorded():
    return _recorded(k=3, n=300, overlap=30, seed=4, n_init=2)


def _same_ellipses(a, b):
    assert len(a) == len(b)
    for e, f in zip(a, b, strict=True):
        np.testing.assert_allclose(e.center, f.center, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(e.semi_axes, f.semi_axes, rtol=1e-8)


def test_timeline_positions_draw_the_recorded_parameters(recorded):
    data, inits, ems, result, tl = recorded
    X, labels = data.X, data.labels_true
    state, d = shown.timeline_drawable(tl, X, 0, labels, 3)
    assert state.phase == "init" and d.resp is None  # grey points, no E-step
    _same_ellipses(d.ellipses, inits[0].ellipses)
    state, d = shown.timeline_drawable(tl, X, 1, labels, 3)
    assert state.phase == "e"
    _same_ellipses(d.ellipses, inits[0].ellipses)
    np.testing.assert_allclose(d.resp, ems[0][0].resp, atol=1e-10)
    np.testing.assert_array_equal(d.mapping, ems[0][0].mapping)
    state, d = shown.timeline_drawable(tl, X, 2, labels, 3)
    assert (state.phase, state.iteration) == ("m", 1)
    _same_ellipses(d.ellipses, ems[0][0].ellipses)
    assert d.params is state.ellipse_params  # the parameters drawn
    last = tl.n_positions() - 1
    state, d = shown.timeline_drawable(tl, X, last, labels, 3)
    _same_ellipses(d.ellipses, ems[max(ems)][-1].ellipses)
    text = position_label(
        state.start,
        tl.n_starts,
        state.iteration,
        state.phase,
        loglik=state.loglik,
        converged=state.converged,
    )
    assert text.startswith(f"Start {max(ems) + 1} of 2, iteration {state.iteration}")
    assert "M-step" in text and "converged" in text


def test_start_drawable_is_that_starts_final_solution(recorded):
    data, _, ems, result, tl = recorded
    for i in range(len(result.starts)):
        d = shown.start_drawable(tl, data.X, result, i, data.labels_true, 3)
        _same_ellipses(d.ellipses, result.starts[i].ellipses)
        _same_ellipses(d.ellipses, ems[i][-1].ellipses)
        assert d.resp.shape == (300, 3)
        np.testing.assert_allclose(d.resp.sum(axis=1), 1.0)


def test_axis_titles_follow_the_data_source():
    assert shown.data_axis_titles(DataSource()) == ("x", "y")
    assert shown.data_axis_titles(DataSource(kind="click")) == ("x", "y")
    for name in datasets.names():
        meta = datasets.info(name)
        got = shown.data_axis_titles(DataSource(kind="dataset", dataset=name))
        assert got == (meta.x_label, meta.y_label)
        assert all(got)
    table = dataio.parse_table("height,weight,kind\n1,2,a\n3,4,b\n5,6,a\n")
    for kind in ("paste", "upload"):
        source = DataSource(kind=kind, table=table, columns=("weight", "height", ""))
        assert shown.data_axis_titles(source) == ("weight", "height")
    # no table (yet, or after a failed read): plain names, never empty ones
    assert shown.data_axis_titles(DataSource(kind="paste")) == ("x", "y")
    half = DataSource(kind="paste", table=table, columns=("height", "", ""))
    assert shown.data_axis_titles(half) == ("height", "y")


def test_a_failed_fit_is_told_apart_from_a_cancelled_one():
    running, _ = reducer(
        PageState(status="ready"), A.ControlsEdited((("k", "3"), ("seed", "1")))
    )
    failed, _ = reducer(running, A.RunFailed(running.generation, "broke", "error"))
    assert shown.fit_failed(running, failed)
    warned, _ = reducer(running, A.RunFailed(running.generation, "no data", "warn"))
    assert shown.fit_failed(running, warned)
    cancelled, _ = reducer(running, A.DataSourceChosen("paste"))
    assert not shown.fit_failed(running, cancelled)
    done, _ = reducer(running, A.RunFinished(running.generation, "Done."))
    assert not shown.fit_failed(running, done)
    assert not shown.fit_failed(failed, failed)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_projected_ellipses_are_the_projected_covariances(seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(200, 4)) @ rng.normal(size=(4, 4))
    result = run_data(X, k=3, seed=seed, n_init=1)
    proj = Projection.principal(X)
    drawn = shown.drawable_of(result, proj)
    assert drawn.resp is result.resp and drawn.mapping is result.mapping
    for j, ellipse in enumerate(drawn.ellipses):
        P = proj.matrix
        cov = P.T @ result.covariances[j] @ P
        np.testing.assert_allclose(ellipse.center, (result.means[j] - proj.center) @ P)
        np.testing.assert_allclose(
            np.sort(ellipse.semi_axes**2), np.linalg.eigvalsh(cov), rtol=1e-9
        )
    as_is = shown.drawable_of(result, None)
    assert as_is.ellipses == tuple(result.ellipses)  # the simulator's own
    assert project_drawable(as_is, None) is as_is
    assert plane_titles(proj.labels)[1].startswith("PC2")


def finished_run(recorded):
    """The run data of a finished run, as ``app.runner.RunData`` holds them."""
    data, _, _, result, tl = recorded
    model = SimpleNamespace(data=data, result=result, frame=None)
    return SimpleNamespace(model=model, timeline=tl, result=result)


@pytest.mark.parametrize("mode", ["live", "timeline", "start"])
def test_every_view_sees_the_same_timeline_position(recorded, mode):
    """The data chart draws, the log-likelihood chart marks and the timeline
    labels one position, each computing it from the state and the run."""
    run = finished_run(recorded)
    n = run.timeline.n_positions()
    for position in (0, 1, n // 2, n - 1, n + 3):
        timeline = TimelineState(
            mode=mode,
            selected=1 if mode == "start" else None,
            position=position,
            positions=n,
            has_result=True,
        )
        state = PageState(timeline=timeline)
        frame = shown.timeline_frame(state.timeline, run.timeline)
        drawn = shown.data_chart_shows(state, run)
        if mode != "timeline":
            assert frame is None and drawn.frame is None
            continue
        expected = run.timeline.state_at(min(position, n - 1))
        for got in (frame, drawn.frame):
            assert (got.start, got.iteration, got.phase) == (
                expected.start,
                expected.iteration,
                expected.phase,
            )
        assert (drawn.iteration, drawn.start) == (frame.iteration, frame.start + 1)
        assert drawn.name == "timeline"


def test_the_final_fit_and_a_start_are_told_apart(recorded):
    run = finished_run(recorded)
    final = shown.data_chart_shows(PageState(), run)
    assert (final.name, final.final) == ("final", True)
    assert final.iteration == run.result.iterations
    assert final.loglik == run.result.lower_bound
    assert final.drawable.resp is run.result.resp
    start = PageState(timeline=TimelineState(mode="start", selected=0))
    picked = shown.data_chart_shows(start, run)
    assert (picked.name, picked.final, picked.iteration) == ("start:0", False, None)
    live = SimpleNamespace(
        model=SimpleNamespace(data=run.model.data, result=None, frame=None),
        timeline=None,
        result=None,
    )
    assert shown.data_chart_shows(PageState(), live).drawable is None


def _source(kind="paste", own=None):
    return SimpleNamespace(
        kind=kind, own=own, table=None, columns=("", "", ""), dataset=""
    )


def _data(X):
    """A ``data`` event of points ``X`` alone."""
    return DataEvent(X, None, None, None, {})


def test_the_data_chart_and_the_kmeans_panel_share_one_plane():
    """One projection object per data and ``plot`` choice, whoever asks first."""
    rng = np.random.default_rng(3)
    data = _data(rng.normal(size=(60, 3)) @ rng.normal(size=(3, 3)))
    own = SimpleNamespace(columns=("a", "b", "c"), column_titles=("A (cm)", "B", "C"))

    def state(plot):
        return SimpleNamespace(
            source=_source(own=own), own_active=True, columns=ColumnChoice(plot=plot)
        )

    first, again = shown.plane(state(""), data), shown.plane(state(""), data)
    assert first.projection is again.projection and first.projection.kind == "pca"
    assert first.titles == first.named and first.named[0].startswith("PC1")
    pair = shown.plane(state("c,a"), data)
    assert pair.projection.kind == "pair" and pair.titles == ("C", "A (cm)")
    other = shown.plane(state("c,a"), _data(data.X.copy()))
    assert other.projection is not pair.projection  # new data, computed again
    simulated = SimpleNamespace(
        source=_source(kind="simulated"), own_active=False, columns=ColumnChoice()
    )
    plain = shown.plane(simulated, _data(rng.normal(size=(10, 2))))
    assert (plain.projection, plain.named, plain.titles) == (None, None, ("x", "y"))


def test_no_view_is_given_another_view():
    """Views share nothing but the state and the run data: none is built
    from another view (the painter is the page's one drawing queue)."""
    path = VIEWS / "__init__.py"
    init = next(
        node
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef) and node.name == "__init__"
    )
    views = {
        target.attr
        for node in init.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
        for target in node.targets
        if isinstance(target, ast.Attribute)
    }
    assert {"scatter", "loglik", "kmeans", "timeline"} <= views
    for node in ast.walk(init):
        if isinstance(node, ast.Call):
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                for sub in ast.walk(arg):
                    if isinstance(sub, ast.Attribute) and isinstance(
                        sub.value, ast.Name
                    ):
                        assert sub.attr not in views - {"painter"}, ast.unparse(node)


def test_start_handles_are_offered_at_iteration_zero_only(recorded):
    run = finished_run(recorded)
    _, inits, _, _, tl = recorded
    n = tl.n_positions()
    for position in range(n):
        state = PageState(timeline=TimelineState("timeline", None, position, n))
        handles = shown.start_handles(state, run)
        frame = tl.state_at(position)
        if frame.phase != "init":
            assert handles is None, position
            continue
        np.testing.assert_array_equal(handles, inits[frame.start].means)
    at_final = PageState(
        timeline=TimelineState("live", None, n - 1, n, has_result=True)
    )
    assert shown.start_handles(at_final, run) is None


@pytest.mark.parametrize("data_made", [True, False])
def test_a_run_from_moved_means_keeps_its_handles_until_it_records(recorded, data_made):
    """From a move until the run it starts records, the handles stay at the
    moved start, also before that run has made its data (a held arrow key
    lands there); a run without data, no longer running, has none."""
    run = finished_run(recorded)
    if not data_made:
        run.model.data, run.timeline = None, None
    moved = ((0.0, 1.0), (2.0, 3.0), (-1.0, 0.5))
    state = PageState(
        running=True,
        timeline=TimelineState(mode="timeline"),
        settings=S.Settings(k=3, means0=moved),
    )
    np.testing.assert_array_equal(shown.start_handles(state, run), moved)
    if not data_made:
        assert shown.start_handles(replace(state, running=False), run) is None


@pytest.mark.parametrize("cov", ["full", "diag", "spherical", "tied"])
def test_start_axes_are_offered_with_the_handles_of_every_type(recorded, cov):
    run = finished_run(recorded)
    _, inits, _, _, tl = recorded
    first = next(p for p in range(tl.n_positions()) if tl.state_at(p).phase == "init")
    state = PageState(
        timeline=TimelineState("timeline", None, first, tl.n_positions()),
        settings=S.Settings(k=3, cov=cov),
    )
    axes = shown.start_axes(state, run)
    start = inits[tl.state_at(first).start]
    np.testing.assert_array_equal(axes[0], start.means)
    np.testing.assert_array_equal(axes[1], np.asarray(start.covariances)[:, :2, :2])
    bayes = replace(state, settings=state.settings.with_changes(model="bayes"))
    assert shown.start_axes(bayes, run) is None


def test_a_run_from_a_shaped_start_keeps_its_axes_until_it_records(recorded):
    run = finished_run(recorded)
    means = ((0.0, 1.0), (2.0, 3.0), (-1.0, 0.5))
    covs = ((1.0, 0.5, 2.0), (1.0, 0.0, 1.0), (3.0, -1.0, 1.0))
    state = PageState(
        running=True,
        timeline=TimelineState(mode="timeline"),
        settings=S.Settings(k=3, means0=means, covs0=covs),
    )
    got_means, got_covs = shown.start_axes(state, run)
    np.testing.assert_array_equal(got_means, means)
    np.testing.assert_array_equal(got_covs, [[[a, b], [b, c]] for a, b, c in covs])
    # a tied start's one matrix is every component's
    tied = S.Settings(k=3, cov="tied", means0=means, covs0=covs[:1])
    _, got_covs = shown.start_axes(replace(state, settings=tied), run)
    np.testing.assert_array_equal(got_covs, [[[1.0, 0.5], [0.5, 2.0]]] * 3)


def _recorded_data(X, **settings):
    """Like :func:`_recorded`, for data the user brings."""
    from emcore.experiment import iterate_data

    data, result, tl = None, None, None
    for event in iterate_data(X, **settings):
        if event.kind == "data":
            data = event
            tl = Timeline(event.settings["k"], "full", n_features=X.shape[1])
        elif event.kind == "init":
            tl.begin_start(event.start, event.weights, event.means, event.covariances)
        elif event.kind == "em":
            tl.append_frame(event)
        elif event.kind == "done":
            result = event.result
    return data, None, None, result, tl


def test_one_column_is_drawn_on_no_plane_with_its_curves_at_every_position():
    rng = np.random.default_rng(6)
    X = np.r_[rng.normal(0.0, 1.0, 80), rng.normal(7.0, 1.5, 120)][:, None]
    run = finished_run(_recorded_data(X, k=2, seed=1, n_init=2))
    own = SimpleNamespace(columns=("width",), column_titles=("width (mm)",))
    state = SimpleNamespace(
        source=_source(own=own), own_active=True, columns=ColumnChoice()
    )
    plane = shown.plane(state, run.model.data)
    assert plane.projection is None and plane.titles == ("width (mm)", "density")
    n = run.timeline.n_positions()
    for position in (0, 1, n - 1):
        page = PageState(
            timeline=TimelineState(mode="timeline", position=position, positions=n)
        )
        drawn = shown.data_chart_shows(page, run).drawable
        assert drawn.ellipses == () and drawn.params.means.shape == (2, 1)
        assert (drawn.resp is None) == (position == 0)  # no E-step before 1
        expected = run.timeline.state_at(position).ellipse_params
        np.testing.assert_array_equal(drawn.params.means, expected.means)
    final = shown.data_chart_shows(PageState(), run)
    colours = np.array([[0.0, 0.45, 0.7], [0.9, 0.6, 0.0]])
    label = shown.chart_label(run.model, final, colours)
    assert label.startswith("Histogram of 200 data points. The final 2-component")
    assert "standard deviation" in label
