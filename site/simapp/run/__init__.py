"""A run as the page sees it: its plan, its results so far, its record, its pace.

``plan`` (which emcore computation a run's settings and data ask for),
``model`` (the events folded into what the charts draw, advanced a frame's
slice at a time), ``timeline`` (the timeline's record: the recorded
iterations, addressed by half-steps), ``bound`` (log L, the lower bound and
their gap at every half-step of a recorded start, for the bound panel),
``pacing`` (the speed control's one mapping to a pace, and each frame's
budget), ``anomalies`` (the points of lowest fitted density, ``anomaly=P``)
and ``budget`` (the time budget every sliced loop of the page spends, here
and in ``data`` and ``charts``).
May import ``text`` and ``data``, never ``state``: the state passes its
values in.
"""
