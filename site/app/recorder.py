"""Record the data chart's animation as a video.

Feature-detects ``MediaRecorder`` and ``canvas.captureStream``, records
while the timeline replays the run from its first position, and downloads
the video (WebM in Chromium and Firefox, MP4 in Safari). What is recorded
is a detached canvas painted every animation frame: an opaque background,
the run's title and its "iteration i / n" counter, and the data chart
copied under them. A WebM gets its duration written in, so players can
seek it. Where nothing can be recorded, the share panel says so.
"""

from __future__ import annotations

import asyncio
import json

import js
from simapp.charts.look import display_look
from simapp.exports import figure, video, webm
from simapp.state import actions as A

from . import dom
from .frames import next_frame

#: Frames per second asked of the canvas stream.
FPS = 30
#: Longest recording, in animation frames (a stuck replay must not record forever).
MAX_FRAMES = 60 * 60


class Recorder:
    """Records ``canvas`` (an :class:`app.dom.Canvas`) for ``store``'s replay;
    ``texts()`` gives each frame's ``(title, counter)``."""

    def __init__(self, store, canvas, file_name, texts) -> None:
        self.store = store
        self.canvas = canvas
        self.file_name = file_name
        self.texts = texts
        self.busy = False

    def record(self) -> None:
        if self.busy:
            return
        if not self.store.state.timeline.positions:
            raise ValueError("there is no run to record yet: press Simulate first")
        element = dom.js_element(self.canvas.el)
        media = getattr(dom.window, "MediaRecorder", None)
        supported = {}
        if media is not None and not dom.is_none(media):
            supported = {m: bool(media.isTypeSupported(m)) for m in video.CANDIDATES}
        choice = video.choose(supported, can_capture=hasattr(element, "captureStream"))
        if choice is None:
            self.store.dispatch(A.ShareDone(video.UNSUPPORTED))
            return
        self.busy = True
        asyncio.ensure_future(self._record(element, media, choice[0]))

    async def _record(self, element, media, mime: str) -> None:
        try:
            await self._run(element, media, mime)
        except Exception as exc:
            dom.log_error(dom.traceback_text(exc))
            self.store.dispatch(A.ShareDone(f"The recording failed: {exc}"))
        finally:
            self.busy = False

    def _painter(self, element):
        """A detached canvas and the function that paints one frame on it."""
        out = dom.offscreen_canvas()
        ctx = out.getContext("2d")

        def measure(text: str, css_font: str) -> float:
            ctx.font = css_font
            return float(ctx.measureText(text).width)

        c = self.canvas
        size = {}

        def paint() -> None:
            title, count = self.texts()
            lay = figure.layout(
                size.get("chart", (c.width, c.height))[0],
                size.get("chart", (c.width, c.height))[1],
                dpr=c.dpr,
                title=title,
                subtitle=count,
                measure=measure,
            )
            if not size:  # the first frame fixes the video's size
                size["chart"] = (c.width, c.height)
                out.width, out.height = lay.width, lay.height
            figure.draw_frame(ctx, lay)
            x, y, w, h = lay.chart
            # opaque under the chart too: its own canvas is transparent
            ctx.fillStyle = display_look(self.store.state.display).background
            ctx.fillRect(x, y, w, h)
            ctx.drawImage(element, x, y, w, h)

        return out, paint

    async def _run(self, element, media, mime: str) -> None:
        out, paint = self._painter(element)
        paint()
        stream = out.captureStream(FPS)
        recorder = media.new(stream, dom.to_js({"mimeType": mime}))
        chunks = []
        stopped = asyncio.get_event_loop().create_future()

        def on_data(event) -> None:
            if event.data.size > 0:
                chunks.append(event.data)

        def on_stop(_event) -> None:
            if not stopped.done():
                stopped.set_result(True)

        proxies = [dom.create_proxy(on_data), dom.create_proxy(on_stop)]
        recorder.addEventListener("dataavailable", proxies[0])
        recorder.addEventListener("stop", proxies[1])
        recorder.start(250)
        self.store.dispatch(A.ShareDone("Recording the animation…"))
        # replay from the first position; the recording ends with the replay
        self.store.dispatch(A.Seek(0))
        self.store.dispatch(A.Play())
        for _ in range(MAX_FRAMES):
            await next_frame()
            paint()
            if not self.store.state.timeline.playing:
                break
        for _ in range(FPS // 2):  # hold the final frame a moment
            await next_frame()
            paint()
        recorder.stop()
        await stopped
        for track in stream.getTracks():
            track.stop()
        kind = str(recorder.mimeType or mime)
        blob = dom.blob(chunks, kind)
        if video.extension(kind) == "webm":
            blob = await _seekable(blob, kind)
        name = self.file_name("animation", video.extension(kind))
        dom.save_blob(blob, name)
        text = video.saved_text(name, kind, int(blob.size))
        self.store.dispatch(A.ShareDone(text, name))
        for proxy in proxies:
            proxy.destroy()


async def _seekable(blob, kind: str):
    """The WebM ``blob`` with its duration written in (see
    :mod:`simapp.exports.webm`); ``body[data-export-video]`` says what was
    saved."""
    data = (await blob.arrayBuffer()).to_bytes()
    fixed = webm.with_duration(data, 1000 / FPS)
    array = js.Uint8Array.new(len(fixed))
    array.assign(fixed)
    dom.web.page.body.dataset.exportVideo = json.dumps(
        {"bytes": len(fixed), "mime": kind, "duration_ms": webm.duration_of(fixed)}
    )
    return dom.blob([array], kind)
