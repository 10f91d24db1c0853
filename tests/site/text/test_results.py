"""simapp.text.results: readable texts and exact data-values of a run."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from simapp.text.results import (
    RESULT_IDS,
    fit_vs_truth,
    format_number,
    format_result,
    headline,
    run_stats,
)

from emcore.experiment import run, run_data


@pytest.fixture(scope="module")
def capped():
    return run(k=4, n=600, overlap=70, cov="full", iters=10, tol=1e-8, seed=3)


@pytest.fixture(scope="module")
def converged():
    return run(k=3, n=300, overlap=0, seed=7)


def test_every_result_id_gets_a_text_and_an_exact_value(converged):
    fields = format_result(converged)
    assert tuple(fields) == RESULT_IDS
    assert fields["result-params"].value == str(converged.params)
    assert fields["result-iterations"].value == str(converged.iterations)
    assert fields["result-converged"].value == "true"
    for name in ("loglik", "aic", "bic", "ari"):
        value = fields[f"result-{name}"].value
        assert float(value) == getattr(converged, name)  # repr round-trips exactly
    assert fields["result-verdict"].value == converged.verdict
    assert fields["result-verdict"].detail == converged.verdict_reason
    assert "converged" in fields["result-iterations"].text
    assert "per point" in fields["result-loglik"].detail


def test_a_capped_run_says_so(capped):
    assert capped.converged is False
    fields = format_result(capped)
    assert fields["result-converged"].value == "false"
    assert "capped at 10" in fields["result-iterations"].text
    assert fields["result-iterations"].kind == "warn"


def test_format_number():
    assert format_number(-1234.5678) == "\u22121,234.57"
    assert format_number(0.25, 4) == "0.2500"
    assert format_number(-0.001) == "0.00"  # no "-0.00"
    assert format_number(math.nan) == "n/a"


def test_the_headline_names_the_fits_own_numbers(converged, capped):
    line = headline(format_result(converged))
    parts = line.split(" · ")
    assert parts[0] == f"log L {format_number(converged.loglik)}"
    assert parts[1] == f"BIC {format_number(converged.bic)}"
    assert parts[2] == f"ARI {format_number(converged.ari, 4)}"
    assert len(parts) == 3  # converged: no warning
    assert headline(format_result(capped)).endswith(" · not converged")
    no_truth = format_result(dataclasses.replace(converged, ari=None))
    assert "ARI" not in headline(no_truth)


def test_results_without_labels_show_no_ari():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 1, (30, 2)), rng.normal(5, 1, (30, 2))])
    fields = format_result(run_data(X, k=2, seed=1, n_init=1))
    assert fields["result-ari"].value == ""
    assert "n/a" in fields["result-ari"].text


@pytest.mark.parametrize(
    ("k", "k_true", "kind", "word"),
    [
        (4, 2, "over", "Over-fitting"),
        (2, 5, "under", "Under-fitting"),
        (3, 3, "match", "as many"),
    ],
)
def test_fit_vs_truth(k, k_true, kind, word):
    text, got = fit_vs_truth(k, k_true, 3)
    assert got == kind and word in text and "BIC picks K = 3" in text
    assert ("the right number" in text) == (k_true == 3)
    text, got = fit_vs_truth(3, None, 2)
    assert got == "unknown" and "K = 2" in text


def test_run_stats_without_and_with_animation():
    assert run_stats(1.234, None, 0.0456) == (
        "Run took 1.23 s; longest pause of the page 46 ms."
    )
    assert "animation 30 iterations/s" in run_stats(2.0, 29.8, 0.01)


@pytest.mark.parametrize("k_true", [2, 4, 6])
@pytest.mark.parametrize("k", [2, 4, 6])
def test_fit_vs_truth_names_over_and_under_fitting_when_k_passes_k_true(k, k_true):
    text, kind = fit_vs_truth(k, k_true, k)
    expected = "over" if k > k_true else "under" if k < k_true else "match"
    assert kind == expected
    assert ("as many as the data have" in text) == (k == k_true)
    if k != k_true:
        assert f"{expected.capitalize()}-fitting" in text
        assert f"{k_true} clusters" in text
