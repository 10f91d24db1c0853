"""The page's sentences (status line, captions, load errors) in CPython."""

from __future__ import annotations

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
    result = {"converged": converged, "iterations": 17, "ari": ari, "verdict": "ok"}
    text = M.done_message(result, 4)
    assert f"EM {words} after 17 iterations (best of 4 starts)" in text
    assert ("ARI 0.912" if ari else "ARI n/a") in text
    assert text.endswith("The address bar now links to this run.")
    embedded = M.done_message(result, 4, embedded=True)
    assert "address bar" not in embedded and embedded.startswith("Done: EM")


def test_run_stats_without_and_with_animation():
    assert M.run_stats(1.234, None, 0.0456) == (
        "Run took 1.23 s; longest pause of the page 46 ms."
    )
    assert "animation 30 iterations/s" in M.run_stats(2.0, 29.8, 0.01)


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
    clicking = M.own_data_label("Yours", 3, clicking=True, fitted=False)
    assert clicking.startswith("3 clicked points")
    assert M.own_data_label("Yours", 3, clicking=True, fitted=True) == (
        "Yours: 3 points; EM starts next"
    )


@pytest.mark.parametrize(
    ("phase", "tail"),
    [("init", " initial"), ("e", " after the E-step"), ("m", " (M-step)")],
)
def test_history_captions(phase, tail):
    head = M.frame_head("timeline", None, phase=phase, start=1, iteration=4)
    assert head == "History: start 2, iteration 4" + tail
    assert M.frame_head("start", 2) == "Start 3's final solution"
    assert M.frame_head("timeline", None) == "History"


def test_timeline_texts_follow_the_mode():
    assert M.timeline_text("start", 0, 9, 2, True).startswith("Showing start 1's")
    assert "(2 starts recorded, 9 half-steps)" in M.timeline_text(
        "live", None, 9, 2, True
    )
    assert M.timeline_text("live", None, 3, 1, False).startswith("EM is running")
    assert M.timeline_text("live", None, 0, 0, False).startswith("Step through")
