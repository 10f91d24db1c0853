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
