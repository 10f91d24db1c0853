"""The variational-Bayes workload that ``bench_bayes.py`` runs in CPython and
in Pyodide.

The same source runs in both interpreters (the driver of
``bench_pyodide.py`` writes it into Pyodide's file system), so both time the
same calls on the same data. It needs only numpy and emcore, except
:func:`sklearn_fit_time` and :func:`page_data`, which run in CPython only.
Every function returns plain numbers (JSON-ready). Times are CPU times:
Node's CPU clock in Pyodide (the driver registers it), ``process_time`` in
CPython. The workers import this file under the name ``emloop`` (the module
name ``bench_pyodide``'s driver expects); it imports nothing from the real
``emloop.py``.
"""

from __future__ import annotations

import sys
import time
import warnings

import numpy as np

import emcore
from emcore.initialization import initial_responsibilities

try:  # the Node driver of bench_pyodide.py registers Node's CPU clock
    from bench_clock import cpu_seconds as cpu_clock
except ImportError:
    cpu_clock = time.process_time

OVERLAP, SEED = 0.3, 0
#: One-hot on k-means labels: every row of the start sums to 1, where emcore
#: and scikit-learn compute the same tied covariance (a k-means++ start's
#: empty rows count in scikit-learn's, not in emcore's).
INIT = "kmeans"
_DATA = {}


def data(n, clusters=3):
    if (n, clusters) not in _DATA:
        _DATA[n, clusters] = emcore.simulate(n, clusters, OVERLAP, random_state=SEED)[0]
    return _DATA[n, clusters]


def _model(k, cov, prior, n_iter):
    return emcore.BayesianGaussianMixture(
        n_components=k,
        covariance_type=cov,
        weight_concentration_prior_type=prior,
        init_params=INIT,
        random_state=SEED,
        max_iter=n_iter,
        tol=0.0,
    )


def platform_info():
    return {"platform": sys.platform, "numpy": np.__version__}


def _quiet_fit_steps(model, X):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield from model.fit_steps(X)


def iteration_time(n, k, cov, prior, n_iter, repeats=5):
    """Steady-state CPU seconds per VB iteration of emcore's
    ``BayesianGaussianMixture.fit_steps`` (set-up and the first iteration
    excluded), the fastest of ``repeats`` runs, and the final lower bound."""
    X = data(n)
    cpu, wall = [], []
    for _ in range(repeats):
        steps = _quiet_fit_steps(_model(k, cov, prior, n_iter + 1), X)
        next(steps)
        c0, w0 = cpu_clock(), time.perf_counter()
        for _, snap in steps:  # noqa: B007 (the last one is kept)
            pass
        cpu.append((cpu_clock() - c0) / n_iter)
        wall.append((time.perf_counter() - w0) / n_iter)
    return {"cpu": min(cpu), "wall": min(wall), "bound": snap.lower_bound}


def sklearn_fit_time(n, k, cov, prior, n_iter, library, repeats=5):
    """CPU seconds per VB iteration of emcore or scikit-learn from the same
    start (scikit-learn is handed emcore's starting responsibilities): a fit
    of ``n_iter + 1`` iterations less a fit of 1, divided by ``n_iter``, so
    that neither the set-up nor the initialisation counts; the fastest of
    ``repeats``, and the final lower bound (CPython only)."""
    X = data(n)
    if library == "emcore":
        make = lambda iters: _model(k, cov, prior, iters)  # noqa: E731
    else:
        from sklearn.mixture import BayesianGaussianMixture

        rng = np.random.default_rng(SEED)
        resp = initial_responsibilities(X, k, INIT, rng)

        class FromEmcoreStart(BayesianGaussianMixture):
            def _initialize_parameters(self, X, random_state, xp=None):
                self._initialize(X, resp)

        make = lambda iters: FromEmcoreStart(  # noqa: E731
            n_components=k,
            covariance_type=cov,
            weight_concentration_prior_type=prior,
            max_iter=iters,
            tol=0.0,
        )

    def fit_cpu(iters):
        model = make(iters)
        c0 = cpu_clock()
        model.fit(X)
        return cpu_clock() - c0, model

    best = float("inf")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(repeats):
            one, _ = fit_cpu(1)
            many, model = fit_cpu(n_iter + 1)
            best = min(best, (many - one) / n_iter)
    return {"cpu": best, "bound": float(np.ravel(model.lower_bound_)[0])}


def page_data(settings, seeds, n=500, k=6, max_iter=2000):
    """The page's picture: K components fitted to two simulated clusters.

    For each ``(overlap, prior_type, concentration, init)`` of ``settings``
    and each seed: how many components end with a weight above 1 %, the
    iterations to convergence, and the first iteration at which at most two
    components are above 1 % (None if never). CPython only (it is slow)."""
    rows = []
    for overlap, prior, gamma, init in settings:
        alive, iters, first = [], [], []
        for seed in seeds:
            X, _ = emcore.simulate(n, 2, overlap, random_state=seed)
            model = emcore.BayesianGaussianMixture(
                n_components=k,
                weight_concentration_prior_type=prior,
                weight_concentration_prior=gamma,
                init_params=init,
                random_state=seed,
                max_iter=max_iter,
            )
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                snaps = [s for _, s in model.fit_steps(X)]
            alive.append(int(np.sum(model.weights_ > 0.01)))
            iters.append(model.n_iter_)
            few = (s.iteration for s in snaps if np.sum(s.weights > 0.01) <= 2)
            first.append(next(few, None))
        rows.append(
            {
                "settings": [overlap, prior, gamma, init],
                "alive": alive,
                "iters": iters,
                "first_two": first,
            }
        )
    return rows
