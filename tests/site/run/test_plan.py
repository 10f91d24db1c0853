"""simapp.run.plan: what a run computes, and the data shown before one."""

from __future__ import annotations

import numpy as np
import pytest
from simapp.run.plan import run_events, simulated_model


@pytest.mark.parametrize("cov", ["full", "diag", "spherical", "tied"])
def test_the_data_shown_before_a_run_are_the_data_it_fits(cov):
    settings = {"k": 4, "n": 300, "overlap": 40, "seed": 11, "cov": cov}
    model = simulated_model(settings)
    _, events = run_events(settings)
    data = next(events)
    events.close()
    np.testing.assert_array_equal(model.data.X, data.X)
    np.testing.assert_array_equal(model.data.true_means, data.true_means)
    # nothing fitted yet: grey points, no start, no result
    assert model.counts == {"data": 1} and model.result is None
    assert model.frame is None


def test_other_settings_show_other_data():
    a = simulated_model({"k": 3, "n": 200, "seed": 1})
    b = simulated_model({"k": 3, "n": 200, "seed": 2})
    assert a.data.X.shape == b.data.X.shape == (200, 2)
    assert not np.array_equal(a.data.X, b.data.X)


# ------------------------------------------------------- the k-means trap
def _cigars_ari(query: str) -> float:
    """The ARI of a run of the page's link ``query`` (default seed), through
    the page's state and run plan."""
    from simapp.state import actions as A
    from simapp.state.reducer import reducer
    from simapp.state.url import state_from_query

    state, notes = state_from_query(query)
    assert notes == []
    state, _ = reducer(state, A.Ready("ready"))
    _, events = run_events(*state.run_inputs)
    result = [event for event in events if event.kind == "done"][0].result
    return result.ari


@pytest.mark.parametrize("cov", ["full", "diag", "spherical", "tied"])
def test_cigars_trap_the_default_start(cov):
    """k-means++ cuts the two cigars across: about no agreement with them."""
    assert _cigars_ari(f"data=cigars&k=2&cov={cov}") < 0.5


@pytest.mark.parametrize("cov", ["full", "tied"])
def test_the_whitened_start_finds_the_cigars(cov):
    """Only covariances that can tilt follow the cigars from that start."""
    assert _cigars_ari(f"data=cigars&k=2&cov={cov}&init=whitened") > 0.9
