"""The page's settings: defaults, ranges, the sweep's shape, and their check.

:func:`check_settings` fills in :data:`DEFAULTS` and validates every setting
against :data:`LIMITS`; :func:`fit_rng` gives each fit its own random stream.
"""

from __future__ import annotations

import numpy as np

from .._validation import COVARIANCE_TYPES, check_choice, check_float, check_int
from ..initialization import INIT_METHODS
from ..variational.tempering import annealing_temperatures

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

#: Settings beyond the reference page. Their defaults leave its behaviour
#: unchanged: ``k_true`` (clusters in the simulated data; None = ``k``),
#: ``compare`` (also sweep K for every covariance type, mclust-style),
#: ``init`` (how every start is seeded, one of :data:`INIT_METHODS`) and
#: ``temperature`` (the watched fit's E-step temperature: 1 is EM, 0 hard
#: assignments; :mod:`emcore.variational.tempering`), ``model`` (the watched
#: fit: ``'em'``, a GaussianMixture, or ``'bayes'``, a
#: BayesianGaussianMixture), ``concentration`` (the Bayesian fit's
#: ``weight_concentration_prior``; None is scikit-learn's ``1 / k``),
#: ``annealing`` (the watched EM fit's deterministic-annealing schedule
#: ``(T0, factor)`` down to ``temperature``; None: none) and ``means_init``
#: (the watched fit's starting means, ``k`` rows of one point each, as
#: :class:`~emcore.mixture.GaussianMixture` takes them; None: ``init`` seeds
#: them), ``precisions_init`` (its starting precisions, shaped as the
#: estimator takes them for ``cov``; None: ``init`` seeds them) and ``dims``
#: (the simulated data's dimension: 2, the plane, or 1, clusters on a line;
#: :func:`emcore.synthetic.simulate`'s ``n_features``).
EXTRAS = {
    "k_true": None,
    "compare": False,
    "init": "k-means++",
    "temperature": 1.0,
    "model": "em",
    "concentration": None,
    "annealing": None,
    "means_init": None,
    "precisions_init": None,
    "dims": 2,
}

#: The watched fit's estimators: maximum likelihood (EM) or variational Bayes.
MODELS = ("em", "bayes")

#: Inclusive ranges of the numeric settings (the page's controls).
LIMITS = {
    "k": (2, 6),
    "k_true": (2, 6),
    "n": (100, 5000),
    "overlap": (0, 100),
    "iters": (10, 500),
    "tol": (1e-8, 1e-1),
    "seed": (0, 2**31 - 1),
    "n_init": (1, 10),
    "temperature": (0.0, 5.0),
    "concentration": (1e-3, 1e3),
    "dims": (1, 2),
}

#: The settings that describe a fit, as opposed to the simulated data.
FIT_SETTINGS = (
    "k",
    "cov",
    "iters",
    "tol",
    "seed",
    "n_init",
    "compare",
    "init",
    "temperature",
    "model",
    "concentration",
    "annealing",
    "means_init",
    "precisions_init",
)

#: Values of K the AIC/BIC chart can show (the data may stop it earlier:
#: :func:`emcore.experiment.sweep.max_components`).
SWEEP_KS = tuple(range(1, 9))

#: Sent into :func:`iterate`'s generator (``events.send(BACKGROUND)``) in
#: place of ``next(events)`` while the watched fit runs: the generator then
#: yields the next step of the model-selection sweep (its event marked
#: ``background=True``) instead of the fit's, or an ``"idle"`` event when
#: the rest of the sweep waits for the fit. A page fills the idle time of
#: its animation this way; the events and the result are the same.
BACKGROUND = "background"

REG_COVAR = 1e-6

#: Index that seeds the side-by-side k-means (after the covariance types).
KMEANS_STREAM = len(COVARIANCE_TYPES)


def check_settings(**settings):
    """Fill in defaults and validate; returns a new dict of clean settings
    (``temperature`` only when it is not 1, EM; ``dims`` only when 1, a
    line; ``model`` and
    ``concentration`` only for the Bayesian fit; ``means_init`` only when
    given, as a tuple of ``k`` tuples of floats).

    Raises ``ValueError`` naming the setting, its value and its allowed range.
    """
    allowed = {**DEFAULTS, **EXTRAS}
    unknown = sorted(set(settings) - set(allowed))
    if unknown:
        raise ValueError(
            f"unknown setting(s) {', '.join(unknown)}; allowed: {', '.join(allowed)}"
        )
    s = {**allowed, **settings}
    if s["k_true"] is None:
        s["k_true"] = s["k"]
    out = {
        name: check_int(name, s[name], *LIMITS[name])
        for name in ("k", "k_true", "n", "iters", "seed", "n_init", "dims")
    }
    out["overlap"] = check_float("overlap", s["overlap"], *LIMITS["overlap"])
    out["tol"] = check_float("tol", s["tol"], *LIMITS["tol"])
    out["temperature"] = check_float(
        "temperature", s["temperature"], *LIMITS["temperature"]
    )
    out["cov"] = check_choice("cov", s["cov"], COVARIANCE_TYPES)
    out["init"] = check_choice("init", s["init"], INIT_METHODS)
    if not isinstance(s["compare"], bool):
        raise ValueError(f"compare must be True or False; got {s['compare']!r}")
    out["compare"] = s["compare"]
    out["model"] = check_choice("model", s["model"], MODELS)
    out["concentration"] = s["concentration"]
    if s["concentration"] is not None:
        out["concentration"] = check_float(
            "concentration", s["concentration"], *LIMITS["concentration"]
        )
    _check_bayes(out)
    out["annealing"] = _check_annealing(s["annealing"], out)
    out["means_init"] = _check_means_init(s["means_init"], out["k"])
    out["precisions_init"] = _check_precisions_init(s["precisions_init"], out)
    clean = {name: out[name] for name in allowed}
    # EM: the settings a run records (and exports) stay as they were
    if clean["temperature"] == 1.0:
        del clean["temperature"]
    if clean["model"] == "em":
        del clean["model"], clean["concentration"]
    if clean["annealing"] is None:
        del clean["annealing"]
    for name in ("means_init", "precisions_init"):
        if clean[name] is None:
            del clean[name]
    if clean["dims"] == 2:  # the plane: recorded settings stay as they were
        del clean["dims"]
    return clean


def _check_means_init(means_init, k):
    """``means_init`` as ``k`` tuples of finite floats (plain values: the
    settings a run records stay printable), or None. Its number of columns
    is the fit's to check against the data."""
    if means_init is None:
        return None
    try:
        arr = np.asarray(means_init, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(
            f"means_init must be {k} rows of numbers, one per component; "
            f"got {means_init!r}"
        ) from None
    if arr.ndim != 2 or arr.shape[0] != k or arr.shape[1] < 1:
        raise ValueError(
            f"means_init must have {k} rows (k={k}), one mean per component; "
            f"got shape {arr.shape}"
        )
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"means_init must be finite numbers; got {means_init!r}")
    return tuple(tuple(float(v) for v in row) for row in arr)


def _check_precisions_init(precisions_init, s):
    """``precisions_init`` as nested tuples of finite floats, one entry per
    component (``tied``: one matrix), or None; its shape and positive
    definiteness are the fit's to check against the data."""
    if precisions_init is None:
        return None
    if s["model"] == "bayes":
        raise ValueError(
            f"precisions_init is a start of model='em'; got {precisions_init!r} "
            "with model='bayes'"
        )
    try:
        arr = np.asarray(precisions_init, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(
            f"precisions_init must be an array of numbers; got {precisions_init!r}"
        ) from None
    rows = arr.shape[0] if arr.ndim else 0
    if s["cov"] != "tied" and rows != s["k"]:
        raise ValueError(
            f"precisions_init must have {s['k']} entries (k={s['k']}), one per "
            f"component; got shape {arr.shape}"
        )
    if not np.all(np.isfinite(arr)):
        raise ValueError(
            f"precisions_init must be finite numbers; got {precisions_init!r}"
        )
    return _tuples(arr)


def _tuples(arr):
    """``arr`` as nested tuples of floats (printable, hashable)."""
    if arr.ndim == 1:
        return tuple(float(v) for v in arr)
    return tuple(_tuples(row) for row in arr)


def _check_annealing(annealing, s):
    """``annealing`` as a pair of floats (or None), checked as the watched
    EM fit will use it: cooling from above ``temperature`` to it."""
    if annealing is None:
        return None
    if s["model"] == "bayes":
        raise ValueError(
            f"annealing is a schedule of model='em'; got {annealing!r} with "
            "model='bayes'"
        )
    annealing_temperatures(annealing, s["temperature"])  # raises if unusable
    return (float(annealing[0]), float(annealing[1]))


def _check_bayes(s):
    """The settings only one of the two models takes."""
    if s["model"] == "em" and s["concentration"] is not None:
        raise ValueError(
            f"concentration is a prior of model='bayes'; got {s['concentration']!r} "
            "with model='em'"
        )
    if s["model"] == "bayes" and s["temperature"] != 1.0:
        raise ValueError(
            f"temperature must be 1 with model='bayes' (variational Bayes has "
            f"no tempered E-step here); got {s['temperature']!r}"
        )
    if s["model"] == "bayes" and s["init"] == "whitened":
        raise ValueError(
            "init='whitened' is not a start of model='bayes'; allowed: "
            "'k-means++', 'kmeans', 'random', 'random_from_data'"
        )


def fit_rng(seed, n_components, stream):
    """The random stream of the fit of ``n_components`` of one type
    (``stream``: its index in ``COVARIANCE_TYPES``, or :data:`KMEANS_STREAM`)."""
    return np.random.default_rng([seed, n_components, stream])
