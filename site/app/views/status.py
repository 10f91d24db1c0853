"""The status region: ``body[data-status]``, the message and the notes, and
the about line (what the page runs on) under the page."""

from __future__ import annotations

from simapp.text import messages

from .. import dom


class StatusView:
    """``#message``, ``#notes``, the load progress and the controls' lock."""

    def __init__(self) -> None:
        self.notes = dom.el("notes")

    def render(self, old, new) -> None:
        if old.status != new.status:
            dom.set_status(new.status)
            if old.status == "loading":
                dom.el("load-progress").hidden = True
                for fieldset in dom.web.page.find("#settings fieldset"):
                    fieldset.disabled = False
                # Simulate sits on the stage, outside the form's fieldsets
                dom.el("simulate").disabled = False
        if old.message != new.message:
            m = new.message
            dom.show_message(m.text, m.kind, m.detail)
        if (old.notes, old.notes_source) != (new.notes, new.notes_source):
            self.show_notes(new.notes, new.notes_source)

    @staticmethod
    def show_about(text: str) -> None:
        """``#about``: the versions and load times, once the page is ready."""
        dom.set_text(dom.el("about"), text)

    def show_notes(self, notes, source: str) -> None:
        """List setting adjustments under the status line (text nodes only)."""
        box = self.notes
        box.replaceChildren()
        if notes:
            web = dom.web
            items = web.ul()
            dom.fill_list(items, list(notes))
            box.append(web.p(textContent=messages.adjusted_heading(source)), items)
        box.hidden = not notes
