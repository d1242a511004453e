"""Where a stakeholder set's numbers come from: missing bases and quote checks.

Quotes are checked as a scenario's are (`pactlab.model.provenance`): against local
copies of the sources' documents in the folders the user names.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from pactlab.forecast.stakeholders import Stakeholders
from pactlab.model.provenance import QuoteCheck, check_quoted


def number_keys(sh: Stakeholders) -> Iterator[str]:
    """The key path of every number in the table."""
    for d in sh.dimensions:
        yield f"dimensions.{d.id}.range"
    for a in sh.actors:
        yield f"actors.{a}.capability"
        for d in sh.dimensions:
            yield f"actors.{a}.position.{d.id}"
        for d in sh.dimensions:
            yield f"actors.{a}.salience.{d.id}"


def missing_bases(sh: Stakeholders) -> list[str]:
    """Key paths of numbers without a usable basis (source + quote, or assumption)."""
    out = []
    for key in number_keys(sh):
        b = sh.bases.get(key)
        ok = isinstance(b, dict) and (
            bool(str(b.get("assumption", "")).strip())
            or (bool(b.get("source")) and bool(str(b.get("quote", "")).strip()))
        )
        if not ok:
            out.append(key)
    return out


def check_quotes(sh: Stakeholders, extra_dirs: Sequence[str | Path] = ()) -> list[QuoteCheck]:
    """Check every quoted basis against the copies in `extra_dirs`; a document that cannot
    be found is reported (`found` None), not raised."""
    quoted = (
        (key, str(b.get("source", "")), str(b["quote"]))
        for key, b in sh.bases.items()
        if isinstance(b, dict) and "quote" in b
    )
    return check_quoted(quoted, sh.sources, extra_dirs)[1]


def describe(sh: Stakeholders) -> dict[str, Any]:
    """Counts for a report: numbers, with basis, quoted."""
    keys = list(number_keys(sh))
    return {"numbers": len(keys), "missing": missing_bases(sh),
            "quoted": sum(1 for k in keys if isinstance(sh.bases.get(k), dict)
                          and "quote" in sh.bases[k])}
