"""Property tests: every span slices the text to the reported text, whatever the input."""

from __future__ import annotations

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


def _assert_spans_slice(text: str) -> None:
    ev = extract(text)
    for item in [*ev.quantities, *ev.actors]:
        assert 0 <= item.start < item.end <= len(text)
        assert text[item.start:item.end] == item.text
    for q in ev.quantities:
        assert q.text in q.sentence or not q.sentence.strip() or q.sentence in text
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


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_spans_slice_arbitrary_text(text):
    _assert_spans_slice(text)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, len(_SEED_TEXT)), st.integers(1, 600))
def test_spans_slice_any_window_of_the_seeds(start, length):
    _assert_spans_slice(_SEED_TEXT[start:start + length])
