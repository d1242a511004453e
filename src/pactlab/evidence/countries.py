"""Which countries a stretch of text names, from data/countries.toml (names and demonyms)."""

from __future__ import annotations

import bisect
import re
from functools import cache

from pactlab.evidence.alternation import word_alternation
from pactlab.evidence.data import load_data


@cache
def _pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    """One case-sensitive alternation of every name, longest first, and name -> code."""
    lookup = {str(name): str(entry["code"])
              for entry in load_data("countries.toml").get("country", [])
              for name in entry["names"]}
    body = word_alternation(sorted(lookup, key=len, reverse=True), not_after=r"[\w.]")
    return re.compile(rf"(?:{body})(?![\w]|\.\w)"), lookup


def countries_named(text: str) -> list[str]:
    """Country codes named in `text`, in reading order ("South Korean ... U.S." -> KOR, USA)."""
    pattern, lookup = _pattern()
    return [lookup[m.group()] for m in pattern.finditer(text)]


class CountryIndex:
    """Every country named in a text, found once, for questions about stretches of it.

    `only_one(start, end)` is answered by bisection: a run-start array says where the
    current run of one country began, so "the one country named in this stretch" costs
    O(log n) however long the sentence, instead of a scan per question.
    """

    def __init__(self, text: str):
        pattern, lookup = _pattern()
        matches = list(pattern.finditer(text))
        self._starts = [m.start() for m in matches]
        self._ends = [m.end() for m in matches]
        self._codes = [lookup[m.group()] for m in matches]
        self._run_start: list[int] = []
        for i, code in enumerate(self._codes):
            same = i > 0 and self._codes[i - 1] == code
            self._run_start.append(self._run_start[i - 1] if same else i)

    def only_one(self, start: int, end: int) -> str | None:
        """The code of the one country named (maybe repeatedly) within [start, end); None
        when none or several are."""
        first = bisect.bisect_left(self._starts, start)
        last = bisect.bisect_right(self._ends, end) - 1  # last name ending by `end`
        if last < first:
            return None
        return self._codes[last] if self._run_start[last] <= first else None
