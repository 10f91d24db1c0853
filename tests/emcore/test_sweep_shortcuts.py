"""Shortcuts that make the model-selection sweep cheaper in Pyodide give the
same bits as the computations they replace (issue 16, round 5)."""

import numpy as np
import pytest

from emcore.densities import _logsumexp_from_max, logsumexp
from emcore.kernels.moments import MomentWorkspace
from emcore.kernels.rowblocks import run_steps

COV_TYPES = ("full", "tied", "diag", "spherical")
REG = 1e-6


def every_row_covariances(work, resp, nk, means, cov_type):
    """Covariances from differences over every row (zeros included): the
    computation ``direct_covariance_steps`` did before its shortcut."""
    Xc, mu = work.Xc, means - work.centre
    K, d = means.shape
    per = []
    for k in range(K):
        diff = Xc - mu[k]
        weighted = resp[:, k, np.newaxis] * diff
        if cov_type in ("full", "tied"):
            per.append(weighted.T @ diff)
        else:
            per.append(np.einsum("nd,nd->d", weighted, diff))
    if cov_type == "tied":
        total = np.zeros((d, d))
        for s in per:
            total += s
        cov = (total + total.T) / (2.0 * nk.sum())
        cov.flat[:: d + 1] += REG
        return cov
    out = []
    for k, s in enumerate(per):
        if cov_type == "full":
            cov = (s + s.T) / (2.0 * nk[k])
            cov.flat[:: d + 1] += REG
        else:
            cov = s / nk[k] + REG
            if cov_type == "spherical":
                cov = cov.mean()
        out.append(cov)
    return np.array(out)


@pytest.mark.parametrize("cov", COV_TYPES)
@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("d", [2, 3])
@pytest.mark.parametrize("soft", [False, True])
def test_sparse_columns_give_the_covariances_of_every_row(cov, seed, d, soft):
    rng = np.random.default_rng(seed)
    n, K = 400, 5
    X = rng.normal(size=(n, d)) * rng.uniform(0.5, 3, d) + rng.normal(0, 5, d)
    work = MomentWorkspace(X, cov)
    resp = np.zeros((n, K))
    # column 0: one-hot (a k-means++ start), 1: one non-unit value,
    # 2: empty, 3: two rows, 4: soft everywhere (or one row: then there are
    # no more non-zeros than columns, the case the shortcut looks at)
    resp[rng.integers(n), 0] = 1.0
    resp[rng.integers(n), 1] = rng.uniform(0.1, 0.9)
    resp[rng.choice(n, 2, replace=False), 3] = rng.uniform(0.1, 0.9, 2)
    if soft:
        resp[:, 4] = rng.uniform(size=n)
    else:
        resp[rng.integers(n), 4] = 0.5
    nk = resp.sum(axis=0) + 1e-9
    means = (resp.T @ X + 1e-9 * X.mean(axis=0)) / nk[:, np.newaxis]
    rough = work.estimate_parameters(resp, REG)[2]
    which = np.arange(K)
    got = work.direct_covariance_steps(
        resp, nk, means, rough, REG, which, (slice(None),)
    )
    got = run_steps(got)
    want = every_row_covariances(work, resp, nk, means, cov)
    assert got.shape == want.shape
    assert np.array_equal(got, want)  # bit for bit


@pytest.mark.parametrize("cov", COV_TYPES)
@pytest.mark.parametrize("seed", [0, 5])
def test_a_one_hot_start_has_the_covariances_of_every_row(cov, seed):
    rng = np.random.default_rng(seed)
    n, K = 300, 4
    X = rng.normal(size=(n, 2)) + rng.normal(0, 100, 2)
    work = MomentWorkspace(X, cov)
    resp = np.zeros((n, K))
    resp[rng.choice(n, K, replace=False), np.arange(K)] = 1.0
    nk, means, covariances = work.estimate_parameters(resp, REG)
    want = every_row_covariances(work, resp, nk, means, cov)
    assert np.array_equal(covariances, want)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
@pytest.mark.parametrize("axis", [0, 1])
def test_logsumexp_from_known_maxima_is_logsumexp(seed, axis):
    rng = np.random.default_rng(seed)
    a = rng.normal(0, 300, size=(50, 7))
    a[3] = -np.inf  # a row with no mass
    a[5, 2] = np.inf
    a[:, 4] = -np.inf
    with np.errstate(all="ignore"):
        want = logsumexp(a, axis=axis)
        got = _logsumexp_from_max(a, np.max(a, axis=axis, keepdims=True), axis)
    assert np.array_equal(got, want, equal_nan=True)


def random_parameters(rng, X, K, cov, narrowness):
    """Weights, means (data points) and precision factors whose widths are
    ``narrowness`` times the data's spread (small = narrow components)."""
    from emcore.densities import compute_precision_cholesky

    n, d = X.shape
    spread = X.std(axis=0)
    weights = rng.dirichlet(np.ones(K))
    means = X[rng.choice(n, K, replace=False)]
    scales = narrowness * rng.uniform(0.3, 1.5, size=(K, d)) * spread
    if cov == "full":
        covs = []
        for k in range(K):
            a = rng.normal(size=(d, d)) * 0.3 + np.eye(d)
            covs.append((a * scales[k]) @ (a * scales[k]).T)
        covs = np.array(covs)
    elif cov == "tied":
        a = rng.normal(size=(d, d)) * 0.3 + np.eye(d)
        covs = (a * scales[0]) @ (a * scales[0]).T
    elif cov == "diag":
        covs = scales**2
    else:
        covs = (scales**2).mean(axis=1)
    return weights, means, compute_precision_cholesky(covs, cov)


def bounds_outcomes(cov, seed, d):
    """Check the fast-path bounds of ever narrower random components against
    the log-densities they bound; returns which outcomes occurred (True:
    no bounds, the extremes decide; False: bounds given)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(600, d)) * rng.uniform(0.1, 10, d) + rng.normal(0, 50, d)
    work = MomentWorkspace(X, cov)
    seen = set()
    for narrowness in (3.0, 1.0, 0.3, 0.1, 0.05, 0.03, 0.02, 0.01, 0.005, 0.002):
        w, m, p = random_parameters(rng, X, 4, cov, narrowness)
        if not work._expansion_is_accurate(m, p):
            continue
        weighted, bounds = work._expanded_log_prob_kn(w, m, p, bounds=True)
        seen.add(bounds is None)
        if bounds is not None:
            low, high = bounds
            assert low <= weighted.min() and weighted.max() <= high
            assert low >= -700.0 and high <= 300.0
    return seen


@pytest.mark.parametrize("cov", COV_TYPES)
@pytest.mark.parametrize("d", [2, 3])
def test_fast_path_bounds_contain_every_log_density(cov, d):
    seen = set()
    for seed in range(8):
        seen |= bounds_outcomes(cov, seed, d)
    # wide components get bounds, very narrow ones leave it to min/max
    assert seen == {True, False}


@pytest.mark.parametrize("cov", COV_TYPES)
@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("zero_weight", [False, True])
def test_the_e_step_equals_the_normalisation_of_the_whole_array(cov, seed, zero_weight):
    from emcore.kernels.moments import normalise_log_prob

    rng = np.random.default_rng(seed)
    X = rng.normal(size=(500, 2)) * [1.0, 3.0] + [10.0, -4.0]
    work = MomentWorkspace(X, cov)
    for narrowness in (1.0, 0.2, 0.01, 1e-4):
        w, m, p = random_parameters(rng, X, 3, cov, narrowness)
        if zero_weight:
            w = np.array([0.0, 0.5, 0.5])
        for log in (False, True):
            ll, resp, log_norm = work.e_step(w, m, p, log=log)
            weighted = work.weighted_log_prob_kn(w, m, p)
            ll2, resp2, log_norm2 = normalise_log_prob(weighted, log=log)
            assert ll == ll2 or (np.isnan(ll) and np.isnan(ll2))
            assert np.array_equal(resp, resp2, equal_nan=True)
            assert np.array_equal(log_norm, log_norm2, equal_nan=True)


def test_no_corner_bounds_beyond_four_features_or_on_overflowing_products():
    rng = np.random.default_rng(3)
    assert MomentWorkspace(rng.normal(size=(50, 5)), "diag")._corner_phi is None
    huge = rng.normal(size=(50, 2)) * 1e200
    with np.errstate(over="ignore"):
        assert MomentWorkspace(huge, "full")._corner_phi is None
    assert MomentWorkspace(rng.normal(size=(50, 2)), "full")._corner_phi.shape == (
        6,
        4,
    )


@pytest.mark.parametrize(
    "order",
    [
        ("full", "tied", "full"),
        ("tied", "full"),
        ("diag", "spherical", "diag"),
        ("spherical", "full", "diag", "tied"),
    ],
)
@pytest.mark.parametrize("seed", [0, 4])
def test_fits_sharing_workspaces_equal_fits_on_their_own(order, seed):
    import warnings

    from emcore import GaussianMixture

    rng = np.random.default_rng(seed)
    X = np.vstack([rng.normal(c, 1.0, (150, 2)) for c in ([0, 0], [5, 1], [1, 6])])
    shared = {}
    for i, cov in enumerate(order):
        fits = []
        for workspaces in (shared, None):
            gm = GaussianMixture(
                3 + i % 2,
                covariance_type=cov,
                init_params="k-means++",
                random_state=np.random.default_rng([seed, i]),
                on_singular="regularize",
                tol=1e-6,
            )
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for _ in gm.fit_steps(X, progress=True, _workspaces=workspaces):
                    pass
            fits.append(gm)
        a, b = fits
        assert a.lower_bounds_ == b.lower_bounds_
        for name in ("weights_", "means_", "covariances_", "precisions_cholesky_"):
            assert np.array_equal(getattr(a, name), getattr(b, name))
    # one workspace per kind of features, shared by the types that use it
    kinds = {"full": 0, "tied": 0, "diag": 1, "spherical": 1}
    assert len({kinds[c] for c in order}) == len({id(w.phi_t) for w in shared.values()})


def test_a_workspace_serves_only_types_with_its_features():
    X = np.random.default_rng(1).normal(size=(40, 2))
    full = MomentWorkspace(X, "full")
    assert full.for_type("full") is full
    tied = full.for_type("tied")
    assert tied.covariance_type == "tied" and tied.phi_t is full.phi_t
    assert full.covariance_type == "full"
    assert full.for_type("diag") is None and full.for_type("spherical") is None
    diag = MomentWorkspace(X, "diag")
    assert diag.for_type("spherical").phi_t is diag.phi_t
    assert diag.for_type("tied") is None


def factor_outcome(covariances, cov_type, scale):
    from emcore import em
    from emcore.densities import SingularCovarianceError

    try:
        return ("ok", em._factor(covariances, cov_type, scale))
    except SingularCovarianceError as err:
        return ("bad", sorted(err.components))


@pytest.mark.parametrize("cov", ["diag", "spherical"])
@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("with_scale", [True, False])
def test_whole_array_factor_tests_decide_as_the_per_component_ones(
    cov, seed, with_scale, monkeypatch
):
    from emcore import em

    rng = np.random.default_rng(seed)
    scale = rng.uniform(0.1, 10.0, 2) if with_scale else None
    shape = (6, 2) if cov == "diag" else (6,)
    specials = [1e-20, 1e-12, 1e-305, 1e-310, 1e300, np.nan, np.inf, 0.0, -1.0]
    outcomes = set()
    for trial in range(40):
        covs = rng.uniform(0.01, 5.0, shape)
        if trial % 4:  # a few special values at random places
            flat = covs.reshape(-1)
            for i in rng.choice(flat.size, rng.integers(1, 3), replace=False):
                flat[i] = specials[rng.integers(len(specials))]
        with np.errstate(all="ignore"):
            fast = factor_outcome(covs, cov, scale)
            with monkeypatch.context() as m:
                m.setattr(em, "_usable_scalar", lambda *a: False)
                slow = factor_outcome(covs, cov, scale)
        assert fast[0] == slow[0]
        if fast[0] == "ok":
            assert np.array_equal(fast[1], slow[1])
        else:
            assert fast[1] == slow[1]
        outcomes.add(fast[0])
    assert outcomes == {"ok", "bad"}


@pytest.mark.parametrize("cov", COV_TYPES)
@pytest.mark.parametrize("repeats", [0, 40])
def test_health_from_the_datas_facts_is_the_health_judged_alone(cov, repeats):
    import warnings

    from emcore import GaussianMixture
    from emcore.diagnostics import _data_facts, component_health

    rng = np.random.default_rng(repeats)
    X = np.vstack(
        [
            rng.normal(size=(200, 2)),
            rng.normal([6.0, 0.0], 0.5, size=(100, 2)),
            np.repeat([[3.0, 5.0], [3.0, 5.1]], repeats // 2, axis=0),
            # ties from rounding, with the repeated rows only
            np.round(rng.normal([0.0, 6.0], 1.0, size=(60, 2)), 0 if repeats else 9),
        ]
    )
    facts = _data_facts(X)
    assert facts[1] == (repeats == 0) == (len(np.unique(X, axis=0)) == len(X))
    for k in (2, 4, 6):
        gm = GaussianMixture(
            k, covariance_type=cov, random_state=1, on_singular="regularize"
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            gm.fit(X)
        labels = gm.predict(X)
        assert component_health(gm, X, labels, _facts=facts) == component_health(
            gm, X, labels
        )


@pytest.mark.parametrize("cov", COV_TYPES)
@pytest.mark.parametrize("d", [1, 2, 3, 5])
@pytest.mark.parametrize("seed", [0, 1])
def test_squared_distances_in_the_component_layout(cov, d, seed):
    """The (K, d, n) layout computes what the (n, K, d) one did."""
    from emcore.densities import _MAHALANOBIS, compute_precision_cholesky

    rng = np.random.default_rng(seed)
    n, K = 300, 4
    X = rng.normal(size=(n, d)) * rng.uniform(0.1, 10, d) + rng.normal(0, 20, d)
    means = X[rng.choice(n, K, replace=False)]
    if cov == "full":
        a = rng.normal(size=(K, d, d))
        covs = a @ a.transpose(0, 2, 1) + np.eye(d)
    elif cov == "tied":
        a = rng.normal(size=(d, d))
        covs = a @ a.T + np.eye(d)
    elif cov == "diag":
        covs = rng.uniform(0.1, 5, (K, d))
    else:
        covs = rng.uniform(0.1, 5, K)
    U = compute_precision_cholesky(covs, cov)
    got = _MAHALANOBIS[cov](X, means, U)
    assert got.shape == (n, K) and got.flags["C_CONTIGUOUS"]
    if cov == "full":
        y = np.matmul(X, U) - np.einsum("kd,kde->ke", means, U)[:, None]
    elif cov == "tied":
        y = (X @ U)[None] - (means @ U)[:, None]
    else:
        prec = U if cov == "diag" else np.repeat(U[:, None], d, 1)
        y = (X[None] - means[:, None]) * prec[:, None]
    want = np.einsum("knd,knd->nk", y, y)
    np.testing.assert_allclose(got, want, rtol=1e-13, atol=0)
