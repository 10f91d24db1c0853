"""simapp.text.data_chart: the data chart's caption, legend, titles and labels."""

from __future__ import annotations

import pytest
from simapp.text import data_chart as D


def test_frame_labels():
    assert D.frame_label(0, 4, 7) == "start 1 of 4, iteration 7"
    assert D.frame_label(3, 4, 9, converged=True).endswith("(converged)")


def test_own_data_labels():
    clicking = D.own_data_label("Yours", 3, clicking=True, fitted=False)
    assert clicking.startswith("3 clicked points")
    assert D.own_data_label("Yours", 3, clicking=True, fitted=True) == (
        "Yours: 3 points; EM starts next"
    )


@pytest.mark.parametrize(
    ("phase", "tail"),
    [("init", " initial"), ("e", " after the E-step"), ("m", " (M-step)")],
)
def test_timeline_captions(phase, tail):
    head = D.frame_head("timeline", None, phase=phase, start=1, iteration=4)
    assert head == "History: start 2, iteration 4" + tail
    assert D.frame_head("start", 2) == "Start 3's final solution"
    assert D.frame_head("timeline", None) == "History"


@pytest.mark.parametrize(("n_init", "tail"), [(1, ""), (3, " (start 2, best of 3)")])
def test_final_caption_names_the_best_start_of_several(n_init, tail):
    capped = D.final_caption(50, False, best_start=1, n_init=n_init)
    assert capped == "Final fit: 50 iterations, capped" + tail
    assert "converged" in D.final_caption(7, True, best_start=0, n_init=n_init)


def test_plane_and_axis_titles():
    assert D.plane_titles(("PC1 (60 %)", "PC2 (30 %)"))[1].startswith("PC2")
    assert D.plane_titles(None, ("a", "b")) == ("a", "b")
    assert D.plane_titles(None, ()) is None
    assert D.axis_titles(("weight", "")) == ("weight", "y")
    assert D.cluster_name(0, ("setosa",)) == "setosa"
    assert D.cluster_name(2, ("setosa",)) == "cluster 3"


def test_chart_labels():
    assert (
        D.chart_label(12) == "Scatter chart of 12 data points; no mixture fitted yet."
    )
    assert D.chart_label(12, "A 2-component ...") == (
        "Scatter chart of 12 data points. A 2-component ..."
    )
    assert D.empty_label("Press Simulate") == "Data chart, empty. Press Simulate."


def test_legend_names_follow_the_colours_drawn():
    # colours 3 and 4 of four true clusters: those clusters, in that order
    assert D.legend_names([2, 3], 4) == [D.cluster_name(2), D.cluster_name(3)]
    # a colour past the true clusters belongs to no cluster
    names = D.legend_names([0, 1, 5], 2, ("setosa", "virginica"))
    assert names[:2] == ["setosa", "virginica"] and "cluster" not in names[2]
    # without a truth the colours are the fitted components, numbered from 1
    assert D.legend_names([0, 1, 2], 0) == [f"component {j}" for j in (1, 2, 3)]


def test_the_tiny_note_counts_the_single_point_components():
    from simapp.text.data_chart import tiny_note

    assert tiny_note(0, 3) == ""
    assert "all 3 components are single points" in tiny_note(3, 3)
    assert "2 components are single points" in tiny_note(2, 4)
    assert "minimum size" in tiny_note(1, 4)
