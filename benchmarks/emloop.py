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

import numpy as np

import emcore
from emcore import em as _em
from emcore.densities import compute_precision_cholesky
from emcore.initialization import initial_responsibilities
from emcore.moments import estimate_gaussian_parameters

OVERLAP, SEED = 0.3, 0

if sys.platform == "emscripten":
    import js

    def cpu_clock():
        usage = js.process.cpuUsage()
        return (usage.user + usage.system) * 1e-6

    if not hasattr(js, "process"):  # in a browser: no CPU clock, wall time
        cpu_clock = time.perf_counter  # noqa: F811
else:
    cpu_clock = time.process_time


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
    * ``M: covariances`` - means and covariances from the moments;
    * ``M: guard symmetrise+suspect`` - the eigenvalue test for collapsed
      components (and the tied type's symmetrisation);
    * ``precision Cholesky`` - ``compute_precision_cholesky``;
    * ``guard: factor`` - the overflow and collapse checks around it;
    * ``iteration`` - a whole ``em_steps`` iteration, for reference.
    """
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
    engine = _em._Engine(X, cov)
    work = engine.work
    _, resp, _ = engine.e_step(weights, means, prec_chol)
    nk, mu, covariances = engine.estimate_parameters(resp, 1e-6)
    coef = work._coefficients(weights, means, prec_chol)
    phi_t = work.phi_t
    out = {}
    out["guard: expansion"] = _per_call(
        lambda: engine._expansion_is_accurate(means, prec_chol), reps
    )
    out["E: coefficients"] = _per_call(
        lambda: work._coefficients(weights, means, prec_chol), reps
    )
    out["E: log-prob"] = _per_call(lambda: coef @ phi_t, reps)
    e_total = _per_call(lambda: work.e_step(weights, means, prec_chol), reps)
    out["E: normalise"] = max(
        0.0, e_total - out["E: coefficients"] - out["E: log-prob"]
    )
    out["M: moments"] = _per_call(lambda: phi_t @ resp, reps)
    m_total = _per_call(lambda: work.estimate_parameters(resp, 1e-6), reps)
    out["M: covariances"] = max(0.0, m_total - out["M: moments"])
    out["M: guard symmetrise+suspect"] = max(
        0.0,
        _per_call(lambda: engine.estimate_parameters(resp, 1e-6), reps) - m_total,
    )
    out["precision Cholesky"] = _per_call(
        lambda: compute_precision_cholesky(covariances, cov), reps
    )
    factor = _per_call(lambda: _em._factor(covariances, cov, engine.scale), reps)
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
    """CPU seconds per ``"em"`` event of ``emcore.simulator.iterate`` (one
    start, ``tol = 0``), for a consumer that reads only what the page's
    timeline keeps (weights, means, covariances, log-likelihood) and for one
    that also reads what drawing needs (``ellipses``, ``mapping``)."""
    from emcore import simulator

    out = {}
    for label, keys in (("skipped", ()), ("drawn", ("ellipses", "mapping"))):
        events = simulator.iterate(
            k=k, n=n, overlap=30, seed=SEED, n_init=1, tol=1e-8, iters=n_events
        )
        for event in events:  # data and init events
            if event["kind"] == "init":
                break
        count, c0 = 0, cpu_clock()
        for event in events:
            if event["kind"] != "em":
                break
            event["weights"], event["means"], event["covariances"]
            for key in keys:
                event[key]
            count += 1
        out[label] = (cpu_clock() - c0) / count
    return out


def platform_info():
    return {
        "platform": sys.platform,
        "numpy": np.__version__,
        "python": sys.version.split()[0],
    }
