"""emcore.experiment.sweep: the cells of the AIC/BIC chart, how far K goes, and the
order of their events."""

import warnings

import numpy as np
import pytest

from emcore import GaussianMixture, n_parameters
from emcore.experiment import COVARIANCE_TYPES, iterate, run, run_data
from emcore.experiment.settings import SWEEP_KS
from emcore.experiment.sweep import max_components, sweep_ks


def _fit_bic(X, k, cov, n_init, rng, tol=1e-4):
    gm = GaussianMixture(
        k,
        covariance_type=cov,
        tol=tol,
        reg_covar=1e-6,
        n_init=n_init,
        init_params="k-means++",
        random_state=rng,
        on_singular="regularize",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gm.fit(X)
    return gm.bic(X)


# ------------------------------------------------------------- how far K goes
@pytest.mark.parametrize("d", [1, 2, 3, 4])
def test_k_stops_before_the_full_model_has_as_many_parameters_as_points(d):
    for n_distinct in range(1, 200):
        top = max_components(n_distinct, d)
        assert 1 <= top <= SWEEP_KS[-1]
        if top > 1:
            assert n_parameters(top, d, "full") < n_distinct
        if top < SWEEP_KS[-1]:
            assert n_parameters(top + 1, d, "full") >= n_distinct
    assert sweep_ks(10, 2, 3) == (1, 2, 3)  # the fitted k is always shown
    assert sweep_ks(500, 2, 3) == SWEEP_KS


@pytest.mark.parametrize(
    ("n_points", "n_copies", "expected"),
    [(10, 1, (1, 2)), (14, 1, (1, 2)), (30, 1, (1, 2, 3, 4, 5)), (10, 6, (1, 2))],
)
def test_small_data_sweep_only_the_ks_they_support(n_points, n_copies, expected):
    rng = np.random.default_rng(n_points)
    points = np.vstack(
        [rng.normal(0, 1, (n_points // 2, 2)), rng.normal(6, 1, (n_points // 2, 2))]
    )
    X = np.repeat(points, n_copies, axis=0)  # repeated rows count once
    result = run_data(X, k=2, seed=1, compare=True)
    assert tuple(result.sweep.ks) == expected
    for col in result.comparison.values():
        assert tuple(col.ks) == expected


# ---------------------------------------------------------------- the cells
@pytest.mark.parametrize(
    ("cov", "seed", "k"),
    [("full", 2, 3), ("tied", 2, 2), ("diag", 2, 2), ("spherical", 4, 2)],
)
def test_cells_reach_optima_their_one_start_misses(cov, seed, k):
    """Where the cell's own k-means++ start alone (the rule before) ends far
    from ten starts' best, the sweep reaches that best."""
    r = run(k=4, n=400, overlap=10, cov=cov, seed=seed)
    X = r.X
    cell = r.sweep.bic[r.sweep.ks.index(k)]
    stream = np.random.default_rng([seed, k, COVARIANCE_TYPES.index(cov)])
    one_start = _fit_bic(X, k, cov, 1, stream)
    best_of_10 = _fit_bic(X, k, cov, 10, np.random.default_rng(99))
    assert one_start - cell > 50
    assert cell <= best_of_10 + 1.0


@pytest.mark.parametrize("cov", COVARIANCE_TYPES)
def test_the_watched_cell_is_the_watched_fit(cov):
    n_init, seed = 4, 6
    r = run(k=3, n=400, overlap=60, cov=cov, seed=seed, n_init=n_init, compare=True)
    assert len(r.starts) == n_init
    col = r.comparison[cov]
    stream = np.random.default_rng([seed, 3, COVARIANCE_TYPES.index(cov)])
    watched = _fit_bic(r.X, 3, cov, n_init, stream)
    assert col.bic[col.ks.index(3)] == r.bic == watched


def test_the_pick_leaves_out_a_lowest_bic_that_rests_on_collapsed_components():
    """On 100 points of two groups the sweep reaches a K = 6 fit whose
    components collapse onto a few points, with a lower BIC than K = 2: a
    spurious maximiser of the likelihood, so the pick and the best model are
    K = 2."""
    r = run(k=2, n=100, seed=1)
    sweep, pick = r.sweep, r.picks.bic
    k_raw = sweep.ks[int(np.argmin(sweep.bic))]
    assert pick.k_raw == k_raw == 6 and "collapsed" in sweep.notes[k_raw - 1]
    assert pick.note == sweep.notes[k_raw - 1]
    clean = [
        b if not n else np.inf for b, n in zip(sweep.bic, sweep.notes, strict=True)
    ]
    assert pick.k == pick.k_healthy == sweep.ks[int(np.argmin(clean))] == 2
    assert r.best_model == ("full", 2)


@pytest.mark.parametrize("cov", ["full", "tied", "diag", "spherical"])
def test_the_pick_is_the_lowest_value_when_it_is_healthy(cov):
    r = run(k=3, n=300, overlap=10, seed=4, cov=cov, n_init=1)
    for crit in ("aic", "bic", "icl"):
        pick, values = r.picks.of(crit), getattr(r.sweep, crit)
        assert pick.k == pick.k_raw == r.sweep.ks[int(np.argmin(values))]
        assert pick.note == r.sweep.notes[r.sweep.ks.index(pick.k)] == ""


@pytest.mark.parametrize("seed", range(1, 6))
def test_iris_petals_pick_three_species_like_mclust(seed):
    """mclust (VVV, EEE, VVI, VII; G = 1..8) picks VVV with 3 components on
    the petal measurements; so does the best fit without suspect
    components, for every seed."""
    from sklearn.datasets import load_iris

    X = load_iris().data[:, 2:]
    r = run_data(X, k=3, cov="full", seed=seed, compare=True)
    assert r.picks.bic.k_healthy == 3
    cells = [
        (bic, cov, k)
        for cov, col in r.comparison.items()
        for k, bic, note in zip(col.ks, col.bic, col.notes, strict=True)
        if not note
    ]
    assert min(cells)[1:] == ("full", 3)


# ------------------------------------------------------------------ events
@pytest.mark.parametrize("compare", [False, True])
def test_cells_come_k_descending_per_type_each_once(compare):
    events = list(iterate(k=3, n=300, seed=6, n_init=1, iters=10, compare=compare))
    cells = [(e.cov, e.k) for e in events if e.kind == "ic"]
    types = COVARIANCE_TYPES if compare else ("full",)
    assert cells == [(cov, k) for cov in types for k in reversed(SWEEP_KS)]


@pytest.mark.parametrize("compare", [False, True])
def test_every_step_of_the_sweep_is_a_heartbeat_of_a_cell(compare):
    events = list(iterate(k=3, n=300, seed=6, n_init=1, iters=10, compare=compare))
    last_fit = max(i for i, e in enumerate(events) if e.kind == "em")
    sweep = events[last_fit + 1 : [e.kind for e in events].index("finish")]
    assert {e.kind for e in sweep} == {"sweep", "ic"}
    types = set(COVARIANCE_TYPES if compare else ("full",))
    for i, e in enumerate(sweep):
        assert e.cov in types and e.k in SWEEP_KS
        if e.kind == "sweep":
            assert isinstance(e.start, int) and 0 <= e.iteration <= 10
            continue
        # just before a cell: its own last step, the merges of K + 1 tried
        # at K, or the cell above (no merge tried)
        before = sweep[i - 1]
        assert before.cov == e.cov
        assert before.k in (e.k, e.k + 1)
        assert before.kind == "sweep" or before.k == e.k + 1
