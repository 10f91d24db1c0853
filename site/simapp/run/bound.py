"""The bound panel's numbers: log L, the lower bound and their gap at every
half-step of one recorded start.

Computed once, when the run has finished, from the timeline's record (the
parameters of every iteration and the initial ones), so the animation pays
nothing for it: iteration ``t``'s responsibilities ``q_t`` are recomputed
from ``theta_{t-1}`` (one E-step) and :func:`emcore.half_step_bounds`
evaluates the decomposition ``log L = L(q, theta) + KL`` at
``(q_t, theta_{t-1})`` (the E half-step) and ``(q_t, theta_t)`` (the M
half-step). That is three weighted log-densities of the data per iteration:
the cost of about three E-steps per recorded iteration, done once, with one
iteration's responsibilities held in memory at a time.

Examples
--------
>>> import emcore
>>> from simapp.run.timeline import Timeline
>>> X, _ = emcore.simulate(200, 2, 0.1, random_state=0)
>>> tl = Timeline(2)
>>> gm = emcore.GaussianMixture(2, tol=1e-6, random_state=0)
>>> for start, snap in gm.fit_steps(X, include_initial=True):
...     if snap.iteration == 0:
...         tl.begin_start(start, snap.weights, snap.means, snap.covariances)
...     else:
...         tl.append_snapshot(start, snap)
>>> steps = bound_series(tl, X, 0)
>>> len(steps) == 2 * gm.n_iter_, steps[0].step, steps[1].step
(True, 'E', 'M')
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from emcore import HalfStep, e_step, half_step_bounds
from emcore.densities import compute_precision_cholesky
from simapp.run.timeline import Timeline, responsibilities

__all__ = ["bound_series", "series_records"]


@dataclass(frozen=True)
class _Recorded:
    """What :func:`emcore.half_step_bounds` reads of a snapshot."""

    iteration: int
    weights: np.ndarray
    means: np.ndarray
    precisions_cholesky: np.ndarray
    resp: np.ndarray


def _e_step(X, params, temperature: float) -> np.ndarray:
    """The responsibilities the fit's E-step computed from ``params``."""
    if temperature == 1.0:
        return responsibilities(X, params)[0]
    prec = compute_precision_cholesky(params.covariances, "full")
    _, log_resp = e_step(
        X, params.weights, params.means, prec, "full", temperature=temperature
    )
    with np.errstate(under="ignore"):
        return np.exp(log_resp)


def _recorded(
    timeline: Timeline, X, start: int, temperature: float
) -> Iterator[_Recorded]:
    """The start's iterations with their E-steps' responsibilities, one at a
    time (all of them at once would take ``n K T`` floats)."""
    previous = timeline.params(start, 0)
    for t in range(1, timeline.n_iterations(start) + 1):
        current = timeline.params(start, t)
        resp = _e_step(X, previous, temperature)
        prec = compute_precision_cholesky(current.covariances, "full")
        yield _Recorded(t, current.weights, current.means, prec, resp)
        previous = current


def bound_series(
    timeline: Timeline | None, X, start: int, temperature: float = 1.0
) -> tuple[HalfStep, ...]:
    """log L, the bound and the gap after every half-step of ``start``.

    Parameters
    ----------
    timeline : Timeline or None
        The run's record (full covariances).
    X : ndarray of shape (n_samples, n_features)
        The data the run fitted.
    start : int
        The start (0-based); the page passes the best one.
    temperature : float, default 1.0
        The E-step temperature the run used. At 1 (EM) the E-step's ``q`` is
        the posterior and the gap closes; at any other temperature it is
        not, and the gap stays open after the E-step too.

    Returns
    -------
    tuple of emcore.HalfStep
        Two per recorded iteration, E then M, totals over the data; empty
        when the start or its initial parameters were not recorded.
    """
    if timeline is None or not 0 <= start < timeline.n_starts:
        return ()
    initial = timeline.params(start, 0)
    if initial is None or not timeline.n_iterations(start):
        return ()
    theta0 = (initial.weights, initial.means, initial.covariances)
    X = np.asarray(X, dtype=np.float64)
    recorded = _recorded(timeline, X, start, float(temperature))
    steps = half_step_bounds(X, recorded, "full", initial=theta0)
    return tuple(steps)


def series_records(steps: Sequence[HalfStep]) -> list[dict]:
    """The half-steps as the panel's ``data-series`` entries: ``iteration``,
    ``step`` (``"E"`` or ``"M"``), ``loglik``, ``bound`` and ``gap``."""
    return [
        {
            "iteration": int(h.iteration),
            "step": str(h.step),
            "loglik": float(h.log_likelihood),
            "bound": float(h.bound),
            "gap": float(h.gap),
        }
        for h in steps
    ]
