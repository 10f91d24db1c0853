"""A read-only mapping whose costly values are computed on first access.

The simulator's animation frames carry entries only a drawn frame needs (the
components' ellipses, the matching of fitted to true clusters), which cost
several times an EM iteration to build. A page that computes faster than it
draws skips most frames, so those entries are built only when read.
"""

from __future__ import annotations

from collections.abc import Mapping


class Deferred:
    """A value of a :class:`LazyMapping` made by ``make()`` when first read."""

    __slots__ = ("make",)

    def __init__(self, make):
        self.make = make


class LazyMapping(Mapping):
    """A read-only mapping whose :class:`Deferred` values are made when read.

    Parameters
    ----------
    entries : dict
        Key -> value, or key -> :class:`Deferred` whose function (of no
        arguments) is called at most once, on first access, and its value kept.

    Keys keep the order of ``entries``. Membership tests, ``len`` and
    iteration over keys compute nothing; reading a value (by ``[]``, ``get``,
    ``items``, ``values``, ``dict(...)`` or ``{**m}``) computes that value
    only.

    Examples
    --------
    >>> calls = []
    >>> m = LazyMapping({"a": 1, "b": Deferred(lambda: calls.append(1) or 2)})
    >>> list(m), "b" in m, calls
    (['a', 'b'], True, [])
    >>> m["b"], m.get("b"), calls
    (2, 2, [1])
    """

    __slots__ = ("_keys", "_pending", "_values")

    def __init__(self, entries):
        self._keys = list(entries)
        self._values = {}
        self._pending = {}
        for key, value in entries.items():
            if isinstance(value, Deferred):
                self._pending[key] = value.make
            else:
                self._values[key] = value

    def __getitem__(self, key):
        try:
            return self._values[key]
        except KeyError:
            pass
        make = self._pending.pop(key)  # KeyError for an unknown key
        value = self._values[key] = make()
        return value

    def __contains__(self, key):
        return key in self._values or key in self._pending

    def __iter__(self):
        return iter(self._keys)

    def __len__(self):
        return len(self._keys)

    def __repr__(self):
        shown = ", ".join(
            f"{key!r}: {self._values[key]!r}"
            if key in self._values
            else f"{key!r}: ..."
            for key in self._keys
        )
        return f"{type(self).__name__}({{{shown}}})"
