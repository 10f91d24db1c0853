"""Fast EM kernels built on per-sample moment features.

For every sample the workspace keeps the features ``phi(x) = (1, x, x_j x_l)``,
computed once per data set; the products ``x_j x_l`` are all pairs ``j <= l``
for the full and tied types and only the squares ``x_j**2`` for diag and
spherical, whose quadratic forms and covariances need nothing else. Both
halves of an EM iteration then reduce to one small matrix product each:

* E-step: ``log pi_k + log N(x | mu_k, Sigma_k)`` is a quadratic polynomial in
  ``x``, so it equals ``phi(x) . w_k`` for a coefficient vector ``w_k`` built
  from the component's precision, mean, log-determinant and weight; all K x N
  weighted log-densities are ``W @ Phi.T``, normalised in place.
* M-step: ``resp.T @ Phi`` gives every component's soft count, first moments
  and second moments at once, from which means and covariances follow.

Expanding squares invites cancellation (``E[x x'] - mu mu'`` far from the
origin), so the data are first centred on their mean; what remains is the
spread of the cluster centres relative to each cluster's width, which costs
about ``eps * (distance / width)**2`` relative accuracy: 1e-12 for clusters a
hundred widths from the data's centre. Means are shifted back on the way out.

The workspace also carries the accuracy guards (see below): when a bound says
the expanded forms would lose digits (a collapsed component, or one much
narrower than its distance to the data's centre) it recomputes from
differences instead. :func:`normalise_log_prob` is emcore's one log-space
normalisation; only finite numbers enter the matrix products, so results do
not depend on the CPU's BLAS kernel.

Speed notes (numpy, N = 5000, K = 6): the E-step works on one C-contiguous
(K, N) array that it normalises in place, so every per-sample reduction runs
along contiguous rows; when every weighted log-density lies in [-700, 300] it
even skips the shift by the per-sample maximum (no term can underflow and no
sum overflow; skipping the shift also skips its rounding). ``exp`` of an
argument whose result underflows (below about ``exp(-708)``) leaves numpy's
vectorised path and costs 10 to 60 times more per element, so terms below
``exp(-700)`` (1e-304) of their sample's largest term (common in the first
iterations after a hard k-means start, and for well separated clusters) are
set to exactly 0 instead of computed (see :data:`UNDERFLOW`), which changes no
sum by more than ``1e-300`` of its value.
"""

from __future__ import annotations

import math

import numpy as np

from ._linalg import features_times, moments_of, smallest_eigenvalues
from .densities import EPS, estimate_weighted_log_prob

__all__ = [
    "UNDERFLOW",
    "MomentWorkspace",
    "estimate_gaussian_parameters",
    "feature_scale",
    "normalise_log_prob",
]

#: Log-responsibility (relative to the sample's largest term) below which a
#: term is taken as exactly 0 rather than computed: ``exp(-700)`` is 1e-304.
UNDERFLOW = -700.0
#: Largest weighted log-density for which the E-step skips the shift by the
#: per-sample maximum: ``K * exp(300)`` overflows only for K above 1e177.
_NO_SHIFT = 300.0

_LOG_2PI = math.log(2 * math.pi)

# --- accuracy guards ----------------------------------------------------------
# Expanding squares around the data's mean is exact enough for ordinary fits,
# but loses everything when a component is much narrower than its distance to
# the data's centre: a component sitting on one point gets a covariance of
# rounding noise instead of 0 (+ reg_covar), and a huge precision turns the
# expanded quadratic form into noise of order eps * |P| * |x - centre|**2. The
# workspace measures both error bounds and, only when they matter, recomputes
# with differences first (scikit-learn's two-pass forms on centred data), which
# are exact for these cases. Ordinary fits never take the slow path.

#: Relative accuracy asked of a covariance's smallest eigenvalue before the
#: moment-based value is trusted.
_COV_RTOL = 1e-8
#: Largest tolerated error bound (absolute, in nats) of the expanded E-step.
_LOGPROB_ATOL = 1e-9


# --- E-step coefficients, per covariance type -------------------------------
# Each fills the linear (K, d) and quadratic (K, q) blocks of the coefficient
# matrix in place and returns (mu' P mu, log det U), both of shape (K,).


def _coef_full(work, mu, prec_chol, lin, quad):
    K, d = mu.shape
    prec = np.matmul(prec_chol, prec_chol.transpose(0, 2, 1))
    np.matmul(prec, mu[:, :, np.newaxis], out=lin[:, :, np.newaxis])
    np.multiply(prec.reshape(K, d * d)[:, work._flat], work._quad_factor, out=quad)
    log_det = np.log(prec_chol.reshape(K, d * d)[:, :: d + 1]).sum(axis=1)
    return np.einsum("kd,kd->k", mu, lin), log_det


def _coef_tied(work, mu, prec_chol, lin, quad):
    prec = prec_chol @ prec_chol.T
    np.matmul(mu, prec, out=lin)  # P is symmetric: mu @ P = (P @ mu')'
    quad[...] = prec.ravel()[work._flat] * work._quad_factor
    log_det = np.log(np.diagonal(prec_chol)).sum()
    return np.einsum("kd,kd->k", mu, lin), log_det


def _coef_diag(work, mu, prec_chol, lin, quad):
    prec = prec_chol * prec_chol
    np.multiply(prec, mu, out=lin)
    np.multiply(prec, -0.5, out=quad)
    return np.einsum("kd,kd->k", mu, lin), np.log(prec_chol).sum(axis=1)


def _coef_spherical(work, mu, prec_chol, lin, quad):
    d = mu.shape[1]
    prec = (prec_chol * prec_chol)[:, np.newaxis]
    np.multiply(prec, mu, out=lin)
    quad[...] = -0.5 * prec
    return np.einsum("kd,kd->k", mu, lin), d * np.log(prec_chol)


_COEFFICIENTS = {
    "full": _coef_full,
    "tied": _coef_tied,
    "diag": _coef_diag,
    "spherical": _coef_spherical,
}


# --- M-step covariances, per covariance type ---------------------------------
# ``second`` (K, q) holds the centred second moments E_k[x_j x_l] of the
# workspace's product columns; ``sums`` (K, q) the unnormalised sums.


def _cov_full(work, nk, means, second, sums, reg_covar):
    K, d = means.shape
    cov = np.take(second, work._sym, axis=1).reshape(K, d, d)
    cov -= means[:, :, np.newaxis] * means[:, np.newaxis, :]
    cov.reshape(K, d * d)[:, :: d + 1] += reg_covar
    return cov


def _cov_tied(work, nk, means, second, sums, reg_covar):
    d = means.shape[1]
    # sum_k (S_k - n_k mu_k mu_k') over the product columns, so that the
    # scattered matrix is exactly symmetric
    spread = (nk[:, np.newaxis] * means[:, work._rows]) * means[:, work._cols]
    cov = (sums.sum(axis=0) - spread.sum(axis=0))[work._sym].reshape(d, d)
    cov /= nk.sum()
    cov.flat[:: d + 1] += reg_covar
    return cov


def _cov_diag(work, nk, means, second, sums, reg_covar):
    cov = second - means * means
    cov += reg_covar
    return cov


def _cov_spherical(work, nk, means, second, sums, reg_covar):
    return _cov_diag(work, nk, means, second, sums, reg_covar).mean(axis=1)


_COVARIANCES = {
    "full": _cov_full,
    "tied": _cov_tied,
    "diag": _cov_diag,
    "spherical": _cov_spherical,
}


def normalise_log_prob(weighted, *, log=False):
    """Normalise weighted log-densities per sample: the one log-space
    normalisation of emcore (scikit-learn's ``_estimate_log_prob_resp``).

    A sample with every component at ``-inf`` (possible only with zero
    weights) is shared evenly and has a log-likelihood of ``-inf``.

    Parameters
    ----------
    weighted : ndarray of shape (n_components, n_samples)
        C-contiguous ``log pi_k + log N(x_i | ...)``; overwritten.
    log : bool, default=False
        Return log-responsibilities instead of responsibilities.

    Returns
    -------
    mean_log_likelihood : float
    resp : ndarray of shape (n_samples, n_components)
        Responsibilities (or their logs), the transposed view of a
        C-contiguous (K, n_samples) array.
    log_norm : ndarray of shape (n_samples,)
        ``log sum_k pi_k N(x_i | ...)`` per sample.
    """
    resp = weighted
    n_samples = resp.shape[1]
    keep = resp.copy() if log else None
    # nan if any term is nan; whole-array reductions cost a third of the
    # per-sample maximum, which only the careful path below needs
    low, high = resp.min(), resp.max()
    if low >= UNDERFLOW and high <= _NO_SHIFT:
        # every term is a normal double and no sum can overflow, so the
        # usual shift by the per-sample maximum is not needed (skipping it
        # also skips its rounding)
        np.exp(resp, out=resp)
        total = resp.sum(axis=0)
        resp /= total
        log_norm = np.log(total)
        if log:
            resp = np.subtract(keep, log_norm, out=keep)
        return float(log_norm.sum()) / n_samples, resp.T, log_norm
    top = resp.max(axis=0)
    # one cheap test for the rare -inf / nan rows (a finite sum of finite
    # numbers can overflow, which only sends us down the careful path)
    irregular = not math.isfinite(top.sum())
    if irregular:
        top[~np.isfinite(top)] = 0.0
    resp -= top
    # after the shift no term is below low - high (false for nan); when
    # some may be, flush those under exp(UNDERFLOW) to 0 rather than let
    # them take exp's slow path (a mask and two masked copies cost about
    # what a hundred slow exponentials do)
    if low - high < UNDERFLOW:
        tiny = resp < UNDERFLOW
        np.copyto(resp, UNDERFLOW, where=tiny)
        np.exp(resp, out=resp)
        np.copyto(resp, 0.0, where=tiny)
    else:
        np.exp(resp, out=resp)
    total = resp.sum(axis=0)
    if irregular:
        empty = total <= 0  # only when top was -inf: no information
        resp[:, empty] = 1.0
        total[empty] = len(resp)
    resp /= total
    with np.errstate(divide="ignore"):
        log_norm = np.log(total)
    log_norm += top
    if log:
        resp = keep
        resp -= np.where(np.isfinite(log_norm), log_norm, 0.0)
    if irregular:
        log_norm[empty] = -np.inf
        if log:
            resp[:, empty] = -math.log(len(resp))
    return float(log_norm.sum()) / n_samples, resp.T, log_norm


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
    phi : ndarray of shape (n_samples, 1 + d + q)
        Features ``(1, x - centre, products of centred coordinates)``, with
        ``q = d(d+1)/2`` products (full, tied) or ``q = d`` squares (diag,
        spherical).
    phi_t : ndarray of shape (1 + d + q, n_samples)
        The same, C-contiguous by feature.
    """

    def __init__(self, X, covariance_type):
        self.covariance_type = covariance_type
        n, d = X.shape
        self.n_samples = n
        self.n_features = d
        self.centre = X.mean(axis=0)
        Xc = X - self.centre
        if covariance_type in ("full", "tied"):
            rows, cols = np.triu_indices(d)
        else:
            rows = cols = np.arange(d)
        q = len(rows)
        self._rows, self._cols = rows, cols
        # position of (j, l) in the flattened (d, d) matrix, for gathering
        self._flat = rows * d + cols
        # position in the product columns of each entry of a (d, d) matrix,
        # for scattering a symmetric matrix back (full and tied only)
        pos = np.zeros((d, d), dtype=np.intp)
        pos[rows, cols] = pos[cols, rows] = np.arange(q)
        self._sym = pos.ravel()
        # an off-diagonal product stands for two symmetric terms of the form
        self._quad_factor = np.where(rows == cols, -0.5, -1.0)
        # (K, N) layouts make the per-sample reductions over K run along
        # contiguous rows, which numpy does several times faster than along
        # the short trailing axis of an (N, K) array.
        phi_t = np.empty((1 + d + q, n))
        phi_t[0] = 1.0
        phi_t[1 : 1 + d] = Xc.T
        np.multiply(phi_t[1 + rows], phi_t[1 + cols], out=phi_t[1 + d :])
        self.phi_t = phi_t
        self.phi = phi_t.T
        # for the accuracy guards: the data, centred, and their extent
        self.X = X
        self.Xc = Xc
        self.radius = float(np.sqrt(np.max(np.einsum("nd,nd->n", Xc, Xc))))
        self.scale = feature_scale(X)

    def _coefficients(self, weights, means, precisions_cholesky):
        """The (K, 1 + d + q) coefficients of the weighted log-densities, all
        finite, and a mask of the components with weight 0 (or None)."""
        d = self.n_features
        K = len(means)
        mu = means - self.centre
        coef = np.empty((K, self.phi_t.shape[0]))
        quad_form, log_det = _COEFFICIENTS[self.covariance_type](
            self, mu, precisions_cholesky, coef[:, 1 : 1 + d], coef[:, 1 + d :]
        )
        absent = weights <= 0
        if absent.any():
            # log(0) = -inf must not enter the matrix product: blocked GEMM
            # kernels multiply it by padding zeros on some CPUs (NaN there,
            # -inf elsewhere). Carry 0 instead and restore -inf afterwards.
            log_weights = np.log(np.where(absent, 1.0, weights))
        else:
            log_weights = np.log(weights)
            absent = None
        coef[:, 0] = -0.5 * (d * _LOG_2PI + quad_form) + log_det + log_weights
        return coef, absent

    def _log_prob_kn(self, weights, means, precisions_cholesky):
        """Weighted log-densities as a C-contiguous (K, n_samples) array.

        The one place the E-step calls BLAS: only finite numbers go in, so the
        result does not depend on the CPU's kernel; components of weight 0
        come out as exactly ``-inf``.
        """
        coef, absent = self._coefficients(weights, means, precisions_cholesky)
        out = features_times(coef, self.phi_t)
        if absent is not None:
            out[absent] = -np.inf
        return out

    def _expansion_is_accurate(self, means, precisions_cholesky):
        """Whether the expanded quadratic forms are accurate to 1e-9 nats."""
        mu = means - self.centre
        dist = np.sqrt(np.einsum("kd,kd->k", mu, mu))
        trace_p = _precision_trace(precisions_cholesky, self.covariance_type, len(mu))
        bound = 8 * EPS * trace_p * (self.radius + dist) ** 2
        return bool(np.all(bound <= _LOGPROB_ATOL))

    def weighted_log_prob_kn(self, weights, means, precisions_cholesky):
        """Weighted log-densities, a C-contiguous (K, n_samples) array: from
        the expanded kernel when it is accurate, else from differences."""
        if self._expansion_is_accurate(means, precisions_cholesky):
            return self._log_prob_kn(weights, means, precisions_cholesky)
        # differences first, on centred data (translation leaves densities alone)
        direct = estimate_weighted_log_prob(
            self.Xc,
            weights,
            means - self.centre,
            precisions_cholesky,
            self.covariance_type,
        )
        return np.ascontiguousarray(direct.T)

    def weighted_log_prob(self, weights, means, precisions_cholesky):
        """``log pi_k + log N(x_i | mu_k, Sigma_k)``, shape (n_samples, K).

        ``means`` are in the caller's (uncentred) coordinates. The result is
        the transposed view of a C-contiguous (K, n_samples) array.
        """
        return self.weighted_log_prob_kn(weights, means, precisions_cholesky).T

    def e_step(self, weights, means, precisions_cholesky, *, log=False):
        """Responsibilities (or their logs) and the mean log-likelihood.

        Returns
        -------
        mean_log_likelihood : float
        resp : ndarray of shape (n_samples, n_components)
            The transposed view of a C-contiguous (K, n_samples) array.
        log_norm : ndarray of shape (n_samples,)
            ``log sum_k pi_k N(x_i | ...)`` per sample.

        See :func:`normalise_log_prob`.
        """
        weighted = self.weighted_log_prob_kn(weights, means, precisions_cholesky)
        return normalise_log_prob(weighted, log=log)

    def _expanded_parameters(self, resp, reg_covar):
        """Soft counts, means and covariances from the moment features."""
        d = self.n_features
        sums = moments_of(self.phi_t, resp)  # (K, 1 + d + q)
        nk = sums[:, 0] + 10 * EPS
        means = sums[:, 1 : 1 + d] / nk[:, np.newaxis]
        products = sums[:, 1 + d :]
        second = products / nk[:, np.newaxis]
        covariances = _COVARIANCES[self.covariance_type](
            self, nk, means, second, products, reg_covar
        )
        return nk, means + self.centre, covariances

    def estimate_parameters(self, resp, reg_covar):
        """Soft counts, means and covariances from responsibilities (M-step).

        Components whose covariance the expanded moments cannot resolve
        (collapsed, or narrow far from the data's centre) are recomputed from
        differences, so their covariance is exact.

        Parameters
        ----------
        resp : ndarray of shape (n_samples, n_components)
            Non-negative; rows need not sum to 1.
        reg_covar : float

        Returns
        -------
        nk : ndarray of shape (n_components,)
            Soft counts plus ``10 * eps`` (scikit-learn's guard).
        means : ndarray of shape (n_components, n_features)
        covariances : ndarray
            Shape depends on the covariance type.
        """
        nk, means, covariances = self._expanded_parameters(resp, reg_covar)
        if self.covariance_type == "tied":
            # (nk * means.T) @ means is symmetric only up to rounding
            covariances = (covariances + covariances.T) / 2.0
        suspect = self._suspect_components(means, covariances, reg_covar)
        if suspect.size:
            covariances = self._direct_covariances(
                resp, nk, means, covariances, reg_covar, suspect
            )
        return nk, means, covariances

    def _suspect_components(self, means, covariances, reg_covar):
        cov_type = self.covariance_type
        mu = means - self.centre
        spread = np.einsum("kd,kd->k", mu, mu)
        d = means.shape[1]
        if cov_type in ("full", "tied"):
            mats = covariances if cov_type == "full" else covariances[np.newaxis]
            emp = mats - reg_covar * np.eye(d)
            smallest = smallest_eigenvalues(emp)
            width = np.trace(emp, axis1=1, axis2=2)
            if cov_type == "tied":
                spread = np.array([spread.max()])
        elif cov_type == "diag":
            emp = covariances - reg_covar
            smallest = emp.min(axis=1)
            width = emp.sum(axis=1)
        else:
            emp = covariances - reg_covar
            smallest = emp
            width = d * emp
        second = np.abs(width) + spread
        return np.flatnonzero(smallest <= _COV_RTOL * second)

    def _direct_covariances(self, resp, nk, means, covariances, reg_covar, which):
        covariances = covariances.copy()
        Xc = self.Xc
        mu = means - self.centre
        d = Xc.shape[1]
        if self.covariance_type == "tied":
            cov = np.zeros((d, d))
            for k in range(len(nk)):
                diff = Xc - mu[k]
                cov += (resp[:, k, np.newaxis] * diff).T @ diff
            cov = (cov + cov.T) / (2.0 * nk.sum())  # exactly symmetric
            cov.flat[:: d + 1] += reg_covar
            return cov
        for k in which:
            diff = Xc - mu[k]
            weighted = resp[:, k, np.newaxis] * diff
            if self.covariance_type == "full":
                cov = weighted.T @ diff
                cov = (cov + cov.T) / (2.0 * nk[k])  # exactly symmetric
                cov.flat[:: d + 1] += reg_covar
            else:
                cov = np.einsum("nd,nd->d", weighted, diff) / nk[k] + reg_covar
                if self.covariance_type == "spherical":
                    cov = cov.mean()
            covariances[k] = cov
        return covariances


def _precision_trace(precisions_cholesky, covariance_type, n_components):
    """``trace(P_k)`` per component (an upper bound of its largest eigenvalue)."""
    sq = precisions_cholesky**2
    if covariance_type == "full":
        return sq.sum(axis=(1, 2))
    if covariance_type == "tied":
        return np.full(n_components, sq.sum())
    if covariance_type == "diag":
        return sq.sum(axis=1)
    return sq * 1.0


def feature_scale(X):
    """Per-feature variance of ``X``; zero variances borrow the largest one
    (or 1.0 when every feature is constant). Shape (n_features,)."""
    var = np.var(X, axis=0)
    # a constant column can leave rounding residue: below the column's own
    # resolution a variance counts as 0
    var[var <= (4 * EPS * np.max(np.abs(X), axis=0)) ** 2] = 0.0
    positive = var[var > 0]
    fill = float(positive.max()) if positive.size else 1.0
    return np.where(var > 0, var, fill)


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
