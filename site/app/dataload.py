"""Reads pasted or uploaded data a slice per animation frame.

A large paste is taken from the clipboard (not the text box) and a chosen
file's bytes are copied into Python here, then read like any table.

The work itself is :func:`simapp.data.loadsteps.load_steps` (pure, tested in
CPython); this module only schedules it: a slice of
:data:`simapp.data.loadsteps.LOAD_BUDGET_S` per frame, a progress message once a
load takes longer than a frame, and the parsed table handed to the store.
A newer load (or a new paste while one runs) abandons the older one.
"""

from __future__ import annotations

import asyncio
import gc

from simapp.data.loadsteps import LOAD_BUDGET_S, Steps, load_steps, progress_message
from simapp.data.tables import MAX_BYTES, DataError
from simapp.state import actions as A

from . import dom
from .frames import next_frame

__all__ = ["DataLoader"]

#: Longer than one frame at 60 Hz: the load shows its progress.
FRAME_S = 1 / 60
MAX_UPLOAD_BYTES = MAX_BYTES
#: A longer paste skips the text box and is read at once: a browser lays out
#: every line of a textarea, which freezes the tab for seconds at 100k lines.
PASTE_IN_PLACE_CHARS = 200_000


class DataLoader:
    """Starts loads for a store; only the latest one finishes."""

    def __init__(self, store, on_error) -> None:
        self.store = store
        self._on_error = on_error
        self._latest = 0
        #: the last load's slowest slice and duration (seconds), for benchmarks
        self.stats: dict = {}

    def load(self, data, file_name: str = "") -> None:
        """Read ``data`` (text or bytes) in the background."""
        self._latest += 1
        asyncio.ensure_future(self._load(self._latest, data, file_name))

    def on_paste(self, event) -> None:
        """A large paste is read straight from the clipboard, not the text box.

        Its text stays in JavaScript (a Blob) and reaches Python as UTF-8
        bytes after the event: converting megabytes of a JavaScript string
        held the paste event for 0.35-0.6 s."""
        clipboard = event.clipboardData
        if dom.is_none(clipboard):
            return
        blob = dom.clipboard_blob(clipboard)
        if int(blob.size) <= PASTE_IN_PLACE_CHARS:  # bytes: at least the chars
            return  # the text box takes it; "Use these data" reads it
        event.preventDefault()
        asyncio.ensure_future(self._read_pasted(blob))

    async def _read_pasted(self, blob) -> None:
        try:
            buffer = await blob.arrayBuffer()
            t0 = dom.now()
            data = buffer.to_bytes()
            dom.web.page.body.dataset.bytesToPythonMs = f"{(dom.now() - t0) * 1000:.1f}"
            self.load(data)
        except Exception as exc:
            self._on_error(exc, "reading the pasted table")

    def read_file(self, file) -> None:
        """Read a chosen ``File`` in the background (refused above
        :data:`MAX_UPLOAD_BYTES`, before a byte is copied)."""
        asyncio.ensure_future(self._read_file(file))

    async def _read_file(self, file) -> None:
        try:
            size = int(file.size)
            if size > MAX_UPLOAD_BYTES:
                self.store.dispatch(
                    A.DataRejected(
                        f"the file is {size / 1e6:.1f} MB; the limit is "
                        f"{MAX_UPLOAD_BYTES / 1e6:.0f} MB. Keep two numeric "
                        "columns (and a class) or fewer rows."
                    )
                )
                return
            buffer = await file.arrayBuffer()
            t0 = dom.now()
            data = buffer.to_bytes()
            # for benchmarks: the copy of the file into Python, one frame
            dom.web.page.body.dataset.bytesToPythonMs = f"{(dom.now() - t0) * 1000:.1f}"
            self.load(data, str(file.name))
        except Exception as exc:
            self._on_error(exc, "reading the file")

    async def _load(self, token: int, data, file_name: str) -> None:
        # Parsing makes hundreds of thousands of tuples; Python's cycle
        # collector would rescan all of them every so often (pauses of
        # 0.3-0.6 s in Pyodide). There are no cycles to find: the collector
        # is off while loading, and what the load keeps is frozen (never
        # rescanned) once it is done.
        enabled = gc.isenabled()
        gc.disable()
        try:
            await self._load_steps(token, data, file_name)
        finally:
            gc.freeze()
            if enabled:
                gc.enable()

    async def _load_steps(self, token: int, data, file_name: str) -> None:
        k = self.store.state.settings.k
        steps = Steps(load_steps(data, n_components=k))
        t0 = dom.now()
        shown = -1
        try:
            while not steps.run(LOAD_BUDGET_S, dom.now):
                percent = int(100 * steps.progress)
                if dom.now() - t0 > FRAME_S and percent != shown:
                    self.store.dispatch(
                        A.DataLoading(
                            progress_message(steps.progress, file_name),
                            file_name,
                            first=shown < 0,
                        )
                    )
                    shown = percent
                await next_frame()
                if token != self._latest:
                    steps.close()
                    return
        except DataError as exc:
            self.store.dispatch(A.DataRejected(str(exc)))
            return
        except Exception as exc:
            self._on_error(exc, "reading the data")
            return
        self.stats = {"seconds": dom.now() - t0, "longest": steps.longest}
        # the table's numbers are read: choosing columns and fitting is quick
        await next_frame()
        if token == self._latest:
            t1 = dom.now()
            self.store.dispatch(A.TableParsed(steps.value, file_name))
            # for benchmarks: the longest step of reading, and the frame that
            # shows the table (summary, columns, the data's first slice)
            body = dom.web.page.body.dataset
            body.longestReadStepMs = f"{steps.longest * 1000:.1f}"
            body.tableShownMs = f"{(dom.now() - t1) * 1000:.1f}"
