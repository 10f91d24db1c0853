"""The colour-segmentation section's controls and message, from
``state.segment``; ``#segment-panel`` carries ``data-status`` and
``data-iteration``. The pictures are drawn by ``app.segmentation.segmenter``."""

from __future__ import annotations

from simapp.text import messages

from .. import dom


class SegmentView:
    """``#segment-panel`` from ``state.segment``."""

    def render(self, old, new) -> None:
        a, b = old.segment, new.segment
        if a is b and old.status != "loading":
            return
        panel = dom.el("segment-panel")
        panel.dataset.status = b.status
        panel.dataset.iteration = str(b.iteration)
        dom.el("segment-message").textContent = b.message
        k = dom.el("segment-k")
        if b.status != "error" and str(k.value) != str(b.k):
            k.value = str(b.k)
        dom.el("segment-run").disabled = False
        # without a picture of one's own, Segment already fits the scene
        scene = dom.el("segment-scene")
        scene.disabled = b.image is None
        if b.image is None:
            scene.title = messages.WHY_SCENE
        else:
            scene.removeAttribute("title")
