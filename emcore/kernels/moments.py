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

Large data: the ``*_steps`` methods build the workspace and run an EM
iteration by row blocks (:mod:`emcore.kernels.rowblocks`), yielding between blocks
so that a browser page can paint; each row is computed as in the whole
array, and only the M-step's moment sums are added block by block.
"""

from __future__ import annotations

import copy
import math

import numpy as np

from ..densities import EPS, estimate_weighted_log_prob
from .linalg import features_times
from .mstep import MStepMoments

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
#: The product features a covariance type needs: all pairs, or the squares.
_FEATURES = {
    "full": "pairs",
    "tied": "pairs",
    "diag": "squares",
    "spherical": "squares",
}

# --- accuracy guards ----------------------------------------------------------
# Expanding squares around the data's mean is exact enough for ordinary fits,
# but loses everything when a component is much narrower than its distance to
# the data's centre: a component sitting on one point gets a covariance of
# rounding noise instead of 0 (+ reg_covar), and a huge precision turns the
# expanded quadratic form into noise of order eps * |P| * |x - centre|**2. The
# workspace measures both error bounds and, only when they matter, recomputes
# with differences first (scikit-learn's two-pass forms on centred data), which
# are exact for these cases. Ordinary fits never take the slow path.

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
    n_samples = weighted.shape[1]
    # nan if any term is nan; whole-array reductions cost a third of the
    # per-sample maximum, which only the careful path below needs
    resp, log_norm = _normalise_kn(weighted, weighted.min(), weighted.max(), log)
    return float(log_norm.sum()) / n_samples, resp.T, log_norm


def _normalise_kn(resp, low, high, log):
    """:func:`normalise_log_prob` of a (K, n) array, in place (a copy when
    ``log``), given the extremes ``low`` and ``high`` of the data set it
    belongs to (which choose the path, so every column of a row block is
    normalised exactly as in the whole array); returns ``(resp, log_norm)``
    with ``resp`` of shape (K, n)."""
    keep = resp.copy() if log else None
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
        return resp, log_norm
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
    return resp, log_norm


class MomentWorkspace(MStepMoments):
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
        for _ in self._prepare(X, covariance_type, (slice(None),)):
            pass

    @classmethod
    def build_steps(cls, X, covariance_type, slices):
        """The workspace of ``X``, built row block by row block.

        A generator that yields None between the blocks (and between the
        whole-array parts: the centre, the features, the variances) and
        returns the workspace, equal to ``MomentWorkspace(X, covariance_type)``
        value for value.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_features)
        covariance_type : {'full', 'tied', 'diag', 'spherical'}
        slices : sequence of slice
            Consecutive row blocks covering ``X``
            (:func:`emcore.kernels.rowblocks.row_slices`).
        """
        work = cls.__new__(cls)
        yield from work._prepare(X, covariance_type, slices)
        return work

    def _prepare(self, X, covariance_type, slices):
        """Fill the attributes; yields None after each part (see ``build_steps``)."""
        self.covariance_type = covariance_type
        n, d = X.shape
        self.n_samples = n
        self.n_features = d
        self.centre = X.mean(axis=0)
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
        Xc = np.empty_like(X)
        phi_t = np.empty((1 + d + q, n))
        phi_t[0] = 1.0
        radius2 = -np.inf
        low, high = np.full(d, np.inf), np.full(d, -np.inf)
        for sl in slices:
            yield
            np.subtract(X[sl], self.centre, out=Xc[sl])
            phi_t[1 : 1 + d, sl] = Xc[sl].T
            np.multiply(
                phi_t[1 + rows, sl], phi_t[1 + cols, sl], out=phi_t[1 + d :, sl]
            )
            # squared norms are exact per row, so their maximum is the same
            # whole or by blocks
            radius2 = max(radius2, np.max(np.einsum("nd,nd->n", Xc[sl], Xc[sl])))
            if d <= _MAX_CORNER_FEATURES:  # along the contiguous rows
                low = np.minimum(low, phi_t[1 : 1 + d, sl].min(axis=1))
                high = np.maximum(high, phi_t[1 : 1 + d, sl].max(axis=1))
        self.phi_t = phi_t
        self.phi = phi_t.T
        # for the accuracy guards: the data, centred, and their extent
        self.X = X
        self.Xc = Xc
        self.radius = float(np.sqrt(radius2))
        self._corner_phi = _corner_features(low, high, rows, cols)
        yield
        self.scale = feature_scale(X)

    def for_type(self, covariance_type):
        """This workspace for ``covariance_type``: itself, a copy sharing its
        arrays when the type uses the same features (full and tied; diag and
        spherical), else None."""
        if covariance_type == self.covariance_type:
            return self
        if _FEATURES[covariance_type] != _FEATURES[self.covariance_type]:
            return None
        other = copy.copy(self)
        other.covariance_type = covariance_type
        return other

    def _coefficients(self, weights, means, precisions_cholesky):
        """The (K, 1 + d + q) coefficients of the weighted log-densities, all
        finite, and a mask of the components with weight 0 (or None)."""
        return self._coefficients_and_peak(weights, means, precisions_cholesky)[:2]

    def _coefficients_and_peak(self, weights, means, precisions_cholesky):
        """:meth:`_coefficients` and the largest ``log det U`` of the
        components (a float): no weighted log-density exceeds it, since
        ``log pi_k <= 0`` and the rest of a log-density is below 0 at its
        mode."""
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
        return coef, absent, float(np.max(log_det))

    def _log_prob_kn(self, weights, means, precisions_cholesky):
        """Weighted log-densities as a C-contiguous (K, n_samples) array.

        The one place the E-step calls BLAS: only finite numbers go in, so the
        result does not depend on the CPU's kernel; components of weight 0
        come out as exactly ``-inf``.
        """
        return self._expanded_log_prob_kn(weights, means, precisions_cholesky)[0]

    def _expanded_log_prob_kn(self, weights, means, precisions_cholesky, bounds=False):
        """:meth:`_log_prob_kn` and, with ``bounds``, the
        :func:`_fast_path_bounds` of the result (None when not asked for,
        when they do not suffice, or when a component has weight 0)."""
        coef, absent, peak = self._coefficients_and_peak(
            weights, means, precisions_cholesky
        )
        out = features_times(coef, self.phi_t)
        if absent is not None:
            out[absent] = -np.inf
            return out, None
        return out, _fast_path_bounds(self._corner_phi, coef, peak) if bounds else None

    def _expansion_is_accurate(self, means, precisions_cholesky):
        """Whether the expanded quadratic forms are accurate to 1e-9 nats."""
        mu = means - self.centre
        dist = np.sqrt(np.einsum("kd,kd->k", mu, mu))
        trace_p = _precision_trace(precisions_cholesky, self.covariance_type, len(mu))
        bound = 8 * EPS * trace_p * (self.radius + dist) ** 2
        return bool(bound.max() <= _LOGPROB_ATOL)  # False for nan, as np.all

    def weighted_log_prob_kn(self, weights, means, precisions_cholesky):
        """Weighted log-densities, a C-contiguous (K, n_samples) array: from
        the expanded kernel when it is accurate, else from differences."""
        if self._expansion_is_accurate(means, precisions_cholesky):
            return self._log_prob_kn(weights, means, precisions_cholesky)
        return self._direct_log_prob_kn(weights, means, precisions_cholesky)

    def _direct_log_prob_kn(self, weights, means, precisions_cholesky):
        """Weighted log-densities from differences, (K, n_samples)."""
        # differences first, on centred data (translation leaves densities alone)
        direct = estimate_weighted_log_prob(
            self.Xc,
            weights,
            means - self.centre,
            precisions_cholesky,
            self.covariance_type,
        )
        return np.ascontiguousarray(direct.T)

    def log_prob_steps(self, weights, means, precisions_cholesky, slices):
        """:meth:`weighted_log_prob_kn` by row blocks, each column computed as
        in the whole array; a generator that yields None between blocks and
        returns ``(weighted, low, high)``: the (K, n_samples) array and its
        smallest and largest entries (NaN if any entry is NaN)."""
        accurate = self._expansion_is_accurate(means, precisions_cholesky)
        if accurate:
            coef, absent = self._coefficients(weights, means, precisions_cholesky)
        weighted = np.empty((len(means), self.n_samples))
        low, high = np.inf, -np.inf
        for i, sl in enumerate(slices):
            if i:
                yield
            if accurate:
                part = features_times(coef, self.phi_t[:, sl])
                if absent is not None:
                    part[absent] = -np.inf
            else:
                part = estimate_weighted_log_prob(
                    self.Xc[sl],
                    weights,
                    means - self.centre,
                    precisions_cholesky,
                    self.covariance_type,
                ).T
            weighted[:, sl] = part
            # np.minimum, unlike min(), keeps a NaN
            low, high = np.minimum(low, part.min()), np.maximum(high, part.max())
        return weighted, low, high

    def em_iteration_steps(
        self, weights, means, precisions_cholesky, reg_covar, slices
    ):
        """The E-step and the M-step's estimates by row blocks.

        A generator that yields None between blocks (two passes: the
        weighted log-densities, then the normalisation and the moment sums of
        each block) and returns ``(mean_log_likelihood, resp, estimates)``,
        ``estimates`` being :meth:`estimate_parameter_steps`'s result. The
        E-step is that of :meth:`e_step` row for row (the normalisation path
        is chosen from the whole array's extremes and the log-likelihood
        summed over all rows at once); only the moment sums are added by
        blocks.
        """
        weighted, low, high = yield from self.log_prob_steps(
            weights, means, precisions_cholesky, slices
        )
        log_norm = np.empty(self.n_samples)
        resp = weighted.T
        sums = None
        for sl in slices:
            yield
            _, log_norm[sl] = _normalise_kn(weighted[:, sl], low, high, False)
            sums = yield from self.moment_sum_steps(resp, (sl,), sums)
        mean_ll = float(log_norm.sum()) / self.n_samples
        yield
        estimates = yield from self.estimate_parameter_steps(
            resp, reg_covar, slices, sums
        )
        return mean_ll, resp, estimates

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
        if self._expansion_is_accurate(means, precisions_cholesky):
            weighted, bounds = self._expanded_log_prob_kn(
                weights, means, precisions_cholesky, bounds=True
            )
        else:
            weighted = self._direct_log_prob_kn(weights, means, precisions_cholesky)
            bounds = None
        if bounds is None:
            return normalise_log_prob(weighted, log=log)
        resp, log_norm = _normalise_kn(weighted, *bounds, log)
        return float(log_norm.sum()) / self.n_samples, resp.T, log_norm


#: Up to this many features, the E-step bounds its log-densities on the 2**d
#: corners of the data's bounding box (:func:`_fast_path_bounds`).
_MAX_CORNER_FEATURES = 4


def _corner_features(low, high, rows, cols):
    """Features ``phi`` (1 + d + q, 2**d) of the corners of the box
    [low, high] (centred coordinates), or None for more than
    :data:`_MAX_CORNER_FEATURES` features or when a product overflows (then
    the data's own features may too, and only their extremes can tell)."""
    d = len(low)
    if d > _MAX_CORNER_FEATURES or not np.all(np.isfinite(low) & np.isfinite(high)):
        return None
    # corner c takes high in feature j when bit j of c is set
    bits = (np.arange(2**d)[:, np.newaxis] >> np.arange(d)) & 1
    corners = np.where(bits == 1, high, low).T  # (d, 2**d)
    with np.errstate(over="ignore"):
        products = corners[rows] * corners[cols]
    phi = np.concatenate([np.ones((1, 2**d)), corners, products])
    return phi if np.all(np.isfinite(phi)) else None


def _fast_path_bounds(corner_phi, coef, peak):
    """Bounds ``(low, high)`` of the expanded weighted log-densities
    ``coef @ phi_t`` that prove :func:`normalise_log_prob` would take its
    fast path (every entry in [UNDERFLOW, _NO_SHIFT]), or None when they
    cannot (then the whole array's extremes decide, as always).

    Each log-density is concave in x, so over the data it is smallest at
    a corner of the data's bounding box; it is largest at its mode, below
    ``peak``. The expanded forms are accurate to 1e-9 nats here (the
    accuracy guard passed), so a margin of one nat covers their rounding:
    the path, and so every bit of the result, is the one the whole
    array's ``min()`` and ``max()`` would choose, two passes cheaper.
    """
    if corner_phi is None:
        return None
    low = float(np.min(features_times(coef, corner_phi))) - 1.0
    high = peak + 1.0
    if low >= UNDERFLOW and high <= _NO_SHIFT:  # False for nan
        return low, high
    return None


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
