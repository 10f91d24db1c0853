"""The CSV, script and notebook a run exports, run here without emcore."""

from __future__ import annotations

import csv
import io
import json
import math
import re
import warnings

import numpy as np
import pytest
from simapp.data.datasets import load
from simapp.exports.handout import reproduction
from simapp.exports.reproduce import (
    FORMULA_STARTS,
    Reproduction,
    data_csv,
    notebook,
    script,
)

import emcore
from emcore.densities import precisions_from_cholesky
from emcore.experiment import run, run_data

COV_TYPES = ("full", "tied", "diag", "spherical")

# Executed code must not find emcore: the exports are for people without it.
_BIC_AND_ITERATIONS = "{'bic': float(gm.bic(X)), 'n_iter': int(gm.n_iter_)}"


def _page_run(X, labels, k, cov, *, seed=0, n_init=3, tol=1e-4):
    """Fit as the page does; return the Reproduction it would export."""
    gm = emcore.GaussianMixture(
        k,
        covariance_type=cov,
        n_init=n_init,
        tol=tol,
        init_params="k-means++",
        random_state=seed,
    )
    initial = {}
    for start, snap in gm.fit_steps(X, include_initial=True):
        if snap.iteration == 0:
            initial[start] = snap
    best = int(np.argmax([s.lower_bound for s in gm.starts_]))
    snap = initial[best]
    init = {
        "weights": snap.weights,
        "means": snap.means,
        "precisions": precisions_from_cholesky(snap.precisions_cholesky, cov),
    }
    page = {"loglik": gm.score(X) * len(X), "aic": gm.aic(X), "bic": gm.bic(X)}
    if labels is not None:
        page["ari"] = emcore.adjusted_rand_score(labels, gm.predict(X))
    rep = Reproduction(
        X=X,
        n_components=k,
        covariance_type=cov,
        tol=tol,
        max_iter=100,
        n_init=n_init,
        seed=seed,
        labels_true=labels,
        init=init,
        page=page,
        resp=gm.predict_proba(X),
        title="test run",
    )
    return rep, gm


@pytest.fixture(scope="module")
def blobs():
    return emcore.simulate(400, 3, 0.3, random_state=4)


@pytest.mark.parametrize("cov", COV_TYPES)
def test_notebook_reaches_the_page_bic_without_emcore(blobs, cov, run_without_emcore):
    X, labels = blobs
    rep, gm = _page_run(X, labels, 3, cov)
    got = run_without_emcore(notebook(rep), _BIC_AND_ITERATIONS)
    # the same start gives the same EM path: far inside the 1 % asked for
    assert got["bic"] == pytest.approx(gm.bic(X), rel=1e-7)
    assert got["n_iter"] == gm.n_iter_


def test_script_runs_alone_and_checks_itself(blobs, run_without_emcore):
    X, labels = blobs
    rep, gm = _page_run(X, labels, 3, "full")
    stdout = run_without_emcore(script(rep))
    assert f"BIC: {gm.bic(X):.6f}" in stdout
    assert "ARI:" in stdout


def test_a_wrong_page_bic_makes_the_notebook_fail(blobs, run_without_emcore):
    X, labels = blobs
    rep, gm = _page_run(X, labels, 3, "full")
    wrong = Reproduction(**{**rep.__dict__, "page": {"bic": gm.bic(X) * 1.05}})
    with pytest.raises(AssertionError, match="not the page's fit"):
        run_without_emcore(notebook(wrong), _BIC_AND_ITERATIONS)


def test_more_than_two_columns_and_no_truth(run_without_emcore):
    rng = np.random.default_rng(7)
    X = np.vstack([rng.normal(size=(150, 4)), rng.normal(size=(150, 4)) + 5])
    rep, gm = _page_run(X, None, 2, "diag", n_init=2)
    rep = Reproduction(
        **{**rep.__dict__, "columns": ("a", "b", "c", "d"), "plot_columns": (2, 3)}
    )
    got = run_without_emcore(notebook(rep), _BIC_AND_ITERATIONS)
    assert got["bic"] == pytest.approx(gm.bic(X), rel=1e-7)
    assert "adjusted_rand_score" not in script(rep)


def test_notebook_is_valid_nbformat(blobs):
    nbformat = pytest.importorskip("nbformat", reason="nbformat not installed")
    X, labels = blobs
    rep, _ = _page_run(X, labels, 3, "tied")
    nbformat.validate(nbformat.reads(json.dumps(notebook(rep)), as_version=4))


def test_without_the_initial_parameters_the_notebook_draws_its_own_starts(blobs):
    X, labels = blobs
    rep, _ = _page_run(X, labels, 3, "full")
    own = Reproduction(**{**rep.__dict__, "init": None})
    code = script(own)
    assert 'init_params="k-means++"' in code and "n_init=3" in code
    assert "means_init" not in code


@pytest.mark.parametrize("cov", ["full", "spherical"])
def test_csv_round_trips_every_number(blobs, cov):
    X, labels = blobs
    rep, gm = _page_run(X, labels, 3, cov)
    rep = Reproduction(**{**rep.__dict__, "class_names": ("red", "green", "blue")})
    rows = list(csv.reader(io.StringIO(data_csv(rep))))
    assert rows[0] == ["x", "y", "true_class", "fitted_component", "p_1", "p_2", "p_3"]
    body = rows[1:]
    assert len(body) == len(X)
    assert np.array_equal(np.array([[float(r[0]), float(r[1])] for r in body]), X)
    assert [r[2] for r in body] == [("red", "green", "blue")[c] for c in labels]
    resp = np.array([[float(v) for v in r[4:]] for r in body])
    assert np.array_equal(resp, gm.predict_proba(X))
    assert [int(r[3]) for r in body] == list(gm.predict(X) + 1)


def test_csv_of_a_four_column_fit_has_every_column():
    X, labels, names, info = load("iris", columns=range(4))
    result = run_data(X, labels, k=3, cov="full", seed=2, n_init=2)
    columns = [f"col {j}" for j in range(4)]
    rep = reproduction(result, class_names=names, columns=columns)
    rows = list(csv.reader(io.StringIO(data_csv(rep))))
    probabilities = [f"p_{j + 1}" for j in range(3)]
    assert rows[0] == [*columns, "true_class", "fitted_component", *probabilities]
    body = rows[1:]
    assert np.array_equal(np.array([[float(v) for v in r[:4]] for r in body]), X)
    assert [r[4] for r in body] == [names[c] for c in labels]
    resp = np.array([[float(v) for v in r[6:]] for r in body])
    assert np.array_equal(resp, result.resp)


FORMULAS = ['=HYPERLINK("x")', "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"]


def test_csv_text_cells_never_start_a_formula():
    names = (*FORMULAS, "-1.5", "plain")
    X = np.array([[-1.5, 2.0]] * len(names))
    rep = Reproduction(
        X=X,
        n_components=1,
        columns=("=A1", "-1.5"),
        labels_true=np.arange(len(names)),
        class_names=names,
        resp=np.ones((len(names), 1)),
    )
    rows = list(csv.reader(io.StringIO(data_csv(rep), newline="")))
    assert rows[0][:2] == ["'=A1", "-1.5"]
    body = rows[1:]
    for row, name in zip(body, names, strict=True):
        if name in FORMULAS:
            # the text read back is the name behind one leading quote
            assert row[2] == "'" + name
        else:
            assert row[2] == name
        # numbers stay numbers, minus sign and all
        assert [float(v) for v in row[:2]] == [-1.5, 2.0]
        assert row[0] == "-1.5"
    # no cell a spreadsheet would run
    cells = [cell for row in rows for cell in row]
    starts = tuple(FORMULA_STARTS)
    assert [c for c in cells if c.startswith(starts) and not _is_number(c)] == []


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_csv_quotes_awkward_names():
    rep = Reproduction(X=np.zeros((2, 2)), n_components=1, columns=("a,b", 'say "hi"'))
    header = next(csv.reader(io.StringIO(data_csv(rep))))
    assert header == ["a,b", 'say "hi"']


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"covariance_type": "round"}, "covariance_type='round'"),
        ({"n_components": 0}, "n_components=0"),
        ({"columns": ("only",)}, "columns names 1 columns"),
        ({"labels_true": np.zeros(3)}, "labels_true has 3 entries"),
        ({"plot_columns": (0, 5)}, "plot_columns=(0, 5)"),
        ({"X": np.array([[np.nan, 1.0]])}, "finite"),
    ],
)
def test_bad_arguments_are_named(change, message):
    base = {"X": np.ones((4, 2)), "n_components": 2}
    with pytest.raises(
        ValueError, match=message.replace("(", r"\(").replace(")", r"\)")
    ):
        Reproduction(**{**base, **change})


def _printed(stdout: str) -> dict[str, float]:
    """The numbers a script printed, by name."""
    out = {}
    for key in ("log-likelihood", "AIC", "BIC", "ARI"):
        m = re.search(rf"^{key}: (-?[0-9.]+)$", stdout, re.MULTILINE)
        if m:
            out[key] = float(m.group(1))
    assert re.search(r"^iterations: \d+, converged: (True|False)$", stdout, re.M)
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
def test_script_with_its_own_starts_reproduces_the_run(settings, run_without_emcore):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = run(**settings)
    source = script(reproduction(result))
    compile(source, "<script>", "exec")
    assert 'init_params="k-means++"' in source and "reg_covar=1e-06" in source
    out = _printed(run_without_emcore(source))
    assert set(out) == {"log-likelihood", "AIC", "BIC", "ARI"}
    assert math.isclose(out["BIC"], result.bic, rel_tol=0.01), (out, result.bic)
    assert math.isclose(out["AIC"], result.aic, rel_tol=0.01)
    assert abs(out["ARI"] - result.ari) < 0.1


def test_script_of_a_dataset_reaches_the_fit_and_its_ari(run_without_emcore):
    X, labels, _, _ = load("iris")
    options = {"n_components": 3, "tol": 1e-4, "n_init": 3, "seed": 2}
    out = _printed(
        run_without_emcore(script(Reproduction(X=X, labels_true=labels, **options)))
    )
    gm = emcore.GaussianMixture(
        3, tol=1e-4, n_init=3, init_params="k-means++", random_state=0, reg_covar=1e-6
    ).fit(X)
    assert math.isclose(out["BIC"], gm.bic(X), rel_tol=0.01)
    assert out["ARI"] > 0.8
    # no labels: no ARI line, still runs
    out = _printed(
        run_without_emcore(
            script(Reproduction(X=X[:40], **{**options, "n_components": 2}))
        )
    )
    assert "ARI" not in out and "BIC" in out


def test_bad_values_never_reach_the_code():
    good = {"X": np.ones((4, 2)), "n_components": 2}
    with pytest.raises(ValueError, match="covariance_type="):
        Reproduction(**good, covariance_type="x); import os; (")
    with pytest.raises(ValueError, match="non-finite"):
        script(Reproduction(**good, tol=float("nan")))


# any Unicode in names and any title: the exports still run and print
AWKWARD = (
    "setosa 😀",
    'say "hi"',
    'tri"""ple',
    "two\nlines",
    "para\u2028sep",
    "rlo\u202eevil",
)


def _awkward_run():
    rng = np.random.default_rng(30)
    X = np.vstack([rng.normal(size=(20, 2)) + 4 * j for j in range(len(AWKWARD))])
    labels = np.repeat(np.arange(len(AWKWARD)), 20)
    return Reproduction(
        X=X,
        n_components=2,
        labels_true=labels,
        class_names=AWKWARD,
        columns=('a"""b', "😀 c\u2028"),
        title='x"""; import os \\ \n\u2028 😀 \u202e',
        n_init=1,
    )


def test_any_unicode_names_and_title_make_a_script_that_runs():
    import ast

    rep = _awkward_run()
    source = script(rep)
    tree = ast.parse(source)
    doc = ast.get_docstring(tree)
    # the title stays inside the docstring, on one line, without controls
    assert 'x"""; import os \\' in doc.splitlines()[0] and "😀" in doc
    assert not {"\u2028", "\u202e"} & set(doc)
    assert [type(node).__name__ for node in tree.body[:2]] == ["Expr", "Import"]


def test_any_unicode_class_names_print_from_the_notebook(run_without_emcore):
    rep = _awkward_run()
    got = run_without_emcore(notebook(rep), "[print(*CLASS_NAMES), CLASS_NAMES][1]")
    assert got == list(AWKWARD)
    cells = notebook(rep)["cells"]
    heading = cells[0]["source"][0]
    assert heading.startswith("# ") and heading.endswith("\n")
    assert 'x"""; import os' in heading and "\u2028" not in heading
    assert "😀" in run_without_emcore(script(rep))
