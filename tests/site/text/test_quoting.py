"""simapp.text.quoting: untrusted text in sentences, names without bidi controls."""

from __future__ import annotations

import pytest
from simapp.text.quoting import (
    BIDI_CONTROLS,
    QUOTE_CHARS,
    quote_list,
    quote_user_text,
    strip_bidi,
)

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE


@pytest.mark.parametrize("control", list(BIDI_CONTROLS))
def test_every_bidi_control_is_stripped_from_names(control):
    assert strip_bidi(f"setosa{control} is best") == "setosa is best"


def test_an_override_no_longer_turns_the_sentence_around():
    name = f"x{RLO}gnp.exe"
    sentence = f"Column {strip_bidi(name)} does not hold numbers"
    assert not set(BIDI_CONTROLS) & set(sentence)
    # other text is kept, emoji and accents included
    assert strip_bidi("café 😀") == "café 😀"


def test_quoted_text_shows_controls_as_replacement_characters():
    shown = quote_user_text(f"a{RLO}b\nc")
    assert shown == '"a\ufffdb\ufffdc"'


def test_quoted_text_is_cut():
    shown = quote_user_text("y" * 1000)
    assert shown == '"' + "y" * QUOTE_CHARS + '…"'


def test_a_list_quotes_a_few_and_counts_the_rest():
    assert quote_list(["a"]) == '"a"'
    text = quote_list([f"c{j}" for j in range(20_000)])
    assert text == '"c0", "c1", "c2" and 19,997 more'
    assert len(quote_list(["z" * 5000] * 3)) < 100
