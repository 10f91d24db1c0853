"""Typed records of a simulator run: the events it yields and its result.

:func:`emcore.experiment.iterate` yields one record per event, each an
:class:`Event` whose ``kind`` names it (the strings a page counts events
by); :func:`emcore.experiment.run` returns the :class:`ExperimentResult`
the final :class:`DoneEvent` carries. Every record is a frozen dataclass
with named fields; the result's :meth:`~ExperimentResult.to_dict` gives
plain Python (lists, floats, dicts) for JSON.

Kinds
-----
``"data"`` :class:`DataEvent`; ``"seed"`` :class:`SeedEvent`; ``"init"``
and ``"em"`` :class:`FrameEvent`; ``"sweep"`` :class:`SweepEvent`; ``"ic"``
:class:`CellEvent`; ``"idle"`` :class:`IdleEvent`; ``"finish"``
:class:`FinishEvent`; ``"done"`` :class:`DoneEvent`.

A frame's ellipses and colour mapping are what only a drawn frame needs,
and they cost several EM iterations to build (more in Pyodide): they are
computed when first read (and kept), so a page that skips drawing a frame
never pays for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from functools import cached_property
from typing import Any, ClassVar

import numpy as np

from .geometry import Ellipse, mixture_ellipses
from .metrics import match_labels

__all__ = [
    "CRITERIA",
    "CellEvent",
    "CovarianceSweep",
    "CriterionPick",
    "DataEvent",
    "DoneEvent",
    "Event",
    "ExperimentResult",
    "FinishEvent",
    "FrameEvent",
    "IdleEvent",
    "KMeansResult",
    "Picks",
    "SeedEvent",
    "StartSummary",
    "SweepEvent",
    "component_mapping",
]

#: The information criteria of the model-selection sweep (lower is better).
CRITERIA = ("aic", "bic", "icl")


def component_mapping(labels_true, labels, n_true, k):
    """Fitted component -> true cluster, for stable colours.

    Parameters
    ----------
    labels_true : ndarray of shape (n,) or None
        The true classes; None: no truth, the identity mapping.
    labels : ndarray of shape (n,)
        Fitted labels, ``0 .. k - 1``.
    n_true : int or None
        Number of true classes.
    k : int
        Number of fitted components.

    Returns
    -------
    ndarray of shape (k,)
    """
    if labels_true is None:
        return np.arange(k)
    return match_labels(labels_true, labels, n_true, k)


# ------------------------------------------------------------------ events
class Event:
    """Base of the simulator's events.

    Attributes
    ----------
    kind : str
        The event's name (a class constant; :class:`FrameEvent` tells
        ``"init"`` from ``"em"``).
    background : bool
        True for a step of the model-selection sweep computed in the
        watched fit's idle time (``events.send(BACKGROUND)``); False for
        every other event.
    """

    kind: ClassVar[str] = ""
    background: ClassVar[bool] = False


@dataclass(frozen=True, eq=False)
class DataEvent(Event):
    """The data of the run, before any fit (kind ``"data"``).

    Attributes
    ----------
    X : ndarray of shape (n, d)
    labels_true : ndarray of shape (n,) or None
        True classes (None for own data without labels).
    true_means : ndarray of shape (k_true, 2) or None
        The simulated clusters' centres (None for own data).
    true_covariances : ndarray of shape (k_true, 2, 2) or None
    settings : dict
        The run's settings (:func:`emcore.experiment.check_settings`).
    """

    kind: ClassVar[str] = "data"

    X: np.ndarray
    labels_true: np.ndarray | None
    true_means: np.ndarray | None
    true_covariances: np.ndarray | None
    settings: dict


@dataclass(frozen=True)
class SeedEvent(Event):
    """A heartbeat while a start is initialised, or between the row blocks
    of its EM iterations on large data; nothing to draw (kind ``"seed"``).

    Attributes
    ----------
    start : int
        The 0-based start.
    """

    kind: ClassVar[str] = "seed"

    start: int


@dataclass(frozen=True, eq=False)
class FrameEvent(Event):
    """One animation frame of the watched fit (kind ``"init"`` or ``"em"``).

    Kind ``"init"`` (``iteration == 0``): the initial parameters of start
    ``start``, before its first E-step (``resp`` and ``mapping`` are None).
    Kind ``"em"``: the parameters after EM iteration ``iteration``.

    Attributes
    ----------
    start : int
        0-based start, of ``n_starts``.
    n_starts : int
    iteration : int
        0 for the initial parameters, else 1-based.
    loglik_mean : float
        Per-sample log-likelihood measured by this iteration's E-step.
    converged : bool
    weights : ndarray of shape (k,)
    means : ndarray of shape (k, d)
    covariances : ndarray of shape (k, d, d)
        Full matrices, whatever the covariance type.
    resp : ndarray of shape (n, k) or None
        The E-step's responsibilities.
    regularized : tuple of int
        Components whose covariance needed an extra ridge in this M-step.
    labels_true : ndarray of shape (n,) or None
        The data's true classes (for :attr:`mapping`).
    n_true : int or None
        Their number.
    """

    start: int
    n_starts: int
    iteration: int
    loglik_mean: float
    converged: bool
    weights: np.ndarray
    means: np.ndarray
    covariances: np.ndarray
    resp: np.ndarray | None
    regularized: tuple
    labels_true: np.ndarray | None = field(default=None, repr=False)
    n_true: int | None = field(default=None, repr=False)

    @property
    def kind(self) -> str:
        """``"init"`` for the initial parameters, else ``"em"``."""
        return "em" if self.iteration else "init"

    @cached_property
    def ellipses(self) -> tuple[Ellipse, ...]:
        """The components' 1σ ellipses (first two features; none for one
        column), built when first read."""
        if np.shape(self.means)[-1] == 1:  # one column: curves, no ellipses
            return ()
        return tuple(mixture_ellipses(self.means, self.covariances, "full"))

    @cached_property
    def mapping(self) -> np.ndarray | None:
        """Fitted component -> true cluster, shape (k,), built when first
        read; None before the first E-step."""
        if self.resp is None:
            return None
        labels = np.argmax(self.resp, axis=1)
        return component_mapping(
            self.labels_true, labels, self.n_true, len(self.weights)
        )


@dataclass(frozen=True)
class SweepEvent(Event):
    """A heartbeat of a model-selection fit: after each EM iteration and
    between its row blocks on large data; nothing to draw (kind
    ``"sweep"``).

    Attributes
    ----------
    k : int
        Components of the fit.
    cov : str
        Its covariance type.
    start : int
    iteration : int
        The last finished iteration (0 while the start is initialised).
    background : bool, default False
    """

    kind: ClassVar[str] = "sweep"

    k: int
    cov: str
    start: int
    iteration: int
    background: bool = False


@dataclass(frozen=True)
class CellEvent(Event):
    """One cell of the model-selection sweep, scored (kind ``"ic"``).

    Attributes
    ----------
    k : int
    cov : str
    aic, bic, icl : float
    loglik : float
        Total log-likelihood.
    params : int
        Free parameters.
    note : str
        Why the fit rests on a suspect component (``""`` if none).
    background : bool, default False
    """

    kind: ClassVar[str] = "ic"

    k: int
    cov: str
    aic: float
    bic: float
    icl: float
    loglik: float
    params: int
    note: str
    background: bool = False


@dataclass(frozen=True)
class IdleEvent(Event):
    """The answer to a background request when what is left of the sweep
    waits for the watched fit (kind ``"idle"``)."""

    kind: ClassVar[str] = "idle"


@dataclass(frozen=True)
class FinishEvent(Event):
    """A heartbeat while the result is computed (kind ``"finish"``).

    Attributes
    ----------
    step : {'labels', 'verdict', 'starts', 'kmeans'}
        The part being computed.
    """

    kind: ClassVar[str] = "finish"

    step: str


@dataclass(frozen=True, eq=False)
class DoneEvent(Event):
    """The end of the run (kind ``"done"``).

    Attributes
    ----------
    result : ExperimentResult
        What :func:`emcore.experiment.run` returns.
    """

    kind: ClassVar[str] = "done"

    result: ExperimentResult


# ------------------------------------------------------------------ result
@dataclass(frozen=True, eq=False)
class StartSummary:
    """One start of the watched fit, at its end.

    Attributes
    ----------
    loglik_mean : float
        Its final per-sample log-likelihood.
    iterations : int
    converged : bool
    ari_vs_best : float
        ARI of its labels against the best start's.
    ari : float or None
        ARI against the true labels (None without them).
    ellipses : tuple of Ellipse
        Its components' 1σ ellipses, one per component.
    means : ndarray of shape (k, d)
    optimum : int
        Which optimum it reached (``emcore.selection.optima_groups``): 0 the
        best, 1 the next, ...; -1 when it did not converge.
    """

    loglik_mean: float
    iterations: int
    converged: bool
    ari_vs_best: float
    ari: float | None
    ellipses: tuple[Ellipse, ...]
    means: np.ndarray
    optimum: int


@dataclass(frozen=True, eq=False)
class KMeansResult:
    """k-means on the same data, for comparison.

    Attributes
    ----------
    centers : ndarray of shape (k, d)
    labels : ndarray of shape (n,)
    ari : float or None
        Against the true labels (None without them).
    mapping : ndarray of shape (k,)
        Cluster -> true cluster, for colours.
    """

    centers: np.ndarray
    labels: np.ndarray
    ari: float | None
    mapping: np.ndarray


@dataclass(frozen=True)
class CovarianceSweep:
    """The model-selection sweep over K of one covariance type.

    Attributes
    ----------
    ks : tuple of int
        The numbers of components fitted, ascending.
    aic, bic, icl : tuple of float
        The criteria, one per ``ks``.
    params : tuple of int
        Free parameters, one per ``ks``.
    notes : tuple of str
        Per K: why that fit rests on a suspect component (``""`` if none).
    """

    ks: tuple[int, ...]
    aic: tuple[float, ...]
    bic: tuple[float, ...]
    icl: tuple[float, ...]
    params: tuple[int, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class CriterionPick:
    """The K one criterion picks over the run's covariance type.

    A fit resting on a degenerate component (near-singular, collapsed or on
    duplicated points: :mod:`emcore.diagnostics`) is a spurious maximiser of
    the likelihood, not a better model, so the pick leaves it out (mclust's
    rule) unless every fit has one.

    Attributes
    ----------
    k : int
        The pick: the K of the lowest value over fits without suspect
        components, or over every fit when none is without.
    k_healthy : int or None
        The K of the lowest value over fits without suspect components;
        None if there is none.
    note : str
        The note of the fit at ``k_raw``: why it was left out (``""``: the
        lowest value is a healthy fit, so nothing was left out).
    k_raw : int
        The K of the lowest value over every fit.
    """

    k: int
    k_healthy: int | None
    note: str
    k_raw: int


@dataclass(frozen=True)
class Picks:
    """Each criterion's pick (:data:`CRITERIA`).

    Attributes
    ----------
    aic, bic, icl : CriterionPick
    """

    aic: CriterionPick
    bic: CriterionPick
    icl: CriterionPick

    def of(self, criterion: str) -> CriterionPick:
        """The pick of ``criterion`` (``'aic'``, ``'bic'`` or ``'icl'``)."""
        if criterion not in CRITERIA:
            raise ValueError(
                f"criterion must be one of {', '.join(CRITERIA)}; got {criterion!r}"
            )
        return getattr(self, criterion)


@dataclass(frozen=True, eq=False)
class ExperimentResult:
    """Everything one simulator run computes (:func:`emcore.experiment.run`).

    Attributes
    ----------
    settings : dict
        The run's settings (:func:`emcore.experiment.check_settings`).
    params : int
        Free parameters of the fitted model.
    iterations : int
        EM iterations of the best start.
    converged : bool
    loglik : float
        Total log-likelihood ℓ at the final parameters.
    aic, bic, icl : float
        −2ℓ + 2p, −2ℓ + p ln N, and BIC plus the entropy term.
    ari : float or None
        Against the true labels (None without them).
    verdict : {'OK', 'WARN'}
        The local-optima check over the starts, and ``verdict_reason``:
        WARN when converged starts reached distinct optima.
    verdict_reason : str
    n_optima : int
        Distinct optima among the converged starts.
    best_hits : int
        Converged starts that reached the best one.
    verdict_checked : bool
        Two or more starts converged, so their optima were compared
        (otherwise the verdict is OK and its reason says "Not checked").
    lower_bound : float
        Per-sample log-likelihood of the best start.
    trace : tuple of float
        The best start's per-sample log-likelihood at each iteration.
    start_traces : tuple of tuple of float
        The same for every start.
    best_start : int
    starts : tuple of StartSummary
        One per start.
    weights : ndarray of shape (k,)
    means : ndarray of shape (k, d)
    covariances : ndarray of shape (k, d, d)
        Full matrices, whatever the covariance type.
    ellipses : tuple of Ellipse
        The components' 1σ ellipses (first two features).
    resp : ndarray of shape (n, k)
        Responsibilities.
    uncertainty : ndarray of shape (n,)
        1 − max γ.
    labels_pred : ndarray of shape (n,)
    mapping : ndarray of shape (k,)
        Fitted component -> true cluster (identity without labels).
    X : ndarray of shape (n, d)
    labels_true : ndarray of shape (n,) or None
    true_means : ndarray of shape (k_true, 2) or None
    comparison : dict of str to CovarianceSweep
        The model-selection sweep per covariance type: the run's own type
        first (:attr:`sweep`), the others too with ``compare``.
    picks : Picks
        The K each criterion picks over the run's own type.
    best_model : tuple of (str, int)
        ``(cov, K)`` with the lowest BIC over the swept cells without
        suspect components (over every cell when none is without), fewer
        parameters first on ties.
    kmeans : KMeansResult
        k-means on the same data.
    regularized, collapsed : tuple of int
        0-based components that needed an extra ridge / ended on a point
        or a line.
    notes : tuple of str
        Sentences saying so (and that EM hit its iteration cap).
    n_samples_log : float
        ln N, BIC's penalty per parameter.
    """

    settings: dict
    params: int
    iterations: int
    converged: bool
    loglik: float
    aic: float
    bic: float
    icl: float
    ari: float | None
    verdict: str
    verdict_reason: str
    n_optima: int
    best_hits: int
    verdict_checked: bool
    lower_bound: float
    trace: tuple[float, ...]
    start_traces: tuple[tuple[float, ...], ...]
    best_start: int
    starts: tuple[StartSummary, ...]
    weights: np.ndarray
    means: np.ndarray
    covariances: np.ndarray
    ellipses: tuple[Ellipse, ...]
    resp: np.ndarray
    uncertainty: np.ndarray
    labels_pred: np.ndarray
    mapping: np.ndarray
    X: np.ndarray
    labels_true: np.ndarray | None
    true_means: np.ndarray | None
    comparison: dict[str, CovarianceSweep]
    picks: Picks
    best_model: tuple[str, int]
    kmeans: KMeansResult
    regularized: tuple[int, ...]
    collapsed: tuple[int, ...]
    notes: tuple[str, ...]
    n_samples_log: float

    @property
    def sweep(self) -> CovarianceSweep:
        """The sweep of the run's own covariance type."""
        return self.comparison[self.settings["cov"]]

    def to_dict(self) -> dict[str, Any]:
        """Plain Python for JSON: the fields in order, nested records as
        dicts, arrays and tuples as lists, ellipses as ``{"center",
        "semi_axes", "angle"}``.

        Non-finite floats stay as they are (strict JSON has no token for
        them).

        Examples
        --------
        >>> import json
        >>> from emcore.experiment import run
        >>> d = run(k=2, n=100, seed=1, n_init=1).to_dict()
        >>> json.loads(json.dumps(d)) == d, d["picks"]["bic"]["k"]
        (True, 2)
        """
        return _plain(self)


def _plain(value):
    """JSON-ready copy of a record's value (see :meth:`ExperimentResult.to_dict`)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value
