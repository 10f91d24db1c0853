"""The timeline's record: every EM iteration of a run, scrubbed by half-steps.

A :class:`Timeline` records, for every EM iteration of every start, only the
parameters (weights, means, full covariances), the per-sample log-likelihood
measured by that iteration's E-step and the start index. Responsibilities are
*not* stored: :func:`responsibilities` recomputes them from the parameters of
the previous iteration when a position is shown, so 10 starts x 500
iterations x K = 6 take about 1.8 MB (under 3.6 MB with the growth
reserve) however large N is.

Half-steps
----------
Within one start with ``T`` recorded iterations there are ``2T + 1``
positions ``p = 0 .. 2T``. Write ``theta_t`` for the parameters after the
M-step of iteration ``t`` and ``theta_0`` for the initial parameters:

* ``p = 0``: the initial parameters (ellipses ``theta_0``), before any E-step;
  points are not yet coloured (``resp_params`` is ``None``).
* odd ``p = 2t - 1``: after the **E-step** of iteration ``t``: ellipses still
  at ``theta_{t-1}``; points recoloured by responsibilities computed from
  ``theta_{t-1}``.
* even ``p = 2t`` (t >= 1): after the **M-step** of iteration ``t``: ellipses
  moved to ``theta_t``; points keep the colours of the E-step that produced
  them (responsibilities from ``theta_{t-1}``).

So stepping forward alternates "recolour the points" and "move the
ellipses", exactly the two halves of EM. The initial parameters ``theta_0``
are not part of an :class:`emcore.EMSnapshot`; pass them with
:meth:`Timeline.begin_start` (``emcore.GaussianMixture`` computes them from
its k-means++ seeds) or, when they are unknown, pass the first E-step's
responsibilities to :meth:`Timeline.append` with ``first_resp`` (kept once
per start); without either, positions 0 and 1 of that start show no
ellipses / no colours.

With several starts, :meth:`Timeline.state_at` takes a *global* position
running through the starts in order (start 0's ``2T_0 + 1`` positions, then
start 1's, ...), which is what playing the whole fit walks through;
pass ``start=`` to address positions within one start instead.

Where the timeline stands and how it plays are the page state's
(:mod:`simapp.state.timeline`); how fast it plays is
:func:`simapp.run.pacing.pace`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from emcore.densities import (
    compute_precision_cholesky,
    estimate_weighted_log_prob,
    logsumexp,
)
from emcore.geometry import to_full_covariances

__all__ = ["FrameState", "Params", "Timeline", "responsibilities"]


@dataclass(frozen=True)
class Params:
    """Mixture parameters with full covariances.

    Attributes
    ----------
    weights : ndarray of shape (K,)
    means : ndarray of shape (K, 2)
    covariances : ndarray of shape (K, 2, 2)
    """

    weights: np.ndarray
    means: np.ndarray
    covariances: np.ndarray


@dataclass(frozen=True)
class FrameState:
    """What to draw at one half-step position.

    Attributes
    ----------
    position : int
        The position asked for (global, or within ``start``).
    start : int
        0-based start index.
    iteration : int
        EM iteration ``t`` in progress: 0 at the initial parameters, else
        1-based.
    phase : {'init', 'e', 'm'}
        ``'init'`` (p = 0), ``'e'`` (after the E-step) or ``'m'`` (after the
        M-step).
    ellipse_params : Params or None
        Parameters whose ellipses and centres are drawn (``None`` if the
        initial parameters of this start were not recorded).
    resp_params : Params or None
        Parameters to compute the point colours from with
        :func:`responsibilities` (``None`` at p = 0: nothing to colour yet).
    first_resp : ndarray of shape (n, K) or None
        Stored responsibilities to use instead when ``resp_params`` is
        ``None`` but the E-step is the first of a start whose initial
        parameters are unknown.
    loglik : float or None
        Per-sample log-likelihood of ``resp_params`` (that E-step's value).
    converged : bool
        Whether iteration ``iteration`` met the tolerance (False at p = 0).
    is_last : bool
        Last position of this start.
    """

    position: int
    start: int
    iteration: int
    phase: str
    ellipse_params: Params | None
    resp_params: Params | None
    first_resp: np.ndarray | None
    loglik: float | None
    converged: bool
    is_last: bool

    @property
    def colours_known(self) -> bool:
        """Whether points can be coloured at this position."""
        return self.resp_params is not None or self.first_resp is not None


def responsibilities(X, params: Params) -> tuple[np.ndarray, float]:
    """Responsibilities of every point under ``params`` (one E-step).

    Parameters
    ----------
    X : ndarray of shape (n, 2)
    params : Params

    Returns
    -------
    resp : ndarray of shape (n, K)
        Rows sum to 1.
    loglik : float
        Per-sample mean log-likelihood of ``params``.
    """
    X = np.asarray(X, dtype=np.float64)
    prec_chol = compute_precision_cholesky(params.covariances, "full")
    weighted = estimate_weighted_log_prob(
        X, params.weights, params.means, prec_chol, "full"
    )
    log_norm = logsumexp(weighted, axis=1)
    with np.errstate(under="ignore", invalid="ignore"):
        resp = np.exp(weighted - log_norm[:, np.newaxis])
    return resp, float(np.mean(log_norm))


class Timeline:
    """The recorded iterations of an EM fit, addressable by half-steps.

    Parameters
    ----------
    n_components : int
        K.
    covariance_type : {'full', 'tied', 'diag', 'spherical'}, default 'full'
        Type of the covariances passed to :meth:`append`; they are stored as
        full (K, 2, 2) matrices.

    Examples
    --------
    Feed it the page's EM frames (``emcore.experiment.iterate`` events of kind
    ``"em"``) or ``(start, snapshot)`` pairs of ``GaussianMixture.fit_steps``:

    >>> import numpy as np, emcore
    >>> X, _ = emcore.simulate(200, 2, 0.1, random_state=0)
    >>> tl = Timeline(2)
    >>> gm = emcore.GaussianMixture(2, tol=1e-6, random_state=0)
    >>> for start, snap in gm.fit_steps(X):
    ...     tl.append_snapshot(start, snap)
    >>> tl.n_positions() == 2 * gm.n_iter_ + 1
    True
    >>> tl.state_at(1).phase, tl.state_at(2).phase
    ('e', 'm')
    """

    def __init__(
        self, n_components: int, covariance_type: str = "full", n_features: int = 2
    ) -> None:
        self.n_components = int(n_components)
        # d: data of more than two columns keep their full parameters, so
        # the timeline's responsibilities are those of the real fit
        self.n_features = int(n_features)
        if self.n_features < 1:
            raise ValueError(f"n_features must be >= 1, got {n_features}")
        if self.n_components < 1:
            raise ValueError(f"n_components must be >= 1, got {n_components}")
        self.covariance_type = covariance_type
        self._rows = _Rows(self.n_components, self.n_features)
        # per start: (first row, row count), initial params, first resp
        self._starts: list[list[int]] = []
        self._initial: dict[int, Params] = {}
        self._first_resp: dict[int, np.ndarray] = {}
        self._cache: dict[tuple[int, int], tuple[np.ndarray, float]] = {}

    # --- recording ---------------------------------------------------------

    def _full(self, covariances) -> np.ndarray:
        return to_full_covariances(
            covariances, self.covariance_type, self.n_components, self.n_features
        )

    def _ensure_start(self, start: int) -> None:
        """Open ``start`` if it is the next one; it must be the current or next."""
        if start == len(self._starts):
            self._starts.append([self._rows.n, 0])
        elif start != len(self._starts) - 1:
            raise ValueError(
                f"starts must be recorded in order: the current start is "
                f"{len(self._starts) - 1}, got {start}"
            )

    def begin_start(self, start: int, weights, means, covariances) -> None:
        """Record the initial parameters ``theta_0`` of ``start``.

        Call before the start's first :meth:`append` (optional; see the
        module notes).
        """
        start = int(start)
        self._ensure_start(start)
        if self._starts[start][1]:
            raise ValueError(f"start {start} already has iterations")
        self._initial[start] = Params(
            np.array(weights, dtype=np.float64).reshape(self.n_components),
            np.array(means, dtype=np.float64).reshape(
                self.n_components, self.n_features
            ),
            self._full(covariances),
        )

    def append(
        self,
        start: int,
        weights,
        means,
        covariances,
        loglik: float,
        *,
        converged: bool = False,
        first_resp=None,
    ) -> None:
        """Record one EM iteration (the parameters after its M-step).

        Parameters
        ----------
        start : int
            0-based start; starts must arrive in order.
        weights : array-like of shape (K,)
        means : array-like of shape (K, 2)
        covariances : array-like
            Of the timeline's ``covariance_type`` (full (K, 2, 2) always
            works when the type is ``'full'``).
        loglik : float
            Per-sample log-likelihood measured by this iteration's E-step.
        converged : bool
        first_resp : array-like of shape (n, K), optional
            This iteration's E-step responsibilities; kept only for the first
            iteration of a start without :meth:`begin_start`.
        """
        start = int(start)
        self._ensure_start(start)
        entry = self._starts[start]
        self._rows.add(
            np.asarray(weights, dtype=np.float64).reshape(self.n_components),
            np.asarray(means, dtype=np.float64).reshape(
                self.n_components, self.n_features
            ),
            self._full(covariances),
            loglik,
            start,
            entry[1] + 1,
            converged,
        )
        if entry[1] == 0 and first_resp is not None and start not in self._initial:
            self._first_resp[start] = np.array(first_resp, dtype=np.float64)
        entry[1] += 1

    def append_snapshot(self, start: int, snapshot, *, first_resp=None) -> None:
        """:meth:`append` from an :class:`emcore.EMSnapshot`.

        When the snapshot carries responsibilities (``return_resp=True``)
        and is the first of a start without initial parameters, they are
        kept as ``first_resp``.
        """
        if first_resp is None and snapshot.iteration == 1:
            first_resp = snapshot.resp
        self.append(
            start,
            snapshot.weights,
            snapshot.means,
            snapshot.covariances,
            snapshot.log_likelihood,
            converged=snapshot.converged,
            first_resp=first_resp,
        )

    def append_frame(self, frame) -> None:
        """:meth:`append` from an ``emcore.experiment.iterate`` ``"em"`` event
        (an :class:`emcore.records.FrameEvent`).

        Such events carry full covariances whatever the covariance type, so
        use a timeline with ``covariance_type='full'`` for them.
        """
        first = frame.resp if frame.iteration == 1 else None
        self.append(
            frame.start,
            frame.weights,
            frame.means,
            frame.covariances,
            frame.loglik_mean,
            converged=bool(frame.converged),
            first_resp=first,
        )

    def clear(self) -> None:
        """Forget everything (for a new run)."""
        self.__init__(self.n_components, self.covariance_type, self.n_features)

    # --- reading -------------------------------------------------------------

    @property
    def n_starts(self) -> int:
        return len(self._starts)

    def n_iterations(self, start: int) -> int:
        """Recorded iterations ``T`` of ``start``."""
        return self._starts[start][1]

    def n_positions(self, start: int | None = None) -> int:
        """``2T + 1`` positions of one start, or the sum over all starts."""
        if start is not None:
            return 2 * self._starts[start][1] + 1
        return sum(2 * t + 1 for _, t in self._starts)

    def start_offset(self, start: int) -> int:
        """Global position of ``start``'s position 0."""
        return sum(2 * t + 1 for _, t in self._starts[:start])

    def locate(self, position: int) -> tuple[int, int]:
        """``(start, local position)`` of a global position."""
        p = int(position)
        if p < 0:
            raise IndexError(f"position {position} is negative")
        for start, (_, t) in enumerate(self._starts):
            if p < 2 * t + 1:
                return start, p
            p -= 2 * t + 1
        raise IndexError(f"position {position} is past the end ({self.n_positions()})")

    def params(self, start: int, iteration: int) -> Params | None:
        """``theta_t`` of ``start`` (``t = 0``: initial, or ``None``)."""
        first, t_max = self._starts[start]
        if iteration == 0:
            return self._initial.get(start)
        if not 1 <= iteration <= t_max:
            raise IndexError(
                f"start {start} has iterations 1..{t_max}, not {iteration}"
            )
        return self._rows.params(first + iteration - 1)

    def loglik_trace(self, start: int) -> np.ndarray:
        """Per-sample log-likelihoods of ``start``'s E-steps (a view, (T,))."""
        first, t = self._starts[start]
        return self._rows.loglik[first : first + t]

    def state_at(self, position: int, start: int | None = None) -> FrameState:
        """What to draw at a half-step position (see the module notes).

        Parameters
        ----------
        position : int
            Global position (``0 .. n_positions() - 1``), or a position
            within ``start`` (``0 .. 2T``) when ``start`` is given.
        start : int, optional
        """
        if start is None:
            start, local = self.locate(position)
        else:
            local = int(position)
            if not 0 <= local < self.n_positions(start):
                raise IndexError(
                    f"start {start} has positions 0..{self.n_positions(start) - 1}, "
                    f"not {position}"
                )
        first, t_max = self._starts[start]
        if local == 0:
            return FrameState(
                position=position,
                start=start,
                iteration=0,
                phase="init",
                ellipse_params=self._initial.get(start),
                resp_params=None,
                first_resp=None,
                loglik=None,
                converged=False,
                is_last=t_max == 0,
            )
        t = (local + 1) // 2
        phase = "e" if local % 2 else "m"
        i = first + t - 1
        return FrameState(
            position=position,
            start=start,
            iteration=t,
            phase=phase,
            ellipse_params=self.params(start, t - 1 if phase == "e" else t),
            resp_params=self.params(start, t - 1),
            first_resp=self._first_resp.get(start) if t == 1 else None,
            loglik=float(self._rows.loglik[i]),
            converged=bool(self._rows.converged[i]) if phase == "m" else False,
            is_last=local == 2 * t_max,
        )

    def resp_at(self, X, position: int, start: int | None = None) -> np.ndarray | None:
        """Responsibilities (n, K) to colour the points at ``position``.

        Recomputed from the stored parameters (the last few results are
        cached, keyed by iteration row). ``None`` when there is nothing to
        colour (position 0, or unknown initial parameters without
        ``first_resp``).
        """
        state = self.state_at(position, start)
        if state.resp_params is None:
            return state.first_resp
        key = (state.start, state.iteration - 1)  # theta_{t-1}
        hit = self._cache.get(key)
        if hit is None or hit[0].shape[0] != len(X):
            hit = responsibilities(X, state.resp_params)
            if len(self._cache) >= 4:
                self._cache.pop(next(iter(self._cache)))
            self._cache[key] = hit
        return hit[0]

    def nbytes(self) -> int:
        """Memory held by the stored arrays (capacity included)."""
        extra = sum(a.nbytes for a in self._first_resp.values())
        extra += sum(p.weights.nbytes * 7 for p in self._initial.values())
        return self._rows.nbytes() + extra


class _Rows:
    """A timeline's iterations, one row each in growing arrays (the capacity
    doubles when full, so recording stays amortised O(1) per iteration)."""

    COLUMNS = ("weights", "means", "covs", "loglik", "start", "iteration", "converged")

    def __init__(self, n_components: int, n_features: int, capacity: int = 16):
        k, d, cap = n_components, n_features, capacity
        self.n = 0
        self.weights = np.empty((cap, k))
        self.means = np.empty((cap, k, d))
        self.covs = np.empty((cap, k, d, d))
        self.loglik = np.empty(cap)
        self.start = np.empty(cap, dtype=np.int64)
        self.iteration = np.empty(cap, dtype=np.int64)
        self.converged = np.empty(cap, dtype=bool)

    def add(self, weights, means, covs, loglik, start, iteration, converged) -> None:
        """Write the next row (growing the arrays when full)."""
        if self.n == len(self.loglik):
            cap = 2 * len(self.loglik)
            for name in self.COLUMNS:
                old = getattr(self, name)
                new = np.empty((cap, *old.shape[1:]), dtype=old.dtype)
                new[: self.n] = old[: self.n]
                setattr(self, name, new)
        i = self.n
        self.weights[i], self.means[i], self.covs[i] = weights, means, covs
        self.loglik[i] = float(loglik)
        self.start[i] = start
        self.iteration[i] = iteration
        self.converged[i] = bool(converged)
        self.n += 1

    def params(self, i: int) -> Params:
        """Row ``i``'s parameters as read-only views (the record is immutable)."""
        views = [a[i] for a in (self.weights, self.means, self.covs)]
        for v in views:
            v.flags.writeable = False
        return Params(*views)

    def nbytes(self) -> int:
        """Memory held by the arrays (capacity included)."""
        return sum(getattr(self, name).nbytes for name in self.COLUMNS)
