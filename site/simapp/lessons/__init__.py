"""Lessons: what the page teaches beside the simulator.

``scenarios`` (settings that show one idea, and what to say about them) and
``theory`` (the numbers the theory section quotes for the current settings).

May import ``emcore``, ``text``, ``data`` and the settings value
(``simapp.state.settings``).
"""
