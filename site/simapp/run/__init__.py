"""A run as the page sees it: its plan, its results so far, its timeline.

``plan`` (which emcore computation a state asks for), ``model`` (the events
folded into what the charts draw, and the frame budgets) and ``timeline`` (the
recorded iterations the timeline control scrubs by half-steps). May import
``text`` and ``data``.
"""
