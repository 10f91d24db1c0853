"""emcore.experiment's ``means_init``: the watched fit's starting means."""

from __future__ import annotations

import numpy as np
import pytest

from emcore.experiment import check_settings, iterate, iterate_data, run


def _init_frames(events):
    return [e for e in events if e.kind == "init"]


@pytest.mark.parametrize("cov", ["full", "tied", "diag", "spherical"])
def test_every_start_of_the_watched_fit_begins_at_the_given_means(cov):
    rng = np.random.default_rng(11)
    means = rng.uniform(-4.0, 4.0, size=(3, 2)).round(2)
    settings = {"k": 3, "n": 200, "cov": cov, "seed": 4, "n_init": 2}
    starts = _init_frames(iterate(**settings, means_init=means.tolist()))
    assert len(starts) == 2
    for frame in starts:
        np.testing.assert_allclose(frame.means, means)


def test_means_init_changes_only_the_watched_fit():
    settings = {"k": 3, "n": 300, "overlap": 40, "seed": 5, "n_init": 1}
    default = run(**settings)
    bad_start = ((0.0, 0.0), (0.1, 0.0), (0.0, 0.1))
    started = run(**settings, means_init=bad_start)
    assert started.trace != default.trace
    for i, k in enumerate(started.sweep.ks):
        if k != 3:
            assert started.sweep.bic[i] == default.sweep.bic[i], k
    assert started.settings["means_init"] == bad_start
    assert "means_init" not in default.settings


def test_means_init_for_own_data():
    rng = np.random.default_rng(2)
    X = np.vstack([rng.normal(0, 1, (50, 2)), rng.normal(6, 1, (50, 2))])
    start = [[6.0, 0.0], [0.0, 6.0]]
    frames = _init_frames(iterate_data(X, k=2, n_init=1, means_init=start))
    np.testing.assert_allclose(frames[0].means, start)


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        ([[0.0, 0.0], [1.0, 1.0]], "must have 3 rows"),
        ([[0, 0], [1, 1], [2, float("nan")]], "finite"),
        ([[0, 0], [1, "a"], [2, 2]], "rows of numbers"),
        ([0.0, 1.0, 2.0], "must have 3 rows"),
    ],
)
def test_means_init_is_checked_by_name(bad, words):
    with pytest.raises(ValueError, match="means_init") as info:
        check_settings(k=3, means_init=bad)
    assert words in str(info.value)


def test_means_init_columns_are_checked_against_the_data():
    with pytest.raises(ValueError, match="means_init"):
        run(k=2, n=100, seed=1, means_init=[[0, 0, 0], [1, 1, 1]])
