"""Actors (people, offices, organisations) found through the alias registry in data/actors.toml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pactlab.errors import EvidenceError
from pactlab.evidence.data import load_data
from pactlab.evidence.records import ActorMention
from pactlab.evidence.spans import longest_first

_SEPARATOR = r"[\s\-‐‑–]+"


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    name: str
    kind: str
    aliases: tuple[str, ...]


@cache
def registry() -> tuple[Actor, ...]:
    """The registered actors; an entry without id, name or aliases is an EvidenceError."""
    actors = []
    for i, entry in enumerate(load_data("actors.toml").get("actor", [])):
        try:
            actors.append(Actor(str(entry["id"]), str(entry["name"]), str(entry["kind"]),
                                tuple(str(a) for a in entry["aliases"])))
        except KeyError as exc:
            raise EvidenceError(
                f"pactlab/evidence/data/actors.toml: actor[{i}] lacks {exc}; "
                "expected id, name, kind and aliases"
            ) from None
    return tuple(actors)


def _alias_pattern(alias: str) -> str:
    """Spaces and hyphens inside an alias match any run of them ("Yeo Han koo")."""
    return _SEPARATOR.join(re.escape(part) for part in re.split(r"[\s\-]+", alias))


def _case_sensitive(actor: Actor, alias: str) -> bool:
    return actor.kind == "person" or not any(c.islower() for c in alias)


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], dict[str, Actor]], ...]:
    """Two alternations, case-sensitive and not, longest alias first."""
    groups: dict[bool, dict[str, Actor]] = {True: {}, False: {}}
    for actor in registry():
        for alias in actor.aliases:
            groups[_case_sensitive(actor, alias)][alias] = actor
    compiled = []
    for sensitive, table in groups.items():
        if not table:
            continue
        body = "|".join(_alias_pattern(a) for a in sorted(table, key=len, reverse=True))
        flags = 0 if sensitive else re.IGNORECASE
        lookup = {_key(a): actor for a, actor in table.items()}
        compiled.append((re.compile(rf"(?<![\w-])(?:{body})(?![\w]|-\w)", flags), lookup))
    return tuple(compiled)


def _key(text: str) -> str:
    return re.sub(_SEPARATOR, " ", text).lower()


def find_actors(text: str) -> list[ActorMention]:
    """Every mention of a registered actor, in reading order; the longest alias wins."""
    found: list[tuple[int, ActorMention]] = []
    for pattern, lookup in _patterns():
        for match in pattern.finditer(text):
            actor = lookup[_key(match.group())]
            found.append((0, ActorMention(match.group(), match.start(), match.end(),
                                          actor.id, actor.name)))
    return longest_first(found)
