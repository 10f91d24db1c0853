"""The lower bound: ``log L = L(q, theta) + KL(q || p(z | x, theta))``.

The decomposition is checked against an independent computation (scipy's
Gaussian densities, written out term by term) for all four covariance types
and arbitrary ``q``; along EM the bound must touch ``log L`` after every
E-step, rise after every M-step and stay below ``log L``; along the path of
PRML figure 9.14 it must be tangent at the start and largest at the end.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import emcore
from emcore import (
    GaussianMixture,
    bound_path,
    em_steps,
    half_step_bounds,
    interpolate_mixture,
    lower_bound,
)

stats = pytest.importorskip("scipy.stats", reason="scipy is not installed")

COV_TYPES = ("full", "tied", "diag", "spherical")
#: Seeded and derandomised: the same examples on every run and machine.
DERANDOMIZED = settings(max_examples=40, derandomize=True, deadline=None)


def _random_mixture(rng, K, d, cov):
    weights = rng.dirichlet(np.ones(K))
    means = rng.normal(0.0, 3.0, (K, d))
    if cov == "full":
        A = rng.normal(size=(K, d, d))
        covariances = A @ A.transpose(0, 2, 1) + 0.5 * np.eye(d)
    elif cov == "tied":
        A = rng.normal(size=(d, d))
        covariances = A @ A.T + 0.5 * np.eye(d)
    elif cov == "diag":
        covariances = rng.uniform(0.3, 3.0, (K, d))
    else:
        covariances = rng.uniform(0.3, 3.0, K)
    return weights, means, covariances


def _full(covariances, cov, K, d):
    if cov == "full":
        return covariances
    if cov == "tied":
        return np.repeat(covariances[np.newaxis], K, axis=0)
    if cov == "diag":
        return np.stack([np.diag(c) for c in covariances])
    return np.stack([c * np.eye(d) for c in covariances])


def _reference(X, weights, means, covariances, cov, q):
    """log L, the bound and the KL divergence written out with scipy."""
    K, d = means.shape
    full = _full(covariances, cov, K, d)
    log_dens = np.column_stack(
        [stats.multivariate_normal(means[k], full[k]).logpdf(X) for k in range(K)]
    ).reshape(len(X), K)
    with np.errstate(divide="ignore"):
        joint = np.log(weights) + log_dens
    log_norm = np.log(np.exp(joint).sum(axis=1))
    posterior = np.exp(joint - log_norm[:, np.newaxis])
    from scipy.special import rel_entr, xlogy

    with np.errstate(invalid="ignore"):  # 0 * -inf where q = 0 and pi = 0
        bound = np.sum(np.where(q > 0, q * joint, 0.0)) - np.sum(xlogy(q, q))
    kl = np.sum(rel_entr(q, posterior))
    return log_norm.sum(), bound, kl


@DERANDOMIZED
@given(
    seed=st.integers(0, 2**32 - 1),
    cov=st.sampled_from(COV_TYPES),
    K=st.integers(1, 4),
    d=st.integers(1, 3),
    n=st.integers(1, 40),
    sparse_q=st.booleans(),
)
def test_log_likelihood_is_bound_plus_kl(seed, cov, K, d, n, sparse_q):
    rng = np.random.default_rng(seed)
    weights, means, covariances = _random_mixture(rng, K, d, cov)
    X = rng.normal(0.0, 3.0, (n, d))
    q = rng.dirichlet(np.full(K, 0.5), n)
    if sparse_q:  # exact zeros: 0 log 0 = 0
        q[rng.uniform(size=q.shape) < 0.4] = 0.0
        q[q.sum(axis=1) == 0, 0] = 1.0
        q /= q.sum(axis=1, keepdims=True)
    parts = lower_bound(X, weights, means, covariances, cov, q)
    loglik, bound, kl = _reference(X, weights, means, covariances, cov, q)
    scale = max(1.0, abs(loglik))
    assert abs(parts.log_likelihood - parts.bound - parts.gap) <= 1e-9 * scale
    assert parts.gap >= 0.0
    assert parts.log_likelihood == pytest.approx(loglik, rel=1e-9, abs=1e-9)
    assert parts.bound == pytest.approx(bound, rel=1e-9, abs=1e-9)
    assert parts.gap == pytest.approx(kl, rel=1e-7, abs=1e-9 * scale)


@pytest.mark.parametrize("cov", COV_TYPES)
def test_the_gap_closes_at_the_e_step(cov):
    rng = np.random.default_rng(1)
    weights, means, covariances = _random_mixture(rng, 3, 2, cov)
    X = rng.normal(0.0, 3.0, (200, 2))
    prec = emcore.densities.compute_precision_cholesky(covariances, cov)
    _, log_resp = emcore.e_step(X, weights, means, prec, cov)
    parts = lower_bound(X, weights, means, covariances, cov, np.exp(log_resp))
    assert abs(parts.gap) <= 1e-9 * abs(parts.log_likelihood)
    assert parts.bound == pytest.approx(parts.log_likelihood, rel=1e-12)
    # and the precision factors give the same numbers as the covariances
    again = lower_bound(
        X, weights, means, None, cov, np.exp(log_resp), precisions_cholesky=prec
    )
    np.testing.assert_allclose(again, parts, rtol=1e-12)


def test_a_component_of_weight_zero_counts_only_where_q_gives_it_mass():
    rng = np.random.default_rng(2)
    weights, means, covariances = _random_mixture(rng, 3, 2, "diag")
    weights = np.array([0.6, 0.4, 0.0])
    X = rng.normal(size=(30, 2))
    q = rng.dirichlet(np.ones(2), 30)
    q = np.column_stack([q, np.zeros(30)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no log(0) or 0 * inf warnings
        parts = lower_bound(X, weights, means, covariances, "diag", q)
    assert np.all(np.isfinite(parts))
    loglik, bound, kl = _reference(X, weights, means, covariances, "diag", q)
    np.testing.assert_allclose(parts, (loglik, bound, kl), rtol=1e-9)
    q[0] = [0.5, 0.0, 0.5]  # mass on the empty component: no bound at all
    parts = lower_bound(X, weights, means, covariances, "diag", q)
    assert parts.bound == -np.inf and parts.gap == np.inf
    assert np.isfinite(parts.log_likelihood)


def _em_run(cov, seed, K, temperature=1.0):
    X, _ = emcore.simulate(300, 3, 0.3, random_state=seed)
    gm = GaussianMixture(
        K, covariance_type=cov, init_params="random", random_state=seed, max_iter=0
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", emcore.ConvergenceWarning)
        gm.fit(X)
    initial = (gm.weights_, gm.means_, gm.covariances_)
    snaps = list(
        em_steps(
            X,
            gm.weights_,
            gm.means_,
            gm.precisions_cholesky_,
            cov,
            tol=0.0,
            max_iter=15,
            return_resp=True,
            temperature=temperature,
        )
    )
    return X, initial, snaps


@DERANDOMIZED
@given(seed=st.integers(0, 10_000), cov=st.sampled_from(COV_TYPES), K=st.integers(1, 5))
def test_every_half_step_of_em_keeps_the_bound_below_and_rising(seed, cov, K):
    X, initial, snaps = _em_run(cov, seed, K)
    steps = half_step_bounds(X, snaps, cov, initial=initial)
    assert [(h.iteration, h.step) for h in steps] == [
        (t, s) for t in range(1, len(snaps) + 1) for s in "EM"
    ]
    for e, m in zip(steps[::2], steps[1::2], strict=True):
        scale = abs(e.log_likelihood)
        # after the E-step the bound touches log L
        assert abs(e.gap) <= 1e-9 * scale
        assert abs(e.bound - e.log_likelihood) <= 1e-9 * scale
        # the M-step raises the bound, and log L at least as much
        assert m.bound >= e.bound - 1e-9 * scale
        assert m.log_likelihood >= m.bound
        assert m.log_likelihood - e.log_likelihood >= m.bound - e.bound - 1e-9 * scale
    # the E half of iteration t + 1 measures the M half's parameters again
    for m, e in zip(steps[1:-1:2], steps[2::2], strict=True):
        assert e.log_likelihood == pytest.approx(m.log_likelihood, rel=1e-12)
    # and it is the log-likelihood EM itself reports, as a total
    for snap, e in zip(snaps, steps[::2], strict=True):
        assert e.log_likelihood == pytest.approx(
            snap.log_likelihood * len(X), rel=1e-10
        )


def test_the_first_snapshot_can_be_the_initial_one():
    X, _ = emcore.simulate(200, 2, 0.2, random_state=0)
    gm = GaussianMixture(2, random_state=0)
    snaps = [s for _, s in gm.fit_steps(X, return_resp=True, include_initial=True)]
    steps = half_step_bounds(X, snaps, "full")
    assert len(steps) == 2 * (len(snaps) - 1)
    assert steps[0].iteration == 1 and steps[0].step == "E"
    assert half_step_bounds(X, [], "full") == []


def test_a_tempered_e_step_leaves_a_gap():
    X, initial, snaps = _em_run("full", 3, 3, temperature=2.0)
    steps = half_step_bounds(X, snaps[:3], "full", initial=initial)
    for e in steps[::2]:
        assert e.gap > 1e-6 * abs(e.log_likelihood)
        assert e.bound + e.gap == pytest.approx(e.log_likelihood, rel=1e-12)


def test_half_steps_need_responsibilities():
    X, initial, snaps = _em_run("diag", 0, 2)
    bare = [emcore.em.EMSnapshot(**{**vars(snaps[0]), "resp": None})]
    with pytest.raises(ValueError, match="return_resp=True"):
        half_step_bounds(X, bare, "diag", initial=initial)


# --- the path of PRML figure 9.14 -------------------------------------------------


@pytest.mark.parametrize("cov", COV_TYPES)
def test_the_path_starts_and_ends_exactly_and_stays_valid(cov):
    rng = np.random.default_rng(4)
    start = _random_mixture(rng, 3, 2, cov)
    end = _random_mixture(rng, 3, 2, cov)
    for s, expected in ((0.0, start), (1.0, end)):
        got = interpolate_mixture(start, end, s, cov)
        for part, want in zip(got, expected, strict=True):
            np.testing.assert_array_equal(part, want)
    for s in np.linspace(-3.0, 4.0, 29):
        weights, means, covariances = interpolate_mixture(start, end, s, cov)
        assert weights.sum() == pytest.approx(1.0, rel=1e-12)
        assert np.all(weights > 0)
        full = _full(covariances, cov, 3, 2)
        assert np.all(np.linalg.eigvalsh(full) > 0)
        np.testing.assert_allclose(means, start[1] + s * (end[1] - start[1]))
    # halfway, the log-Cholesky path gives the geometric mean of variances
    half = interpolate_mixture(start, end, 0.5, cov)[2]
    if cov in ("diag", "spherical"):
        np.testing.assert_allclose(half, np.sqrt(start[2] * end[2]), rtol=1e-12)


@pytest.mark.parametrize("cov", COV_TYPES)
def test_the_bound_is_tangent_at_the_start_and_largest_at_the_m_step(cov):
    X, initial, snaps = _em_run(cov, 5, 3)
    before, after = snaps[1], snaps[2]  # theta_1 -> theta_2, by the M-step
    start = (before.weights, before.means, before.covariances)
    end = (after.weights, after.means, after.covariances)
    s = np.linspace(-0.5, 1.5, 81)
    path = bound_path(X, start, end, cov, s)
    scale = abs(path.log_likelihood).max()
    at0, at1 = np.flatnonzero(s == 0.0)[0], np.flatnonzero(s == 1.0)[0]
    assert path.gap[at0] <= 1e-9 * scale
    assert np.all(path.gap >= 0)
    assert np.all(path.log_likelihood >= path.bound)
    # largest at s = 1: the M-step maximises the bound over theta
    assert path.bound[at1] >= path.bound.max() - 1e-9 * scale
    # tangent at 0: the slopes of log L and the bound agree there
    h = 1e-5
    ends = bound_path(X, start, end, cov, [-h, h])
    slope_ll = (ends.log_likelihood[1] - ends.log_likelihood[0]) / (2 * h)
    slope_bound = (ends.bound[1] - ends.bound[0]) / (2 * h)
    assert slope_ll == pytest.approx(slope_bound, rel=1e-4, abs=1e-6 * scale)
    # its q is the E-step of the start, the one EM used for that M-step
    given_q = bound_path(X, start, end, cov, s, resp=after.resp)
    np.testing.assert_allclose(given_q.bound, path.bound, rtol=1e-10)


def test_along_one_mean_the_bound_peaks_at_the_m_step_value():
    X, initial, snaps = _em_run("full", 6, 3)
    before, after = snaps[0], snaps[1]
    start = (before.weights, before.means, before.covariances)
    moved = before.means.copy()
    moved[1] = after.means[1]  # one component's mean, nothing else
    path = bound_path(
        X, start, (before.weights, moved, before.covariances), "full", [0.8, 1, 1.2]
    )
    assert path.bound[1] > path.bound[0] and path.bound[1] > path.bound[2]


def test_arguments_are_checked_and_named():
    X = np.zeros((4, 2))
    w, m, c = [0.5, 0.5], [[0.0, 0.0], [1.0, 1.0]], [1.0, 1.0]
    q = np.full((4, 2), 0.5)
    with pytest.raises(ValueError, match="resp must have rows that sum to 1"):
        lower_bound(X, w, m, c, "spherical", q * 1.1)
    with pytest.raises(ValueError, match="resp must have one column per component"):
        lower_bound(X, w, m, c, "spherical", np.ones((4, 1)))
    with pytest.raises(ValueError, match="covariances must have shape"):
        lower_bound(X, w, m, [1.0], "spherical", q)
    with pytest.raises(ValueError, match="covariance_type"):
        lower_bound(X, w, m, c, "round", q)
    with pytest.raises(emcore.SingularCovarianceError):
        lower_bound(X, w, m, [1.0, -1.0], "spherical", q)
    with pytest.raises(ValueError, match="start must be a"):
        bound_path(X, "theta", (w, m, c), "spherical")
    with pytest.raises(ValueError, match="end must have the shapes of start"):
        bound_path(X, (w, m, c), ([1.0], [[0.0, 0.0]], [1.0]), "spherical")
    with pytest.raises(ValueError, match="s must be"):
        interpolate_mixture((w, m, c), (w, m, c), float("nan"), "spherical")
