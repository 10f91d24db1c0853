"""simapp.charts.axisnames: the data charts' axis titles follow the data source."""

from __future__ import annotations

from simapp.charts import axisnames
from simapp.data import datasets
from simapp.data import tables as dataio
from simapp.state.pagestate import DataSource


def test_axis_titles_follow_the_data_source():
    assert axisnames.data_axis_titles(DataSource()) == ("x", "y")
    assert axisnames.data_axis_titles(DataSource(kind="click")) == ("x", "y")
    for name in datasets.names():
        meta = datasets.info(name)
        got = axisnames.data_axis_titles(DataSource(kind="dataset", dataset=name))
        assert got == (meta.x_label, meta.y_label)
        assert all(got)
    table = dataio.parse_table("height,weight,kind\n1,2,a\n3,4,b\n5,6,a\n")
    for kind in ("paste", "upload"):
        source = DataSource(kind=kind, table=table, columns=("weight", "height", ""))
        assert axisnames.data_axis_titles(source) == ("weight", "height")
    # no table (yet, or after a failed read): plain names, never empty ones
    assert axisnames.data_axis_titles(DataSource(kind="paste")) == ("x", "y")
    half = DataSource(kind="paste", table=table, columns=("height", "", ""))
    assert axisnames.data_axis_titles(half) == ("height", "y")
