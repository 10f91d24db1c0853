"""emcore.experiment's ``annealing``: the watched EM fit's deterministic
annealing schedule."""

from __future__ import annotations

import numpy as np
import pytest

from emcore import GaussianMixture
from emcore.experiment import check_settings, iterate, run
from emcore.experiment.settings import COVARIANCE_TYPES, REG_COVAR, fit_rng


@pytest.mark.parametrize("cov", ["full", "tied", "diag", "spherical"])
def test_the_watched_fit_is_the_annealed_estimator(cov):
    seed = int(np.random.default_rng(len(cov) + 11).integers(0, 10_000))
    settings = {"k": 3, "n": 300, "overlap": 20, "cov": cov, "seed": seed}
    result = run(**settings, annealing=(1.5, 0.9), n_init=2)
    gm = GaussianMixture(
        3,
        covariance_type=cov,
        tol=1e-4,
        reg_covar=REG_COVAR,
        max_iter=100,
        n_init=2,
        init_params="k-means++",
        random_state=fit_rng(seed, 3, COVARIANCE_TYPES.index(cov)),
        on_singular="regularize",
        annealing=(1.5, 0.9),
    ).fit(result.X)
    np.testing.assert_array_equal(result.means, gm.means_)
    assert result.iterations == gm.n_iter_
    assert result.settings["annealing"] == (1.5, 0.9)


def test_frames_number_the_iterations_across_stages():
    settings = {"k": 3, "n": 300, "overlap": 20, "seed": 4, "n_init": 1}
    frames = [e for e in iterate(**settings, annealing=(1.5, 0.9)) if e.kind == "em"]
    plain = [e for e in iterate(**settings) if e.kind == "em"]
    assert [f.iteration for f in frames] == list(range(1, len(frames) + 1))
    assert len(frames) > len(plain)  # five stages, each to convergence
    assert [f.converged for f in frames].count(True) == 1  # the last stage's


def test_only_the_watched_cell_is_annealed():
    settings = {"k": 3, "n": 300, "overlap": 20, "seed": 4}
    plain, annealed = run(**settings), run(**settings, annealing=(1.5, 0.9))
    for cov, sweep in plain.comparison.items():
        other = annealed.comparison[cov]
        for j, k in enumerate(sweep.ks):
            if k != 3:
                assert other.bic[j] == sweep.bic[j]


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"annealing": (1.5, 0.9), "model": "bayes"}, "annealing is a schedule"),
        ({"annealing": (1.5, 0.9), "temperature": 0.0}, "final temperature > 0"),
        ({"annealing": (0.5, 0.9)}, "T0"),
        ({"annealing": (1.5, 1.0)}, "factor"),
        ({"annealing": "hot"}, "pair"),
    ],
)
def test_bad_schedules_are_named(settings, message):
    with pytest.raises(ValueError, match=message):
        check_settings(**settings)


def test_no_annealing_is_recorded_as_before():
    assert "annealing" not in check_settings(k=3, annealing=None)
