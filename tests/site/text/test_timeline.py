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
