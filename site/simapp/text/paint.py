"""The painting tools' wording: the status line and the refusals.

Examples
--------
>>> painted_status(12, "brush")
'12 points painted: paint more, erase, undo, or Fit these points.'
>>> too_many_columns(4)[:44]
'The brush paints on two columns, but this fi'
"""

from __future__ import annotations

__all__ = [
    "NOTHING_TO_UNDO",
    "NO_DATA_YET",
    "UNDONE",
    "classes_needed",
    "painted_status",
    "too_many_columns",
]

#: Undo with nothing (or nothing current) to undo.
NOTHING_TO_UNDO = "Nothing to undo: no points were painted, clicked or erased here."
#: Undo done.
UNDONE = "Undone: the data are as they were before the last edit."
#: A stroke before any data are drawn.
NO_DATA_YET = "There is nothing to paint on yet: wait for the data to be drawn."


def painted_status(n: int, tool: str) -> str:
    """The status line after a dab of ``tool``, with ``n`` points left."""
    verb = "left after erasing" if tool == "eraser" else "painted"
    return f"{n} points {verb}: paint more, erase, undo, or Fit these points."


def too_many_columns(n_columns: int) -> str:
    """Why the brush refuses a fit of ``n_columns`` columns."""
    return (
        f"The brush paints on two columns, but this fit has {n_columns} columns: "
        "set Columns to fit to two of them to paint."
    )


def classes_needed(labelled: bool) -> str:
    """Why painted points do not fit the data's classes: the data have
    classes (``labelled``) and no class was chosen, or the reverse."""
    if labelled:
        return (
            "These points have classes: choose the class of the painted points "
            "under Class of new points, or Clear points to paint without classes."
        )
    return (
        "These points have no classes, so painted points cannot have one: "
        "choose no class under Class of new points."
    )
