"""Consistency checks: figures the text gives as equal that cannot both be right.

Two kinds, each on quantities written next to each other in one phrase:

* ``paired_amounts``: "X, approximately Y" / "X (about Y)" / "X, or Y" with X and Y money,
  compared in USD at the document's FX year;
* ``percent_of_gdp``: "P% of GDP (X)" or "X, or P% of GDP", compared with the GDP of the
  country whose currency X is in, when data/gdp.toml holds that year.

A pair is flagged when the larger reading exceeds the smaller by more than 25%.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from itertools import pairwise

from pactlab.evidence.fx import convert, gdp_for, to_usd
from pactlab.evidence.money import format_money
from pactlab.evidence.records import Check, Quantity

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


def check_consistency(quantities: Sequence[Quantity], text: str, year: int) -> list[Check]:
    """Flagged inconsistencies among `quantities` (found in `text`), read at `year`'s rates."""
    ordered = sorted(quantities, key=lambda q: q.start)
    checks: list[Check] = []
    for a, b in pairwise(ordered):
        if not _SAME_AMOUNT.fullmatch(text[a.end:b.start]):
            continue
        check = None
        if a.kind == b.kind == "money":
            check = _paired_amounts(a, b, year)
        elif {a.kind, b.kind} == {"money", "percent"}:
            share, amount = (a, b) if a.kind == "percent" else (b, a)
            check = _percent_of_gdp(share, amount, year)
        if check is not None:
            checks.append(check)
    return checks


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


def _paired_amounts(a: Quantity, b: Quantity, year: int) -> Check | None:
    if not (a.currency and b.currency) or a.value <= 0 or b.value <= 0:
        return None
    usd_a, usd_b = to_usd(a.value, a.currency, year), to_usd(b.value, b.currency, year)
    ratio = max(usd_a, usd_b) / min(usd_a, usd_b)
    if ratio <= TOLERANCE:
        return None
    a_as_b = format_money(convert(a.value, a.currency, b.currency, year), b.currency)
    b_as_a = format_money(convert(b.value, b.currency, a.currency, year), a.currency)
    message = (
        f'"{a.text}" and "{b.text}" are given as the same amount but differ by '
        f"{_how_far(ratio)} at {year} average exchange rates: {a.text} is about {a_as_b} "
        f"({format_money(usd_a, 'USD')}), while {b.text} is about {b_as_a} "
        f"({format_money(usd_b, 'USD')}). "
    )
    k = _factor_of_ten(ratio)
    if k is not None:
        message += (
            f"Likely error: a slipped decimal point or scale word (a factor of "
            f"{10**k:,}): either \"{a.text}\" should read {b_as_a}, "
            f"or \"{b.text}\" should read {a_as_b}."
        )
    else:
        message += "Likely error: a wrong figure or a conversion at a very different rate."
    return Check("paired_amounts", message, ((a.start, a.end), (b.start, b.end)))


def _percent_of_gdp(share: Quantity, amount: Quantity, year: int) -> Check | None:
    if not share.unit.endswith("of GDP") or share.unit.startswith("percentage"):
        return None
    gdp = gdp_for(amount.currency or "", year)
    if gdp is None or amount.value <= 0 or share.value <= 0:
        return None
    low = float(share.value) / 100 * gdp.value
    high = float(share.value_high or share.value) / 100 * gdp.value
    given = float(amount.value)
    if low / TOLERANCE <= given <= high * TOLERANCE:
        return None
    implied = low if given < low else high
    ratio = max(given, implied) / min(given, implied)
    message = (
        f'"{share.text}" and "{amount.text}" are given as the same amount but differ by '
        f"{_how_far(ratio)}: {share.text} of {gdp.name} GDP in {year} "
        f"({format_money(gdp.value, gdp.currency)}) is {format_money(implied, gdp.currency)}, "
        f"while {amount.text} is {given / gdp.value * 100:.2g}% of that GDP."
    )
    if _factor_of_ten(ratio) is not None:
        message += " Likely error: a slipped decimal point or scale word in one figure."
    return Check("percent_of_gdp", message,
                 ((share.start, share.end), (amount.start, amount.end)))
