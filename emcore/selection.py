"""Choosing a model: information criteria over K and covariance types, and a
local-optima verdict drawn from how much the EM starts disagree."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np

from ._validation import check_covariance_type, check_float, check_int, check_X
from .densities import _logsumexp_from_max
from .diagnostics import _data_facts, component_health, degeneracy_note
from .exceptions import EmcoreConvergenceWarning as ConvergenceWarning
from .kernels.rowblocks import run_steps
from .metrics import adjusted_rand_score
from .mixture import GaussianMixture

__all__ = [
    "SelectionCell",
    "SelectionResult",
    "Verdict",
    "healthy_picks",
    "OPTIMUM_GAP_MIN",
    "local_optima_verdict",
    "optima_groups",
    "optimum_gap",
    "select_model",
    "select_model_steps",
]


@dataclass(frozen=True)
class SelectionCell:
    """One fitted model of a sweep.

    Attributes
    ----------
    n_components : int
    covariance_type : str
    log_likelihood : float
        Total log-likelihood ℓ of the data at the fitted parameters.
    n_parameters : int
    aic : float
        ``-2ℓ + 2p`` (lower is better).
    bic : float
        ``-2ℓ + p ln N`` (lower is better).
    icl : float
        ``BIC - 2 Σ_i log γ_i,best``: BIC plus an entropy penalty for
        ambiguous assignments (lower is better; mclust reports ``-icl``).
    converged : bool
    note : str
        Why the fit rests on suspect components (near-singular, collapsed or
        on duplicated points; :func:`emcore.diagnostics.degeneracy_note`),
        ``""`` when every component is healthy.
    """

    n_components: int
    covariance_type: str
    log_likelihood: float
    n_parameters: int
    aic: float
    bic: float
    icl: float
    converged: bool
    note: str = ""

    @property
    def healthy(self) -> bool:
        """True when no component of the fit is suspect."""
        return not self.note


@dataclass(frozen=True)
class SelectionResult:
    """All cells of a sweep and the models each criterion prefers.

    Attributes
    ----------
    cells : list of SelectionCell
    best_aic, best_bic, best_icl : dict
        ``{covariance_type: K}`` minimising the criterion for each type.
    best : tuple of (str, int)
        ``(covariance_type, K)`` with the lowest BIC overall.
    healthy_aic, healthy_bic, healthy_icl : dict
        ``{covariance_type: K}`` minimising the criterion over healthy cells
        only (mclust's rule: fits resting on degenerate components are left
        out); ``None`` for a type with no healthy cell.
    """

    cells: list
    best_aic: dict
    best_bic: dict
    best_icl: dict
    best: tuple
    healthy_aic: dict = None
    healthy_bic: dict = None
    healthy_icl: dict = None

    def column(self, covariance_type, criterion):
        """Values of ``criterion`` ('aic', 'bic', 'icl', 'log_likelihood') for
        one covariance type, ordered by K; returns (ks, values)."""
        cells = sorted(
            (c for c in self.cells if c.covariance_type == covariance_type),
            key=lambda c: c.n_components,
        )
        return (
            [c.n_components for c in cells],
            [getattr(c, criterion) for c in cells],
        )


def _argmin_k(cells, covariance_type, criterion, *, healthy_only=False):
    mine = [
        c
        for c in cells
        if c.covariance_type == covariance_type and (c.healthy or not healthy_only)
    ]
    if not mine:
        return None
    return min(mine, key=lambda c: (getattr(c, criterion), c.n_components)).n_components


def healthy_picks(cells, covariance_types, criterion):
    """``{covariance_type: K}`` minimising ``criterion`` over healthy cells.

    ``None`` for a covariance type whose every fit rests on a suspect
    component.
    """
    return {
        c: _argmin_k(cells, c, criterion, healthy_only=True) for c in covariance_types
    }


def score_fitted(gm, X):
    """The :class:`SelectionCell` of a fitted ``GaussianMixture`` on ``X``."""
    steps = _score_fitted_steps(gm, X)
    return run_steps(steps)


def _score_fitted_steps(gm, X, slices=None, facts=None, keep=None, work=None):
    """:func:`score_fitted` as a generator: yields None after the E-step
    (after each of its row blocks, ``slices``; see
    :func:`emcore.kernels.rowblocks.row_slices`) and after the log-likelihood terms
    (the parts that take a while on large data), returns the
    :class:`SelectionCell`. Every row is scored as in the whole array and the
    sums are whole-array sums, so the cell does not depend on the blocks.
    ``facts``: a dict shared by the scorings of one ``X`` (a sweep), which
    keeps what judging a component needs of the data alone; the first
    scoring fills it, with a pause of its own. ``keep``: a dict that receives
    ``"resp"``, the responsibilities of that E-step (n, K, column-major),
    for a caller that starts other fits from this one. ``work``: the
    :class:`~emcore.kernels.moments.MomentWorkspace` of ``X`` for ``gm``'s type, to
    score with EM's own E-step (its expanded quadratic forms where they are
    accurate) when there is one block; without it the direct E-step of
    ``gm.score`` (equal to scikit-learn's to the last bits)."""
    n = X.shape[0]
    p = gm.n_parameters()
    if work is not None and (slices is None or len(slices) == 1):
        _, resp, log_norm = work.e_step(gm.weights_, gm.means_, gm.precisions_cholesky_)
        by_component = resp.T  # (K, n), C-contiguous
        labels = np.argmax(by_component, axis=0)
        # log γ of each point's most responsible component
        top = np.log(np.max(by_component, axis=0)) + log_norm
        if keep is not None:
            keep["resp"] = resp
        yield
    else:
        log_norm, top, labels = yield from _direct_e_step(gm, X, slices, keep)
    loglik = float(np.sum(log_norm))
    # log γ of each point's most responsible component
    entropy_term = float(np.sum(top - log_norm))
    bic = -2.0 * loglik + p * math.log(n)
    yield
    data = None
    if facts is not None:
        if "data" not in facts:
            facts["data"] = _data_facts(X)
            yield
        data = facts["data"]
    return SelectionCell(
        n_components=gm.n_components,
        covariance_type=gm.covariance_type,
        log_likelihood=loglik,
        n_parameters=p,
        aic=-2.0 * loglik + 2.0 * p,
        bic=bic,
        icl=bic - 2.0 * entropy_term,
        converged=bool(gm.converged_),
        note=degeneracy_note(component_health(gm, X, labels=labels, _facts=data)),
    )


def _direct_e_step(gm, X, slices, keep):
    """The scoring's E-step by row blocks (a pause after each): ``log_norm``,
    ``top`` (the largest weighted log-density) and the labels per row."""
    n = X.shape[0]
    log_norm, top = np.empty(n), np.empty(n)
    labels = np.empty(n, dtype=np.intp)
    if keep is not None:  # by component (column-major): what splits read
        keep["resp"] = resp = np.empty((gm.n_components, n)).T
    for sl in slices or (slice(None),):
        weighted = gm._weighted_log_prob(X[sl])
        row_max = np.max(weighted, axis=1, keepdims=True)
        top[sl] = row_max[:, 0]
        # logsumexp(weighted, axis=1) without computing the maxima again
        log_norm[sl] = _logsumexp_from_max(weighted, row_max, 1)
        # the most responsible component is gm.predict(X), without an E-step
        labels[sl] = np.argmax(weighted, axis=1)
        if keep is not None:
            resp[sl] = np.exp(weighted - log_norm[sl, None])
        yield
    return log_norm, top, labels


def select_model_steps(
    X,
    n_components_range=range(1, 9),
    covariance_types=("full", "tied", "diag", "spherical"),
    *,
    n_init=1,
    init_params="k-means++",
    tol=1e-3,
    reg_covar=1e-6,
    max_iter=100,
    random_state=None,
):
    """Fit every (covariance type, K) and yield each :class:`SelectionCell`
    as soon as it is ready (K ascending within each type), so a chart can
    fill progressively. The generator's return value is the
    :class:`SelectionResult`. Components whose covariance collapses are
    regularised rather than failing the sweep.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    n_components_range : iterable of int, default=range(1, 9)
        Values of K; those above n_samples are skipped.
    covariance_types : iterable of str
    n_init, init_params, tol, reg_covar, max_iter : as in GaussianMixture
    random_state : None or non-negative int
        Each cell is seeded from this, so cells do not depend on sweep order.

    Raises
    ------
    ValueError
        For any invalid argument, naming it, its value and what is allowed
        (the fit settings are checked by :class:`GaussianMixture` on the first
        cell).
    """
    X = check_X(X, min_samples=2)
    # GaussianMixture accepts max_iter=0 (scikit-learn's "initial parameters
    # only"), which leaves no log-likelihood to compare models by
    check_int("max_iter", max_iter, 1)
    ks = [check_int("n_components", k, 1) for k in n_components_range]
    types = [check_covariance_type(c) for c in covariance_types]
    if not ks:
        raise ValueError(
            "n_components_range must contain at least one K >= 1; got an empty range"
        )
    if not types:
        raise ValueError(
            "covariance_types must name at least one of 'full', 'tied', 'diag', "
            "'spherical'; got none"
        )
    usable = [k for k in ks if k <= X.shape[0]]
    if not usable:
        raise ValueError(
            f"n_components_range must contain a K <= n_samples = {X.shape[0]}; got {ks}"
        )
    ks = usable
    if random_state is not None:
        random_state = check_int("random_state", random_state, 0)
    seed_root = np.random.SeedSequence(random_state)
    cells = []
    for cov in types:
        for k in ks:
            rng = np.random.default_rng(seed_root.spawn(1)[0])
            gm = GaussianMixture(
                k,
                covariance_type=cov,
                n_init=n_init,
                init_params=init_params,
                tol=tol,
                reg_covar=reg_covar,
                max_iter=max_iter,
                random_state=rng,
                on_singular="regularize",
            )
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                gm.fit(X)
            cell = score_fitted(gm, X)
            cells.append(cell)
            yield cell
    best_bic = {c: _argmin_k(cells, c, "bic") for c in types}
    overall = min(cells, key=lambda c: (c.bic, c.n_parameters))
    return SelectionResult(
        cells=cells,
        best_aic={c: _argmin_k(cells, c, "aic") for c in types},
        best_bic=best_bic,
        best_icl={c: _argmin_k(cells, c, "icl") for c in types},
        best=(overall.covariance_type, overall.n_components),
        healthy_aic=healthy_picks(cells, types, "aic"),
        healthy_bic=healthy_picks(cells, types, "bic"),
        healthy_icl=healthy_picks(cells, types, "icl"),
    )


def select_model(X, n_components_range=range(1, 9), covariance_types=None, **kwargs):
    """Run :func:`select_model_steps` to the end and return its result.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (150, 2)), rng.normal(9, 1, (150, 2))])
    >>> result = select_model(X, range(1, 5), ["full", "spherical"], random_state=0)
    >>> result.best_bic["full"], result.best_bic["spherical"]
    (2, 2)
    """
    if covariance_types is None:
        covariance_types = ("full", "tied", "diag", "spherical")
    steps = select_model_steps(X, n_components_range, covariance_types, **kwargs)
    return run_steps(steps)


#: The least gap, in total log-likelihood units, between two distinct optima
#: (a likelihood ratio of e: less is no difference to a statistician).
OPTIMUM_GAP_MIN = 1.0


def optimum_gap(n_samples: int, tol: float) -> float:
    """The smallest gap between two distinct optima, in total log-likelihood.

    EM stops once an iteration gains less than ``tol`` per point, ``tol · N``
    in total; as the gains shrink about geometrically, a start that stops
    there can be some ten such steps short of its optimum. Two starts closer
    than ``10 · tol · N`` cannot be told apart by the fit, nor closer than
    :data:`OPTIMUM_GAP_MIN`: the gap is the larger of the two.

    Examples
    --------
    >>> optimum_gap(500, 1e-4), optimum_gap(500, 1e-1)
    (1.0, 500.0)
    """
    n_samples = check_int("n_samples", n_samples, 1)
    tol = check_float("tol", tol, 0.0)
    return max(OPTIMUM_GAP_MIN, 10.0 * tol * n_samples)


def optima_groups(logliks, converged, gap: float) -> list[int]:
    """Which optimum each start reached: the count behind every word on it.

    Converged starts sorted from the best: a gap of more than ``gap`` to the
    previous one opens the next optimum. A start that did not converge
    reached no optimum.

    Parameters
    ----------
    logliks : sequence of float, shape (n_starts,)
        Each start's final total log-likelihood.
    converged : sequence of bool, shape (n_starts,)
    gap : float
        :func:`optimum_gap`, in the units of ``logliks``.

    Returns
    -------
    list of int, length n_starts
        0 for the best optimum, 1 for the next and so on; -1 for a start
        that did not converge. The optima are ``max + 1``, the starts at
        the best one ``count(0)``.

    Examples
    --------
    >>> optima_groups([-100.0, -100.4, -130.0, -90.0], [True, True, True, False], 1.0)
    [0, 0, 1, -1]
    """
    values = [float(v) for v in logliks]
    flags = [bool(c) for c in converged]
    if len(flags) != len(values):
        raise ValueError(
            f"converged has {len(flags)} flags for {len(values)} log-likelihoods"
        )
    gap = check_float("gap", gap, 0.0)
    groups = [-1] * len(values)
    order = sorted(
        (i for i in range(len(values)) if flags[i]), key=lambda i: -values[i]
    )
    group = 0
    for prev, cur in zip(order, order[1:], strict=False):
        if values[prev] - values[cur] > gap:
            group += 1
        groups[cur] = group
    if order:
        groups[order[0]] = 0
    return groups


@dataclass(frozen=True)
class Verdict:
    """Local-optima risk, judged from the converged starts of one fit.

    Attributes
    ----------
    status : {'OK', 'WARN'}
        WARN only when two or more converged starts reached distinct optima.
    reason : str
        One line a user can read; it says "Not checked" when fewer than two
        starts converged.
    spread : float
        Best minus worst final total log-likelihood over the converged starts.
    min_ari : float
        Smallest ARI between the best converged start's labelling and
        another start's (1.0 when all found the same partition).
    n_optima : int
        Distinct optima among the converged starts (:func:`optima_groups`).
    best_hits : int
        Converged starts that reached the best optimum.
    n_starts : int
    groups : tuple of int
        :func:`optima_groups` of the starts (-1: did not converge).
    gap : float
        :func:`optimum_gap`: distinct optima are further apart than this.
    checked : bool
        Two or more starts converged, so optima could be compared.
    """

    status: str
    reason: str
    spread: float
    min_ari: float
    n_optima: int
    best_hits: int
    n_starts: int
    groups: tuple = ()
    gap: float = OPTIMUM_GAP_MIN
    checked: bool = True


def _units(x: float) -> str:
    """A log-likelihood amount for a sentence: 95.1, 0.0031, 1,234."""
    x = abs(float(x))
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 1:
        return f"{x:.1f}"
    return "0" if x == 0 else f"{x:.2g}"


def _all(n: int) -> str:
    return "Both" if n == 2 else f"All {n}"


def _optima_reason(n_conv: int, groups: list[int], spread: float, gap: float) -> str:
    """The verdict's sentence on the converged starts' optima."""
    n_optima, hits = max(groups) + 1, groups.count(0)
    apart = f"distinct optima differ by more than {_units(gap)}"
    if gap > OPTIMUM_GAP_MIN:
        apart += " = 10 × tol × N"
    if n_optima >= 2:
        return (
            f"The {n_conv} converged starts reached {n_optima} distinct optima "
            f"({apart} log-likelihood units); {hits} of {n_conv} reached the "
            f"best, and the worst ended {_units(spread)} units below it."
        )
    if spread <= OPTIMUM_GAP_MIN:
        return (
            f"{_all(n_conv)} converged starts reached the same optimum: their "
            f"log-likelihoods are within {_units(spread)} units of each other "
            f"({apart} log-likelihood units)."
        )
    # only a loose tolerance makes the gap wider than the floor
    return (
        f"{_all(n_conv)} converged starts ended within {_units(spread)} "
        f"log-likelihood units of each other, closer than this tolerance can "
        f"tell apart ({apart} units): counted as one optimum; a smaller tol "
        "would separate them."
    )


def local_optima_verdict(gm, X, *, gap=None, ari_threshold=0.95):
    """Judge the risk that EM stopped at a local optimum, from the evidence of
    a fitted model's ``n_init`` starts: how far apart the converged starts'
    final total log-likelihoods are, and how much their labellings differ.

    Parameters
    ----------
    gm : GaussianMixture
        Fitted, with ``starts_`` recorded.
    X : array-like of shape (n_samples, n_features)
        The data it was fitted on.
    gap : float, optional
        Two converged starts reached distinct optima when their final total
        log-likelihoods differ by more than this; default
        :func:`optimum_gap` of ``N`` and ``gm.tol``.
    ari_threshold : float, default=0.95
        Starts at one optimum whose labellings have an ARI below this
        against the best start found different partitions (said, not
        warned of: the likelihood cannot tell them apart).

    Returns
    -------
    Verdict
        WARN only when two or more converged starts reached distinct optima;
        with one start, or fewer than two converged, OK and "Not checked".
    """
    X = check_X(X)
    if not hasattr(gm, "starts_"):
        raise ValueError("gm must be a fitted GaussianMixture (call fit first)")
    if gap is None:
        gap = optimum_gap(len(X), float(gm.tol))
    gap = check_float("gap", gap, 0.0, low_open=True)
    starts = gm.starts_
    n = len(starts)
    totals = np.array([s.lower_bound for s in starts]) * len(X)
    converged = [bool(s.converged) for s in starts]
    groups = optima_groups(totals, converged, gap)
    conv = [i for i in range(n) if converged[i]]
    n_optima, hits = max(groups) + 1, groups.count(0)
    ref = max(conv or range(n), key=lambda i: totals[i])
    if n > 1:
        labels = gm.predict_starts(X)
        aris = [float(adjusted_rand_score(labels[ref], lab)) for lab in labels]
    else:
        aris = [1.0]
    min_ari = min(aris)
    spread = float(totals[conv].max() - totals[conv].min()) if conv else 0.0
    facts = (spread, min_ari, n_optima, hits, n, tuple(groups), gap)
    unconverged = n - len(conv)
    if n == 1:
        reason = (
            "Not checked (one start): a single start cannot show another "
            "optimum; run several starts to check."
        )
        return Verdict("OK", reason, *facts, checked=False)
    tail = ""
    if unconverged:
        tail = (
            f" {unconverged} of {n} starts did not converge within the "
            "iteration cap: not optima, not counted."
        )
    if len(conv) < 2:
        reason = (
            f"Not checked: {len(conv)} of {n} starts converged, too few to "
            "compare optima; raise the iteration cap."
        )
        return Verdict("OK", reason, *facts, checked=False)
    reason = _optima_reason(len(conv), groups, spread, gap)
    flat = min(aris[i] for i in conv if groups[i] == 0)
    if n_optima == 1 and flat < ari_threshold:
        why = (
            "the likelihood is flat here, so the clustering is poorly determined"
            if spread <= OPTIMUM_GAP_MIN
            else "they may be different optima"
        )
        reason += (
            f" Their labellings differ though (the least similar has ARI "
            f"{flat:.2f} against the best): {why}."
        )
    status = "WARN" if n_optima >= 2 else "OK"
    return Verdict(status, reason + tail, *facts)
