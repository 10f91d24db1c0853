"""Helpers for the reducer's CPython tests (imported as ``dispatch``: pytest
puts this folder on ``sys.path`` with its ``conftest.py``)."""

from __future__ import annotations

from simapp.state.reducer import reducer


def apply(state, *actions):
    """Dispatch ``actions`` in order; the final state and every effect."""
    effects = []
    for action in actions:
        state, new = reducer(state, action)
        effects.extend(new)
    return state, effects


def values(**overrides) -> tuple:
    """A settings form's values: K = 3, N = 500, seed 7, then ``overrides``."""
    base = {name: str(v) for name, v in (("k", 3), ("n", 500), ("seed", 7))}
    base.update({k: str(v) for k, v in overrides.items()})
    return tuple(base.items())
