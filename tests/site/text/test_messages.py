"""simapp.text.messages: the status line, load errors and data-source texts."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from simapp.state import settings as S
from simapp.text import messages as M


@pytest.mark.parametrize(
    ("n", "what", "text"),
    [
        (1, "", "1 start"),
        (2, "", "2 starts"),
        (10, "k-means++ ", "10 k-means++ starts"),
    ],
)
def test_starts_counts_in_words(n, what, text):
    assert M.starts(n, what) == text


def test_running_message_names_every_setting():
    s = S.Settings(k=4, n=700, overlap=35, cov="diag", seed=12, n_init=1)
    text = M.running_message(s)
    for part in ("K = 4", "N = 700", "overlap 35 %", "diag covariances", "seed 12"):
        assert part in text
    assert "1 start," in text


@pytest.mark.parametrize("skipping", [False, True])
def test_phase_messages(skipping):
    settings = {"n_init": 3, "n": 250, "k": 2}
    em = M.phase_message("em", settings, (1, 2, 8), skipping=skipping)
    assert "3 k-means++ starts on 250 points, K = 2" in em
    assert ("animation skipped" in em) is skipping
    sweep = M.phase_message("sweep", settings, (1, 2, 8), skipping=skipping)
    assert "K = 1–8" in sweep
    assert M.phase_message("done", settings, (1, 8), skipping=skipping) is None


@pytest.mark.parametrize(
    ("converged", "ari", "words"),
    [(True, 0.91234, "converged"), (False, None, "hit the iteration cap")],
)
def test_done_message(converged, ari, words):
    # the result's fields the status line reads
    result = SimpleNamespace(
        converged=converged,
        iterations=17,
        ari=ari,
        verdict="OK",
        verdict_checked=True,
        n_optima=1,
        starts=[SimpleNamespace(converged=True)] * 4,
    )
    text = M.done_message(result, 4)
    assert f"EM {words} after 17 iterations (best of 4 starts)" in text
    assert ("ARI 0.912" if ari else "ARI n/a") in text
    assert text.endswith("The address bar now links to this run.")
    embedded = M.done_message(result, 4, embedded=True)
    assert "address bar" not in embedded and embedded.startswith("Done: EM")


@pytest.mark.parametrize(
    ("info", "reason", "fix"),
    [
        ({"mode": "cdn"}, "Pyodide CDN", "check your internet connection"),
        ({"mode": "vendor"}, "does not carry", "rebuild with"),
        (
            {"mode": "vendor", "numpy_wheel": "numpy-x.whl"},
            "(numpy-x.whl) did not load",
            "rebuild with",
        ),
    ],
)
def test_numpy_load_errors_say_why_and_how_to_fix(info, reason, fix):
    text = M.numpy_load_error(info)
    assert text.startswith("numpy could not be loaded:")
    assert reason in text and f"Fix: {fix}" in text


def test_emcore_and_start_failures_name_the_problem():
    assert "wheels/emcore-1.whl" in M.emcore_load_error("wheels/emcore-1.whl")
    text = M.start_failure(KeyError("x"))
    assert "KeyError" in text and "python build.py" in text
    text = M.unexpected_error(RuntimeError("boom"), "drawing")
    assert text.startswith("Something went wrong while drawing (RuntimeError: boom)")


def test_data_sentences():
    assert M.data_hint("paste") == "paste a table and press Use these data first"
    assert M.data_hint("nothing") == "load data first"
    assert M.data_prompt("click").startswith("Click the data chart")
    assert M.data_prompt("upload").startswith("Choose a file")
    unlabelled = M.data_summary("Mine", 12, (), False)
    assert unlabelled == "Mine: 12 points, no class column (no ARI)."
    many = M.data_summary("T", 5, tuple("abcdefgh"), True)
    assert "8 true classes (a, b, c, d, e, f)" in many


def test_dataset_info_and_columns_hint():
    two = M.dataset_info("Flowers.", ("a", "b"), ("a (cm)", "b (cm)"), "R.", "CC0")
    assert two == "Flowers. x: a (cm); y: b (cm). Source: R. Licence: CC0"
    many = M.dataset_info("Flowers.", ("a", "b", "c"), ("a", "b"), "R.", "CC0")
    assert "Fitted: a, b, c." in many
    assert M.columns_hint(("p", "q")).endswith("Numeric columns: p, q")
    assert M.adjusted_heading("The link's settings") == (
        "The link's settings were adjusted:"
    )
