"""simapp.text.gallery: a title and one line for every gallery data set."""

from __future__ import annotations

import pytest
from simapp.text import gallery

from emcore.initialization import INIT_METHODS
from emcore.synthetic import GALLERY


def test_every_data_set_has_a_title_and_one_line_in_menu_order():
    assert list(gallery.TITLES) == list(GALLERY) == list(gallery.WHAT_GOES_WRONG)
    for name in GALLERY:
        line = gallery.WHAT_GOES_WRONG[name]
        assert "\n" not in line and line.endswith(".") and len(line) <= 110
        assert gallery.menu_label(name).lower().startswith(name)


def test_every_start_is_described():
    assert set(gallery.INIT_DESCRIPTIONS) == set(INIT_METHODS)
    assert "default" in gallery.INIT_DESCRIPTIONS["k-means++"]


@pytest.mark.parametrize(
    ("caught", "planted", "flagged", "expected"),
    [
        (
            19,
            25,
            25,
            "19 of the 25 planted outliers flagged: precision 0.76, recall 0.76.",
        ),
        (
            10,
            25,
            40,
            "10 of the 25 planted outliers flagged: precision 0.25, recall 0.40.",
        ),
        (0, 0, 25, "No outliers were planted in these data."),
    ],
)
def test_caught_sentence(caught, planted, flagged, expected):
    assert gallery.caught_sentence(caught, planted, flagged) == expected
