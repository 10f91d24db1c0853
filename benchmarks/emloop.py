"""The EM workload that ``bench_pyodide.py`` runs in CPython and in Pyodide.

The same source runs in both interpreters (the driver writes it into Pyodide's
file system), so both time exactly the same calls on the same data. It needs
only numpy and emcore. Every function returns plain numbers (JSON-ready).

Timing uses a CPU clock, not the wall clock: the benchmark machine is shared,
and a process waiting for a core would otherwise count the wait. In CPython
that is ``time.process_time()``; in Pyodide under Node it is Node's
``process.cpuUsage()`` (Pyodide runs on Node's one JavaScript thread); in a
browser, which has no CPU clock, the wall clock. Wall times are returned
beside them.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping

import numpy as np

import emcore
from emcore import em as _em
from emcore.densities import compute_precision_cholesky
from emcore.experiment import DEFAULTS
from emcore.initialization import initial_responsibilities
from emcore.kernels.moments import estimate_gaussian_parameters

OVERLAP, SEED = 0.3, 0

try:  # the Node driver of bench_pyodide.py registers Node's CPU clock
    from bench_clock import cpu_seconds as cpu_clock
except ImportError:  # CPython: CPU time; a browser has no CPU clock: wall time
    cpu_clock = time.process_time if sys.platform != "emscripten" else time.perf_counter


def _field(record, name):
    """A field of a simulator event or result: an attribute of the typed
    records, a key of the mappings a ``--baseline`` revision from before
    :mod:`emcore.records` yields (read one at a time: its frames build
    their ellipses and mapping when read)."""
    return record[name] if isinstance(record, Mapping) else getattr(record, name)


def _start(X, k, cov, seed=SEED):
    """One k-means++ start as (weights, means, precisions_cholesky)."""
    rng = np.random.default_rng(seed)
    resp = initial_responsibilities(X, k, "k-means++", rng)
    nk, means, covariances = estimate_gaussian_parameters(X, resp, 1e-6, cov)
    return nk / nk.sum(), means, compute_precision_cholesky(covariances, cov)


_DATA = {}


def data(n, k):
    if (n, k) not in _DATA:
        _DATA[n, k] = emcore.simulate(n, k, OVERLAP, random_state=SEED)[0]
    return _DATA[n, k]


def iteration_time(n, k, cov, n_iter, repeats=5):
    """Steady-state seconds per EM iteration of ``emcore.em_steps``.

    Set-up (validation, the moment workspace) and the first iteration are
    excluded; ``tol = 0`` so every run does ``n_iter`` iterations. Returns the
    fastest of ``repeats`` runs (the one least disturbed by other processes
    on a shared machine) in CPU and wall time, and the final log-likelihood
    (the driver checks both interpreters agree).
    """
    X = data(n, k)
    weights, means, prec_chol = _start(X, k, cov)
    cpu, wall = [], []
    for _ in range(repeats):
        steps = emcore.em_steps(
            X,
            weights,
            means,
            prec_chol,
            cov,
            tol=0.0,
            max_iter=n_iter + 1,
            on_singular="regularize",
        )
        next(steps)
        c0, w0 = cpu_clock(), time.perf_counter()
        for snap in steps:  # noqa: B007 (the last one is kept)
            pass
        cpu.append((cpu_clock() - c0) / n_iter)
        wall.append((time.perf_counter() - w0) / n_iter)
    return {
        "cpu": min(cpu),
        "wall": min(wall),
        "loglik": snap.log_likelihood,
    }


def _per_call(fn, reps, blocks=5):
    """CPU seconds per call: the fastest of ``blocks`` blocks of ``reps`` calls."""
    fn()  # warm
    best = float("inf")
    for _ in range(blocks):
        c0 = cpu_clock()
        for _ in range(reps):
            fn()
        best = min(best, (cpu_clock() - c0) / reps)
    return best


def profile(n, k, cov, reps=20):
    """CPU seconds per call of each piece of one EM iteration.

    The pieces are those :func:`emcore.em_steps` calls, in order, on the
    parameters after a few iterations (so responsibilities are soft):

    * ``guard: expansion`` - the bound that decides the E-step may use the
      expanded quadratic forms;
    * ``E: coefficients`` - the (K, 1 + d + q) coefficient matrix;
    * ``E: log-prob`` - the weighted log-densities, coefficients times features;
    * ``E: normalise`` - max/exp/sum/divide/log of the log-space
      normalisation (the E-step minus the two pieces above);
    * ``M: moments`` - features times responsibilities;
    * ``M: covariances`` - means and covariances from the moments (and the
      tied type's symmetrisation);
    * ``M: guard suspect`` - the eigenvalue test for collapsed components;
    * ``precision Cholesky`` - ``compute_precision_cholesky``;
    * ``guard: factor`` - the overflow and collapse checks around it;
    * ``iteration`` - a whole ``em_steps`` iteration, for reference.
    """
    # this checkout's internals (a --baseline revision runs only the rest)
    from emcore.kernels.linalg import features_times, moments_of
    from emcore.kernels.moments import MomentWorkspace, normalise_log_prob

    X = data(n, k)
    weights, means, prec_chol = _start(X, k, cov)
    snaps = list(
        emcore.em_steps(
            X,
            weights,
            means,
            prec_chol,
            cov,
            tol=0.0,
            max_iter=5,
            on_singular="regularize",
        )
    )
    s = snaps[-1]
    weights, means, prec_chol = s.weights, s.means, s.precisions_cholesky
    work = MomentWorkspace(X, cov)
    coef = work._coefficients(weights, means, prec_chol)[0]
    weighted = work.weighted_log_prob_kn(weights, means, prec_chol)
    buf = np.empty_like(weighted)
    _, resp, _ = normalise_log_prob(weighted.copy())
    nk, mu, covariances = work.estimate_parameters(resp, 1e-6)
    phi_t = work.phi_t
    out = {}
    out["guard: expansion"] = _per_call(
        lambda: work._expansion_is_accurate(means, prec_chol), reps
    )
    out["E: coefficients"] = _per_call(
        lambda: work._coefficients(weights, means, prec_chol), reps
    )
    out["E: log-prob"] = _per_call(lambda: features_times(coef, phi_t), reps)
    copy = _per_call(lambda: np.copyto(buf, weighted), reps)
    out["E: normalise"] = max(
        0.0,
        _per_call(lambda: normalise_log_prob(np.copyto(buf, weighted) or buf), reps)
        - copy,
    )
    out["M: moments"] = _per_call(lambda: moments_of(phi_t, resp), reps)
    expanded = _per_call(
        lambda: work._expanded_parameters(moments_of(phi_t, resp), 1e-6), reps
    )
    out["M: covariances"] = max(0.0, expanded - out["M: moments"])
    out["M: guard suspect"] = max(
        0.0, _per_call(lambda: work.estimate_parameters(resp, 1e-6), reps) - expanded
    )
    out["precision Cholesky"] = _per_call(
        lambda: compute_precision_cholesky(covariances, cov), reps
    )
    factor = _per_call(lambda: _em._factor(covariances, cov, work.scale), reps)
    out["guard: factor"] = max(0.0, factor - out["precision Cholesky"])
    out["iteration"] = iteration_time(n, k, cov, 20)["cpu"]
    return out


# --- kernel formulations, for choosing the fastest by measurement ------------


def building_blocks(n=5000, k=6, reps=50):
    """CPU seconds of the small products EM does, as ``@`` and as einsum or
    broadcast sums, to see what wasm numpy (no BLAS) does worst."""
    rng = np.random.default_rng(0)
    coef = rng.random((k, 6))
    phi_t = rng.random((6, n))
    resp = rng.random((k, n))
    big = rng.random(10**6)
    res = {}
    res["(K,6)@(6,N) matmul"] = _per_call(lambda: coef @ phi_t, reps)
    res["(K,6)@(6,N) einsum"] = _per_call(
        lambda: np.einsum("kq,qn->kn", coef, phi_t), reps
    )

    def outer_sum():
        out = np.multiply.outer(coef[:, 0], phi_t[0])
        for j in range(1, coef.shape[1]):
            out += np.multiply.outer(coef[:, j], phi_t[j])
        return out

    res["(K,6)@(6,N) outer sums"] = _per_call(outer_sum, reps)
    res["(6,N)@(N,K) matmul"] = _per_call(lambda: phi_t @ resp.T, reps)
    res["(6,N)@(N,K) einsum"] = _per_call(
        lambda: np.einsum("qn,kn->qk", phi_t, resp), reps
    )
    res["exp 1e6"] = _per_call(lambda: np.exp(big), 5)
    res["add 1e6"] = _per_call(lambda: big + big, 5)
    return res


def fit_time(n, k, cov, n_iter, library="emcore", repeats=5):
    """CPU seconds per iteration of a whole ``fit`` (CPython only for
    scikit-learn), from the same explicit start, ``tol = 0``."""
    import warnings

    if library == "sklearn":
        from sklearn.mixture import GaussianMixture
    else:
        from emcore import GaussianMixture
    X = data(n, k)
    weights, means, prec_chol = _start(X, k, cov)
    if cov in ("full", "tied"):
        precisions = prec_chol @ np.swapaxes(prec_chol, -1, -2)
    else:
        precisions = prec_chol**2
    times = []
    for _ in range(repeats):
        model = GaussianMixture(
            k,
            covariance_type=cov,
            tol=0.0,
            max_iter=n_iter,
            weights_init=weights,
            means_init=means,
            precisions_init=precisions,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            c0 = cpu_clock()
            model.fit(X)
            times.append((cpu_clock() - c0) / n_iter)
    return min(times)


def event_costs(n=5000, k=6, n_events=40):
    """CPU seconds per ``"em"`` event of ``emcore.experiment.iterate`` (one
    start, ``tol = 1e-8``), for a consumer that reads only what the page's
    timeline keeps (weights, means, covariances, log-likelihood) and for one
    that also reads what drawing needs (``ellipses``, ``mapping``)."""
    from emcore import experiment

    events = experiment.iterate(
        k=k, n=n, overlap=30, seed=SEED, n_init=1, tol=1e-8, iters=n_events
    )
    for event in events:  # data and init events
        if _field(event, "kind") == "init":
            break
    produce = draw = 0.0
    count = 0
    while True:
        c0 = cpu_clock()
        event = next(events)
        if _field(event, "kind") != "em":
            break
        for name in ("weights", "means", "covariances"):
            _field(event, name)
        c1 = cpu_clock()
        _field(event, "ellipses"), _field(event, "mapping")
        c2 = cpu_clock()
        produce, draw, count = produce + c1 - c0, draw + c2 - c1, count + 1
    return {"skipped": produce / count, "drawn": (produce + draw) / count}


def data_steps(n=200_000):
    """CPU milliseconds of every step of ``emcore.experiment.iterate_data`` on
    the browser tests' own-data table (``n`` rows of x, y and three classes,
    five decimals; the fit of ``tests/browser/test_big_data.py``).

    A page can paint only between two steps, so the longest step bounds its
    longest pause from computing. One untimed run first pays the one-off
    costs of first calls. Returns the number of steps, the total, the five
    longest steps (with the event kind they ended on and the kind before),
    the count over 50 and 30 ms, the median, the longest per kind and the
    result's log-likelihood.
    """
    from emcore.experiment import iterate_data

    rng = np.random.default_rng(16)
    centres = np.array([[0.0, 0.0], [5.0, 1.0], [2.0, 6.0]])
    kinds = rng.integers(0, 3, n)
    X = np.round(centres[kinds] + rng.normal(size=(n, 2)) * [1.0, 0.7], 5)
    fit = {"k": 3, "seed": 4, "n_init": 1, "iters": 15, "tol": 1e-2}
    for _ in iterate_data(X, kinds, **fit):
        pass
    steps, before, events = [], "start", iterate_data(X, kinds, **fit)
    while True:
        c0 = cpu_clock()
        event = next(events, None)
        if event is None:
            break
        kind = _field(event, "kind")
        label = f"{kind} K={_field(event, 'k')}" if kind in ("sweep", "ic") else kind
        steps.append(((cpu_clock() - c0) * 1000, label, before))
        before = label
        if kind == "done":
            loglik = _field(_field(event, "result"), "loglik")
    ms = np.array([t for t, _, _ in steps])
    by_kind = {}
    for t, label, _ in steps:
        kind = label.split()[0]
        by_kind[kind] = max(by_kind.get(kind, 0.0), round(t, 1))
    return {
        "steps": len(steps),
        "total_s": round(float(ms.sum()) / 1000, 2),
        "longest": [(round(t, 1), a, b) for t, a, b in sorted(steps, reverse=True)[:5]],
        "over_50": int(np.sum(ms > 50)),
        "over_30": int(np.sum(ms > 30)),
        "median_ms": round(float(np.median(ms)), 1),
        "by_kind": by_kind,
        "loglik": loglik,
    }


def platform_info():
    return {
        "platform": sys.platform,
        "numpy": np.__version__,
        "python": sys.version.split()[0],
    }


# --- the page's compare=1 sweep (issue 16, round 5) --------------------------

#: ``?n=5000&k=3&seed=1&compare=1``: the page's ``Settings.to_run_kwargs()``
#: (every other setting at its default).
SWEEP_SETTINGS = {**DEFAULTS, "n": 5000, "k": 3, "seed": 1, "compare": True}
_AFTER_FIT = ("sweep", "ic", "finish", "done")


def sweep_time(profile_top=0):
    """CPU seconds of the ``compare=1`` sweep as the page runs it.

    ``emcore.experiment.iterate(**SWEEP_SETTINGS)`` is run to the end; only
    the ``next()`` calls that produce the events after the animated fit
    (``sweep``, ``ic``, ``finish``, ``done``) are timed, i.e. the 32 cells of
    the AIC/BIC comparison and the result. Returns that time, the count of
    sweep heartbeats and cells, the cells' numbers (for the driver to check
    that every runtime and revision computed the same) and, with
    ``profile_top > 0``, a cProfile of the timed calls: the ``profile_top``
    functions with the largest own time and the largest cumulative time.
    """
    from emcore import experiment

    make = None
    if profile_top:
        import cProfile

        make = cProfile.Profile
    prof = make() if make else None
    events = experiment.iterate(**SWEEP_SETTINGS)
    spent, counts, cells, result = 0.0, {}, [], None
    parts, last = {}, (None, None, 0)
    while True:
        if prof is not None:
            prof.enable()
        c0 = cpu_clock()
        event = next(events, None)
        elapsed = cpu_clock() - c0
        if prof is not None:
            prof.disable()
        if event is None:
            break
        kind = _field(event, "kind")
        if kind not in _AFTER_FIT:
            # still the animated fit: start the profile afresh
            prof = make() if make else None
            continue
        spent += elapsed
        counts[kind] = counts.get(kind, 0) + 1
        part = _part(event, last)
        parts[part] = parts.get(part, 0.0) + elapsed
        if kind == "sweep":
            last = tuple(_field(event, name) for name in ("k", "cov", "iteration"))
        if kind == "ic":
            cells.append([_field(event, name) for name in ("k", "cov", "aic", "bic")])
        elif kind == "done":
            result = _field(event, "result")
    out = {
        "cpu": spent,
        "counts": counts,
        "parts": parts,
        "cells": cells,
        "loglik": _field(result, "loglik"),
    }
    if prof is not None:
        out["profile"] = _profile_rows(prof, profile_top)
    return out


def _part(event, last):
    """What the step that produced a sweep event computed: an EM iteration
    (the heartbeat after it), the initialisation of a cell (k-means++, the
    first M-step), its scoring (the E-step and log-likelihood terms, and
    the ``ic`` event's component health) or the result."""
    kind = _field(event, "kind")
    if kind != "sweep":
        return {"ic": "score", "finish": "result", "done": "result"}[kind]
    iteration = _field(event, "iteration")
    if iteration == 0:
        return "init"
    if (_field(event, "k"), _field(event, "cov")) != last[:2]:  # the watched fit
        return "score"
    if iteration == last[2] + 1:
        return "em"
    return "score"


def _profile_rows(prof, top):
    import pstats

    stats = pstats.Stats(prof).stats
    rows = []
    for (path, line, name), (_, ncalls, tottime, cumtime, _) in stats.items():
        where = path.rsplit("/", 2)
        short = "/".join(where[-2:]) if len(where) > 1 else path
        rows.append([f"{short}:{line}({name})", ncalls, tottime, cumtime])
    total = sum(r[2] for r in rows)
    by_own = sorted(rows, key=lambda r: -r[2])[:top]
    by_cum = sorted(rows, key=lambda r: -r[3])[:top]
    return {"total": total, "own": by_own, "cumulative": by_cum}
