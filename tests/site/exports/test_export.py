"""Tests for simapp.exports.export: parameters as JSON, scikit-learn snippet."""

from __future__ import annotations

import doctest
import importlib
import json
import math
import re
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from simapp.exports.export import FORMAT, params_json, sklearn_snippet

import emcore
from emcore.experiment import run

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
    np.testing.assert_array_equal(np.array(model["weights"]), result["weights"])
    np.testing.assert_array_equal(np.array(model["means"]), result["means"])
    np.testing.assert_array_equal(np.array(model["covariances"]), result["covariances"])
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
    assert fit["bic"] == result["bic"] and fit["ari"] == result["ari"]
    assert fit["n_parameters"] == 17 and isinstance(fit["converged"], bool)
    assert doc["notes"] == []


def test_params_json_is_stable(result):
    assert params_json(result) == params_json(dict(result))
    compact = params_json(result, indent=None)
    assert "\n" not in compact and _strict_loads(compact) == _strict_loads(
        params_json(result)
    )


def test_non_finite_numbers_become_null_with_note(result):
    bad = dict(result, aic=float("nan"), bic=float("inf"))
    bad["means"] = result["means"].copy()
    bad["means"][1, 0] = -np.inf
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


# --- scikit-learn snippet -------------------------------------------------------


def _run_snippet(source: str) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, "-c", source],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    out = {}
    for key in ("log-likelihood", "AIC", "BIC", "ARI"):
        m = re.search(rf"^{key}: (-?[0-9.]+)$", proc.stdout, re.MULTILINE)
        if m:
            out[key] = float(m.group(1))
    assert re.search(r"^iterations: \d+, converged: (True|False)$", proc.stdout, re.M)
    return out


@pytest.mark.parametrize(
    "settings",
    [
        {"k": 3, "n": 500, "overlap": 20, "cov": "full", "iters": 100, "tol": 1e-4,
         "seed": 1, "n_init": 4},
        {"k": 4, "n": 800, "overlap": 45, "cov": "diag", "iters": 200, "tol": 1e-5,
         "seed": 1234, "n_init": 3},
        {"k": 2, "n": 300, "overlap": 7.5, "cov": "spherical", "iters": 50, "tol": 1e-3,
         "seed": 0, "n_init": 1},
    ],
)  # fmt: skip
def test_snippet_reproduces_the_run(settings):
    source = sklearn_snippet(settings)
    compile(source, "<snippet>", "exec")
    assert 'init_params="k-means++"' in source and "reg_covar=1e-06" in source
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = run(**settings)
    out = _run_snippet(source)
    assert set(out) == {"log-likelihood", "AIC", "BIC", "ARI"}
    assert math.isclose(out["BIC"], result["bic"], rel_tol=0.01), (out, result["bic"])
    assert math.isclose(out["AIC"], result["aic"], rel_tol=0.01)
    assert abs(out["ARI"] - result["ari"]) < 0.1


def test_snippet_with_settings_dataclass_compiles():
    from simapp.state.settings import Settings

    source = sklearn_snippet(Settings(k=5, cov="tied", seed=9), n_components=2)
    compile(source, "<snippet>", "exec")
    assert "simulate(500, 5, 20 / 100, random_state=9)" in source
    assert "n_components=2," in source and 'covariance_type="tied"' in source


def test_snippet_with_embedded_data_runs():
    from simapp.data.datasets import load

    X, labels, _, _ = load("iris")
    settings = {"cov": "full", "iters": 100, "tol": 1e-4, "seed": 2, "n_init": 3}
    source = sklearn_snippet(settings, n_components=3, X=X, labels=labels)
    out = _run_snippet(source)
    gm = emcore.GaussianMixture(
        3, tol=1e-4, n_init=3, init_params="k-means++", random_state=0, reg_covar=1e-6
    ).fit(X)
    assert math.isclose(out["BIC"], gm.bic(X), rel_tol=0.01)
    assert out["ARI"] > 0.8
    # no labels: no ARI line, still runs
    out = _run_snippet(sklearn_snippet(settings, n_components=2, X=X[:40]))
    assert "ARI" not in out and "BIC" in out


def test_snippet_rejects_bad_settings():
    with pytest.raises(ValueError, match="settings lack"):
        sklearn_snippet({"k": 3})
    good = {"k": 3, "n": 500, "overlap": 20, "iters": 100, "tol": 1e-4, "seed": 1,
            "n_init": 4}  # fmt: skip
    with pytest.raises(ValueError, match="unknown covariance type"):
        sklearn_snippet({**good, "cov": "x); import os; ("})
    with pytest.raises(ValueError, match="tol"):
        sklearn_snippet({**good, "cov": "full", "tol": float("nan")})


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
