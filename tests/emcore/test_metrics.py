"""Tests for emcore.metrics: ARI, contingency tables, assignment, label matching."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment as scipy_lsa
from sklearn.metrics import adjusted_rand_score as sk_ari
from sklearn.metrics.cluster import contingency_matrix as sk_contingency

from emcore.metrics import (
    adjusted_rand_score,
    contingency_matrix,
    linear_sum_assignment,
    match_labels,
)


@st.composite
def labelings(draw, max_size=60):
    """Two labelings of the same samples, with the usual edge cases likely."""
    n = draw(st.integers(0, max_size))
    kind = draw(st.sampled_from(["random", "one", "singletons", "copy"]))

    def one(kind):
        if kind == "one":
            return [draw(st.integers(-3, 3))] * n
        if kind == "singletons":
            return draw(st.permutations(list(range(n))))
        k = draw(st.integers(1, max(1, n)))
        return draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n))

    a = one("random" if kind == "copy" else kind)
    b = list(a) if kind == "copy" else one(draw(st.sampled_from(["random", "one"])))
    if draw(st.booleans()):
        a, b = b, a
    return np.array(a, dtype=np.int64), np.array(b, dtype=np.int64)


@settings(max_examples=300, deadline=None)
@given(labelings())
def test_ari_matches_sklearn(pair):
    a, b = pair
    assert adjusted_rand_score(a, b) == pytest.approx(sk_ari(a, b), abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(labelings(), st.randoms(use_true_random=False))
def test_ari_range_symmetry_and_relabelling(pair, rnd):
    a, b = pair
    score = adjusted_rand_score(a, b)
    assert -0.5 - 1e-12 <= score <= 1.0 + 1e-12
    assert adjusted_rand_score(b, a) == pytest.approx(score, abs=1e-12)
    # Rename the predicted labels by an arbitrary injective map.
    values = np.unique(b)
    targets = rnd.sample(range(1000), len(values))
    renamed = np.array([targets[int(np.searchsorted(values, x))] for x in b])
    renamed = renamed.astype(np.int64)
    assert adjusted_rand_score(a, renamed) == pytest.approx(score, abs=1e-12)
    assert adjusted_rand_score(a, a) == 1.0


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ([], []),
        ([0], [5]),
        ([1, 1, 1], [2, 2, 2]),
        ([0, 1, 2, 3], [3, 2, 1, 0]),
        ([0, 0, 1, 1], [0, 1, 0, 1]),
        ([0, 0, 0, 0], [0, 1, 2, 3]),
        (["x", "y", "y"], ["b", "a", "a"]),
    ],
)
def test_ari_edge_cases_match_sklearn(a, b):
    assert adjusted_rand_score(a, b) == pytest.approx(sk_ari(a, b), abs=1e-12)


def test_ari_large_n_no_overflow():
    rng = np.random.default_rng(7)
    n = 300_000  # pair-count products exceed 2**63
    a = rng.integers(0, 3, n)
    b = np.where(rng.random(n) < 0.8, a, rng.integers(0, 3, n))
    assert adjusted_rand_score(a, b) == pytest.approx(sk_ari(a, b), abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(labelings(max_size=40))
def test_contingency_matches_sklearn(pair):
    a, b = pair
    ours = contingency_matrix(a, b)
    assert ours.dtype == np.int64
    assert ours.sum() == len(a)
    if len(a):
        np.testing.assert_array_equal(ours, sk_contingency(a, b))


@pytest.mark.parametrize(
    ("a", "b", "name"),
    [
        ([[0, 1]], [0, 1], "labels_true"),
        ([0, 1], [[0, 1]], "labels_pred"),
        ([0, 1, 2], [0, 1], "same length"),
    ],
)
def test_ari_validation(a, b, name):
    with pytest.raises(ValueError, match=name):
        adjusted_rand_score(a, b)
    with pytest.raises(ValueError, match=name):
        contingency_matrix(a, b)


def _random_cost(rng, shape, kind):
    if kind == "int":
        return rng.integers(0, 10, size=shape).astype(float)  # many ties
    if kind == "signed":
        return rng.normal(size=shape) * 100
    return rng.random(shape)


@pytest.mark.parametrize("kind", ["float", "int", "signed"])
@pytest.mark.parametrize("maximize", [False, True])
def test_lsa_optimal_cost_matches_scipy(kind, maximize):
    rng = np.random.default_rng(12345)
    for _ in range(40):
        shape = tuple(rng.integers(1, 9, size=2))
        cost = _random_cost(rng, shape, kind)
        rows, cols = linear_sum_assignment(cost, maximize=maximize)
        ref_rows, ref_cols = scipy_lsa(cost, maximize=maximize)
        assert len(rows) == min(shape)
        assert np.all(np.diff(rows) > 0)
        assert len(set(cols.tolist())) == len(cols)
        assert cost[rows, cols].sum() == pytest.approx(
            cost[ref_rows, ref_cols].sum(), rel=1e-12, abs=1e-9
        )


def test_lsa_square_larger():
    rng = np.random.default_rng(99)
    cost = rng.random((30, 30))
    rows, cols = linear_sum_assignment(cost)
    np.testing.assert_array_equal(rows, np.arange(30))
    np.testing.assert_array_equal(np.sort(cols), np.arange(30))
    ref = scipy_lsa(cost)
    assert cost[rows, cols].sum() == pytest.approx(cost[ref].sum(), rel=1e-12)


def test_lsa_empty_and_validation():
    rows, cols = linear_sum_assignment(np.zeros((0, 3)))
    assert rows.shape == cols.shape == (0,)
    with pytest.raises(ValueError, match="cost"):
        linear_sum_assignment(np.zeros(3))
    with pytest.raises(ValueError, match="cost"):
        linear_sum_assignment([[1.0, np.nan]])
    with pytest.raises(ValueError, match="cost"):
        linear_sum_assignment([["a", "b"]])


@pytest.mark.parametrize(("n_true", "n_pred"), [(3, 3), (2, 5), (5, 3), (1, 1)])
def test_match_labels_recovers_a_hidden_permutation(n_true, n_pred):
    rng = np.random.default_rng(n_true * 10 + n_pred)
    truth = rng.integers(0, n_true, 400)
    truth[:n_true] = np.arange(n_true)
    # Fitted ids: a random renaming of the truth, plus some noise, and extra
    # components that take a few points when n_pred > n_true.
    perm = rng.permutation(n_pred)
    fitted = perm[truth % n_pred].copy()
    noisy = rng.random(400) < 0.1
    fitted[noisy] = rng.integers(0, n_pred, noisy.sum())
    mapping = match_labels(truth, fitted, n_true, n_pred)
    assert mapping.shape == (n_pred,)
    assert mapping.dtype == np.int64
    assert len(set(mapping.tolist())) == n_pred
    matched = mapping < n_true
    assert matched.sum() == min(n_true, n_pred)
    np.testing.assert_array_equal(
        np.sort(mapping[~matched]), n_true + np.arange(n_pred - matched.sum())
    )
    if n_pred >= n_true:
        # Every true cluster is found again under its own id.
        for t in range(n_true):
            assert mapping[perm[t]] == t
    # No other one-to-one renaming agrees with the truth on more points.
    agree = np.sum(mapping[fitted] == truth)
    table = np.zeros((n_pred, n_true))
    np.add.at(table, (fitted, truth), 1)
    r, c = scipy_lsa(table, maximize=True)
    assert agree == table[r, c].sum()


def test_match_labels_defaults_and_validation():
    mapping = match_labels([0, 0, 1, 1], [1, 1, 0, 0])
    np.testing.assert_array_equal(mapping, [1, 0])
    assert match_labels([], [], 2, 3).shape == (3,)
    with pytest.raises(ValueError, match="labels_pred"):
        match_labels([0, 1], [0, -1])
    with pytest.raises(ValueError, match="n_pred"):
        match_labels([0, 1], [0, 3], n_pred=2)
    with pytest.raises(ValueError, match="labels_true"):
        match_labels([0.5, 1.0], [0, 1])
    with pytest.raises(ValueError, match="same length"):
        match_labels([0, 1, 1], [0, 1])
