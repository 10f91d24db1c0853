"""emcore's digamma, log-gamma and log-beta against scipy's."""

import numpy as np
import pytest

from emcore.variational.special import betaln, digamma, gammaln

special = pytest.importorskip("scipy.special", reason="scipy is not installed")

#: Arguments from 1e-8 to 1e8, and densely where the functions cross zero.
X = np.concatenate([np.logspace(-8, 8, 801), np.linspace(0.05, 30.0, 1200)])


@pytest.mark.parametrize("name", ["digamma", "gammaln"])
def test_matches_scipy_in_relative_and_absolute_terms(name):
    ours = {"digamma": digamma, "gammaln": gammaln}[name](X)
    theirs = getattr(special, name)(X)
    # relative accuracy, except where the function crosses 0 (there absolute)
    np.testing.assert_allclose(ours, theirs, rtol=2e-14, atol=2e-15)


def test_betaln_matches_scipy_for_the_sticks_a_fit_meets():
    rng = np.random.default_rng(0)
    a = np.concatenate([rng.uniform(1.0, 5000.0, 500), rng.uniform(1e-3, 2.0, 500)])
    b = np.concatenate([rng.uniform(1e-3, 5000.0, 500), rng.uniform(1e-3, 2.0, 500)])
    np.testing.assert_allclose(betaln(a, b), special.betaln(a, b), rtol=1e-12)


def test_scalars_in_scalars_out_and_shapes_kept():
    assert isinstance(digamma(2.5), float) and isinstance(gammaln(2.5), float)
    assert digamma(1.0) == pytest.approx(-np.euler_gamma, rel=1e-15)
    assert gammaln(0.5) == pytest.approx(0.5 * np.log(np.pi), rel=1e-15)
    grid = X[:12].reshape(3, 4)
    assert digamma(grid).shape == (3, 4) and gammaln(grid).shape == (3, 4)
    # the recurrence psi(x + 1) = psi(x) + 1 / x holds across the switch at 10
    x = np.linspace(8.5, 10.5, 9)
    np.testing.assert_allclose(digamma(x + 1), digamma(x) + 1 / x, rtol=1e-15)
