"""The model-selection sweep behind the simulator's AIC/BIC/ICL chart.

One cell per covariance type and K: a fitted mixture and its
:class:`~emcore.selection.SelectionCell`. :func:`sweep_steps` computes them
as a generator of the page's ``sweep`` heartbeats and ``ic`` events (see
:func:`emcore.experiment.iterate`).

How a cell is fitted
--------------------
From one k-means++ start per cell (scikit-learn's default ``n_init=1``) many
cells stop at a worse optimum than more starts reach, and the curve over K
is jagged. Here the neighbouring K help each other, at about the cost of one
start per cell. For each covariance type:

1. **Upwards**, K = 1, 2, …: the candidate starts are (a) K k-means++ seeds,
   every point given to its nearest seed (where EM's first iteration from
   the seeds alone goes, without that iteration's cost; one seeding per K
   from the stream ``default_rng([seed, K, SEED_STREAM])``, shared by the
   types; under another ``init`` the cell's own cold start by that rule,
   :func:`model`), and, for K ≥ 2, (b) the fit at K − 1 with one component cut in
   two, for the :data:`N_SPLITS` components whose cut gains most
   (:func:`emcore.warmstart.split_responsibilities`). Each runs
   :data:`SHORT_ITER` EM iterations ("short runs", Biernacki, Celeux and
   Govaert, Computational Statistics & Data Analysis 41, 2003); the most
   promising runs on to convergence: a start without a near-singular or
   collapsed covariance before one with, then the higher log-likelihood.
   When it ends on a suspect component (:func:`emcore.diagnostics.
   component_health`), the next candidate runs on too, and the cell keeps
   the better fit, healthy first: a fit resting on a degenerate component
   is a spurious maximiser of the likelihood, not a better optimum
   (McLachlan and Peel, Finite Mixture Models, 2000, section 3.10).
2. **Downwards**, K = K_max − 1, …, 2, where the cells disagree: the fit at
   K + 1 with its cheapest pair of components merged
   (:func:`emcore.warmstart.merge_responsibilities`, :data:`N_MERGES`) is
   tried when the merge's bound already lies above the cell (the
   log-likelihood after the merge falls by at most the returned cost) or
   when the gains bend upwards at K (K gains less on K − 1 than K + 1 on
   K, which a cell that stopped low does). It runs :data:`SHORT_ITER`
   iterations, on to convergence only when it is already as good as the
   cell, and replaces the cell when it ends better.

A cell is final once step 2 has passed it, so a type's ``ic`` events come
K descending. Step 1 finds the optima of K above the number of groups (one
group cut in two), step 2 those below it (two groups taken together). The
sweep's cells are scored with EM's own E-step, the watched cell with the
direct one (so it equals ``gm.bic(X)`` bit for bit). The choices (two
splits, one merge, five iterations, where merges are tried) were measured
against scikit-learn and R's mclust: ``benchmarks/bench_choice.py`` and
BENCHMARKS.md.

The watched cell (the configured ``cov`` at ``k``) is the fit the page
animates (its ``n_init`` starts from ``default_rng([seed, k, type
index])``), scored when it ends. Its type's chain passes through a fit of
its own at ``k``, not shown, so no cell waits for the watched fit and no
cell depends on when it ends.

How far K goes
--------------
:func:`max_components`: K runs from 1 to the largest K ≤ 8 at which the
full-covariance model has fewer free parameters than the data have distinct
points (6K − 1 < n in 2-D: K ≤ 1 for 10 points, 2 for 12–17, 8 from 48),
and at least to the fitted ``k``. Beyond that bound a mixture has more
parameters than the data have values to determine them.
"""

from __future__ import annotations

import numpy as np

from .._validation import COVARIANCE_TYPES
from ..diagnostics import _data_log_det, count_distinct_rows, covariances_suspect
from ..em import precisions_or_regularize
from ..initialization import _distance_steps, _kmeans_plusplus_steps
from ..kernels.moments import MomentWorkspace
from ..kernels.rowblocks import ROW_BLOCK, beat_steps, row_slices
from ..mixture import GaussianMixture, n_parameters
from ..records import CellEvent, SweepEvent
from ..selection import _score_fitted_steps
from ..warmstart import data_features, merge_responsibilities, split_responsibilities
from .settings import REG_COVAR, SWEEP_KS, fit_rng

__all__ = [
    "N_MERGES",
    "N_SPLITS",
    "SHORT_ITER",
    "max_components",
    "model",
    "sweep_ks",
    "sweep_steps",
]

#: EM iterations of every candidate start before the best runs on.
SHORT_ITER = 5

#: Splits of the fit at K − 1 tried as starts at K.
N_SPLITS = 2

#: Merges of the fit at K + 1 tried as starts at K.
N_MERGES = 1

#: Index of the random stream of the sweep's k-means++ seeds, after the
#: covariance types' (the watched fit's) and the k-means comparison's.
SEED_STREAM = len(COVARIANCE_TYPES) + 1


def model(s, n_components, cov=None, n_init=None, temperature=1.0, **start):
    """The estimator of one cell, ``cov`` (default the chosen type) at
    ``n_components``, with ``n_init`` starts (default the setting), its
    E-step at ``temperature`` (the sweep's cells: 1, EM), from the cell's
    stream ``default_rng([seed, K, type index])``, every start from
    ``start``'s ``means_init`` and ``precisions_init`` when given (the
    watched fit's; the sweep's cells: none, ``init`` seeds them)."""
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


def max_components(n_distinct, n_features):
    """The largest K the data support: at most ``SWEEP_KS[-1]``, and the
    full-covariance model at K has fewer free parameters than ``n_distinct``.

    Parameters
    ----------
    n_distinct : int
        Distinct points (rows) of the data.
    n_features : int

    Returns
    -------
    int
        At least 1.

    Examples
    --------
    >>> [max_components(n, 2) for n in (10, 12, 17, 18, 47, 48)]
    [1, 2, 2, 3, 7, 8]
    """
    k = 1
    while k < SWEEP_KS[-1] and n_parameters(k + 1, n_features, "full") < n_distinct:
        k += 1
    return k


def sweep_ks(n_distinct, n_features, k):
    """The sweep's values of K: 1 to :func:`max_components`, or to ``k``
    when the fitted ``k`` is larger."""
    top = max(max_components(n_distinct, n_features), k)
    return SWEEP_KS[:top]


def sweep_steps(s, X, watched, fitted, workspaces):
    """The sweep as a generator of ``sweep`` and ``ic`` events.

    Parameters
    ----------
    s : dict
        Checked settings (:func:`emcore.experiment.check_settings`).
    X : ndarray of shape (n_samples, n_features)
    watched : GaussianMixture
        The fit at (``s["cov"]``, ``s["k"]``), being fitted by the caller.
    fitted : list of one bool
        Set to True by the caller when ``watched`` is fitted; until then the
        watched cell waits, and once nothing else is left the generator
        yields None.
    workspaces : dict
        Moment workspaces shared by every fit of ``X`` (read-only once
        built, so interleaved fits may share them).

    Returns
    -------
    dict
        ``{(cov, K): SelectionCell}``, the chosen type first, K ascending.
    """
    k, cov0 = s["k"], s["cov"]
    types = [cov0]
    if s["compare"]:
        types += [c for c in COVARIANCE_TYPES if c != cov0]
    n_distinct = int(count_distinct_rows(X)[0])
    # what judging components needs of X alone, prepared once for all cells
    facts = {
        "data": (_data_log_det(X), n_distinct == len(X)),
        "moments": data_features(X),
        "seeded": {},  # K: the k-means++ start's labels, for every type
        "rng": np.random.default_rng(0),  # handed to warm starts, never drawn
    }
    yield _beat(1, cov0, 0, 0)
    ks = sweep_ks(n_distinct, X.shape[1], k)
    cells, deferred = {}, False
    for cov in types:
        for item in _type_steps(s, X, cov, ks, workspaces, facts):
            if isinstance(item, SweepEvent):
                yield item
                continue
            n_components, cell = item
            if (cov, n_components) == (cov0, k):
                if not fitted[0]:
                    deferred = True
                    continue
                cell = yield from _scored(watched, X, facts)
            cells[cov, n_components] = cell
            yield _ic_event(cov, n_components, cell)
    while not fitted[0]:
        yield None
    if deferred:
        cell = cells[cov0, k] = yield from _scored(watched, X, facts)
        yield _ic_event(cov0, k, cell)
    return {(cov, K): cells[cov, K] for cov in types for K in ks}


class _Fit:
    """A cell's fitted model, its score and (while needed) its
    responsibilities."""

    __slots__ = ("cell", "gm", "resp")

    def __init__(self, gm, cell, resp):
        self.gm, self.cell, self.resp = gm, cell, resp

    def key(self):
        return (self.cell.healthy, self.cell.log_likelihood)


def _type_steps(s, X, cov, ks, workspaces, facts):
    """One covariance type's cells: yields heartbeats and, K descending,
    ``(K, SelectionCell)`` once a cell is final."""
    chain, previous = {}, None
    # the neighbours' responsibilities are kept for the merges, unless the
    # data are large (then they are computed again where needed)
    keep = len(X) <= ROW_BLOCK
    for K in ks:
        starts = [None]  # None: the cell's own k-means++ start
        if previous is not None:
            starts += split_responsibilities(
                X, previous.resp, cov, N_SPLITS, _features=facts["moments"]
            )
            if not keep:
                previous.resp = None
        fit = yield from _best_of(s, X, cov, K, starts, workspaces, facts)
        chain[K] = previous = fit
    yield ks[-1], chain[ks[-1]].cell
    for K in reversed(ks[:-1]):
        upper = chain.pop(K + 1)
        if K > 1:
            if upper.resp is None:
                upper.resp = yield from _resp_steps(upper.gm, X, cov)
            merges, drops = merge_responsibilities(
                X,
                upper.resp,
                cov,
                N_MERGES,
                _features=facts["moments"],
                return_costs=True,
            )
            # try the merges where the cells disagree: the gains bend
            # upwards, or a merge is sure to start above the cell
            bound = upper.cell.log_likelihood - drops[0]
            cell = chain[K]
            if bound > cell.cell.log_likelihood or _dips(chain[K - 1], cell, upper):
                merged = yield from _merged(
                    s, X, cov, K, merges, cell, workspaces, facts
                )
                if merged is not None:
                    chain[K] = merged
        yield K, chain[K].cell


def _dips(lower, cell, upper):
    """Whether the log-likelihood gains bend upwards at ``cell``: it gains
    less on K − 1 than K + 1 gains on it, a sign it stopped low."""
    ll = [f.cell.log_likelihood for f in (lower, cell, upper)]
    return ll[2] - ll[1] > ll[1] - ll[0]


class _Run:
    """One candidate start: its model, its live ``fit_steps`` generator and
    the last EM snapshot (None before the first iteration)."""

    __slots__ = ("gm", "index", "snap", "steps")

    def __init__(self, gm, index, steps):
        self.gm, self.index, self.steps, self.snap = gm, index, steps, None

    def advance(self, K, until):
        """Heartbeats until iteration ``until`` or the end of the fit."""
        for _, snap in self.steps:
            # None: a pause inside the initialisation or, on large data,
            # between row blocks of an iteration
            if snap is not None:
                self.snap = snap
            yield _beat(K, self.gm.covariance_type, self.index, self.iteration)
            if snap is not None and snap.iteration == until:
                return

    @property
    def iteration(self):
        return 0 if self.snap is None else self.snap.iteration

    def promise(self, data_log_det):
        """Ranks short runs: no suspect covariance first, then the higher
        log-likelihood, then the earlier start."""
        snap = self.snap
        if snap is None:  # no iteration possible (max_iter reached 0)
            return (False, -np.inf, -self.index)
        fine = not covariances_suspect(
            snap.covariances,
            self.gm.covariance_type,
            snap.means.shape[1],
            data_log_det,
        )
        return (fine, snap.log_likelihood, -self.index)


def _short_runs(s, X, cov, K, starts, workspaces, facts):
    """Run every start for :data:`SHORT_ITER` iterations; returns the runs,
    most promising first."""
    short = min(SHORT_ITER, s["iters"])
    runs = []
    for i, resp in enumerate(starts):
        gm = yield from _start(s, X, cov, K, resp, workspaces, facts)
        run = _Run(gm, i, gm.fit_steps(X, progress=True, _workspaces=workspaces))
        yield from run.advance(K, short)
        runs.append(run)
    data_log_det = facts["data"][0]
    return sorted(runs, key=lambda r: r.promise(data_log_det), reverse=True)


def _finish(X, K, run, facts, workspaces):
    """Run a candidate on to the end of its fit and score it."""
    yield from run.advance(K, None)
    keep = {}
    work = _workspace(X, run.gm.covariance_type, workspaces)
    cell = yield from _scored(run.gm, X, facts, keep, work)
    return _Fit(run.gm, cell, keep["resp"])


def _best_of(s, X, cov, K, starts, workspaces, facts):
    """The cell at K from candidate starts (step 1 of the module notes)."""
    ranked = yield from _short_runs(s, X, cov, K, starts, workspaces, facts)
    best = None
    for run in ranked:
        fit = yield from _finish(X, K, run, facts, workspaces)
        if best is None or fit.key() > best.key():
            best = fit
        if best.cell.healthy:
            break
    return best


def _merged(s, X, cov, K, starts, current, workspaces, facts):
    """A better cell at K from merges of K + 1, or None (step 2)."""
    if not starts:
        return None
    data_log_det = facts["data"][0]
    ranked = yield from _short_runs(s, X, cov, K, starts, workspaces, facts)
    run = ranked[0]
    mean_loglik = current.cell.log_likelihood / len(X)
    if run.promise(data_log_det)[:2] < (current.cell.healthy, mean_loglik):
        return None
    fit = yield from _finish(X, K, run, facts, workspaces)
    return fit if fit.key() > current.key() else None


def _seeded(s, X, K, slices):
    """Every point's nearest of K k-means++ seeds drawn from the stream
    ``default_rng([seed, K, SEED_STREAM])`` (one seeding per K, shared by the
    covariance types): where EM's first iteration from the seeds alone
    goes, without that iteration's cost. A generator of pauses."""
    rng = fit_rng(s["seed"], K, SEED_STREAM)
    seeds, _ = yield from _kmeans_plusplus_steps(X, K, rng, None, slices)
    distances = yield from _distance_steps(X, seeds, slices)
    return np.argmin(distances, axis=0)


def _workspace(X, cov, workspaces):
    if cov in workspaces:
        return workspaces[cov]
    for known in workspaces.values():
        work = known.for_type(cov)
        if work is not None:
            return work
    return None


def _start(s, X, cov, K, resp, workspaces, facts):
    """A model to fit from one candidate start, warm from the parameters an
    M-step gives ``resp``; ``resp`` None: the cell's own start, :func:`_seeded`
    K under k-means++, else :func:`model` with one start by ``init``. The
    seeding and the M-step yield heartbeats between their steps."""
    slices = row_slices(len(X), ROW_BLOCK)

    def beat():
        return _beat(K, cov, 0, 0)

    if resp is None and s["init"] != "k-means++":
        # another start rule: the cell's own cold start, as the page set it
        return model(s, K, cov, 1)
    if resp is None:
        labels = facts["seeded"].get(K)
        if labels is None:
            labels = yield from beat_steps(_seeded(s, X, K, slices), beat)
            facts["seeded"][K] = labels
        resp = np.zeros((len(X), K))
        resp[np.arange(len(X)), labels] = 1.0
    work = _workspace(X, cov, workspaces)
    if work is None:  # the first fit of these features builds it
        work = yield from beat_steps(MomentWorkspace.build_steps(X, cov, slices), beat)
        workspaces.setdefault(cov, work)
    nk, means, covariances = yield from beat_steps(
        work.estimate_parameter_steps(resp, REG_COVAR, slices), beat
    )
    covariances, prec_chol, _ = precisions_or_regularize(
        X, covariances, cov, REG_COVAR, "regularize", scale=work.scale
    )
    gm = GaussianMixture(
        K,
        covariance_type=cov,
        tol=s["tol"],
        reg_covar=REG_COVAR,
        max_iter=s["iters"],
        # a warm start draws no random numbers; a Generator spares the fit
        # a new one seeded from the system's entropy (dear in Pyodide)
        random_state=facts["rng"],
        warm_start=True,
        on_singular="regularize",
    )
    # a warm start continues from the fitted attributes: these are its start
    gm.weights_ = nk / len(X)
    gm.means_ = means
    gm.covariances_ = covariances
    gm.precisions_cholesky_ = prec_chol
    gm.lower_bound_ = -np.inf
    gm.converged_ = False
    return gm


def _resp_steps(gm, X, cov):
    """``gm.predict_proba(X)`` by row blocks, a heartbeat after each."""
    parts = []
    for sl in row_slices(len(X), ROW_BLOCK):
        parts.append(gm.predict_proba(X[sl]))
        yield _beat(gm.n_components, cov, 0, 0)
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def _beat(n_components, cov, start, iteration):
    # ``iteration``: the last finished one, 0 while a start is initialised
    return SweepEvent(k=n_components, cov=cov, start=start, iteration=iteration)


def _scored(gm, X, facts, keep=None, work=None):
    """Score a fitted model with a ``sweep`` heartbeat between the parts
    (an E-step on all of ``X``, then the log-likelihood terms); returns the
    :class:`~emcore.selection.SelectionCell`. The sweep's own fits are
    scored with EM's E-step (``work``), the watched fit with the direct one
    (its cell equals ``gm.bic(X)`` to the last bit)."""
    slices = row_slices(len(X), ROW_BLOCK)
    steps = _score_fitted_steps(gm, X, slices, facts, keep, work)
    return (
        yield from beat_steps(
            steps,
            lambda: _beat(
                gm.n_components,
                gm.covariance_type,
                len(gm.starts_) - 1,
                int(gm.starts_[-1].n_iter),
            ),
        )
    )


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
