"""Validation errors as problems a person can act on: ``(key path, message)`` pairs.

Scenario files and stakeholder sets are both pydantic models read from TOML (or built
from CSV rows), so both turn pydantic's errors into the same kind of problem: the key
path in the file (``parties[1].values.payment.worst``), the fix in words, a did-you-mean
for a misspelt key, every problem listed (bounded). What differs between the two formats
is passed in: which location parts are pydantic's own tags, which keys exist at a place,
and a few hints only one format needs.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from typing import Any

from pydantic import ValidationError

from pactlab.errors import listing

Problem = tuple[str, str]
"""(key path, message); the key path is "" for a problem of the whole document."""
Loc = tuple[str | int, ...]

SHOWN_PROBLEMS = 50
"""Problems one message lists at the most."""


def key_path(loc: Loc) -> str:
    """``("parties", 1, "values", "payment")`` → ``parties[1].values.payment``."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def suggest(word: str, choices: list[str]) -> str:
    """``; did you mean 'x'?`` for the closest choice, or the (bounded) list of choices."""
    match = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if match:
        return f"; did you mean {match[0]!r}?"
    return f"; expected one of [{listing(repr(c) for c in choices)}]"


def pydantic_problems(exc: ValidationError, *, clean: Callable[[Loc], Loc],
                      keys_at: Callable[[Loc], list[str]],
                      special: Callable[[Any, Loc], str | None] | None = None
                      ) -> list[Problem]:
    """Every error of `exc` as a problem, one per key path, misspelt keys first.

    Parameters
    ----------
    clean
        Drops pydantic's own location parts (union member tags, discriminator values),
        which name nothing in the file.
    keys_at
        The keys a document may have where a misspelt key (its cleaned location) stands.
    special
        A format's own message for an error, or None to use the common ones.

    A misspelt key also shows up as a missing one, so unknown keys come first; a union
    (a number or an inline table) reports one error per member at the same place, so
    only the first problem at each key path is kept.
    """
    errors = exc.errors(include_url=False)
    errors.sort(key=lambda e: e["type"] != "extra_forbidden")
    seen: dict[str, str] = {}
    for err in errors:
        loc = clean(err["loc"])
        key = key_path(loc)
        if key not in seen:
            seen[key] = (special(err, loc) if special else None) or _message(err, loc, keys_at)
    return list(seen.items())


def _message(err: Any, loc: Loc, keys_at: Callable[[Loc], list[str]]) -> str:
    kind = err["type"]
    ctx = err.get("ctx", {})
    if kind == "extra_forbidden":
        return f"unknown key {loc[-1]!r}{suggest(str(loc[-1]), keys_at(loc))}"
    if kind == "missing":
        return "missing required key"
    if kind == "too_short":
        return f"expected at least {ctx.get('min_length')} entries, got {ctx.get('actual_length')}"
    if kind == "too_long":
        return (f"at most {ctx.get('max_length'):,} entries are allowed, "
                f"got {ctx.get('actual_length'):,}")
    message = str(err["msg"]).removeprefix("Value error, ")
    value = err.get("input")
    if kind != "value_error" and isinstance(value, str | int | float | bool):
        shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
        message += f" (got {shown})"
    return message


def summary(problems: Iterable[Problem], *, full_list: str | None = None) -> Problem:
    """The first problem in full, then the others, bounded: one paragraph for a refusal.

    `full_list` says where to see every problem when some are left out.
    """
    (key, message), *rest = problems
    if rest:
        more = listing((f"{k}: {m}" if k else m for k, m in rest), limit=SHOWN_PROBLEMS - 1,
                       sep="; ")
        message += f" (and {len(rest)} more problem(s): {more}"
        if len(rest) >= SHOWN_PROBLEMS and full_list:
            message += f"; {full_list}"
        message += ")"
    return key, message
