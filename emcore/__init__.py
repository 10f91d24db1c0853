"""emcore: a small numpy EM engine for Gaussian mixtures.

It matches scikit-learn's ``GaussianMixture`` number for number, runs EM one
iteration at a time for animation, simulates 2-D cluster data, and scores
clusterings and models (ARI, AIC, BIC). Its only runtime dependency is numpy,
so the same wheel runs in CPython and in Pyodide.
"""

from .densities import SingularCovarianceError, estimate_log_gaussian_prob, logsumexp
from .em import EMSnapshot, e_step, em_steps, m_step
from .initialization import initial_responsibilities, kmeans, kmeans_plusplus
from .mixture import (
    ConvergenceWarning,
    GaussianMixture,
    NotFittedError,
    StartResult,
    n_parameters,
)

__version__ = "0.1.0"

__all__ = [
    "ConvergenceWarning",
    "EMSnapshot",
    "GaussianMixture",
    "NotFittedError",
    "SingularCovarianceError",
    "StartResult",
    "__version__",
    "e_step",
    "em_steps",
    "estimate_log_gaussian_prob",
    "initial_responsibilities",
    "kmeans",
    "kmeans_plusplus",
    "logsumexp",
    "m_step",
    "n_parameters",
]
