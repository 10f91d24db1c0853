"""Test doubles shared by the page's CPython tests (imported as ``fakes``:
pytest puts this folder on ``sys.path`` with its ``conftest.py``)."""

from __future__ import annotations


class FakeClock:
    """A clock whose every reading is ``step`` seconds after the previous
    one (one reading per piece of work), so time budgets are deterministic."""

    def __init__(self, step: float) -> None:
        self.t, self.step = 0.0, step

    def __call__(self) -> float:
        self.t += self.step
        return self.t


def stroke_word(dash) -> str:
    """How a reader names a canvas dash pattern (a caption's words)."""
    if not dash:
        return "solid"
    if len(dash) >= 4:
        return "dash-dot"
    return "dotted" if dash[0] <= 2 else "dashed"


def line_strokes(ctx, dpr: float) -> dict[str, tuple]:
    """Colour -> dash of the series' lines a chart stroked on a
    ``RecordingContext`` (their strokes are 2 px wide)."""
    return {
        c.state["strokeStyle"]: c.state["lineDash"]
        for c in ctx.named("stroke")
        if c.state.get("lineWidth") == 2 * dpr
    }
