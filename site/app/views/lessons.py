"""The Lessons control and the open lesson's text.

``#lesson`` lists :data:`simapp.lessons.scenarios.SCENARIOS`; ``#lesson-panel``
shows the open lesson's three texts (what to watch, what to change next,
what it shows) and carries ``data-scenario`` for the tests. The panel sits
on the stage with the scatter; where the screen is short of room (a phone,
a short window) a newly opened lesson shows what to watch and folds the
other two paragraphs (``#lesson-more``, one tap away).
"""

from __future__ import annotations

from simapp.lessons.scenarios import SCENARIOS, scenario
from simapp.text import messages

from .. import dom

NO_LESSON = ("", messages.NO_LESSON)
#: where a lesson opens folded: too little room for its text and the scatter
FOLDED = "(max-width: 639px), (max-width: 1099px) and (max-height: 899px)"


class LessonsView:
    """``#lesson`` (select) and ``#lesson-panel`` with its three paragraphs."""

    def __init__(self) -> None:
        self.select = dom.el("lesson")
        self.panel = dom.el("lesson-panel")
        self.more = dom.el("lesson-more")

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
        if old.lesson != new.lesson:  # a reader's fold stays while it is open
            self.more.open = not dom.window.matchMedia(FOLDED).matches
        dom.el("lesson-title").textContent = lesson.title
        dom.el("lesson-watch").textContent = lesson.watch
        dom.el("lesson-change").textContent = lesson.change
        dom.el("lesson-shows").textContent = lesson.shows
