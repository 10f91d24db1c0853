"""Record the data chart's animation as a video.

Feature-detects ``MediaRecorder`` and ``canvas.captureStream``, records the
canvas while the timeline replays the run from its first position, and
downloads the video (WebM in Chromium and Firefox, MP4 in Safari). Where
neither can be recorded, the share panel says so.
"""

from __future__ import annotations

import asyncio

from simapp.exports import video
from simapp.state import actions as A

from . import dom
from .frames import next_frame

#: Frames per second asked of the canvas stream.
FPS = 30
#: Longest recording, in animation frames (a stuck replay must not record forever).
MAX_FRAMES = 60 * 60


class Recorder:
    """Records ``canvas`` (an :class:`app.dom.Canvas`) for ``store``'s replay."""

    def __init__(self, store, canvas, file_name) -> None:
        self.store = store
        self.canvas = canvas
        self.file_name = file_name
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

    async def _run(self, element, media, mime: str) -> None:
        stream = element.captureStream(FPS)
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
            if not self.store.state.timeline.playing:
                break
        for _ in range(FPS // 2):  # hold the final frame a moment
            await next_frame()
        recorder.stop()
        await stopped
        for track in stream.getTracks():
            track.stop()
        kind = str(recorder.mimeType or mime)
        blob = dom.blob(chunks, kind)
        name = self.file_name("animation", video.extension(kind))
        dom.save_blob(blob, name)
        text = video.saved_text(name, kind, int(blob.size))
        self.store.dispatch(A.ShareDone(text, name))
        for proxy in proxies:
            proxy.destroy()
