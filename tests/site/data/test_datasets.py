"""Tests for simapp.data.datasets: the bundled real datasets."""

from __future__ import annotations

import csv
import importlib.util
import io
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import sklearn
from simapp.data import datasets
from simapp.data.datasets import DATASETS, csv_text, info, load, names

# Counts in the source files, checked by hand (iris.csv of scikit-learn;
# penguins.csv of palmerpenguins 0.1.6 after dropping the 2 rows with NA bills).
EXPECTED = {
    "iris": {"setosa": 50, "versicolor": 50, "virginica": 50},
    "palmer_penguins": {"Adelie": 151, "Chinstrap": 68, "Gentoo": 123},
}


def test_catalogue():
    assert names() == ["iris", "palmer_penguins", "faithful"] == list(DATASETS)
    for name in names():
        meta = info(name)
        assert meta.name == name
        assert meta.licence and meta.source and meta.description and meta.units
        assert meta.units in meta.x_label and meta.units in meta.y_label
        if meta.has_labels:
            assert meta.suggested_k == len(meta.class_names) >= 2
    assert not info("faithful").has_labels and info("faithful").suggested_k == 2
    with pytest.raises(KeyError, match="choose one of iris, palmer_penguins, faithful"):
        info("old_faithful")


@pytest.mark.parametrize("name", list(EXPECTED))
def test_embedded_data_shape_finite_labels(name):
    X, labels, label_names, meta = load(name)
    assert X.dtype == np.float64 and X.shape == (meta.n_samples, 2)
    assert np.isfinite(X).all() and (X > 0).all()  # lengths in cm / mm
    assert labels.dtype == np.int64 and labels.shape == (meta.n_samples,)
    assert label_names == meta.class_names
    counts = {label_names[c]: int(n) for c, n in enumerate(np.bincount(labels))}
    assert counts == EXPECTED[name]
    # codes follow first appearance
    first = [labels[np.flatnonzero(labels == c)[0]] for c in range(len(label_names))]
    assert first == sorted(first)
    assert np.flatnonzero(labels == 0)[0] == 0


def test_plausible_values():
    X, labels, _, _ = load("iris")
    setosa = X[labels == 0]
    assert setosa[:, 0].max() < 2.0 < X[labels != 0][:, 0].min()  # petal length gap
    X, labels, names_, _ = load("palmer_penguins")
    gentoo = X[labels == names_.index("Gentoo")]
    assert gentoo[:, 1].mean() < X[labels != names_.index("Gentoo")][:, 1].mean()
    assert X[:, 0].min() > 30 and X[:, 0].max() < 60  # bill length in mm


# measurements, then the class (faithful has none)
WIDTH = {"iris": 5, "palmer_penguins": 3, "faithful": 2}


def test_csv_text_has_every_measurement_then_the_class():
    for name in names():
        rows = list(csv.reader(io.StringIO(csv_text(name))))
        assert len(rows) == info(name).n_samples + 1
        assert all(len(r) == WIDTH[name] for r in rows)


def test_iris_has_all_four_measurements_and_keeps_the_petals_by_default():
    X4, labels4, _, _ = load("iris", columns=[0, 1, 2, 3])
    X, labels, _, _ = load("iris")
    assert X4.shape == (150, 4) and len(np.unique(X4, axis=0)) == 149
    np.testing.assert_array_equal(X4[:, 2:], X)
    np.testing.assert_array_equal(labels4, labels)
    assert info("iris").column_title("sepal_width") == "sepal width (cm)"


def _iris_source() -> Path:
    return Path(sklearn.__file__).parent / "datasets" / "data" / "iris.csv"


def test_iris_matches_scikit_learn_copy():
    path = _iris_source()
    if not path.exists():
        pytest.skip(f"scikit-learn's iris.csv not found at {path}")
    with path.open() as f:
        rows = list(csv.reader(f))
    species = rows[0][2:]
    src_X = np.array([[float(v) for v in r[:4]] for r in rows[1:]])
    src_names = [species[int(r[4])] for r in rows[1:]]
    X, labels, label_names, _ = load("iris", columns=range(4))
    np.testing.assert_array_equal(X, src_X)
    assert [label_names[c] for c in labels] == src_names


def _penguins_source() -> Path | None:
    spec = importlib.util.find_spec("palmerpenguins")  # does not import pandas
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "penguins.csv"
    return path if path.exists() else None


def test_penguins_match_palmerpenguins_copy():
    path = _penguins_source()
    if path is None:
        print("palmerpenguins not installed: embedded copy not compared with source")
        pytest.skip(
            "palmerpenguins is not installed (pip install --no-deps palmerpenguins)"
        )
    with path.open() as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 344
    kept = [r for r in rows if "NA" not in (r["bill_length_mm"], r["bill_depth_mm"])]
    assert Counter(r["species"] for r in kept) == EXPECTED["palmer_penguins"]
    src_X = np.array(
        [[float(r["bill_length_mm"]), float(r["bill_depth_mm"])] for r in kept]
    )
    X, labels, label_names, _ = load("palmer_penguins")
    np.testing.assert_array_equal(X, src_X)
    assert [label_names[c] for c in labels] == [r["species"] for r in kept]


def test_no_browser_imports():
    source = Path(datasets.__file__).read_text()
    for mod in ("js", "pyscript", "pyodide"):
        assert f"import {mod}" not in source and f"from {mod}" not in source
