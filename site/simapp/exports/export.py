"""Export a run's fitted parameters as JSON.

:func:`params_json` writes the fitted mixture, its scores and the settings as
strict JSON (no ``NaN``/``Infinity`` tokens: non-finite numbers become
``null`` and are listed under ``"notes"``). Keys come in a fixed, documented
order; floats are written with Python's shortest round-trip repr, so reading
the file back gives the same float64 values.

The data, a stand-alone script and a notebook that repeat the fit are
:mod:`simapp.exports.reproduce`'s.

JSON layout
-----------
::

    {"format": "em-gmm-simulator/params", "version": 1,
     "settings": {k, n, overlap, cov, iters, tol, seed, n_init, ...extra},
     "model": {"n_components", "covariance_type", "weights", "means",
               "covariances"  (always full K x d x d matrices, d fitted columns)},
     "fit": {"loglik", "aic", "bic", "ari", "n_parameters", "iterations",
             "converged"},
     "notes": [...]}
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import asdict, is_dataclass
from typing import Any

import numpy as np

from emcore.geometry import to_full_covariances

__all__ = ["FORMAT", "SETTING_KEYS", "params_json"]

FORMAT = "em-gmm-simulator/params"
#: Settings written first, in this order; other keys follow sorted.
SETTING_KEYS = ("k", "n", "overlap", "cov", "iters", "tol", "seed", "n_init")
_FIT_KEYS = (
    ("loglik", "loglik"),
    ("aic", "aic"),
    ("bic", "bic"),
    ("ari", "ari"),
    ("n_parameters", "params"),
    ("iterations", "iterations"),
    ("converged", "converged"),
)


def _settings_dict(settings: Any) -> dict[str, Any]:
    if settings is None:
        return {}
    if isinstance(settings, Mapping):
        return dict(settings)
    if is_dataclass(settings) and not isinstance(settings, type):
        return asdict(settings)
    raise TypeError(
        f"settings must be a mapping or a dataclass, got {type(settings)!r}"
    )


def _get(obj: Any, *names: str) -> Any:
    """First present of ``names`` as a mapping key or an attribute (of a
    result record or a fitted estimator)."""
    for name in names:
        if isinstance(obj, Mapping):
            if name in obj:
                return obj[name]
        elif hasattr(obj, name):
            return getattr(obj, name)
    return None


def _plain(value: Any, path: str, notes: list[str]) -> Any:
    """JSON-ready copy: numpy to Python, non-finite floats to None (noted)."""
    if isinstance(value, np.ndarray):
        return _plain(value.tolist(), path, notes)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if math.isfinite(v):
            return v
        notes.append(f"{path} was {v!r}; written as null")
        return None
    if isinstance(value, Mapping):
        return {str(k): _plain(v, f"{path}.{k}", notes) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v, f"{path}[{i}]", notes) for i, v in enumerate(value)]
    if value is None or isinstance(value, str):
        return value
    return str(value)


def _full_covariances(
    covariances, covariance_type: str | None, k: int, d: int
) -> np.ndarray:
    cov = np.asarray(covariances, dtype=np.float64)
    if cov.shape == (k, d, d):
        return cov
    if covariance_type is None:
        # (d, d) and (k, d) coincide when k == d: diag wins, as it always has
        covariance_type = {(d, d): "tied", (k, d): "diag", (k,): "spherical"}.get(
            cov.shape, "full"
        )
    return to_full_covariances(cov, covariance_type, k, d)


def params_json(
    result_or_params: Any, settings: Any = None, *, indent: int | None = 2
) -> str:
    """The fitted model, its scores and the settings as a JSON document.

    Parameters
    ----------
    result_or_params : ExperimentResult, mapping or object
        ``emcore.experiment.run``'s result (an
        ``emcore.records.ExperimentResult``), a mapping or an object with at
        least ``weights``, ``means`` and ``covariances`` (plus optional
        ``loglik``, ``aic``, ``bic``, ``ari``, ``params``, ``iterations``,
        ``converged``, ``covariance_type``), or a fitted
        ``emcore``/scikit-learn ``GaussianMixture`` (its ``weights_``,
        ``means_``, ``covariances_``).
    settings : mapping or dataclass, optional
        The page's settings (``simapp.state.settings.Settings`` or a dict);
        default the result's ``settings`` when it has them.
    indent : int or None, default 2

    Returns
    -------
    str
        Strict JSON (see the module notes for the layout).

    Raises
    ------
    ValueError
        If weights, means and covariances are missing or inconsistent.
    """
    src = result_or_params
    settings_d = _settings_dict(
        settings if settings is not None else _get(src, "settings")
    )
    weights = _get(src, "weights", "weights_")
    means = _get(src, "means", "means_")
    covariances = _get(src, "covariances", "covariances_")
    if weights is None or means is None or covariances is None:
        raise ValueError("need weights, means and covariances to export the parameters")
    weights = np.asarray(weights, dtype=np.float64).reshape(-1)
    k = len(weights)
    means = np.asarray(means, dtype=np.float64)
    if means.ndim != 2 or means.shape[0] != k or means.shape[1] < 1:
        raise ValueError(
            f"means must have shape ({k}, n_features), one row per weight; "
            f"got {means.shape}"
        )
    d = means.shape[1]
    cov_type = _get(src, "covariance_type") or settings_d.get("cov")
    full = _full_covariances(covariances, _get(src, "covariance_type"), k, d)

    notes: list[str] = []
    ordered = {key: settings_d[key] for key in SETTING_KEYS if key in settings_d}
    ordered.update(
        {key: settings_d[key] for key in sorted(settings_d) if key not in ordered}
    )
    fit = {}
    for out_key, src_key in _FIT_KEYS:
        value = _get(src, src_key)
        if value is not None or out_key in ("loglik", "aic", "bic", "ari"):
            fit[out_key] = value
    doc = {
        "format": FORMAT,
        "version": 1,
        "settings": _plain(ordered, "settings", notes),
        "model": {
            "n_components": k,
            "covariance_type": cov_type,
            "weights": _plain(weights, "model.weights", notes),
            "means": _plain(means, "model.means", notes),
            "covariances": _plain(full, "model.covariances", notes),
        },
        "fit": _plain(fit, "fit", notes),
    }
    doc["notes"] = notes
    return json.dumps(doc, indent=indent, allow_nan=False, ensure_ascii=False)
