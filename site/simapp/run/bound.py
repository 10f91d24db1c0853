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

:func:`iteration_path` follows one iteration along a path through parameter
space instead (Bishop, PRML figure 9.14): log L and the bound
``L(q_t, theta(s))`` with ``theta(0) = theta_{t-1}`` and ``theta(1) =
theta_t``, one weighted log-density per point of the path
(:func:`path_points` of them), computed only for the iteration on show.

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

from emcore import BoundPath, HalfStep, bound_path, e_step, half_step_bounds
from emcore.densities import compute_precision_cholesky
from simapp.run.timeline import Timeline, responsibilities

__all__ = [
    "PATH_FEW_POINTS",
    "PATH_POINTS",
    "PATH_WIDE",
    "bound_series",
    "iteration_path",
    "path_points",
    "path_record",
    "series_records",
]

#: Points on the path of one iteration, and fewer for big data: each point
#: costs one weighted log-density of the data (``n K`` Gaussian terms).
PATH_POINTS = 41
PATH_FEW_POINTS = 21
#: ``n K`` above which the path takes :data:`PATH_FEW_POINTS`.
PATH_WIDE = 10_000


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


def path_points(n_samples: int, n_components: int) -> int:
    """How many points the path of one iteration takes: :data:`PATH_POINTS`,
    or :data:`PATH_FEW_POINTS` when ``n_samples * n_components`` is above
    :data:`PATH_WIDE`."""
    return PATH_FEW_POINTS if n_samples * n_components > PATH_WIDE else PATH_POINTS


def iteration_path(
    timeline: Timeline | None,
    X,
    start: int,
    iteration: int,
    temperature: float = 1.0,
) -> BoundPath | None:
    """log L and the bound of iteration ``iteration`` along the path from
    ``theta_{t-1}`` (``s = 0``) to ``theta_t`` (``s = 1``).

    ``q`` is the iteration's E-step (computed from ``theta_{t-1}`` at
    ``temperature``), so at temperature 1 the bound touches log L at
    ``s = 0``, and the M-step makes it largest at ``s = 1``. The positions
    run from -0.5 to 1.5, :func:`path_points` of them. The weights of
    ``theta_{t-1}`` are taken normalised to sum to 1 (the initial ones of a
    k-means++ start need not: log L at ``s = 0`` of iteration 1 is then
    the normalised mixture's, not the bound series' first value).

    Parameters
    ----------
    timeline : Timeline or None
        The run's record (full covariances).
    X : ndarray of shape (n_samples, n_features)
        The data the run fitted.
    start : int
        The start (0-based).
    iteration : int
        The EM iteration (1-based).
    temperature : float, default 1.0
        The E-step temperature the run used.

    Returns
    -------
    emcore.BoundPath or None
        Totals over the data; None when the iteration or the parameters
        before it were not recorded.
    """
    if timeline is None or not 0 <= start < timeline.n_starts:
        return None
    if not 1 <= iteration <= timeline.n_iterations(start):
        return None
    before = timeline.params(start, iteration - 1)
    after = timeline.params(start, iteration)
    if before is None or after is None:
        return None
    X = np.asarray(X, dtype=np.float64)
    s = np.linspace(-0.5, 1.5, path_points(X.shape[0], len(after.weights)))
    resp = _e_step(X, before, float(temperature))
    # k-means++ starts every component on one point with weight 1/n; EM's
    # E-step ignores the weights' total, but on the path it would keep
    # growing past s = 1 and lift the bound above the M-step's
    weights = before.weights / before.weights.sum()
    ends = [(weights, before.means, before.covariances)]
    ends.append((after.weights, after.means, after.covariances))
    return bound_path(X, *ends, "full", s, resp=resp)


def path_record(iteration: int, path: BoundPath) -> dict:
    """The path as the figure's ``data-path``: ``iteration``, and ``s``,
    ``loglik`` and ``bound`` as lists of floats."""
    return {
        "iteration": int(iteration),
        "s": [float(v) for v in path.s],
        "loglik": [float(v) for v in path.log_likelihood],
        "bound": [float(v) for v in path.bound],
    }
