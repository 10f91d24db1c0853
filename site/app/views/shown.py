"""What the charts show, as pure functions of the page state and the run data.

Views never read one another: what several of them show alike comes from
here, computed from the page state and the run's data
(:class:`app.runner.RunData`) by each view that needs it, so the order in
which the views render does not matter.

* :func:`timeline_frame`: the timeline position on show (the data chart
  draws it, the log-likelihood chart marks it, the timeline labels it).
* :func:`plane`: the plane the data chart and the k-means panel draw a fit
  of more than two columns on, and their axis titles.
* :func:`data_chart_shows`: what the data chart draws (a
  :class:`~simapp.charts.data_chart.Drawable`) and what that is, in numbers;
  :func:`caption` and :func:`chart_label` pick the sentences saying it
  (:mod:`simapp.text`'s) above the chart and to screen readers.
* :func:`anomalies`: the points of lowest fitted density of a finished run
  (``anomaly=P``): the data chart rings them, the results panel counts them.
* :func:`start_handles`: the starting means the data chart offers to drag.
* :func:`start_axes`: with them, the starting covariances whose axes the
  data chart offers to drag (EM).

Plain Python (no browser module): the tests run it in CPython.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from simapp.charts import palette
from simapp.charts.data_chart import Drawable, project_drawable
from simapp.data import datasets, gallery
from simapp.data.projection import Projection, choose_projection
from simapp.run.anomalies import Anomalies, find_anomalies
from simapp.run.timeline import FrameState, Params, Timeline, responsibilities
from simapp.state.startcov import covs0_count
from simapp.text import data_chart as words
from simapp.text import describe

from emcore import experiment
from emcore.geometry import plane_ellipses
from emcore.records import DataEvent, ExperimentResult, FrameEvent

__all__ = [
    "Plane",
    "Shown",
    "caption",
    "chart_label",
    "data_axis_titles",
    "data_chart_shows",
    "drawable_of",
    "fit_failed",
    "plane",
    "start_drawable",
    "start_axes",
    "start_handles",
    "timeline_drawable",
    "timeline_frame",
]


# ------------------------------------------------------------------ timeline
def timeline_frame(timeline_state, timeline: Timeline | None) -> FrameState | None:
    """The timeline position on show, or None (the live run, the final fit,
    a start's solution, or nothing recorded yet).

    Parameters
    ----------
    timeline_state : simapp.state.pagestate.TimelineState
        ``PageState.timeline``.
    timeline : Timeline or None
        The run's recorded iterations (``RunData.timeline``).
    """
    if timeline_state.mode != "timeline" or timeline is None:
        return None
    n = timeline.n_positions()
    if not n:
        return None
    return timeline.state_at(min(timeline_state.position, n - 1))


def timeline_drawable(
    timeline: Timeline, X, position: int, labels_true=None, n_true=None
) -> tuple[FrameState, Drawable]:
    """State at a global half-step ``position`` and what to draw for it.

    At ``phase == 'init'`` the points stay grey (no E-step yet); the
    ellipses' colours come from the responsibilities the initial parameters
    would give, so they do not change colour at the first E-step.
    """
    state = timeline.state_at(position)
    resp = timeline.resp_at(X, position)
    shown = state.ellipse_params
    basis = resp
    if basis is None and shown is not None:
        basis = responsibilities(X, shown)[0]
    mapping = palette.colour_mapping(basis, labels_true, n_true, timeline.n_components)
    ellipses = (
        plane_ellipses(shown.means, shown.covariances, "full")
        if shown is not None
        else ()
    )
    return state, Drawable(ellipses, resp, mapping, shown)


def start_drawable(
    timeline: Timeline, X, result, start: int, labels_true=None, n_true=None
) -> Drawable:
    """A start's final solution: its ellipses from ``result.starts`` and
    point colours from its final parameters (one E-step)."""
    info = result.starts[start]
    params = None
    resp = None
    if start < timeline.n_starts and timeline.n_iterations(start):
        params = timeline.params(start, timeline.n_iterations(start))
        resp = responsibilities(X, params)[0]
    k = len(info.ellipses)
    mapping = palette.colour_mapping(resp, labels_true, n_true, k)
    return Drawable(tuple(info.ellipses), resp, mapping, params)


# ------------------------------------------------------------------ plane
@dataclass(frozen=True)
class Plane:
    """The plane a run's data are drawn on, and its axis titles.

    Attributes
    ----------
    projection : Projection or None
        None: the data's two columns drawn as they are.
    named : tuple of str or None
        The projection's or the columns' own titles (None: nothing names
        them, as for simulated data).
    titles : tuple of str
        The titles drawn: ``named``, else those of the data source.
    """

    projection: Projection | None
    named: tuple[str, str] | None
    titles: tuple[str, str]


# The latest projection: (plot, own data, data) it was computed for, and it.
_last_projection: list = []


def plane(state, data: DataEvent) -> Plane:
    """The plane of the data chart and the k-means panel for this run.

    Parameters
    ----------
    state : simapp.state.pagestate.PageState
    data : emcore.records.DataEvent
        The run's ``data`` event (``X`` of shape (n, d)).

    Returns
    -------
    Plane
        The same projection object while the data and the ``plot`` choice
        stay (a principal-component fit of many rows is not redone).
    """
    own = state.source.own if state.own_active else None
    plot = state.columns.plot
    last = _last_projection
    # the objects themselves, not their ids: a freed object's id is reused
    if not (last and last[0][0] == plot and last[0][1] is own and last[0][2] is data):
        last[:] = [(plot, own, data), _projection(plot, own, data.X)]
    projection, named = last[1]
    return Plane(projection, named, named or data_axis_titles(state.source))


def _projection(plot: str, own, X) -> tuple[Projection | None, tuple | None]:
    """The projection ``plot`` asks for, and the titles naming its axes."""
    names = own.columns if own is not None else ()
    titles = (own.column_titles or own.columns) if own is not None else ()
    if len(names) != X.shape[1]:
        names = titles = ()
    if X.shape[1] == 1:  # drawn as a histogram, on no plane
        # simulated values on a line are plain x, over their density
        return None, words.plane_titles(None, titles or words.PLAIN_AXES[:1])
    projection, _ = choose_projection(plot, X, names, titles)
    labels = None if projection is None else projection.labels
    return projection, words.plane_titles(labels, titles)


def data_axis_titles(source) -> tuple[str, str]:
    """``(x title, y title)`` for the points a data source describes.

    Simulated and clicked points have plain ``x`` and ``y``; a bundled
    dataset names its measurements with units; a pasted or uploaded table
    names the columns chosen for x and y. Never empty strings: a missing
    name falls back to ``x`` / ``y``.

    Parameters
    ----------
    source : simapp.state.pagestate.DataSource
    """
    names: tuple[str, str] = words.PLAIN_AXES
    if source.kind in ("upload", "paste") and source.table is not None:
        names = (source.columns[0], source.columns[1])
    elif source.kind == "dataset" and source.dataset in datasets.DATASETS:
        meta = datasets.info(source.dataset)
        names = (meta.x_label, meta.y_label)
    return words.axis_titles(names)


# ------------------------------------------------------------------ data chart
@dataclass(frozen=True)
class Shown:
    """What the data chart shows, and what that is.

    Attributes
    ----------
    drawable : Drawable or None
        On the chart's plane; None: the data only (grey points).
    name : str
        ``live``, ``final``, ``timeline`` or ``start:<i>`` (``data-source``).
    frame : FrameState or None
        The timeline position shown.
    final : bool
        Whether it is the finished fit.
    iteration, start : int or None
        The iteration shown and its start (1-based), when known.
    loglik : float or None
        Its log-likelihood per point, when known.
    """

    drawable: Drawable | None
    name: str
    frame: FrameState | None = None
    final: bool = False
    iteration: int | None = None
    start: int | None = None
    loglik: float | None = None


def data_chart_shows(state, run) -> Shown:
    """What the data chart shows for ``state`` and the run data ``run``.

    The live frame or the final fit, a timeline position, or one start's
    final solution (``state.timeline.mode``), projected onto :func:`plane`.
    ``run.model`` must hold the run's data.
    """
    model, ex, tl = run.model, state.timeline, run.timeline
    data = model.data
    X, labels_true = data.X, data.labels_true
    n_true = data.settings.get("k_true")
    projection = plane(state, data).projection
    name = _source_name(ex, model)
    frame = timeline_frame(ex, tl)
    if frame is not None:
        _, drawable = timeline_drawable(tl, X, frame.position, labels_true, n_true)
        return Shown(
            project_drawable(drawable, projection),
            name,
            frame,
            iteration=int(frame.iteration),
            start=int(frame.start) + 1,
        )
    if ex.mode == "start" and run.result is not None and tl is not None:
        drawable = start_drawable(tl, X, run.result, ex.selected, labels_true, n_true)
        return Shown(project_drawable(drawable, projection), name)
    if model.result is not None:
        r = model.result
        return Shown(
            drawable_of(r, projection),
            name,
            final=True,
            iteration=int(r.iterations),
            loglik=float(r.lower_bound),
        )
    if model.frame is not None:
        f = model.frame
        return Shown(
            drawable_of(f, projection),
            name,
            iteration=int(f.iteration),
            start=int(f.start) + 1,
            loglik=f.loglik_mean,
        )
    return Shown(None, name)


#: The last :func:`anomalies` computed, ``(result, percent, Anomalies)``:
#: the data chart and the results panel ask for the same ones in a render.
_FOUND: list = [None, 0, None]


def anomalies(state, run) -> Anomalies | None:
    """The ``state.display.anomaly`` % of points of lowest density under
    the finished run's fit (``run.result``), scored against the planted
    outliers of gallery data; None when off or before a result."""
    percent, result = state.display.anomaly, run.result
    if not percent or result is None:
        return None
    if _FOUND[0] is not result or _FOUND[1] != percent:
        own = state.source.own
        planted = None
        if own is not None and len(own.X) == len(result.X):
            planted = gallery.planted_outliers(own.dataset, own.labels, own.label_names)
        _FOUND[:] = [result, percent, find_anomalies(result, percent, planted)]
    return _FOUND[2]


def start_handles(state, run) -> np.ndarray | None:
    """The watched fit's starting means the data chart offers to move, of
    shape (k, 2), or None.

    Offered at a start's iteration 0 on the timeline (a paused run, or the
    timeline stepped back) of a two-column fit; while a run from moved
    means has recorded nothing yet, at those means (the handles stay, and
    with them the keyboard's focus).
    """
    tl, settings, model = state.timeline, state.settings, run.model
    if tl.mode != "timeline" or model is None:
        return None
    data = model.data
    if data is not None and data.X.shape[1] != 2:
        return None
    if state.running and not tl.positions and len(settings.means0) == settings.k:
        # also before the run has made its data: presses quicker than the
        # runs they start (a held arrow key) find the handles there
        return np.asarray(settings.means0, dtype=np.float64)
    if data is None:
        return None
    frame = timeline_frame(tl, run.timeline)
    if frame is None or frame.phase != "init" or frame.ellipse_params is None:
        return None
    return np.asarray(frame.ellipse_params.means, dtype=np.float64)


def start_axes(state, run) -> tuple[np.ndarray, np.ndarray] | None:
    """The starting means, of shape (k, 2), and covariances, (k, 2, 2),
    whose ellipses' axes the data chart offers to move, or None.

    Offered with :func:`start_handles` for an EM fit; while a run from a
    reshaped start has recorded nothing yet, at that start (a tied one's
    shared matrix for every component).
    """
    settings = state.settings
    if settings.model != "em":
        return None
    means = start_handles(state, run)
    if means is None:
        return None
    k, tl = settings.k, state.timeline
    if state.running and not tl.positions:
        count = covs0_count(k, settings.cov)
        if len(settings.covs0) != count or len(settings.means0) != k:
            return None
        covs = [[[a, b], [b, c]] for a, b, c in settings.covs0] * (k // count)
        return means, np.asarray(covs, dtype=np.float64)
    frame = timeline_frame(tl, run.timeline)
    if frame is None or frame.ellipse_params is None:
        return None
    covs = np.asarray(frame.ellipse_params.covariances, dtype=np.float64)
    return means, covs[:, :2, :2]


def _source_name(ex, model) -> str:
    if ex.mode == "timeline":
        return "timeline"
    if ex.mode == "start":
        return f"start:{ex.selected}"
    return "final" if model.result is not None else "live"


def drawable_of(source: ExperimentResult | FrameEvent, projection) -> Drawable:
    """A result or a live frame as a :class:`Drawable`: the simulator's
    ellipses, or those of the projected parameters."""
    params = None
    if source.weights is not None and source.covariances is not None:
        params = Params(
            np.asarray(source.weights, dtype=np.float64),
            np.asarray(source.means, dtype=np.float64),
            np.asarray(source.covariances, dtype=np.float64),
        )
    resp, mapping = source.resp, source.mapping
    if projection is None:
        return Drawable(tuple(source.ellipses), resp, mapping, params)
    return project_drawable(Drawable((), resp, mapping, params), projection)


# ------------------------------------------------------------------ words
def caption(state, model, frame) -> str:
    """The sentence above the chart: what the frame shows.

    Parameters
    ----------
    state : simapp.state.pagestate.PageState
    model : simapp.run.model.RunModel
        The run (its settings, result, latest frame, sweep and counts).
    frame : simapp.run.timeline.FrameState or None
        The timeline position shown (:func:`timeline_frame`).
    """
    ex = state.timeline
    if ex.mode != "live":
        if frame is None or ex.mode == "start":
            return words.frame_head(ex.mode, ex.selected)
        return words.frame_head(
            ex.mode,
            None,
            phase=frame.phase,
            start=frame.start,
            iteration=frame.iteration,
        )
    s = model.settings
    if model.result is not None:
        r = model.result
        return words.final_caption(
            r.iterations,
            r.converged,
            best_start=r.best_start,
            n_init=s["n_init"],
        )
    if model.sweep is not None and model.phase == "sweep":
        sw = model.sweep
        return words.sweep_label(sw.k, sw.start, sw.iteration, experiment.SWEEP_KS)
    if model.frame is not None:
        f = model.frame
        return words.frame_label(
            f.start, f.n_starts, f.iteration, converged=f.converged
        )
    if s.get("own"):
        n = len(model.data.X) if model.data is not None else 0
        return words.own_data_label(
            s["own"],
            n,
            clicking=state.source.kind == "click",
            fitted=model.counts.get("em", 0) > 0,
        )
    return words.data_label(s["n"], s.get("k_true", s["k"]), s.get("dims", 2))


def chart_label(model, shown, colours) -> str:
    """The canvas's label: the points and the mixture drawn, in words.

    Parameters
    ----------
    model : simapp.run.model.RunModel
    shown : Shown
        What the chart shows.
    colours : ndarray of shape (K, 3) or None
        The components' colours (None: grey points, no mixture).
    """
    n, d = model.data.X.shape
    line = d == 1  # one column: a histogram
    drawable = shown.drawable
    params = None if drawable is None else drawable.params
    if params is None or colours is None:
        return words.chart_label(n, line=line)
    text = describe.describe_fit(
        params.means,
        params.covariances,
        params.weights,
        colour_names=describe.colour_names(palette.nearest(colours)),
        iteration=shown.iteration,
        start=shown.start,
        log_likelihood=shown.loglik,
        what=describe.WHAT_FINAL if shown.final else describe.WHAT_A,
    )
    return words.chart_label(n, text, line=line)


def fit_failed(old, new) -> bool:
    """Whether ``old -> new`` (page states) is a run ending without a result
    on a problem (not a cancellation by the user, whose message is a plain
    info)."""
    return (
        old.running
        and not new.running
        and not new.timeline.has_result
        and new.message.kind in ("warn", "error")
    )
