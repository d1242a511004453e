"""A plain, quadratic reference extractor: the oracle for the linear-time one.

It follows the definitions directly, the way the first version of `pactlab.evidence`
did: every recogniser scans the whole text (`finditer`, without start patterns), kept
spans are searched by bisection, the word before a sentence end is the last word of the
sentence so far, a figure's clause and year qualifiers are searched from its sentence's
start, countries are matched in a slice of the text, aliases with one flat alternation
under re.IGNORECASE, and each bare surname is resolved against every full mention
before it. Slow on long texts, but easy to check by reading; `test_linear.py` asserts
that `extract` gives exactly its result.
"""

from __future__ import annotations

import bisect
import re
from itertools import pairwise

from pactlab.evidence import actors, checks, countries, quantities, text
from pactlab.evidence.extract import _usd, choose_fx_year
from pactlab.evidence.fx import gdp_for
from pactlab.evidence.numbers import WORD_START
from pactlab.evidence.records import ActorMention, Evidence, Quantity


def longest_first(candidates):
    ordered = sorted(candidates, key=lambda c: (c[1].start - c[1].end, c[0], c[1].start))
    starts, kept = [], []
    for _, item in ordered:
        i = bisect.bisect_right(starts, item.start)
        if i > 0 and kept[i - 1].end > item.start:
            continue
        if i < len(kept) and kept[i].start < item.end:
            continue
        starts.insert(i, item.start)
        kept.insert(i, item)
    return kept


def find_quantities(document: str) -> list[Quantity]:
    found = []
    for rank, recogniser in enumerate(quantities.RECOGNISERS):
        pattern = re.compile(recogniser.pattern.pattern.removeprefix(WORD_START))
        for match in pattern.finditer(document):
            q = recogniser.build(match)
            if q is not None:
                found.append((rank, q))
    return longest_first(found)


def sentence_spans(document: str) -> list[tuple[int, int]]:
    spans = []
    for line in re.finditer(r"[^\n]+", document):
        start = line.start()
        for end_match in text._END.finditer(document, line.start(), line.end()):
            head = document[start:end_match.start() + 1]
            word = head.rsplit(None, 1)[-1] if head.strip() else ""
            if (text._INITIALISM.search(" " + word)
                    or word.rstrip(".").lower() in text._ABBREVIATIONS):
                continue
            spans.append((start, end_match.end()))
            start = end_match.end()
        spans.append((start, line.end()))
    return [text._strip(document, s, e) for s, e in spans if document[s:e].strip()]


def sentence_span(spans, start: int, end: int) -> tuple[int, int]:
    starts = [s for s, _ in spans]
    if not spans:
        return start, start
    first = max(bisect.bisect_right(starts, start) - 1, 0)
    last = max(bisect.bisect_right(starts, max(end - 1, start)) - 1, first)
    return spans[first][0], spans[last][1]


_BREAK = re.compile(r"[;—]|\s[–-]\s|,\s+(?:and|but|while|whereas)\b")
_QUALIFIER = re.compile(
    r"(?<![\w-])(?:[Aa]s\s+of|[Ii]n)\s+(?:(?:fiscal|FY)\s+)?(?P<year>(?:19|20)\d\d)"
    r"(?![\w%]|[.,:]\d|-\d)"
)


def own_year(document: str, q: Quantity, sentence: tuple[int, int]) -> int | None:
    left, right = sentence
    for brk in _BREAK.finditer(document, left, q.start):
        left = brk.end()
    after = _BREAK.search(document, q.end, right)
    right = after.start() if after else right
    found = [m for m in _QUALIFIER.finditer(document, left, right)
             if m.end() <= q.start or m.start() >= q.end]
    if not found:
        return None
    nearest = min(found, key=lambda m: min(abs(m.start() - q.end), abs(q.start - m.end())))
    return int(nearest["year"])


def countries_named(stretch: str) -> list[str]:
    lookup = {str(name): str(entry["code"])
              for entry in countries.load_data("countries.toml").get("country", [])
              for name in entry["names"]}
    body = "|".join(re.escape(n) for n in sorted(lookup, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w.])(?:{body})(?![\w]|\.\w)")
    return [lookup[m.group()] for m in pattern.finditer(stretch)]


def check_consistency(found, document, year, years, spans):
    result = []
    for a, b in pairwise(sorted(found, key=lambda q: q.start)):
        if not checks._SAME_AMOUNT.fullmatch(document[a.end:b.start]):
            continue
        at = years.get((a.start, a.end), years.get((b.start, b.end), year))
        check = None
        if a.kind == b.kind == "money":
            check = checks._paired_amounts(a, b, at)
        elif {a.kind, b.kind} == {"money", "percent"}:
            share, amount = (a, b) if a.kind == "percent" else (b, a)
            country = None
            for stretch in (share.text,
                            document[sentence_span(spans, a.start, b.end)[0]:b.end]):
                named = set(countries_named(stretch))
                if named:
                    country = named.pop() if len(named) == 1 else None
                    break
            check = checks._percent_of_gdp(share, amount,
                                           gdp_for(country, at) if country else None)
        if check is not None:
            result.append(check)
    return result


def _flat(words, flags=0):
    body = "|".join(actors._alias_pattern(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w]|-\w)", flags)


def find_actors(document: str) -> list[ActorMention]:
    groups = {True: {}, False: {}}
    for actor in actors.registry():
        for alias in actor.aliases:
            groups[actors._case_sensitive(actor, alias)][alias] = actor
    found = []
    for sensitive, table in groups.items():
        lookup = {actors._key(a): actor for a, actor in table.items()}
        for m in _flat(list(table), 0 if sensitive else re.IGNORECASE).finditer(document):
            actor = lookup[actors._key(m.group())]
            found.append((0, ActorMention(m.group(), m.start(), m.end(), actor.id, actor.name)))
    mentions = longest_first(found)
    bearers: dict = {}
    for actor in actors.registry():
        for surname in actor.surnames:
            bearers[surname] = (*bearers.get(surname, ()), actor)
    by_id = {a.id: a for a in actors.registry()}
    events = []
    for m in mentions:
        actor = by_id[m.id]
        if actor.kind == "person" and len(actors._parts(m.text)) > 1:
            events += [(m.start, s, actor.id) for s in actor.surnames]
    starts = [m.start for m in mentions]
    bare = []
    for match in _flat(list(bearers)).finditer(document):
        i = bisect.bisect_right(starts, match.start()) - 1
        if i >= 0 and mentions[i].end > match.start():
            continue
        if any(actors._someone_else(document, match, a.family_name_first)
               for a in bearers[match.group()]):
            events.append((match.start(), match.group(), actors._UNKNOWN))
        else:
            bare.append(match)
    resolved = []
    for match in bare:
        named = {who for at, s, who in events if at < match.start() and s == match[0]}
        if len(named) == 1 and actors._UNKNOWN not in named:
            actor = by_id[named.pop()]
            resolved.append(ActorMention(match.group(), match.start(), match.end(),
                                         actor.id, actor.name))
    return sorted([*mentions, *resolved], key=lambda m: m.start)


def extract(document: str) -> Evidence:
    """What `pactlab.evidence.extract(document)` returns (sentences of up to 1,000 chars)."""
    found = find_quantities(document)
    fx = choose_fx_year(found)
    spans = sentence_spans(document)
    years = {}
    for q in found:
        stated = (own_year(document, q, sentence_span(spans, q.start, q.end))
                  if q.kind == "money" else None)
        if stated is not None:
            years[q.start, q.end] = stated
    result = []
    for q in found:
        first, last = sentence_span(spans, q.start, q.end)
        result.append(Quantity(q.text, q.start, q.end, q.kind, q.value, q.value_high, q.unit,
                               q.currency, _usd(q, years.get((q.start, q.end), fx.year)),
                               document[first:last]))
    found_checks = check_consistency(result, document, fx.year, years, spans)
    return Evidence("<text>", tuple(result), tuple(find_actors(document)),
                    tuple(found_checks), fx, document)
