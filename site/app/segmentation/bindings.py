"""The colour-segmentation section's events, each mapped to one action
(:mod:`simapp.segmentation.state`); the listeners go through :class:`Bindings`'s
guards, so an exception becomes a message, never a dead page."""

from __future__ import annotations

import asyncio

from simapp.segmentation import state as G

from .. import dom
from .segmenter import read_image

__all__ = ["SegmentBindings"]


class SegmentBindings:
    """Attaches ``#segment-panel``'s listeners through ``bindings``."""

    def __init__(self, bindings, np) -> None:
        self.bindings = bindings
        self.store = bindings.store
        self.np = np

    def attach(self) -> None:
        b = self.bindings

        def requested(_event):
            return G.SegmentRequested(str(dom.el("segment-k").value))

        b.dispatch_on("click", "segment-run", "segmenting the picture", requested)
        b.dispatch_on("change", "segment-k", "segmenting the picture", requested)
        b.dispatch_on(
            "click",
            "segment-scene",
            "segmenting the bundled scene",
            lambda _e: G.SegmentSceneChosen(),
        )
        b.on("change", "segment-file", "reading the picture", self.on_picture)

    def on_picture(self, _event) -> None:
        files = dom.el("segment-file").files
        if not files or not files.length:
            return
        asyncio.ensure_future(self._read_picture(files.item(0)))

    async def _read_picture(self, file) -> None:
        try:
            pixels = await read_image(file, self.np)
        except Exception as exc:  # not an image the browser can decode
            dom.log_warning(f"picture not decoded: {exc!r}")
            generation = self.store.state.segment.generation
            text = f"{file.name} could not be read as a picture (PNG, JPEG, ...)."
            self.store.dispatch(G.SegmentFailed(generation, text))
            return
        self.store.dispatch(G.SegmentImageLoaded(pixels, str(file.name)))
