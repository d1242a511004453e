"""Consistency checks: figures the text gives as equal that cannot both be right.

Two kinds, each on quantities written next to each other in one phrase:

* ``paired_amounts``: "X, approximately Y" / "X (about Y)" / "X, or Y" with X and Y money,
  compared in USD at the document's FX year (or the year their clause states: "as of 2015");
* ``percent_of_gdp``: "P% of GDP (X)" or "X, or P% of GDP", compared with the GDP in
  data/gdp.toml of the one country the sentence names up to the pair ("South Korean",
  "Korea's", "ROK"); X in another currency is converted at the FX year. Nothing is
  compared when no country, several countries, or a country without GDP data for the
  year is named: the currency of X says nothing about whose GDP is meant.

A pair is flagged when the larger reading exceeds the smaller by more than 25%.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from itertools import pairwise

from pactlab.evidence.countries import CountryIndex, countries_named
from pactlab.evidence.fx import Gdp, convert, gdp_for, to_usd
from pactlab.evidence.money import format_money
from pactlab.evidence.records import Check, Quantity
from pactlab.evidence.text import Sentences

TOLERANCE = 1.25
_APPROX = (
    r"(?:approximately|approx\.|about|around|roughly|some|nearly|almost|equivalent\s+to"
    r"|equal\s+to|worth|i\.e\.,?|ca\.|~|≈)"
)
# What may stand between two figures that the text presents as the same amount.
_SAME_AMOUNT = re.compile(
    rf"\s*(?:[(\[]\s*(?:{_APPROX}\s*)?|,?\s*(?:or\s+)?{_APPROX}\s*|,\s*or\s+)",
    re.IGNORECASE,
)


def check_consistency(quantities: Sequence[Quantity], text: str, year: int, *,
                      years: Mapping[tuple[int, int], int] | None = None,
                      sentences: Sentences | None = None) -> list[Check]:
    """Flagged inconsistencies among `quantities` (found in `text`), read at `year`'s rates.

    `years` maps a figure's (start, end) to the year its own clause states ("as of 2015");
    a pair is read at the year either figure states, else at `year`. `sentences` (of
    `text`) saves splitting the text again.
    """
    ordered = sorted(quantities, key=lambda q: q.start)
    sentences = sentences or Sentences(text)
    countries: CountryIndex | None = None  # built at the first percent-of-GDP pair
    stated = years or {}
    checks: list[Check] = []
    for a, b in pairwise(ordered):
        if not _SAME_AMOUNT.fullmatch(text, a.end, b.start):  # no lookaround: as a slice
            continue
        at = stated.get((a.start, a.end), stated.get((b.start, b.end), year))
        check = None
        if a.kind == b.kind == "money":
            check = _paired_amounts(a, b, at)
        elif {a.kind, b.kind} == {"money", "percent"}:
            share, amount = (a, b) if a.kind == "percent" else (b, a)
            countries = countries or CountryIndex(text)
            country = _country_of(share, countries, sentences.span(a.start, b.end)[0], b.end)
            check = _percent_of_gdp(share, amount, gdp_for(country, at) if country else None)
        if check is not None:
            checks.append(check)
    return checks


def _country_of(share: Quantity, countries: CountryIndex, sentence_start: int,
                pair_end: int) -> str | None:
    """The one country whose GDP `share` means: named in it ("of Korea's GDP"), else the
    only one named in its sentence up to the end of the pair; None when not exactly one."""
    named = set(countries_named(share.text))
    if named:
        return named.pop() if len(named) == 1 else None
    return countries.only_one(sentence_start, pair_end)


def _factor_of_ten(ratio: float) -> int | None:
    """k when `ratio` is within the tolerance of 10**k (k >= 1): a slipped decimal point."""
    k = round(math.log10(ratio))
    if k >= 1 and max(ratio / 10**k, 10**k / ratio) <= TOLERANCE:
        return k
    return None


def _how_far(ratio: float) -> str:
    k = _factor_of_ten(ratio)
    if k is not None:
        return f"a factor of {ratio:.1f} (a factor of {10**k:,})"
    return f"a factor of {ratio:.2f}"


def _reading(text: str, value: float, own: str, to: str, year: int) -> str:
    """'X is about <X in the other's currency> (<X in USD>)', leaving out what repeats X."""
    parts = []
    if to != own:
        parts.append(format_money(convert(value, own, to, year), to))
    if "USD" not in (own, to):
        parts.append(f"({format_money(to_usd(value, own, year), 'USD')})")
    return f"{text} is about {' '.join(parts)}"


def _paired_amounts(a: Quantity, b: Quantity, year: int) -> Check | None:
    message = _pair_message(a.text, float(a.value), a.currency, b.text, float(b.value),
                            b.currency, year)  # money values are numbers
    if message is None:
        return None
    return Check("paired_amounts", message, ((a.start, a.end), (b.start, b.end)))


@lru_cache(maxsize=1024)
def _pair_message(text_a: str, value_a: float, currency_a: str | None, text_b: str,
                  value_b: float, currency_b: str | None, year: int) -> str | None:
    """Why two amounts given as one differ, or None when they agree (or cannot be read);
    cached, since a figure-dense text repeats the same pair many times."""
    if not (currency_a and currency_b) or value_a <= 0 or value_b <= 0:
        return None
    usd_a, usd_b = to_usd(value_a, currency_a, year), to_usd(value_b, currency_b, year)
    ratio = max(usd_a, usd_b) / min(usd_a, usd_b)
    if ratio <= TOLERANCE:
        return None
    message = (f'"{text_a}" and "{text_b}" are given as the same amount but differ by '
               f"{_how_far(ratio)}")
    if currency_a == currency_b:
        message += ". "
    else:
        message += (f" at {year} average exchange rates: "
                    f"{_reading(text_a, value_a, currency_a, currency_b, year)}, while "
                    f"{_reading(text_b, value_b, currency_b, currency_a, year)}. ")
    k = _factor_of_ten(ratio)
    if k is not None:
        a_as_b = format_money(convert(value_a, currency_a, currency_b, year), currency_b)
        b_as_a = format_money(convert(value_b, currency_b, currency_a, year), currency_a)
        message += (
            f"Likely error: a slipped decimal point or scale word (a factor of "
            f"{10**k:,}): either \"{text_a}\" should read {b_as_a}, "
            f"or \"{text_b}\" should read {a_as_b}."
        )
    else:
        message += "Likely error: a wrong figure or a conversion at a very different rate."
    return message


def _share_text(share: Quantity) -> str:
    """"2.3%" or "2–3%": the share without "of GDP"."""
    high = f"–{share.value_high:g}" if share.value_high is not None else ""
    return f"{share.value:g}{high}%"


def _percent_of_gdp(share: Quantity, amount: Quantity, gdp: Gdp | None) -> Check | None:
    if not share.unit.endswith("of GDP") or share.unit.startswith("percentage"):
        return None
    if (gdp is None or not amount.currency or float(amount.value) <= 0
            or float(share.value) <= 0):
        return None
    given = convert(float(amount.value), amount.currency, gdp.currency, gdp.year)
    low = float(share.value) / 100 * gdp.value
    high = float(share.value_high or share.value) / 100 * gdp.value
    if low / TOLERANCE <= given <= high * TOLERANCE:
        return None
    implied = low if given < low else high
    ratio = max(given, implied) / min(given, implied)
    converted = ""
    if amount.currency != gdp.currency:
        converted = f" (about {format_money(given, gdp.currency)} at {gdp.year} rates)"
    message = (
        f'"{share.text}" and "{amount.text}" are given as the same amount but differ by '
        f"{_how_far(ratio)}: {_share_text(share)} of the {gdp.year} GDP of the {gdp.name} "
        f"({format_money(gdp.value, gdp.currency)}) is {format_money(implied, gdp.currency)}, "
        f"while {amount.text}{converted} is {given / gdp.value * 100:.2g}% of that GDP."
    )
    if _factor_of_ten(ratio) is not None:
        message += " Likely error: a slipped decimal point or scale word in one figure."
    return Check("percent_of_gdp", message,
                 ((share.start, share.end), (amount.start, amount.end)))
