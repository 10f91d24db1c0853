"""One simulator run: the whole computation behind the page, in one place.

:func:`run` takes the page's settings under the names of its URL parameters
(``k``, ``n``, ``overlap``, ``cov``, ``iters``, ``tol``, ``seed``, ``n_init``)
and returns a mapping with every number and array the page shows. The page
animates :func:`iterate` instead, which yields one event per EM iteration and
per model-selection cell, then a final ``"done"`` event carrying exactly what
:func:`run` returns (``run`` is ``iterate`` run to the end), so the page and a
CPython test of the same settings get the same numbers.

Random streams: the data come from ``default_rng(seed)``; the fit of a model
with K components from ``default_rng([seed, K, type index])``, so the fitted
model at ``K = k`` is also the model-selection chart's cell at ``k``.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from ._validation import (
    COVARIANCE_TYPES,
    check_choice,
    check_float,
    check_int,
)
from .geometry import mixture_ellipses, to_full_covariances
from .metrics import adjusted_rand_score, match_labels
from .mixture import ConvergenceWarning, GaussianMixture
from .selection import local_optima_verdict, score_fitted
from .simulation import simulate

__all__ = ["DEFAULTS", "LIMITS", "SWEEP_KS", "check_settings", "iterate", "run"]

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

#: Inclusive ranges of the numeric settings (the page's controls).
LIMITS = {
    "k": (2, 6),
    "n": (100, 5000),
    "overlap": (0, 100),
    "iters": (10, 500),
    "tol": (1e-8, 1e-1),
    "seed": (0, 2**31 - 1),
    "n_init": (1, 10),
}

#: Values of K in the AIC/BIC chart.
SWEEP_KS = tuple(range(1, 9))

INIT_PARAMS = "k-means++"
REG_COVAR = 1e-6


def check_settings(**settings):
    """Fill in defaults and validate; returns a new dict of clean settings.

    Raises ``ValueError`` naming the setting, its value and its allowed range.
    """
    unknown = sorted(set(settings) - set(DEFAULTS))
    if unknown:
        raise ValueError(
            f"unknown setting(s) {', '.join(unknown)}; allowed: {', '.join(DEFAULTS)}"
        )
    s = {**DEFAULTS, **settings}
    out = {
        name: check_int(name, s[name], *LIMITS[name])
        for name in ("k", "n", "iters", "seed", "n_init")
    }
    out["overlap"] = check_float("overlap", s["overlap"], *LIMITS["overlap"])
    out["tol"] = check_float("tol", s["tol"], *LIMITS["tol"])
    out["cov"] = check_choice("cov", s["cov"], COVARIANCE_TYPES)
    return {name: out[name] for name in DEFAULTS}


def _fit_rng(seed, n_components, covariance_type):
    return np.random.default_rng(
        [seed, n_components, COVARIANCE_TYPES.index(covariance_type)]
    )


def _model(s, n_components):
    return GaussianMixture(
        n_components,
        covariance_type=s["cov"],
        tol=s["tol"],
        reg_covar=REG_COVAR,
        max_iter=s["iters"],
        n_init=s["n_init"],
        init_params=INIT_PARAMS,
        random_state=_fit_rng(s["seed"], n_components, s["cov"]),
        on_singular="regularize",
    )


def _frame(s, snap, start, labels_true):
    """Plain data for one animation frame."""
    k = s["k"]
    labels = np.argmax(snap.resp, axis=1)
    return {
        "kind": "em",
        "start": start,
        "n_starts": s["n_init"],
        "iteration": snap.iteration,
        "loglik_mean": snap.log_likelihood,
        "converged": snap.converged,
        "weights": snap.weights,
        "means": snap.means,
        "covariances": to_full_covariances(snap.covariances, s["cov"], k, 2),
        "ellipses": mixture_ellipses(snap.means, snap.covariances, s["cov"]),
        "resp": snap.resp,
        "mapping": match_labels(labels_true, labels, k, k),
        "regularized": snap.regularized,
    }


def iterate(**settings):
    """Run the simulator step by step.

    Yields dicts with a ``"kind"``:

    ``"data"``
        ``X`` (n, 2), ``labels_true`` (n,), ``true_means`` (k, 2),
        ``true_covariances`` (k, 2, 2), ``settings``.
    ``"em"``
        One EM iteration of start ``start`` (of ``n_starts``): ``iteration``,
        ``loglik_mean`` (per-sample log-likelihood from its E-step),
        ``weights``, ``means``, ``covariances`` (always (k, 2, 2)),
        ``ellipses`` (1σ), ``resp`` (n, k), ``mapping`` (fitted component ->
        true cluster, for stable colours) and ``regularized``.
    ``"sweep"``
        A heartbeat after each EM iteration of a model-selection fit
        (``k``, ``start``, ``iteration``); nothing to draw.
    ``"ic"``
        One cell of the AIC/BIC sweep for the chosen covariance type:
        ``k``, ``aic``, ``bic``, ``loglik``, ``params``.
    ``"done"``
        ``result``: the mapping :func:`run` returns.

    Parameters
    ----------
    **settings
        See :func:`run`.
    """
    s = check_settings(**settings)
    k = s["k"]
    X, labels_true, mixture = simulate(
        s["n"], k, s["overlap"] / 100.0, s["seed"], return_mixture=True
    )
    yield {
        "kind": "data",
        "X": X,
        "labels_true": labels_true,
        "true_means": mixture.means,
        "true_covariances": mixture.covariances,
        "settings": dict(s),
    }

    gm = _model(s, k)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for start, snap in gm.fit_steps(X, return_resp=True):
            yield _frame(s, snap, start, labels_true)

    main_cell = score_fitted(gm, X)
    cells = {}
    for n_components in SWEEP_KS:
        if n_components == k:
            cell = main_cell
        else:
            other = _model(s, n_components)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                # a heartbeat per iteration lets the page yield to the browser
                # in the middle of a long fit
                for start, snap in other.fit_steps(X):
                    yield {
                        "kind": "sweep",
                        "k": n_components,
                        "start": start,
                        "iteration": snap.iteration,
                    }
            cell = score_fitted(other, X)
        cells[n_components] = cell
        yield {
            "kind": "ic",
            "k": n_components,
            "aic": cell.aic,
            "bic": cell.bic,
            "loglik": cell.log_likelihood,
            "params": cell.n_parameters,
        }

    yield {"kind": "done", "result": _result(s, X, labels_true, mixture, gm, cells)}


def _result(s, X, labels_true, mixture, gm, cells):
    k = s["k"]
    resp = gm.predict_proba(X)
    labels_pred = np.argmax(resp, axis=1)
    verdict = local_optima_verdict(gm, X)
    main = cells[k]
    ks = list(cells)
    aic = [cells[j].aic for j in ks]
    bic = [cells[j].bic for j in ks]
    notes = []
    tied = s["cov"] == "tied"
    if gm.regularized_:
        who = (
            "The shared (tied) covariance"
            if tied
            else "Component(s) " + ", ".join(str(j + 1) for j in gm.regularized_)
        )
        notes.append(
            f"{who} collapsed onto too few points; a small ridge was added to "
            "the covariance so EM could go on."
        )
    if gm.collapsed_:
        who = (
            "The shared (tied) covariance"
            if tied
            else "Component(s) " + ", ".join(str(j + 1) for j in gm.collapsed_)
        )
        notes.append(
            f"{who} ended on a single point or a line: the spread is "
            "negligible, and only the regularisation of the covariance keeps "
            "it usable."
        )
    if not gm.converged_:
        notes.append(
            f"EM stopped at the cap of {s['iters']} iterations before the "
            f"change in log-likelihood fell below {s['tol']:g}."
        )
    return {
        "settings": dict(s),
        "params": main.n_parameters,
        "iterations": int(gm.n_iter_),
        "converged": bool(gm.converged_),
        "loglik": main.log_likelihood,
        "aic": main.aic,
        "bic": main.bic,
        "ari": float(adjusted_rand_score(labels_true, labels_pred)),
        "verdict": verdict.status,
        "verdict_reason": verdict.reason,
        "lower_bound": float(gm.lower_bound_),
        "trace": list(gm.lower_bounds_),
        "start_traces": [list(st.lower_bounds) for st in gm.starts_],
        "best_start": int(np.argmax([st.lower_bound for st in gm.starts_])),
        "weights": gm.weights_,
        "means": gm.means_,
        "covariances": to_full_covariances(gm.covariances_, s["cov"], k, 2),
        "ellipses": mixture_ellipses(gm.means_, gm.covariances_, s["cov"]),
        "resp": resp,
        "labels_pred": labels_pred,
        "mapping": match_labels(labels_true, labels_pred, k, k),
        "X": X,
        "labels_true": labels_true,
        "true_means": mixture.means,
        "sweep_ks": ks,
        "sweep_aic": aic,
        "sweep_bic": bic,
        "best_k_aic": ks[int(np.argmin(aic))],
        "best_k_bic": ks[int(np.argmin(bic))],
        "regularized": tuple(gm.regularized_),
        "collapsed": tuple(gm.collapsed_),
        "notes": notes,
        "n_samples_log": math.log(s["n"]),
    }


def run(**settings):
    """The page's whole computation for one run.

    Parameters
    ----------
    k : int, default 3
        Number of true clusters and of fitted components (2–6).
    n : int, default 500
        Sample size (100–5000).
    overlap : float, default 20
        True overlap in percent (0–100); see :mod:`emcore.simulation`.
    cov : {'full', 'tied', 'diag', 'spherical'}, default 'full'
    iters : int, default 100
        Maximum EM iterations per start (10–500).
    tol : float, default 1e-4
        Convergence tolerance on the per-sample log-likelihood (1e-8–1e-1).
    seed : int, default 1
        Seeds the data and the fits (0–2**31-1).
    n_init : int, default 4
        k-means++ starts; the best final log-likelihood wins (1–10).

    Returns
    -------
    dict
        ``params`` (free parameters), ``iterations`` (of the best start),
        ``converged``, ``loglik`` (total log-likelihood ℓ at the final
        parameters), ``aic`` (−2ℓ + 2p), ``bic`` (−2ℓ + p ln N), ``ari``
        (against the true labels), ``verdict`` ('OK'/'WARN') and
        ``verdict_reason``, plus what the page draws: ``trace``,
        ``start_traces``, ``means``, ``covariances``, ``ellipses``, ``resp``,
        ``mapping``, ``X``, ``labels_true``, ``true_means``, ``sweep_ks``,
        ``sweep_aic``, ``sweep_bic``, ``best_k_aic``, ``best_k_bic``,
        ``regularized`` and ``collapsed`` (0-based components that needed an
        extra ridge / ended on a point or a line) and ``notes`` (sentences
        saying so).

    Examples
    --------
    >>> from emcore.simulator import run
    >>> result = run(k=3, n=300, overlap=0, seed=7)
    >>> result["params"], result["ari"] > 0.99, result["verdict"] in ("OK", "WARN")
    (17, True, True)
    """
    for event in iterate(**settings):
        if event["kind"] == "done":
            return event["result"]
    raise RuntimeError("the simulator ended without a result")  # pragma: no cover
