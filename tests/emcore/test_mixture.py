"""GaussianMixture against scikit-learn, and the properties EM must have."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sklearn.mixture import GaussianMixture as SkGaussianMixture

import emcore
from emcore import (
    ConvergenceWarning,
    GaussianMixture,
    NotFittedError,
    SingularCovarianceError,
)

COV_TYPES = ("full", "tied", "diag", "spherical")


def blobs(rng, n_per=120, d=2, k=3, spread=4.0, offset=0.0, centres=None):
    """Anisotropic clusters with random rotations (well conditioned)."""
    parts, labels = [], []
    if centres is None:
        centres = spread * rng.normal(size=(k, d))
    for j in range(k):
        a = rng.normal(size=(d, d)) * 0.5 + np.eye(d)
        parts.append(rng.normal(size=(n_per, d)) @ a + centres[j])
        labels.append(np.full(n_per, j))
    return np.vstack(parts) + offset, np.concatenate(labels)


def explicit_init(rng, X, k, cov):
    d = X.shape[1]
    weights = rng.dirichlet(np.full(k, 5.0))
    means = X[rng.choice(len(X), k, replace=False)] + rng.normal(0, 0.1, (k, d))
    if cov == "full":
        a = rng.normal(size=(k, d, d)) * 0.3
        prec = a @ a.transpose(0, 2, 1) + np.eye(d)
    elif cov == "tied":
        a = rng.normal(size=(d, d)) * 0.3
        prec = a @ a.T + np.eye(d)
    elif cov == "diag":
        prec = rng.uniform(0.5, 2.0, (k, d))
    else:
        prec = rng.uniform(0.5, 2.0, k)
    return dict(weights_init=weights, means_init=means, precisions_init=prec)


def fit_both(X, k, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = GaussianMixture(k, **kw).fit(X)
        theirs = SkGaussianMixture(k, **kw).fit(X)
    return ours, theirs


@pytest.mark.parametrize("cov", COV_TYPES)
@pytest.mark.parametrize("d", [2, 3])
@pytest.mark.parametrize(
    ("seed", "offset", "spread"),
    # far from the origin, and clusters ~100 widths apart: the cases where
    # expanded second moments would lose digits without centring
    [(0, 0.0, 4.0), (1, 50.0, 4.0), (2, 1e6, 4.0), (3, -3e3, 100.0)],
)
def test_matches_sklearn_on_identical_initialisation(cov, d, seed, offset, spread):
    rng = np.random.default_rng(seed)
    X, _ = blobs(rng, d=d, offset=offset, spread=spread)
    kw = dict(covariance_type=cov, tol=1e-6, max_iter=200)
    init = explicit_init(rng, X, 3, cov)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = GaussianMixture(3, **kw, **init).fit(X)
        # scikit-learn's diag, spherical and tied covariances expand E[x²] - μ²
        # and lose digits far from the origin, so it fits the translated data;
        # the model is translation-equivariant
        init["means_init"] = init["means_init"] - offset
        theirs = SkGaussianMixture(3, **kw, **init).fit(X - offset)
    theirs.means_ = theirs.means_ + offset

    assert ours.n_iter_ == theirs.n_iter_
    assert ours.converged_ == theirs.converged_
    np.testing.assert_allclose(ours.lower_bounds_, theirs.lower_bounds_, rtol=1e-9)
    assert ours.lower_bound_ == pytest.approx(theirs.lower_bound_, rel=1e-9)
    for name in (
        "weights_",
        "means_",
        "covariances_",
        "precisions_",
        "precisions_cholesky_",
    ):
        np.testing.assert_allclose(
            getattr(ours, name),
            getattr(theirs, name),
            rtol=1e-8,
            atol=1e-8,
            err_msg=name,
        )
    assert ours.n_parameters() == theirs._n_parameters()
    Xt = X - offset
    theirs.means_ = theirs.means_ - offset
    assert ours.aic(X) == pytest.approx(theirs.aic(Xt), rel=1e-10)
    assert ours.bic(X) == pytest.approx(theirs.bic(Xt), rel=1e-10)
    np.testing.assert_allclose(
        ours.predict_proba(X), theirs.predict_proba(Xt), atol=1e-8
    )
    np.testing.assert_allclose(
        ours.score_samples(X), theirs.score_samples(Xt), rtol=1e-9
    )
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(Xt))


@pytest.mark.parametrize("cov", COV_TYPES)
def test_capped_run_matches_sklearn_and_warns(cov):
    rng = np.random.default_rng(7)
    X, _ = blobs(rng, k=4, spread=1.5)
    init = explicit_init(rng, X, 4, cov)
    with pytest.warns(ConvergenceWarning):
        ours = GaussianMixture(4, covariance_type=cov, tol=0.0, max_iter=7, **init).fit(
            X
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = SkGaussianMixture(
            4, covariance_type=cov, tol=0.0, max_iter=7, **init
        ).fit(X)
    assert not ours.converged_ and ours.n_iter_ == 7 == theirs.n_iter_
    np.testing.assert_allclose(ours.lower_bounds_, theirs.lower_bounds_, rtol=1e-9)


@pytest.mark.parametrize("cov", COV_TYPES)
def test_parameter_count_and_criteria_definitions(cov):
    rng = np.random.default_rng(3)
    X, _ = blobs(rng, d=2)
    gm = GaussianMixture(3, covariance_type=cov, random_state=0).fit(X)
    expected = {
        "full": 6 * 3 - 1,
        "tied": 3 * 3 + 2,
        "diag": 5 * 3 - 1,
        "spherical": 4 * 3 - 1,
    }
    assert gm.n_parameters() == expected[cov]
    loglik = gm.score(X) * len(X)
    assert gm.aic(X) == pytest.approx(-2 * loglik + 2 * expected[cov])
    assert gm.bic(X) == pytest.approx(-2 * loglik + expected[cov] * math.log(len(X)))


@pytest.mark.parametrize("init", ["kmeans", "k-means++", "random", "random_from_data"])
@pytest.mark.parametrize("cov", COV_TYPES)
def test_each_init_reaches_sklearns_best_optimum(init, cov):
    rng = np.random.default_rng(11)
    X, _ = blobs(rng, k=3, centres=[[0.0, 0.0], [15.0, 0.0], [7.0, 13.0]])
    kw = dict(covariance_type=cov, init_params=init, n_init=10, tol=1e-8, max_iter=500)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = GaussianMixture(3, random_state=0, **kw).fit(X)
        theirs = SkGaussianMixture(3, random_state=0, **kw).fit(X)
    assert ours.score(X) >= theirs.score(X) - 1e-6


@pytest.mark.parametrize("cov", COV_TYPES)
def test_best_start_wins_and_fit_predict_agrees_with_predict(cov):
    rng = np.random.default_rng(5)
    X, _ = blobs(rng, k=4, spread=2.0)
    gm = GaussianMixture(
        4, covariance_type=cov, n_init=5, init_params="random", random_state=1
    )
    labels = gm.fit_predict(X)
    assert len(gm.starts_) == 5
    assert gm.lower_bound_ == max(s.lower_bound for s in gm.starts_)
    assert gm.lower_bounds_[-1] == gm.lower_bound_
    np.testing.assert_array_equal(labels, gm.predict(X))


def test_the_first_of_equally_good_starts_is_kept():
    # scikit-learn keeps a later start only when it is strictly better. Two
    # starts on the same two points in swapped order run the same EM with
    # the components swapped, to the last bit: a tie, which the first wins.
    X = np.array([[0, 0], [1, 0.3], [0.2, 1.1], [6, 5], [7.1, 5.2], [6.3, 6.4]])
    gm = GaussianMixture(
        2, n_init=4, init_params="random_from_data", random_state=6
    ).fit(X)
    assert len({s.lower_bound for s in gm.starts_}) == 1
    assert not np.array_equal(gm.starts_[0].means, gm.starts_[-1].means)
    np.testing.assert_array_equal(gm.means_, gm.starts_[0].means)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    k=st.integers(1, 5),
    cov=st.sampled_from(COV_TYPES),
    init=st.sampled_from(["kmeans", "random"]),
)
def test_log_likelihood_never_decreases(seed, k, cov, init):
    rng = np.random.default_rng(seed)
    X, _ = blobs(rng, n_per=60, k=3)
    gm = GaussianMixture(
        k,
        covariance_type=cov,
        reg_covar=0.0,
        tol=0.0,
        max_iter=30,
        init_params=init,
        random_state=seed,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        try:
            gm.fit(X)
        except SingularCovarianceError:
            # with reg_covar = 0 a spare component may shrink onto two points;
            # that run has no well-conditioned trace to judge
            assume(False)
    trace = np.asarray(gm.lower_bounds_)
    assert np.all(np.diff(trace) >= -1e-10 * np.abs(trace[1:]))


@pytest.mark.parametrize("cov", COV_TYPES)
def test_responsibilities_and_covariances_are_valid(cov):
    rng = np.random.default_rng(9)
    X, _ = blobs(rng, d=3)
    gm = GaussianMixture(3, covariance_type=cov, random_state=2)
    for _, snap in gm.fit_steps(X, return_resp=True):
        assert np.allclose(snap.resp.sum(axis=1), 1.0, atol=1e-12)
        assert np.all(snap.resp >= 0)
        assert snap.weights.sum() == pytest.approx(1.0)
    full = np.asarray(gm.covariances_)
    if cov == "tied":
        full = full[None]
    if cov in ("full", "tied"):
        np.testing.assert_allclose(full, full.transpose(0, 2, 1), atol=0)
        assert np.all(np.linalg.eigvalsh(full) > 0)
    else:
        assert np.all(full > 0)


def test_fit_steps_is_the_fit_code_path():
    rng = np.random.default_rng(4)
    X, _ = blobs(rng)
    stepped = GaussianMixture(3, n_init=2, random_state=3)
    frames = list(stepped.fit_steps(X))
    fitted = GaussianMixture(3, n_init=2, random_state=3).fit(X)
    assert [s for s, _ in frames].count(0) == stepped.starts_[0].n_iter
    np.testing.assert_array_equal(stepped.means_, fitted.means_)
    assert stepped.lower_bounds_ == fitted.lower_bounds_


@pytest.mark.parametrize("cov", COV_TYPES)
@pytest.mark.parametrize("init", ["kmeans", "k-means++", "random_from_data"])
def test_fit_steps_progress_pauses_the_initialisation_without_changing_the_fit(
    cov, init
):
    rng = np.random.default_rng(11)
    X, _ = blobs(rng, k=4)
    kwargs = dict(covariance_type=cov, init_params=init, n_init=2, random_state=7)
    quiet = GaussianMixture(4, **kwargs)
    plain = [(s, snap.log_likelihood) for s, snap in quiet.fit_steps(X)]
    paused = GaussianMixture(4, **kwargs)
    events = list(paused.fit_steps(X, progress=True))
    assert [(s, snap.log_likelihood) for s, snap in events if snap] == plain
    np.testing.assert_array_equal(paused.means_, quiet.means_)
    np.testing.assert_array_equal(
        paused.precisions_cholesky_, quiet.precisions_cholesky_
    )
    for start in (0, 1):
        mine = [snap for s, snap in events if s == start]
        beats = mine.index(next(snap for snap in mine if snap is not None))
        assert all(snap is not None for snap in mine[beats:])  # pauses come first
        # a pause after each k-means++ centre but the first, then the M-step;
        # k-means adds one after each Lloyd iteration
        least = 1 if init == "random_from_data" else 4
        assert beats >= least


def test_same_seed_same_fit_and_different_seed_can_differ():
    rng = np.random.default_rng(8)
    X, _ = blobs(rng, k=4, spread=1.0)
    a = GaussianMixture(4, init_params="random", random_state=5).fit(X)
    b = GaussianMixture(4, init_params="random", random_state=5).fit(X)
    np.testing.assert_array_equal(a.means_, b.means_)


@pytest.mark.parametrize("cov", COV_TYPES)
def test_sample_follows_the_fitted_mixture(cov):
    rng = np.random.default_rng(6)
    X, _ = blobs(rng, n_per=300, spread=10.0)
    gm = GaussianMixture(3, covariance_type=cov, random_state=0).fit(X)
    Xs, ys = gm.sample(6000)
    assert Xs.shape == (6000, 2) and ys.shape == (6000,)
    np.testing.assert_allclose(
        np.bincount(ys, minlength=3) / 6000, gm.weights_, atol=0.03
    )
    for j in range(3):
        np.testing.assert_allclose(Xs[ys == j].mean(axis=0), gm.means_[j], atol=0.25)


def test_collapse_raises_like_sklearn_or_is_regularised_and_reported():
    # two identical points for two components with no regularisation: singular
    X = np.array([[0.0, 0.0], [0.0, 0.0], [5.0, 5.0], [5.0, 6.0], [6.0, 5.0]])
    init = dict(
        means_init=[[0.0, 0.0], [5.5, 5.5]],
        weights_init=[0.4, 0.6],
        precisions_init=np.stack([np.eye(2), np.eye(2)]),
    )
    with pytest.raises(ValueError, match="ill-defined empirical covariance"):
        GaussianMixture(2, reg_covar=0.0, **init).fit(X)
    gm = GaussianMixture(2, reg_covar=0.0, on_singular="regularize", **init).fit(X)
    assert gm.regularized_ == (0,)
    assert np.all(np.isfinite(gm.covariances_)) and np.isfinite(gm.lower_bound_)


def test_not_fitted():
    gm = GaussianMixture(2)
    for call in (lambda: gm.predict(np.zeros((3, 2))), gm.n_parameters, gm.sample):
        with pytest.raises(NotFittedError, match="fit"):
            call()


@pytest.mark.parametrize(
    ("kwargs", "X", "match"),
    [
        (dict(n_components=0), None, "n_components must be >= 1; got 0"),
        (dict(n_components=2.5), None, "n_components must be an integer"),
        (dict(covariance_type="banana"), None, "covariance_type must be one of"),
        (dict(tol=-1e-3), None, "tol must be >= 0.0; got -0.001"),
        (dict(reg_covar=-1.0), None, "reg_covar must be >= 0.0"),
        (dict(max_iter=-1), None, "max_iter must be >= 0; got -1"),
        (dict(n_init=0), None, "n_init must be >= 1; got 0"),
        (dict(init_params="kmeans+++"), None, "init_params must be one of"),
        (dict(on_singular="ignore"), None, "on_singular must be one of"),
        (dict(random_state=-3), None, "random_state must be a non-negative integer"),
        (dict(n_components=5), np.zeros((4, 2)), "n_components = 5, n_samples = 4"),
        (dict(), np.zeros(5), "Expected 2D array, got 1D array"),
        (dict(), np.zeros((1, 2)), "1 sample\\(s\\).* minimum of 2"),
        (dict(), np.array([[0.0, np.nan], [1.0, 2.0]]), "NaN or infinite"),
        (dict(), np.array([[0.0, np.inf], [1.0, 2.0]]), "NaN or infinite"),
        (dict(), [["a", "b"], ["c", "d"]], "could not convert string to float"),
        (
            dict(n_components=2, weights_init=[0.5, 0.6]),
            None,
            "weights_init must sum to 1",
        ),
        (
            dict(n_components=2, weights_init=[1.0]),
            None,
            "weights_init must have shape",
        ),
        (
            dict(n_components=2, means_init=np.zeros((2, 3))),
            None,
            "means_init must have shape",
        ),
        (
            dict(n_components=2, precisions_init=np.zeros((2, 2, 2))),
            None,
            "precisions_init must be positive definite",
        ),
        (
            dict(
                n_components=2, covariance_type="diag", precisions_init=-np.ones((2, 2))
            ),
            None,
            "precisions_init must be positive",
        ),
    ],
)
def test_invalid_arguments_raise_value_error_naming_them(kwargs, X, match):
    if X is None:
        X = np.random.default_rng(0).normal(size=(20, 2))
    with pytest.raises(ValueError, match=match):
        GaussianMixture(**kwargs).fit(X)


def test_public_api_is_explicit():
    for name in emcore.__all__:
        assert hasattr(emcore, name), name


def test_tied_covariance_weights_samples_by_their_responsibility():
    # one-hot seeds leave most rows of resp at 0; those samples must not count
    from emcore.kernels.moments import estimate_gaussian_parameters

    rng = np.random.default_rng(12)
    X, _ = blobs(rng, k=3, centres=[[0.0, 0.0], [10.0, 0.0], [5.0, 9.0]])
    resp = np.zeros((len(X), 3))
    resp[rng.choice(len(X), 3, replace=False), [0, 1, 2]] = 1.0
    resp[:40] = rng.dirichlet(np.ones(3), size=40)
    nk, means, tied = estimate_gaussian_parameters(X, resp, 0.0, "tied")
    direct = (
        sum((resp[:, k, None] * (X - means[k])).T @ (X - means[k]) for k in range(3))
        / nk.sum()
    )
    np.testing.assert_allclose(tied, direct, rtol=1e-10, atol=1e-12)
    gm = GaussianMixture(
        3, covariance_type="tied", init_params="k-means++", random_state=0
    )
    gm.fit(X)
    assert (
        np.min(
            np.linalg.norm(gm.means_[:, None] - gm.means_[None], axis=2)[
                np.triu_indices(3, 1)
            ]
        )
        > 5
    )
