"""Simulate within reach on a phone, without covering the stage.

Below 640 px Simulate floats at the bottom edge, so it stays a thumb away
while the controls below the stage are in view. It floats only while its own
place in the status line is scrolled out of view: at rest on the stage it sits
in the status line and covers none of the playback buttons. The switch is one
class on ``<body>`` (``simulate-in-place``), set from an IntersectionObserver
on an empty marker under the status line; without the observer it floats, as
before.
"""

from __future__ import annotations

import js

from . import dom

_kept: list = []  # the observer and its callback live as long as the page


def keep_simulate_in_reach() -> None:
    """Watch ``#simulate-anchor`` and set ``body.simulate-in-place`` from it."""
    anchor = js.document.getElementById("simulate-anchor")
    if dom.is_none(anchor) or not hasattr(js, "IntersectionObserver"):
        return
    body = js.document.body

    def seen(entries, _observer=None) -> None:
        # the latest entry tells whether the marker is on screen now
        entry = entries[entries.length - 1]
        body.classList.toggle("simulate-in-place", bool(entry.isIntersecting))

    callback = dom.create_proxy(seen)
    observer = js.IntersectionObserver.new(callback)
    observer.observe(anchor)
    _kept.extend((callback, observer))
