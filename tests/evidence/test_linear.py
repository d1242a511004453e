"""Linear-time extraction gives exactly what the plain quadratic definition gives."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pactlab.evidence import extract

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
