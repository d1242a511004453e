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


@pytest.mark.parametrize("text", ["said Yeo Han Koo", "said yeo han-koo", "said YEO HAN-KOO",
                                  "said Yeo  Han–koo", "said Moon Jae In"])
def test_person_names_tolerate_case_and_separator_variants(text):
    assert len(find_actors(text)) == 1


def _ids(text: str) -> list[tuple[str, str]]:
    return [(m.text, m.id) for m in find_actors(text)]


def test_a_bare_surname_after_a_full_mention_is_the_same_actor():
    text = ("Ambassador Harris met lawmakers. Ambassador Harry Harris was criticised; "
            "Harris said no. President Moon Jae-in replied; Moon's critics and the Moon "
            "administration.")
    assert _ids(text) == [
        ("Harry Harris", "harry-harris"), ("Harris", "harry-harris"),
        ("Moon Jae-in", "moon-jae-in"), ("Moon", "moon-jae-in"), ("Moon", "moon-jae-in")]


def test_surnames_resolve_only_when_unambiguous():
    text = ("Kim You-geun briefed. Kim said yes. Then Kim Jong Un spoke; Kim said no. "
            "Jeong Eun-bo arrived.")
    assert _ids(text) == [("Kim You-geun", "kim-you-geun"), ("Kim", "kim-you-geun"),
                          ("Kim Jong Un", "kim-jong-un"), ("Jeong Eun-bo", "jeong-eun-bo")]


def test_an_unregistered_namesake_makes_the_surname_ambiguous():
    text = "Kim You-geun briefed. Kim Il-sung's tactic. Kim said so."
    assert _ids(text) == [("Kim You-geun", "kim-you-geun")]


def test_surnames_are_case_sensitive_whole_words():
    text = "Harry Harris spoke. The harris tweed, Harrison and Harris-like views."
    assert _ids(text) == [("Harry Harris", "harry-harris")]


def test_seed_002_surnames_resolve_after_full_mentions(seed_002):
    text = seed_002.text
    by_id: dict[str, list[int]] = {}
    for m in seed_002.actors:
        by_id.setdefault(m.id, []).append(m.start)
    for needle, actor_id in [("toward Harris", "harry-harris"), ("Harris inquired", "harry-harris"),
                             ("Moon’s critics", "moon-jae-in"), ("Moon was", "moon-jae-in"),
                             ("Jeong told", "jeong-eun-bo"), ("Jeong added", "jeong-eun-bo"),
                             ("Kim said", "kim-you-geun")]:
        start = text.index(needle) + (len("toward ") if needle.startswith("toward") else 0)
        assert start in by_id[actor_id], needle
    headline = text.index("Ambassador Harris Increasingly")  # before any full mention
    assert all(m.start != headline + len("Ambassador ") for m in seed_002.actors)
    kim_family = text.index("Kim family")  # after Kim Il-sung: ambiguous
    assert all(m.start != kim_family for m in seed_002.actors)
