"""Which video format to record the animation in.

The page records the data chart with ``canvas.captureStream`` and
``MediaRecorder``. Chromium and Firefox record WebM; Safari records MP4 only;
some browsers have neither. :func:`choose` picks the first format the browser
says it supports (it is given the answers of
``MediaRecorder.isTypeSupported``), or ``None`` with :data:`UNSUPPORTED` to
show instead.

Examples
--------
>>> choose({"video/webm;codecs=vp9": False, "video/webm": True}, can_capture=True)
('video/webm', 'webm')
>>> choose({"video/mp4": True}, can_capture=True)
('video/mp4', 'mp4')
>>> choose({"video/webm": True}, can_capture=False) is None
True
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["CANDIDATES", "UNSUPPORTED", "choose", "extension", "saved_text"]

#: MIME types to ask for, best first: WebM (Chromium, Firefox), then MP4
#: (Safari records only that).
CANDIDATES: tuple[str, ...] = (
    "video/webm;codecs=vp9",
    "video/webm;codecs=vp8",
    "video/webm",
    "video/mp4;codecs=avc1",
    "video/mp4",
)

#: What the page says where no format can be recorded.
UNSUPPORTED = (
    "This browser cannot record a video of the chart (it has no MediaRecorder "
    "for canvas streams in WebM or MP4). Try a current Chrome, Edge, Firefox "
    "or Safari, or download the chart as PNG."
)


def extension(mime: str) -> str:
    """The file extension of a recorded MIME type (``webm`` or ``mp4``)."""
    base = str(mime).split(";")[0].strip().lower()
    if base == "video/webm":
        return "webm"
    if base == "video/mp4":
        return "mp4"
    raise ValueError(f"mime={mime!r} is not a video type the page records")


def choose(supported: Mapping[str, bool], *, can_capture: bool):
    """The first of :data:`CANDIDATES` the browser supports.

    Parameters
    ----------
    supported : mapping of str to bool
        ``isTypeSupported`` answers per MIME type (missing: not supported).
    can_capture : bool
        The canvas has ``captureStream``.

    Returns
    -------
    (mime, extension) or None
    """
    if not can_capture:
        return None
    for mime in CANDIDATES:
        if supported.get(mime):
            return mime, extension(mime)
    return None


def saved_text(name: str, mime: str, n_bytes: int) -> str:
    """The share panel's line after a recording was saved.

    >>> saved_text("a.webm", "video/webm;codecs=vp9", 52_300)
    'Downloaded a.webm (video/webm;codecs=vp9, 52 kB).'
    """
    return f"Downloaded {name} ({mime}, {max(round(n_bytes / 1000), 1)} kB)."
