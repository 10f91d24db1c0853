"""A finished run as a :class:`simapp.exports.reproduce.Reproduction` (class exports).

The page's share panel offers the data as CSV, a notebook and a stand-alone
script, all built by :mod:`simapp.exports.reproduce` from one ``Reproduction``. This
module makes it from what the page has after a run: the simulator's result
and the winning start's initial parameters (the ``init`` frame the run
animated first). Pure: numpy only, tested in CPython.

Examples
--------
>>> import numpy as np
>>> covs = np.array([[[2.0, 0.0], [0.0, 4.0]]])
>>> initial_precisions(covs, "diag")
array([[0.5 , 0.25]])
"""

from __future__ import annotations

import numpy as np

from emcore import COVARIANCE_TYPES
from emcore.experiment import REG_COVAR
from emcore.records import ExperimentResult, FrameEvent
from simapp.charts import palette
from simapp.exports.reproduce import Reproduction
from simapp.text.quoting import strip_bidi

__all__ = ["chart_legend", "chart_title", "initial_precisions", "reproduction"]

#: Titles of the exported charts, by chart.
_TITLES = {
    "cluster": "EM fit of a {k}-component Gaussian mixture ({cov} covariances)",
    "loglik": "Log-likelihood per point at each EM iteration, every start",
    "ic": "Information criteria against the number of components ({cov})",
}


def initial_precisions(covariances, covariance_type: str) -> np.ndarray:
    """Precisions in scikit-learn's ``precisions_init`` shape.

    Parameters
    ----------
    covariances : array-like of shape (n_components, d, d)
        Full matrices, as the page's frames carry them for every type (a tied
        matrix repeated, diagonal and spherical ones written out).
    covariance_type : {"full", "tied", "diag", "spherical"}

    Returns
    -------
    ndarray
        (K, d, d) for full, (d, d) for tied, (K, d) for diag, (K,) for
        spherical.
    """
    covs = np.asarray(covariances, dtype=np.float64)
    if covs.ndim != 3 or covs.shape[1] != covs.shape[2]:
        raise ValueError(f"covariances must have shape (K, d, d); got {covs.shape}")
    if covariance_type == "full":
        return np.linalg.inv(covs)
    if covariance_type == "tied":
        return np.linalg.inv(covs[0])
    diagonals = np.diagonal(covs, axis1=1, axis2=2)
    if covariance_type == "diag":
        return 1.0 / diagonals
    if covariance_type == "spherical":
        return 1.0 / diagonals.mean(axis=1)
    raise ValueError(
        f"covariance_type={covariance_type!r}; allowed: {', '.join(COVARIANCE_TYPES)}"
    )


def reproduction(
    result: ExperimentResult,
    initial: FrameEvent | None = None,
    *,
    class_names=(),
    columns=(),
    title: str = "",
) -> Reproduction:
    """The ``Reproduction`` of a finished simulator run.

    Parameters
    ----------
    result : emcore.records.ExperimentResult
        :func:`emcore.experiment.run` / ``run_data``'s result (``X``,
        ``labels_true``, ``resp``, ``settings``, ``loglik``, ``aic``, ``bic``,
        ``ari``).
    initial : emcore.records.FrameEvent, optional
        The winning start's ``init`` frame (``weights``, ``means``, full
        ``covariances``); with it the exports repeat the page's EM path.
    class_names, columns : sequence of str
    title : str
        The settings line or the page's link.
    """
    s = result.settings
    cov = str(s["cov"])
    init = None
    if initial is not None:
        init = {
            "weights": np.asarray(initial.weights, dtype=np.float64),
            "means": np.asarray(initial.means, dtype=np.float64),
            "precisions": initial_precisions(initial.covariances, cov),
        }
    page = {
        "loglik": float(result.loglik),
        "aic": float(result.aic),
        "bic": float(result.bic),
    }
    if result.ari is not None:
        page["ari"] = float(result.ari)
    return Reproduction(
        X=np.asarray(result.X, dtype=np.float64),
        n_components=int(s["k"]),
        columns=tuple(columns),
        covariance_type=cov,
        tol=float(s["tol"]),
        reg_covar=float(REG_COVAR),
        max_iter=int(s["iters"]),
        n_init=int(s["n_init"]),
        seed=int(s["seed"]),
        labels_true=result.labels_true,
        class_names=tuple(class_names),
        init=init,
        page=page,
        title=title,
        resp=result.resp,
    )


def chart_title(what: str, settings, data_title: str = "") -> str:
    """The title of an exported chart (``cluster``, ``loglik`` or ``ic``).

    >>> from simapp.state.settings import Settings
    >>> chart_title("cluster", Settings(k=3), "Iris petals")
    'EM fit of a 3-component Gaussian mixture (full covariances): Iris petals'
    """
    try:
        text = _TITLES[what].format(k=settings.k, cov=settings.cov)
    except KeyError:
        raise ValueError(f"chart {what!r}; allowed: {', '.join(_TITLES)}") from None
    return f"{text}: {data_title}" if data_title and what == "cluster" else text


def chart_legend(what: str, n_classes: int, colours, class_names=()) -> list:
    """``(label, colour, marker)`` legend entries of an exported chart.

    The data chart colours points by true class (fitted components take the
    colour of the class they match); the other charts name their lines in
    their own axis titles, so they get no legend. Any number of classes:
    beyond ``len(colours)`` the colours repeat with another marker shape
    (:func:`simapp.charts.palette.class_style`). Names are shown without
    their bidirectional controls.

    >>> from simapp.charts.palette import HEX
    >>> chart_legend("cluster", 9, HEX, ("a",))[::8]
    [('a', '#0072b2', 'square'), ('cluster 9', '#0072b2', 'circle')]
    """
    if what != "cluster" or n_classes < 1:
        return []
    names = [strip_bidi(name) for name in class_names]
    colours = tuple(colours)
    markers = palette.CLASS_MARKERS
    entries = []
    for j in range(n_classes):
        turn, colour = divmod(j, len(colours))
        name = names[j] if j < len(names) else f"cluster {j + 1}"
        entries.append((name, colours[colour], markers[turn % len(markers)]))
    return entries
