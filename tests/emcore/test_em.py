"""emcore.em: the stopping rule of EM, at its boundary."""

import math
import warnings
from types import SimpleNamespace

import numpy as np
import pytest

from emcore import ConvergenceWarning, GaussianMixture, em_steps, m_step
from emcore.em import precisions_or_regularize

COV_TYPES = ("full", "tied", "diag", "spherical")


def _start(cov, seed=0):
    rng = np.random.default_rng(seed)
    centres = 4.0 * rng.normal(size=(3, 2))
    X = centres[rng.integers(0, 3, 150)] + rng.normal(size=(150, 2))
    resp = rng.dirichlet(np.ones(3), size=len(X))
    weights, means, _, prec, _ = m_step(X, resp, cov, 1e-6)
    return X, weights, means, prec


def _boundary(frames):
    """An iteration t >= 2 whose |change| is below every earlier one."""
    changes = [abs(f.change) for f in frames]
    for t in range(2, len(frames) + 1):
        if changes[t - 1] > 0 and changes[t - 1] < min(changes[: t - 1]):
            return t, changes[t - 1]
    raise AssertionError("no iteration with a new smallest change")


@pytest.mark.parametrize("cov", COV_TYPES)
def test_em_stops_only_when_the_change_is_strictly_below_tol(cov):
    X, weights, means, prec = _start(cov)
    trace = list(em_steps(X, weights, means, prec, cov, tol=0.0, max_iter=12))
    t, change = _boundary(trace)
    # a change equal to tol does not stop EM ...
    frames = list(em_steps(X, weights, means, prec, cov, tol=change, max_iter=12))
    assert len(frames) > t and not frames[t - 1].converged
    assert frames[t - 1].change == trace[t - 1].change  # the same iterations
    # ... the next float above it does, at that very iteration
    above = math.nextafter(change, math.inf)
    frames = list(em_steps(X, weights, means, prec, cov, tol=above, max_iter=12))
    assert len(frames) == t and frames[-1].converged


@pytest.mark.parametrize("cov", COV_TYPES)
def test_gaussian_mixture_uses_the_same_strict_rule(cov):
    X, weights, means, prec = _start(cov, seed=1)
    if cov in ("full", "tied"):
        precisions = prec @ np.swapaxes(prec, -1, -2)
    else:
        precisions = prec**2

    def fit(tol):
        gm = GaussianMixture(
            3,
            covariance_type=cov,
            tol=tol,
            max_iter=12,
            weights_init=weights,
            means_init=means,
            precisions_init=precisions,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            return gm.fit(X)

    bounds = fit(0.0).lower_bounds_
    changes = [math.inf] + [b - a for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    t, change = _boundary([SimpleNamespace(change=c) for c in changes])
    assert fit(change).n_iter_ > t
    gm = fit(math.nextafter(change, math.inf))
    assert gm.n_iter_ == t and gm.converged_


def test_a_fall_in_log_likelihood_larger_than_tol_does_not_stop_em():
    # a warm start on wider data: the first change, measured from the
    # previous fit's lower bound, is a large fall; only |change| < tol stops
    rng = np.random.default_rng(3)
    X = np.vstack([rng.normal(size=(100, 2)), rng.normal(size=(100, 2)) + 6])
    gm = GaussianMixture(2, warm_start=True, random_state=0).fit(X)
    before = gm.lower_bound_
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        gm.fit(3.0 * X)
    assert gm.lower_bounds_[0] < before - 1.0
    assert gm.n_iter_ > 1


@pytest.mark.parametrize("cov", COV_TYPES)
@pytest.mark.parametrize("reg_covar", [0.0, 1e-2])
def test_regularize_adds_the_smallest_tenfold_ridge_that_works(cov, reg_covar):
    # a ridge of max(reg_covar, 1e-10 * each feature's variance) is added,
    # then ten times more, and so on until the factor exists. A negative
    # eigenvalue of -1e-5 of the variance takes six (1e-10 + ... + 1e-5 of
    # the variance: five only reach 1.1e-6); a diag or spherical variance is
    # first raised to 0, so the first ridge does; reg_covar = 1e-2 is enough
    # at once.
    rng = np.random.default_rng(4)
    X = rng.normal(size=(50, 2)) * [1.0, 2.0]
    var = np.var(X, axis=0)
    broken = {
        "full": np.stack([np.diag(var), np.diag(-1e-5 * var)]),
        "tied": np.diag(-1e-5 * var),
        "diag": np.stack([var, -1e-5 * var]),
        "spherical": np.array([1.0, -1e-5 * var.mean()]),
    }[cov]
    fixed, _, regularized = precisions_or_regularize(
        X, broken, cov, reg_covar, "regularize"
    )
    k = 0 if cov == "tied" else 1
    assert regularized == (k,)
    if cov in ("full", "tied"):
        added = np.diagonal(fixed - broken, axis1=-2, axis2=-1).reshape(-1, 2)[-1]
        want = 1e-10 * var * sum(10.0**j for j in range(6))
    elif cov == "diag":
        added, want = fixed[1], 1e-10 * var
    else:
        added, want = fixed[1], 1e-10 * var.mean()
    np.testing.assert_allclose(added, reg_covar or want, rtol=1e-12)
