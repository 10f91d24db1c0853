"""``covs0``, the watched fit's starting covariances: the rule that keeps
them a start (:mod:`simapp.state.startcov`), their link form and notes, the
reducer's :class:`~simapp.state.actions.StartShaped` and the run from them."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from simapp.run.plan import run_events
from simapp.state import actions as A
from simapp.state import settings as S
from simapp.state import startcov
from simapp.state.pagestate import PageState
from simapp.state.reducer import reducer
from simapp.state.url import state_from_query, state_to_query


def ready(**settings) -> PageState:
    return PageState(status="ready", settings=S.Settings(**settings))


def random_covs(k: int, cov: str, seed: int) -> tuple:
    """A start's covariances of ``cov`` for ``k`` components (tied: one)."""
    rng = np.random.default_rng(seed)
    covs = []
    for _ in range(startcov.covs0_count(k, cov)):
        sd = rng.uniform(0.1, 5.0, size=2)
        angle = rng.uniform(-math.pi, math.pi)
        covs.append(startcov.cov_from_axes(sd[0], sd[1], angle, cov))
    return tuple(covs)


def link(covs) -> str:
    return ";".join(",".join(repr(v) for v in c) for c in covs)


@pytest.mark.parametrize("cov", startcov.SHAPED_COVS)
@pytest.mark.parametrize("k", [2, 3, 6])
def test_the_link_carries_the_covariances_and_reads_them_back(k, cov):
    covs = random_covs(k, cov, seed=k)
    state, notes = state_from_query(f"k={k}&cov={cov}&covs0={link(covs)}")
    assert notes == [] and state.settings.covs0 == covs
    again, notes = state_from_query(state_to_query(state))
    assert notes == [] and again.settings == state.settings.with_changes(run=True)
    precisions = np.asarray(state.settings.to_run_kwargs()["precisions_init"])
    if cov == "tied":  # one (2, 2) matrix, emcore's shape for tied
        assert precisions.shape == (2, 2)
        precisions = precisions[None]
    for (a, b, c), p in zip(covs, precisions, strict=True):
        if cov == "spherical":  # one variance per component: (k,)
            assert b == 0.0 and a == c and p == pytest.approx(1 / a)
        elif cov == "diag":
            np.testing.assert_allclose(p, [1 / a, 1 / c])
        else:
            np.testing.assert_allclose(p @ [[a, b], [b, c]], np.eye(2), atol=1e-9)


def test_no_covariances_leave_the_link_and_the_run_alone():
    settings = S.Settings()
    assert "covs0" not in S.settings_to_query(settings)
    assert "precisions_init" not in settings.to_run_kwargs()


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("covs0=1,0,1;1,0,1", "covs0 has 2 covariances but cov=full has k=3"),
        ("covs0=1,0,1;1,0;1,0,1", 'covariance 2 ("1,0") is not three numbers'),
        ("covs0=1,0,1;1,x,1;1,0,1", "is not three numbers a,b,c"),
        ("covs0=1,0,1;1,2,1;1,0,1", 'covariance 2 ("1,2,1") is not positive definite'),
        ("covs0=-1,0,1;1,0,1;1,0,1", "is not positive definite"),
        ("covs0=1,0,1e-7;1,0,1;1,0,1", "is nearly singular"),
        ("covs0=1e6,0,1;1,0,1;1,0,1", "is nearly singular"),
        ("cov=diag&covs0=1,0.5,1;1,0,1;1,0,1", "is not axis-aligned"),
        ("cov=tied&covs0=1,0,1;1,0,1;1,0,1", "has one a,b,c (the shared matrix)"),
        ("cov=tied&covs0=1,2,1", 'covariance 1 ("1,2,1") is not positive definite'),
        ("cov=tied&covs0=1,0,1e-7", "is nearly singular"),
        ("cov=spherical&covs0=1,0,1;1,0,1", "but cov=spherical has k=3"),
        ("cov=spherical&covs0=1,0,1;2,0,1;1,0,1", "is not a circle"),
        ("cov=spherical&covs0=1,0,1;1,0.1,1;1,0,1", "is not a circle"),
        ("cov=spherical&covs0=1,0,1;-1,0,-1;1,0,1", "is not positive definite"),
    ],
)
def test_a_bad_covariance_is_named_and_the_usual_start_used(query, words):
    state, notes = state_from_query(f"k=3&{query}")
    assert state.settings.covs0 == ()
    assert len(notes) == 1 and words in notes[0] and "usual start" in notes[0]
    assert "covs0" not in state_to_query(state)
    assert "precisions_init" not in state.settings.to_run_kwargs()


@settings(max_examples=200, deadline=None)
@given(
    sd1=st.floats(1e-9, 1e6),
    sd2=st.floats(1e-9, 1e6),
    angle=st.floats(-10.0, 10.0),
    cov=st.sampled_from(startcov.SHAPED_COVS),
)
def test_any_drag_gives_a_start_the_link_keeps(sd1, sd2, angle, cov):
    """The rule: whatever the handle's length and turn, the clamped and
    rounded covariance is one a link reads back unchanged, without a note."""
    a, b, c = startcov.cov_from_axes(sd1, sd2, angle, cov)
    notes: list[str] = []
    text = startcov.covs0_label(((a, b, c),))
    assert startcov.parse_covs0(text, 1, cov, notes) == ((a, b, c),), notes
    big, small, _ = startcov.axes_of(a, b, c)
    # six digits of a thin turned matrix move its smaller variance by ~1 %
    assert small >= startcov.MIN_SD * 0.98
    assert small >= big / startcov.MAX_AXIS_RATIO * 0.98


@pytest.mark.parametrize("angle", [0.0, 0.4, -1.2, 2.0])
def test_axes_are_those_of_the_covariance_they_give(angle):
    a, b, c = startcov.cov_from_axes(3.0, 0.5, angle, "full")
    sd1, sd2, back = startcov.axes_of(a, b, c)
    assert sd1 == pytest.approx(3.0, rel=1e-5) and sd2 == pytest.approx(0.5, rel=1e-4)
    # an axis has no sign: the angle is the same modulo half a turn
    assert math.sin(back - angle) == pytest.approx(0.0, abs=1e-5)


def test_diag_keeps_its_axes_along_x_and_y():
    assert startcov.cov_from_axes(2.0, 1.0, 0.3, "diag") == (4.0, 0.0, 1.0)
    assert startcov.cov_from_axes(2.0, 1.0, 1.4, "diag") == (1.0, 0.0, 4.0)
    with pytest.raises(ValueError, match="cov='none'"):
        startcov.cov_from_axes(2.0, 1.0, 0.0, "none")


def test_spherical_is_a_circle_of_the_dragged_radius():
    assert startcov.cov_from_axes(3.0, 1.0, 0.7, "spherical") == (9.0, 0.0, 9.0)
    small = startcov.MIN_SD**2
    assert startcov.cov_from_axes(0.0, 5.0, 0.0, "spherical") == (small, 0.0, small)


def test_hand_built_settings_refuse_a_malformed_start():
    with pytest.raises(ValueError, match="covs0"):
        S.Settings(k=2, covs0=((1.0, 0.0), (1.0, 0.0, 1.0)))


@pytest.mark.parametrize("cov", startcov.SHAPED_COVS)
def test_shaping_a_start_runs_em_from_it(cov):
    means = ((0.0, 1.0), (2.0, -1.0), (1.0, 3.0))
    covs = random_covs(3, cov, seed=4)
    state, effects = reducer(ready(k=3, cov=cov), A.StartShaped(means, covs))
    assert state.settings.covs0 == covs and state.settings.means0 == means
    assert state.running and effects == [A.StartRun(1), A.ReplaceUrl()]
    assert f"covs0={startcov.covs0_label(covs)}" in state_to_query(state)
    _, events = run_events(*state.run_inputs[:1])
    next(events)  # the data
    init = next(e for e in events if e.kind == "init")
    np.testing.assert_allclose(init.means, means)
    shown = [[[a, b], [b, c]] for a, b, c in covs] * (3 // len(covs))
    np.testing.assert_allclose(init.covariances, shown, rtol=1e-9, atol=1e-12)


def test_a_shape_that_is_no_start_is_refused_by_name():
    means = ((0.0, 0.0), (1.0, 1.0))
    with pytest.raises(ValueError, match="not positive definite"):
        reducer(ready(k=2), A.StartShaped(means, ((1.0, 2.0, 1.0), (1.0, 0.0, 1.0))))
    with pytest.raises(ValueError, match="cov=tied"):
        reducer(ready(k=2, cov="tied"), A.StartShaped(means, ((1.0, 0.0, 1.0),) * 2))
    with pytest.raises(ValueError, match="not a circle"):
        circle = ((1.0, 0.0, 2.0), (1.0, 0.0, 1.0))
        reducer(ready(k=2, cov="spherical"), A.StartShaped(means, circle))


def test_the_usual_start_forgets_the_covariances_too():
    state = ready(k=2, means0=((0.0, 0.0), (1.0, 1.0)), covs0=((1.0, 0.0, 1.0),) * 2)
    usual, _ = reducer(state, A.StartMoved(()))
    assert usual.settings.means0 == () and usual.settings.covs0 == ()
    moved, _ = reducer(state, A.StartMoved(((5.0, 5.0), (6.0, 6.0))))
    assert moved.settings.covs0 == state.settings.covs0


def test_the_covariances_survive_other_edits_but_not_a_new_k_or_type():
    covs = ((1.0, 0.0, 1.0), (2.0, 0.5, 1.0))
    edit = A.ControlsEdited((("k", "2"), ("n", "300")))
    kept, _ = reducer(ready(k=2, covs0=covs), edit)
    assert kept.settings.covs0 == covs and kept.notes == ()
    for edit, words in (
        ((("k", "3"),), "k=3"),
        ((("k", "2"), ("cov", "diag")), "not axis-aligned"),
        ((("k", "2"), ("cov", "tied")), "has one a,b,c"),
        ((("k", "2"), ("cov", "spherical")), "not a circle"),
    ):
        changed, _ = reducer(ready(k=2, covs0=covs), A.ControlsEdited(edit))
        assert changed.settings.covs0 == ()
        assert any(words in note for note in changed.notes), changed.notes


def test_other_data_forget_the_covariances():
    state = ready(k=3, covs0=((1.0, 0.0, 1.0),) * 3)
    other, _ = reducer(state, A.DatasetChosen("iris"))
    assert other.settings.covs0 == ()


@pytest.mark.parametrize("cov", ["spherical", "tied"])
def test_emcore_starts_from_the_link_covariances(cov):
    """emcore itself, given the link's start as its options, begins at
    ``covs0``: spherical one variance per component, tied the one matrix
    every component shares."""
    from emcore.experiment import iterate

    covs = random_covs(3, cov, seed=11)
    means = ((0.0, 1.0), (2.0, -1.0), (1.0, 3.0))
    state, notes = state_from_query(
        f"k=3&cov={cov}&means0={link(means)}&covs0={link(covs)}"
    )
    assert notes == []
    options = startcov.start_options(means, covs, 3, cov)
    shape = (3,) if cov == "spherical" else (2, 2)
    assert np.shape(options["precisions_init"]) == shape
    run = {"k": 3, "n": 200, "seed": 2, "n_init": 1, "cov": cov}
    init = next(e for e in iterate(**run, **options) if e.kind == "init")
    want = [[[a, b], [b, c]] for a, b, c in covs] * (3 // len(covs))
    np.testing.assert_allclose(init.covariances, want, rtol=1e-9, atol=1e-12)
    assert (
        state.settings.to_run_kwargs()["precisions_init"]
        == (options["precisions_init"])
    )
