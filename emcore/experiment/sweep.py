"""The model-selection sweep: every (covariance type, K) cell fitted and scored.

:func:`sweep_steps` yields ``sweep`` heartbeats and ``ic`` events, the watched
fit's own cell scored once that fit is over; :func:`model` builds the
estimator of one cell with its own random stream.
"""

from __future__ import annotations

from .._validation import COVARIANCE_TYPES
from ..kernels.rowblocks import ROW_BLOCK, beat_steps, row_slices
from ..mixture import GaussianMixture
from ..records import CellEvent, SweepEvent
from ..selection import _score_fitted_steps
from .settings import REG_COVAR, SWEEP_KS, SWEEP_N_INIT, fit_rng


def model(s, n_components, cov=None, n_init=None, temperature=1.0, **start):
    """The estimator of one cell, ``cov`` (default the chosen type) at
    ``n_components``, with ``n_init`` starts (default the setting), its
    E-step at ``temperature`` (the sweep's cells: 1, EM), every start from
    ``start``'s ``means_init`` and ``precisions_init`` when given (the
    sweep's cells: none, ``init`` seeds them)."""
    cov = cov or s["cov"]
    return GaussianMixture(
        n_components,
        covariance_type=cov,
        tol=s["tol"],
        reg_covar=REG_COVAR,
        max_iter=s["iters"],
        n_init=s["n_init"] if n_init is None else n_init,
        init_params=s["init"],
        random_state=fit_rng(s["seed"], n_components, COVARIANCE_TYPES.index(cov)),
        on_singular="regularize",
        temperature=temperature,
        means_init=start.get("means_init"),
        precisions_init=start.get("precisions_init"),
    )


def sweep_steps(s, X, gm, fitted, workspaces):
    """The model-selection cells as a generator of ``sweep`` and ``ic``
    events; returns ``{(cov, K): SelectionCell}`` in the chart's order.

    The watched cell (``cov`` at ``k``) is ``gm`` itself: scored in its
    place when the fit is over (``fitted[0]``), else after every other cell,
    yielding None (nothing to do yet) until the fit is over. The fits share
    ``workspaces`` (read-only once built, so interleaved fits may share
    them) and the scorings ``facts`` (what judging components needs of
    ``X`` alone, prepared by the first).
    """
    k = s["k"]
    types = [s["cov"]]
    if s["compare"]:
        types += [c for c in COVARIANCE_TYPES if c != s["cov"]]
    order = [(cov, j) for cov in types for j in SWEEP_KS if j <= len(X)]
    cells, facts = {}, {}
    deferred = False
    for cov, n_components in order:
        if (cov, n_components) == (s["cov"], k):
            if not fitted[0]:
                deferred = True
                continue
            cell = yield from _scored(gm, X, facts)
        else:
            cell = yield from _fitted_cell(s, X, cov, n_components, workspaces, facts)
        cells[cov, n_components] = cell
        yield _ic_event(cov, n_components, cell)
    while not fitted[0]:
        yield None
    if deferred:
        cell = cells[s["cov"], k] = yield from _scored(gm, X, facts)
        yield _ic_event(s["cov"], k, cell)
    return {key: cells[key] for key in order}


def _fitted_cell(s, X, cov, n_components, workspaces, facts):
    """Fit one model-selection cell, a ``sweep`` heartbeat per step."""
    other = model(s, n_components, cov, SWEEP_N_INIT)
    # a heartbeat per iteration lets the page yield to the browser in the
    # middle of a long fit
    last = (0, 0)  # (start, its last finished iteration)
    for start, snap in other.fit_steps(X, progress=True, _workspaces=workspaces):
        # None: a pause inside the initialisation or, on large data,
        # between row blocks of an iteration
        if snap is not None:
            last = (start, snap.iteration)
        yield SweepEvent(
            k=n_components,
            cov=cov,
            start=start,
            # the last finished iteration (0 while the start is initialised)
            iteration=last[1] if last[0] == start else 0,
        )
    return (yield from _scored(other, X, facts))


def _ic_event(cov, n_components, cell):
    return CellEvent(
        k=n_components,
        cov=cov,
        aic=cell.aic,
        bic=cell.bic,
        icl=cell.icl,
        loglik=cell.log_likelihood,
        params=cell.n_parameters,
        note=cell.note,
    )


def _scored(gm, X, facts):
    """Score a fitted model with a ``sweep`` heartbeat between the parts
    (an E-step on all of ``X``, then the log-likelihood terms; the first
    cell also prepares ``facts``, what judging components needs of ``X``
    alone); returns the :class:`~emcore.selection.SelectionCell`."""
    steps = _score_fitted_steps(gm, X, row_slices(len(X), ROW_BLOCK), facts)
    return (
        yield from beat_steps(
            steps,
            lambda: SweepEvent(
                k=gm.n_components,
                cov=gm.covariance_type,
                start=len(gm.starts_) - 1,
                iteration=int(gm.starts_[-1].n_iter),
            ),
        )
    )
