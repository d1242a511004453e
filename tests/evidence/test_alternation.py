"""Alternations grouped by first character match what the flat alternation matches."""

from __future__ import annotations

import re
import string

from hypothesis import given
from hypothesis import strategies as st

from pactlab.evidence.alternation import _case_variants, word_alternation

_ANY_LETTER = re.compile(r"[a-z]", re.IGNORECASE)


def test_case_variants_are_every_character_ignorecase_matches():
    """Asked code point by code point: "İ" (whose lower case is two characters) counts."""
    folding = [chr(c) for c in range(0x80, 0x20000) if _ANY_LETTER.fullmatch(chr(c))]
    for letter in string.ascii_letters:
        probe = re.compile(letter, re.IGNORECASE)
        expected = {letter.lower(), letter.upper()} | {c for c in folding if probe.fullmatch(c)}
        assert set(_case_variants(letter)) == expected, letter
    assert "İ" in _case_variants("i") and "K" in _case_variants("k")


_WORDS = ["in", "International", "kim", "s", "sea", "ok", "Is"]
_TEXT = st.lists(st.sampled_from(["in", "In", "İn", "ınternational", "ſea", "Kim", "kim",
                                  "is", "İS", " ", "x", "-"]), max_size=12).map("".join)


@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=4, unique=True), _TEXT)
def test_grouped_alternation_matches_the_flat_one(words, text):
    ordered = sorted(words, key=len, reverse=True)
    grouped = re.compile(word_alternation(ordered, not_after=r"[\w-]", ignore_case=True))
    flat = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, ordered)) + ")",
                      re.IGNORECASE)
    assert [m.span() for m in grouped.finditer(text)] == [m.span() for m in flat.finditer(text)]
