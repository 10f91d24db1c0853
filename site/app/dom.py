"""DOM helpers, on PyScript's own ``pyscript.web``, ``pyscript.when`` and ``ffi``.

Everything else in :mod:`app` reaches the page through these: element lookup
(:func:`el`), event listeners (:func:`listen`), list and option builders, the
status line, canvases sized in device pixels and one ImageData cache.
"""

from __future__ import annotations

import traceback

import js
from pyscript import document, web, when, window
from pyscript.ffi import create_proxy, is_none, to_js

__all__ = [
    "Canvas",
    "document",
    "Pixels",
    "el",
    "fill_list",
    "fill_options",
    "is_none",
    "listen",
    "log_error",
    "log_info",
    "log_warning",
    "save_blob",
    "set_status",
    "set_text",
    "show_message",
    "to_js",
]


def el(element_id: str):
    """The element ``element_id`` (a ``pyscript.web`` Element), or None."""
    return web.page[element_id]


def js_element(element):
    """The DOM object behind a ``pyscript.web`` Element (what ``drawImage``
    and ``captureStream`` take); a plain DOM object is returned as it is."""
    return getattr(element, "_dom_element", element)


def listen(event: str, target, handler) -> None:
    """Call ``handler(event)`` on ``event`` at ``target``.

    ``target`` is an element id (``"#k"``), a ``pyscript.web`` Element or a
    JavaScript object such as ``document``; ``pyscript.when`` keeps the proxy.
    """
    when(event, target)(handler)


def fill_list(parent, texts) -> None:
    """Replace ``parent``'s children by one ``<li>`` per text; hide it if none."""
    parent.replaceChildren()
    # textContent, never a positional argument: web parses those as HTML
    parent.append([web.li(textContent=str(text)) for text in texts])
    parent.hidden = not texts


def fill_options(select, pairs, value: str | None = None) -> None:
    """Replace a ``<select>``'s options by ``(value, text)`` pairs.

    ``new Option(text, value)`` sets the text as text (never HTML), and the
    options go in at once: a table of 1,000 columns fills three pickers in
    a few tens of milliseconds, not most of a second.
    """
    fragment = document.createDocumentFragment()
    for option_value, text in pairs:
        fragment.append(js.Option.new(str(text), str(option_value)))
    js_element(select).replaceChildren(fragment)
    if value is not None:
        select.value = value


def set_status(status: str) -> None:
    """``document.body.dataset.status``: loading/ready/running/done/error."""
    document.body.dataset.status = status


def set_text(element, text: str) -> None:
    """Set ``element``'s text, only if it differs from what it shows.

    WebKit without a GPU (WebKitGTK under Xvfb) repaints the stage on every
    text write, even of the same text, at 100-800 ms a frame.
    """
    if str(element.textContent) != text:
        element.textContent = text


def show_message(text: str, kind: str = "info", detail: str = "") -> None:
    """Write ``text`` into the status area (as text, never as HTML)."""
    message = el("message")
    set_text(message, text)
    if str(message.dataset.kind) != kind:
        message.dataset.kind = kind
    role = "alert" if kind == "error" else "status"
    if str(message.getAttribute("role")) != role:
        message.setAttribute("role", role)
    set_text(el("message-detail"), detail)
    el("message-details").hidden = not detail


def log_error(text: str) -> None:
    js.console.error(f"[emgmm] {text}")


def log_info(text: str) -> None:
    js.console.info(f"[emgmm] {text}")


def log_warning(text: str) -> None:
    # console.warn, not stderr: PyScript would paint stderr over the page
    js.console.warn(f"[emgmm] {text}")


def traceback_text(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc))


def save_blob(blob, name: str) -> None:
    """Offer ``blob`` as a download named ``name``."""
    url = js.URL.createObjectURL(blob)
    link = web.a(href=url, download=name, hidden=True)
    web.page.body.append(link)
    link.click()
    link.remove()
    revoke = create_proxy(lambda: js.URL.revokeObjectURL(url))
    js.setTimeout(revoke, 30_000)


def blob(parts, mime: str):
    """A Blob of JavaScript parts (e.g. recorded video chunks)."""
    return js.Blob.new(to_js(list(parts)), to_js({"type": mime}))


def text_blob(text: str, mime: str):
    return js.Blob.new(to_js([text]), to_js({"type": mime}))


def clipboard_blob(clipboard):
    """The clipboard's text as a Blob, made in JavaScript.

    Handing a 5 MB string to Python converts it character by character
    (0.35-0.6 s in the paste event, under load); ``Array.from`` calls
    ``getData`` from JavaScript and keeps the string there, and the Blob's
    bytes are later read off the event (``await blob.arrayBuffer()``)."""
    parts = getattr(js.Array, "from")(
        to_js(["text"]), clipboard.getData.bind(clipboard)
    )
    return js.Blob.new(parts, to_js({"type": "text/plain"}))


def page_location() -> tuple[str, str, str]:
    """``(origin, pathname, search)`` of the page."""
    loc = js.location
    return str(loc.origin), str(loc.pathname), str(loc.search)


def replace_url(query: str) -> None:
    js.history.replaceState(None, "", f"{js.location.pathname}?{query}")


def now() -> float:
    """Seconds, from the page's high-resolution clock."""
    return float(window.performance.now()) / 1000.0


class Canvas:
    """A canvas sized in device pixels (``width = CSS width x dpr``)."""

    def __init__(self, element_id: str) -> None:
        self.el = el(element_id)
        # a canvas in memory, not on the GPU: the page writes pixels into it
        # every frame (putImageData), and WebKitGTK without a GPU drew on an
        # emulated one at 100-200 ms a call; engines that do not
        # know the option ignore it
        self.ctx = self.el.getContext("2d", to_js({"willReadFrequently": True}))
        self.width = int(self.el.width)
        self.height = int(self.el.height)
        self.dpr = 1.0

    @property
    def dataset(self):
        return self.el.dataset

    def fit(self) -> bool:
        """Match the backing store to the displayed size; True if it changed."""
        dpr = float(window.devicePixelRatio or 1.0)
        rect = self.el.getBoundingClientRect()
        if rect.width < 1 or rect.height < 1:
            return False  # not laid out (hidden); keep the old size
        width = max(1, round(float(rect.width) * dpr))
        height = max(1, round(float(rect.height) * dpr))
        if (width, height, dpr) == (self.width, self.height, self.dpr):
            return False
        self.el.width, self.el.height = width, height
        self.width, self.height, self.dpr = width, height, dpr
        return True

    def to_canvas_px(self, event) -> tuple[float, float] | None:
        """A mouse event's position in canvas pixels (None if not laid out)."""
        rect = self.el.getBoundingClientRect()
        if rect.width < 1 or rect.height < 1:
            return None
        x = (float(event.clientX) - float(rect.left)) * self.width / float(rect.width)
        y = (float(event.clientY) - float(rect.top)) * self.height / float(rect.height)
        return x, y


class Pixels:
    """A numpy RGBA buffer and the ImageData it is copied into, per size."""

    def __init__(self, np) -> None:
        self.np = np
        self.size = None
        self.buf = self.px = self.image = None

    def for_size(self, width: int, height: int):
        """The numpy buffer of shape (height, width, 4) to draw into."""
        if self.size != (width, height):
            self.buf = self.np.empty((height, width, 4), dtype=self.np.uint8)
            self.px = js.Uint8ClampedArray.new(width * height * 4)
            self.image = js.ImageData.new(self.px, width, height)
            self.size = (width, height)
        return self.buf

    def publish(self):
        """Copy the buffer into the ImageData and return it."""
        self.px.assign(self.buf)
        return self.image


def offscreen_canvas():
    """A detached ``<canvas>`` (a plain DOM object: ``drawImage`` takes it)."""
    return document.createElement("canvas")
