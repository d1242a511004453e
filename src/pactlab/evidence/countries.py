"""Which countries a stretch of text names, from data/countries.toml (names and demonyms)."""

from __future__ import annotations

import re
from functools import cache

from pactlab.evidence.data import load_data


@cache
def _pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    """One case-sensitive alternation of every name, longest first, and name -> code."""
    lookup = {str(name): str(entry["code"])
              for entry in load_data("countries.toml").get("country", [])
              for name in entry["names"]}
    body = "|".join(re.escape(n) for n in sorted(lookup, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])(?:{body})(?![\w]|\.\w)"), lookup


def countries_named(text: str) -> list[str]:
    """Country codes named in `text`, in reading order ("South Korean ... U.S." -> KOR, USA)."""
    pattern, lookup = _pattern()
    return [lookup[m.group()] for m in pattern.finditer(text)]
