"""What the data chart says when data or a fit fail.

A failed load clears the charts; a failed fit leaves its last frame on the
canvas but the caption says the fit stopped, so neither is taken for current.

Examples
--------
>>> empty_chart_text("simulated", "")
'Press Simulate to draw data and watch EM fit them'
>>> empty_chart_text("paste", "no numbers")
'No data on show: the last table could not be used (see the message)'
"""

from __future__ import annotations

__all__ = ["STOPPED_CAPTION", "empty_chart_text"]

#: Caption of the data chart after a fit failed part-way.
STOPPED_CAPTION = "The fit stopped with a problem (see the message): no result"


def empty_chart_text(kind: str, error: str) -> str:
    """The data chart's empty state for a data source of ``kind`` whose last
    load failed with ``error`` (empty: it did not fail)."""
    if error and kind in ("upload", "paste"):
        what = "file" if kind == "upload" else "table"
        return f"No data on show: the last {what} could not be used (see the message)"
    if kind in ("upload", "paste"):
        return "No data on show yet: load a table to fit"
    return "Press Simulate to draw data and watch EM fit them"
