"""scikit-learn's own mixture tests, run against emcore.

The test files are located in the installed scikit-learn at test time and run
in place by a pytest subprocess whose only change is the estimators:
``sklearn_swap_plugin`` makes ``sklearn.mixture.GaussianMixture`` and
``sklearn.mixture.BayesianGaussianMixture`` emcore's before the files import
them. Nothing is copied into this repository. The
float32 variants run too (``SKLEARN_RUN_FLOAT32_TESTS=1``).

:data:`NOT_APPLICABLE` is the one list of tests left out, each with its reason.
"""

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

sklearn = pytest.importorskip("sklearn", reason="scikit-learn is not installed")

FILES = (
    "mixture/tests/test_gaussian_mixture.py",
    "mixture/tests/test_mixture.py",
    "mixture/tests/test_bayesian_mixture.py",
)

#: node id prefix (relative to the sklearn package) -> why it does not apply
NOT_APPLICABLE = {
    "mixture/tests/test_gaussian_mixture.py::test_suffstat_sk_full": (
        "tests scikit-learn's private _estimate_gaussian_covariances_full only"
    ),
    "mixture/tests/test_gaussian_mixture.py::test_suffstat_sk_tied": (
        "tests scikit-learn's private _estimate_gaussian_covariances_tied only"
    ),
    "mixture/tests/test_gaussian_mixture.py::test_suffstat_sk_diag": (
        "tests scikit-learn's private _estimate_gaussian_covariances_diag only"
    ),
    "mixture/tests/test_gaussian_mixture.py::test_gaussian_suffstat_sk_spherical": (
        "tests scikit-learn's private _estimate_gaussian_covariances_spherical only"
    ),
    "mixture/tests/test_gaussian_mixture.py::test_compute_log_det_cholesky": (
        "tests scikit-learn's private _compute_log_det_cholesky only"
    ),
    "mixture/tests/test_gaussian_mixture.py::test_gaussian_mixture_log_probabilities": (
        "tests scikit-learn's private _estimate_log_gaussian_prob only"
    ),
    "mixture/tests/test_gaussian_mixture.py::test_gaussian_mixture_precisions_init[": (
        "calls scikit-learn's private GaussianMixture._initialize(X, resp)"
    ),
    "mixture/tests/test_gaussian_mixture.py::"
    "test_gaussian_mixture_all_init_does_not_estimate_gaussian_parameters": (
        "monkeypatches scikit-learn's private _estimate_gaussian_parameters"
    ),
    "mixture/tests/test_gaussian_mixture.py::"
    "test_gaussian_mixture_array_api_compliance": (
        "array API dispatch (torch, cupy, ...): emcore is numpy-only"
    ),
    "mixture/tests/test_gaussian_mixture.py::"
    "test_gaussian_mixture_raises_where_array_api_not_implemented": (
        "array API dispatch: emcore is numpy-only"
    ),
    "mixture/tests/test_bayesian_mixture.py::test_log_dirichlet_norm": (
        "tests scikit-learn's private _log_dirichlet_norm only"
    ),
    "mixture/tests/test_bayesian_mixture.py::test_log_wishart_norm": (
        "tests scikit-learn's private _log_wishart_norm only"
    ),
}


def _outcomes(junit_xml):
    """``{test id: 'passed' | 'failed' | 'skipped'}`` from a JUnit report."""
    out = {}
    for case in ET.parse(junit_xml).getroot().iter("testcase"):
        name = f"{case.get('classname')}::{case.get('name')}"
        if case.find("failure") is not None or case.find("error") is not None:
            out[name] = "failed"
        elif case.find("skipped") is not None:
            out[name] = "skipped"
        else:
            out[name] = "passed"
    return out


def test_sklearn_mixture_suites_pass_against_emcore(tmp_path):
    package = Path(sklearn.__file__).parent
    files = [package / f for f in FILES]
    for path in files:
        assert path.is_file(), f"scikit-learn's test file is missing: {path}"
    ini = tmp_path / "pytest.ini"
    ini.write_text("[pytest]\n")
    report = tmp_path / "report.xml"
    cmd = [sys.executable, "-m", "pytest", "-c", str(ini), "--rootdir", str(package)]
    cmd += ["-p", "sklearn_swap_plugin", "-p", "no:cacheprovider", "-rfE"]
    cmd += [f"--junitxml={report}", *map(str, files)]
    cmd += [f"--deselect={nodeid}" for nodeid in NOT_APPLICABLE]
    env = {
        **os.environ,
        "SKLEARN_RUN_FLOAT32_TESTS": "1",
        "PYTHONPATH": os.pathsep.join(
            [str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")]
        ),
    }
    proc = subprocess.run(
        cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=1200
    )
    output = proc.stdout + proc.stderr
    for swapped in (
        "GaussianMixture under test: emcore.mixture.GaussianMixture",
        "BayesianGaussianMixture under test: "
        "emcore.variational.bayesian.BayesianGaussianMixture",
    ):
        assert swapped in output, output[-3000:]
    outcomes = _outcomes(report)
    counts = {
        k: list(outcomes.values()).count(k) for k in ("passed", "failed", "skipped")
    }
    print(f"scikit-learn {sklearn.__version__} mixture tests on emcore: {counts}")
    print(f"not applicable (deselected): {len(NOT_APPLICABLE)} entries")
    assert proc.returncode == 0, output[-6000:]
    assert counts["failed"] == 0 and counts["skipped"] == 0, output[-6000:]
    assert any("float32" in name for name in outcomes), "no float32 variant ran"
    assert counts["passed"] >= 60, counts
    for file in FILES:  # every file ran
        module = file.removesuffix(".py").replace("/", ".")
        assert any(name.split("::")[0].endswith(module) for name in outcomes), file


def test_every_not_applicable_entry_names_a_real_test():
    package = Path(sklearn.__file__).parent
    for nodeid in NOT_APPLICABLE:
        file, _, name = nodeid.partition("::")
        source = (package / file).read_text()
        function = name.split("[")[0]
        assert f"def {function}(" in source, f"{nodeid} is not in scikit-learn"
