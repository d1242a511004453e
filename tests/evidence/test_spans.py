"""Overlap resolution agrees with a brute-force reading of its rule."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from pactlab.evidence.spans import longest_first


@dataclass(frozen=True)
class Item:
    start: int
    end: int


def brute_force(candidates):
    ordered = sorted(candidates, key=lambda c: (c[1].start - c[1].end, c[0], c[1].start))
    kept = []
    for _, item in ordered:
        if all(item.end <= k.start or item.start >= k.end for k in kept):
            kept.append(item)
    return sorted(kept, key=lambda k: k.start)


spans = st.tuples(st.integers(0, 40), st.integers(1, 8)).map(lambda t: Item(t[0], t[0] + t[1]))


@given(st.lists(st.tuples(st.integers(0, 3), spans), max_size=30))
def test_longest_first_matches_brute_force(candidates):
    assert longest_first(candidates) == brute_force(candidates)


def test_longer_beats_earlier_rank():
    assert longest_first([(0, Item(5, 7)), (1, Item(0, 10))]) == [Item(0, 10)]


# Candidates that never overlap (the common case of one kind of figure repeated, and the
# one-sort shortcut), zero-length spans included, in any order and with any ranks.
disjoint = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 4), st.integers(0, 3)),
                    max_size=30).map(
    lambda parts: [(rank, Item(s, s + length)) for rank, s, length in _laid_out(parts)])


def _laid_out(parts):
    at, out = 0, []
    for rank, gap, length in parts:
        out.append((rank, at + gap, length))
        at += gap + length
    return out


@given(st.permutations(list(range(30))), disjoint)
def test_candidates_that_do_not_overlap_are_all_kept_in_the_same_order(order, candidates):
    shuffled = [candidates[i] for i in order if i < len(candidates)]
    assert longest_first(shuffled) == brute_force(shuffled)
