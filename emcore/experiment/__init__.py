"""One simulator run: the whole computation behind the page, in one place.

:func:`run` takes the page's settings under the names of its URL parameters
(``k``, ``n``, ``overlap``, ``cov``, ``iters``, ``tol``, ``seed``, ``n_init``)
and returns an :class:`~emcore.records.ExperimentResult` with every number
and array the page shows. The page animates :func:`iterate` instead, which
yields one event per EM iteration and per model-selection cell (typed
records, :mod:`emcore.records`), then a final ``"done"`` event carrying
exactly what :func:`run` returns (``run`` is ``iterate`` run to the end), so
the page and a CPython test of the same settings get the same numbers.

Random streams: the data come from ``default_rng(seed)``; the fit of a model
with K components from ``default_rng([seed, K, type index])``, so the fitted
model at ``K = k`` is also the model-selection chart's cell at ``k``.

Starts: the fit the page animates (``cov`` at ``k``) keeps ``n_init``
starts; every other model-selection cell is fitted from one start
(:data:`SWEEP_N_INIT`, scikit-learn's default ``n_init=1``), which is the
first start it would have had with more, so the sweep costs a quarter of
the iterations at the default ``n_init=4``. Every fit of a run, the sweep's
included, starts by the same rule, ``init`` (an ``init_params`` of
:class:`~emcore.mixture.GaussianMixture`, k-means++ by default), so the
watched fit is also the chart's cell; the side-by-side k-means stays
k-means.

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
    SWEEP_N_INIT,
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
    "SWEEP_N_INIT",
    "BACKGROUND",
    "active_components",
    "check_settings",
    "iterate",
    "iterate_data",
    "run",
    "run_data",
]
