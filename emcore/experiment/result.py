"""A finished run summarised: the :class:`~emcore.records.ExperimentResult`.

:func:`result_steps` labels the data, judges the starts, reads the sweep's
picks and runs the side-by-side k-means, with a ``finish`` heartbeat between
the parts (and their row blocks on large data).
"""

from __future__ import annotations

import math

import numpy as np

from ..geometry import plane_ellipses, to_full_covariances
from ..initialization import _kmeans_steps
from ..kernels.rowblocks import ROW_BLOCK, row_slices
from ..metrics import adjusted_rand_score
from ..records import (
    CRITERIA,
    CovarianceSweep,
    CriterionPick,
    ExperimentResult,
    FinishEvent,
    KMeansResult,
    Picks,
    StartSummary,
    component_mapping,
)
from ..selection import healthy_picks, local_optima_verdict
from .settings import KMEANS_STREAM, fit_rng


def _ari(labels_true, labels):
    if labels_true is None:
        return None
    return float(adjusted_rand_score(labels_true, labels))


def _component_names(gm, which, tied):
    if tied:
        return "The shared (tied) covariance"
    return "Component(s) " + ", ".join(str(j + 1) for j in which)


def _finish(step):
    return FinishEvent(step)


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
    """Sentences on components that collapsed and on the iteration cap."""
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
    return tuple(notes)


def _selection(s, cells):
    """The sweep's cells as ``(comparison, picks, best_model)`` of the result."""
    comparison = {}
    for (cov, j), cell in cells.items():
        col = comparison.setdefault(
            cov, {"ks": [], "aic": [], "bic": [], "icl": [], "params": [], "notes": []}
        )
        col["ks"].append(j)
        for name in CRITERIA:
            col[name].append(getattr(cell, name))
        col["params"].append(cell.n_parameters)
        col["notes"].append(cell.note)
    mine = comparison[s["cov"]]
    mine_cells = [c for c in cells.values() if c.covariance_type == s["cov"]]
    picks = {}
    for crit in CRITERIA:
        k_raw = mine["ks"][int(np.argmin(mine[crit]))]
        # mclust's rule: fits resting on suspect components are left out
        k_healthy = healthy_picks(mine_cells, [s["cov"]], crit)[s["cov"]]
        picks[crit] = CriterionPick(
            k=k_raw if k_healthy is None else k_healthy,
            k_healthy=k_healthy,
            note=mine["notes"][mine["ks"].index(k_raw)],
            k_raw=k_raw,
        )
    # the same rule for the best (type, K): healthy cells first
    best_cell = min(
        cells.values(), key=lambda c: (not c.healthy, c.bic, c.n_parameters)
    )
    sweeps = {
        cov: CovarianceSweep(**{name: tuple(values) for name, values in col.items()})
        for cov, col in comparison.items()
    }
    return sweeps, Picks(**picks), (best_cell.covariance_type, best_cell.n_components)


def _starts(s, gm, start_labels, best_start, labels_true, groups):
    """Each start's summary, in order (``groups``: the verdict's optima)."""
    return tuple(
        StartSummary(
            loglik_mean=st.lower_bound,
            iterations=st.n_iter,
            converged=st.converged,
            ari_vs_best=float(
                adjusted_rand_score(start_labels[best_start], start_labels[i])
            ),
            ari=_ari(labels_true, start_labels[i]),
            ellipses=plane_ellipses(st.means, st.covariances, s["cov"]),
            means=st.means,
            optimum=int(groups[i]),
        )
        for i, st in enumerate(gm.starts_)
    )


def result_steps(s, X, truth, gm, cells):
    """Generator of ``finish`` heartbeats; returns
    :func:`emcore.experiment.run`'s result."""
    k = s["k"]
    labels_true = truth["labels"]
    slices = row_slices(len(X), ROW_BLOCK)
    resp = yield from _by_rows(gm.predict_proba, X, slices, "labels")
    labels_pred = np.argmax(resp, axis=1)
    verdict = local_optima_verdict(gm, X)
    yield _finish("verdict")
    main = cells[s["cov"], k]
    comparison, picks, best_model = _selection(s, cells)

    best_start = int(np.argmax([st.lower_bound for st in gm.starts_]))
    start_labels = yield from _by_rows(gm.predict_starts, X, slices, "starts", 1)
    starts = _starts(s, gm, start_labels, best_start, labels_true, verdict.groups)
    if len(slices) > 1:  # the scores of 200,000 labels take a while
        yield _finish("starts")

    kmeans = _kmeans_steps(X, k, fit_rng(s["seed"], k, KMEANS_STREAM), slices=slices)
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
    return ExperimentResult(
        settings=dict(s),
        params=main.n_parameters,
        iterations=int(gm.n_iter_),
        converged=bool(gm.converged_),
        loglik=main.log_likelihood,
        aic=main.aic,
        bic=main.bic,
        icl=main.icl,
        ari=_ari(labels_true, labels_pred),
        verdict=verdict.status,
        verdict_reason=verdict.reason,
        n_optima=verdict.n_optima,
        best_hits=verdict.best_hits,
        verdict_checked=verdict.checked,
        lower_bound=float(gm.lower_bound_),
        trace=tuple(gm.lower_bounds_),
        start_traces=tuple(tuple(st.lower_bounds) for st in gm.starts_),
        best_start=best_start,
        starts=starts,
        weights=gm.weights_,
        means=gm.means_,
        covariances=to_full_covariances(gm.covariances_, s["cov"], k, X.shape[1]),
        ellipses=plane_ellipses(gm.means_, gm.covariances_, s["cov"]),
        resp=resp,
        uncertainty=1.0 - resp.max(axis=1),
        labels_pred=labels_pred,
        mapping=component_mapping(labels_true, labels_pred, truth["k"], k),
        X=X,
        labels_true=labels_true,
        true_means=truth["means"],
        comparison=comparison,
        picks=picks,
        best_model=best_model,
        kmeans=KMeansResult(
            centers=km_centers,
            labels=km_labels,
            ari=km_ari,
            mapping=component_mapping(labels_true, km_labels, truth["k"], k),
        ),
        regularized=tuple(gm.regularized_),
        collapsed=tuple(gm.collapsed_),
        notes=_notes(s, gm),
        n_samples_log=math.log(len(X)),
    )
