"""Alternations of many words that the regex engine scans for at C speed.

Python's `re` tries the branches of `a|b|c` one after another at every position, and a
pattern that starts with a lookbehind (`(?<![\\w-])...`) is tried at every character.
`word_alternation` writes the same language so that both costs go:

* branches are grouped by their first character (`U(?:\\.S\\.|SFK)|S(?:eoul)`), keeping
  their order within each group; branches with different first characters can never
  match at the same position, so the grouped alternation matches what the flat one did;
* each group starts with its first character as a plain literal (one branch per case
  variant when case is ignored), and the "not after" check is written as a lookbehind
  *after* that character (`U(?<![\\w-].)`), so the compiled pattern starts with a set of
  literal characters and the engine skips every other character without trying a match.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache


@cache
def _folding_extras() -> tuple[str, ...]:
    """The non-ASCII characters re.IGNORECASE matches with some ASCII letter (İ, ı, ſ, the
    Kelvin sign), asked of the engine itself in one scan: "İ" matches "i" although its
    lower case is two characters, so a test of str.lower()/upper() would miss it. Planes
    above the first hold no letter with a case (CJK ideographs and unassigned), so the scan
    stops at U+20000."""
    every = "".join(map(chr, range(0x80, 0x20000)))
    return tuple(dict.fromkeys(re.findall(r"[a-z]", every, re.IGNORECASE)))


@cache
def _case_variants(char: str) -> tuple[str, ...] | None:
    """Every character re.IGNORECASE matches with the ASCII letter `char` ("s" -> s, S,
    ſ); None for other characters (they are then matched with IGNORECASE as they are)."""
    if not (char.isascii() and char.isalpha()):
        return None
    probe = re.compile(re.escape(char), re.IGNORECASE)
    return tuple(c for c in (char.lower(), char.upper(), *_folding_extras())
                 if probe.fullmatch(c))


def word_alternation(words: Iterable[str], *, not_after: str = "",
                     piece: Callable[[str], str] = re.escape,
                     ignore_case: bool = False) -> str:
    """A regex matching `words` in the given priority order (the first that fits wins),
    not preceded by a character of the class `not_after` (e.g. ``[\\w-]``).

    `piece(rest)` writes the regex of a word's remainder after its first character (by
    default the literal text). With `ignore_case` the remainders match in any case; the
    result is compiled without re.IGNORECASE.
    """
    groups: dict[str, list[str]] = {}
    for word in words:
        key = word[0].lower() if ignore_case else word[0]
        groups.setdefault(key, []).append(piece(word[1:]))
    guard = f"(?<!{not_after}.)" if not_after else ""
    branches = []
    for key, rests in groups.items():
        body = "|".join(rests)
        body = f"(?i:{body})" if ignore_case else f"(?:{body})"
        variants = _case_variants(key) if ignore_case else (key,)
        if variants is None:  # not an ASCII letter: correct, if not skipped at C speed
            branches.append(f"(?i:{re.escape(key)}){guard}{body}")
            continue
        branches += [f"{re.escape(first)}{guard}{body}" for first in variants]
    return "|".join(branches)
