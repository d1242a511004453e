"""Choosing among overlapping matches: the longest wins, then the earlier-ranked one."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from typing import Protocol, TypeVar


class Spanned(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


T = TypeVar("T", bound=Spanned)


def longest_first(candidates: Iterable[tuple[int, T]]) -> list[T]:
    """Non-overlapping items in reading order from (rank, item) candidates.

    Longer spans win; among equal lengths the lower rank, then the earlier start. Kept
    spans are held sorted, so each candidate costs a bisection, not a scan.
    """
    ordered = sorted(candidates, key=lambda c: (c[1].start - c[1].end, c[0], c[1].start))
    starts: list[int] = []
    kept: list[T] = []
    for _, item in ordered:
        i = bisect.bisect_right(starts, item.start)
        if i > 0 and kept[i - 1].end > item.start:
            continue
        if i < len(kept) and kept[i].start < item.end:
            continue
        starts.insert(i, item.start)
        kept.insert(i, item)
    return kept
