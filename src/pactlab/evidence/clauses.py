"""The year a figure states for itself: "3.5 trillion won as of 2015", "1 trillion won in 2018".

A money figure is converted at its own year when its clause says "as of YEAR" or "in YEAR";
otherwise at the document's FX year. A clause is the part of the sentence between
semicolons, dashes and ", and/but/while/whereas"; the qualifier nearest the figure wins.

Breaks and qualifiers are found once per sentence and looked up by bisection, so a
sentence of 50,000 figures costs one pass, not one pass per figure.
"""

from __future__ import annotations

import bisect
import re

from pactlab.evidence.spans import Spanned

_BREAK = re.compile(r"[;—]|\s[–-]\s|,\s+(?:and|but|while|whereas)\b")
_QUALIFIER = re.compile(
    r"(?<![\w-])(?:[Aa]s\s+of|[Ii]n)\s+(?:(?:fiscal|FY)\s+)?(?P<year>(?:19|20)\d\d)"
    r"(?![\w%]|[.,:]\d|-\d)"
)

Span = tuple[int, int]


class _Marks:
    """(start, end) of every match of one pattern in a sentence, in reading order."""

    def __init__(self, pattern: re.Pattern[str], text: str, span: Span):
        matches = list(pattern.finditer(text, *span))
        self.starts = [m.start() for m in matches]
        self.ends = [m.end() for m in matches]
        self.matches = matches


class Clauses:
    """Clause boundaries and year qualifiers of a text's sentences, found once per sentence."""

    def __init__(self, text: str):
        self._text = text
        self._breaks: dict[Span, _Marks] = {}
        self._qualifiers: dict[Span, _Marks] = {}

    def span(self, sentence: Span, start: int, end: int) -> Span:
        """(start, end) of the clause of `sentence` that holds [start, end)."""
        breaks = self._marks(self._breaks, _BREAK, sentence)
        before = bisect.bisect_right(breaks.ends, start) - 1  # last break ending by `start`
        after = bisect.bisect_left(breaks.starts, end)  # first break starting at `end` or later
        left = breaks.ends[before] if before >= 0 else sentence[0]
        right = breaks.starts[after] if after < len(breaks.starts) else sentence[1]
        return left, right

    def own_year(self, quantity: Spanned, sentence: Span) -> int | None:
        """The year of the "as of YEAR"/"in YEAR" nearest `quantity` in its clause, if any.

        The nearest before the figure wins a tie with the nearest after it.
        """
        marks = self._marks(self._qualifiers, _QUALIFIER, sentence)
        if not marks.starts:
            return None  # the sentence states no year: its clauses need not be found
        left, right = self.span(sentence, quantity.start, quantity.end)
        i = bisect.bisect_right(marks.ends, quantity.start) - 1
        before = marks.matches[i] if i >= 0 and marks.starts[i] >= left else None
        j = bisect.bisect_left(marks.starts, quantity.end)
        after = marks.matches[j] if j < len(marks.starts) and marks.ends[j] <= right else None
        if before is not None and (after is None or quantity.start - before.end()
                                   <= after.start() - quantity.end):
            return int(before["year"])
        return int(after["year"]) if after is not None else None

    def _marks(self, cache: dict[Span, _Marks], pattern: re.Pattern[str], span: Span) -> _Marks:
        marks = cache.get(span)
        if marks is None:
            marks = cache[span] = _Marks(pattern, self._text, span)
        return marks
