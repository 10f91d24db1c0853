"""The page's class exports from a real simulator run.

The notebook and script built from a run's result and its winning start's
``init`` frame must repeat the page's fit with scikit-learn alone.
"""

from __future__ import annotations

import numpy as np
import pytest
from simapp.charts.palette import HEX
from simapp.exports.handout import chart_legend, initial_precisions, reproduction
from simapp.exports.reproduce import data_csv, notebook

from emcore.experiment import iterate

COV_TYPES = ("full", "tied", "diag", "spherical")


def page_run(**settings):
    """Drive the simulator as the page's runner does: keep every ``init`` frame."""
    initial, result = {}, None
    for event in iterate(**settings):
        if event.kind == "init":
            initial[event.start] = event
        elif event.kind == "done":
            result = event.result
    return result, initial[result.best_start]


@pytest.mark.parametrize("cov", COV_TYPES)
def test_initial_precisions_invert_the_frames_covariances(cov):
    rng = np.random.default_rng(3)
    A = rng.normal(size=(3, 2, 2))
    full = A @ A.transpose(0, 2, 1) + np.eye(2)
    if cov == "tied":
        full = np.repeat(full[:1], 3, axis=0)
    elif cov in ("diag", "spherical"):
        d = np.diagonal(full, axis1=1, axis2=2).copy()
        if cov == "spherical":
            d[:] = d.mean(axis=1, keepdims=True)
        full = np.stack([np.diag(row) for row in d])
    prec = initial_precisions(full, cov)
    shapes = {"full": (3, 2, 2), "tied": (2, 2), "diag": (3, 2), "spherical": (3,)}
    assert prec.shape == shapes[cov]
    back = {
        "full": lambda p: np.linalg.inv(p),
        "tied": lambda p: np.repeat(np.linalg.inv(p)[None], 3, axis=0),
        "diag": lambda p: np.stack([np.diag(1 / row) for row in p]),
        "spherical": lambda p: np.stack([np.eye(2) / v for v in p]),
    }[cov](prec)
    np.testing.assert_allclose(back, full, rtol=1e-12)


def test_a_bad_covariance_type_is_refused():
    with pytest.raises(ValueError, match="covariance_type='round'"):
        initial_precisions(np.eye(2)[None], "round")


@pytest.mark.parametrize("cov", COV_TYPES)
def test_the_notebook_repeats_the_pages_run(cov, run_without_emcore):
    result, init = page_run(k=3, n=300, overlap=30, cov=cov, seed=11, n_init=3)
    rep = reproduction(result, init, title="test")
    bic = run_without_emcore(notebook(rep), "float(gm.bic(X))", timeout=120)
    assert bic == pytest.approx(result.bic, rel=1e-6)


def test_the_csv_has_a_row_per_point_with_truth_and_responsibilities():
    result, init = page_run(k=2, n=120, seed=5, n_init=1)
    text = data_csv(reproduction(result, init))
    lines = text.strip().splitlines()
    assert lines[0] == "x,y,true_class,fitted_component,p_1,p_2"
    assert len(lines) == 1 + 120
    rows = np.array([[float(v) for v in ln.split(",")] for ln in lines[1:]])
    np.testing.assert_array_equal(rows[:, :2], result.X)
    np.testing.assert_array_equal(rows[:, 2], result.labels_true)
    np.testing.assert_array_equal(rows[:, 3], result.labels_pred + 1)
    np.testing.assert_allclose(rows[:, 4:].sum(axis=1), 1.0)


def test_all_four_iris_measurements_fit_and_export():
    """``data=iris&cols=all&k=3&cov=full``'s fit: 44 parameters, and the
    notebook repeats it with every column (run_data accepts d > 2)."""
    from sklearn.datasets import load_iris

    from emcore.experiment import iterate_data

    iris = load_iris()
    X, labels = iris.data.astype(np.float64), iris.target.astype(np.int64)
    initial, result = {}, None
    for event in iterate_data(X, labels, k=3, cov="full", seed=2, n_init=2):
        if event.kind == "init":
            initial[event.start] = event
        elif event.kind == "done":
            result = event.result
    assert result.params == 44  # 2 weights + 3*4 means + 3*10 covariances
    assert result.covariances.shape == (3, 4, 4)
    assert len(result.ellipses) == 3
    from sklearn.mixture import GaussianMixture

    init = initial[result.best_start]
    gm = GaussianMixture(
        3,
        covariance_type="full",
        tol=result.settings["tol"],
        reg_covar=1e-6,
        max_iter=result.settings["iters"],
        weights_init=init.weights / np.sum(init.weights),
        means_init=init.means,
        precisions_init=initial_precisions(init.covariances, "full"),
    ).fit(X)
    assert gm.bic(X) == pytest.approx(result.bic, rel=1e-7)
    rep = reproduction(result, init, columns=iris.feature_names)
    assert rep.X.shape == (150, 4)
    assert "sepal length (cm)" in data_csv(rep).splitlines()[0]


def test_one_column_is_refused_by_name():
    from emcore.experiment import run_data

    with pytest.raises(ValueError, match="at least 2 columns"):
        run_data(np.arange(10.0)[:, None], k=2)


def test_a_legend_of_any_number_of_classes_has_distinct_swatches():
    entries = chart_legend("cluster", 32, HEX, ("a", "b\u202ec"))
    assert len(entries) == 32
    assert entries[1][0] == "bc"  # no bidirectional control in a label
    assert len({(colour, marker) for _, colour, marker in entries}) == 32
    assert [marker for _, _, marker in entries[::8]] == [
        "square",
        "circle",
        "triangle",
        "diamond",
    ]
    assert entries[8][0] == "cluster 9" and entries[8][1] == HEX[0]
