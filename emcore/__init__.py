"""emcore: a small numpy EM engine for Gaussian mixtures.

It matches scikit-learn's ``GaussianMixture`` and ``BayesianGaussianMixture``
number for number, runs EM (and variational Bayes) one iteration at a time for
animation, shows why EM works (the lower bound at every half-step, the E-step
at a temperature; :mod:`emcore.variational`), simulates 2-D cluster data, and
scores clusterings and models (ARI, AIC, BIC). :mod:`emcore.experiment` runs the
simulator page's whole computation; its events and result are the typed records
of :mod:`emcore.records`. The only runtime dependency is numpy, so the same
wheel runs in CPython and in Pyodide.
"""

from . import exceptions, experiment, records
from ._validation import COVARIANCE_TYPES
from .densities import SingularCovarianceError, estimate_log_gaussian_prob, logsumexp
from .em import EMSnapshot, e_step, em_steps, m_step
from .geometry import Ellipse, component_ellipse, mixture_ellipses, to_full_covariances
from .initialization import initial_responsibilities, kmeans, kmeans_plusplus
from .metrics import (
    adjusted_rand_score,
    contingency_matrix,
    linear_sum_assignment,
    match_labels,
)
from .mixture import GaussianMixture, StartResult, n_parameters
from .records import (
    CellEvent,
    CovarianceSweep,
    CriterionPick,
    DataEvent,
    DoneEvent,
    Event,
    ExperimentResult,
    FinishEvent,
    FrameEvent,
    IdleEvent,
    KMeansResult,
    Picks,
    SeedEvent,
    StartSummary,
    SweepEvent,
)
from .selection import (
    SelectionCell,
    SelectionResult,
    Verdict,
    healthy_picks,
    local_optima_verdict,
    select_model,
    select_model_steps,
)
from .synthetic import TrueMixture, simulate
from .variational.bayesian import BayesianGaussianMixture, VBSnapshot
from .variational.bound import (
    BoundPath,
    HalfStep,
    LowerBound,
    bound_path,
    half_step_bounds,
    interpolate_mixture,
    lower_bound,
)
from .variational.tempering import annealing_temperatures

__version__ = "0.1.0"


def __getattr__(name):
    # scikit-learn's exception classes when it is importable, resolved on first
    # use so that importing emcore never imports scikit-learn
    if name in ("ConvergenceWarning", "NotFittedError"):
        return exceptions.resolve(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "BayesianGaussianMixture",
    "BoundPath",
    "COVARIANCE_TYPES",
    "CellEvent",
    "ConvergenceWarning",
    "CovarianceSweep",
    "CriterionPick",
    "DataEvent",
    "DoneEvent",
    "EMSnapshot",
    "Ellipse",
    "Event",
    "ExperimentResult",
    "FinishEvent",
    "FrameEvent",
    "GaussianMixture",
    "HalfStep",
    "IdleEvent",
    "KMeansResult",
    "LowerBound",
    "NotFittedError",
    "Picks",
    "SeedEvent",
    "SelectionCell",
    "SelectionResult",
    "healthy_picks",
    "SingularCovarianceError",
    "StartResult",
    "StartSummary",
    "SweepEvent",
    "TrueMixture",
    "Verdict",
    "__version__",
    "VBSnapshot",
    "adjusted_rand_score",
    "annealing_temperatures",
    "bound_path",
    "component_ellipse",
    "contingency_matrix",
    "e_step",
    "em_steps",
    "exceptions",
    "estimate_log_gaussian_prob",
    "half_step_bounds",
    "initial_responsibilities",
    "interpolate_mixture",
    "kmeans",
    "kmeans_plusplus",
    "linear_sum_assignment",
    "local_optima_verdict",
    "logsumexp",
    "lower_bound",
    "m_step",
    "match_labels",
    "mixture_ellipses",
    "n_parameters",
    "select_model",
    "select_model_steps",
    "simulate",
    "experiment",
    "records",
    "to_full_covariances",
]
