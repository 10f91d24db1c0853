"""One numbering and one set of colours across every export of one run.

The expected names and colours are worked out here, without the page's
palette code: each fitted component is matched to the true cluster it
shares the most points with (brute force over the one-to-one matchings),
takes that cluster's palette colour, and an unmatched one the lowest colour
left; "component k" is row k - 1 of the fit, clusters are "cluster j". The
CSV, the parameters JSON, the script, the notebook and the PNG legend must
all say exactly that.
"""

from __future__ import annotations

import ast
import csv
import io
import itertools
import json
import re

import numpy as np
import pytest
from simapp.exports import export, handout, key, reproduce

from emcore.experiment import iterate

# the page's palette, written out: the test must not read it from the code
PAGE_HEX = (
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#882255",
    "#332288",
    "#d55e00",
    "#56b4e9",
)


def _run(**settings):
    initial, result = {}, None
    for event in iterate(**settings):
        if event.kind == "init":
            initial[event.start] = event
        elif event.kind == "done":
            result = event.result
    return result, initial[result.best_start]


def _expected(result):
    """(component names, their colours, matched cluster per component)."""
    k = len(result.weights)
    n_true = len(result.true_means)
    fitted = np.argmax(result.resp, axis=1)
    overlap = np.zeros((k, n_true), dtype=int)
    np.add.at(overlap, (fitted, result.labels_true), 1)
    if k <= n_true:
        best = max(
            itertools.permutations(range(n_true), k),
            key=lambda p: sum(overlap[j, p[j]] for j in range(k)),
        )
    else:
        best_clusters = max(
            itertools.permutations(range(k), n_true),
            key=lambda p: sum(overlap[p[c], c] for c in range(n_true)),
        )
        best = [-1] * k
        for c, j in enumerate(best_clusters):
            best[j] = c
    used = {c for c in best if c >= 0}
    spare = iter(i for i in range(len(PAGE_HEX)) if i not in used)
    colours = [PAGE_HEX[c] if c >= 0 else PAGE_HEX[next(spare)] for c in best]
    names = [f"component {j + 1}" for j in range(k)]
    return names, colours, list(best)


def _literal(code: str, name: str):
    line = re.search(rf"^{name} = (.+)$", code, re.M).group(1)
    return ast.literal_eval(line)


@pytest.fixture(
    scope="module",
    params=[dict(k=3, k_true=4), dict(k=5, k_true=3), dict(k=4, k_true=4)],
    ids=["fewer", "more", "same"],
)
def exports(request):
    result, initial = _run(n=300, overlap=20, seed=4, n_init=2, **request.param)
    the_key = key.result_key(result)
    rep = handout.reproduction(result, initial, title="numbering")
    return {
        "result": result,
        "expected": _expected(result),
        "json": json.loads(export.params_json(result, key=the_key)),
        "csv": list(csv.reader(io.StringIO(reproduce.data_csv(rep)))),
        "script": reproduce.script(rep),
        "notebook": reproduce.notebook(rep),
        "legend": handout.chart_legend("cluster", the_key),
    }


def test_the_json_names_and_colours_the_components_as_the_page(exports):
    names, colours, matched = exports["expected"]
    components = exports["json"]["model"]["components"]
    assert [c["name"] for c in components] == names
    assert [c["colour"] for c in components] == colours
    assert [c["matches"] for c in components] == [
        f"cluster {m + 1}" if m >= 0 else "extra component" for m in matched
    ]
    n_true = len(exports["result"].true_means)
    assert exports["json"]["model"]["classes"] == [
        {"name": f"cluster {j + 1}", "colour": PAGE_HEX[j]} for j in range(n_true)
    ]
    # row k - 1 of the parameters is component k
    np.testing.assert_array_equal(
        exports["json"]["model"]["means"], exports["result"].means
    )


def test_the_csv_counts_components_and_clusters_from_one(exports):
    result = exports["result"]
    header, *body = exports["csv"]
    k = len(result.weights)
    assert header[2:] == ["true_class", "fitted_component"] + [
        f"p_{j}" for j in range(1, k + 1)
    ]
    assert [r[2] for r in body] == [f"cluster {c + 1}" for c in result.labels_true]
    fitted = [int(r[3]) for r in body]
    resp = np.array([[float(v) for v in r[4:]] for r in body])
    # "fitted_component k" is the column p_k that is largest
    assert fitted == list(np.argmax(resp, axis=1) + 1)
    assert set(fitted) <= set(range(1, k + 1))


def test_the_script_and_notebook_draw_the_pages_colours(exports):
    names, colours, _ = exports["expected"]
    script = exports["script"]
    cells = "\n".join(
        "".join(c["source"])
        for c in exports["notebook"]["cells"]
        if c["cell_type"] == "code"
    )
    for code in (script, cells):
        assert _literal(code, "COMPONENTS") == names
        assert _literal(code, "COLOURS") == colours
        n_true = len(exports["result"].true_means)
        assert _literal(code, "CLASS_NAMES") == [
            f"cluster {j + 1}" for j in range(n_true)
        ]
        assert "tab10" not in code


def test_the_png_legend_lists_the_colours_drawn_as_the_page(exports):
    _, colours, matched = exports["expected"]
    drawn = sorted(set(colours), key=PAGE_HEX.index)
    by_colour = dict(zip(colours, matched, strict=True))
    assert exports["legend"] == [
        (
            f"cluster {by_colour[c] + 1}" if by_colour[c] >= 0 else "extra component",
            c,
        )
        for c in drawn
    ]


def test_class_names_replace_the_cluster_numbers_everywhere():
    result, initial = _run(n=200, k=3, k_true=3, overlap=10, seed=2, n_init=1)
    names = ("setosa", "=evil", "virginica")
    rep = handout.reproduction(result, initial, class_names=names)
    body = list(csv.reader(io.StringIO(reproduce.data_csv(rep))))[1:]
    # a name that starts like a formula is neutralised in the CSV only
    shown = ("setosa", "'=evil", "virginica")
    assert [r[2] for r in body] == [shown[c] for c in result.labels_true]
    assert _literal(reproduce.script(rep), "CLASS_NAMES") == list(names)
    doc = json.loads(export.params_json(result, key=key.result_key(result, names)))
    assert [c["name"] for c in doc["model"]["classes"]] == list(names)
    assert {c["matches"] for c in doc["model"]["components"]} <= set(names)
