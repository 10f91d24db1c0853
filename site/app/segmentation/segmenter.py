"""The colour-segmentation section: runs the fit, draws both pictures.

One EM iteration per animation frame (:class:`simapp.segmentation.fit.SegmentFit`),
the segmented picture painted after each, so the page keeps answering input.
``#segment-result`` carries, once a fit ends, ``data-iterations``,
``data-em-ips`` (EM iterations per second), ``data-first-ms`` (the start's
longest frame: k-means++ seeding, in frames of its own), ``data-longest-frame-ms`` (the
longest frame of the EM iterations), ``data-pixels``, ``data-counts``
(pixels per component) and ``data-labels-sha256`` (SHA-256 of the final
labels as little-endian int64, for comparison with CPython). The section's
state lives in ``PageState.segment`` (:mod:`simapp.segmentation.state`);
``views.segment`` shows it.
"""

from __future__ import annotations

import asyncio
import hashlib
import json

from simapp.segmentation import pixels as segmentation
from simapp.segmentation import state as G
from simapp.segmentation.fit import SegmentFit
from simapp.text import messages

from .. import dom
from ..frames import next_frame

__all__ = ["Segmenter", "read_image"]

#: Pictures larger than this are scaled by the browser first (a 12-megapixel
#: photo would otherwise be copied into Python whole).
MAX_DECODED_PIXELS = 1_600_000


class Segmenter:
    """Runs :class:`simapp.segmentation.state.StartSegment` effects for ``store``."""

    def __init__(self, store, np) -> None:
        self.store = store
        self.np = np
        self.original = dom.Canvas("segment-original")
        self.result = dom.Canvas("segment-result")
        self.pixels = {"original": dom.Pixels(np), "result": dom.Pixels(np)}
        self._scene = None

    def image(self):
        seg = self.store.state.segment
        if seg.image is not None:
            return seg.image
        if self._scene is None:
            self._scene = segmentation.sample_scene(*G.SCENE_SHAPE)
        return self._scene

    def start(self, effect: G.StartSegment) -> None:
        asyncio.ensure_future(self._guarded(effect.generation))

    def _current(self, generation: int) -> bool:
        return self.store.state.segment.generation == generation

    async def _guarded(self, generation: int) -> None:
        try:
            await self._run(generation)
        except ValueError as exc:
            text = f"This picture could not be segmented: {exc}"
            self.store.dispatch(G.SegmentFailed(generation, text))
        except Exception as exc:
            dom.log_error(dom.traceback_text(exc))
            text = messages.unexpected_error(exc, "segmenting the picture")
            self.store.dispatch(G.SegmentFailed(generation, text))

    def put(self, which: str, rgba) -> None:
        """Draw an RGBA picture (height, width, 4) on its canvas, pixel for pixel."""
        canvas = self.original if which == "original" else self.result
        h, w = rgba.shape[:2]
        el = canvas.el
        if int(el.width) != w or int(el.height) != h:
            el.width, el.height = w, h
        pixels = self.pixels[which]
        pixels.for_size(w, h)[...] = rgba
        canvas.width, canvas.height = w, h
        canvas.ctx.putImageData(pixels.publish(), 0, 0)

    async def _run(self, generation: int) -> None:
        np = self.np
        image = self.image()
        h, w = image.shape[:2]
        rgba = np.empty((h, w, 4), dtype=np.uint8)
        rgba[..., :3], rgba[..., 3] = image[..., :3], 255
        self.put("original", rgba)
        fit = SegmentFit(image, self.store.state.segment.k)
        ds = self.result.dataset
        ds.labelsSha256 = ""
        times, longest, start_longest = [], 0.0, 0.0
        while True:
            await next_frame()
            if not self._current(generation):
                return
            t0 = dom.now()
            more = fit.step()
            if not fit.fresh:  # a piece of the start or of an iteration
                spent = dom.now() - t0
                longest = max(longest, spent)
                if fit.labels is None:
                    start_longest = max(start_longest, spent)
                continue
            if fit.labels is None:  # the start is seeded, nothing to paint yet
                start_longest = max(start_longest, dom.now() - t0)
                ds.firstMs = f"{start_longest * 1000:.1f}"
                continue
            self.put("result", fit.painted())
            t1 = dom.now()
            longest = max(longest, t1 - t0)
            times.append(t1)
            if not more:
                break
            self.store.dispatch(
                G.SegmentProgress(generation, fit.iteration, fit.loglik)
            )
        labels = np.asarray(fit.labels, dtype=np.int64)
        k = int(fit.means.shape[0])
        ds.pixels = str(labels.size)
        ds.iterations = str(fit.iteration)
        ds.counts = json.dumps(np.bincount(labels, minlength=k).tolist())
        ds.longestFrameMs = f"{longest * 1000:.1f}"
        # iterations per second from the end of the first to the end of the
        # last (the final frame only predicts)
        spans = times[:-1]
        if len(spans) > 1:
            ds.emIps = f"{(len(spans) - 1) / (spans[-1] - spans[0]):.2f}"
        ds.labelsSha256 = hashlib.sha256(labels.astype("<i8").tobytes()).hexdigest()
        self.store.dispatch(G.SegmentFinished(generation, fit.iteration, fit.converged))


async def read_image(file, np):
    """Decode an image file into (height, width, 4) uint8 pixels."""
    import js

    bitmap = await js.createImageBitmap(file)
    w, h = int(bitmap.width), int(bitmap.height)
    scale = min(1.0, (MAX_DECODED_PIXELS / max(w * h, 1)) ** 0.5)
    w, h = max(1, int(w * scale)), max(1, int(h * scale))
    canvas = dom.offscreen_canvas()
    canvas.width, canvas.height = w, h
    ctx = canvas.getContext("2d")
    ctx.drawImage(bitmap, 0, 0, w, h)
    data = ctx.getImageData(0, 0, w, h).data
    return np.frombuffer(data.to_bytes(), dtype=np.uint8).reshape(h, w, 4)
