"""What the data chart says when data or a fit fail (pure, for the views).

A failed load clears the charts; a failed fit leaves its last frame on the
canvas but the caption says the fit stopped, so neither is taken for current.

Examples
--------
>>> from simapp.state.pagestate import DataSource
>>> empty_chart_text(DataSource())
'Press Simulate to draw data and watch EM fit them'
>>> empty_chart_text(DataSource(kind="paste", error="no numbers"))
'No data on show: the last table could not be used (see the message)'
"""

from __future__ import annotations

from simapp.state.pagestate import DataSource, PageState

__all__ = ["STOPPED_CAPTION", "empty_chart_text", "fit_failed"]

#: Caption of the data chart after a fit failed part-way.
STOPPED_CAPTION = "The fit stopped with a problem (see the message): no result"


def empty_chart_text(source: DataSource) -> str:
    """The data chart's empty state for ``source``."""
    if source.error and source.kind in ("upload", "paste"):
        what = "file" if source.kind == "upload" else "table"
        return f"No data on show: the last {what} could not be used (see the message)"
    if source.kind in ("upload", "paste"):
        return "No data on show yet: load a table to fit"
    return "Press Simulate to draw data and watch EM fit them"


def fit_failed(old: PageState, new: PageState) -> bool:
    """Whether ``old -> new`` is a run ending without a result on a problem
    (not a cancellation by the user, whose message is a plain info)."""
    return (
        old.running
        and not new.running
        and not new.timeline.has_result
        and new.message.kind in ("warn", "error")
    )
