"""Choosing among overlapping matches: the longest wins, then the earlier-ranked one."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise
from typing import Protocol, TypeVar


class Spanned(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


T = TypeVar("T", bound=Spanned)


def longest_first(candidates: Iterable[tuple[int, T]]) -> list[T]:
    """Non-overlapping items in reading order from (rank, item) candidates.

    Longer spans win; among equal lengths the lower rank, then the earlier start. Taken
    characters are marked in a bytearray, so a candidate costs its own length (each
    recogniser's matches do not overlap, so the total is a few times the text's length)
    rather than a search of, or an insertion into, the spans kept so far. When no two
    candidates overlap (one kind of figure, repeated), all are kept: as given when they
    come in reading order, else after one sort.
    """
    given = list(candidates)
    if all(a.start < b.start and a.end <= b.start for (_, a), (_, b) in pairwise(given)):
        return [item for _, item in given]  # in reading order already, and disjoint
    # Reading order, and at one start the order the marking below keeps (longer, then rank).
    in_order = sorted(given, key=lambda c: (c[1].start, c[1].start - c[1].end, c[0]))
    if all(a.end <= b.start for (_, a), (_, b) in pairwise(in_order)):
        return [item for _, item in in_order]  # nothing overlaps: every candidate is kept
    ordered = sorted(in_order, key=lambda c: (c[1].start - c[1].end, c[0], c[1].start))
    taken = bytearray(max(item.end for _, item in ordered))
    kept: list[T] = []
    for _, item in ordered:
        if taken.find(1, item.start, item.end) >= 0:
            continue
        taken[item.start:item.end] = b"\x01" * (item.end - item.start)
        kept.append(item)
    kept.sort(key=lambda item: item.start)
    return kept
