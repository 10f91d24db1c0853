"""simapp.text.bound: the bound panel's words."""

from __future__ import annotations

import re
from pathlib import Path

from simapp.text import bound as words


def test_off_chart_note_names_the_lowest_value():
    assert words.off_chart_note([]) == ""
    note = words.off_chart_note([-1.5e9, -2.25e9])
    assert "−2,250,000,000" in note and "k-means++" in note


def test_half_step_note_says_what_each_half_does():
    e = words.half_step_note(4, "E", -3e-13)
    assert e.startswith("Iteration 4, after the E-step") and "touches" in e
    assert "gap 0)" in e
    m = words.half_step_note(4, "M", 12.3456)
    assert "after the M-step" in m and "at least as much" in m and "12.35" in m


def test_away_from_temperature_one_the_note_says_the_bound_does_not_touch():
    note = words.half_step_note(2, "E", 3.5, 0.25)
    assert "temperature 0.25" in note and "not the posterior" in note
    assert "3.50 below log L" in note and "touches" not in note


def test_path_note_names_the_iteration_and_the_points():
    note = words.path_note(5, 21)
    assert note.startswith("Iteration 5 from θ of iteration 4 (s = 0)")
    assert "touching log L" in note and "21 points" in note
    warm = words.path_note(5, 41, 0.5)
    assert "temperature 0.5" in warm and "touching" not in warm
    assert "fewer" not in note
    assert "21 points on the path (fewer" in words.path_note(5, 21, reduced=True)


def test_the_pages_path_caption_is_the_text_modules():
    """index.html shows the caption before Python has loaded; the view
    writes the same words."""
    html = (Path(__file__).resolve().parents[3] / "site" / "index.html").read_text(
        encoding="utf-8"
    )
    static = re.search(r'<figcaption id="bound-path-caption">([^<]*)<', html)
    assert static is not None and static.group(1) == words.PATH_CAPTION


def test_the_bayes_note_says_vb_maximises_the_elbo_and_why_no_log_l():
    note = words.BAYES_NOTE
    assert note.startswith("Variational Bayes maximises the ELBO")
    assert "never evaluates log L" in note
    assert "distributions, not one θ" in note  # the why
