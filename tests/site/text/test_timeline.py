"""simapp.text.timeline: the timeline's label and Play button."""

from __future__ import annotations

import pytest
from simapp.text import timeline as T


def test_timeline_texts_follow_the_mode():
    assert T.timeline_text("start", 0, 9, 2, True).startswith("Showing start 1's")
    assert "(2 starts recorded, 9 half-steps)" in T.timeline_text(
        "live", None, 9, 2, True
    )
    assert T.timeline_text("live", None, 3, 1, False).startswith("EM is running")
    assert T.timeline_text("live", None, 0, 0, False).startswith("Step through")


@pytest.mark.parametrize("phase", ["init", "e", "m"])
def test_position_labels_say_the_half_step(phase):
    text = T.position_label(1, 3, 4, phase, loglik=-2.345678)
    assert text.startswith("Start 2 of 3, iteration 4: ")
    assert T.PHASE_WORDS[phase] in text and "(log L per point -2.3457)" in text
    assert "converged" not in text
    assert T.position_label(0, 1, 9, "m", converged=True).endswith("; converged")


def test_a_starts_huge_negative_log_likelihood_reads_plainly():
    # a k-means++ start's single-point components give millions per point
    text = T.position_label(0, 4, 1, "e", loglik=-3262464.4648)
    assert "-3262464.4648" not in text and "million" in text
    assert "-2.3457" in T.position_label(0, 4, 1, "e", loglik=-2.34567)
    # the initial frame's -inf is left out rather than printed
    assert "log L" not in T.position_label(0, 4, 0, "init", loglik=float("-inf"))
