"""Variational Bayes for a Gaussian mixture: the priors, the posterior and
one iteration, in scikit-learn's parametrisation and numerics.

The model (Bishop, PRML section 10.2; Blei & Jordan 2006 for the Dirichlet
process) puts a Dirichlet distribution, or a stick-breaking Dirichlet
process truncated at K components, on the weights, and a Gaussian-Wishart
prior on each component's mean and precision. Variational inference keeps a
factorised posterior of the same families and alternates

* an E-step: responsibilities from the expected log-weights and the
  expected log-densities (:func:`expected_weighted_log_prob_kn`);
* an M-step: the posterior from the soft counts, means and covariances of
  those responsibilities (:func:`posterior_from_moments`), which are EM's
  M-step moments (:class:`~emcore.kernels.moments.MomentWorkspace`).

A component that explains no data keeps only its prior's weight, which the
Dirichlet process (or a small Dirichlet concentration) drives towards 0.
As in scikit-learn, the posterior's covariances are the Wishart scale
matrices divided by the degrees of freedom, and the lower bound
(:func:`elbo`) leaves out the terms that do not change during a fit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..densities import compute_precision_cholesky, log_det_cholesky
from ..kernels.moments import normalise_log_prob
from .special import betaln, digamma, gammaln

__all__ = [
    "DIRICHLET_DISTRIBUTION",
    "DIRICHLET_PROCESS",
    "Posterior",
    "Prior",
    "elbo",
    "expected_weighted_log_prob_kn",
    "expected_weights",
    "posterior_from_moments",
    "vb_e_step",
]

DIRICHLET_PROCESS = "dirichlet_process"
DIRICHLET_DISTRIBUTION = "dirichlet_distribution"


@dataclass(frozen=True)
class Prior:
    """The resolved priors (scikit-learn's ``*_prior_`` attributes).

    Attributes
    ----------
    weight_type : {'dirichlet_process', 'dirichlet_distribution'}
    weight_concentration : float
    mean_precision : float
    mean : ndarray of shape (n_features,)
    degrees_of_freedom : float
    covariance : ndarray or float
        full and tied (d, d), diag (d,), spherical a float.
    """

    weight_type: str
    weight_concentration: float
    mean_precision: float
    mean: np.ndarray
    degrees_of_freedom: float
    covariance: np.ndarray | float


@dataclass(frozen=True)
class Posterior:
    """The variational posterior after an M-step.

    Attributes
    ----------
    weight_concentration : ndarray of shape (n_components,) or pair of them
        Dirichlet concentrations, or the Beta parameters ``(a, b)`` of each
        stick for the Dirichlet process.
    mean_precision : ndarray of shape (n_components,)
    means : ndarray of shape (n_components, n_features)
    degrees_of_freedom : ndarray of shape (n_components,) or float (tied)
    covariances, precisions_cholesky : ndarray
        The Wishart scale divided by the degrees of freedom, and the
        Cholesky factors of its inverse; shapes by covariance type.
    """

    weight_concentration: tuple | np.ndarray
    mean_precision: np.ndarray
    means: np.ndarray
    degrees_of_freedom: np.ndarray | float
    covariances: np.ndarray
    precisions_cholesky: np.ndarray


# --- M-step -------------------------------------------------------------------


def _wishart_full(prior, nk, xk, sk, mean_precision):
    dof = prior.degrees_of_freedom + nk
    diff = xk - prior.mean
    shrink = nk * prior.mean_precision / mean_precision
    cov = (
        prior.covariance
        + nk[:, np.newaxis, np.newaxis] * sk
        + shrink[:, np.newaxis, np.newaxis]
        * (diff[:, :, np.newaxis] * diff[:, np.newaxis, :])
    )
    return dof, cov / dof[:, np.newaxis, np.newaxis]


def _wishart_tied(prior, nk, xk, sk, mean_precision):
    K = len(nk)
    dof = prior.degrees_of_freedom + nk.sum() / K
    diff = xk - prior.mean
    cov = (
        prior.covariance
        + sk * nk.sum() / K
        + prior.mean_precision / K * np.dot((nk / mean_precision) * diff.T, diff)
    )
    return dof, cov / dof


def _wishart_diag(prior, nk, xk, sk, mean_precision):
    dof = prior.degrees_of_freedom + nk
    diff = xk - prior.mean
    ratio = (prior.mean_precision / mean_precision)[:, np.newaxis]
    cov = prior.covariance + nk[:, np.newaxis] * (sk + ratio * np.square(diff))
    return dof, cov / dof[:, np.newaxis]


def _wishart_spherical(prior, nk, xk, sk, mean_precision):
    dof = prior.degrees_of_freedom + nk
    diff = xk - prior.mean
    ratio = prior.mean_precision / mean_precision
    cov = prior.covariance + nk * (sk + ratio * np.mean(np.square(diff), 1))
    return dof, cov / dof


_WISHART = {
    "full": _wishart_full,
    "tied": _wishart_tied,
    "diag": _wishart_diag,
    "spherical": _wishart_spherical,
}


def posterior_from_moments(prior, nk, xk, sk, covariance_type):
    """The variational M-step.

    Parameters
    ----------
    prior : Prior
    nk : ndarray of shape (n_components,)
        Soft counts (plus ``10 * eps``, as EM's M-step gives them).
    xk : ndarray of shape (n_components, n_features)
        Responsibility-weighted means.
    sk : ndarray
        Responsibility-weighted covariances (with ``reg_covar``).
    covariance_type : {'full', 'tied', 'diag', 'spherical'}

    Returns
    -------
    Posterior

    Raises
    ------
    SingularCovarianceError
        When a posterior covariance is not positive definite.
    """
    if prior.weight_type == DIRICHLET_PROCESS:
        # stick k's Beta(1 + n_k, gamma + sum of the counts after k)
        after = np.hstack((np.cumsum(nk[::-1])[-2::-1], 0))
        concentration = (1.0 + nk, prior.weight_concentration + after)
    else:
        concentration = prior.weight_concentration + nk
    mean_precision = prior.mean_precision + nk
    means = (
        prior.mean_precision * prior.mean + nk[:, np.newaxis] * xk
    ) / mean_precision[:, np.newaxis]
    dof, covariances = _WISHART[covariance_type](prior, nk, xk, sk, mean_precision)
    return Posterior(
        weight_concentration=concentration,
        mean_precision=mean_precision,
        means=means,
        degrees_of_freedom=dof,
        covariances=covariances,
        precisions_cholesky=compute_precision_cholesky(covariances, covariance_type),
    )


# --- E-step -------------------------------------------------------------------


def expected_log_weights(concentration, weight_type):
    """``E[log pi_k]`` under the posterior of the weights, shape (K,)."""
    if weight_type == DIRICHLET_PROCESS:
        a, b = concentration
        digamma_sum = digamma(a + b)
        # log of stick k's share plus the logs of what the sticks before left
        left = np.hstack((0, np.cumsum(digamma(b) - digamma_sum)[:-1]))
        return digamma(a) - digamma_sum + left
    return digamma(concentration) - digamma(np.sum(concentration))


def expected_weights(concentration, weight_type):
    """``E[pi_k]``, normalised to sum to 1 (scikit-learn's ``weights_``).

    Parameters
    ----------
    concentration : ndarray of shape (n_components,) or pair of them
    weight_type : {'dirichlet_process', 'dirichlet_distribution'}

    Returns
    -------
    ndarray of shape (n_components,)
    """
    if weight_type == DIRICHLET_PROCESS:
        a, b = concentration
        total = a + b
        stays = b / total
        weights = a / total * np.hstack((1, np.cumprod(stays[:-1])))
        return weights / np.sum(weights)
    return concentration / np.sum(concentration)


def _log_lambda(dof, n_features):
    """``E[log det Lambda_k] - log det(scale_k)`` of the Wishart, less the
    ``d log dof`` scikit-learn leaves out, shape (K,) (or (1,) for tied)."""
    half = 0.5 * (dof - np.arange(n_features)[:, np.newaxis])
    return n_features * math.log(2.0) + np.sum(digamma(half), 0)


def expected_weighted_log_prob_kn(work, posterior, weight_type):
    """``E[log pi_k] + E[log N(x_i | mu_k, Lambda_k)]`` as a C-contiguous
    (K, n_samples) array, from a :class:`~emcore.kernels.moments.MomentWorkspace`.

    The Gaussian part is the log-density at the posterior means and
    covariances, shifted per component by the expectations' corrections, so
    it reuses EM's kernels.
    """
    d = work.n_features
    K = len(posterior.means)
    weighted = work.weighted_log_prob_kn(
        np.ones(K), posterior.means, posterior.precisions_cholesky
    )
    weighted += component_offsets(posterior, weight_type, d)[:, np.newaxis]
    return weighted


def component_offsets(posterior, weight_type, n_features):
    """What the variational E-step adds to each component's log-density at
    the posterior mean and covariance, shape (K,)."""
    d = n_features
    dof = posterior.degrees_of_freedom
    log_lambda = _log_lambda(dof, d)
    return (
        -0.5 * d * np.log(dof)
        + 0.5 * (log_lambda - d / posterior.mean_precision)
        + expected_log_weights(posterior.weight_concentration, weight_type)
    )


def vb_e_step(work, posterior, weight_type):
    """Log-responsibilities of the variational E-step.

    Returns
    -------
    log_resp : ndarray of shape (n_samples, n_components)
    """
    weighted = expected_weighted_log_prob_kn(work, posterior, weight_type)
    _, log_resp, _ = normalise_log_prob(weighted, log=True)
    return log_resp


# --- the lower bound ------------------------------------------------------------


def _log_wishart_norm(dof, log_det_precisions_chol, n_features):
    """Log normalisation of the Wishart, without its ``log pi`` term."""
    return -(
        dof * log_det_precisions_chol
        + dof * n_features * 0.5 * math.log(2.0)
        + np.sum(gammaln(0.5 * (dof - np.arange(n_features)[:, np.newaxis])), 0)
    )


def elbo(posterior, resp, log_resp, prior, covariance_type):
    """scikit-learn's variational lower bound, less its constant terms.

    Parameters
    ----------
    posterior : Posterior
        After the M-step that used ``resp``.
    resp, log_resp : ndarray of shape (n_samples, n_components)
        The E-step's responsibilities and their logarithms.
    prior : Prior
    covariance_type : {'full', 'tied', 'diag', 'spherical'}

    Returns
    -------
    float
        A total over the samples (not a per-sample mean).
    """
    d = posterior.means.shape[1]
    K = len(posterior.means)
    dof = posterior.degrees_of_freedom
    # scikit-learn's covariances are normalised by the degrees of freedom
    log_det = log_det_cholesky(
        posterior.precisions_cholesky, covariance_type, d
    ) - 0.5 * d * np.log(dof)
    wishart = _log_wishart_norm(dof, log_det, d)
    log_wishart = K * float(wishart[0]) if covariance_type == "tied" else wishart.sum()
    concentration = posterior.weight_concentration
    if prior.weight_type == DIRICHLET_PROCESS:
        log_norm_weight = -np.sum(betaln(*concentration))
    else:
        log_norm_weight = gammaln(np.sum(concentration)) - np.sum(
            gammaln(concentration)
        )
    # log_resp is finite (no weight is 0), so an underflowed responsibility
    # adds 0 * finite = 0; the masked sum is kept for safety
    entropy = -float(np.einsum("nk,nk->", resp, log_resp))
    if not math.isfinite(entropy):
        positive = resp > 0
        entropy = -float(np.sum(resp[positive] * log_resp[positive]))
    return float(
        entropy
        - log_wishart
        - log_norm_weight
        - 0.5 * d * np.sum(np.log(posterior.mean_precision))
    )
