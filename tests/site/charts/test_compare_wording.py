"""Issue 12's small inconsistencies: what the page says matches what it does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from simapp.charts import compare
from simapp.state.pagestate import IC_CRITERIA

SITE = Path(__file__).resolve().parents[3] / "site"


def _plain(html: str) -> str:
    text = re.sub(r"<math.*?</math>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())


def test_the_theory_says_icl_is_plotted_exactly_when_the_panel_offers_it():
    text = _plain((SITE / "theory.html").read_text(encoding="utf-8"))
    sentences = [s for s in re.split(r"(?<=[.!?])\s", text) if "ICL" in s]
    denies = [s for s in sentences if re.search(r"(does not|doesn't|not) plot", s)]
    claims = [s for s in sentences if re.search(r"\bplots? it\b|plots ICL", s)]
    if "icl" in IC_CRITERIA:
        assert not denies, denies
        assert claims, "the theory should say where ICL is plotted"
    else:
        assert not claims, claims


@pytest.mark.parametrize("cov", ["full", "tied", "diag", "spherical"])
@pytest.mark.parametrize("criterion", IC_CRITERIA)
@pytest.mark.parametrize("complete", [True, False])
def test_the_comparison_summary_says_each_thing_once(cov, criterion, complete):
    text = compare.best_text((cov, 3), criterion, complete=complete)
    assert text.count("K = 3") == 1, text
    assert len(re.findall(rf"\b{cov}", text)) == 1, text  # the type named once
    assert not re.search(r"\)\s*\(", text), text  # no "(…) (full, K = 3)"
    assert text.count(criterion.upper()) == 1, text
