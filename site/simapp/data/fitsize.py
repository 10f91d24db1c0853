"""How much data the page fits at once: the stated limits, checked before a fit.

A fit's memory and the work of each EM iteration grow with the rows times
the moment features of a row: ``1 + d + d(d + 1)/2`` for full and tied
covariances (every product of two columns), ``1 + 2d`` for diagonal and
spherical ones (see :mod:`emcore.kernels.moments`). With the model comparison on,
the page fits every covariance type, so a row needs both kinds. Two limits
keep the page responsive: at most :data:`MAX_FIT_COLUMNS` columns, and at
most :data:`MAX_FIT_VALUES` moment values. :func:`check_fit_size` raises a
:class:`~simapp.data.cells.DataError` that names the limit and what to do;
the page calls it before it reads the chosen columns and before every fit.

Examples
--------
>>> moment_features(2, "full"), moment_features(2, "diag")
(6, 5)
>>> fit_values(150, 4, "full", compare=True)
3600
>>> check_fit_size(150, 4, "full")
>>> check_fit_size(300, 1000, "full")
Traceback (most recent call last):
...
simapp.data.cells.DataError: 1,000 columns are more than the page fits at once...
"""

from __future__ import annotations

from simapp.data.cells import DataError

__all__ = [
    "MAX_FIT_COLUMNS",
    "MAX_FIT_VALUES",
    "check_fit_size",
    "fit_values",
    "moment_features",
]

#: Most columns fitted at once. The timeline keeps every iteration's
#: covariances (d x d each) and a full or tied fit's work per row grows as
#: d squared; beyond a few dozen columns EM on a few hundred rows is mostly
#: noise anyway.
MAX_FIT_COLUMNS = 20
#: Most moment values (rows x moment features, summed over the kinds the fit
#: needs) a fit may hold: 64 MB of float64, and an EM iteration's work in
#: proportion (200,000 rows of two columns need 2.2 million with the
#: comparison).
MAX_FIT_VALUES = 8_000_000

_PAIRS = ("full", "tied")
_TYPES = ("full", "tied", "diag", "spherical")


def moment_features(n_columns: int, covariance_type: str) -> int:
    """Moment features of one row of ``n_columns`` columns.

    Raises
    ------
    ValueError
        For a negative ``n_columns`` or an unknown covariance type.
    """
    d = int(n_columns)
    if d < 0:
        raise ValueError(f"n_columns={n_columns}; must be >= 0")
    if covariance_type not in _TYPES:
        raise ValueError(
            f"covariance_type={covariance_type!r}; allowed: {', '.join(_TYPES)}"
        )
    if covariance_type in _PAIRS:
        return 1 + d + d * (d + 1) // 2
    return 1 + 2 * d


def fit_values(
    n_rows: int, n_columns: int, covariance_type: str, *, compare: bool = False
) -> int:
    """Moment values a fit of ``n_rows`` x ``n_columns`` holds.

    With ``compare`` every covariance type is fitted: both kinds of
    features are prepared.
    """
    own = moment_features(n_columns, covariance_type)
    if not compare:
        return int(n_rows) * own
    both = moment_features(n_columns, "full") + moment_features(n_columns, "diag")
    return int(n_rows) * both


def check_fit_size(
    n_rows: int, n_columns: int, covariance_type: str = "full", *, compare=False
) -> None:
    """Refuse a fit beyond the page's limits, saying which and what to do.

    Parameters
    ----------
    n_rows : int
        Rows to fit (or the table's rows, an upper bound, before reading).
    n_columns : int
        Columns to fit.
    covariance_type : {"full", "tied", "diag", "spherical"}
    compare : bool
        Whether every covariance type is fitted too.

    Raises
    ------
    DataError
        More than :data:`MAX_FIT_COLUMNS` columns, or more than
        :data:`MAX_FIT_VALUES` moment values.
    """
    d = int(n_columns)
    if d > MAX_FIT_COLUMNS:
        raise DataError(
            f"{d:,} columns are more than the page fits at once: at most "
            f"{MAX_FIT_COLUMNS} (a fit's time and memory grow with the square "
            f"of the columns). Name at most {MAX_FIT_COLUMNS} columns in "
            "Columns to fit (names or numbers, comma-separated); the chart "
            "shows more than two on their first two principal components. To "
            "use every column, reduce the table to its first principal "
            "components before loading it."
        )
    values = fit_values(n_rows, d, covariance_type, compare=compare)
    if values <= MAX_FIT_VALUES:
        return
    what = f"{covariance_type} covariances" + (
        " and the comparison of every type" if compare else ""
    )
    fixes = ["fewer columns", "fewer rows"]
    if covariance_type in _PAIRS:
        fixes.append("diag or spherical covariances")
    if compare:
        fixes.append("no comparison")
    raise DataError(
        f"fitting {d} columns of {int(n_rows):,} rows with {what} needs "
        f"{values / 1e6:.1f} million moment values; the page's limit is "
        f"{MAX_FIT_VALUES / 1e6:g} million (rows times the products of "
        f"columns). Choose {', '.join(fixes[:-1])} or {fixes[-1]}."
    )
