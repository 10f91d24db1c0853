"""The anomalies of a finished run: the ``anomaly=P`` % of points with the
lowest fitted density (:func:`emcore.anomaly.flag_anomalies`).

:func:`find_anomalies` scores every fitted point under the final mixture
and flags the lowest ``P`` %; with planted outliers (the gallery's
``outliers``) it also says how many of them the flags caught. The scatter
rings the flagged points and the results panel counts them.

Examples
--------
>>> from emcore.experiment import run
>>> found = find_anomalies(run(k=2, n=200, seed=3), 5)
>>> found.n_flagged, int(found.flags.sum())
(10, 10)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from emcore import anomaly
from emcore.densities import (
    compute_precision_cholesky,
    estimate_weighted_log_prob,
    logsumexp,
)
from simapp.text import gallery as words

__all__ = ["MAX_PERCENT", "Anomalies", "find_anomalies"]

#: Largest ``anomaly=P`` the page offers (the engine allows up to 50 %).
MAX_PERCENT = 20


@dataclass(frozen=True, eq=False)
class Anomalies:
    """The flagged points of one fit.

    Attributes
    ----------
    percent : int
        The ``P`` asked for.
    flags : ndarray of shape (n_samples,), bool
        True for the flagged points, in the order of the fitted data.
    n_flagged : int
    level : float
        The mixture density at the threshold (the contour through the last
        point flagged).
    note : str
        How many planted outliers were caught, with precision and recall
        (``""`` without planted outliers).
    """

    percent: int
    flags: np.ndarray
    n_flagged: int
    level: float
    note: str = ""


def find_anomalies(result, percent: int, planted=None) -> Anomalies | None:
    """Flag the ``percent`` % of ``result.X`` of lowest fitted density.

    Parameters
    ----------
    result : emcore.records.ExperimentResult
        A finished run (its ``X``, ``weights``, ``means`` and full
        ``covariances``).
    percent : int
        ``P``, 0 to :data:`MAX_PERCENT`; 0 flags nothing (returns None).
    planted : ndarray of shape (n_samples,), bool, optional
        Known outliers to score the flags against.

    Returns
    -------
    Anomalies or None

    Raises
    ------
    ValueError
        For a ``percent`` outside 0 to :data:`MAX_PERCENT`, or a ``planted``
        mask of another length than the data.
    """
    if isinstance(percent, bool) or not isinstance(percent, int):
        raise ValueError(f"percent must be a whole number; got {percent!r}")
    if not 0 <= percent <= MAX_PERCENT:
        raise ValueError(f"percent={percent} is outside 0 to {MAX_PERCENT}")
    if percent == 0:
        return None
    X = result.X
    # the result's covariances are (K, d, d) whatever the fitted type
    chol = compute_precision_cholesky(result.covariances, "full")
    log_prob = estimate_weighted_log_prob(X, result.weights, result.means, chol, "full")
    found = anomaly.flag_anomalies(logsumexp(log_prob, axis=1), percent)
    note = ""
    if planted is not None:
        score = anomaly.anomaly_scores(found.flags, planted)
        note = words.caught_sentence(score.n_caught, score.n_planted, score.n_flagged)
    return Anomalies(
        percent=percent,
        flags=found.flags,
        n_flagged=found.n_flagged,
        level=found.level,
        note=note,
    )
