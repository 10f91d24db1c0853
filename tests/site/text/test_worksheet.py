"""The worksheet's wording: templates, the settings line, titles, captions."""

from __future__ import annotations

import pytest
from simapp.text import worksheet as words


def test_every_template_names_its_numbers_by_plain_names():
    items = [*words.GENERIC, *(i for v in words.LESSON_ITEMS.values() for i in v)]
    for item in items:
        assert "?" in item.question, item.question
        assert item.answer.endswith("."), item.answer
        assert item.lines in (words.ANSWER_LINES, words.WHY_LINES)
        for name in words.fields(item):
            assert name.isidentifier() and name in words.VALUE_NAMES
    assert len({i.topic for i in words.GENERIC}) == len(words.GENERIC)
    assert len(words.GENERIC) >= words.MAX_QUESTIONS


def test_fields_lists_the_template_fields():
    item = words.Item("t", "K = {k}, twice {k}?", "{bic_k} and {log_n}.")
    assert words.fields(item) == {"k", "bic_k", "log_n"}


def test_the_settings_line_of_simulated_data():
    s = {"k": 4, "cov": "tied", "n": 300, "overlap": 12.5, "seed": 9, "n_init": 3}
    assert words.settings_line(s) == (
        "K = 4 components, tied covariances · 300 simulated points, 12.5 % "
        "overlap · 3 starts (k-means++) · seed 9"
    )


def test_the_settings_line_of_named_data_drops_bidi_controls():
    s = {"k": 2, "cov": "full", "n": 150, "overlap": None, "seed": 1, "n_init": 1}
    line = words.settings_line(s, "Iris\u202e petals", ("a\u2066", "b"))
    assert (
        line
        == "K = 2 components, full covariances · Iris petals (classes: a, b) · seed 1"
    )


def test_titles_and_captions():
    assert words.page_title("") == "Worksheet: Your settings"
    assert words.page_title("Choosing K") == "Worksheet: Choosing K"
    assert "log-likelihood" in words.figure_caption("loglik").lower()
    with pytest.raises(ValueError, match="chart 'pie'; allowed: cluster, loglik, ic"):
        words.figure_caption("pie")


@pytest.mark.parametrize(
    ("mixture", "kmeans", "said"),
    [(0.9, 0.5, "the mixture"), (0.2, 0.7, "k-means"), (0.5, 0.5, "neither")],
)
def test_better_of_names_the_higher_ari(mixture, kmeans, said):
    assert words.better_of(mixture, kmeans).startswith(said)
