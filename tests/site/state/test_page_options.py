"""The page-only options of the settings (compare, data, embed, run): parsed,
round-tripped through the URL and kept out of emcore's keywords."""

from __future__ import annotations

import pytest
from simapp.data import datasets, gallery
from simapp.state.settings import (
    DATA_NAMES,
    Settings,
    parse_query_string,
    parse_settings,
    settings_to_query,
)


def test_page_options_parse_and_round_trip():
    s, notes = parse_settings(
        {"compare": "1", "data": "Penguins", "embed": "yes", "seed": "3"}
    )
    assert notes == []
    assert (s.compare, s.data, s.embed) == (True, "palmer_penguins", True)
    q = settings_to_query(s, run=True)
    assert q.endswith("&compare=1&data=penguins&embed=1&run=1")
    back, notes = parse_settings(parse_query_string(q), default_seed=0)
    assert back == s.with_changes(run=True) and notes == []
    assert s.to_run_kwargs()["compare"] is True
    assert "compare" not in Settings().to_run_kwargs()
    for page_only in ("data", "embed", "run"):
        assert page_only not in s.to_run_kwargs()


def test_bad_page_options_give_notes():
    s, notes = parse_settings({"data": "<script>", "compare": "maybe"})
    assert s.data == "" and s.compare is False
    assert any("data=" in n and "iris" in n for n in notes)
    assert any(n.startswith("compare=") for n in notes)
    with pytest.raises(ValueError):
        Settings(data="old_faithful")


def test_data_names_are_the_bundled_datasets_and_the_gallery():
    assert set(DATA_NAMES.values()) == set(datasets.names()) | set(gallery.NAMES)
