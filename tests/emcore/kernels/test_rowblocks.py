"""Row blocks (emcore.kernels.rowblocks): large fits split into short steps,
same numbers.

``fit_steps(progress=True)`` on more than ``ROW_BLOCK`` samples splits every
E-step, M-step and k-means distance pass by rows; the tests shrink
``ROW_BLOCK`` so that a few hundred samples make several blocks.
"""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import emcore.experiment
import emcore.mixture
from emcore import GaussianMixture
from emcore.initialization import _kmeans_plusplus_steps, _kmeans_steps
from emcore.kernels.moments import MomentWorkspace
from emcore.kernels.rowblocks import ROW_BLOCK, row_slices, run_steps
from emcore.selection import _score_fitted_steps

COV_TYPES = ("full", "tied", "diag", "spherical")


def data(seed, n, k=3, d=2):
    """``n`` points around ``k`` centres, far from the origin (so the
    expanded moments must be careful) and rounded to 3 decimals (duplicates)."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(0.0, 6.0, (k, d)) + 40.0
    labels = rng.integers(0, k, n)
    X = (
        centres[labels]
        + rng.normal(size=(n, d)) * rng.uniform(0.5, 2.0, (k, d))[labels]
    )
    return np.round(X, 3), labels


def fit(X, k, cov, *, block=None, progress=True, init="k-means++", n_init=1):
    """A fit by ``fit_steps``, with ``ROW_BLOCK`` set to ``block``; returns
    the model and its events."""
    gm = GaussianMixture(
        k,
        covariance_type=cov,
        init_params=init,
        n_init=n_init,
        random_state=5,
        tol=0.0,
        max_iter=12,
        on_singular="regularize",
    )
    saved = emcore.mixture.ROW_BLOCK
    emcore.mixture.ROW_BLOCK = ROW_BLOCK if block is None else block
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            events = list(gm.fit_steps(X, progress=progress))
    finally:
        emcore.mixture.ROW_BLOCK = saved
    return gm, events


def assert_same_fit(a, b, rtol):
    for name in ("weights_", "means_", "covariances_", "precisions_cholesky_"):
        x, y = getattr(a, name), getattr(b, name)
        scale = np.max(np.abs(y))
        np.testing.assert_allclose(x, y, rtol=0, atol=rtol * scale, err_msg=name)
    np.testing.assert_allclose(a.lower_bounds_, b.lower_bounds_, rtol=rtol, atol=0)
    assert a.n_iter_ == b.n_iter_


@given(n=st.integers(1, 10_000), block=st.integers(1, 4_000))
def test_row_slices_cover_the_rows_in_as_few_even_blocks_as_allowed(n, block):
    slices = row_slices(n, block)
    if n <= block:
        assert slices == (slice(None),)
        return
    sizes = [sl.stop - sl.start for sl in slices]
    assert slices[0].start == 0 and slices[-1].stop == n
    assert all(a.stop == b.start for a, b in zip(slices, slices[1:], strict=False))
    assert len(slices) == math.ceil(n / block)
    assert max(sizes) <= block and max(sizes) - min(sizes) <= 1
    assert row_slices(n) == (slice(None),)


def pauses_and_value(steps):
    """How many times a step generator paused, and what it returned."""
    pauses = 0
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return pauses, stop.value
        pauses += 1


@pytest.mark.parametrize("cov", COV_TYPES)
@pytest.mark.parametrize(
    ("seed", "n", "block", "k"),
    [(0, 600, 100, 3), (1, 777, 250, 4), (2, 1001, 1000, 2), (3, 450, 449, 5)],
)
def test_blocked_fit_equals_the_whole_array_fit(cov, seed, n, block, k):
    X, _ = data(seed, n)
    whole, plain = fit(X, k, cov, progress=False)
    blocked, events = fit(X, k, cov, block=block)
    assert_same_fit(blocked, whole, 1e-12)
    snaps = [snap for _, snap in events if snap is not None]
    assert [s.iteration for s in snaps] == [s.iteration for _, s in plain]
    # the E-step's log-likelihood is summed over all rows at once, so it is
    # the whole array's as long as the parameters are (first iteration)
    assert snaps[0].log_likelihood == plain[0][1].log_likelihood


@pytest.mark.parametrize("cov", COV_TYPES)
@pytest.mark.parametrize("init", ["kmeans", "k-means++", "random"])
@pytest.mark.parametrize("extra", [0, 1])
def test_one_block_is_the_unblocked_fit_bit_for_bit(cov, init, extra):
    X, _ = data(4, 500)
    quiet, plain = fit(X, 3, cov, progress=False, init=init, n_init=2)
    # ROW_BLOCK equal to n (or above): one block, no extra pauses
    paused, events = fit(X, 3, cov, block=500 + extra, init=init, n_init=2)
    for name in ("weights_", "means_", "covariances_", "precisions_cholesky_"):
        np.testing.assert_array_equal(getattr(paused, name), getattr(quiet, name))
    assert paused.lower_bounds_ == quiet.lower_bounds_
    # pauses only before a start's first iteration (its initialisation)
    for start in (0, 1):
        mine = [snap for s, snap in events if s == start]
        first = next(i for i, snap in enumerate(mine) if snap is not None)
        assert all(snap is not None for snap in mine[first:])
    assert len([e for e in events if e[1] is not None]) == len(plain)


@pytest.mark.parametrize("cov", COV_TYPES)
def test_pauses_come_between_row_blocks_only_above_the_block_size(cov):
    X, _ = data(5, 900)
    _, unsplit = fit(X, 3, cov, block=900)
    _, split = fit(X, 3, cov, block=300)
    blocks = 3

    def pauses_per_iteration(events):
        counts, run = [], 0
        for _, snap in events:
            if snap is None:
                run += 1
            else:
                counts.append(run)
                run = 0
        return counts

    assert all(c == 0 for c in pauses_per_iteration(unsplit)[1:])
    later = pauses_per_iteration(split)[1:]
    assert later and all(c >= 2 * blocks for c in later)
    # the initialisation (workspace, k-means++ centres, first M-step) is
    # split too: more pauses before the first iteration than unsplit
    assert pauses_per_iteration(split)[0] > pauses_per_iteration(unsplit)[0]


@pytest.mark.parametrize("cov", COV_TYPES)
def test_the_workspace_built_by_blocks_is_the_same(cov):
    X, _ = data(6, 1000)
    whole = MomentWorkspace(X, cov)
    steps = MomentWorkspace.build_steps(X, cov, row_slices(1000, 128))
    pauses, blocked = pauses_and_value(steps)
    assert pauses == len(row_slices(1000, 128)) + 1
    for name in ("centre", "phi_t", "Xc", "scale"):
        np.testing.assert_array_equal(getattr(blocked, name), getattr(whole, name))
    assert blocked.radius == whole.radius


@pytest.mark.parametrize("cov", COV_TYPES)
@pytest.mark.parametrize("zero_weight", [False, True])
def test_the_blocked_e_step_is_the_whole_array_e_step_row_for_row(cov, zero_weight):
    X, _ = data(7, 800, k=4)
    gm, _ = fit(X, 4, cov, progress=False)
    weights = gm.weights_.copy()
    if zero_weight:  # -inf must not enter a matrix product, blocked or not
        weights[1] = 0.0
        weights /= weights.sum()
    work = MomentWorkspace(X, cov)
    args = (weights, gm.means_, gm.precisions_cholesky_)
    mean_ll, resp, _ = work.e_step(*args)
    got_ll, got_resp, (nk, means, covs) = run_steps(
        work.em_iteration_steps(*args, 1e-6, row_slices(800, 170))
    )
    assert np.isfinite(got_ll)
    np.testing.assert_allclose(got_ll, mean_ll, rtol=1e-14)
    np.testing.assert_allclose(got_resp, resp, rtol=1e-13, atol=1e-300)
    want = work.estimate_parameters(resp, 1e-6)
    for a, b in zip((nk, means, covs), want, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12 * np.max(np.abs(b)))


@pytest.mark.parametrize("k", [1, 3, 6])
def test_kmeans_and_kmeans_plusplus_do_not_depend_on_the_blocks(k):
    X, _ = data(8, 1500)
    whole = run_steps(_kmeans_steps(X, k, np.random.default_rng(k)))
    blocked = run_steps(
        _kmeans_steps(X, k, np.random.default_rng(k), slices=row_slices(1500, 200))
    )
    np.testing.assert_array_equal(blocked[1], whole[1])
    np.testing.assert_allclose(blocked[0], whole[0], rtol=1e-15)
    seeds = [
        run_steps(_kmeans_plusplus_steps(X, k, np.random.default_rng(9), None, sl))
        for sl in (None, row_slices(1500, 333))
    ]
    np.testing.assert_array_equal(seeds[0][1], seeds[1][1])


@pytest.mark.parametrize("cov", COV_TYPES)
def test_scoring_by_blocks_gives_the_same_cell(cov):
    X, _ = data(9, 1200)
    gm, _ = fit(X, 3, cov, progress=False)
    whole = run_steps(_score_fitted_steps(gm, X))
    steps = _score_fitted_steps(gm, X, row_slices(1200, 250))
    pauses, blocked = pauses_and_value(steps)
    assert pauses == len(row_slices(1200, 250)) + 1
    for name in ("log_likelihood", "aic", "bic", "icl"):
        assert math.isclose(getattr(blocked, name), getattr(whole, name), rel_tol=1e-12)
    assert blocked.note == whole.note


@settings(max_examples=8, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    n=st.integers(60, 700),
    block=st.integers(20, 400),
    k=st.integers(1, 5),
    cov=st.sampled_from(COV_TYPES),
)
def test_any_split_gives_the_same_fit(seed, n, block, k, cov):
    X, _ = data(seed, n)
    whole, _ = fit(X, k, cov, progress=False)
    blocked, _ = fit(X, k, cov, block=block)
    assert_same_fit(blocked, whole, 1e-11)


def test_the_simulator_on_large_data_equals_its_unsplit_run(monkeypatch):
    X, labels = data(10, 1500)
    settings_ = dict(k=3, seed=4, n_init=1, iters=15, tol=1e-2)
    plain = list(emcore.experiment.iterate_data(X, labels, **settings_))
    whole = plain[-1].result
    for module in (emcore.mixture, emcore.experiment.sweep, emcore.experiment.result):
        monkeypatch.setattr(module, "ROW_BLOCK", 400)
    events = list(emcore.experiment.iterate_data(X, labels, **settings_))
    blocked = events[-1].result
    for name in ("loglik", "aic", "bic", "icl", "lower_bound"):
        got, want = getattr(blocked, name), getattr(whole, name)
        assert math.isclose(got, want, rel_tol=1e-12), name
    np.testing.assert_array_equal(blocked.labels_pred, whole.labels_pred)
    np.testing.assert_array_equal(blocked.kmeans.labels, whole.kmeans.labels)
    np.testing.assert_allclose(blocked.resp, whole.resp, rtol=1e-12, atol=1e-15)
    assert blocked.picks.bic.k == whole.picks.bic.k
    # the heartbeats of a cell's fits name their last finished iteration
    for k in range(1, 9):
        its = [e.iteration for e in events if e.kind == "sweep" and e.k == k]
        assert 1 <= max(its) <= settings_["iters"]
    kinds, before = [e.kind for e in events], [e.kind for e in plain]
    for kind in ("seed", "sweep", "finish"):
        assert kinds.count(kind) > before.count(kind), kind
    assert [e for e in kinds if e not in ("seed", "sweep", "finish")] == [
        e for e in before if e not in ("seed", "sweep", "finish")
    ]
