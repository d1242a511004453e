"""The year a figure states for itself: "3.5 trillion won as of 2015", "1 trillion won in 2018".

A money figure is converted at its own year when its clause says "as of YEAR" or "in YEAR";
otherwise at the document's FX year. A clause is the part of the sentence between
semicolons, dashes and ", and/but/while/whereas"; the qualifier nearest the figure wins.
"""

from __future__ import annotations

import re

from pactlab.evidence.records import Quantity

_BREAK = re.compile(r"[;—]|\s[–-]\s|,\s+(?:and|but|while|whereas)\b")
_QUALIFIER = re.compile(
    r"(?<![\w-])(?:[Aa]s\s+of|[Ii]n)\s+(?:(?:fiscal|FY)\s+)?(?P<year>(?:19|20)\d\d)"
    r"(?![\w%]|[.,:]\d|-\d)"
)


def clause_span(text: str, sentence: tuple[int, int], start: int, end: int) -> tuple[int, int]:
    """(start, end) of the clause of `sentence` that holds [start, end)."""
    left, right = sentence
    for brk in _BREAK.finditer(text, left, start):
        left = brk.end()
    after = _BREAK.search(text, end, right)
    return left, (after.start() if after else right)


def own_year(text: str, quantity: Quantity, sentence: tuple[int, int]) -> int | None:
    """The year of the "as of YEAR"/"in YEAR" nearest `quantity` in its clause, if any."""
    left, right = clause_span(text, sentence, quantity.start, quantity.end)
    found = [m for m in _QUALIFIER.finditer(text, left, right)
             if m.end() <= quantity.start or m.start() >= quantity.end]
    if not found:
        return None
    nearest = min(found, key=lambda m: min(abs(m.start() - quantity.end),
                                           abs(quantity.start - m.end())))
    return int(nearest["year"])
