"""The frame loop primitive: wait for the browser's next animation frame.

Kept apart and small on purpose: how a run yields to the browser between
slices is the one place where engines differ (a scheduling fix for one
browser goes here and nowhere else).
"""

from __future__ import annotations

import asyncio

import js
from pyscript.ffi import create_proxy

__all__ = ["frame_number", "next_frame"]

_waiters: list = []
_count = 0  # animation frames seen


def _on_frame(_timestamp) -> None:
    global _count
    _count += 1
    waiters = list(_waiters)
    _waiters.clear()
    for fut in waiters:
        if not fut.done():
            fut.set_result(None)


_frame_proxy = create_proxy(_on_frame)


def next_frame():
    """A future resolved at the browser's next animation frame."""
    fut = asyncio.get_event_loop().create_future()
    if not _waiters:
        js.requestAnimationFrame(_frame_proxy)
    _waiters.append(fut)
    return fut


def frame_number() -> int:
    """How many animation frames have begun (which frame work happens in)."""
    return _count
