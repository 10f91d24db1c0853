"""The M-step half of :class:`~emcore.kernels.moments.MomentWorkspace`.

``resp.T @ Phi`` gives every component's soft count, first moments and second
moments at once (:meth:`MStepMoments.estimate_parameters`), from which means
and covariances follow per covariance type. Components whose covariance the
expanded moments cannot resolve (collapsed, or narrow far from the data's
centre) are recomputed from differences
(:meth:`MStepMoments.direct_covariance_steps`), so their covariance is exact.
The E-step half, the features and the accuracy guards' reasoning live in
:mod:`emcore.kernels.moments`.
"""

from __future__ import annotations

import numpy as np

from ..densities import EPS
from .linalg import moments_of, smallest_eigenvalues
from .rowblocks import run_steps

#: Relative accuracy asked of a covariance's smallest eigenvalue before the
#: moment-based value is trusted.
_COV_RTOL = 1e-8


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
_NONE = np.empty(0, dtype=np.intp)
_NONE.flags.writeable = False  # shared: "no component"


class MStepMoments:
    """Soft counts, means and covariances from a workspace's moment features.

    A base of :class:`~emcore.kernels.moments.MomentWorkspace`, which provides
    ``phi_t``, ``Xc``, ``centre``, ``n_features``, ``covariance_type`` and the
    product-column layout (``_rows``, ``_cols``, ``_sym``).
    """

    def _expanded_parameters(self, sums, reg_covar):
        """Soft counts, means and covariances from the moment sums
        ``resp.T @ phi`` (K, 1 + d + q)."""
        d = self.n_features
        nk = sums[:, 0] + 10 * EPS
        means = sums[:, 1 : 1 + d] / nk[:, np.newaxis]
        products = sums[:, 1 + d :]
        second = products / nk[:, np.newaxis]
        covariances = _COVARIANCES[self.covariance_type](
            self, nk, means, second, products, reg_covar
        )
        if self.covariance_type == "tied":
            # (nk * means.T) @ means is symmetric only up to rounding
            covariances = (covariances + covariances.T) / 2.0
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
        sums = moments_of(self.phi_t, resp)  # (K, 1 + d + q)
        nk, means, covariances = self._expanded_parameters(sums, reg_covar)
        suspect = self._suspect_components(means, covariances, reg_covar)
        if suspect.size:
            covariances = run_steps(
                self.direct_covariance_steps(
                    resp, nk, means, covariances, reg_covar, suspect, (slice(None),)
                )
            )
        return nk, means, covariances

    def estimate_parameter_steps(self, resp, reg_covar, slices, sums=None):
        """:meth:`estimate_parameters` by row blocks: a generator that yields
        None between blocks and returns ``(nk, means, covariances)``.

        The moment sums (``sums``, when the caller has added them up already)
        are added block by block in block order, so they may differ from the
        whole-array product in the last bits; with one block the result is
        that of :meth:`estimate_parameters`.
        """
        if sums is None:
            sums = yield from self.moment_sum_steps(resp, slices)
        nk, means, covariances = self._expanded_parameters(sums, reg_covar)
        suspect = self._suspect_components(means, covariances, reg_covar)
        if suspect.size:
            if len(slices) > 1:
                yield
            covariances = yield from self.direct_covariance_steps(
                resp, nk, means, covariances, reg_covar, suspect, slices
            )
        return nk, means, covariances

    def moment_sum_steps(self, resp, slices, sums=None):
        """``resp.T @ phi`` (K, 1 + d + q) summed over row blocks in order,
        starting from ``sums`` if given; yields None between blocks."""
        for i, sl in enumerate(slices):
            if i:
                yield
            part = moments_of(self.phi_t[:, sl], resp[sl])
            sums = part if sums is None else sums + part
        return sums

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
        suspect = smallest <= _COV_RTOL * second
        # usually none: one test of the mask is cheaper than listing it
        return np.flatnonzero(suspect) if suspect.any() else _NONE

    def direct_covariance_steps(
        self, resp, nk, means, covariances, reg_covar, which, slices
    ):
        """Covariances of the components ``which`` from differences (exact
        for collapsed or far, narrow components), summed over row blocks in
        order; yields None between blocks, returns the covariances."""
        covariances = covariances.copy()
        mu = means - self.centre
        d = self.n_features
        tied = self.covariance_type == "tied"
        full = tied or self.covariance_type == "full"
        which = range(len(nk)) if tied else which
        sums = {k: 0.0 for k in which}
        for i, sl in enumerate(slices):
            if i:
                yield
            Xc, block = self.Xc[sl], resp[sl]
            nonzero = None
            if np.count_nonzero(block) <= block.shape[1]:  # a one-hot start
                nonzero = np.nonzero(block)
            for k in which:
                col, rows = block[:, k], Xc
                keep = None if nonzero is None else nonzero[0][nonzero[1] == k]
                if keep is not None and len(keep) <= 1:
                    # every other row adds an exact zero, and one product
                    # (or none) is its sum on any kernel, so the row alone
                    # gives the same bits
                    col, rows = col[keep], Xc[keep]
                diff = rows - mu[k]
                weighted = col[:, np.newaxis] * diff
                if full:
                    sums[k] = sums[k] + weighted.T @ diff
                else:
                    sums[k] = sums[k] + np.einsum("nd,nd->d", weighted, diff)
        if tied:
            cov = np.zeros((d, d))
            for k in which:
                cov += sums[k]
            cov = (cov + cov.T) / (2.0 * nk.sum())  # exactly symmetric
            cov.flat[:: d + 1] += reg_covar
            return cov
        for k in which:
            if full:
                cov = (sums[k] + sums[k].T) / (2.0 * nk[k])  # exactly symmetric
                cov.flat[:: d + 1] += reg_covar
            else:
                cov = sums[k] / nk[k] + reg_covar
                if self.covariance_type == "spherical":
                    cov = cov.mean()
            covariances[k] = cov
        return covariances
