"""Make ``site/simapp`` and this folder's helpers (``fakes``) importable and
provide a recording canvas context."""

from __future__ import annotations

import math
import numbers
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SITE = Path(__file__).resolve().parents[2] / "site"
for folder in (SITE, Path(__file__).resolve().parent):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

# Methods of CanvasRenderingContext2D the drawing code may call. Anything else
# (a typo such as ``elipse``) raises AttributeError, as it would in the browser.
CANVAS_METHODS = frozenset(
    {
        "arc",
        "beginPath",
        "clearRect",
        "closePath",
        "ellipse",
        "fill",
        "fillRect",
        "fillText",
        "lineTo",
        "moveTo",
        "restore",
        "rotate",
        "save",
        "setLineDash",
        "stroke",
        "strokeRect",
        "strokeText",
        "translate",
    }
)
CANVAS_ATTRIBUTES = frozenset(
    {
        "fillStyle",
        "font",
        "globalAlpha",
        "lineCap",
        "lineJoin",
        "lineWidth",
        "strokeStyle",
        "textAlign",
        "textBaseline",
    }
)


@dataclass
class Call:
    """One recorded method call with the drawing state in force at the time."""

    name: str
    args: tuple
    state: dict = field(default_factory=dict)


class RecordingContext:
    """Fake 2D context recording calls; checks arguments like a browser would.

    Numbers must be real Python ``int``/``float`` (numpy ``float64`` is a float
    subclass; numpy integers are not and would reach JS as proxies) and
    finite (a real canvas silently ignores NaN coordinates, hiding bugs).
    Negative radii raise, as ``IndexSizeError`` does in browsers.
    """

    def __init__(self) -> None:
        object.__setattr__(self, "calls", [])
        object.__setattr__(self, "state", {"lineDash": ()})
        object.__setattr__(self, "_stack", [])

    def __setattr__(self, name: str, value: object) -> None:
        if name not in CANVAS_ATTRIBUTES:
            raise AttributeError(f"unknown canvas attribute {name!r}")
        if name in {"lineWidth", "globalAlpha"}:
            _check_number(name, value)
        elif not isinstance(value, str):
            raise TypeError(f"{name} must be a string, got {value!r}")
        self.state[name] = value

    def __getattr__(self, name: str):
        if name in CANVAS_ATTRIBUTES:
            return self.state.get(name)
        if name not in CANVAS_METHODS:
            raise AttributeError(f"unknown canvas method {name!r}")

        def method(*args):
            if name == "setLineDash":
                (dash,) = args
                for d in dash:
                    _check_number(name, d)
                self.state["lineDash"] = tuple(dash)
            elif name == "fillText":
                assert isinstance(args[0], str)
                for a in args[1:]:
                    _check_number(name, a)
            else:
                for a in args:
                    _check_number(name, a)
            if name == "arc" and args[2] < 0:
                raise ValueError("IndexSizeError: negative arc radius")
            if name == "ellipse" and (args[2] < 0 or args[3] < 0):
                raise ValueError("IndexSizeError: negative ellipse radius")
            self.calls.append(Call(name, tuple(args), dict(self.state)))
            if name == "save":
                self._stack.append(dict(self.state))
            elif name == "restore":
                assert self._stack, "restore() without save()"
                self.state.clear()
                self.state.update(self._stack.pop())

        return method

    # Helpers for assertions --------------------------------------------
    def named(self, name: str) -> list[Call]:
        return [c for c in self.calls if c.name == name]

    def texts(self) -> list[str]:
        return [c.args[0] for c in self.named("fillText")]

    def balanced(self) -> bool:
        return not self._stack

    def paths(self, op: str = "stroke") -> list[tuple[list[Call], Call]]:
        """Sub-paths as (path calls since beginPath, the stroke/fill call)."""
        out, current = [], []
        for c in self.calls:
            if c.name == "beginPath":
                current = []
            elif c.name in {"moveTo", "lineTo", "arc", "ellipse", "closePath"}:
                current.append(c)
            elif c.name == op:
                out.append((list(current), c))
        return out


def _check_number(where: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{where}: expected a Python number, got {type(value)!r}")
    if not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ValueError(f"{where}: non-finite number {value!r}")


@pytest.fixture
def ctx() -> RecordingContext:
    return RecordingContext()
