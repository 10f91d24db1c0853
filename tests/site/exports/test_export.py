"""Tests for simapp.exports.export: the fitted parameters as JSON."""

from __future__ import annotations

import dataclasses
import doctest
import importlib
import json
import re
from pathlib import Path

import numpy as np
import pytest
from simapp.exports.export import FORMAT, params_json

import emcore
from emcore.experiment import run, run_data

SIMAPP = Path(__file__).resolve().parents[3] / "site" / "simapp"


def _strict_loads(text):
    def bad_constant(name):
        raise ValueError(f"non-standard JSON constant {name}")

    return json.loads(text, parse_constant=bad_constant)


@pytest.fixture(scope="module")
def result():
    return run(k=3, n=400, overlap=25, cov="full", seed=8, n_init=2)


def test_params_json_round_trips_result(result):
    doc = _strict_loads(params_json(result))
    assert list(doc) == ["format", "version", "settings", "model", "fit", "notes"]
    assert doc["format"] == FORMAT and doc["version"] == 1
    assert list(doc["settings"]) == [
        "k",
        "n",
        "overlap",
        "cov",
        "iters",
        "tol",
        "seed",
        "n_init",
        "compare",
        "init",
        "k_true",
    ]
    assert doc["settings"]["seed"] == 8 and doc["settings"]["cov"] == "full"
    model = doc["model"]
    assert list(model) == [
        "n_components",
        "covariance_type",
        "weights",
        "means",
        "covariances",
    ]
    # full precision: the floats read back bit for bit
    np.testing.assert_array_equal(np.array(model["weights"]), result.weights)
    np.testing.assert_array_equal(np.array(model["means"]), result.means)
    np.testing.assert_array_equal(np.array(model["covariances"]), result.covariances)
    fit = doc["fit"]
    assert list(fit) == [
        "loglik",
        "aic",
        "bic",
        "ari",
        "n_parameters",
        "iterations",
        "converged",
    ]
    assert fit["bic"] == result.bic and fit["ari"] == result.ari
    assert fit["n_parameters"] == 17 and isinstance(fit["converged"], bool)
    assert doc["notes"] == []


def test_params_json_is_stable(result):
    # the record, its fields as a plain mapping and its to_dict() write the
    # same bytes
    fields = {f.name: getattr(result, f.name) for f in dataclasses.fields(result)}
    assert params_json(result) == params_json(fields)
    assert params_json(result) == params_json(result.to_dict())
    compact = params_json(result, indent=None)
    assert "\n" not in compact and _strict_loads(compact) == _strict_loads(
        params_json(result)
    )


def test_non_finite_numbers_become_null_with_note(result):
    means = result.means.copy()
    means[1, 0] = -np.inf
    bad = dataclasses.replace(result, aic=float("nan"), bic=float("inf"), means=means)
    text = params_json(bad)
    assert "NaN" not in text and "Infinity" not in text
    doc = _strict_loads(text)
    assert doc["fit"]["aic"] is None and doc["fit"]["bic"] is None
    assert doc["model"]["means"][1][0] is None
    assert len(doc["notes"]) == 3
    assert any("fit.aic" in n for n in doc["notes"])
    assert any("model.means[1][0]" in n for n in doc["notes"])


def test_params_from_plain_mapping_and_estimator():
    X, _ = emcore.simulate(300, 2, 0.1, random_state=3)
    gm = emcore.GaussianMixture(2, covariance_type="diag", random_state=0).fit(X)
    settings = {"k": 2, "cov": "diag", "extra": "iris", "seed": 3}
    doc = _strict_loads(params_json(gm, settings))
    assert list(doc["settings"]) == ["k", "cov", "seed", "extra"]
    cov = np.array(doc["model"]["covariances"])
    assert cov.shape == (2, 2, 2)
    np.testing.assert_array_equal(cov[:, [0, 1], [0, 1]], gm.covariances_)
    assert cov[0, 0, 1] == 0.0
    assert doc["model"]["covariance_type"] == "diag"
    assert doc["fit"]["ari"] is None and doc["notes"] == []  # no labels: null, no note
    sph = {"weights": [0.5, 0.5], "means": [[0, 0], [1, 1]], "covariances": [2.0, 3.0]}
    doc = _strict_loads(params_json(sph))
    assert doc["model"]["covariances"] == [
        [[2.0, 0.0], [0.0, 2.0]],
        [[3.0, 0.0], [0.0, 3.0]],
    ]
    with pytest.raises(ValueError, match="need weights"):
        params_json({"weights": [1.0]})
    with pytest.raises(ValueError, match="means must have shape"):
        params_json({"weights": [1.0], "means": [[0, 0], [1, 1]], "covariances": [1.0]})


def test_settings_dataclass_accepted(result):
    from simapp.state.settings import Settings

    doc = _strict_loads(params_json(result, Settings(k=3, seed=8)))
    assert doc["settings"]["k"] == 3 and doc["settings"]["seed"] == 8


MODULES = [
    "data.tables",
    "data.datasets",
    "run.timeline",
    "exports.export",
    "charts.density",
]


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples(module):
    mod = importlib.import_module(f"simapp.{module}")
    failed, _ = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert failed == 0


@pytest.mark.parametrize("module", MODULES)
def test_no_browser_imports(module):
    source = (SIMAPP / f"{module.replace('.', '/')}.py").read_text()
    assert not re.search(r"^\s*(import|from)\s+(js|pyscript|pyodide)\b", source, re.M)


@pytest.fixture(scope="module")
def iris_four_columns():
    from simapp.data.datasets import load

    X, labels, names, _ = load("iris", columns=range(4))
    return run_data(X, labels, k=3, cov="full", seed=2, n_init=2), names


def test_a_four_column_fit_exports_its_parameters(iris_four_columns):
    result, _ = iris_four_columns
    k, d = result.means.shape
    assert d == 4
    model = _strict_loads(params_json(result))["model"]
    assert np.array(model["means"]).shape == (k, d)
    np.testing.assert_array_equal(np.array(model["means"]), result.means)
    np.testing.assert_array_equal(np.array(model["covariances"]), result.covariances)


@pytest.mark.parametrize("cov", ["full", "tied", "diag", "spherical"])
def test_packed_covariances_of_any_width_are_written_out(cov):
    rng = np.random.default_rng(4)
    k, d = 3, 4
    full = emcore.GaussianMixture(k, covariance_type=cov, random_state=0).fit(
        rng.normal(size=(200, d))
    )
    model = _strict_loads(params_json(full))["model"]
    covs = np.array(model["covariances"])
    assert covs.shape == (k, d, d)
    packed = full.covariances_
    expected = {
        "full": lambda j: packed[j],
        "tied": lambda j: packed,
        "diag": lambda j: np.diag(packed[j]),
        "spherical": lambda j: packed[j] * np.eye(d),
    }[cov]
    for j in range(k):
        np.testing.assert_allclose(covs[j], expected(j))


def test_means_that_do_not_match_the_weights_are_refused():
    with pytest.raises(ValueError, match=r"means must have shape \(2, n_features\)"):
        params_json({"weights": [0.5, 0.5], "means": [[0.0]], "covariances": [1.0]})
