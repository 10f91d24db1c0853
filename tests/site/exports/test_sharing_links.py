"""simapp.exports.sharing: file names, the full simulator's link, link notes."""

from __future__ import annotations

import pytest
from simapp.exports import sharing


def test_file_names_are_safe_and_descriptive():
    name = sharing.file_name("ic", "png", k=4, cov="spherical", seed=12)
    assert name == "em-gmm-ic-simulated-k4-spherical-seed12.png"
    odd = sharing.file_name("params", "json", k=2, cov="full", seed=0, source="../é x")
    assert "/" not in odd and ".." not in odd and odd.endswith(".json")
    assert sharing.file_name("x", "py", k=2, cov="full", seed=1, source="") == (
        "em-gmm-x-data-k2-full-seed1.py"
    )


def test_full_simulator_link_drops_only_embed():
    q = "k=3&embed=1&EMBED=0&compare=1&run=1"
    assert sharing.full_simulator_query("?" + q) == "k=3&compare=1&run=1"
    assert sharing.full_simulator_query("") == ""


def test_link_notes():
    assert "exactly" in sharing.link_note("simulated")
    for kind in ("upload", "paste", "click"):
        assert "cannot carry" in sharing.link_note(kind)
    with pytest.raises(ValueError):
        sharing.link_note("ftp")
