"""One simulator run: the whole computation behind the page, in one place.

:func:`run` takes the page's settings under the names of its URL parameters
(``k``, ``n``, ``overlap``, ``cov``, ``iters``, ``tol``, ``seed``, ``n_init``)
and returns an :class:`~emcore.records.ExperimentResult` with every number
and array the page shows. The page animates :func:`iterate` instead, which
yields one event per EM iteration and per model-selection cell (typed
records, :mod:`emcore.records`), then a final ``"done"`` event carrying
exactly what :func:`run` returns (``run`` is ``iterate`` run to the end), so
the page and a CPython test of the same settings get the same numbers.

Random streams: the data come from ``default_rng(seed)``; the watched fit
(``cov`` at ``k``) from ``default_rng([seed, k, type index])``, the
side-by-side k-means from ``default_rng([seed, k, 4])`` and the sweep's
k-means++ seeds for K components from ``default_rng([seed, K, 5])``.

Starts: the fit the page animates keeps ``n_init`` starts and is also the
model-selection chart's cell at ``k``. Every other cell is fitted by
:mod:`.sweep`: its own start competes with splits of the fit at K − 1 and,
where the cells disagree, merges of the fit at K + 1, so each cell reaches
a good optimum at about the cost of one start. Every cold start of a run
follows the same rule, ``init`` (an ``init_params`` of
:class:`~emcore.mixture.GaussianMixture`, k-means++ by default); the
side-by-side k-means stays k-means.

* :mod:`.settings`: :data:`DEFAULTS`, :data:`LIMITS`, the sweep's Ks and
  :func:`check_settings`.
* :mod:`.events`: :func:`iterate`, :func:`iterate_data`, :func:`run`,
  :func:`run_data`: the watched fit's events, the sweep interleaved.
* :mod:`.sweep`: the model-selection cells, fitted and scored.
* :mod:`.bayes`: the watched fit as variational Bayes (``model='bayes'``).
* :mod:`.result`: the finished run summarised as an ``ExperimentResult``.

May import any of emcore (it is the top of the engine); nothing in emcore
imports it but :mod:`emcore.__main__` and ``emcore/__init__.py``.
"""

from .bayes import ACTIVE_WEIGHT, active_components
from .events import iterate, iterate_data, run, run_data
from .settings import (
    BACKGROUND,
    COVARIANCE_TYPES,
    DEFAULTS,
    EXTRAS,
    FIT_SETTINGS,
    INIT_METHODS,
    LIMITS,
    MODELS,
    REG_COVAR,
    SWEEP_KS,
    check_settings,
)

__all__ = [
    "ACTIVE_WEIGHT",
    "COVARIANCE_TYPES",
    "DEFAULTS",
    "EXTRAS",
    "FIT_SETTINGS",
    "INIT_METHODS",
    "LIMITS",
    "MODELS",
    "REG_COVAR",
    "SWEEP_KS",
    "BACKGROUND",
    "active_components",
    "check_settings",
    "iterate",
    "iterate_data",
    "run",
    "run_data",
]
