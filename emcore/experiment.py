"""One simulator run: the whole computation behind the page, in one place.

:func:`run` takes the page's settings under the names of its URL parameters
(``k``, ``n``, ``overlap``, ``cov``, ``iters``, ``tol``, ``seed``, ``n_init``)
and returns a mapping with every number and array the page shows. The page
animates :func:`iterate` instead, which yields one event per EM iteration and
per model-selection cell, then a final ``"done"`` event carrying exactly what
:func:`run` returns (``run`` is ``iterate`` run to the end), so the page and a
CPython test of the same settings get the same numbers.

Random streams: the data come from ``default_rng(seed)``; the watched fit's
k-means++ starts (``cov`` at ``k``) from ``default_rng([seed, k, type
index])``, the side-by-side k-means from ``default_rng([seed, k, 4])`` and
the sweep's k-means++ seeds for K components from ``default_rng([seed, K,
5])`` (:mod:`emcore.sweep`).

Starts: the fit the page animates (``cov`` at ``k``) keeps ``n_init``
k-means++ starts and is also the model-selection chart's cell at ``k``.
Every other cell is fitted by :mod:`emcore.sweep`: its own k-means++ start
competes with splits of the fit at K − 1 and, where the cells disagree,
merges of the fit at K + 1, so each cell reaches a good optimum at about
the cost of one start.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from ._lazy import Deferred, LazyMapping
from ._validation import (
    COVARIANCE_TYPES,
    check_choice,
    check_float,
    check_int,
    check_X,
)
from .exceptions import EmcoreConvergenceWarning as ConvergenceWarning
from .geometry import mixture_ellipses, to_full_covariances
from .initialization import _kmeans_steps
from .metrics import adjusted_rand_score, match_labels
from .mixture import GaussianMixture
from .rowblocks import ROW_BLOCK, row_slices
from .selection import local_optima_verdict
from .sweep import (
    INIT_PARAMS,
    REG_COVAR,
    SWEEP_KS,
    _background_step,
    _quietly,
    fit_rng,
    sweep_steps,
    sweep_summary,
)
from .synthetic import simulate

__all__ = [
    "COVARIANCE_TYPES",
    "DEFAULTS",
    "EXTRAS",
    "FIT_SETTINGS",
    "LIMITS",
    "SWEEP_KS",
    "BACKGROUND",
    "check_settings",
    "iterate",
    "iterate_data",
    "run",
    "run_data",
]

DEFAULTS = {
    "k": 3,
    "n": 500,
    "overlap": 20,
    "cov": "full",
    "iters": 100,
    "tol": 1e-4,
    "seed": 1,
    "n_init": 4,
}

#: Settings beyond the reference page. Their defaults leave its behaviour
#: unchanged: ``k_true`` (clusters in the simulated data; None = ``k``) and
#: ``compare`` (also sweep K for every covariance type, mclust-style).
EXTRAS = {"k_true": None, "compare": False}

#: Inclusive ranges of the numeric settings (the page's controls).
LIMITS = {
    "k": (2, 6),
    "k_true": (2, 6),
    "n": (100, 5000),
    "overlap": (0, 100),
    "iters": (10, 500),
    "tol": (1e-8, 1e-1),
    "seed": (0, 2**31 - 1),
    "n_init": (1, 10),
}

#: The settings that describe a fit, as opposed to the simulated data.
FIT_SETTINGS = ("k", "cov", "iters", "tol", "seed", "n_init", "compare")

#: Sent into :func:`iterate`'s generator (``events.send(BACKGROUND)``) in
#: place of ``next(events)`` while the watched fit runs: the generator then
#: yields the next step of the model-selection sweep (its event marked
#: ``"background": True``) instead of the fit's, or ``{"kind": "idle"}`` when
#: the rest of the sweep waits for the fit. A page fills the idle time of
#: its animation this way; the events and the result are the same.
BACKGROUND = "background"

#: Index that seeds the side-by-side k-means (after the covariance types).
_KMEANS_STREAM = len(COVARIANCE_TYPES)


def check_settings(**settings):
    """Fill in defaults and validate; returns a new dict of clean settings.

    Raises ``ValueError`` naming the setting, its value and its allowed range.
    """
    allowed = {**DEFAULTS, **EXTRAS}
    unknown = sorted(set(settings) - set(allowed))
    if unknown:
        raise ValueError(
            f"unknown setting(s) {', '.join(unknown)}; allowed: {', '.join(allowed)}"
        )
    s = {**allowed, **settings}
    if s["k_true"] is None:
        s["k_true"] = s["k"]
    out = {
        name: check_int(name, s[name], *LIMITS[name])
        for name in ("k", "k_true", "n", "iters", "seed", "n_init")
    }
    out["overlap"] = check_float("overlap", s["overlap"], *LIMITS["overlap"])
    out["tol"] = check_float("tol", s["tol"], *LIMITS["tol"])
    out["cov"] = check_choice("cov", s["cov"], COVARIANCE_TYPES)
    if not isinstance(s["compare"], bool):
        raise ValueError(f"compare must be True or False; got {s['compare']!r}")
    out["compare"] = s["compare"]
    return {name: out[name] for name in allowed}


def _model(s, n_components):
    """The page's fit of ``cov`` with ``n_components`` (the watched fit at
    ``k``): ``n_init`` k-means++ starts from the cell's stream."""
    return GaussianMixture(
        n_components,
        covariance_type=s["cov"],
        tol=s["tol"],
        reg_covar=REG_COVAR,
        max_iter=s["iters"],
        n_init=s["n_init"],
        init_params=INIT_PARAMS,
        random_state=fit_rng(s["seed"], n_components, COVARIANCE_TYPES.index(s["cov"])),
        on_singular="regularize",
    )


def _mapping(labels_true, labels, n_true, k):
    """Fitted component -> true cluster (identity when there is no truth)."""
    if labels_true is None:
        return np.arange(k)
    return match_labels(labels_true, labels, n_true, k)


def _frame(s, snap, start, truth):
    """Plain data for one animation frame.

    ``ellipses`` and ``mapping`` are what only a drawn frame needs and cost
    several EM iterations to build (more in Pyodide): they are computed when
    first read, so a page that skips drawing a frame never pays for them.
    """
    k = s["k"]
    frame = {
        "kind": "em" if snap.iteration else "init",
        "start": start,
        "n_starts": s["n_init"],
        "iteration": snap.iteration,
        "loglik_mean": snap.log_likelihood,
        "converged": snap.converged,
        "weights": snap.weights,
        "means": snap.means,
        "covariances": to_full_covariances(
            snap.covariances, s["cov"], k, snap.means.shape[1]
        ),
        "ellipses": Deferred(
            lambda: mixture_ellipses(snap.means, snap.covariances, s["cov"])
        ),
        "resp": snap.resp,
        "regularized": snap.regularized,
    }
    if snap.resp is not None:
        frame["mapping"] = Deferred(
            lambda: _mapping(
                truth["labels"], np.argmax(snap.resp, axis=1), truth["k"], k
            )
        )
    return LazyMapping(frame)


def iterate(**settings):
    """Run the simulator step by step.

    Yields dicts with a ``"kind"``:

    ``"data"``
        ``X`` (n, 2), ``labels_true`` (n,), ``true_means`` (k_true, 2),
        ``true_covariances`` (k_true, 2, 2), ``settings``.
    ``"init"``
        The initial parameters of start ``start`` (before its first
        iteration): ``weights``, ``means``, ``covariances``, ``ellipses``.
    ``"seed"``
        A heartbeat while start ``start`` is initialised (between k-means++
        centres, k-means iterations and the first M-step) and, on more than
        :data:`~emcore.rowblocks.ROW_BLOCK` points, between the row blocks
        of its EM iterations; nothing to draw.
    ``"em"``
        One EM iteration of start ``start`` (of ``n_starts``): ``iteration``,
        ``loglik_mean`` (per-sample log-likelihood from its E-step),
        ``weights``, ``means``, ``covariances`` (always (k, d, d)),
        ``ellipses`` (1σ), ``resp`` (n, k), ``mapping`` (fitted component ->
        true cluster, for stable colours) and ``regularized``.
    ``"sweep"``
        A heartbeat after each EM iteration of a model-selection fit, and
        between its row blocks on large data (``k``, ``cov``, ``start``,
        ``iteration``: the last finished iteration, 0 while the start is
        initialised); nothing to draw.
    ``"ic"``
        One cell of the model-selection sweep: ``k``, ``cov``, ``aic``,
        ``bic``, ``icl``, ``loglik``, ``params``, ``note``. The chosen
        covariance type comes first; with ``compare`` the other three
        follow. Within a type the cells come K descending (a cell is final
        once the merges of K + 1 have been tried; :mod:`emcore.sweep`), the
        watched cell when its fit has ended.
    ``"finish"``
        A heartbeat while the result is computed (``step`` names the
        part: ``"labels"``, ``"verdict"``, ``"starts"``, ``"kmeans"``);
        nothing to draw. On large data each part takes a while, and a page
        can paint between them (and between their row blocks).
    ``"done"``
        ``result``: the mapping :func:`run` returns.

    After any ``"seed"``, ``"init"`` or ``"em"`` event the caller may send
    :data:`BACKGROUND` instead of calling ``next``: the model-selection
    sweep then advances by one event (``"sweep"`` or ``"ic"`` with
    ``"background": True``, or ``{"kind": "idle"}`` once the rest of it waits
    for the watched fit) and the fit waits. Cells computed that way are not
    computed again: after the fit come the cells still missing, the watched
    cell last. The result is the same as with ``next`` alone.

    Parameters
    ----------
    **settings
        See :func:`run`.

    Examples
    --------
    >>> from emcore.experiment import BACKGROUND, iterate
    >>> events = iterate(k=2, n=200, seed=3)
    >>> kinds = [next(events)["kind"], next(events)["kind"]]
    >>> extra = events.send(BACKGROUND)
    >>> kinds, extra["kind"], extra["background"], extra["k"]
    (['data', 'seed'], 'sweep', True, 1)
    """
    s = check_settings(**settings)
    X, labels_true, mixture = simulate(
        s["n"], s["k_true"], s["overlap"] / 100.0, s["seed"], return_mixture=True
    )
    yield {
        "kind": "data",
        "X": X,
        "labels_true": labels_true,
        "true_means": mixture.means,
        "true_covariances": mixture.covariances,
        "settings": dict(s),
    }
    truth = {"labels": labels_true, "k": s["k_true"], "means": mixture.means}
    return (yield from _iterate_fit(s, X, truth))


def iterate_data(X, labels=None, **settings):
    """Like :func:`iterate`, for data the user brings.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        At least ``k`` samples and 2 features. With more than two, every
        covariance is (k, d, d) and the ``ellipses`` are those of the first
        two features' marginal (project them otherwise).
    labels : array-like of shape (n_samples,), optional
        Known classes (integers from 0); without them ``ari`` is None.
    **settings
        The fit settings of :func:`run` (``k``, ``cov``, ``iters``, ``tol``,
        ``seed``, ``n_init``, ``compare``).
    """
    extra = sorted(set(settings) - set(FIT_SETTINGS))
    if extra:
        raise ValueError(
            f"setting(s) {', '.join(extra)} describe simulated data; for your "
            f"own data the settings are {', '.join(FIT_SETTINGS)}"
        )
    X = check_X(X, min_samples=2)
    if X.shape[1] < 2:
        raise ValueError(f"X must have at least 2 columns (features); got {X.shape[1]}")
    s = check_settings(**settings)
    if len(X) < s["k"]:
        raise ValueError(
            f"k must be at most the number of points ({len(X)}); got {s['k']}"
        )
    s["n"], s["overlap"], s["k_true"] = len(X), None, None
    truth = {"labels": None, "k": None, "means": None}
    if labels is not None:
        labels = np.asarray(labels)
        if labels.shape != (len(X),) or not np.issubdtype(labels.dtype, np.integer):
            raise ValueError(
                f"labels must be {len(X)} integers, one per point; got an array "
                f"of shape {labels.shape} and type {labels.dtype}"
            )
        if labels.min() < 0:
            raise ValueError(f"labels must be >= 0; got {labels.min()}")
        n_true = int(labels.max()) + 1
        truth = {"labels": labels.astype(np.int64), "k": n_true, "means": None}
        s["k_true"] = n_true
    yield {
        "kind": "data",
        "X": X,
        "labels_true": truth["labels"],
        "true_means": None,
        "true_covariances": None,
        "settings": dict(s),
    }
    return (yield from _iterate_fit(s, X, truth))


def _iterate_fit(s, X, truth):
    gm = _model(s, s["k"])
    # every fit below is of the same X: its moment features are prepared
    # once per kind (pairs for full and tied, squares for diag and spherical)
    workspaces = {}
    fitted = [False]  # read by the sweep: it scores the watched fit after it
    sweep = sweep_steps(s, X, gm, fitted, workspaces)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        steps = gm.fit_steps(
            X,
            return_resp=True,
            include_initial=True,
            progress=True,
            _workspaces=workspaces,
        )
        for start, snap in steps:
            if snap is None:
                request = yield {"kind": "seed", "start": start}
            else:
                request = yield _frame(s, snap, start, truth)
            while request == BACKGROUND:
                request = yield _background_step(sweep)
    fitted[0] = True
    while True:
        try:
            event = _quietly(sweep)
        except StopIteration as stop:
            cells = stop.value
            break
        yield event
    result = yield from _result(s, X, truth, gm, cells)
    yield {"kind": "done", "result": result}
    return result


def _ari(labels_true, labels):
    if labels_true is None:
        return None
    return float(adjusted_rand_score(labels_true, labels))


def _component_names(gm, which, tied):
    if tied:
        return "The shared (tied) covariance"
    return "Component(s) " + ", ".join(str(j + 1) for j in which)


def _finish(step):
    return {"kind": "finish", "step": step}


def _by_rows(predict, X, slices, step, axis=0):
    """``predict(X)`` by row blocks, a ``finish`` heartbeat after each, the
    parts joined along ``axis``. A row's values may differ from the whole
    array's in the last bit (``predict_proba`` picks its exp path per call),
    never between CPython and Pyodide, which run the same blocks."""
    parts = []
    for sl in slices:
        parts.append(predict(X[sl]))
        yield _finish(step)
    return parts[0] if len(parts) == 1 else np.concatenate(parts, axis=axis)


def _notes(s, gm):
    """Sentences on the watched fit's regularised or collapsed components
    and on a capped EM."""
    notes = []
    tied = s["cov"] == "tied"
    if gm.regularized_:
        notes.append(
            f"{_component_names(gm, gm.regularized_, tied)} collapsed onto too "
            "few points; a small ridge was added to the covariance so EM could "
            "go on."
        )
    if gm.collapsed_:
        notes.append(
            f"{_component_names(gm, gm.collapsed_, tied)} ended on a single "
            "point or a line: the spread is negligible, and only the "
            "regularisation of the covariance keeps it usable."
        )
    if not gm.converged_:
        notes.append(
            f"EM stopped at the cap of {s['iters']} iterations before the "
            f"change in log-likelihood fell below {s['tol']:g}."
        )
    return notes


def _result(s, X, truth, gm, cells):
    """Generator of ``finish`` heartbeats; returns :func:`run`'s mapping."""
    k = s["k"]
    labels_true = truth["labels"]
    slices = row_slices(len(X), ROW_BLOCK)
    resp = yield from _by_rows(gm.predict_proba, X, slices, "labels")
    labels_pred = np.argmax(resp, axis=1)
    verdict = local_optima_verdict(gm, X)
    yield _finish("verdict")
    main = cells[s["cov"], k]
    notes = _notes(s, gm)

    best_start = int(np.argmax([st.lower_bound for st in gm.starts_]))
    start_labels = yield from _by_rows(gm.predict_starts, X, slices, "starts", 1)
    starts = [
        {
            "loglik_mean": st.lower_bound,
            "iterations": st.n_iter,
            "converged": st.converged,
            "ari_vs_best": float(
                adjusted_rand_score(start_labels[best_start], start_labels[i])
            ),
            "ari": _ari(labels_true, start_labels[i]),
            "ellipses": mixture_ellipses(st.means, st.covariances, s["cov"]),
            "means": st.means,
        }
        for i, st in enumerate(gm.starts_)
    ]
    if len(slices) > 1:  # the scores of 200,000 labels take a while
        yield _finish("starts")

    kmeans = _kmeans_steps(X, k, fit_rng(s["seed"], k, _KMEANS_STREAM), slices=slices)
    while True:
        try:
            next(kmeans)
        except StopIteration as stop:
            km_centers, km_labels = stop.value
            break
        yield _finish("kmeans")
    km_ari = _ari(labels_true, km_labels)
    if len(slices) > 1:  # the scores of 200,000 labels take a while
        yield _finish("kmeans")
    return {
        "settings": dict(s),
        "params": main.n_parameters,
        "iterations": int(gm.n_iter_),
        "converged": bool(gm.converged_),
        "loglik": main.log_likelihood,
        "aic": main.aic,
        "bic": main.bic,
        "icl": main.icl,
        "ari": _ari(labels_true, labels_pred),
        "verdict": verdict.status,
        "verdict_reason": verdict.reason,
        "n_optima": verdict.n_optima,
        "best_hits": verdict.best_hits,
        "lower_bound": float(gm.lower_bound_),
        "trace": list(gm.lower_bounds_),
        "start_traces": [list(st.lower_bounds) for st in gm.starts_],
        "best_start": best_start,
        "starts": starts,
        "weights": gm.weights_,
        "means": gm.means_,
        "covariances": to_full_covariances(gm.covariances_, s["cov"], k, X.shape[1]),
        "ellipses": mixture_ellipses(gm.means_, gm.covariances_, s["cov"]),
        "resp": resp,
        "uncertainty": 1.0 - resp.max(axis=1),
        "labels_pred": labels_pred,
        "mapping": _mapping(labels_true, labels_pred, truth["k"], k),
        "X": X,
        "labels_true": labels_true,
        "true_means": truth["means"],
        **sweep_summary(cells, s["cov"]),
        "kmeans": {
            "centers": km_centers,
            "labels": km_labels,
            "ari": km_ari,
            "mapping": _mapping(labels_true, km_labels, truth["k"], k),
        },
        "regularized": tuple(gm.regularized_),
        "collapsed": tuple(gm.collapsed_),
        "notes": notes,
        "n_samples_log": math.log(len(X)),
    }


def _last(events):
    for event in events:
        if event["kind"] == "done":
            return event["result"]
    raise RuntimeError("the simulator ended without a result")  # pragma: no cover


def run(**settings):
    """The page's whole computation for one run.

    Parameters
    ----------
    k : int, default 3
        Number of fitted components (2–6).
    k_true : int, optional
        Number of clusters in the simulated data (2–6); defaults to ``k``.
        A different value shows over- or under-fitting.
    n : int, default 500
        Sample size (100–5000).
    overlap : float, default 20
        True overlap in percent (0–100); see :mod:`emcore.synthetic`.
    cov : {'full', 'tied', 'diag', 'spherical'}, default 'full'
    iters : int, default 100
        Maximum EM iterations per start (10–500).
    tol : float, default 1e-4
        Convergence tolerance on the per-sample log-likelihood (1e-8–1e-1).
    seed : int, default 1
        Seeds the data and the fits (0–2**31-1).
    n_init : int, default 4
        k-means++ starts of the fit at ``k``; the best final log-likelihood
        wins (1–10). The other model-selection cells are fitted as
        :mod:`emcore.sweep` describes.
    compare : bool, default False
        Also sweep K for the other three covariance types.

    Returns
    -------
    dict
        ``params`` (free parameters), ``iterations`` (of the best start),
        ``converged``, ``loglik`` (total log-likelihood ℓ at the final
        parameters), ``aic`` (−2ℓ + 2p), ``bic`` (−2ℓ + p ln N), ``icl``,
        ``ari`` (against the true labels), ``verdict`` ('OK'/'WARN') and
        ``verdict_reason``, plus what the page draws: ``trace``,
        ``start_traces``, ``starts`` (each start's final log-likelihood,
        iterations, ARI against the best start and the truth, ellipses),
        ``n_optima``, ``best_hits``, ``means``, ``covariances``,
        ``ellipses``, ``resp``, ``uncertainty`` (1 − max γ), ``mapping``,
        ``X``, ``labels_true``, ``true_means``, ``sweep_ks``, ``sweep_aic``,
        ``sweep_bic``, ``sweep_icl`` (K from 1 to
        :func:`emcore.sweep.max_components` of the data, or to ``k``),
        ``best_k_aic``, ``best_k_bic``, ``best_k_icl``; ``sweep_notes`` (per
        K: why that fit rests on a suspect component, ``""`` if none),
        ``best_k_aic_healthy``, ``best_k_bic_healthy``,
        ``best_k_icl_healthy`` (the picks over fits without such
        components, None if there is none), ``pick_notes`` ({criterion: note
        of its pick}),
        ``comparison`` ({cov: {ks, aic, bic, icl, params, notes}}),
        ``best_model`` ((cov, K) with the lowest BIC), ``best_model_healthy``
        (the same over fits without suspect components, None if there is
        none), ``kmeans`` (centres, labels, ARI of
        k-means on the same data), ``regularized`` and ``collapsed``
        (0-based components that needed an extra ridge / ended on a point or
        a line) and ``notes`` (sentences saying so).

    Examples
    --------
    >>> from emcore.experiment import run
    >>> result = run(k=3, n=300, overlap=0, seed=7)
    >>> result["params"], result["ari"] > 0.99, result["verdict"] in ("OK", "WARN")
    (17, True, True)
    """
    return _last(iterate(**settings))


def run_data(X, labels=None, **settings):
    """:func:`iterate_data` run to the end: the same result for your own data
    (``ari`` and the k-means ARI are None without labels).

    Examples
    --------
    >>> import numpy as np
    >>> from emcore.experiment import run_data
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (60, 2)), rng.normal(6, 1, (60, 2))])
    >>> result = run_data(X, np.repeat([0, 1], 60), k=2, seed=3)
    >>> result["ari"], result["best_k_bic"]
    (1.0, 2)
    """
    return _last(iterate_data(X, labels, **settings))
