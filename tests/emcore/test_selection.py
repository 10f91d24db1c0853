"""Model-selection sweep and the local-optima verdict."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from emcore import (
    GaussianMixture,
    local_optima_verdict,
    select_model,
    select_model_steps,
    simulate,
)
from emcore.selection import (
    OPTIMUM_GAP_MIN,
    optima_groups,
    optimum_gap,
    score_fitted,
)

COV_TYPES = ("full", "tied", "diag", "spherical")


@pytest.fixture(scope="module")
def separated():
    X, labels = simulate(600, 3, 0.0, random_state=2)
    return X, labels


def test_sweep_yields_every_cell_progressively(separated):
    X, _ = separated
    steps = select_model_steps(X, range(1, 5), ["full", "diag"], random_state=0)
    seen = []
    with pytest.raises(StopIteration) as stop:
        while True:
            seen.append(next(steps))
    result = stop.value.value
    assert [(c.covariance_type, c.n_components) for c in seen] == [
        (cov, k) for cov in ("full", "diag") for k in range(1, 5)
    ]
    assert result.cells == seen


def test_bic_finds_the_true_k_of_simulated_data(separated):
    X, _ = separated  # rotated, anisotropic clusters: only "full" fits them
    result = select_model(X, range(1, 7), ["full"], random_state=0, n_init=2)
    assert result.best_bic["full"] == 3


@pytest.mark.parametrize("cov", COV_TYPES)
def test_bic_finds_the_true_k_when_every_model_fits(cov):
    # equal round clusters satisfy all four covariance models
    rng = np.random.default_rng(0)
    centres = np.array([[0.0, 0.0], [10.0, 0.0], [5.0, 9.0]])
    X = np.vstack([c + rng.normal(size=(200, 2)) for c in centres])
    result = select_model(X, range(1, 7), [cov], random_state=0, n_init=2)
    assert result.best_bic[cov] == 3


def test_cells_obey_their_definitions(separated):
    X, _ = separated
    n = len(X)
    result = select_model(X, range(1, 6), COV_TYPES, random_state=1)
    for cell in result.cells:
        ll, p = cell.log_likelihood, cell.n_parameters
        assert cell.aic == pytest.approx(-2 * ll + 2 * p)
        assert cell.bic == pytest.approx(-2 * ll + p * math.log(n))
        assert cell.icl >= cell.bic - 1e-9  # the entropy penalty is never negative
    for cov in COV_TYPES:
        ks, bic = result.column(cov, "bic")
        assert result.best_bic[cov] == ks[int(np.argmin(bic))]
    best = min(result.cells, key=lambda c: c.bic)
    assert result.best == (best.covariance_type, best.n_components)


def test_cell_agrees_with_the_estimator_methods(separated):
    X, _ = separated
    from emcore.selection import score_fitted

    gm = GaussianMixture(3, covariance_type="diag", random_state=4).fit(X)
    cell = score_fitted(gm, X)
    assert cell.aic == pytest.approx(gm.aic(X), rel=1e-12)
    assert cell.bic == pytest.approx(gm.bic(X), rel=1e-12)
    assert cell.n_parameters == gm.n_parameters()


def test_verdict_ok_when_all_starts_agree(separated):
    X, _ = separated
    gm = GaussianMixture(3, n_init=5, init_params="k-means++", random_state=0, tol=1e-6)
    gm.fit(X)
    verdict = local_optima_verdict(gm, X)
    assert verdict.status == "OK", verdict.reason
    assert verdict.min_ari > 0.95 and verdict.n_optima == 1
    assert verdict.best_hits == 5 and "\n" not in verdict.reason


def test_verdict_warns_when_starts_disagree():
    # many components on overlapping data with random starts: distinct optima
    X, _ = simulate(400, 6, 0.8, random_state=3)
    gm = GaussianMixture(
        6, n_init=6, init_params="random", random_state=0, max_iter=300
    )
    gm.fit(X)
    verdict = local_optima_verdict(gm, X)
    finals = [s.lower_bound for s in gm.starts_]
    assert max(finals) - min(finals) > 1e-3  # the evidence really is there
    assert verdict.status == "WARN"
    assert verdict.n_optima >= 2 and verdict.best_hits < 6


def test_one_start_is_not_checked(separated):
    # one start cannot show another optimum: not a warning, not a pass
    X, _ = separated
    gm = GaussianMixture(3, random_state=0).fit(X)
    verdict = local_optima_verdict(gm, X)
    assert verdict.status == "OK" and not verdict.checked
    assert verdict.reason.startswith("Not checked (one start)")


def test_verdict_validates_its_input(separated):
    X, _ = separated
    with pytest.raises(ValueError, match="fitted"):
        local_optima_verdict(GaussianMixture(2), X)
    with pytest.raises(ValueError, match="covariance_type must be one of"):
        select_model(X, range(1, 3), ["round"])
    with pytest.raises(ValueError, match="n_components must be >= 1"):
        select_model(X, [0, 1], ["full"])


@pytest.mark.parametrize("seed", range(6))
def test_verdict_counts_agree_with_each_other(seed):
    # one optimum means every converged start reached it; several mean some
    # did not
    X, _ = simulate(300, 4, 0.4, random_state=seed)
    gm = GaussianMixture(4, n_init=5, init_params="random", random_state=seed)
    gm.fit(X)
    v = local_optima_verdict(gm, X)
    converged = [s for s in gm.starts_ if s.converged]
    assert (v.n_optima == 1) == (v.best_hits == len(converged))
    assert 1 <= v.best_hits <= len(converged) <= v.n_starts
    totals = sorted(s.lower_bound * len(X) for s in converged)
    gap = max(1.0, 10 * gm.tol * len(X))  # the verdict's default, in total units
    best_run = np.diff(totals[-v.best_hits :])
    assert np.all(best_run <= gap)  # the best optimum's starts sit together
    if v.best_hits < len(converged):  # and apart from the next one down
        assert totals[-v.best_hits] - totals[-v.best_hits - 1] > gap
    assert (v.status == "WARN") == (v.n_optima >= 2)


@given(
    st.lists(st.tuples(st.floats(-1e4, 0), st.booleans()), min_size=1, max_size=10),
    st.floats(0.0, 100.0),
)
def test_optima_groups_properties(starts, gap):
    values = [v for v, _ in starts]
    flags = [c for _, c in starts]
    groups = optima_groups(values, flags, gap)
    # a start that did not converge reached no optimum
    assert [g == -1 for g in groups] == [not c for c in flags]
    conv = [i for i, c in enumerate(flags) if c]
    if not conv:
        return
    best = max(conv, key=lambda i: values[i])
    assert groups[best] == 0
    # ordered like the values, contiguous, a new one only beyond the gap
    order = sorted(conv, key=lambda i: -values[i])
    assert [groups[i] for i in order] == sorted(groups[i] for i in conv)
    assert {groups[i] for i in conv} == set(range(max(groups) + 1))
    for a, b in zip(order, order[1:], strict=False):
        assert (groups[b] > groups[a]) == (values[a] - values[b] > gap)


def test_the_gap_is_stated_in_total_units():
    assert optimum_gap(500, 1e-4) == OPTIMUM_GAP_MIN == 1.0
    assert optimum_gap(500, 1e-1) == pytest.approx(500.0)
    with pytest.raises(ValueError, match="converged has 1 flags"):
        optima_groups([-1.0, -2.0], [True], 1.0)


# ---------------------------------------------------------------- honest picks
def _iris_petals():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "site"))
    from simapp.data import datasets

    X, labels, _, _ = datasets.load("iris")
    return X, labels


def test_iris_bic_pick_is_flagged_and_the_healthy_pick_is_sane():
    from emcore.experiment import run_data

    X, labels = _iris_petals()
    # the sweep prefers healthy fits, but at this seed every start at K = 7
    # ends on slivers of the repeated petals, and one of them has the
    # lowest BIC
    result = run_data(X, labels, k=3, cov="full", seed=3, n_init=2)
    k_bic = result.picks.bic.k_raw
    note = result.picks.bic.note
    # the lowest BIC rests on a component squeezed onto repeated petals
    assert k_bic > 3 and "duplicated points" in note
    sweep = result.sweep
    assert sweep.notes[sweep.ks.index(k_bic)] == note
    assert k_bic == sweep.ks[int(np.argmin(sweep.bic))]
    # so the pick leaves it out
    healthy = result.picks.bic.k_healthy
    assert healthy is not None and healthy < k_bic
    assert result.picks.bic.k == healthy
    assert sweep.notes[sweep.ks.index(healthy)] == ""
    # it is the lowest BIC among the fits without a note
    clean = [
        (b, k)
        for k, b, n in zip(sweep.ks, sweep.bic, sweep.notes, strict=True)
        if not n
    ]
    assert min(clean)[1] == healthy


def test_healthy_picks_skip_noted_cells_and_give_none_when_all_are():
    from emcore.selection import SelectionCell, healthy_picks

    def cell(k, bic, note=""):
        return SelectionCell(k, "full", 0.0, 1, bic, bic, bic, True, note)

    cells = [cell(1, 10.0), cell(2, 5.0, "component 2: collapsed"), cell(3, 7.0)]
    assert healthy_picks(cells, ["full"], "bic") == {"full": 3}
    bad = [cell(1, 1.0, "x"), cell(2, 2.0, "y")]
    assert healthy_picks(bad, ["full"], "bic") == {"full": None}


def test_score_fitted_notes_a_component_on_repeated_points():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(size=(200, 2)), np.repeat([[4.0, 4.0]], 30, axis=0)])
    gm = GaussianMixture(2, random_state=0, on_singular="regularize").fit(X)
    cell = score_fitted(gm, X)
    assert not cell.healthy and "component" in cell.note
    gm1 = GaussianMixture(1, random_state=0).fit(rng.normal(size=(200, 2)))
    assert score_fitted(gm1, rng.normal(size=(200, 2))).healthy
