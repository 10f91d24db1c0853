"""``#paint-tools``, the painting tools under the data chart, from ``state.paint``.

``#paint-tools`` carries ``data-tool`` (the tool chosen) and ``data-undo``
(how many undo steps apply now); ``document.body`` ``data-paint-tool`` (the
stylesheet's cursor and touch handling follow it).
"""

from __future__ import annotations

from simapp.state import paint

from .. import dom

__all__ = ["TOOL_IDS", "PaintTools"]

#: The radio button of each tool.
TOOL_IDS: dict[str, str] = {
    "point": "paint-point",
    "brush": "paint-brush",
    "eraser": "paint-eraser",
}


class PaintTools:
    """``#paint-tools`` from ``state.paint`` (and, in embed mode, ``controls=``)."""

    def __init__(self) -> None:
        self.el = dom.el("paint-tools")
        self._first = True

    def render(self, old, new) -> None:
        first, self._first = self._first, False
        if first or old.embed_controls != new.embed_controls:
            # an embedded page shows them only when controls= names paint
            if new.paint_tools_shown:
                self.el.classList.remove("embed-hidden")
            else:
                self.el.classList.add("embed-hidden")
        if not first and old.paint is new.paint and old.source is new.source:
            return
        tools = new.paint
        for tool, element_id in TOOL_IDS.items():
            dom.el(element_id).checked = tool == tools.tool
        spread = dom.el("paint-spread")
        spread.value = str(tools.spread)
        spread.disabled = tools.tool == "point"
        steps = paint.undo_steps(new)
        dom.el("paint-undo").disabled = not steps
        self.el.dataset.tool = tools.tool
        self.el.dataset.undo = str(steps)
        dom.web.page.body.dataset.paintTool = tools.tool
