"""The share panel: the link, what it carries, export buttons, embed mode."""

from __future__ import annotations

from simapp.exports import sharing
from simapp.state import url

from .. import dom
from .controls import CONTROLS

EXPORTS = (
    "png-cluster",
    "png-loglik",
    "png-ic",
    "export-json",
    "export-snippet",
    "export-csv",
    "export-notebook",
    "export-video",
)


class ShareView:
    """``#share-url``, ``#share-note``, ``#open-full``, buttons, status."""

    def __init__(self, data) -> None:
        self.data = data
        self.status = dom.el("share-status")

    def render(self, old, new) -> None:
        if new.settings.embed and (old.status == "loading"):
            dom.web.page.body.classes.add("embed")
            dom.web.page.body.dataset.embed = "1"
            dom.el("open-full").hidden = False
            self.show_embed_controls(new.visible_controls)
        if url.link_inputs(old) != url.link_inputs(new):
            self.show_link(new)
        done = not new.running and new.timeline.has_result
        for element_id in EXPORTS:
            dom.el(element_id).disabled = not done
        if old.share_status != new.share_status:
            text, file = new.share_status
            self.status.textContent = text
            self.status.dataset.file = file

    @staticmethod
    def show_embed_controls(visible) -> None:
        """Mark the controls an embedded page leaves out (``controls=``)."""
        for name, element_id in CONTROLS.items():
            box = dom.el(element_id).closest(".control")
            if not dom.is_none(box) and name not in visible:
                box.classList.add("embed-hidden")

    def show_link(self, state) -> None:
        origin, path, _ = dom.page_location()
        base = f"{origin}{path}"
        query = url.state_to_query(state)
        kind = state.source.kind
        dom.el("share-url").value = f"{base}?{query}"
        note = dom.el("share-note")
        note.textContent = sharing.link_note(kind)
        note.dataset.kind = kind
        full = sharing.full_simulator_query(query)
        dom.el("open-full").href = f"{base}?{full}"
