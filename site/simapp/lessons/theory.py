"""Numbers quoted by the theory section (``site/theory.html``).

The theory text shows some values for the current settings next to its
formulas: free-parameter counts, ``ln N``, the AIC and BIC penalties, the
bound's terms and half-steps, what the E-step temperature does to a pair of
responsibilities, the annealing schedule and the Bayesian fit's stick-breaking
prior.
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
>>> v = live_values(3, 500, "full", temp=0.5, conc=1.0)
>>> v["temp-exponent"], v["temp-resp-first"], v["alpha"], v["stick-first"]
('2', '0.692', '1', '0.5')
"""

from __future__ import annotations

import math

from emcore import COVARIANCE_TYPES, annealing_temperatures
from emcore.experiment import LIMITS
from simapp.state.settings import ANNEAL_SCHEDULE, INT_LIMITS, TEMP_LIMITS, temp_label

__all__ = [
    "FEATURES",
    "PAIR",
    "LIVE_KEYS",
    "PARAMS_2D",
    "anneal_schedule",
    "covariance_terms",
    "live_values",
    "n_parameters",
    "tempered_pair",
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

#: The responsibilities of one point at ``T = 1`` that the theory text
#: tempers: what the E-step temperature does to a 60 : 40 split.
PAIR: tuple[float, float] = (0.6, 0.4)

#: Most annealing stages the schedule's text lists in full; a longer one
#: shows its first three and last two.
_STAGES_SHOWN = 6

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
    "iters",
    "half-steps",
    "temp",
    "temp-exponent",
    "temp-odds",
    "temp-resp-first",
    "temp-resp-second",
    "anneal-start",
    "anneal-factor",
    "anneal-schedule",
    "anneal-stages",
    "alpha",
    "stick-first",
    "stick-last",
    "stick-rest",
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


def _check(k: int, n: int, cov: str, temp: float, conc: float | None, iters: int):
    for name, value in (("k", k), ("n", n), ("iters", iters)):
        low, high = INT_LIMITS[name]
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{name} must be an int, got {value!r}")
        if not low <= value <= high:
            raise ValueError(f"{name}={value} is outside [{low}, {high}]")
    if cov not in COVARIANCE_TYPES:
        raise ValueError(f"cov={cov!r} is not one of {', '.join(COVARIANCE_TYPES)}")
    bounds = {"temp": TEMP_LIMITS, "conc": LIMITS["concentration"]}
    for name, value in (("temp", temp), ("conc", conc)):
        if value is None and name == "conc":
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"{name} must be a number, got {value!r}")
        low, high = bounds[name]
        if not low <= value <= high:
            raise ValueError(f"{name}={value} is outside [{low:g}, {high:g}]")


_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _sig(x: float) -> str:
    """``x >= 0`` to 3 significant digits: ``'0.333'``, ``'1,000'``, and
    ``'1 × 10⁻¹⁵'`` below 0.001, where plain decimals would be all zeros."""
    if x == 0 or x >= 0.001:
        return f"{x:,.0f}" if x >= 100 else f"{x:.3g}"
    mantissa, exponent = f"{x:.2e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa} × 10{str(int(exponent)).translate(_SUPERSCRIPTS)}"


def _model_values(k: int, n: int, cov: str) -> dict[str, str]:
    """The parameter counts, penalties and counts of the EM topics."""
    p = n_parameters(k, cov)
    step = n_parameters(k + 1, cov) - p
    ln_n = math.log(n)
    return {
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


def tempered_pair(temp: float) -> tuple[float, float]:
    """:data:`PAIR` after the E-step at temperature ``temp``: each raised to
    ``1 / temp`` and renormalised (``temp = 0``: the larger one takes all)."""
    first, second = PAIR
    if temp == 0:
        return (1.0, 0.0)
    # the ratio (first / second) ** (1 / T) cannot overflow a float for
    # T >= 0.05, the control's smallest step above 0
    odds = (first / second) ** (1.0 / temp)
    return (odds / (1.0 + odds), 1.0 / (1.0 + odds))


def _temperature_values(temp: float) -> dict[str, str]:
    """The E-step temperature, its exponent and what it does to :data:`PAIR`."""
    first, second = tempered_pair(temp)
    odds = math.inf if temp == 0 else (PAIR[0] / PAIR[1]) ** (1.0 / temp)
    return {
        "temp": temp_label(temp),
        "temp-exponent": "∞" if temp == 0 else _sig(1.0 / temp),
        "temp-odds": "∞" if temp == 0 else _sig(odds),
        "temp-resp-first": f"{first:.3f}",
        "temp-resp-second": f"{second:.3f}",
    }


def anneal_schedule(temp: float) -> tuple[float, ...]:
    """The temperatures ``anneal=1`` runs the page's EM fit at, hottest first,
    down to ``temp``; just ``(temp,)`` when there is nothing to cool through
    (``temp`` 0, or not below the schedule's start)."""
    if 0 < temp < ANNEAL_SCHEDULE[0]:
        return annealing_temperatures(ANNEAL_SCHEDULE, temp)
    return (float(temp),)


def _anneal_values(temp: float) -> dict[str, str]:
    # four digits: 1.215 and a last stage 0.2502 just above T = 0.25
    stages = [f"{t:.4g}" for t in anneal_schedule(temp)]
    if len(stages) > _STAGES_SHOWN:
        stages = [*stages[:3], "…", *stages[-2:]]
    return {
        "anneal-start": _sig(ANNEAL_SCHEDULE[0]),
        "anneal-factor": _sig(ANNEAL_SCHEDULE[1]),
        "anneal-schedule": ", ".join(stages),
        "anneal-stages": str(len(anneal_schedule(temp))),
    }


def _prior_values(k: int, conc: float | None) -> dict[str, str]:
    """The stick-breaking prior's concentration and expected weights."""
    alpha = 1.0 / k if conc is None else float(conc)
    share = alpha / (1.0 + alpha)  # the expected part of the rest a stick leaves
    return {
        "alpha": _sig(alpha),
        "stick-first": _sig(1.0 / (1.0 + alpha)),
        "stick-last": _sig(share ** (k - 1) / (1.0 + alpha)),
        "stick-rest": _sig(share**k),
    }


def live_values(
    k: int,
    n: int,
    cov: str,
    *,
    temp: float = 1.0,
    conc: float | None = None,
    iters: int = 100,
) -> dict[str, str]:
    """Text of every ``data-live`` element of the theory section.

    Parameters
    ----------
    k : int
        Number of components, 2-6.
    n : int
        Sample size, 100-5000.
    cov : {'full', 'tied', 'diag', 'spherical'}
        Covariance type of the fit.
    temp : float, default 1.0
        The E-step temperature, in ``TEMP_LIMITS`` (0-5; 1 is EM).
    conc : float or None, default None
        The Bayesian fit's concentration prior ``α`` (None: ``1 / k``).
    iters : int, default 100
        The iteration cap.

    Returns
    -------
    dict of str to str
        Keys :data:`LIVE_KEYS`:

        ``k``, ``n``, ``cov``, ``iters``, ``temp``
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
            ``N k`` responsibilities computed by every E-step (and terms
            of the bound's double sum).
        ``pairs``
            ``N(N-1)/2`` point pairs compared by the ARI.
        ``half-steps``
            ``2 iters``: the most half-steps (E, then M) the bound panel draws.
        ``temp-exponent``, ``temp-odds``
            ``1 / T`` and ``(0.6 / 0.4) ** (1 / T)`` (``∞`` at ``T = 0``).
        ``temp-resp-first``, ``temp-resp-second``
            :data:`PAIR` at this temperature (:func:`tempered_pair`).
        ``anneal-start``, ``anneal-factor``
            ``T0`` and the factor between stages of ``anneal=1``.
        ``anneal-schedule``, ``anneal-stages``
            :func:`anneal_schedule` (its middle elided past six stages)
            and its length.
        ``alpha``
            The concentration ``α`` the Bayesian fit uses.
        ``stick-first``, ``stick-last``, ``stick-rest``
            The prior's expected weight of the first stick ``1 / (1 + α)``,
            of the ``k``-th ``α^(k-1) / (1 + α)^k``, and the mass it
            expects beyond ``k`` components, ``(α / (1 + α))^k``.

    Raises
    ------
    ValueError
        If a setting is outside the page's ranges.
    """
    _check(k, n, cov, temp, conc, iters)
    values = {
        **_model_values(k, n, cov),
        "iters": str(iters),
        "half-steps": str(2 * iters),
        **_temperature_values(temp),
        **_anneal_values(temp),
        **_prior_values(k, conc),
    }
    return {key: values[key] for key in LIVE_KEYS}
