"""Linear-time extraction gives exactly what the plain quadratic definition gives."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pactlab.evidence import extract, find_quantities

from . import reference
from .conftest import SEED_000, SEED_002
from .test_properties import _FRAGMENTS

_MORE = [
    "Moon Jae-in", "Moon", " met ", "Kim Il-sung", "Kim", "Harris", "Ambassador Harris",
    "Donald Trump", "Trump", "; ", " – ", ", and ", "as of 2015", "in 2018", " in FY 2019",
    "South Korea", "Korea's", "the U.S.", "Japan", "China", " of GDP", "(about ", "or ",
    "USD $5", "U.S. $3", "RMB ¥2", "xRMB ¥7", "ſix troops", "Six-fold", "an brigade",
    "fivefold", "١٢٣ troops", "late July", "Sept. 3, 2019", "Dr. ", "e.g. ", "A.B.C. ",
    "Kim Jong Un", "Kim You-geun", " Kim ", "in 2016 5 trillion won in 2017", "as of 2015 ",
    "Kim Jong Un met Kim You-geun and Kim. ", "Moon Jae-in met Kim Jong Un. Moon and Kim",
    " in 2019", "2.6% of GDP ($20 billion)", "Japan's", "Yeo Han-koo", "Yeo", "Abe",
]


def _same(text: str) -> None:
    assert extract(text).to_dict() == reference.extract(text).to_dict(), text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS + _MORE) | st.text(max_size=8), max_size=40)
       .map("".join))
def test_extract_equals_the_quadratic_reference_on_news_fragments(text):
    _same(text)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 19_000), st.integers(1, 900))
def test_extract_equals_the_quadratic_reference_on_windows_of_the_seeds(start, length):
    seeds = SEED_000.read_text(encoding="utf-8") + SEED_002.read_text(encoding="utf-8")
    _same(seeds[start:start + length])


@pytest.mark.parametrize("text", [
    "in 2016 5 trillion won in 2017",  # a tie between qualifiers: the one before wins
    "Kim Jong Un met Kim You-geun and Kim. ",  # two people named Kim: unresolved
    "Moon Jae-in met Kim Jong Un. Moon and Kim spoke.",
    "Kim Il-sung and Kim Jong Un. Kim spoke.",
    "xRMB ¥7 and USD $5 and U.S. $3",  # a marker inside another marker's reach
    "The ſix troops and nıne troops, a brigade, an brigade, fivefold, ١٢٣ troops.",
    "2.6% of South Korea's GDP ($20 billion); 2% of GDP (Japan's 5 trillion yen)",
    "A.B.C. Dr. Moon said e.g. U.S. troops. Next. ",
])
def test_extract_equals_the_quadratic_reference_on_chosen_texts(text):
    _same(text)


def test_extract_equals_the_quadratic_reference_on_the_seeds():
    for path in (SEED_000, SEED_002):
        _same(path.read_text(encoding="utf-8"))


# Texts made of pieces that number-led and date patterns can be built of: a number, what
# may stand between it and its keyword (scale and range words, dashes, apostrophes,
# "U.S.", modifiers), the keyword, and characters that end that stretch. Case variants the
# engine folds (ſ, ı, K) and Unicode digits included.
_NUMBERS = ["5", "28,500", "3.5", "five", "ſix", "nıne", "a", "an", "١٢٣", "2019", "1987",
            "Dec.", "December", "Sept", "early", "by", "the end of"]
_BETWEEN = [" ", "  ", "\n", "\u2028", "-", "–", "—", " to ", ",", ".", "'", "’", "billion",
            "bn", "m", "k", "U.S.", "Korea's", "Korea’s", "active-duty", "additional", "army",
            "American", "18,", "3"]
_KEYWORDS = ["%", "percent", "per  cent", "Pct", "percentage points", " of GDP", "won", "WON",
             "dollars", "USD", "uſd", "RMB", "yuan", "yen", "euros", "KRW", "krw", "fold",
             "TIMES", "strong", "troops", "Troops", "service members", "servicemen", "marines",
             "brigade", "Division", "squadrons", "2019", "Dec", "x"]
_BARRIERS = ["(", ")", "$", ";", "/", "!", '"', "", " "]
_SEGMENT = st.tuples(st.sampled_from(_NUMBERS), st.lists(st.sampled_from(_BETWEEN), max_size=4),
                     st.sampled_from(_KEYWORDS), st.sampled_from(_BARRIERS))


@settings(max_examples=500, deadline=None)
@given(st.lists(_SEGMENT, max_size=8).map(
    lambda segments: "".join(n + "".join(between) + k + b for n, between, k, b in segments)))
@example("5 Korea’s troops; 3 per  cent, 5 U.S. dollars (1987 won) nıne-fold 28,500-strong")
def test_keyword_filters_skip_no_match(text):
    """Trying each recogniser only where its keyword is within reach finds exactly what
    trying it everywhere finds."""
    assert find_quantities(text) == reference.find_quantities(text), text


def test_extract_leaves_the_garbage_collector_as_it_found_it():
    """Extraction pauses the cyclic collector (its records hold no cycles) and restores it."""
    import gc

    assert gc.isenabled()
    extract("$1 billion (about 1 trillion won)")
    assert gc.isenabled()
    gc.disable()
    try:
        extract("$1 billion (about 1 trillion won)")
        assert not gc.isenabled()
    finally:
        gc.enable()
