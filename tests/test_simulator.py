"""emcore.simulator: the page's one-call computation."""

import math

import numpy as np
import pytest

from emcore import adjusted_rand_score, n_parameters, simulate
from emcore.simulator import DEFAULTS, LIMITS, iterate, run

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
        assert lo <= DEFAULTS[name] <= hi
