"""The Lessons control and the open lesson's text.

``#lesson`` lists :data:`simapp.lessons.scenarios.SCENARIOS`; ``#lesson-panel``
shows the open lesson's three texts (what to watch, what to change next,
what it shows) and carries ``data-scenario`` for the tests.
"""

from __future__ import annotations

from simapp.lessons.scenarios import SCENARIOS, scenario
from simapp.text import messages

from .. import dom

NO_LESSON = ("", messages.NO_LESSON)


class LessonsView:
    """``#lesson`` (select) and ``#lesson-panel`` with its three paragraphs."""

    def __init__(self) -> None:
        self.select = dom.el("lesson")
        self.panel = dom.el("lesson-panel")

    def configure(self) -> None:
        pairs = [NO_LESSON, *((s.id, s.title) for s in SCENARIOS)]
        dom.fill_options(self.select, pairs, "")

    def render(self, old, new) -> None:
        if old.lesson == new.lesson and old.status != "loading":
            return
        self.select.value = new.lesson
        self.panel.dataset.scenario = new.lesson
        self.panel.hidden = not new.lesson
        if not new.lesson:
            return
        lesson = scenario(new.lesson)
        dom.el("lesson-title").textContent = lesson.title
        dom.el("lesson-watch").textContent = lesson.watch
        dom.el("lesson-change").textContent = lesson.change
        dom.el("lesson-shows").textContent = lesson.shows
