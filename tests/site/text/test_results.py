"""simapp.text.results: readable texts and exact data-values of a run."""

from __future__ import annotations

import math

import pytest
from simapp.text.results import (
    RESULT_IDS,
    format_number,
    format_result,
    frame_label,
    headline,
    ic_progress,
    ic_summary,
    loglik_for_chart,
)

from emcore.experiment import run


@pytest.fixture(scope="module")
def capped():
    return run(k=4, n=600, overlap=70, cov="full", iters=10, tol=1e-8, seed=3)


@pytest.fixture(scope="module")
def converged():
    return run(k=3, n=300, overlap=0, seed=7)


def test_every_result_id_gets_a_text_and_an_exact_value(converged):
    fields = format_result(converged)
    assert tuple(fields) == RESULT_IDS
    assert fields["result-params"].value == str(converged["params"])
    assert fields["result-iterations"].value == str(converged["iterations"])
    assert fields["result-converged"].value == "true"
    for name in ("loglik", "aic", "bic", "ari"):
        value = fields[f"result-{name}"].value
        assert float(value) == converged[name]  # repr round-trips exactly
    assert fields["result-verdict"].value == converged["verdict"]
    assert fields["result-verdict"].detail == converged["verdict_reason"]
    assert "converged" in fields["result-iterations"].text
    assert "per point" in fields["result-loglik"].detail


def test_a_capped_run_says_so(capped):
    assert capped["converged"] is False
    fields = format_result(capped)
    assert fields["result-converged"].value == "false"
    assert "capped at 10" in fields["result-iterations"].text
    assert fields["result-iterations"].kind == "warn"


def test_format_number():
    assert format_number(-1234.5678) == "\u22121,234.57"
    assert format_number(0.25, 4) == "0.2500"
    assert format_number(-0.001) == "0.00"  # no "-0.00"
    assert format_number(math.nan) == "n/a"


def test_labels_and_summaries():
    assert frame_label(0, 4, 7) == "start 1 of 4, iteration 7"
    assert frame_label(3, 4, 9, converged=True).endswith("(converged)")
    assert ic_summary(3, 4) == "BIC recommends K = 3, AIC K = 4."
    assert "both recommend K = 2" in ic_summary(2, 2, true_k=2)
    assert "1 of 8" in ic_progress([1], range(1, 9))


def test_loglik_for_chart_hides_only_outlying_first_iterations(converged):
    traces = converged["start_traces"]
    shown, note = loglik_for_chart(traces)
    assert [s[1:] for s in shown] == [list(t[1:]) for t in traces]
    for s, t in zip(shown, traces, strict=True):
        assert math.isnan(s[0]) == (t[0] < -1e3)
    assert ("off the chart" in note) == any(t[0] < -1e3 for t in traces)
    same, note = loglik_for_chart([[-5.0, -4.8, -4.7], [-4.9, -4.75]])
    assert same == [[-5.0, -4.8, -4.7], [-4.9, -4.75]] and note == ""
    assert loglik_for_chart([[-3e6]]) == ([[-3e6]], "")


def test_the_iris_pick_is_named_suspect_with_the_healthy_pick_beside_it():
    from simapp.data import datasets
    from simapp.text.results import pick_warning

    from emcore.experiment import run_data

    X, labels, _, _ = datasets.load("iris")
    result = run_data(X, labels, k=3, cov="full", seed=3, n_init=2)
    text, healthy = pick_warning(result)
    k_bic = result["best_k_bic"]
    assert text.startswith("Caution: ")
    assert f"K = {k_bic} rests on suspect components" in text
    assert "sits on duplicated points" in text  # names the component and why
    assert f"BIC K = {result['best_k_bic_healthy']}" in text
    assert healthy["bic"] == result["best_k_bic_healthy"] < k_bic


def test_no_warning_when_every_pick_is_healthy():
    from simapp.text.results import pick_warning

    from emcore.experiment import run

    result = run(k=3, n=300, overlap=10, seed=4, n_init=1)
    assert all(note == "" for note in result["pick_notes"].values())
    assert pick_warning(result) == (
        "",
        {
            "bic": result["best_k_bic"],
            "aic": result["best_k_aic"],
            "icl": result["best_k_icl"],
        },
    )


def test_the_headline_names_the_fits_own_numbers(converged, capped):
    line = headline(format_result(converged))
    parts = line.split(" · ")
    assert parts[0] == f"log L {format_number(converged['loglik'])}"
    assert parts[1] == f"BIC {format_number(converged['bic'])}"
    assert parts[2] == f"ARI {format_number(converged['ari'], 4)}"
    assert len(parts) == 3  # converged: no warning
    assert headline(format_result(capped)).endswith(" · not converged")
    no_truth = format_result({**converged, "ari": None})
    assert "ARI" not in headline(no_truth)
