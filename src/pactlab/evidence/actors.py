"""Actors (people, offices, organisations) found through the alias registry in data/actors.toml.

Two passes: every alias, longest first; then bare surnames ("Moon" after "Moon Jae-in"),
resolved to a person named in full earlier in the same document when no other person
with that surname, registered or not ("Kim Il-sung"), has been named before them.
Both passes are linear in the text: full mentions are swept once in reading order,
keeping for each surname the set of people named so far.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from pactlab.errors import EvidenceError
from pactlab.evidence.alternation import word_alternation
from pactlab.evidence.data import load_data
from pactlab.evidence.records import ActorMention
from pactlab.evidence.spans import longest_first

_SEPARATOR = r"[\s\-‐‑–]+"
# Words before a surname that do not make it somebody else's full name ("Ambassador Harris").
_TITLES = frozenset({
    "Ambassador", "President", "Minister", "Secretary", "Chairman", "Commander", "General",
    "Gen.", "Adm.", "Admiral", "Director", "Deputy", "Adviser", "Advisor", "Envoy", "Negotiator",
    "Rep.", "Sen.", "Senator", "Representative", "Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "Lt.",
    "Col.", "Premier", "Leader", "Chief", "Prime", "Governor", "Gov.", "Mayor", "Judge",
})
_UNKNOWN = "?"  # an unregistered person with a registered person's surname


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    name: str
    kind: str
    aliases: tuple[str, ...]
    surnames: tuple[str, ...] = ()
    family_name_first: bool = False


@cache
def registry() -> tuple[Actor, ...]:
    """The registered actors; an entry without id, name or aliases is an EvidenceError."""
    actors = []
    for i, entry in enumerate(load_data("actors.toml").get("actor", [])):
        try:
            actors.append(Actor(str(entry["id"]), str(entry["name"]), str(entry["kind"]),
                                tuple(str(a) for a in entry["aliases"]),
                                tuple(str(s) for s in entry.get("surnames", ())),
                                bool(entry.get("family_name_first", False))))
        except KeyError as exc:
            raise EvidenceError(
                f"pactlab/evidence/data/actors.toml: actor[{i}] lacks {exc}; "
                "expected id, name, kind and aliases"
            ) from None
    return tuple(actors)


_PART_BREAK = re.compile(r"[\s\-]+")
_SEPARATOR_RE = re.compile(_SEPARATOR)


@lru_cache(maxsize=4096)
def _parts(alias: str) -> tuple[str, ...]:
    """An alias's words (cached: a text repeats the same mentions)."""
    return tuple(_PART_BREAK.split(alias))


def _alias_pattern(alias: str) -> str:
    """Spaces and hyphens inside an alias match any run of them ("Yeo Han koo")."""
    return _SEPARATOR.join(re.escape(part) for part in _parts(alias))


def _case_sensitive(actor: Actor, alias: str) -> bool:
    """Acronyms and one-word person aliases ("Trump") match only as written."""
    if actor.kind == "person":
        return len(_parts(alias)) == 1
    return not any(c.islower() for c in alias)


def _alternation(words: Sequence[str], ignore_case: bool = False) -> re.Pattern[str]:
    """Longest alias first, not inside a word (see `alternation.word_alternation`)."""
    body = word_alternation(sorted(words, key=len, reverse=True), not_after=r"[\w-]",
                            piece=_alias_pattern, ignore_case=ignore_case)
    return re.compile(rf"(?:{body})(?![\w]|-\w)")


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], dict[str, Actor]], ...]:
    """Two alternations, case-sensitive and not, longest alias first."""
    groups: dict[bool, dict[str, Actor]] = {True: {}, False: {}}
    for actor in registry():
        for alias in actor.aliases:
            groups[_case_sensitive(actor, alias)][alias] = actor
    return tuple(
        (_alternation(list(table), ignore_case=not sensitive),
         {_key(a): actor for a, actor in table.items()})
        for sensitive, table in groups.items() if table
    )


@cache
def _surnames() -> tuple[re.Pattern[str] | None, dict[str, tuple[Actor, ...]]]:
    """One case-sensitive alternation of every registered surname, and who bears each."""
    bearers: dict[str, tuple[Actor, ...]] = {}
    for actor in registry():
        for surname in actor.surnames:
            bearers[surname] = (*bearers.get(surname, ()), actor)
    return (_alternation(list(bearers)) if bearers else None), bearers


@lru_cache(maxsize=4096)
def _key(text: str) -> str:
    """The lookup key of a matched alias (cached: a text repeats the same mentions)."""
    return _SEPARATOR_RE.sub(" ", text).lower()


def _alias_mentions(text: str) -> list[ActorMention]:
    found: list[tuple[int, ActorMention]] = []
    for pattern, lookup in _patterns():
        for match in pattern.finditer(text):
            actor = lookup[_key(match.group())]
            found.append((0, ActorMention(match.group(), match.start(), match.end(),
                                          actor.id, actor.name)))
    return longest_first(found)


_GIVEN_NAME_AFTER = re.compile(r"[ \t]+[A-Z][a-z]+[-‐‑][a-z]+")
_GIVEN_NAME_BEFORE = re.compile(r"([A-Z][\w.]*)[ \t]+$")


def _someone_else(text: str, match: re.Match[str], family_first: bool) -> bool:
    """True when the surname is part of another full name: "Kim Il-sung", "Kamala Harris"."""
    if family_first:
        return _GIVEN_NAME_AFTER.match(text, match.end()) is not None
    before = _GIVEN_NAME_BEFORE.search(text[max(0, match.start() - 40):match.start()])
    return before is not None and before.group(1) not in _TITLES


def _covered(mentions: list[ActorMention], starts: list[int], offset: int) -> bool:
    i = bisect.bisect_right(starts, offset) - 1
    return i >= 0 and mentions[i].end > offset


def _surname_mentions(text: str, mentions: list[ActorMention]) -> list[ActorMention]:
    """Bare surnames resolved to the one person of that surname named in full before."""
    pattern, bearers = _surnames()
    if pattern is None:
        return []
    by_id = {a.id: a for a in registry()}
    events: list[tuple[int, str, str]] = []  # (offset, surname, actor id or _UNKNOWN)
    for m in mentions:
        actor = by_id[m.id]
        if actor.kind == "person" and len(_parts(m.text)) > 1:
            events += [(m.start, s, actor.id) for s in actor.surnames]
    starts = [m.start for m in mentions]
    bare: list[re.Match[str]] = []
    for match in pattern.finditer(text):
        if _covered(mentions, starts, match.start()):
            continue
        if any(_someone_else(text, match, a.family_name_first) for a in bearers[match.group()]):
            events.append((match.start(), match.group(), _UNKNOWN))
        else:
            bare.append(match)
    return _resolve(bare, events, by_id)


def _resolve(bare: list[re.Match[str]], events: list[tuple[int, str, str]],
             by_id: dict[str, Actor]) -> list[ActorMention]:
    """Each bare surname (in reading order) as the one person named in full with that
    surname before it; a surname shared by several people named so far stays unresolved."""
    events.sort()  # by offset; the order of events at one offset does not matter (sets)
    named: dict[str, set[str]] = {}
    found, i, n = [], 0, len(events)
    for match in bare:
        at = match.start()
        while i < n and events[i][0] < at:
            _, surname, who = events[i]
            named.setdefault(surname, set()).add(who)
            i += 1
        people = named.get(match[0], ())
        if len(people) == 1 and _UNKNOWN not in people:
            actor = by_id[next(iter(people))]
            found.append(ActorMention(match.group(), match.start(), match.end(), actor.id,
                                      actor.name))
    return found


def find_actors(text: str) -> list[ActorMention]:
    """Every mention of a registered actor, in reading order; the longest alias wins, and a
    bare surname counts after a full mention when it can only mean that person."""
    mentions = _alias_mentions(text)
    return sorted([*mentions, *_surname_mentions(text, mentions)], key=lambda m: m.start)
