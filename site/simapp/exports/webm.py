"""Make a recorded WebM seekable: write its duration into its header.

``MediaRecorder`` writes WebM as a live stream: the Segment's ``Info`` has
no ``Duration`` and there are no ``Cues``, so players show no length and
cannot seek (Chromium's own player shows 0:00 and a dead seek bar). Knowing
the duration, players seek by scanning the clusters. :func:`with_duration`
reads the last frame's time off the clusters and writes a ``Duration``
element into ``Info`` (EBML: Matroska's element IDs and variable-length
integers). The Segment's size is unknown in a live stream, so nothing else
moves; a file with a known Segment size gets that size grown, and one with
a ``SeekHead`` (whose offsets would move) is left as it is.

Examples
--------
>>> duration_of(with_duration(_tiny_webm(), None))
1234.0
"""

from __future__ import annotations

import struct

__all__ = ["duration_of", "last_frame_ms", "with_duration"]

_EBML = 0x1A45DFA3
_SEGMENT = 0x18538067
_SEEK_HEAD = 0x114D9B74
_INFO = 0x1549A966
_TIMECODE_SCALE = 0x2AD7B1
_DURATION = 0x4489
_CLUSTER = 0x1F43B675
_TIMECODE = 0xE7
_SIMPLE_BLOCK = 0xA3
_BLOCK_GROUP = 0xA0
_BLOCK = 0xA1
#: The Segment's children: an unknown-size Cluster ends where one begins.
_LEVEL_1 = frozenset(
    {
        _SEEK_HEAD,
        _INFO,
        0x1654AE6B,  # Tracks
        _CLUSTER,
        0x1C53BB6B,  # Cues
        0x1941A469,  # Attachments
        0x1043A770,  # Chapters
        0x1254C367,  # Tags
    }
)


def _id(data: bytes, at: int) -> tuple[int, int]:
    """Element ID at ``at`` (its marker bits kept) and where it ends."""
    first = data[at]
    length = 1
    while length <= 4 and not first & (0x80 >> (length - 1)):
        length += 1
    if length > 4:
        raise ValueError(f"no EBML element ID at byte {at}")
    return int.from_bytes(data[at : at + length], "big"), at + length


def _size(data: bytes, at: int) -> tuple[int | None, int]:
    """Element size at ``at`` (None: unknown) and where it ends."""
    first = data[at]
    length = 1
    while length <= 8 and not first & (0x80 >> (length - 1)):
        length += 1
    if length > 8:
        raise ValueError(f"no EBML size at byte {at}")
    value = first & (0xFF >> length)
    for b in data[at + 1 : at + length]:
        value = (value << 8) | b
    unknown = value == (1 << (7 * length)) - 1
    return (None if unknown else value), at + length


def _vint(value: int, length: int = 8) -> bytes:
    """``value`` as an EBML size of ``length`` bytes."""
    if value >= (1 << (7 * length)) - 1:
        raise ValueError(f"size {value} does not fit {length} bytes")
    return ((1 << (7 * length)) | value).to_bytes(length, "big")


def _segment(data: bytes) -> tuple[int, int | None, int, int]:
    """``(size position, size, content start, content end)`` of the Segment."""
    ident, at = _id(data, 0)
    if ident != _EBML:
        raise ValueError("not a WebM file: no EBML header")
    size, at = _size(data, at)
    at += size
    ident, size_at = _id(data, at)
    if ident != _SEGMENT:
        raise ValueError("not a WebM file: no Segment after the EBML header")
    size, start = _size(data, size_at)
    end = len(data) if size is None else min(len(data), start + size)
    return size_at, size, start, end


def _children(data: bytes, start: int, end: int):
    """``(id, header start, content start, content end)`` of the elements
    in a range; an unknown-size element runs to the next Segment child."""
    at = start
    while at < end:
        try:
            ident, size_at = _id(data, at)
            size, content = _size(data, size_at)
        except (ValueError, IndexError):
            return  # a truncated tail: what came before stands
        if size is None:
            stop = content
            while stop < end:
                child, child_size_at = _id(data, stop)
                if child in _LEVEL_1:
                    break
                child_size, child_content = _size(data, child_size_at)
                if child_size is None:
                    return
                stop = child_content + child_size
            yield ident, at, content, min(stop, end)
            at = stop
        else:
            yield ident, at, content, min(content + size, end)
            at = content + size


def _uint(data: bytes, start: int, end: int) -> int:
    return int.from_bytes(data[start:end], "big") if end > start else 0


def _scale_ns(data: bytes) -> int:
    """The Segment's TimecodeScale (ns per tick; 1 ms by default)."""
    _, _, start, end = _segment(data)
    for ident, _, a, b in _children(data, start, end):
        if ident == _INFO:
            for child, _, c, d in _children(data, a, b):
                if child == _TIMECODE_SCALE:
                    return _uint(data, c, d)
    return 1_000_000


def last_frame_ms(data: bytes) -> float | None:
    """Time of the last frame, in milliseconds (None: no frames)."""
    _, _, start, end = _segment(data)
    last = None
    for ident, _, a, b in _children(data, start, end):
        if ident != _CLUSTER:
            continue
        base = 0
        for child, _, c, d in _children(data, a, b):
            if child == _TIMECODE:
                base = _uint(data, c, d)
            elif child in (_SIMPLE_BLOCK, _BLOCK_GROUP):
                if child == _BLOCK_GROUP:
                    blocks = [x for x in _children(data, c, d) if x[0] == _BLOCK]
                    if not blocks:
                        continue
                    c = blocks[0][2]
                _, at = _size(data, c)  # the track number, a vint
                (relative,) = struct.unpack(">h", data[at : at + 2])
                t = base + relative
                last = t if last is None else max(last, t)
    if last is None:
        return None
    return last * _scale_ns(data) / 1e6


def duration_of(data: bytes) -> float | None:
    """The Duration written in ``Info``, in milliseconds (None: none)."""
    _, _, start, end = _segment(data)
    for ident, _, a, b in _children(data, start, end):
        if ident == _INFO:
            for child, _, c, d in _children(data, a, b):
                if child == _DURATION:
                    fmt = ">d" if d - c == 8 else ">f"
                    (ticks,) = struct.unpack(fmt, data[c:d])
                    return ticks * _scale_ns(data) / 1e6
    return None


def with_duration(data: bytes, frame_ms: float | None = None) -> bytes:
    """``data`` with its duration written into the Segment's ``Info``.

    Parameters
    ----------
    data : bytes
        A WebM file.
    frame_ms : float, optional
        How long the last frame shows (added to its time); default none.

    Returns
    -------
    bytes
        The file with ``Duration`` (last frame's time plus ``frame_ms``);
        the file unchanged when it has no frames or a ``SeekHead``.

    Raises
    ------
    ValueError
        If ``data`` is not a WebM file.
    """
    data = bytes(data)
    size_at, seg_size, start, end = _segment(data)
    last = last_frame_ms(data)
    if last is None:
        return data
    info = None
    for ident, head, a, b in _children(data, start, end):
        if ident == _SEEK_HEAD:
            return data
        if ident == _INFO:
            info = (head, a, b)
            break
    if info is None:
        return data
    info_start, a, b = info
    ticks = (last + float(frame_ms or 0.0)) * 1e6 / _scale_ns(data)
    element = _DURATION.to_bytes(2, "big") + _vint(8, 1) + struct.pack(">d", ticks)
    content = b"".join(
        data[head:d]
        for child, head, _, d in _children(data, a, b)
        if child != _DURATION
    )
    content += element
    info_head = _INFO.to_bytes(4, "big") + _vint(len(content))
    out = data[:info_start] + info_head + content + data[b:]
    if seg_size is not None:
        grown = seg_size + len(out) - len(data)
        _, seg_start = _size(data, size_at)
        out = out[:size_at] + _vint(grown, seg_start - size_at) + out[seg_start:]
    return out


def _tiny_webm() -> bytes:
    """A two-frame WebM as MediaRecorder writes it (for the examples)."""

    def element(ident: int, body: bytes, unknown: bool = False) -> bytes:
        head = ident.to_bytes((ident.bit_length() + 7) // 8, "big")
        size = b"\x01\xff\xff\xff\xff\xff\xff\xff" if unknown else _vint(len(body))
        return head + size + body

    info = element(_INFO, element(_TIMECODE_SCALE, (1_000_000).to_bytes(3, "big")))
    block = b"\x81" + struct.pack(">h", 234) + b"\x80" + b"frame"
    cluster = element(
        _CLUSTER,
        element(_TIMECODE, (1000).to_bytes(2, "big"))
        + element(_SIMPLE_BLOCK, b"\x81\x00\x00\x80frame")
        + element(_SIMPLE_BLOCK, block),
        unknown=True,
    )
    header = element(_EBML, element(0x4282, b"webm"))
    return header + element(_SEGMENT, info + cluster, unknown=True)
