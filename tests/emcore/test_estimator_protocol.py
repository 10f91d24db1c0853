"""emcore.GaussianMixture as a scikit-learn estimator, and emcore without it.

scikit-learn's ``check_estimator`` must pass every check (for
``BayesianGaussianMixture`` too); ``clone``,
``Pipeline`` and ``GridSearchCV`` must work; the protocol pieces (parameters,
repr, warm start, ``max_iter=0``, seeds, float32, feature names, errors and
warnings) are checked one by one. emcore itself must import and fit with
numpy alone, and must not import scikit-learn just to start.
"""

import json
import os
import pickle
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest

import emcore
from emcore import GaussianMixture

COV_TYPES = ("full", "tied", "diag", "spherical")

sklearn = pytest.importorskip("sklearn", reason="scikit-learn is not installed")


@pytest.fixture
def blobs():
    rng = np.random.default_rng(0)
    centres = np.array([[0.0, 0.0], [6.0, 0.0], [0.0, 6.0]])
    return np.vstack([rng.normal(size=(60, 2)) + c for c in centres])


# --- scikit-learn's tooling ------------------------------------------------------


_CHECK_ESTIMATOR = """
import json, warnings
from sklearn.utils.estimator_checks import check_estimator
from emcore import {name} as Estimator
with warnings.catch_warnings():
    # "does not inherit from BaseEstimator": by design, no runtime dependency
    warnings.filterwarnings("ignore", "Estimator {name} does not inherit")
    results = check_estimator(Estimator(), on_fail=None, on_skip=None)
rows = [[r["check_name"], r["status"], str(r["exception"])] for r in results]
print(json.dumps(rows))
"""


@pytest.mark.parametrize("name", ["GaussianMixture", "BayesianGaussianMixture"])
def test_check_estimator_passes_every_check(name):
    # SCIPY_ARRAY_API=1 (read when scipy is imported, hence the subprocess)
    # lets scikit-learn run its array-API check too instead of skipping it
    env = {**os.environ, "SCIPY_ARRAY_API": "1"}
    proc = subprocess.run(
        [sys.executable, "-c", _CHECK_ESTIMATOR.format(name=name)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    results = json.loads(proc.stdout.strip().splitlines()[-1])
    statuses = [status for _, status, _ in results]
    counts = {s: statuses.count(s) for s in set(statuses)}
    print(f"check_estimator: {len(results)} checks, {counts}")
    not_passed = [
        (name, status, exc) for name, status, exc in results if status != "passed"
    ]
    assert not not_passed, not_passed
    assert len(results) >= 40, counts


@pytest.mark.parametrize("cov", COV_TYPES)
def test_clone_keeps_parameters_and_drops_the_fit(blobs, cov):
    from sklearn.base import clone

    gm = GaussianMixture(3, covariance_type=cov, random_state=1).fit(blobs)
    twin = clone(gm)
    assert twin.get_params() == gm.get_params()
    assert not hasattr(twin, "means_")
    np.testing.assert_allclose(twin.fit(blobs).means_, gm.means_)


def test_pipeline_and_grid_search_over_components_and_covariance_type(blobs):
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    pipe = Pipeline([("scale", StandardScaler()), ("gm", GaussianMixture())])
    grid = {"gm__n_components": [1, 2, 3, 4], "gm__covariance_type": list(COV_TYPES)}
    X = np.random.default_rng(1).permutation(blobs)  # every fold sees every blob
    search = GridSearchCV(pipe, grid, cv=3).fit(X)
    assert search.best_params_["gm__n_components"] >= 3
    assert len(search.cv_results_["params"]) == 16
    best = search.best_estimator_.named_steps["gm"]
    assert best.n_features_in_ == 2
    assert np.isfinite(search.score(X))


def test_sklearn_exceptions_catch_emcore_ones(blobs):
    from sklearn.exceptions import ConvergenceWarning, NotFittedError

    assert issubclass(emcore.NotFittedError, NotFittedError)
    assert issubclass(emcore.NotFittedError, (ValueError, AttributeError))
    assert issubclass(emcore.ConvergenceWarning, ConvergenceWarning)
    with pytest.raises(NotFittedError, match="not fitted yet"):
        GaussianMixture().predict(blobs)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        with pytest.raises(ConvergenceWarning, match="did not converge"):
            GaussianMixture(3, max_iter=1, tol=0.0, random_state=0).fit(blobs)
    # the exception classes survive pickling (scikit-learn's joblib does that)
    err = pickle.loads(pickle.dumps(emcore.NotFittedError("x")))
    assert isinstance(err, NotFittedError)


# --- the protocol, piece by piece --------------------------------------------------


def test_get_set_params_and_repr():
    gm = GaussianMixture(2, covariance_type="tied")
    params = gm.get_params()
    assert params["n_components"] == 2 and params["covariance_type"] == "tied"
    assert {"warm_start", "verbose", "verbose_interval", "on_singular"} <= set(params)
    assert repr(gm) == "GaussianMixture(covariance_type='tied', n_components=2)" or (
        repr(gm) == "GaussianMixture(n_components=2, covariance_type='tied')"
    )
    assert repr(GaussianMixture()) == "GaussianMixture()"
    assert gm.set_params(tol=1e-5, warm_start=True) is gm
    assert "tol=1e-05" in repr(gm) and "warm_start=True" in repr(gm)
    with pytest.raises(ValueError, match="Invalid parameter 'bogus'"):
        gm.set_params(bogus=1)


def test_warm_start_continues_where_the_last_fit_stopped(blobs):
    kw = dict(n_components=3, random_state=0, tol=0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", emcore.ConvergenceWarning)
        straight = GaussianMixture(max_iter=6, **kw).fit(blobs)
        warm = GaussianMixture(max_iter=3, warm_start=True, **kw)
        warm.fit(blobs)
        warm.fit(blobs)
    np.testing.assert_allclose(warm.means_, straight.means_, rtol=1e-12)
    assert warm.n_iter_ == 3


def test_max_iter_zero_returns_the_initial_parameters(blobs):
    means = [[0.0, 0.0], [5.0, 1.0], [1.0, 5.0]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no convergence warning either
        gm = GaussianMixture(3, means_init=means, max_iter=0, random_state=0).fit(blobs)
    np.testing.assert_array_equal(gm.means_, means)
    assert gm.n_iter_ == 0 and not gm.converged_ and gm.lower_bound_ == -np.inf


@pytest.mark.parametrize(
    "seed", [0, np.random.default_rng(0), np.random.RandomState(0)], ids=str
)
def test_every_kind_of_seed_is_accepted(blobs, seed):
    gm = GaussianMixture(3, random_state=seed).fit(blobs)
    assert np.all(np.isfinite(gm.means_))
    X, labels = gm.sample(5)
    assert X.shape == (5, 2) and labels.shape == (5,)


def test_a_shared_random_state_advances_between_fits(blobs):
    rs = np.random.RandomState(0)
    gm = GaussianMixture(3, init_params="random", random_state=rs, max_iter=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", emcore.ConvergenceWarning)
        first = gm.fit(blobs).means_.copy()
        second = gm.fit(blobs).means_
    assert not np.allclose(first, second)


@pytest.mark.parametrize("cov", COV_TYPES)
def test_float32_in_float32_out(blobs, cov):
    X32 = blobs.astype(np.float32)
    gm32 = GaussianMixture(3, covariance_type=cov, random_state=0).fit(X32)
    gm64 = GaussianMixture(3, covariance_type=cov, random_state=0).fit(blobs)
    for name in (
        "weights_",
        "means_",
        "covariances_",
        "precisions_",
        "precisions_cholesky_",
    ):
        assert getattr(gm32, name).dtype == np.float32, name
        np.testing.assert_allclose(getattr(gm32, name), getattr(gm64, name), rtol=1e-4)
    assert gm32.predict_proba(X32).dtype == np.float32
    assert gm32.score_samples(X32).dtype == np.float32
    assert gm32.sample(4)[0].dtype == np.float32


def test_feature_names_are_recorded_and_checked(blobs):
    pd = pytest.importorskip("pandas", reason="pandas is not installed")
    df = pd.DataFrame(blobs, columns=["a", "b"])
    gm = GaussianMixture(2, random_state=0).fit(df)
    assert list(gm.feature_names_in_) == ["a", "b"] and gm.n_features_in_ == 2
    with pytest.raises(ValueError, match="Feature names must be in the same order"):
        gm.predict(df[["b", "a"]])
    with pytest.raises(ValueError, match="unseen at fit time:\n- c"):
        gm.predict(df.rename(columns={"b": "c"}))
    with pytest.warns(UserWarning, match="does not have valid feature names"):
        gm.predict(blobs)
    assert not hasattr(GaussianMixture(2).fit(blobs), "feature_names_in_")


@pytest.mark.parametrize(
    ("X", "error", "match"),
    [
        (np.zeros(6), ValueError, "Expected 2D array, got 1D array instead"),
        (np.zeros((0, 2)), ValueError, r"0 sample\(s\)"),
        (np.zeros((5, 0)), ValueError, r"0 feature\(s\)"),
        (np.zeros((1, 2)), ValueError, r"1 sample\(s\)"),
        (np.ones((4, 2)) * 1j, ValueError, "Complex data not supported"),
        (
            np.array([[1.0, {}], [2.0, 3.0]], dtype=object),
            TypeError,
            "argument must be",
        ),
    ],
)
def test_input_validation_uses_sklearns_wording(X, error, match):
    with pytest.raises(error, match=match):
        GaussianMixture().fit(X)


def test_sparse_input_is_a_type_error():
    sparse = pytest.importorskip("scipy.sparse", reason="scipy is not installed")
    with pytest.raises(TypeError, match="Sparse data was passed for X"):
        GaussianMixture().fit(sparse.csr_matrix(np.eye(4)))


def test_verbose_prints_starts_and_iterations(blobs, capsys):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", emcore.ConvergenceWarning)
        GaussianMixture(3, verbose=2, verbose_interval=2, max_iter=4, tol=0.0).fit(
            blobs
        )
    out = capsys.readouterr().out
    assert "Initialization 0" in out
    assert "  Iteration 2\t time lapse" in out and "  Iteration 4\t" in out
    assert "  Iteration 3" not in out
    assert "Initialization did not converge." in out


# --- emcore without scikit-learn ---------------------------------------------------


def _python(code):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def test_importing_emcore_does_not_import_sklearn():
    proc = _python(
        """
        import sys
        import numpy as np
        import emcore
        X = np.random.default_rng(0).normal(size=(50, 2))
        emcore.GaussianMixture(2, random_state=0).fit(X).predict(X)
        assert "sklearn" not in sys.modules, "emcore imported scikit-learn"
        print("ok")
        """
    )
    assert proc.returncode == 0 and "ok" in proc.stdout, proc.stderr


def test_emcore_runs_with_numpy_alone():
    proc = _python(
        """
        import sys, warnings
        sys.modules["sklearn"] = None  # as if scikit-learn were not installed
        import numpy as np
        import emcore
        X = np.random.default_rng(0).normal(size=(50, 2))
        gm = emcore.GaussianMixture(2, random_state=np.random.RandomState(0))
        assert gm.get_params()["n_components"] == 2
        try:
            gm.predict(X)
        except emcore.NotFittedError as err:
            assert isinstance(err, ValueError) and isinstance(err, AttributeError)
        else:
            raise AssertionError("no NotFittedError")
        assert emcore.NotFittedError is emcore.exceptions.EmcoreNotFittedError
        assert emcore.NotFittedError.__bases__ == (ValueError, AttributeError)
        assert emcore.ConvergenceWarning.__bases__ == (UserWarning,)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            gm.set_params(max_iter=1, tol=0.0).fit(X)
        assert any(issubclass(w.category, emcore.ConvergenceWarning) for w in caught)
        print(gm, gm.predict(X[:3]), "ok")
        """
    )
    assert proc.returncode == 0 and "ok" in proc.stdout, proc.stderr
