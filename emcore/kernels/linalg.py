"""Small dense products and 2x2 closed forms, fast in CPython and in Pyodide.

EM on 2-D data multiplies matrices with a tiny inner or outer dimension
(``(K, 6) @ (6, N)``, ``(6, N) @ (N, K)``) and factorises K matrices of
shape 2x2. CPython's numpy hands the products to an optimised BLAS, which is
the fastest way there. Pyodide's numpy (WebAssembly) has no BLAS: its
fallback matrix product is several times slower than ``np.einsum``'s own
loops (about 2x at N = 5000, K = 6; ``benchmarks/bench_pyodide.py`` measures
both), so the product is chosen by platform here, in this one place.

For 2x2 matrices, LAPACK's general routines (Cholesky, symmetric eigenvalues)
and whole-array numpy calls on K-element arrays cost far more in call overhead
than the arithmetic (a few microseconds per call in Pyodide); the closed forms
below do the arithmetic on Python floats, component by component.

No function here passes a non-finite number to a BLAS call: the einsum path
calls no BLAS at all, and the matmul path receives what its callers pass.
"""

from __future__ import annotations

import math
import sys

import numpy as np

#: WebAssembly numpy (Pyodide) has no BLAS; einsum's own loops beat its matmul.
NO_BLAS = sys.platform == "emscripten"


_EPS = float(np.finfo(np.float64).eps)


def features_times(coef, phi_t, out=None):
    """``coef @ phi_t`` for a (K, m) by (m, N) product, shape (K, N)."""
    if NO_BLAS:
        return np.einsum("km,mn->kn", coef, phi_t, out=out)
    return np.matmul(coef, phi_t, out=out)


def moments_of(phi_t, resp):
    """``(phi_t @ resp).T`` for (m, N) features and (N, K) weights: (K, m)."""
    if NO_BLAS:
        return np.einsum("mn,nk->km", phi_t, resp)
    return (phi_t @ resp).T


def smallest_eigenvalue_2x2(a, b, c):
    """The smaller eigenvalue of the symmetric matrix ``[[a, b], [b, c]]``.

    In LAPACK's order (``dlaev2``): the larger root first, then the smaller as
    ``det / larger`` written so nothing cancels. The textbook
    ``(a + c) / 2 - hypot((a - c) / 2, b)`` loses the smaller root entirely
    when the two differ by more than the precision (it gives 0 for
    ``[[1e-10, 0], [0, 1e8]]``), and a covariance that is thin but not
    singular would then never count as usable. NaN in, NaN out.
    """
    total = a + c
    spread = math.hypot(a - c, 2.0 * b)
    if total > 0:
        larger = 0.5 * (total + spread)
        big, small = (a, c) if abs(a) > abs(c) else (c, a)
        return (big / larger) * small - (b / larger) * b
    return 0.5 * (total - spread)  # a sum <= 0 (or NaN): the negative root


def smallest_eigenvalues(mats):
    """Smallest eigenvalue of each symmetric matrix of a (n, d, d) stack.

    For d = 2, :func:`smallest_eigenvalue_2x2` on the lower triangle (as
    ``eigvalsh`` reads it); otherwise ``np.linalg.eigvalsh``.
    """
    if mats.shape[-1] != 2:
        return np.linalg.eigvalsh(mats)[:, 0]
    # Python floats: for the few components of a mixture, a loop costs less
    # than the dozen whole-array calls (each a few microseconds in Pyodide)
    return np.array(
        [smallest_eigenvalue_2x2(a, b, c) for (a, _), (b, c) in mats.tolist()],
        dtype=np.float64,
    )


def precision_cholesky_2x2(covariances):
    """Upper precision factors of a (n, 2, 2) stack of covariances.

    The arithmetic of the Cholesky factorisation ``L`` (LAPACK's order:
    ``l11 = sqrt(a)``, ``l21 = b / l11``, ``l22 = sqrt(c - l21**2)``) and of
    the inverse of ``L`` by substitution, written out; the factor is
    ``inv(L).T``. Only the lower triangle is read, as LAPACK does.

    Returns
    -------
    prec_chol : ndarray of shape (n, 2, 2)
    failed : list of int
        Matrices that are not positive definite (NaN entries included),
        where LAPACK's Cholesky fails; their factor is left at 0.
    """
    factors, failed = [], []
    for k, ((a, _), (b, c)) in enumerate(covariances.tolist()):
        l11 = math.sqrt(a) if a > 0 else math.nan
        l21 = b / l11
        pivot = c - l21 * l21
        # a pivot within rounding of zero is where LAPACK may fail too: the
        # matrix is singular to working precision, so treat it as failed
        if not pivot > _EPS * c:  # also when a <= 0 or anything is NaN
            failed.append(k)
            factors.append((0.0, 0.0, 0.0, 0.0))
            continue
        l22 = math.sqrt(pivot)
        u11 = 1.0 / l11
        factors.append((u11, -(l21 * u11) / l22, 0.0, 1.0 / l22))
    prec_chol = np.array(factors, dtype=np.float64).reshape(-1, 2, 2)
    return prec_chol, failed


def unusable_2x2(covariances, prec_chol, limit, scale=None, rtol=0.0):
    """Components of a (n, 2, 2) stack whose precision factor is unusable.

    A factor is unusable when one of its entries is not below ``limit`` in
    magnitude (NaN included) or, when ``scale`` (the data's per-feature
    variances, shape (2,)) is given, when the smallest eigenvalue of the
    covariance scaled to unit feature variances, ``C_ij / sqrt(s_i s_j)``, is
    below ``rtol`` (the unscaled eigenvalue over ``max(s)`` where scaling
    overflows). The same tests as the general path, on Python floats.

    Returns
    -------
    list of int
    """
    bad = []
    if scale is not None:
        r0, r1 = (math.sqrt(s) for s in scale.tolist())
        widest = max(scale.tolist())
    covs = covariances.tolist()
    for k, ((u11, u12), (u21, u22)) in enumerate(prec_chol.tolist()):
        small = abs(u11) < limit and abs(u12) < limit
        if not (small and abs(u21) < limit and abs(u22) < limit):  # also NaN
            bad.append(k)
            continue
        if scale is None:
            continue
        (a, upper), (b, c) = covs[k]
        ea, eb, ec = a / (r0 * r0), b / (r1 * r0), c / (r1 * r1)
        if all(map(math.isfinite, (ea, eb, ec, upper / (r0 * r1)))):
            smallest = smallest_eigenvalue_2x2(ea, eb, ec)
        else:
            smallest = smallest_eigenvalue_2x2(a, b, c) / widest
        if not smallest >= rtol:
            bad.append(k)
    return bad


def singular_2x2(covariances, rtol):
    """Components of a (n, 2, 2) stack of covariances that are singular to
    working precision, by :func:`emcore.densities.singular_components`'s rule
    on Python floats (the lower triangle is read, as LAPACK does): not
    positive definite, or a correlation matrix with an eigenvalue below
    ``rtol``.

    Returns
    -------
    list of int
    """
    bad = []
    for k, ((a, _), (b, c)) in enumerate(covariances.tolist()):
        if not (0 < a < math.inf and 0 < c < math.inf and math.isfinite(b)):
            bad.append(k)  # also NaN
            continue
        # the correlation matrix [[1, r], [r, 1]] has eigenvalues 1 -+ |r|
        if not 1.0 - abs(b) / math.sqrt(a) / math.sqrt(c) > rtol:
            bad.append(k)
    return bad
