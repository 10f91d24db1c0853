"""Export a run: fitted parameters as JSON, and a scikit-learn reproduction.

:func:`params_json` writes the fitted mixture, its scores and the settings as
strict JSON (no ``NaN``/``Infinity`` tokens: non-finite numbers become
``null`` and are listed under ``"notes"``). Keys come in a fixed, documented
order; floats are written with Python's shortest round-trip repr, so reading
the file back gives the same float64 values.

:func:`sklearn_snippet` writes a short stand-alone Python script that draws
the same data with ``emcore.simulate`` and fits it with scikit-learn's
``GaussianMixture`` using the page's settings (k-means++ starts,
``reg_covar=1e-6``). scikit-learn's random starts differ from the page's, so
the numbers agree closely but not to the last digit.

JSON layout
-----------
::

    {"format": "em-gmm-simulator/params", "version": 1,
     "settings": {k, n, overlap, cov, iters, tol, seed, n_init, ...extra},
     "model": {"n_components", "covariance_type", "weights", "means",
               "covariances"  (always full K x 2 x 2 matrices)},
     "fit": {"loglik", "aic", "bic", "ari", "n_parameters", "iterations",
             "converged"},
     "notes": [...]}
"""

from __future__ import annotations

import json
import math
import textwrap
from collections.abc import Mapping
from dataclasses import asdict, is_dataclass
from typing import Any

import numpy as np

__all__ = ["EMCORE_SOURCE", "FORMAT", "SETTING_KEYS", "params_json", "sklearn_snippet"]

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
REG_COVAR = 1e-6
#: How the snippet tells the reader to get the engine (the PyPI project named
#: "emcore" is unrelated). The page may replace it, e.g. with its repo URL.
EMCORE_SOURCE = (
    "emcore, the simulator's engine: pip install it from the simulator's "
    "source code (the PyPI project of the same name is a different package)"
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
    """First present of ``names`` as a mapping key or an attribute."""
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


def _full_covariances(covariances, covariance_type: str | None, k: int) -> np.ndarray:
    cov = np.asarray(covariances, dtype=np.float64)
    if cov.shape == (k, 2, 2):
        return cov
    from emcore.geometry import to_full_covariances

    if covariance_type is None:
        covariance_type = {(2, 2): "tied", (k, 2): "diag", (k,): "spherical"}.get(
            cov.shape, "full"
        )
    return to_full_covariances(cov, covariance_type, k, 2)


def params_json(
    result_or_params: Any, settings: Any = None, *, indent: int | None = 2
) -> str:
    """The fitted model, its scores and the settings as a JSON document.

    Parameters
    ----------
    result_or_params : mapping or object
        ``emcore.experiment.run``'s result, a mapping with at least
        ``weights``, ``means`` and ``covariances`` (plus optional ``loglik``,
        ``aic``, ``bic``, ``ari``, ``params``, ``iterations``, ``converged``,
        ``covariance_type``), or a fitted ``emcore``/scikit-learn
        ``GaussianMixture`` (its ``weights_``, ``means_``, ``covariances_``).
    settings : mapping or dataclass, optional
        The page's settings (``simapp.state.settings.Settings`` or a dict); default
        ``result["settings"]`` when present.
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
    if means.shape != (k, 2):
        raise ValueError(f"means must have shape ({k}, 2), got {means.shape}")
    cov_type = _get(src, "covariance_type") or settings_d.get("cov")
    full = _full_covariances(covariances, _get(src, "covariance_type"), k)

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


def _format_float(value: float) -> str:
    return repr(float(value))


def _data_literal(X: np.ndarray, labels: np.ndarray | None) -> str:
    rows = (
        [f"{x!r},{y!r}" for x, y in X.tolist()]
        if labels is None
        else [
            f"{x!r},{y!r},{int(c)}"
            for (x, y), c in zip(X.tolist(), labels.tolist(), strict=True)
        ]
    )
    return "\n".join(rows)


def sklearn_snippet(
    settings: Any,
    *,
    n_components: int | None = None,
    X: np.ndarray | None = None,
    labels: np.ndarray | None = None,
) -> str:
    """A runnable Python script reproducing the run with scikit-learn.

    Parameters
    ----------
    settings : mapping or dataclass
        ``k``, ``n``, ``overlap`` (percent), ``cov``, ``iters``, ``tol``,
        ``seed``, ``n_init`` (``k``, ``n`` and ``overlap`` only for
        simulated data).
    n_components : int, optional
        Components to fit when it differs from the simulated ``k``.
    X : ndarray of shape (n, 2), optional
        The user's own data (loaded or clicked); it is embedded in the
        script instead of calling ``emcore.simulate``.
    labels : ndarray of shape (n,), optional
        True class codes of ``X``; without them the script prints no ARI.

    Returns
    -------
    str
        Python source; it prints the log-likelihood, AIC, BIC and (with true
        labels) ARI. Simulated data need this project's ``emcore`` (see
        :data:`EMCORE_SOURCE`); embedded data need only numpy and
        scikit-learn.
    """
    s = _settings_dict(settings)
    missing = [key for key in SETTING_KEYS if key not in s]
    if X is not None:
        missing = [key for key in missing if key not in ("k", "n", "overlap")]
    if missing:
        raise ValueError(f"settings lack {', '.join(missing)}")
    k_fit = int(n_components if n_components is not None else s["k"])
    cov = str(s["cov"])
    if cov not in ("full", "tied", "diag", "spherical"):
        raise ValueError(f"unknown covariance type {cov!r}")
    iters, n_init, seed = int(s["iters"]), int(s["n_init"]), int(s["seed"])
    tol = float(s["tol"])
    if not math.isfinite(tol) or tol < 0:
        raise ValueError(f"tol must be a finite non-negative number, got {tol}")

    lines = [
        '"""Reproduce an EM / Gaussian-mixture simulator run with scikit-learn.',
        "",
    ]
    if X is None:
        k_true, n = int(s["k"]), int(s["n"])
        overlap = s["overlap"]
        overlap_src = (
            repr(int(overlap)) if float(overlap).is_integer() else repr(float(overlap))
        )
        data_line = f"X, labels_true = simulate({n}, {k_true}, {overlap_src} / 100"
        lines += [
            f"Data: {n} points from {k_true} simulated clusters, "
            f"overlap {overlap_src} %,",
            f"seed {seed} (emcore.simulate draws exactly the page's points).",
            *textwrap.wrap(f"Needs: scikit-learn, and {EMCORE_SOURCE}.", 72),
            "scikit-learn's random starts differ from the page's, so the numbers",
            "agree closely but not to the last digit.",
            '"""',
            "",
            "from sklearn.metrics import adjusted_rand_score",
            "from sklearn.mixture import GaussianMixture",
            "",
            "try:",
            "    from emcore import simulate",
            "except ImportError:",
            "    raise SystemExit(",
            '        "This script needs emcore; see the note at the top."',
            "    )",
            "",
            f"{data_line}, random_state={seed})",
        ]
        has_labels = True
    else:
        X = np.asarray(X, dtype=np.float64).reshape(-1, 2)
        has_labels = labels is not None
        if has_labels:
            labels = np.asarray(labels).reshape(-1)
            if len(labels) != len(X):
                raise ValueError(
                    f"labels has {len(labels)} entries for {len(X)} points"
                )
        lines += [
            f"Data: the page's {len(X)} points, embedded below as CSV text"
            + (" (x, y, true class)." if has_labels else " (x, y)."),
            "Needs: pip install numpy scikit-learn",
            '"""',
            "",
            "import io",
            "",
            "import numpy as np",
        ]
        if has_labels:
            lines.append("from sklearn.metrics import adjusted_rand_score")
        lines += [
            "from sklearn.mixture import GaussianMixture",
            "",
            'DATA = """\\',
            _data_literal(X, labels if has_labels else None),
            '"""',
            'table = np.loadtxt(io.StringIO(DATA), delimiter=",", ndmin=2)',
            "X = table[:, :2]",
        ]
        if has_labels:
            lines.append("labels_true = table[:, 2].astype(int)")
    lines += [
        "",
        "gm = GaussianMixture(",
        f"    n_components={k_fit},",
        f'    covariance_type="{cov}",',
        f"    tol={_format_float(tol)},",
        f"    reg_covar={_format_float(REG_COVAR)},",
        f"    max_iter={iters},",
        f"    n_init={n_init},",
        '    init_params="k-means++",',
        f"    random_state={seed},",
        ")",
        "labels = gm.fit_predict(X)",
        "",
        'print(f"log-likelihood: {gm.score(X) * len(X):.6f}")',
        'print(f"AIC: {gm.aic(X):.6f}")',
        'print(f"BIC: {gm.bic(X):.6f}")',
    ]
    if has_labels:
        lines.append('print(f"ARI: {adjusted_rand_score(labels_true, labels):.6f}")')
    lines.append('print(f"iterations: {gm.n_iter_}, converged: {gm.converged_}")')
    return "\n".join(lines) + "\n"
