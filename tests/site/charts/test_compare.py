"""Issue 5, items 2, 5 and 8 in CPython: comparison series and the best
model, the comparison chart, share/export helpers, the new URL options."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from simapp.charts import compare, plotting
from simapp.data import datasets
from simapp.exports import sharing
from simapp.run.model import RunModel
from simapp.state.settings import (
    DATA_NAMES,
    Settings,
    parse_query_string,
    parse_settings,
    settings_to_query,
)
from simapp.text import results

from emcore.experiment import SWEEP_KS, iterate, run, run_data


@pytest.fixture(scope="module")
def compared():
    return run(k=3, n=300, overlap=40, seed=11, n_init=1, compare=True)


# ------------------------------------------------------------------ compare
def test_best_cell_is_emcores_best_model(compared):
    cells = compare.cells_from_result(compared)
    assert len(cells) == 4 * len(SWEEP_KS)
    assert compare.best_cell(cells, "bic") == tuple(compared["best_model"])
    for crit in ("aic", "icl"):
        cov, k = compare.best_cell(cells, crit)
        values = compared["comparison"][cov][crit]
        assert values[k - 1] == min(
            min(c[crit]) for c in compared["comparison"].values()
        )


@settings(max_examples=6, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from(["full", "diag"]))
def test_progressive_cells_end_equal_to_the_result(seed, cov):
    model = RunModel({"cov": cov})
    seen = []
    for event in iterate(k=2, n=120, seed=seed, n_init=1, cov=cov, compare=True):
        model.apply(event)
        if event["kind"] == "ic":
            s = compare.series(model.comparison, SWEEP_KS, "bic")
            seen.append(sum(v is not None for vals in s.values() for v in vals))
    assert seen == list(range(1, 4 * len(SWEEP_KS) + 1))  # one cell at a time
    final = compare.cells_from_result(model.result)
    for crit in compare.CRITERIA:
        assert compare.series(model.comparison, SWEEP_KS, crit) == compare.series(
            final, SWEEP_KS, crit
        )
    assert compare.best_cell(model.comparison) == tuple(model.result["best_model"])


def test_series_sign_order_and_gaps(compared):
    cells = compare.cells_from_result(compared)
    low = compare.series(cells, SWEEP_KS, "aic")
    high = compare.series(cells, SWEEP_KS, "aic", higher_is_better=True)
    assert list(low) == list(compare.COV_ORDER)
    for cov in low:
        assert high[cov] == [-v for v in low[cov]]
        assert low[cov] == compared["comparison"][cov]["aic"]
    partial = {("tied", 2): {"bic": 5.0, "params": 3}}
    assert compare.series(partial, [1, 2, 3]) == {"tied": [None, 5.0, None]}
    assert compare.best_cell({}) is None
    nan = {("full", 1): {"bic": math.nan, "params": 1}}
    assert compare.series(nan, [1]) == {"full": [None]}
    with pytest.raises(ValueError, match="criterion"):
        compare.series(partial, [1], "bicc")


def test_labels_and_words():
    assert compare.axis_label("bic") == "BIC (lower is better)"
    assert compare.axis_label("icl", higher_is_better=True).startswith("\u2212ICL")
    text = compare.best_text(("diag", 4), "aic")
    assert text.count("K = 4") == 1  # said once, not repeated in brackets
    assert "AIC" in text and "K = 4" in text and "diag" in text
    assert "so far" in compare.best_text(("full", 2), complete=False)
    assert "appears" in compare.best_text(None)


# ------------------------------------------------------------------ chart
def test_comparison_chart_draws_one_styled_line_per_type(ctx, compared):
    cells = compare.cells_from_result(compared)
    series = compare.series(cells, SWEEP_KS, "bic")
    best = compare.best_cell(cells)
    plotting.draw_comparison_chart(
        ctx, 640, 400, SWEEP_KS, series, 1.0, y_title="BIC (lower is better)", best=best
    )
    assert ctx.balanced()
    texts = ctx.texts()
    assert "BIC (lower is better)" in texts
    for cov in compare.COV_ORDER:
        assert cov in texts
    strokes = {c.state["strokeStyle"] for _, c in ctx.paths("stroke")}
    for colour, _, _ in plotting.COMPARISON_STYLES.values():
        assert colour in strokes
    # the ring marks the best cell: the lowest point of all series
    rings = [
        c for c in ctx.named("arc") if math.isclose(c.args[2], plotting.MIN_RING_CSS)
    ]
    assert len(rings) == 1
    ring_colour = rings[0].state["strokeStyle"]
    assert ring_colour == plotting.COMPARISON_STYLES[best[0]][0]
    colours = {colour for colour, _, _ in plotting.COMPARISON_STYLES.values()}
    points = [
        c.args[1]
        for calls, stroke in ctx.paths("stroke")
        if stroke.state["strokeStyle"] in colours and len(calls) >= 3  # not legend
        for c in calls
    ]
    assert len(points) == 4 * len(SWEEP_KS)
    assert math.isclose(rings[0].args[1], max(points), abs_tol=1e-6)  # lowest


def test_comparison_chart_gaps_empty_and_bad_lengths(ctx):
    plotting.draw_comparison_chart(
        ctx, 400, 300, [1, 2, 3], {"full": [None, None, None]}, 1.0
    )
    assert any("fills in" in t for t in ctx.texts())
    other = type(ctx)()
    plotting.draw_comparison_chart(
        other, 400, 300, [1, 2, 3], {"full": [3.0, None, 1.0], "tied": [2.0, 2.5, None]}
    )
    assert other.balanced()
    with pytest.raises(ValueError):
        plotting.draw_comparison_chart(ctx, 400, 300, [1, 2], {"full": [1.0]})


# ------------------------------------------------------------------ sharing
def test_file_names_are_safe_and_descriptive():
    name = sharing.file_name("ic", "png", k=4, cov="spherical", seed=12)
    assert name == "em-gmm-ic-simulated-k4-spherical-seed12.png"
    odd = sharing.file_name("params", "json", k=2, cov="full", seed=0, source="../é x")
    assert "/" not in odd and ".." not in odd and odd.endswith(".json")
    assert sharing.file_name("x", "py", k=2, cov="full", seed=1, source="") == (
        "em-gmm-x-data-k2-full-seed1.py"
    )


def test_full_simulator_link_drops_only_embed():
    q = "k=3&embed=1&EMBED=0&compare=1&run=1"
    assert sharing.full_simulator_query("?" + q) == "k=3&compare=1&run=1"
    assert sharing.full_simulator_query("") == ""


def test_link_notes():
    assert "exactly" in sharing.link_note("simulated")
    for kind in ("upload", "paste", "click"):
        assert "cannot carry" in sharing.link_note(kind)
    with pytest.raises(ValueError):
        sharing.link_note("ftp")


# ------------------------------------------------------------------ settings
def test_page_options_parse_and_round_trip():
    s, notes = parse_settings(
        {"compare": "1", "data": "Penguins", "embed": "yes", "seed": "3"}
    )
    assert notes == []
    assert (s.compare, s.data, s.embed) == (True, "palmer_penguins", True)
    q = settings_to_query(s, run=True)
    assert q.endswith("&compare=1&data=penguins&embed=1&run=1")
    back, notes = parse_settings(parse_query_string(q), default_seed=0)
    assert back == s.with_changes(run=True) and notes == []
    assert s.to_run_kwargs()["compare"] is True
    assert "compare" not in Settings().to_run_kwargs()
    for page_only in ("data", "embed", "run"):
        assert page_only not in s.to_run_kwargs()


def test_bad_page_options_give_notes():
    s, notes = parse_settings({"data": "<script>", "compare": "maybe"})
    assert s.data == "" and s.compare is False
    assert any("data=" in n and "iris" in n for n in notes)
    assert any(n.startswith("compare=") for n in notes)
    with pytest.raises(ValueError):
        Settings(data="faithful")


def test_data_names_are_the_bundled_datasets():
    assert set(DATA_NAMES.values()) == set(datasets.names())


# ------------------------------------------------------------------ results
def test_results_without_labels_show_no_ari():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 1, (30, 2)), rng.normal(5, 1, (30, 2))])
    fields = results.format_result(run_data(X, k=2, seed=1, n_init=1))
    assert fields["result-ari"].value == ""
    assert "n/a" in fields["result-ari"].text
