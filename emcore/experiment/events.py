"""The run as events: :func:`iterate` and :func:`iterate_data` yield one typed
record per step (:mod:`emcore.records`); :func:`run` and :func:`run_data`
run them to the end."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np

from .._validation import check_X
from ..exceptions import EmcoreConvergenceWarning as ConvergenceWarning
from ..geometry import to_full_covariances
from ..records import DataEvent, DoneEvent, FrameEvent, IdleEvent, SeedEvent
from ..synthetic import simulate
from .bayes import bayes_fit_steps, bayes_model, bayes_result, em_cell_steps
from .result import result_steps
from .settings import BACKGROUND, FIT_SETTINGS, check_settings
from .sweep import model, sweep_steps


def _frame(s, snap, start, truth):
    """One animation frame (its ellipses and mapping are built when read)."""
    return FrameEvent(
        start=start,
        n_starts=s["n_init"],
        iteration=snap.iteration,
        loglik_mean=snap.log_likelihood,
        converged=snap.converged,
        weights=snap.weights,
        means=snap.means,
        covariances=to_full_covariances(
            snap.covariances, s["cov"], s["k"], snap.means.shape[1]
        ),
        resp=snap.resp,
        regularized=snap.regularized,
        labels_true=truth["labels"],
        n_true=truth["k"],
    )


def iterate(**settings):
    """Run the simulator step by step.

    Yields :mod:`emcore.records` events, each with a ``kind``:

    ``"data"`` (:class:`~emcore.records.DataEvent`)
        The data (``X``, ``labels_true``, ``true_means``...) and settings.
    ``"seed"`` (:class:`~emcore.records.SeedEvent`)
        A heartbeat while start ``start`` is initialised (between k-means++
        centres, k-means iterations and the first M-step) and, on more than
        :data:`~emcore.kernels.rowblocks.ROW_BLOCK` points, between the row blocks
        of its EM iterations; nothing to draw.
    ``"init"``, ``"em"`` (:class:`~emcore.records.FrameEvent`)
        A start's initial parameters, then each of its EM iterations: the
        parameters, responsibilities, ellipses and colour mapping.
    ``"sweep"`` (:class:`~emcore.records.SweepEvent`)
        A heartbeat after each EM iteration of a model-selection fit, and
        between its row blocks on large data; nothing to draw.
    ``"ic"`` (:class:`~emcore.records.CellEvent`)
        One cell of the model-selection sweep, scored. The chosen
        covariance type comes first; with ``compare`` the other three
        follow.
    ``"finish"`` (:class:`~emcore.records.FinishEvent`)
        A heartbeat while the result is computed (``step`` names the part);
        nothing to draw. On large data each part takes a while, and a page
        can paint between them (and between their row blocks).
    ``"done"`` (:class:`~emcore.records.DoneEvent`)
        ``result``: what :func:`run` returns.

    After any ``"seed"``, ``"init"`` or ``"em"`` event the caller may send
    :data:`BACKGROUND` instead of calling ``next``: the model-selection
    sweep then advances by one event (``"sweep"`` or ``"ic"`` with
    ``background=True``, or an ``"idle"`` event once the rest of it waits
    for the watched fit) and the fit waits. Cells computed that way are not
    computed again: after the fit come the cells still missing, the watched
    cell last. The result is the same as with ``next`` alone.

    Parameters
    ----------
    **settings
        See :func:`run`.

    Examples
    --------
    >>> from emcore.experiment import BACKGROUND, iterate
    >>> events = iterate(k=2, n=200, seed=3)
    >>> kinds = [next(events).kind, next(events).kind]
    >>> extra = events.send(BACKGROUND)
    >>> kinds, extra.kind, extra.background, extra.k
    (['data', 'seed'], 'sweep', True, 1)
    """
    s = check_settings(**settings)
    X, labels_true, mixture = simulate(
        s["n"],
        s["k_true"],
        s["overlap"] / 100.0,
        s["seed"],
        return_mixture=True,
        n_features=s.get("dims", 2),
    )
    yield DataEvent(
        X=X,
        labels_true=labels_true,
        true_means=mixture.means,
        true_covariances=mixture.covariances,
        settings=dict(s),
    )
    truth = {"labels": labels_true, "k": s["k_true"], "means": mixture.means}
    return (yield from _iterate_fit(s, X, truth))


def iterate_data(X, labels=None, **settings):
    """Like :func:`iterate`, for data the user brings.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        At least ``k`` samples and one feature. Every covariance is
        (k, d, d); the ``ellipses`` are those of the first two features'
        marginal (project them otherwise), and there are none for one.
    labels : array-like of shape (n_samples,), optional
        Known classes (integers from 0); without them ``ari`` is None.
    **settings
        The fit settings of :func:`run` (``k``, ``cov``, ``iters``, ``tol``,
        ``seed``, ``n_init``, ``compare``, ``init``, ``temperature``,
        ``means_init``).
    """
    extra = sorted(set(settings) - set(FIT_SETTINGS))
    if extra:
        raise ValueError(
            f"setting(s) {', '.join(extra)} describe simulated data; for your "
            f"own data the settings are {', '.join(FIT_SETTINGS)}"
        )
    X = check_X(X, min_samples=2)
    s = check_settings(**settings)
    if len(X) < s["k"]:
        raise ValueError(
            f"k must be at most the number of points ({len(X)}); got {s['k']}"
        )
    s["n"], s["overlap"], s["k_true"] = len(X), None, None
    truth = {"labels": None, "k": None, "means": None}
    if labels is not None:
        labels = np.asarray(labels)
        if labels.shape != (len(X),) or not np.issubdtype(labels.dtype, np.integer):
            raise ValueError(
                f"labels must be {len(X)} integers, one per point; got an array "
                f"of shape {labels.shape} and type {labels.dtype}"
            )
        if labels.min() < 0:
            raise ValueError(f"labels must be >= 0; got {labels.min()}")
        n_true = int(labels.max()) + 1
        truth = {"labels": labels.astype(np.int64), "k": n_true, "means": None}
        s["k_true"] = n_true
    yield DataEvent(
        X=X,
        labels_true=truth["labels"],
        true_means=None,
        true_covariances=None,
        settings=dict(s),
    )
    return (yield from _iterate_fit(s, X, truth))


def _iterate_fit(s, X, truth):
    if s.get("model") == "bayes":
        return (yield from _iterate_bayes(s, X, truth))
    k = s["k"]
    # only the watched fit is tempered and started from given means: the
    # sweep's other cells stay EM from their own seeded starts
    gm = model(
        s,
        k,
        temperature=s.get("temperature", 1.0),
        means_init=s.get("means_init"),
        precisions_init=s.get("precisions_init"),
    )
    # and only the watched fit is annealed
    gm.annealing = s.get("annealing")
    # every fit below is of the same X: its moment features are prepared
    # once per kind (pairs for full and tied, squares for diag and spherical)
    workspaces = {}
    fitted = [False]  # read by the sweep: it scores the watched fit after it
    sweep = sweep_steps(s, X, gm, fitted, workspaces)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        steps = gm.fit_steps(
            X,
            return_resp=True,
            include_initial=True,
            progress=True,
            _workspaces=workspaces,
        )
        for start, snap in steps:
            if snap is None:
                request = yield SeedEvent(start)
            else:
                request = yield _frame(s, snap, start, truth)
            while request == BACKGROUND:
                request = yield _background_step(sweep)
    fitted[0] = True
    while True:
        try:
            event = _quietly(sweep)
        except StopIteration as stop:
            cells = stop.value
            break
        yield event
    result = yield from result_steps(s, X, truth, gm, cells)
    yield DoneEvent(result)
    return result


def _iterate_bayes(s, X, truth):
    """The Bayesian fit's frames, then the sweep (EM at every cell, its
    watched cell fitted after the frames) and the result."""
    bgm = bayes_model(s, len(X))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield from bayes_fit_steps(s, X, bgm, truth)
    workspaces = {}
    gm = model(s, s["k"])
    fitted = [False]
    sweep = sweep_steps(s, X, gm, fitted, workspaces)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield from em_cell_steps(gm, X, workspaces)
    fitted[0] = True
    while True:
        try:
            event = _quietly(sweep)
        except StopIteration as stop:
            cells = stop.value
            break
        yield event
    em_result = yield from result_steps(s, X, truth, gm, cells)
    result = bayes_result(s, X, truth, bgm, em_result)
    yield DoneEvent(result)
    return result


def _quietly(steps):
    """``next(steps)`` with ConvergenceWarning ignored for that step only:
    the sweep's fits may run interleaved with the watched fit, whose own
    ``catch_warnings`` stays open across its yields, so a block held open
    across the sweep's yields would be closed out of order."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return next(steps)


def _background_step(sweep):
    """One step of the sweep for a :data:`BACKGROUND` request: its event
    marked ``background=True``, or an ``"idle"`` event when what is left
    waits for the watched fit."""
    event = _quietly(sweep)  # never exhausted before the fit ends
    if event is None:
        return IdleEvent()
    return dataclasses.replace(event, background=True)


def _last(events):
    for event in events:
        if event.kind == "done":
            return event.result
    raise RuntimeError("the simulator ended without a result")  # pragma: no cover


def run(**settings):
    """The page's whole computation for one run.

    Parameters
    ----------
    k : int, default 3
        Number of fitted components (2–6).
    k_true : int, optional
        Number of clusters in the simulated data (2–6); defaults to ``k``.
        A different value shows over- or under-fitting.
    n : int, default 500
        Sample size (100–5000).
    overlap : float, default 20
        True overlap in percent (0–100); see :mod:`emcore.synthetic`.
    dims : {2, 1}, default 2
        The simulated data's dimension: clusters in the plane, or on a
        line (:func:`emcore.synthetic.simulate`'s ``n_features``), each pair
        of neighbours as far apart as ``overlap`` says.
    cov : {'full', 'tied', 'diag', 'spherical'}, default 'full'
    iters : int, default 100
        Maximum EM iterations per start (10–500).
    tol : float, default 1e-4
        Convergence tolerance on the per-sample log-likelihood (1e-8–1e-1).
    seed : int, default 1
        Seeds the data and the fits (0–2**31-1).
    n_init : int, default 4
        Starts of the fit at ``k``; the best final log-likelihood wins
        (1–10). The other model-selection cells are fitted as
        :mod:`emcore.experiment.sweep` describes.
    compare : bool, default False
        Also sweep K for the other three covariance types.
    init : {'k-means++', 'kmeans', 'random', 'random_from_data', \
'whitened'}, default 'k-means++'
        How every cold start of every fit (the model-selection sweep's
        too) is seeded: ``init_params`` of :class:`~emcore.mixture.GaussianMixture`.
    temperature : float, default 1.0
        The E-step temperature of the watched fit (0-5): responsibilities
        proportional to ``(pi_k N_ik) ** (1 / temperature)``; 1 is EM (the
        same numbers bit for bit), 0 hard assignments (classification EM).
        The sweep's other cells stay at 1.
    means_init : sequence of ``k`` (x, y) pairs, optional
        The watched fit's starting means (scikit-learn's ``means_init``):
        every one of its ``n_init`` starts begins at them, its weights and
        covariances still seeded by ``init``. The sweep's other cells keep
        their own seeded starts.
    precisions_init : array-like, optional
        The watched EM fit's starting precisions (scikit-learn's
        ``precisions_init``, shaped for ``cov``: full ``(k, d, d)``, diag
        ``(k, d)``, spherical ``(k,)``, tied ``(d, d)``): every start
        begins with them, its weights still seeded by ``init``.
    model : {'em', 'bayes'}, default 'em'
        The watched fit: EM (a :class:`~emcore.mixture.GaussianMixture`)
        or variational Bayes (a :class:`~emcore.BayesianGaussianMixture`
        from one start, whose frames carry the per-sample bound it
        maximises; :mod:`.bayes`). The sweep stays EM either way.
    concentration : float, optional
        With ``model='bayes'``: the Dirichlet-process
        ``weight_concentration_prior`` (1e-3 to 1e3; None is ``1 / k``).
    annealing : (float, float), optional
        With ``model='em'``: the watched fit's deterministic-annealing
        schedule ``(T0, factor)``, EM at ``T0``, ``T0 * factor``, ... down
        to ``temperature`` (:func:`emcore.variational.tempering.\
annealing_temperatures`); frames number the iterations across stages.
        The sweep's other cells are not annealed.

    Returns
    -------
    ExperimentResult
        The fit's scores (``params``, ``iterations``, ``converged``,
        ``loglik``, ``aic``, ``bic``, ``icl``, ``ari``, ``verdict``), what
        the page draws (parameters, ellipses, responsibilities, traces,
        every start), the model-selection sweep (``comparison``, ``picks``,
        ``best_model``) and k-means on the same data; see
        :class:`~emcore.records.ExperimentResult`.

    Examples
    --------
    >>> from emcore.experiment import run
    >>> result = run(k=3, n=300, overlap=0, seed=7)
    >>> result.params, result.ari > 0.99, result.verdict in ("OK", "WARN")
    (17, True, True)
    """
    return _last(iterate(**settings))


def run_data(X, labels=None, **settings):
    """:func:`iterate_data` run to the end: the same result for your own data
    (``ari`` and the k-means ARI are None without labels).

    Examples
    --------
    >>> import numpy as np
    >>> from emcore.experiment import run_data
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (60, 2)), rng.normal(6, 1, (60, 2))])
    >>> result = run_data(X, np.repeat([0, 1], 60), k=2, seed=3)
    >>> result.ari, result.picks.bic.k
    (1.0, 2)
    """
    return _last(iterate_data(X, labels, **settings))
