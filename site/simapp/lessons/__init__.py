"""Lessons: the scenarios (settings that show one idea, and what to say about
them) and the numbers the theory section quotes. May import ``text``,
``data`` and the settings value.
"""
