"""simapp.text.results: the Bayesian fit's result card and sweep note."""

from __future__ import annotations

import pytest
from simapp.text import results


@pytest.mark.parametrize(("active", "k"), [(2, 6), (1, 2), (6, 6)])
def test_the_card_counts_components_in_use_of_k(active, k):
    assert results.active_text(active, k) == f"{active} of {k}"


def test_the_notes_say_what_counts_and_that_the_sweep_stays_em():
    assert "above 1 %" in results.ACTIVE_NOTE
    assert (
        "AIC/BIC chart" in results.BAYES_SWEEP_NOTE
        and "EM fits" in results.BAYES_SWEEP_NOTE
    )
    assert "ELBO per point" in results.BAYES_TRACE_NOTE
