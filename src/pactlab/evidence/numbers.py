"""Numbers as news writes them: digits with thousands commas, number words, scale words.

Values are parsed with `Decimal` so that "320.2 billion" is exactly 320200000000 and
not 320200000000.00006; `as_number` then gives an int when the value is whole.
"""

from __future__ import annotations

import re
from decimal import Decimal

WORD_VALUES: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}
SCALE_VALUES: dict[str, int] = {
    "k": 10**3, "thousand": 10**3,
    "m": 10**6, "mn": 10**6, "million": 10**6,
    "bn": 10**9, "billion": 10**9,
    "tn": 10**12, "trn": 10**12, "trillion": 10**12,
    "quadrillion": 10**15,
}

_WORDS = "|".join(sorted((w for w in WORD_VALUES if len(w) > 2), key=len, reverse=True))
# Digits: grouped "28,500" or plain "2032"/"7.3"; never the tail of a longer token.
DIGITS = r"(?<![\w.,])(?:\d{1,3}(?:,\d{3}){1,4}|\d{1,15})(?!\d|,\d)(?:\.\d{1,6})?(?!\d)"
WORD_NUMBER = rf"(?i:\b(?:{_WORDS})\b)"
WORD_STEM = rf"(?i:\b(?:{_WORDS}))"  # "five" in "fivefold"
NUMBER = rf"(?:{DIGITS}|{WORD_NUMBER})"
SCALE = r"(?:\s?(?i:thousand|million|billion|trillion|quadrillion|bn|mn|tn|trn)|(?i:m|k))(?![\w])"
RANGE = r"\s*(?:to|-|–|—)\s*"
# Put first in a pattern that starts with a NUMBER (or "a"/"an"): every such match starts
# a word, so the engine gives up at once inside words and between them. It changes no
# match (DIGITS and the number words already require no word character before them).
WORD_START = r"(?<!\w)(?=\w)"
_LETTERS = sorted({w[0] for w in WORD_VALUES if len(w) > 2})
_BY_LETTER = {c: "|".join(w[1:] for w in sorted(WORD_VALUES, key=len, reverse=True)
                          if len(w) > 2 and w[0] == c) for c in _LETTERS}
NUMBER_START = re.compile(
    # A first character a number could start with: a digit, the first letter of a number
    # word in either case (with "ſ", which re.IGNORECASE reads as "s"), or "a"/"an". As the
    # pattern starts with a character class, the engine skips every other character in C.
    rf"[\d{''.join(c + c.upper() for c in _LETTERS)}ſAa]"
    r"(?<!\w\w)"  # ... at the start of a word
    r"(?:(?<=\d)|(?<=[Aa])n?\b|"
    + "|".join(rf"(?i:(?<={c})(?:{rests}))" for c, rests in _BY_LETTER.items())
    + ")"
)
"""Where a number-led match (NUMBER, DIGITS, a number word or its stem, "a"/"an") can start.

One pass of this pattern finds every candidate start, so the number-led recognisers are
tried only there instead of each scanning every character of the text."""


def parse_number(token: str) -> Decimal:
    """'28,500' -> 28500, 'five' -> 5 (the token comes from a NUMBER match)."""
    token = token.strip()
    word = WORD_VALUES.get(token.casefold())
    if word is None and not token[:1].isdigit():  # "nıne": re.IGNORECASE reads ı as i
        word = next(v for w, v in WORD_VALUES.items()
                    if re.fullmatch(re.escape(w), token, re.IGNORECASE))
    if word is not None:
        return Decimal(word)
    return Decimal(token.replace(",", ""))


def scale_of(token: str | None) -> int:
    """'billion' -> 10**9; no scale word -> 1."""
    return SCALE_VALUES[token.strip().lower()] if token else 1


def as_number(value: Decimal) -> int | float:
    """An int when whole (JSON then shows 61000000000000, not 6.1e13), else a float."""
    return int(value) if value == value.to_integral_value() else float(value)
