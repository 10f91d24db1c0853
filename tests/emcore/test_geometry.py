"""Tests for emcore.geometry: component ellipses for every covariance type."""

import math

import numpy as np
import pytest

from emcore.geometry import (
    COVARIANCE_TYPES,
    Ellipse,
    component_ellipse,
    mixture_ellipses,
    to_full_covariances,
)


def _random_spd(rng, d):
    a = rng.normal(size=(d, d))
    return a @ a.T + 0.05 * np.eye(d)


def _rebuild(ellipse, n_std):
    """Covariance implied by an ellipse: V diag(lam) V' from axes and angle."""
    lam = (np.asarray(ellipse.semi_axes) / n_std) ** 2
    c, s = math.cos(ellipse.angle), math.sin(ellipse.angle)
    v = np.array([[c, -s], [s, c]])
    return v @ np.diag(lam) @ v.T


def _random_covariances(rng, covariance_type, k, d):
    if covariance_type == "full":
        return np.stack([_random_spd(rng, d) for _ in range(k)])
    if covariance_type == "tied":
        return _random_spd(rng, d)
    if covariance_type == "diag":
        return rng.uniform(0.1, 3.0, size=(k, d))
    return rng.uniform(0.1, 3.0, size=k)


@pytest.mark.parametrize("d", [2, 3, 5])
@pytest.mark.parametrize("n_std", [1.0, 2.0, 0.5])
def test_full_ellipse_reconstructs_covariance(d, n_std):
    rng = np.random.default_rng(d * 100 + int(n_std * 10))
    for _ in range(50):
        cov = _random_spd(rng, d)
        mean = rng.normal(size=d)
        ell = component_ellipse(mean, cov, "full", n_std=n_std)
        np.testing.assert_allclose(_rebuild(ell, n_std), cov[:2, :2], atol=1e-10)
        np.testing.assert_array_equal(ell.center, mean[:2])
        assert ell.semi_axes[0] >= ell.semi_axes[1] >= 0
        assert -math.pi / 2 < ell.angle <= math.pi / 2
        # The semi-axes are n_std times those of the 1-sigma ellipse.
        unit = component_ellipse(mean, cov, "tied")
        np.testing.assert_allclose(ell.semi_axes, n_std * unit.semi_axes)
        assert ell.angle == pytest.approx(unit.angle)
        # ... and agree with numpy's eigenvalues of the marginal block.
        lam = np.linalg.eigvalsh(cov[:2, :2])[::-1]
        np.testing.assert_allclose(ell.semi_axes, n_std * np.sqrt(lam), rtol=1e-9)


def test_major_axis_points_along_first_eigenvector():
    rng = np.random.default_rng(3)
    for _ in range(50):
        cov = _random_spd(rng, 2)
        ell = component_ellipse(np.zeros(2), cov, "full")
        direction = np.array([math.cos(ell.angle), math.sin(ell.angle)])
        # Variance along the major axis is the largest eigenvalue.
        assert direction @ cov @ direction == pytest.approx(ell.semi_axes[0] ** 2)


@pytest.mark.parametrize("covariance_type", ["diag", "spherical"])
def test_axis_aligned_types_give_axis_aligned_ellipses(covariance_type):
    rng = np.random.default_rng(11)
    for _ in range(50):
        d = int(rng.integers(2, 5))
        cov = _random_covariances(rng, covariance_type, 1, d)[0]
        ell = component_ellipse(rng.normal(size=d), cov, covariance_type, n_std=1.5)
        variances = np.broadcast_to(cov, (d,))[:2]
        np.testing.assert_allclose(
            ell.semi_axes, 1.5 * np.sqrt(np.sort(variances)[::-1])
        )
        if variances[0] >= variances[1]:
            assert ell.angle == 0.0
        else:
            assert ell.angle == pytest.approx(math.pi / 2)


def test_circle_and_vertical_edge_cases():
    circle = component_ellipse([0.0, 0.0], np.eye(2) * 4.0, "full")
    assert circle.angle == 0.0
    np.testing.assert_allclose(circle.semi_axes, [2.0, 2.0])
    # A negative zero off-diagonal must not flip the angle to -pi/2.
    tall = component_ellipse([0.0, 0.0], np.array([[1.0, -0.0], [-0.0, 9.0]]), "full")
    assert tall.angle == pytest.approx(math.pi / 2)
    np.testing.assert_allclose(tall.semi_axes, [3.0, 1.0])
    # A singular (collapsed) covariance still gives an ellipse.
    flat = component_ellipse([1.0, 2.0], np.array([[1.0, 1.0], [1.0, 1.0]]), "full")
    assert flat.semi_axes[1] == pytest.approx(0.0, abs=1e-7)
    assert flat.angle == pytest.approx(math.pi / 4)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
@pytest.mark.parametrize("d", [2, 3])
def test_mixture_ellipses_agree_with_full_expansion(covariance_type, d):
    rng = np.random.default_rng(len(covariance_type) * 10 + d)
    k = 4
    means = rng.normal(size=(k, d)) * 5
    covs = _random_covariances(rng, covariance_type, k, d)
    full = to_full_covariances(covs, covariance_type, k, d)
    assert full.shape == (k, d, d)
    np.testing.assert_allclose(full, np.swapaxes(full, 1, 2))
    assert np.all(np.linalg.eigvalsh(full) > 0)
    ellipses = mixture_ellipses(means, covs, covariance_type, n_std=2.0)
    assert len(ellipses) == k
    for i, ell in enumerate(ellipses):
        assert isinstance(ell, Ellipse)
        np.testing.assert_allclose(_rebuild(ell, 2.0), full[i, :2, :2], atol=1e-10)
        np.testing.assert_array_equal(ell.center, means[i, :2])
        # The per-component form of the same covariance gives the same ellipse.
        single = {
            "full": lambda i=i: covs[i],
            "tied": lambda: covs,
            "diag": lambda i=i: covs[i],
            "spherical": lambda i=i: covs[i],
        }[covariance_type]()
        same = component_ellipse(means[i], single, covariance_type, n_std=2.0)
        np.testing.assert_allclose(same.semi_axes, ell.semi_axes)
        assert same.angle == pytest.approx(ell.angle, abs=1e-12)


def test_ellipse_is_frozen_and_serialisable():
    ell = component_ellipse([1.0, -2.0], np.diag([4.0, 1.0]), "full")
    with pytest.raises(AttributeError):
        ell.angle = 1.0
    with pytest.raises(ValueError):
        ell.center[0] = 5.0
    d = ell.to_dict()
    assert d == {"cx": 1.0, "cy": -2.0, "rx": 2.0, "ry": 1.0, "angle": 0.0}
    assert ell.angle_degrees == 0.0


@pytest.mark.parametrize("bad", ["ful", "FULL", None, 3])
def test_unknown_covariance_type(bad):
    with pytest.raises(ValueError, match="covariance_type"):
        component_ellipse([0.0, 0.0], np.eye(2), bad)
    with pytest.raises(ValueError, match="covariance_type"):
        mixture_ellipses(np.zeros((1, 2)), np.eye(2)[None], bad)
    with pytest.raises(ValueError, match="covariance_type"):
        to_full_covariances(np.eye(2)[None], bad, 1, 2)


@pytest.mark.parametrize("bad", [0, -1.0, float("nan"), float("inf"), True, "1"])
def test_n_std_must_be_positive(bad):
    with pytest.raises(ValueError, match="n_std"):
        component_ellipse([0.0, 0.0], np.eye(2), "full", n_std=bad)
    with pytest.raises(ValueError, match="n_std"):
        mixture_ellipses(np.zeros((1, 2)), np.eye(2)[None], "full", n_std=bad)


def test_shape_and_value_validation():
    with pytest.raises(ValueError, match="mean"):
        component_ellipse([0.0], np.eye(1), "full")
    with pytest.raises(ValueError, match="shape"):
        component_ellipse([0.0, 0.0], np.eye(3), "full")
    with pytest.raises(ValueError, match="diag"):
        component_ellipse([0.0, 0.0], np.eye(2), "diag")
    with pytest.raises(ValueError, match="spherical"):
        component_ellipse([0.0, 0.0], [1.0, 1.0], "spherical")
    with pytest.raises(ValueError, match="positive semi-definite"):
        component_ellipse([0.0, 0.0], np.array([[1.0, 2.0], [2.0, 1.0]]), "full")
    with pytest.raises(ValueError, match="finite"):
        component_ellipse([0.0, np.nan], np.eye(2), "full")
    with pytest.raises(ValueError, match="means"):
        mixture_ellipses(np.zeros(2), np.eye(2), "tied")
    with pytest.raises(ValueError, match=r"\(3, 2\)"):
        to_full_covariances(np.ones((2, 2)), "diag", 3, 2)
    with pytest.raises(ValueError, match="n_components"):
        to_full_covariances(np.ones(2), "spherical", 0, 2)
