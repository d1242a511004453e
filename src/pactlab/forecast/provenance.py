"""Where a stakeholder set's numbers come from: missing bases and quote checks.

A quoted basis must occur in its source document. Documents are looked up beside the
stakeholder file, in a `documents/` folder beside it, among the documents bundled with
pactlab (`pactlab/scenarios/documents/`) and in any extra folders given. Whitespace runs and
typographic quote marks are normalised before matching.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pactlab.forecast.stakeholders import Stakeholders

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‚": "'"})


def normalise_text(text: str) -> str:
    """Collapse whitespace and straighten quote marks."""
    return re.sub(r"\s+", " ", text.translate(_QUOTES)).strip()


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


@dataclass(frozen=True)
class QuoteCheck:
    """One quoted basis checked against its document."""

    key: str
    source: str
    document: str
    quote: str
    found: bool
    problem: str | None


def document_dirs(sh: Stakeholders, extra: Sequence[str | Path] = ()) -> list[Path]:
    dirs: list[Path] = []
    origin = Path(sh.origin) if sh.origin and Path(sh.origin).exists() else None
    if origin is not None:
        dirs += [origin.parent, origin.parent / "documents"]
    dirs.append(Path(str(resources.files("pactlab") / "scenarios" / "documents")))
    dirs += [Path(d) for d in extra]
    return dirs


def check_quotes(sh: Stakeholders, extra_dirs: Sequence[str | Path] = ()) -> list[QuoteCheck]:
    """Check every quoted basis; a document that cannot be found is reported, not raised."""
    sources = {str(s.get("id")): str(s.get("document", "")) for s in sh.sources}
    dirs = document_dirs(sh, extra_dirs)
    cache: dict[str, str | None] = {}
    out: list[QuoteCheck] = []
    for key, b in sh.bases.items():
        if not isinstance(b, dict) or "quote" not in b:
            continue
        src = str(b.get("source", ""))
        quote = str(b["quote"])
        doc = sources.get(src, "")
        if not doc:
            out.append(QuoteCheck(key, src, "", quote, False, f"unknown source {src!r}"))
            continue
        if doc not in cache:
            cache[doc] = _read_document(doc, dirs)
        text = cache[doc]
        if text is None:
            out.append(QuoteCheck(key, src, doc, quote, False, f"document {doc} not found"))
            continue
        found = normalise_text(quote) in text
        out.append(QuoteCheck(key, src, doc, quote, found,
                              None if found else "quote does not occur in the document"))
    return out


def _read_document(name: str, dirs: Sequence[Path]) -> str | None:
    for d in dirs:
        p = d / name
        if p.is_file():
            return normalise_text(p.read_text(encoding="utf-8"))
    return None


def describe(sh: Stakeholders) -> dict[str, Any]:
    """Counts for a report: numbers, with basis, quoted."""
    keys = list(number_keys(sh))
    return {"numbers": len(keys), "missing": missing_bases(sh),
            "quoted": sum(1 for k in keys if isinstance(sh.bases.get(k), dict)
                          and "quote" in sh.bases[k])}
