"""A recorded WebM gets its duration written into its header.

The files here are built byte by byte from Matroska's element IDs, as
Chromium's MediaRecorder lays them out (a Segment and Clusters of unknown
size, an Info without Duration), independently of the parser under test.
"""

from __future__ import annotations

import struct

import pytest
from simapp.exports.webm import duration_of, last_frame_ms, with_duration

UNKNOWN = b"\x01\xff\xff\xff\xff\xff\xff\xff"


def size(n: int) -> bytes:
    """An EBML size in 4 bytes (0x10 marker)."""
    return (0x10000000 | n).to_bytes(4, "big")


def element(ident: bytes, body: bytes, unknown: bool = False) -> bytes:
    return ident + (UNKNOWN if unknown else size(len(body))) + body


def block(track: int, relative_ms: int, payload: bytes = b"vp9!") -> bytes:
    return bytes([0x80 | track]) + struct.pack(">h", relative_ms) + b"\x80" + payload


def recorded(clusters, *, scale_ns=1_000_000, segment_known=False, seek_head=False):
    header = element(b"\x1a\x45\xdf\xa3", element(b"\x42\x82", b"webm"))
    info = element(
        b"\x15\x49\xa9\x66",
        element(b"\x2a\xd7\xb1", scale_ns.to_bytes(4, "big"))
        + element(b"\x4d\x80", b"Chrome")
        + element(b"\x57\x41", b"Chrome"),
    )
    tracks = element(b"\x16\x54\xae\x6b", element(b"\xae", b"\xd7\x81\x01"))
    body = info + tracks
    if seek_head:
        body = element(b"\x11\x4d\x9b\x74", b"\x4d\xbb\x80") + body
    for base, rels in clusters:
        content = element(b"\xe7", base.to_bytes(2, "big"))
        content += b"".join(element(b"\xa3", block(1, r)) for r in rels)
        body += element(b"\x1f\x43\xb6\x75", content, unknown=True)
    return header + element(b"\x18\x53\x80\x67", body, unknown=not segment_known)


CLUSTERS = [(0, [0, 33, 66]), (1000, [0, 500, 2100])]


def test_the_duration_is_the_last_frame_plus_its_length():
    data = recorded(CLUSTERS)
    assert duration_of(data) is None
    assert last_frame_ms(data) == 3100.0
    fixed = with_duration(data, 1000 / 30)
    assert duration_of(fixed) == pytest.approx(3100 + 1000 / 30)
    # the frames are untouched: the clusters are the same bytes at the end
    tail = data[data.index(b"\x1f\x43\xb6\x75") :]
    assert fixed.endswith(tail)
    assert last_frame_ms(fixed) == 3100.0


def test_writing_twice_replaces_the_duration():
    once = with_duration(recorded(CLUSTERS), 10)
    twice = with_duration(once, 20)
    assert duration_of(twice) == pytest.approx(3120)
    assert twice.count(b"\x44\x89") == 1


def test_the_timecode_scale_is_honoured():
    # ticks of 0.5 ms: 3100 ticks are 1550 ms
    data = recorded(CLUSTERS, scale_ns=500_000)
    assert last_frame_ms(data) == 1550.0
    assert duration_of(with_duration(data)) == pytest.approx(1550.0)


def test_a_known_segment_size_grows_with_the_header():
    data = recorded(CLUSTERS, segment_known=True)
    fixed = with_duration(data)
    at = fixed.index(b"\x18\x53\x80\x67") + 4
    n = int.from_bytes(fixed[at : at + 4], "big") & 0x0FFFFFFF
    assert at + 4 + n == len(fixed)
    assert duration_of(fixed) == pytest.approx(3100)


def test_files_it_cannot_fix_are_left_alone():
    no_frames = recorded([])
    assert with_duration(no_frames) == no_frames
    indexed = recorded(CLUSTERS, seek_head=True)
    assert with_duration(indexed) == indexed


def test_other_files_are_refused():
    with pytest.raises(ValueError, match="not a WebM"):
        with_duration(b"\x89PNG\r\n\x1a\n" + bytes(20))
