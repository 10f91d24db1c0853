"""emcore.experiment: the page's one-call computation."""

import math

import numpy as np
import pytest

from emcore import adjusted_rand_score, n_parameters, simulate
from emcore.experiment import DEFAULTS, LIMITS, iterate, run

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
    for key in CONTRACT_KEYS:
        assert key in default_run
    assert default_run["verdict"] in ("OK", "WARN")
    assert isinstance(default_run["converged"], bool)


@pytest.mark.parametrize("cov", ["full", "tied", "diag", "spherical"])
def test_numbers_are_consistent(cov):
    r = run(k=4, n=400, overlap=30, cov=cov, seed=5, n_init=2)
    k, n = 4, 400
    assert r["params"] == n_parameters(k, 2, cov)
    assert r["aic"] == pytest.approx(-2 * r["loglik"] + 2 * r["params"])
    assert r["bic"] == pytest.approx(-2 * r["loglik"] + r["params"] * math.log(n))
    X, labels = simulate(n, k, 0.3, 5)
    np.testing.assert_array_equal(r["X"], X)
    assert r["ari"] == pytest.approx(adjusted_rand_score(labels, r["resp"].argmax(1)))
    assert r["iterations"] == len(r["trace"]) <= 100
    # the sweep's cell at the fitted K is the fitted model itself
    i = r["sweep_ks"].index(k)
    assert r["sweep_aic"][i] == r["aic"] and r["sweep_bic"][i] == r["bic"]
    trace = np.array(r["trace"])
    assert np.all(np.diff(trace) >= -1e-9 * np.abs(trace[1:]))


def test_run_is_iterate_to_the_end_and_reproducible():
    settings = dict(k=3, n=300, overlap=40, cov="diag", seed=11, n_init=3)
    events = list(iterate(**settings))
    kinds = [e["kind"] for e in events]
    assert kinds[0] == "data" and kinds[-1] == "done"
    assert kinds.count("ic") == 8
    done = events[-1]["result"]
    again = run(**settings)
    for key in CONTRACT_KEYS:
        assert again[key] == done[key]
    em = [e for e in events if e["kind"] == "em"]
    assert sum(1 for e in em if e["start"] == done["best_start"]) == done["iterations"]
    assert len(em) == sum(len(t) for t in done["start_traces"])
    for e in em:
        assert np.allclose(e["resp"].sum(1), 1.0)
        assert sorted(e["mapping"]) == [0, 1, 2]


def test_overlap_zero_is_solved_and_overlap_lowers_ari():
    clear = [run(k=3, n=500, overlap=0, seed=s)["ari"] for s in (1, 2, 3)]
    assert min(clear) == pytest.approx(1.0)
    murky = [run(k=3, n=500, overlap=90, seed=s)["ari"] for s in (1, 2, 3)]
    assert np.mean(murky) < np.mean(clear) - 0.3


def test_colour_mapping_follows_the_true_clusters(default_run):
    r = default_run
    relabelled = r["mapping"][r["labels_pred"]]
    agreement = np.mean(relabelled == r["labels_true"])
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
    assert run()["settings"]["k_true"] == DEFAULTS["k"]


def test_each_start_announces_its_initial_parameters_first():
    events = list(iterate(k=3, n=200, seed=4, n_init=3))
    fit = [e for e in events if e["kind"] in ("init", "em")]
    starts = [e["start"] for e in fit if e["kind"] == "init"]
    assert starts == [0, 1, 2]
    for i, e in enumerate(fit):
        if e["kind"] == "init":
            assert e["iteration"] == 0 and e["resp"] is None
            assert e["weights"].shape == (3,) and e["covariances"].shape == (3, 2, 2)
            assert fit[i + 1]["kind"] == "em" and fit[i + 1]["start"] == e["start"]


@pytest.mark.parametrize(("k", "k_true"), [(2, 5), (5, 2)])
def test_true_k_and_fitted_k_can_differ(k, k_true):
    r = run(k=k, k_true=k_true, n=400, overlap=0, seed=2, n_init=2)
    assert r["settings"]["k_true"] == k_true
    assert len(np.unique(r["labels_true"])) == k_true
    assert r["means"].shape == (k, 2) and r["true_means"].shape == (k_true, 2)
    assert len(set(r["mapping"].tolist())) == k  # distinct colours
    assert r["ari"] < 0.95  # the wrong K cannot recover the partition
    assert r["best_k_bic"] == k_true  # but BIC points at the truth


def test_compare_sweeps_every_covariance_type():
    r = run(k=3, n=300, overlap=10, cov="diag", seed=3, n_init=2, compare=True)
    assert set(r["comparison"]) == {"full", "tied", "diag", "spherical"}
    for col in r["comparison"].values():
        assert col["ks"] == list(range(1, 9))
    cells = [
        (col["bic"][i], cov, k)
        for cov, col in r["comparison"].items()
        for i, k in enumerate(col["ks"])
    ]
    assert r["best_model"] == min(cells)[1:]
    i = r["comparison"]["diag"]["ks"].index(3)
    assert r["comparison"]["diag"]["bic"][i] == r["bic"]
    assert all(
        icl >= bic - 1e-9
        for col in r["comparison"].values()
        for icl, bic in zip(col["icl"], col["bic"], strict=True)
    )
    plain = run(k=3, n=300, overlap=10, cov="diag", seed=3, n_init=2)
    assert set(plain["comparison"]) == {"diag"} and plain["bic"] == r["bic"]


def test_starts_kmeans_and_uncertainty_are_reported():
    r = run(k=4, n=400, overlap=0, seed=9, n_init=5)
    assert len(r["starts"]) == 5
    assert r["starts"][r["best_start"]]["ari_vs_best"] == 1.0
    assert max(s["loglik_mean"] for s in r["starts"]) == r["lower_bound"]
    assert 1 <= r["n_optima"] <= 5 and 1 <= r["best_hits"] <= 5
    assert r["kmeans"]["ari"] > 0.95  # hard, round cells: a few points differ
    assert r["kmeans"]["centers"].shape == (4, 2)
    u = r["uncertainty"]
    assert u.shape == (400,) and np.all((u >= 0) & (u <= 1 - 1 / 4 + 1e-12))


def test_run_data_fits_your_own_points():
    from emcore.experiment import run_data

    X, labels = simulate(300, 3, 0.0, 5)
    with_labels = run_data(X, labels, k=3, seed=1)
    assert with_labels["ari"] == pytest.approx(1.0)
    assert with_labels["settings"]["n"] == 300
    without = run_data(X, k=3, seed=1)
    assert without["ari"] is None and without["kmeans"]["ari"] is None
    assert without["bic"] == with_labels["bic"]
    np.testing.assert_array_equal(without["mapping"], [0, 1, 2])


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        ((np.zeros((10, 1)),), {}, "at least 2 columns"),
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
    import emcore.experiment as experiment
    from emcore import mixture_ellipses
    from emcore.metrics import match_labels

    built = {"ellipses": 0, "mapping": 0}

    def counting(name, fn):
        def wrapper(*args, **kwargs):
            built[name] += 1
            return fn(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(
        experiment, "mixture_ellipses", counting("ellipses", mixture_ellipses)
    )
    monkeypatch.setattr(experiment, "match_labels", counting("mapping", match_labels))
    events = iterate(k=3, n=300, overlap=40, cov=cov, seed=3, n_init=1, iters=10)
    data = next(events)
    frames = []
    for event in events:
        if event["kind"] == "seed":  # heartbeats while the start is seeded
            continue
        if event["kind"] not in ("init", "em"):
            break
        frames.append(event)
    assert len(frames) >= 3 and "ellipses" in frames[-1] and "mapping" in frames[-1]
    assert "mapping" not in frames[0]  # the initial parameters: no E-step yet
    assert built == {"ellipses": 0, "mapping": 0}
    for frame in frames[1:]:  # read: the same values an eager build gives
        ellipses = mixture_ellipses(frame["means"], frame["covariances"], "full")
        got = frame["ellipses"]
        assert len(got) == 3
        for a, b in zip(got, ellipses, strict=True):
            np.testing.assert_allclose(a.center, b.center, rtol=1e-12)
            np.testing.assert_allclose(a.semi_axes, b.semi_axes, rtol=1e-9)
        labels = np.argmax(frame["resp"], axis=1)
        expected = match_labels(data["labels_true"], labels, 3, 3)
        np.testing.assert_array_equal(frame.get("mapping"), expected)
        assert frame["mapping"] is frame["mapping"]  # built once, then kept
    assert built["ellipses"] == built["mapping"] == len(frames) - 1
    assert list(frames[-1]) == [
        "kind", "start", "n_starts", "iteration", "loglik_mean", "converged",
        "weights", "means", "covariances", "ellipses", "resp", "regularized",
        "mapping",
    ]  # fmt: skip


def test_the_result_is_computed_between_finish_heartbeats():
    events = list(iterate(k=3, n=300, seed=2, n_init=2))
    kinds = [e["kind"] for e in events]
    finish = [e["step"] for e in events if e["kind"] == "finish"]
    # after the sweep, before done: labels, verdict, starts, then k-means steps
    first = kinds.index("finish")
    assert kinds[first - 1] == "ic" and kinds[-1] == "done"
    assert set(kinds[first:-1]) == {"finish"}
    assert finish[:3] == ["labels", "verdict", "starts"]
    assert finish[3:] and set(finish[3:]) == {"kmeans"}


def test_each_start_is_seeded_between_seed_heartbeats():
    events = list(iterate(k=3, n=300, seed=5, n_init=2, iters=10))
    kinds = [e["kind"] for e in events]
    for start in (0, 1):
        inits = [i for i, e in enumerate(events) if e["kind"] == "init"]
        init = inits[start]
        # k-means++ seeding: a heartbeat after each centre but the first, one
        # before and one after the first M-step
        assert kinds[init - 5 : init] == [kinds[init - 5]] + ["seed"] * 4
        assert kinds[init - 5] != "seed"
        assert all(e["start"] == start for e in events[init - 4 : init])
    assert kinds.index("seed") == 1  # straight after the data
