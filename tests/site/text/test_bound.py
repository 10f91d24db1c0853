"""simapp.text.bound: the bound panel's words."""

from __future__ import annotations

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
