"""Property tests: every span slices the text to the reported text, whatever the input."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pactlab.evidence import extract

from .conftest import SEED_000, SEED_002

_FRAGMENTS = [
    "$5 billion", "US$1 billion", "61 trillion won", "RMB 7.3 billion", "3.5 trillion won",
    "$500 million", "five-fold increase", "2.3% of GDP", "3.5% of GDP by 2032", "28,500-strong",
    "3,000 to 4,000 soldiers", "one brigade", "by the end of 2020", "Dec. 18, 2019", "Sept 23",
    "(approximately", "), ", ", approximately ", " (about ", "Wei Shengluo", "USFK", "U.S.",
    "\n", ". ", " ", "won", "1,2", "2019", "-", "é", "₩", "€12", "¥", "\u200b", "\r\n",
]
_SEED_TEXT = SEED_000.read_text(encoding="utf-8") + SEED_002.read_text(encoding="utf-8")


_FINAL = r"[.!?][\"”’')\]]*"
_ENDS_BEFORE = re.compile(rf"(?:^|\n|{_FINAL}\s)\s*$")
_ENDS_AFTER = re.compile(r"[^\S\n]*(?:\n|$)")


def _sentence_bounds(text: str, sentence: str, start: int, end: int) -> list[int]:
    """Offsets s where text[s:] starts with `sentence` and the slice holds [start, end)."""
    first = max(0, end - len(sentence))
    return [s for s in range(first, start + 1) if text.startswith(sentence, s)]


def _assert_sentence_is_bounded_slice(text: str, sentence: str, start: int, end: int) -> None:
    """`sentence` is text[s:e] with s <= start < end <= e, starting after a sentence end
    (or a line break, or the text's start) and ending at one."""
    assert sentence == sentence.strip() and sentence
    final = re.search(rf"{_FINAL}$", sentence) is not None
    bounded = [
        s for s in _sentence_bounds(text, sentence, start, end)
        if _ENDS_BEFORE.search(text[:s])
        and ((final and text[s + len(sentence):][:1].isspace())
             or _ENDS_AFTER.match(text, s + len(sentence)))
    ]
    assert bounded, (sentence, start, end, text)


def _assert_spans_slice(text: str) -> None:
    ev = extract(text)
    for item in [*ev.quantities, *ev.actors]:
        assert 0 <= item.start < item.end <= len(text)
        assert text[item.start:item.end] == item.text
    for q in ev.quantities:
        _assert_sentence_is_bounded_slice(text, q.sentence, q.start, q.end)
    for check in ev.checks:
        for start, end in check.spans:
            assert 0 <= start < end <= len(text)
    starts = [q.start for q in ev.quantities]
    assert starts == sorted(starts)
    ends = [q.end for q in ev.quantities]
    assert all(e <= s for e, s in zip(ends, starts[1:], strict=False))  # no overlaps


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS) | st.text(max_size=12), max_size=25).map("".join))
def test_spans_slice_text_built_from_news_fragments(text):
    _assert_spans_slice(text)


def test_the_sentence_property_rejects_a_wrong_sentence():
    text = "Seoul pays more. It pays 1 trillion won now. Talks go on."
    start = text.index("1 trillion")
    _assert_sentence_is_bounded_slice(text, "It pays 1 trillion won now.", start, start + 15)
    for wrong in ("pays 1 trillion won now.", "It pays 1 trillion won", "Talks go on."):
        try:
            _assert_sentence_is_bounded_slice(text, wrong, start, start + 15)
        except AssertionError:
            continue
        raise AssertionError(f"{wrong!r} was accepted")


def test_a_figure_across_a_line_break_gets_both_lines():
    text = "They sent 3,000 to\n4,000 soldiers. Then more."
    q = extract(text).quantities[0]
    assert q.text == "3,000 to\n4,000 soldiers"
    assert q.sentence == "They sent 3,000 to\n4,000 soldiers."


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_spans_slice_arbitrary_text(text):
    _assert_spans_slice(text)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, len(_SEED_TEXT)), st.integers(1, 600))
def test_spans_slice_any_window_of_the_seeds(start, length):
    _assert_spans_slice(_SEED_TEXT[start:start + length])
