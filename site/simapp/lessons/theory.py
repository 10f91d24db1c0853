"""Numbers quoted by the theory section (``site/theory.html``).

The theory text shows some values for the current settings next to its
formulas: free-parameter counts, ``ln N``, the AIC and BIC penalties and so on.
Each such place is an element ``<span class="live" data-live="KEY">`` and
:func:`live_values` returns the text of every ``KEY``. The page calls it on
every settings change and sets each element's ``textContent``.

Pure Python (no ``js``/``pyscript`` imports, no numpy) so it runs and is
tested in CPython; the tests check every number against ``emcore``.

Examples
--------
>>> v = live_values(3, 500, "full")
>>> v["params"], v["params-tied"], v["ln-n"], v["bic-penalty"]
('17', '11', '6.21', '105.6')
"""

from __future__ import annotations

import math

from emcore import COVARIANCE_TYPES
from simapp.state.settings import INT_LIMITS

__all__ = [
    "FEATURES",
    "LIVE_KEYS",
    "PARAMS_2D",
    "covariance_terms",
    "live_values",
    "n_parameters",
]

#: Dimension of the simulated data.
FEATURES: int = 2

#: Closed forms of the free-parameter count in 2-D, as (a, b) in ``a*K + b``.
PARAMS_2D: dict[str, tuple[int, int]] = {
    "full": (6, -1),
    "tied": (3, 2),
    "diag": (5, -1),
    "spherical": (4, -1),
}

#: Every key :func:`live_values` returns, in a stable order.
LIVE_KEYS: tuple[str, ...] = (
    "k",
    "n",
    "cov",
    "params-full",
    "params-tied",
    "params-diag",
    "params-spherical",
    "params",
    "params-means",
    "params-weights",
    "params-cov",
    "params-step",
    "ln-n",
    "aic-penalty",
    "bic-penalty",
    "penalty-ratio",
    "aic-gain",
    "bic-gain",
    "resp-count",
    "pairs",
)


def covariance_terms(k: int, cov: str, d: int = FEATURES) -> int:
    """Free covariance entries of a ``k``-component mixture in ``d`` dimensions.

    Parameters
    ----------
    k : int
        Number of components.
    cov : {'full', 'tied', 'diag', 'spherical'}
    d : int, default 2
        Number of features.

    Returns
    -------
    int
        ``k d(d+1)/2``, ``d(d+1)/2``, ``k d`` or ``k`` respectively.
    """
    if cov == "full":
        return k * d * (d + 1) // 2
    if cov == "tied":
        return d * (d + 1) // 2
    if cov == "diag":
        return k * d
    if cov == "spherical":
        return k
    raise ValueError(f"cov={cov!r} is not one of {', '.join(COVARIANCE_TYPES)}")


def n_parameters(k: int, cov: str, d: int = FEATURES) -> int:
    """Free parameters: ``k d`` means, ``k - 1`` weights, the covariance terms."""
    return k * d + (k - 1) + covariance_terms(k, cov, d)


def _check(k: int, n: int, cov: str) -> None:
    for name, value in (("k", k), ("n", n)):
        low, high = INT_LIMITS[name]
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{name} must be an int, got {value!r}")
        if not low <= value <= high:
            raise ValueError(f"{name}={value} is outside [{low}, {high}]")
    if cov not in COVARIANCE_TYPES:
        raise ValueError(f"cov={cov!r} is not one of {', '.join(COVARIANCE_TYPES)}")


def live_values(k: int, n: int, cov: str) -> dict[str, str]:
    """Text of every ``data-live`` element of the theory section.

    Parameters
    ----------
    k : int
        Number of components, 2-6.
    n : int
        Sample size, 100-5000.
    cov : {'full', 'tied', 'diag', 'spherical'}
        Covariance type of the fit.

    Returns
    -------
    dict of str to str
        Keys :data:`LIVE_KEYS`:

        ``k``, ``n``, ``cov``
            The settings themselves (``n`` with thousands separators).
        ``params-full``, ``params-tied``, ``params-diag``, ``params-spherical``
            Free parameters ``p`` of each covariance type at this ``k``.
        ``params``
            ``p`` of the chosen type (the page's "Estimated parameters").
        ``params-means``, ``params-weights``, ``params-cov``
            Its three parts: ``2k`` mean coordinates, ``k - 1`` weights and
            the covariance terms.
        ``params-step``
            Parameters one more component adds (chosen type).
        ``ln-n``
            ``ln N`` to 2 decimals (BIC's price per parameter).
        ``aic-penalty``, ``bic-penalty``
            ``2p`` and ``p ln N`` (1 decimal).
        ``penalty-ratio``
            ``ln N / 2``: how many times AIC's price per parameter BIC charges.
        ``aic-gain``, ``bic-gain``
            Rise in the total log-likelihood ``ℓ`` that one more component
            must bring for AIC (``params-step``) or BIC
            (``params-step · ln N / 2``) to go down.
        ``resp-count``
            ``N k`` responsibilities computed by every E-step.
        ``pairs``
            ``N(N-1)/2`` point pairs compared by the ARI.

    Raises
    ------
    ValueError
        If ``k``, ``n`` or ``cov`` is outside the page's ranges.
    """
    _check(k, n, cov)
    p = n_parameters(k, cov)
    step = n_parameters(k + 1, cov) - p
    ln_n = math.log(n)
    values = {
        "k": str(k),
        "n": f"{n:,}",
        "cov": cov,
        **{f"params-{c}": str(n_parameters(k, c)) for c in COVARIANCE_TYPES},
        "params": str(p),
        "params-means": str(k * FEATURES),
        "params-weights": str(k - 1),
        "params-cov": str(covariance_terms(k, cov)),
        "params-step": str(step),
        "ln-n": f"{ln_n:.2f}",
        "aic-penalty": str(2 * p),
        "bic-penalty": f"{p * ln_n:.1f}",
        "penalty-ratio": f"{ln_n / 2:.2f}",
        "aic-gain": str(step),
        "bic-gain": f"{step * ln_n / 2:.1f}",
        "resp-count": f"{n * k:,}",
        "pairs": f"{n * (n - 1) // 2:,}",
    }
    return {key: values[key] for key in LIVE_KEYS}
