"""Recognisers for money, percentages, ratios, troop counts and dates, with exact spans.

Each recogniser is a regular expression plus a builder that turns a match into a
`Quantity`; overlapping candidates are resolved longest-first, so "3,000 to 4,000
soldiers" wins over "4,000 soldiers" and "28,500 troops" over the year-like "2850".
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from pactlab.evidence.alternation import word_alternation
from pactlab.evidence.dates import DATE, DATE_START, parse_date
from pactlab.evidence.numbers import (
    DIGITS,
    NUMBER,
    NUMBER_START,
    RANGE,
    SCALE,
    WORD_START,
    WORD_STEM,
    as_number,
    parse_number,
    scale_of,
)
from pactlab.evidence.records import Kind, Quantity
from pactlab.evidence.spans import longest_first

# Currency markers written before the number ("US$5", "RMB 7.3") and after it ("61 won"),
# keyed by the marker lower-cased without spaces.
_PREFIXES: dict[str, str] = {
    "us$": "USD", "u.s.$": "USD", "usd": "USD", "usd$": "USD", "$": "USD",
    "rmb": "CNY", "rmb¥": "CNY", "cn¥": "CNY", "cny": "CNY", "krw": "KRW", "₩": "KRW",
    "jpy": "JPY", "¥": "JPY", "eur": "EUR", "€": "EUR",
}
_SUFFIXES: dict[str, str] = {
    "dollar": "USD", "dollars": "USD", "usd": "USD", "won": "KRW", "krw": "KRW",
    "yuan": "CNY", "renminbi": "CNY", "rmb": "CNY", "cny": "CNY", "yen": "JPY", "jpy": "JPY",
    "euro": "EUR", "euros": "EUR", "eur": "EUR",
}
_PRE = r"(?:US\$|U\.S\.\s?\$|USD\s?\$?|RMB\s?¥?|CN¥|CNY|KRW|JPY|EUR|\$|¥|₩|€)"
_SUF = (
    r"(?i:(?:U\.S\.|US|American)\s+dollars?|dollars?|won|yuan|renminbi|RMB|yen|euros?"
    r"|USD|KRW|CNY|JPY|EUR)(?![\w])"
)
_TROOPS = r"(?i:troops|soldiers|personnel|service\s?members|servicemen|marines|sailors|airmen)"
_UNITS = r"(?i:brigade|division|battalion|regiment|squadron)s?"
# Unit words with a common civilian sense count only after a military modifier.
_AMBIGUOUS_UNITS = frozenset({"division", "squadron"})
_MILITARY = (
    r"(?:(?:U\.S\.|US|ROK|American|Korean|(?i:army|marines?|infantry|armou?red|airborne"
    r"|mechani[sz]ed|combat|artillery|cavalry|tank|stryker|aviation|fighter|naval|ground"
    r"|rotational|additional|more|active[- ]duty|light|heavy))\s+){0,3}"
)
# Words that may stand between a number and "troops": "28,500 U.S. troops",
# "28,500 United States Forces Korea troops".
_MODIFIERS = (
    r"(?:(?:U\.S\.|[A-Z][A-Za-z'’-]*|(?i:american|korean|foreign|additional|more|combat"
    r"|active[- ]duty|ground|rotational))\s+){0,4}"
)

# Where MONEY_BEFORE can start: its currency markers as literals, so the engine skips to
# them at C speed. A marker that may be followed by another ("U.S. $", "USD $", "RMB ¥")
# stops before it, so that the inner one is a candidate of its own.
MONEY_START = re.compile(r"US\$|U\.S\.(?=\s?\$)|USD|RMB|CN¥|CNY|KRW|JPY|EUR|\$|¥|₩|€")
MONEY_BEFORE = re.compile(
    rf"(?<![\w$])(?P<cur>{_PRE})\s?(?P<n1>{NUMBER})(?P<s1>{SCALE})?"
    rf"(?:{RANGE}(?:{_PRE})?\s?(?P<n2>{DIGITS})(?P<s2>{SCALE})?)?"
)
MONEY_AFTER = re.compile(
    rf"{WORD_START}(?P<n1>{NUMBER})(?P<s1>{SCALE})?(?:{RANGE}(?P<n2>{NUMBER})(?P<s2>{SCALE})?)?"
    rf"\s(?P<cur>{_SUF})"
)
PERCENT = re.compile(
    rf"{WORD_START}(?P<n1>{NUMBER})(?:{RANGE}(?P<n2>{NUMBER}))?\s?"
    r"(?P<pct>%|(?i:percentage\s+points?|percent|per\s+cent|pct)(?![\w]))"
    r"(?P<gdp>\s+of\s+(?:(?:its|their|the|national|Korea's|Korea’s)\s+)?"
    r"(?:GDP|(?i:gross\s+domestic\s+product)))?"
)
RATIO = re.compile(
    rf"{WORD_START}(?P<n1>{DIGITS}|{WORD_STEM})(?:-|\s)?(?P<how>(?i:fold|times))(?![\w])"
)
COUNT_STRONG = re.compile(rf"{WORD_START}(?P<n1>{DIGITS})-(?i:strong)(?![\w])")
COUNT_TROOPS = re.compile(
    rf"{WORD_START}(?P<n1>{NUMBER})(?:{RANGE}(?P<n2>{NUMBER}))?\s+{_MODIFIERS}(?P<unit>{_TROOPS})(?![\w])"
)
COUNT_UNITS = re.compile(
    rf"{WORD_START}(?P<n1>{NUMBER}|\b(?:[Aa]n?)\b)(?:{RANGE}(?P<n2>{NUMBER}))?\s+(?P<mods>{_MILITARY})"
    rf"(?P<unit>{_UNITS})(?![a-z])"
)
# "in 2019 U.S. troops": the number is a year governed by a preposition, not a count.
_YEAR_GOVERNOR = re.compile(r"(?i)(?:^|\W)(?:in|by|since|until)\s+$")


def _span_quantity(match: re.Match[str], kind: Kind, value: int | float | str,
                   high: int | float | str | None, unit: str,
                   currency: str | None = None) -> Quantity:
    return Quantity(text=match.group(), start=match.start(), end=match.end(), kind=kind,
                    value=value, value_high=high, unit=unit, currency=currency)


def _amounts(match: re.Match[str]) -> tuple[Decimal, Decimal | None]:
    """Low (and high) value of "N [scale] [to M [scale]]"; "$1-2 billion" scales both."""
    s1, s2 = match["s1"], match["s2"]
    high = None
    if match["n2"]:
        high = parse_number(match["n2"]) * scale_of(s2 or s1)
    low = parse_number(match["n1"]) * scale_of(s1 or s2)
    return low, high


_SPACES = re.compile(r"\s+")
_DOLLAR_PREFIX = re.compile(r"^(?:u\.s\.|us|american)(?=dollar)")


def _money(match: re.Match[str], table: dict[str, str]) -> Quantity | None:
    marker = _SPACES.sub("", match["cur"]).lower()
    marker = _DOLLAR_PREFIX.sub("", marker)
    currency = table.get(marker)
    if currency is None:
        return None
    if currency == "KRW" and table is _SUFFIXES and not (match["s1"] or "," in match["n1"]):
        return None  # "in 2016 won the election" is not 2,016 won
    low, high = _amounts(match)
    return _span_quantity(match, "money", as_number(low),
                          as_number(high) if high is not None else None, currency, currency)


def _percent(match: re.Match[str]) -> Quantity:
    unit = "percentage points" if "point" in match["pct"].lower() else "%"
    if match["gdp"]:
        unit += " of GDP"
    low = parse_number(match["n1"])
    high = parse_number(match["n2"]) if match["n2"] else None
    return _span_quantity(match, "percent", as_number(low),
                          as_number(high) if high is not None else None, unit)


def _ratio(match: re.Match[str]) -> Quantity:
    return _span_quantity(match, "ratio", as_number(parse_number(match["n1"])), None, "x")


def _governed_year(match: re.Match[str]) -> bool:
    """True when the count's number is a year after "in/by/since/until" ("in 2019 troops")."""
    token = match["n1"]
    if not (re.fullmatch(r"\d{4}", token) and 1900 <= int(token) <= 2100):
        return False
    return _YEAR_GOVERNOR.search(match.string[max(0, match.start() - 16):match.start()]) is not None


def _count(match: re.Match[str]) -> Quantity | None:
    """A troop or unit count; None for a governed year or a civilian "division"."""
    if _governed_year(match):
        return None
    unit = (match.groupdict().get("unit") or "troops").lower()
    unit = unit.rstrip("s") if re.fullmatch(_UNITS, unit) else "troops"
    if unit in _AMBIGUOUS_UNITS and not match["mods"]:
        return None
    low = parse_number(match["n1"])
    high = parse_number(match["n2"]) if match.groupdict().get("n2") else None
    return _span_quantity(match, "count", as_number(low),
                          as_number(high) if high is not None else None, unit)


def _date(match: re.Match[str]) -> Quantity | None:
    parsed = parse_date(match)
    if parsed is None:
        return None
    value, high, unit = parsed
    return _span_quantity(match, "date", value, high, unit)


def _keyword(*words: str) -> re.Pattern[str]:
    """Words in any case (a space: any run of whitespace), scanned for at C speed."""
    return re.compile(word_alternation(words, piece=_spaced, ignore_case=True))


def _spaced(rest: str) -> str:
    return r"\s+".join(re.escape(part) for part in rest.split(" "))


# The characters a match can hold before its keyword: number digits and words, scale and
# range words, dashes, whitespace, and the modifiers before "troops" ("U.S.", "Korea's").
# Any other character ends the stretch in which a match starting before it must find its
# keyword.
_BARRIER = re.compile(r"[^\w\s,.\-–—'’]")


@dataclass(frozen=True, slots=True)
class Recogniser:
    """A kind of quantity: its pattern, how a match becomes a `Quantity`, and two filters.

    `starts`: every match of `pattern` starts where this one matches. `keyword`: when
    given, every match contains, between its start and the first `_BARRIER` character
    after it, the start of a match of `keyword` (a word the pattern requires after its
    number: "won", "%", "troops", a month or a year). Both let `find_quantities` skip the
    positions where `pattern` cannot match without trying it there. `by_groups`: the
    build reads nothing but the match's text and groups, so equal matches build equal
    quantities.
    """

    pattern: re.Pattern[str]
    build: Callable[[re.Match[str]], Quantity | None]
    starts: re.Pattern[str]
    keyword: re.Pattern[str] | None = None
    by_groups: bool = True


# Order breaks ties between candidates of equal length: earlier wins.
RECOGNISERS: tuple[Recogniser, ...] = (
    Recogniser(MONEY_BEFORE, lambda m: _money(m, _PREFIXES), MONEY_START),
    Recogniser(MONEY_AFTER, lambda m: _money(m, _SUFFIXES), NUMBER_START, _keyword(
        "dollar", "won", "yuan", "renminbi", "rmb", "yen", "euro", "usd", "krw", "cny", "jpy",
        "eur")),
    Recogniser(PERCENT, _percent, NUMBER_START, _keyword("%", "percent", "per cent", "pct")),
    Recogniser(RATIO, _ratio, NUMBER_START, _keyword("fold", "times")),
    Recogniser(COUNT_STRONG, _count, NUMBER_START, _keyword("strong"), by_groups=False),
    Recogniser(COUNT_TROOPS, _count, NUMBER_START, _keyword(
        "troops", "soldiers", "personnel", "service", "marines", "sailors", "airmen"),
        by_groups=False),
    Recogniser(COUNT_UNITS, _count, NUMBER_START, _keyword(
        "brigade", "division", "battalion", "regiment", "squadron"), by_groups=False),
    Recogniser(DATE, _date, DATE_START, re.compile(  # a year, or a month as DATE writes it
        r"19\d\d|20\d\d|" + "|".join(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
                                     "Sep", "Oct", "Nov", "Dec")))),
)


def _matches_at(pattern: re.Pattern[str], text: str, starts: list[int]
                ) -> Iterator[re.Match[str]]:
    """What `pattern.finditer(text)` yields, when every match starts at one of `starts`."""
    end = 0
    for start in starts:
        if start < end:
            continue
        match = pattern.match(text, start)
        if match is not None:
            end = match.end()
            yield match


def _reaches(text: str, starts: list[int]) -> list[int]:
    """For each start, the offset of the first `_BARRIER` character at or after it (or the
    text's length). The starts are ascending, so each stretch is scanned once."""
    reaches, reach = [], -1
    for start in starts:
        if reach < start:
            barrier = _BARRIER.search(text, start)
            reach = barrier.start() if barrier is not None else len(text)
        reaches.append(reach)
    return reaches


def _viable(spans: list[tuple[int, int]], starts: list[int], reaches: list[int]
            ) -> list[int]:
    """The starts whose stretch up to their reach holds the start of a keyword, given the
    `finditer` spans of the keyword (non-empty).

    A keyword occurrence at p is found by `finditer` or lies inside a found match (a, e)
    with a <= p < e; either way some found match starts by the reach and ends after the
    start. The found matches do not overlap, so the one that starts last by the reach
    ends last: one bisection per start decides.
    """
    firsts = [a for a, _ in spans]
    ends = [e for _, e in spans]
    out = []
    for start, reach in zip(starts, reaches, strict=True):
        i = bisect.bisect_right(firsts, reach) - 1
        if i >= 0 and ends[i] > start:
            out.append(start)
    return out


class Found(NamedTuple):
    """A quantity as `find_quantities` reads it: `Quantity`'s fields up to `currency`."""

    text: str
    start: int
    end: int
    kind: Kind
    value: int | float | str
    value_high: int | float | str | None
    unit: str
    currency: str | None


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in `text`, in reading order, without overlaps (no USD or sentence yet).

    Linear in the text: each recogniser is tried only where its start pattern matches
    (start patterns begin with literal characters, so finding them is a scan at C speed)
    and, for those with a keyword, only where the keyword follows within reach; overlaps
    are resolved by marking taken characters.
    """
    return [Quantity(*found) for found in find_raw(text)]


def find_raw(text: str) -> list[Found]:
    """`find_quantities` as plain tuples, for callers that build their own records."""
    starts: dict[re.Pattern[str], list[int]] = {}
    reaches: dict[re.Pattern[str], list[int]] = {}
    candidates: list[tuple[int, Found]] = []
    for rank, recogniser in enumerate(RECOGNISERS):
        gate, keyword = recogniser.starts, recogniser.keyword
        spans = [m.span() for m in keyword.finditer(text)] if keyword is not None else None
        if spans == []:
            continue  # no keyword anywhere: no match, and no need to find the starts
        if gate not in starts:
            starts[gate] = [m.start() for m in gate.finditer(text)]
        at = starts[gate]
        if spans is not None and at:
            if gate not in reaches:
                reaches[gate] = _reaches(text, at)
            at = _viable(spans, at, reaches[gate])
        built: dict[tuple[str, tuple[str | None, ...]], Quantity | None] = {}
        for match in _matches_at(recogniser.pattern, text, at):
            if recogniser.by_groups:
                key = match.group(), match.groups()
                if key not in built:
                    built[key] = recogniser.build(match)
                q = built[key]
            else:
                q = recogniser.build(match)
            if q is not None:
                candidates.append((rank, Found(q.text, match.start(), match.end(), q.kind,
                                               q.value, q.value_high, q.unit, q.currency)))
    return longest_first(candidates)
