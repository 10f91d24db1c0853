"""Bundled real datasets (with true labels where known), embedded so they
load offline.

Each dataset is a small CSV file in ``simapp/data/``, shipped with the site
(PyScript's ``files`` config copies it next to this module, so the page needs
no network), parsed with :func:`simapp.data.tables.parse_table`. :func:`load`
returns the points, the true class codes, the class names and a
:class:`DatasetInfo` with the description, units, source and licence that the
page should show next to the data.

Provenance
----------
iris
    Sepal length, sepal width, petal length and petal width (cm) of 150
    irises (the page fits the petals unless ``cols=`` says otherwise), 50
    of each of *Iris setosa*, *versicolor* and *virginica*, measured by
    Edgar Anderson and published by R. A. Fisher (1936), "The use of
    multiple measurements in taxonomic problems", *Annals of Eugenics* 7(2),
    179-188. The measurements
    are in the public domain (published 1936; facts, not creative work).
    Copied from the ``iris.csv`` that scikit-learn 1.9 ships in
    ``sklearn/datasets/data/`` (BSD-3-Clause package). That copy has Fisher's
    values for samples 35 and 38, which differ in the often-copied UCI
    version (UCI: petal width 0.1 for sample 35, petal length 1.5 for 38).
palmer_penguins
    Bill length and bill depth (mm) of 342 adult penguins (Adelie 151,
    Chinstrap 68, Gentoo 123) from three islands of the Palmer Archipelago,
    Antarctica, collected 2007-2009 by Dr. Kristen Gorman with the Palmer
    Station Long Term Ecological Research (LTER) program; Gorman, Williams &
    Fraser (2014), *PLoS ONE* 9(3): e90081, doi:10.1371/journal.pone.0090081.
    Data licence: CC0 1.0 (public domain dedication), per the Palmer Station
    LTER data policy as stated by the R package ``palmerpenguins`` (Horst,
    Hill & Gorman 2020). Copied from ``palmerpenguins/data/penguins.csv`` of
    the PyPI package ``palmerpenguins`` 0.1.6 (MIT code licence); the two
    rows whose bill measurements are ``NA`` (one Adelie, one Gentoo) are
    dropped. Other columns (island, flipper, mass, sex, year) are left out.
faithful
    Eruption duration and waiting time to the next eruption (minutes) of
    272 eruptions of the Old Faithful geyser, Yellowstone National Park;
    no classes are recorded. Azzalini, A. and Bowman, A. W. (1990), "A look
    at some data on the Old Faithful geyser", *Applied Statistics* 39,
    357-365; as R's ``datasets::faithful`` (after Härdle, W. (1991),
    *Smoothing Techniques with Implementation in S*). Public domain; the file
    is R's own ``write.csv`` of ``datasets::faithful`` (R 4.2, Debian
    ``r-base-core``), unchanged.

Regenerating: the CSV files are the source files' rows, restricted to the
columns above, with the values' original text: ``x,y,label`` lines, and for
Iris all four measurements then the species (from scikit-learn's
``iris.csv``, whose last column is the species code); ``faithful.csv`` is
R's file as written (quoted header, no label column).
``tests/site/data/test_datasets.py`` compares them with the source files when the
source packages are installed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from simapp.data.selection import select_columns
from simapp.data.tables import parse_table

__all__ = ["DATASETS", "DatasetInfo", "csv_text", "info", "load", "names", "table"]


@dataclass(frozen=True)
class DatasetInfo:
    """What the page shows about a bundled dataset.

    Attributes
    ----------
    name : str
        Key for :func:`load` (also usable in a URL).
    title : str
        Short display name.
    description : str
        One or two sentences for the data panel.
    x_label, y_label : str
        Axis titles with units.
    units : str
        Unit of both coordinates.
    source : str
        Citation of the original data.
    licence : str
        Licence or status of the data, and of the copy used.
    suggested_k : int
        Number of components to fit by default (the number of classes).
    n_samples : int
    class_names : tuple of str
        True classes in code order (empty if unlabelled).
    columns : tuple of str
        The two columns fitted by default (empty: the first two numeric).
    """

    name: str
    title: str
    description: str
    x_label: str
    y_label: str
    units: str
    source: str
    licence: str
    suggested_k: int
    n_samples: int
    class_names: tuple[str, ...]
    columns: tuple[str, ...] = ()

    def column_title(self, column: str) -> str:
        """An axis title for a CSV column: ``petal_length`` -> ``petal length (cm)``.

        >>> info("palmer_penguins").column_title("bill_depth_mm")
        'bill depth (mm)'
        """
        words = column.removesuffix(f"_{self.units}").replace("_", " ")
        return f"{words} ({self.units})"

    @property
    def has_labels(self) -> bool:
        """Whether true labels exist (so the ARI can be shown)."""
        return bool(self.class_names)


DATASETS: dict[str, DatasetInfo] = {
    "iris": DatasetInfo(
        name="iris",
        title="Iris flowers (petals)",
        description=(
            "Petal length and width of 150 irises of three species. Setosa "
            "stands apart; versicolor and virginica overlap a little."
        ),
        x_label="petal length (cm)",
        y_label="petal width (cm)",
        units="cm",
        source=(
            "E. Anderson's measurements, published by R. A. Fisher (1936), "
            "Annals of Eugenics 7(2), 179-188; copy from scikit-learn."
        ),
        licence="Public domain (published 1936); scikit-learn's copy, BSD-3-Clause.",
        suggested_k=3,
        n_samples=150,
        class_names=("setosa", "versicolor", "virginica"),
        columns=("petal_length", "petal_width"),
    ),
    "palmer_penguins": DatasetInfo(
        name="palmer_penguins",
        title="Palmer penguins (bills)",
        description=(
            "Bill length and depth of 342 penguins of three species from the "
            "Palmer Archipelago, Antarctica. The species overlap in each "
            "measurement alone but separate in the plane."
        ),
        x_label="bill length (mm)",
        y_label="bill depth (mm)",
        units="mm",
        source=(
            "K. Gorman and Palmer Station LTER; Gorman, Williams & Fraser (2014), "
            "PLoS ONE 9(3): e90081; copy from the palmerpenguins package."
        ),
        licence="CC0 1.0 (Palmer Station LTER data policy).",
        suggested_k=3,
        n_samples=342,
        class_names=("Adelie", "Gentoo", "Chinstrap"),
    ),
    "faithful": DatasetInfo(
        name="faithful",
        title="Old Faithful geyser",
        description=(
            "Duration of 272 eruptions of the Old Faithful geyser, Yellowstone, "
            "and the wait until the next one. Short and long eruptions form two "
            "groups, each in one column alone too; no classes are recorded."
        ),
        x_label="eruption duration (min)",
        y_label="waiting time to the next eruption (min)",
        units="min",
        source=(
            "A. Azzalini and A. W. Bowman (1990), Applied Statistics 39, "
            "357-365; copy from R's datasets::faithful."
        ),
        licence="Public domain (R's datasets::faithful).",
        suggested_k=2,
        n_samples=272,
        class_names=(),
        columns=("eruptions", "waiting"),
    ),
}

#: Folder of the bundled CSV files (shipped with the site: build.py lists
#: them in PyScript's ``files`` so they reach Pyodide's filesystem).
DATA_DIR = Path(__file__).resolve().parent


def names() -> list[str]:
    """Dataset keys in display order."""
    return list(DATASETS)


def info(name: str) -> DatasetInfo:
    """The :class:`DatasetInfo` of ``name``; ``KeyError`` names the options."""
    try:
        return DATASETS[name]
    except KeyError:
        raise KeyError(
            f"unknown dataset {name!r}; choose one of {', '.join(DATASETS)}"
        ) from None


def csv_text(name: str) -> str:
    """The embedded CSV text of ``name`` (measurement columns, then the label)."""
    info(name)
    return (DATA_DIR / f"{name}.csv").read_text(encoding="utf-8")


def table(name: str):
    """The parsed CSV of ``name`` (:class:`simapp.data.tables.Table`); the label
    is its last column."""
    return parse_table(csv_text(name))


def load(
    name: str,
    columns=None,
) -> tuple[np.ndarray, np.ndarray | None, tuple[str, ...], DatasetInfo]:
    """Points, true labels, class names and metadata of a bundled dataset.

    Parameters
    ----------
    name : str
        One of :func:`names`.
    columns : sequence of int, optional
        0-based columns of :func:`table` to fit (one or more); default the
        dataset's two columns (``meta.columns``).

    Returns
    -------
    X : ndarray of shape (n_samples, d), float64 (d = 2 by default)
    labels : ndarray of shape (n_samples,), int64, or None
        Class codes in order of first appearance (``None`` if unlabelled).
    label_names : tuple of str
        ``label_names[code]``; equals ``meta.class_names``.
    meta : DatasetInfo
    """
    meta = info(name)
    parsed = table(name)
    label = len(parsed.columns) - 1 if meta.has_labels else None
    if columns is None:
        defaults = meta.columns or parsed.columns[:2]
        columns = [parsed.columns.index(c) for c in defaults]
    X, labels, label_names, _ = select_columns(parsed, columns, label)
    return X, labels, label_names, meta
