"""Component health: suspect components are named, healthy fits are not."""

import numpy as np
import pytest

from emcore import GaussianMixture, simulate
from emcore.diagnostics import (
    MULTIPLICITY_MAX,
    RCOND_MIN,
    _data_log_det,
    component_health,
    covariances_suspect,
    degeneracy_note,
)

COV_TYPES = ("full", "tied", "diag", "spherical")


@pytest.mark.parametrize("cov", COV_TYPES)
@pytest.mark.parametrize("seed", range(4))
def test_well_separated_simulated_fits_are_healthy(cov, seed):
    X, _ = simulate(800, 3, 0.1, random_state=seed)
    gm = GaussianMixture(3, covariance_type=cov, n_init=2, random_state=seed).fit(X)
    health = component_health(gm, X)
    assert [h.component for h in health] == [0, 1, 2]
    assert sum(h.n_points for h in health) == len(X)
    assert degeneracy_note(health) == ""


@pytest.mark.parametrize("cov", ["full", "diag", "spherical"])
def test_a_component_on_one_repeated_point_is_flagged(cov):
    rng = np.random.default_rng(3)
    spot = np.array([6.0, -5.0])
    X = np.vstack([rng.normal(size=(300, 2)), np.repeat(spot[None], 25, axis=0)])
    gm = GaussianMixture(2, covariance_type=cov, random_state=0).fit(X)
    health = component_health(gm, X)
    bad = [h for h in health if h.degenerate]
    assert len(bad) == 1
    assert np.allclose(gm.means_[bad[0].component], spot, atol=1e-6)
    assert bad[0].n_points == 25 and bad[0].n_distinct == 1
    note = degeneracy_note(health)
    assert f"component {bad[0].component + 1}:" in note
    assert "duplicated points (25 points at 1 distinct positions)" in note


def test_points_on_a_line_make_a_near_singular_component():
    rng = np.random.default_rng(5)
    t = rng.uniform(-3, 3, size=60)
    line = np.column_stack([t, 0.5 * t]) + [8.0, 8.0]
    X = np.vstack([rng.normal(size=(300, 2)), line])
    gm = GaussianMixture(2, random_state=0).fit(X)
    health = component_health(gm, X)
    flagged = [h for h in health if h.degenerate]
    assert len(flagged) == 1
    assert flagged[0].rcond < RCOND_MIN
    assert "near-singular" in flagged[0].reasons[0]


@pytest.mark.parametrize("cov", COV_TYPES)
def test_covariances_alone_flag_what_health_calls_near_singular_or_collapsed(cov):
    rng = np.random.default_rng(7)
    t = rng.uniform(-3, 3, size=40)
    X = np.vstack(
        [
            rng.normal(size=(200, 2)),
            np.column_stack([t, 0.5 * t]) + [8.0, 8.0],  # a line
            np.repeat([[-6.0, 6.0]], 6, axis=0) + rng.normal(0, 1e-5, (6, 2)),
        ]
    )
    flags = []
    for k in range(1, 9):
        gm = GaussianMixture(
            k, covariance_type=cov, random_state=k, on_singular="regularize"
        ).fit(X)
        reasons = [r for h in component_health(gm, X) for r in h.reasons]
        expected = any("near-singular" in r or "collapsed" in r for r in reasons)
        got = covariances_suspect(gm.covariances_, cov, 2, _data_log_det(X))
        assert got == expected, k
        flags.append(got)
    # both kinds of fit were judged (one shared covariance stays healthy)
    assert (cov == "tied" or any(flags)) and not all(flags)


def test_multiplicity_threshold_is_strict():
    # 4 distinct points each repeated exactly MULTIPLICITY_MAX times: not flagged
    rng = np.random.default_rng(1)
    reps = int(MULTIPLICITY_MAX)
    corners = rng.normal(size=(4, 2)) * 0.3 + [20.0, 20.0]
    blob = rng.normal(size=(200, 2))
    X = np.vstack([blob, np.repeat(corners, reps, axis=0)])
    gm = GaussianMixture(2, random_state=0).fit(X)
    far = int(np.argmax(gm.means_[:, 0]))
    assert component_health(gm, X)[far].reasons == ()
    X_more = np.vstack([blob, np.repeat(corners, reps + 1, axis=0)])
    gm = GaussianMixture(2, random_state=0).fit(X_more)
    far = int(np.argmax(gm.means_[:, 0]))
    assert "duplicated" in " ".join(component_health(gm, X_more)[far].reasons)


@pytest.mark.parametrize("seed", range(5))
def test_count_distinct_rows_matches_a_row_sort_per_label(seed):
    from emcore.diagnostics import count_distinct_rows

    rng = np.random.default_rng(seed)
    for _ in range(40):
        n, d = int(rng.integers(0, 300)), int(rng.integers(1, 4))
        scale = rng.choice([0.5, 1e-300, 1e300, -0.0])
        X = rng.integers(-2, 3, (n, d)).astype(float) * scale  # many repeats, ±0
        labels = rng.integers(0, 4, n)
        expected = [len(np.unique(X[labels == j], axis=0)) for j in range(4)]
        assert count_distinct_rows(X, labels, 4).tolist() == expected


def test_count_distinct_rows_survives_a_hash_collision(monkeypatch):
    from emcore import diagnostics

    # a constant hash makes every pair collide: the exact fallback answers
    monkeypatch.setattr(diagnostics, "_MIX_B", np.uint64(0))
    X = np.array([[1.0, 2.0], [1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    assert diagnostics.count_distinct_rows(X, [0, 0, 0, 1], 2).tolist() == [2, 1]
