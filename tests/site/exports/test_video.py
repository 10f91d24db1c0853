"""Choosing the video format of the animation recording."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from simapp.exports import video


def test_chromium_and_firefox_get_webm_safari_mp4():
    chromium = {m: m.startswith("video/webm") for m in video.CANDIDATES}
    assert video.choose(chromium, can_capture=True) == ("video/webm;codecs=vp9", "webm")
    safari = {m: m.startswith("video/mp4") for m in video.CANDIDATES}
    assert video.choose(safari, can_capture=True) == ("video/mp4;codecs=avc1", "mp4")


def test_no_recorder_or_no_capture_gives_none():
    assert video.choose({}, can_capture=True) is None
    everything = dict.fromkeys(video.CANDIDATES, True)
    assert video.choose(everything, can_capture=False) is None
    assert "cannot record" in video.UNSUPPORTED


@given(st.dictionaries(st.sampled_from(video.CANDIDATES), st.booleans()))
def test_the_choice_is_the_first_supported_candidate(supported):
    choice = video.choose(supported, can_capture=True)
    first = next((m for m in video.CANDIDATES if supported.get(m)), None)
    assert (choice[0] if choice else None) == first
    if choice:
        assert choice[1] == video.extension(choice[0])


def test_only_video_types_have_an_extension():
    assert video.extension("video/webm;codecs=vp8,opus") == "webm"
    assert video.extension("VIDEO/MP4") == "mp4"
    with pytest.raises(ValueError, match="image/png"):
        video.extension("image/png")
