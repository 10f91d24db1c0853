"""Fast EM kernels built on per-sample moment features.

For every sample the workspace keeps the features ``phi(x) = (1, x, x_j x_l
for j <= l)``, computed once per data set. Both halves of an EM iteration then
reduce to one small matrix product each:

* E-step: ``log pi_k + log N(x | mu_k, Sigma_k)`` is a quadratic polynomial in
  ``x``, so it equals ``phi(x) . w_k`` for a coefficient vector ``w_k`` built
  from the component's precision, mean, log-determinant and weight; all N x K
  weighted log-densities are ``Phi @ W.T``.
* M-step: ``resp.T @ Phi`` gives every component's soft count, first moments
  and second moments at once, from which means and covariances follow.

Expanding squares invites cancellation (``E[x x'] - mu mu'`` far from the
origin), so the data are first centred on their mean; what remains is the
spread of the cluster centres relative to each cluster's width, which costs
about ``eps * (distance / width)**2`` relative accuracy: 1e-12 for clusters a
hundred widths from the data's centre. Means are shifted back on the way out.
"""

from __future__ import annotations

import math

import numpy as np

from .densities import EPS, log_det_cholesky

__all__ = ["MomentWorkspace", "estimate_gaussian_parameters"]


def _precisions_full(prec_chol, n_components, d):
    return prec_chol @ prec_chol.transpose(0, 2, 1)


def _precisions_tied(prec_chol, n_components, d):
    return np.broadcast_to(prec_chol @ prec_chol.T, (n_components, d, d))


def _precisions_diag(prec_chol, n_components, d):
    out = np.zeros((n_components, d, d))
    out[:, np.arange(d), np.arange(d)] = prec_chol**2
    return out


def _precisions_spherical(prec_chol, n_components, d):
    return (prec_chol**2)[:, None, None] * np.eye(d)


_PRECISION_MATRICES = {
    "full": _precisions_full,
    "tied": _precisions_tied,
    "diag": _precisions_diag,
    "spherical": _precisions_spherical,
}


def _cov_full(nk, means, second, sums2, reg_covar):
    cov = second - means[:, :, None] * means[:, None, :]
    d = means.shape[1]
    cov[:, np.arange(d), np.arange(d)] += reg_covar
    return cov


def _cov_tied(nk, means, second, sums2, reg_covar):
    cov = (sums2.sum(axis=0) - (nk * means.T) @ means) / nk.sum()
    cov.flat[:: means.shape[1] + 1] += reg_covar
    return cov


def _cov_diag(nk, means, second, sums2, reg_covar):
    return np.diagonal(second, axis1=1, axis2=2) - means**2 + reg_covar


def _cov_spherical(nk, means, second, sums2, reg_covar):
    return _cov_diag(nk, means, second, sums2, reg_covar).mean(axis=1)


_COVARIANCES = {
    "full": _cov_full,
    "tied": _cov_tied,
    "diag": _cov_diag,
    "spherical": _cov_spherical,
}


class MomentWorkspace:
    """Data prepared once for many EM iterations.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Validated, finite float64 data.
    covariance_type : {'full', 'tied', 'diag', 'spherical'}

    Attributes
    ----------
    centre : ndarray of shape (n_features,)
        The data mean; all internal means are relative to it.
    phi : ndarray of shape (n_samples, 1 + d + d(d+1)/2)
        Features ``(1, x - centre, products of centred coordinates)``.
    """

    def __init__(self, X, covariance_type):
        self.covariance_type = covariance_type
        n, d = X.shape
        self.n_features = d
        self.centre = X.mean(axis=0)
        Xc = X - self.centre
        self._rows, self._cols = np.triu_indices(d)
        phi = np.empty((n, 1 + d + len(self._rows)))
        phi[:, 0] = 1.0
        phi[:, 1 : 1 + d] = Xc
        np.multiply(Xc[:, self._rows], Xc[:, self._cols], out=phi[:, 1 + d :])
        self.phi = phi
        # (K, N) layouts make the per-sample reductions over K run along
        # contiguous rows, which numpy does several times faster than along
        # the short trailing axis of an (N, K) array.
        self.phi_t = np.ascontiguousarray(phi.T)
        # off-diagonal products stand for two symmetric terms of the quadratic
        self._quad_factor = np.where(self._rows == self._cols, 1.0, 2.0)

    def weighted_log_prob(self, weights, means, precisions_cholesky):
        """``log pi_k + log N(x_i | mu_k, Sigma_k)``, shape (n_samples, K).

        ``means`` are in the caller's (uncentred) coordinates. The result is
        the transposed view of a C-contiguous (K, n_samples) array.
        """
        d = self.n_features
        K = len(means)
        mu = means - self.centre
        P = _PRECISION_MATRICES[self.covariance_type](precisions_cholesky, K, d)
        Pmu = np.einsum("kde,ke->kd", P, mu)
        with np.errstate(divide="ignore"):
            log_weights = np.log(weights)
        coef = np.empty((K, self.phi.shape[1]))
        coef[:, 0] = (
            -0.5 * (d * math.log(2 * math.pi) + np.einsum("kd,kd->k", mu, Pmu))
            + log_det_cholesky(precisions_cholesky, self.covariance_type, d)
            + log_weights
        )
        coef[:, 1 : 1 + d] = Pmu
        coef[:, 1 + d :] = -0.5 * self._quad_factor * P[:, self._rows, self._cols]
        return (coef @ self.phi_t).T

    def e_step(self, weights, means, precisions_cholesky):
        """Responsibilities and the mean log-likelihood, in log space.

        Returns
        -------
        mean_log_likelihood : float
        resp : ndarray of shape (n_samples, n_components)
        log_norm : ndarray of shape (n_samples,)
            ``log sum_k pi_k N(x_i | ...)`` per sample.
        """
        resp_t = self.weighted_log_prob(weights, means, precisions_cholesky).T
        top = resp_t.max(axis=0)
        top[~np.isfinite(top)] = 0.0
        resp_t -= top
        with np.errstate(under="ignore"):
            np.exp(resp_t, out=resp_t)
        total = resp_t.sum(axis=0)
        resp_t /= total
        with np.errstate(divide="ignore"):
            log_norm = np.log(total)
        log_norm += top
        return float(np.mean(log_norm)), resp_t.T, log_norm

    def estimate_parameters(self, resp, reg_covar):
        """Soft counts, means and covariances from responsibilities (M-step).

        Returns
        -------
        nk : ndarray of shape (n_components,)
            Soft counts plus ``10 * eps`` (scikit-learn's guard).
        means : ndarray of shape (n_components, n_features)
        covariances : ndarray
            Shape depends on the covariance type.
        """
        d = self.n_features
        sums = resp.T @ self.phi
        nk = sums[:, 0] + 10 * EPS
        means = sums[:, 1 : 1 + d] / nk[:, np.newaxis]
        sums2 = np.empty((len(nk), d, d))
        sums2[:, self._rows, self._cols] = sums[:, 1 + d :]
        sums2[:, self._cols, self._rows] = sums[:, 1 + d :]
        second = sums2 / nk[:, None, None]
        covariances = _COVARIANCES[self.covariance_type](
            nk, means, second, sums2, reg_covar
        )
        return nk, means + self.centre, covariances


def estimate_gaussian_parameters(X, resp, reg_covar, covariance_type):
    """Responsibility-weighted counts, means and covariances (the M-step).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    resp : ndarray of shape (n_samples, n_components)
        Responsibilities (rows need not sum to 1: one-hot starts do not).
    reg_covar : float
        Added to the diagonal of every covariance.
    covariance_type : {'full', 'tied', 'diag', 'spherical'}

    Returns
    -------
    nk : ndarray of shape (n_components,)
        Soft counts plus ``10 * eps``, so that an empty component does not
        divide by zero (as scikit-learn does).
    means : ndarray of shape (n_components, n_features)
    covariances : ndarray
        full (K, d, d), tied (d, d), diag (K, d), spherical (K,).
    """
    return MomentWorkspace(X, covariance_type).estimate_parameters(resp, reg_covar)
