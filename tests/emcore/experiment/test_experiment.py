"""emcore.experiment: the page's one-call computation."""

import dataclasses
import math

import numpy as np
import pytest

from emcore import adjusted_rand_score, n_parameters, simulate
from emcore.experiment import DEFAULTS, LIMITS, iterate, run, run_data

CONTRACT_KEYS = (
    "params",
    "iterations",
    "converged",
    "loglik",
    "aic",
    "bic",
    "ari",
    "verdict",
)


@pytest.fixture(scope="module")
def default_run():
    return run()


def test_result_has_the_page_contract(default_run):
    names = {f.name for f in dataclasses.fields(default_run)}
    for key in CONTRACT_KEYS:
        assert key in names
    assert default_run.verdict in ("OK", "WARN")
    assert isinstance(default_run.converged, bool)


@pytest.mark.parametrize("cov", ["full", "tied", "diag", "spherical"])
def test_numbers_are_consistent(cov):
    r = run(k=4, n=400, overlap=30, cov=cov, seed=5, n_init=2)
    k, n = 4, 400
    assert r.params == n_parameters(k, 2, cov)
    assert r.aic == pytest.approx(-2 * r.loglik + 2 * r.params)
    assert r.bic == pytest.approx(-2 * r.loglik + r.params * math.log(n))
    X, labels = simulate(n, k, 0.3, 5)
    np.testing.assert_array_equal(r.X, X)
    assert r.ari == pytest.approx(adjusted_rand_score(labels, r.resp.argmax(1)))
    assert r.iterations == len(r.trace) <= 100
    # the sweep's cell at the fitted K is the fitted model itself
    i = r.sweep.ks.index(k)
    assert r.sweep.aic[i] == r.aic and r.sweep.bic[i] == r.bic
    trace = np.array(r.trace)
    assert np.all(np.diff(trace) >= -1e-9 * np.abs(trace[1:]))


def test_run_is_iterate_to_the_end_and_reproducible():
    settings = dict(k=3, n=300, overlap=40, cov="diag", seed=11, n_init=3)
    events = list(iterate(**settings))
    kinds = [e.kind for e in events]
    assert kinds[0] == "data" and kinds[-1] == "done"
    assert kinds.count("ic") == 8
    done = events[-1].result
    again = run(**settings)
    for key in CONTRACT_KEYS:
        assert getattr(again, key) == getattr(done, key)
    em = [e for e in events if e.kind == "em"]
    assert sum(1 for e in em if e.start == done.best_start) == done.iterations
    assert len(em) == sum(len(t) for t in done.start_traces)
    for e in em:
        assert np.allclose(e.resp.sum(1), 1.0)
        assert sorted(e.mapping) == [0, 1, 2]


def test_overlap_zero_is_solved_and_overlap_lowers_ari():
    clear = [run(k=3, n=500, overlap=0, seed=s).ari for s in (1, 2, 3)]
    assert min(clear) == pytest.approx(1.0)
    murky = [run(k=3, n=500, overlap=90, seed=s).ari for s in (1, 2, 3)]
    assert np.mean(murky) < np.mean(clear) - 0.3


def test_colour_mapping_follows_the_true_clusters(default_run):
    r = default_run
    relabelled = r.mapping[r.labels_pred]
    agreement = np.mean(relabelled == r.labels_true)
    assert agreement > 0.8  # the default run is mostly right, so colours match


@pytest.mark.parametrize(
    ("settings", "match"),
    [
        (dict(k=999), "k must be in \\[2, 6\\]; got 999"),
        (dict(k=1), "k must be in"),
        (dict(n=-5), "n must be in \\[100, 5000\\]; got -5"),
        (dict(overlap=101), "overlap must be in"),
        (dict(cov="<script>"), "cov must be one of"),
        (dict(tol="abc"), "tol must be a real number"),
        (dict(tol=0.5), "tol must be in"),
        (dict(iters=5), "iters must be in"),
        (dict(seed=-1), "seed must be in"),
        (dict(n_init=0), "n_init must be in"),
        (dict(bogus=1), "unknown setting"),
    ],
)
def test_bad_settings_raise_value_error_naming_them(settings, match):
    with pytest.raises(ValueError, match=match):
        run(**settings)


def test_defaults_are_inside_the_limits():
    for name, (lo, hi) in LIMITS.items():
        if name in DEFAULTS:
            assert lo <= DEFAULTS[name] <= hi
    assert run().settings["k_true"] == DEFAULTS["k"]


def test_each_start_announces_its_initial_parameters_first():
    events = list(iterate(k=3, n=200, seed=4, n_init=3))
    fit = [e for e in events if e.kind in ("init", "em")]
    starts = [e.start for e in fit if e.kind == "init"]
    assert starts == [0, 1, 2]
    for i, e in enumerate(fit):
        if e.kind == "init":
            assert e.iteration == 0 and e.resp is None
            assert e.weights.shape == (3,) and e.covariances.shape == (3, 2, 2)
            assert fit[i + 1].kind == "em" and fit[i + 1].start == e.start


@pytest.mark.parametrize(("k", "k_true"), [(2, 5), (5, 2)])
def test_true_k_and_fitted_k_can_differ(k, k_true):
    r = run(k=k, k_true=k_true, n=400, overlap=0, seed=2, n_init=2)
    assert r.settings["k_true"] == k_true
    assert len(np.unique(r.labels_true)) == k_true
    assert r.means.shape == (k, 2) and r.true_means.shape == (k_true, 2)
    assert len(set(r.mapping.tolist())) == k  # distinct colours
    assert r.ari < 0.95  # the wrong K cannot recover the partition
    assert r.picks.bic.k == k_true  # but BIC points at the truth


def test_compare_sweeps_every_covariance_type():
    r = run(k=3, n=300, overlap=10, cov="diag", seed=3, n_init=2, compare=True)
    assert set(r.comparison) == {"full", "tied", "diag", "spherical"}
    for col in r.comparison.values():
        assert col.ks == tuple(range(1, 9))
    cells = [
        (col.bic[i], cov, k)
        for cov, col in r.comparison.items()
        for i, k in enumerate(col.ks)
    ]
    assert r.best_model == min(cells)[1:]
    i = r.comparison["diag"].ks.index(3)
    assert r.comparison["diag"].bic[i] == r.bic
    assert all(
        icl >= bic - 1e-9
        for col in r.comparison.values()
        for icl, bic in zip(col.icl, col.bic, strict=True)
    )
    plain = run(k=3, n=300, overlap=10, cov="diag", seed=3, n_init=2)
    assert set(plain.comparison) == {"diag"} and plain.bic == r.bic


def test_starts_kmeans_and_uncertainty_are_reported():
    r = run(k=4, n=400, overlap=0, seed=9, n_init=5)
    assert len(r.starts) == 5
    assert r.starts[r.best_start].ari_vs_best == 1.0
    assert max(s.loglik_mean for s in r.starts) == r.lower_bound
    assert 1 <= r.n_optima <= 5 and 1 <= r.best_hits <= 5
    assert r.kmeans.ari > 0.95  # hard, round cells: a few points differ
    assert r.kmeans.centers.shape == (4, 2)
    u = r.uncertainty
    assert u.shape == (400,) and np.all((u >= 0) & (u <= 1 - 1 / 4 + 1e-12))


def test_run_data_fits_your_own_points():
    from emcore.experiment import run_data

    X, labels = simulate(300, 3, 0.0, 5)
    with_labels = run_data(X, labels, k=3, seed=1)
    assert with_labels.ari == pytest.approx(1.0)
    assert with_labels.settings["n"] == 300
    without = run_data(X, k=3, seed=1)
    assert without.ari is None and without.kmeans.ari is None
    assert without.bic == with_labels.bic
    np.testing.assert_array_equal(without.mapping, [0, 1, 2])


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        ((np.zeros((1, 2)),), {}, "at least 2"),
        ((np.zeros((3, 2)),), {"k": 4}, "k must be at most the number of points"),
        ((np.zeros((10, 2)),), {"overlap": 5}, "describe simulated data"),
        ((np.zeros((10, 2)), np.zeros(9, dtype=int)), {}, "labels must be 10 integers"),
        ((np.zeros((10, 2)), np.full(10, -1)), {}, "labels must be >= 0"),
        ((np.zeros((10, 2)),), {"compare": "yes"}, "compare must be True or False"),
    ],
)
def test_run_data_rejects_bad_input(args, kwargs, match):
    from emcore.experiment import run_data

    with pytest.raises(ValueError, match=match):
        run_data(*args, **kwargs)


@pytest.mark.parametrize("cov", ["full", "tied", "diag", "spherical"])
def test_frame_ellipses_and_mapping_are_built_only_when_read(cov, monkeypatch):
    import emcore.records as records
    from emcore import mixture_ellipses
    from emcore.metrics import match_labels

    built = {"ellipses": 0, "mapping": 0}

    def counting(name, fn):
        def wrapper(*args, **kwargs):
            built[name] += 1
            return fn(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(
        records, "mixture_ellipses", counting("ellipses", mixture_ellipses)
    )
    monkeypatch.setattr(records, "match_labels", counting("mapping", match_labels))
    events = iterate(k=3, n=300, overlap=40, cov=cov, seed=3, n_init=1, iters=10)
    data = next(events)
    frames = []
    for event in events:
        if event.kind == "seed":  # heartbeats while the start is seeded
            continue
        if event.kind not in ("init", "em"):
            break
        frames.append(event)
    assert len(frames) >= 3
    # nothing computed yet: the lazy attributes are not in the instance
    assert not {"ellipses", "mapping"} & set(vars(frames[-1]))
    assert frames[0].mapping is None  # the initial parameters: no E-step yet
    assert built == {"ellipses": 0, "mapping": 0}
    for frame in frames[1:]:  # read: the same values an eager build gives
        ellipses = mixture_ellipses(frame.means, frame.covariances, "full")
        got = frame.ellipses
        assert len(got) == 3
        for a, b in zip(got, ellipses, strict=True):
            np.testing.assert_allclose(a.center, b.center, rtol=1e-12)
            np.testing.assert_allclose(a.semi_axes, b.semi_axes, rtol=1e-9)
        labels = np.argmax(frame.resp, axis=1)
        expected = match_labels(data.labels_true, labels, 3, 3)
        np.testing.assert_array_equal(frame.mapping, expected)
        assert frame.mapping is frame.mapping  # built once, then kept
    assert built["ellipses"] == built["mapping"] == len(frames) - 1
    assert [f.name for f in dataclasses.fields(frames[-1])] == [
        "start", "n_starts", "iteration", "loglik_mean", "converged",
        "weights", "means", "covariances", "resp", "regularized",
        "labels_true", "n_true",
    ]  # fmt: skip


def test_the_result_is_computed_between_finish_heartbeats():
    events = list(iterate(k=3, n=300, seed=2, n_init=2))
    kinds = [e.kind for e in events]
    finish = [e.step for e in events if e.kind == "finish"]
    # after the sweep, before done: labels, verdict, starts, then k-means steps
    first = kinds.index("finish")
    assert kinds[first - 1] == "ic" and kinds[-1] == "done"
    assert set(kinds[first:-1]) == {"finish"}
    assert finish[:3] == ["labels", "verdict", "starts"]
    assert finish[3:] and set(finish[3:]) == {"kmeans"}


def test_each_start_is_seeded_between_seed_heartbeats():
    events = list(iterate(k=3, n=300, seed=5, n_init=2, iters=10))
    kinds = [e.kind for e in events]
    for start in (0, 1):
        inits = [i for i, e in enumerate(events) if e.kind == "init"]
        init = inits[start]
        # k-means++ seeding: a heartbeat after each centre but the first, one
        # before and one after the first M-step
        assert kinds[init - 5 : init] == [kinds[init - 5]] + ["seed"] * 4
        assert kinds[init - 5] != "seed"
        assert all(e.start == start for e in events[init - 4 : init])
    assert kinds.index("seed") == 1  # straight after the data


def test_every_fit_of_a_run_starts_by_the_chosen_rule(monkeypatch):
    """``init`` reaches the watched fit and every model-selection fit."""
    from emcore.experiment import sweep

    seen = []
    real = sweep.GaussianMixture

    def recording(*args, **kwargs):
        if not kwargs.get("warm_start"):  # warm starts continue a neighbour
            seen.append((args[0], kwargs["covariance_type"], kwargs["init_params"]))
        return real(*args, **kwargs)

    monkeypatch.setattr(sweep, "GaussianMixture", recording)
    result = run(k=2, n=150, seed=5, init="random_from_data", compare=True)
    assert result.settings["init"] == "random_from_data"
    # the watched fit, and each cell's own cold start: 4 x 8 cells, and the
    # watched type's chain has one at k of its own
    assert len(seen) == 1 + 4 * 8
    assert {init for _, _, init in seen} == {"random_from_data"}


def test_the_default_start_is_k_means_plus_plus():
    assert run(k=2, n=150, seed=5).settings["init"] == "k-means++"


@pytest.mark.parametrize("init", ["kmeans", "random", "whitened"])
def test_a_start_changes_the_run_as_that_start_would(init):
    """The watched fit equals emcore's GaussianMixture with that start."""
    from emcore import GaussianMixture
    from emcore.experiment import REG_COVAR
    from emcore.experiment.settings import fit_rng

    result = run(k=3, n=200, seed=2, overlap=40, init=init, n_init=2)
    X = result.X
    gm = GaussianMixture(
        3,
        tol=1e-4,
        reg_covar=REG_COVAR,
        n_init=2,
        init_params=init,
        random_state=fit_rng(2, 3, 0),
    ).fit(X)
    np.testing.assert_allclose(result.means, gm.means_, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("init", ["", "k-means", "whitend", 3, None])
def test_a_bad_start_is_named_with_the_allowed_ones(init):
    with pytest.raises(ValueError) as info:
        run(k=2, n=100, init=init)
    message = str(info.value)
    assert message.startswith("init must be one of")
    for name in ("'kmeans'", "'k-means++'", "'random_from_data'", "'whitened'"):
        assert name in message


# ------------------------------------------------------- local-optima verdict
def _iris_petals():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "site"))
    from simapp.data import datasets

    X, labels, _, _ = datasets.load("iris")
    return X, labels


def _totals(r):
    """Final total log-likelihood of each converged start."""
    n = len(r.X)
    return [s.loglik_mean * n for s in r.starts if s.converged]


def test_iris_starts_at_one_optimum_are_ok():
    X, labels = _iris_petals()
    r = run_data(X, labels, k=3, seed=1, n_init=4)
    assert all(s.converged for s in r.starts)
    totals = _totals(r)
    assert max(totals) - min(totals) < 1.0  # the evidence: one optimum
    assert (r.verdict, r.n_optima, r.best_hits) == ("OK", 1, 4)
    assert r.verdict_checked and "reached the same optimum" in r.verdict_reason
    assert [s.optimum for s in r.starts] == [0] * 4


@pytest.mark.parametrize("seed", [1, 2])
def test_one_start_is_not_checked(seed):
    r = run(n_init=1, seed=seed)
    assert r.verdict == "OK" and not r.verdict_checked
    assert r.verdict_reason.startswith("Not checked (one start)")


@pytest.mark.parametrize("seed", [1, 2, 5])
def test_starts_that_did_not_converge_are_not_optima(seed):
    r = run(iters=10, n_init=4, seed=seed)
    late = [i for i, s in enumerate(r.starts) if not s.converged]
    assert late  # the case under test: some starts hit the cap
    assert all(r.starts[i].optimum == -1 for i in late)
    assert r.best_hits <= 4 - len(late)
    assert f"{len(late)} of 4 starts did not converge" in r.verdict_reason
    assert "not optima" in r.verdict_reason
    none = run(iters=10, n_init=4, overlap=60, k=5, seed=1)
    assert not any(s.converged for s in none.starts)
    assert none.n_optima == 0 and not none.verdict_checked
    assert none.verdict_reason.startswith("Not checked: 0 of 4 starts converged")
    assert "optima" in none.verdict_reason and "different optima" not in (
        none.verdict_reason
    )


def test_a_loose_tolerance_states_the_spread_in_total_units():
    r = run(tol=1e-1, n_init=4, seed=1)
    totals = _totals(r)
    spread = max(totals) - min(totals)
    assert spread > 10  # tenths of a unit per point: tens of units in all
    assert "per point" not in r.verdict_reason
    stated = float(r.verdict_reason.split("within ")[1].split(" ")[0])
    assert stated == pytest.approx(spread, abs=0.05)
    assert "log-likelihood units" in r.verdict_reason
    gap = 10 * 1e-1 * r.settings["n"]  # the threshold, stated too
    assert f"{gap:,.0f}" in r.verdict_reason
