"""The watched fit as variational Bayes (``model='bayes'``).

:func:`bayes_fit_steps` runs a :class:`~emcore.BayesianGaussianMixture`
with the page's ``k``, ``cov``, ``iters``, ``tol`` and ``init`` from one
start and yields a :class:`~emcore.records.FrameEvent` per iteration, whose
``loglik_mean`` is the per-sample lower bound (ELBO) the fit maximises:
the weights of components the data do not need fall towards 0 frame by
frame. :func:`bayes_result` puts the fit into the run's result.

The model-selection sweep stays maximum likelihood: every cell, the one at
``(cov, k)`` included, is an EM fit (:func:`em_cell_steps` fits that cell),
so the AIC/BIC chart and the log L, AIC, BIC and parameter counts of the
result are EM's at each K, as a Bayesian fit has no single log L to
penalise.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from .._validation import COVARIANCE_TYPES
from ..geometry import mixture_ellipses, to_full_covariances
from ..metrics import adjusted_rand_score
from ..records import FrameEvent, StartSummary, SweepEvent, component_mapping
from ..variational.bayesian import BayesianGaussianMixture
from .settings import REG_COVAR, fit_rng

#: Weight above which a component of the Bayesian fit counts as in use.
ACTIVE_WEIGHT = 0.01


def bayes_model(s, n_samples):
    """The Bayesian estimator of the watched fit: one start, the page's
    per-sample ``tol`` as a tolerance on the total bound it watches."""
    k = s["k"]
    return BayesianGaussianMixture(
        n_components=k,
        covariance_type=s["cov"],
        tol=s["tol"] * n_samples,
        reg_covar=REG_COVAR,
        max_iter=s["iters"],
        n_init=1,
        init_params=s["init"],
        weight_concentration_prior=s.get("concentration"),
        random_state=fit_rng(s["seed"], k, COVARIANCE_TYPES.index(s["cov"])),
    )


def bayes_fit_steps(s, X, bgm, truth):
    """Generator of the Bayesian fit's frames (``n_starts == 1``)."""
    n = len(X)
    for _start, snap in bgm.fit_steps(X, return_resp=True, include_initial=True):
        yield FrameEvent(
            start=0,
            n_starts=1,
            iteration=snap.iteration,
            loglik_mean=snap.lower_bound / n,
            converged=snap.converged,
            weights=snap.weights,
            means=snap.means,
            covariances=to_full_covariances(
                snap.covariances, s["cov"], s["k"], X.shape[1]
            ),
            resp=snap.resp,
            regularized=(),
            labels_true=truth["labels"],
            n_true=truth["k"],
        )


def em_cell_steps(gm, X, workspaces):
    """Fit the sweep's EM cell at ``(cov, k)`` (the watched fit's, had it
    been EM), a ``sweep`` heartbeat per step."""
    for start, snap in gm.fit_steps(X, progress=True, _workspaces=workspaces):
        yield SweepEvent(
            k=gm.n_components,
            cov=gm.covariance_type,
            start=start,
            iteration=0 if snap is None else snap.iteration,
        )


def active_components(weights):
    """How many components weigh more than :data:`ACTIVE_WEIGHT`."""
    return int(np.sum(np.asarray(weights) > ACTIVE_WEIGHT))


def bayes_result(s, X, truth, bgm, em_result):
    """``em_result`` (the EM fit's, for the sweep and its scores) with the
    Bayesian fit's parameters, labels, iterations and bound in place of
    the fit's own."""
    k, n = s["k"], len(X)
    resp = bgm.predict_proba(X)
    labels = np.argmax(resp, axis=1)
    labels_true = truth["labels"]
    ari = None
    if labels_true is not None:
        ari = float(adjusted_rand_score(labels_true, labels))
    trace = tuple(float(b) / n for b in bgm.lower_bounds_)
    ellipses = tuple(mixture_ellipses(bgm.means_, bgm.covariances_, s["cov"]))
    start = StartSummary(
        loglik_mean=float(bgm.lower_bound_) / n,
        iterations=int(bgm.n_iter_),
        converged=bool(bgm.converged_),
        ari_vs_best=1.0,
        ari=ari,
        ellipses=ellipses,
        means=bgm.means_,
        optimum=0,
    )
    notes = ()
    if not bgm.converged_:
        notes = (
            f"Variational Bayes stopped at the cap of {s['iters']} iterations "
            f"before the change in its bound fell below {s['tol']:g} per point.",
        )
    return dataclasses.replace(
        em_result,
        iterations=int(bgm.n_iter_),
        converged=bool(bgm.converged_),
        ari=ari,
        verdict="OK",
        verdict_reason="Not checked: variational Bayes runs one start.",
        n_optima=1,
        best_hits=1,
        verdict_checked=False,
        lower_bound=float(bgm.lower_bound_) / n,
        trace=trace,
        start_traces=(trace,),
        best_start=0,
        starts=(start,),
        weights=bgm.weights_,
        means=bgm.means_,
        covariances=to_full_covariances(bgm.covariances_, s["cov"], k, X.shape[1]),
        ellipses=ellipses,
        resp=resp,
        uncertainty=1.0 - resp.max(axis=1),
        labels_pred=labels,
        mapping=component_mapping(labels_true, labels, truth["k"], k),
        regularized=(),
        collapsed=(),
        notes=notes,
    )
