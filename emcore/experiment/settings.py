"""The page's settings: defaults, ranges, the sweep's shape, and their check.

:func:`check_settings` fills in :data:`DEFAULTS` and validates every setting
against :data:`LIMITS`; :func:`fit_rng` gives each fit its own random stream.
"""

from __future__ import annotations

import numpy as np

from .._validation import COVARIANCE_TYPES, check_choice, check_float, check_int
from ..initialization import INIT_METHODS

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
#: assignments; :mod:`emcore.variational.tempering`).
EXTRAS = {"k_true": None, "compare": False, "init": "k-means++", "temperature": 1.0}

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
    (``temperature`` only when it is not 1, EM).

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
        for name in ("k", "k_true", "n", "iters", "seed", "n_init")
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
    clean = {name: out[name] for name in allowed}
    if clean["temperature"] == 1.0:
        # EM: the settings a run records (and exports) stay as they were
        del clean["temperature"]
    return clean


def fit_rng(seed, n_components, stream):
    """The random stream of the fit of ``n_components`` of one type
    (``stream``: its index in ``COVARIANCE_TYPES``, or :data:`KMEANS_STREAM`)."""
    return np.random.default_rng([seed, n_components, stream])
