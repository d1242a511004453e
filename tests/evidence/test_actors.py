"""Actors through the alias registry: romanisation variants and translated names."""

from __future__ import annotations

import pytest

from pactlab.evidence import find_actors
from pactlab.evidence.actors import registry


@pytest.mark.parametrize(("text", "actor_id"), [
    ("Wi Sung-lac flew to Washington", "wi-sung-lac"),
    ("Wei Shengluo flew to Washington", "wi-sung-lac"),
    ("said Yeo Han-koo, the trade minister", "yeo-han-koo"),
    ("said Yeo Han-gyu, the trade minister", "yeo-han-koo"),
    ("said Yeo Han koo", "yeo-han-koo"),
    ("the USFK commander", "usfk"),
    ("the U.S. Forces Korea commander", "usfk"),
    ("the United States Forces Korea", "usfk"),
    ("the NSO chief", "nso"),
    ("head of the National Security Office", "nso"),
    ("Cheong Wa Dae's national security office", "nso"),
])
def test_aliases_resolve_to_the_canonical_id(text, actor_id):
    ids = [m.id for m in find_actors(text)]
    assert actor_id in ids


def test_mentions_carry_spans_and_names():
    text = "Wei Shengluo met Rubio."
    mentions = find_actors(text)
    assert [(m.text, m.id, m.name) for m in mentions] == [
        ("Wei Shengluo", "wi-sung-lac", "Wi Sung-lac"), ("Rubio", "marco-rubio", "Marco Rubio")]
    assert all(text[m.start:m.end] == m.text for m in mentions)


def test_longest_alias_wins_and_words_are_whole():
    mentions = find_actors("U.S. Secretary of State Marco Rubio; Trumpet; NSOs; Dr. Jeong-sik")
    assert [m.text for m in mentions] == ["U.S. Secretary of State", "Marco Rubio"]


def test_person_names_are_case_sensitive():
    assert find_actors("to trump the offer") == []


def test_seed_000_actors(seed_000):
    ids = {m.id for m in seed_000.actors}
    assert {"wi-sung-lac", "yeo-han-koo", "nso", "usfk", "marco-rubio", "lee-jae-myung",
            "donald-trump", "xavier-brunson", "us-dod", "nato"} <= ids
    wi = [m for m in seed_000.actors if m.id == "wi-sung-lac"]
    assert len(wi) == 9 and {m.text for m in wi} == {"Wei Shengluo"}


def test_seed_002_actors(seed_002):
    usfk = {m.text for m in seed_002.actors if m.id == "usfk"}
    assert usfk == {"USFK", "U.S. Forces Korea", "United States Forces Korea"}
    ids = {m.id for m in seed_002.actors}
    assert {"james-dehart", "jeong-eun-bo", "harry-harris", "moon-jae-in", "us-dod"} <= ids


def test_registry_ids_are_unique_and_aliases_unambiguous():
    actors = registry()
    assert len({a.id for a in actors}) == len(actors)
    aliases = [alias.lower() for a in actors for alias in a.aliases]
    assert len(set(aliases)) == len(aliases)
