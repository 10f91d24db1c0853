"""simapp.text.starts: the starts panel in words."""

from __future__ import annotations

from simapp.text.starts import start_button, starts_summary


def test_starts_summary_words():
    assert starts_summary(2, 3, 4) == (
        "2 distinct optima; the best reached by 3 of 4 starts."
    )
    assert starts_summary(1, 1, 1).startswith("1 distinct optimum;")


def test_start_buttons_mark_the_best():
    assert start_button(2, -4.123456, best=False) == "Start 3: -4.1235"
    assert start_button(0, -4.1, best=True).endswith(" (best)")
