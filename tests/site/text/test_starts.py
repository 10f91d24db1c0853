"""simapp.text.starts: the starts panel in words."""

from __future__ import annotations

from simapp.text.starts import optima_phrase, start_button, starts_summary


def test_starts_summary_words():
    assert starts_summary(2, 3, 4) == (
        "2 distinct optima among 4 converged starts; the best reached by 3."
    )
    assert starts_summary(1, 1, 1) == "Local optima not checked (one start)."
    late = starts_summary(1, 2, 4, 3)
    assert late.startswith("1 distinct optimum among 3 converged starts")
    assert "1 start did not converge: not optima, not counted" in late
    assert starts_summary(0, 0, 4, 1).startswith("Local optima not checked")


def test_the_panel_and_the_status_line_say_the_same_count():
    from types import SimpleNamespace

    from simapp.text import messages

    for n_optima, converged in ((2, [True] * 4), (1, [True, False, True, True])):
        result = SimpleNamespace(
            converged=True,
            iterations=9,
            ari=None,
            verdict="WARN" if n_optima > 1 else "OK",
            verdict_checked=True,
            n_optima=n_optima,
            starts=[SimpleNamespace(converged=c) for c in converged],
        )
        phrase = optima_phrase(n_optima, sum(converged), len(converged))
        assert phrase in messages.done_message(result, 4)
        panel = starts_summary(n_optima, 1, len(converged), sum(converged))
        assert phrase in panel.lower()


def test_start_buttons_mark_the_best():
    assert start_button(2, -4.123456, best=False) == "Start 3: -4.1235"
    assert start_button(0, -4.1, best=True).endswith(" (best)")
