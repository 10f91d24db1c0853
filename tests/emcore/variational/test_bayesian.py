"""emcore.BayesianGaussianMixture against scikit-learn's, and on its own.

Where the algorithm is the same the numbers must be too: scikit-learn's
estimator is given emcore's starting responsibilities (its random numbers
differ from emcore's), and every fitted attribute and every iteration's lower
bound must then agree to 1e-9, for the four covariance types and both weight
priors. The stepwise interface must end where ``fit`` ends.
"""

import os
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest

import emcore
from emcore import BayesianGaussianMixture
from emcore.initialization import initial_responsibilities

COV_TYPES = ("full", "tied", "diag", "spherical")
PRIOR_TYPES = ("dirichlet_process", "dirichlet_distribution")
POSTERIOR = (
    "weights_",
    "means_",
    "covariances_",
    "precisions_",
    "precisions_cholesky_",
    "mean_precision_",
    "degrees_of_freedom_",
)


@pytest.fixture(scope="module")
def blobs():
    X, _ = emcore.simulate(300, 3, 0.25, random_state=4)
    return X


def _quietly(estimator, X):
    with warnings.catch_warnings():
        # emcore's ConvergenceWarning or scikit-learn's, whichever fits
        warnings.filterwarnings("ignore", "Best performing initialization did not")
        return estimator.fit(X)


def _sklearn_twin(X, kw):
    """scikit-learn's estimator, fitted from emcore's starts for ``kw``."""
    mixture = pytest.importorskip("sklearn.mixture", reason="scikit-learn missing")
    rng = np.random.default_rng(kw["random_state"])
    starts = [
        initial_responsibilities(X, kw["n_components"], kw["init_params"], rng)
        for _ in range(kw.get("n_init", 1))
    ]

    class FromEmcoreStarts(mixture.BayesianGaussianMixture):
        def _initialize_parameters(self, X, random_state, xp=None):
            self._initialize(X, starts.pop(0))

    return _quietly(FromEmcoreStarts(**kw), X)


def _assert_same(ours, theirs, X, rtol):
    assert ours.n_iter_ == theirs.n_iter_
    assert ours.converged_ == theirs.converged_
    np.testing.assert_allclose(
        ours.lower_bounds_, np.ravel(theirs.lower_bounds_), rtol=rtol
    )
    for name in POSTERIOR:
        np.testing.assert_allclose(
            getattr(ours, name), getattr(theirs, name), rtol=rtol, err_msg=name
        )
    np.testing.assert_allclose(
        np.asarray(ours.weight_concentration_),
        np.asarray(theirs.weight_concentration_),
        rtol=rtol,
    )
    np.testing.assert_allclose(
        ours.score_samples(X), theirs.score_samples(X), rtol=rtol
    )
    np.testing.assert_allclose(
        ours.predict_proba(X), theirs.predict_proba(X), rtol=1e-7, atol=1e-12
    )
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))


@pytest.mark.parametrize("prior", PRIOR_TYPES)
@pytest.mark.parametrize("cov", COV_TYPES)
def test_equals_scikit_learn_from_the_same_start(blobs, cov, prior):
    kw = dict(
        n_components=5,
        covariance_type=cov,
        weight_concentration_prior_type=prior,
        init_params="kmeans",
        random_state=2,
        max_iter=60,
        tol=1e-6,
    )
    ours = _quietly(BayesianGaussianMixture(**kw), blobs)
    _assert_same(ours, _sklearn_twin(blobs, kw), blobs, rtol=1e-9)


@pytest.mark.parametrize("cov", COV_TYPES)
def test_equals_scikit_learn_with_priors_given_and_several_starts(blobs, cov):
    d = blobs.shape[1]
    covariance_prior = {
        "full": np.array([[2.0, 0.3], [0.3, 1.0]]),
        "tied": np.array([[2.0, 0.3], [0.3, 1.0]]),
        "diag": np.array([2.0, 1.0]),
        "spherical": 1.5,
    }[cov]
    kw = dict(
        n_components=4,
        covariance_type=cov,
        weight_concentration_prior=0.05,
        mean_precision_prior=0.3,
        mean_prior=np.full(d, 0.5),
        degrees_of_freedom_prior=d + 1.5,
        covariance_prior=covariance_prior,
        init_params="random",
        n_init=3,
        random_state=7,
        max_iter=40,
        tol=1e-4,
        reg_covar=1e-4,
    )
    ours = _quietly(BayesianGaussianMixture(**kw), blobs)
    _assert_same(ours, _sklearn_twin(blobs, kw), blobs, rtol=1e-9)
    assert ours.weight_concentration_prior_ == 0.05
    np.testing.assert_array_equal(ours.covariance_prior_, covariance_prior)


@pytest.mark.parametrize("prior", PRIOR_TYPES)
def test_the_steps_end_where_fit_ends(blobs, prior):
    kw = dict(n_components=5, weight_concentration_prior_type=prior, random_state=0)
    fitted = BayesianGaussianMixture(**kw).fit(blobs)
    stepper = BayesianGaussianMixture(**kw)
    snaps = [
        s for _, s in stepper.fit_steps(blobs, include_initial=True, return_resp=True)
    ]
    assert [s.iteration for s in snaps] == list(range(len(snaps)))
    assert snaps[0].lower_bound == -np.inf and snaps[0].resp is None
    last = snaps[-1]
    assert last.converged and last.iteration == fitted.n_iter_
    for name in ("weights", "means", "covariances", "precisions_cholesky"):
        np.testing.assert_array_equal(getattr(last, name), getattr(fitted, name + "_"))
    assert [s.lower_bound for s in snaps[1:]] == fitted.lower_bounds_
    for s in snaps:
        assert s.weights.sum() == pytest.approx(1.0, rel=1e-12)
    for s in snaps[1:]:
        np.testing.assert_allclose(s.resp.sum(axis=1), 1.0, rtol=1e-12)
    # variational Bayes never lowers its bound
    bounds = np.array(fitted.lower_bounds_)
    assert np.all(np.diff(bounds) >= -1e-9 * np.abs(bounds[1:]))


@pytest.mark.parametrize("seed", range(5))
def test_unneeded_components_die_away(seed):
    # the page's picture: K = 6 on two well separated clusters
    X, _ = emcore.simulate(500, 2, 0.1, random_state=seed)
    bgm = BayesianGaussianMixture(
        n_components=6, init_params="random", random_state=seed, max_iter=500
    )
    snaps = [s for _, s in bgm.fit_steps(X)]
    assert bgm.converged_
    assert np.sum(bgm.weights_ > 0.01) <= 3
    alive = [int(np.sum(s.weights > 0.01)) for s in snaps]
    assert alive[0] >= 4 and alive[-1] <= 3
    dead = bgm.weights_ < 0.01
    assert np.all(snaps[-1].weights[dead] < snaps[0].weights[dead])


def test_a_warm_start_continues_where_the_last_fit_stopped(blobs):
    kw = dict(n_components=4, random_state=0, tol=0.0)
    straight = _quietly(BayesianGaussianMixture(max_iter=6, **kw), blobs)
    warm = BayesianGaussianMixture(max_iter=3, warm_start=True, **kw)
    _quietly(warm, blobs)
    _quietly(warm, blobs)
    for name in POSTERIOR:
        np.testing.assert_allclose(
            getattr(warm, name), getattr(straight, name), rtol=1e-12
        )
    assert warm.lower_bound_ == pytest.approx(straight.lower_bound_, rel=1e-12)


def test_max_iter_zero_keeps_the_initial_posterior(blobs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no convergence warning either
        bgm = BayesianGaussianMixture(n_components=3, max_iter=0, random_state=0)
        bgm.fit(blobs)
    assert bgm.n_iter_ == 0 and bgm.lower_bound_ == -np.inf and not bgm.converged_
    assert bgm.lower_bounds_ == []
    assert np.all(np.isfinite(bgm.means_))


@pytest.mark.parametrize("cov", COV_TYPES)
def test_float32_in_float32_out(blobs, cov):
    X32 = blobs.astype(np.float32)
    kw = dict(n_components=3, covariance_type=cov, random_state=0)
    b32 = BayesianGaussianMixture(**kw).fit(X32)
    b64 = BayesianGaussianMixture(**kw).fit(blobs)
    for name in ("weights_", "means_", "covariances_", "precisions_cholesky_"):
        assert getattr(b32, name).dtype == np.float32, name
        np.testing.assert_allclose(getattr(b32, name), getattr(b64, name), rtol=1e-3)
    assert b32.score_samples(X32).dtype == np.float32


@pytest.mark.parametrize(
    "params, match",
    [
        ({"weight_concentration_prior_type": "pitman_yor"}, "dirichlet_process"),
        ({"weight_concentration_prior": 0.0}, "weight_concentration_prior must be"),
        ({"mean_precision_prior": -1.0}, "mean_precision_prior must be"),
        ({"mean_prior": [0.0]}, "mean_prior must have shape"),
        ({"degrees_of_freedom_prior": 1.0}, "should be greater than 1"),
        ({"covariance_prior": [[1.0, 2.0], [2.0, 1.0]]}, "positive definite"),
        (
            {"covariance_type": "diag", "covariance_prior": [1.0, -1.0]},
            "'diag covariance_prior' should be positive",
        ),
        ({"covariance_type": "spherical", "covariance_prior": 0}, "covariance_prior"),
        ({"n_components": 0}, "n_components must be"),
        ({"init_params": "best"}, "init_params must be one of"),
    ],
)
def test_bad_parameters_are_refused_by_name(blobs, params, match):
    with pytest.raises(ValueError, match=match):
        BayesianGaussianMixture(**params).fit(blobs)


def test_not_fitted_and_repr():
    bgm = BayesianGaussianMixture(n_components=4, weight_concentration_prior=0.1)
    assert repr(bgm) == (
        "BayesianGaussianMixture(n_components=4, weight_concentration_prior=0.1)"
    )
    with pytest.raises(emcore.NotFittedError, match="This BayesianGaussianMixture"):
        bgm.predict(np.zeros((2, 2)))


def test_runs_with_numpy_alone():
    code = """
        import sys
        sys.modules["sklearn"] = None  # as if scikit-learn were not installed
        sys.modules["scipy"] = None  # and scipy
        import numpy as np
        import emcore
        X = np.random.default_rng(0).normal(size=(80, 2))
        bgm = emcore.BayesianGaussianMixture(n_components=3, random_state=0)
        print(bgm.fit(X).weights_.round(3), bgm.score(X), "ok")
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0 and "ok" in proc.stdout, proc.stderr
