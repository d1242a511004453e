"""Where a scenario's numbers come from: every basis, the numbers lacking one, and the
checks of quotes and sources against local copies of the documents.

pactlab ships no third-party texts: a source carries its metadata (title,
publisher, date, url) and the SHA-256 of the copy its quotes were checked
against. `check_sources` / `check_quotes` look for copies in the folders the
user names (`validate --sources --docs DIR`), verify each copy's SHA-256 and
that every quote occurs in it; a source without a local copy is reported as
not checked, never as passed. Whitespace runs and typographic quote marks are
normalised before matching, since quotes are copied out of web pages and PDFs.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pactlab.fileio import read_bytes
from pactlab.model.basis import Basis
from pactlab.model.schema import Scenario, Source
from pactlab.result import Result

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‚": "'"})
DOCUMENT_LIMIT = 32 * 1024 * 1024  # bytes; news texts and reports are far smaller


def normalise_text(text: str) -> str:
    """Collapse whitespace and straighten quote marks."""
    return re.sub(r"\s+", " ", text.translate(_QUOTES)).strip()


def bases(sc: Scenario) -> Iterator[tuple[str, Basis | None]]:
    """Every place a number of the model needs a basis, with its key path and its basis
    (or None). The `[outcome]` is not part of the model: see `all_bases`."""
    for i, issue in enumerate(sc.issues):
        yield f"issues[{i}].basis", issue.basis
    for p, party in enumerate(sc.parties):
        here = f"parties[{p}]"
        yield f"{here}.basis", party.basis
        yield f"{here}.weights_basis", party.weights_basis
        for iid, fn in party.values.items():
            yield f"{here}.values.{iid}.basis", fn.basis
        for n, limit in enumerate(party.limits):
            yield f"{here}.limits[{n}].basis", limit.basis
        for n, inter in enumerate(party.interactions):
            yield f"{here}.interactions[{n}].basis", inter.basis


def all_bases(sc: Scenario) -> Iterator[tuple[str, Basis | None]]:
    """The model's bases followed by the `[outcome]`'s (block basis, then per issue)."""
    yield from bases(sc)
    if sc.outcome is not None:
        yield "outcome.basis", sc.outcome.basis
        for iid, basis in sc.outcome.bases.items():
            yield f"outcome.bases.{iid}", basis


def unused_values(sc: Scenario) -> list[str]:
    """Key paths of value functions that count for nothing (their issue has no weight)."""
    return [
        f"parties[{p}].values.{iid}"
        for p, party in enumerate(sc.parties)
        for iid in party.values
        if party.weights.get(iid, 0.0) == 0.0
    ]


def missing_bases(sc: Scenario) -> list[str]:
    """Key paths of numbers with no basis (a warning for user files, an error for built-ins)."""
    return [key for key, basis in all_bases(sc) if basis is None]


@dataclass(frozen=True)
class SourceCheck(Result):
    """One source's local copy: found or not, and whether its SHA-256 is the recorded one.

    `status` is "checked" (a copy was found and, if the source records a SHA-256, it
    matches), "not checked" (no local copy, or the source names no document) or
    "sha256 mismatch" (a copy was found but it is not the document the quotes were
    checked against).
    """

    source: str
    document: str | None
    path: str | None
    sha256: str | None  # of the local copy
    status: str
    problem: str | None


@dataclass(frozen=True)
class QuoteCheck(Result):
    """One quoted basis checked against its document.

    `found` is None when the quote could not be checked (no local copy of its source).
    """

    key: str
    source: str
    document: str
    quote: str
    found: bool | None
    problem: str | None  # why it was not found, or why it was not checked


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_source(source: Source | Mapping[str, Any], dirs: Sequence[Path | str]
                 ) -> tuple[SourceCheck, str | None]:
    """Find a source's document in `dirs`; returns the check and the normalised text."""
    fields = source if isinstance(source, Mapping) else source.model_dump()
    sid, document, recorded = str(fields.get("id")), fields.get("document"), fields.get("sha256")
    if not document:
        return SourceCheck(sid, None, None, None, "not checked",
                           "the source names no 'document' file to look for"), None
    path = next((Path(d) / document for d in dirs if (Path(d) / document).is_file()), None)
    if path is None:
        where = ", ".join(str(d) for d in dirs) or "no folder given (use --docs DIR)"
        return SourceCheck(sid, document, None, None, "not checked",
                           f"no local copy of {document!r} in {where}"), None
    data = read_bytes(path, what="source document", limit=DOCUMENT_LIMIT)
    digest = sha256_of(data)
    if recorded and recorded != digest:
        return SourceCheck(
            sid, document, str(path), digest, "sha256 mismatch",
            f"{path} has SHA-256 {digest}, the source records {recorded}: not the copy the "
            "quotes were checked against"), None
    text = normalise_text(data.decode("utf-8", errors="replace"))
    return SourceCheck(sid, document, str(path), digest, "checked", None), text


def check_quoted(
    quoted: Iterable[tuple[str, str, str]],
    sources: Sequence[Source | Mapping[str, Any]],
    dirs: Sequence[Path | str],
) -> tuple[list[SourceCheck], list[QuoteCheck]]:
    """Check `(key, source id, quote)` triples against local copies of the sources."""
    by_id = {str(s.get("id") if isinstance(s, Mapping) else s.id): s for s in sources}
    source_checks: dict[str, SourceCheck] = {}
    texts: dict[str, str | None] = {}
    for sid, source in by_id.items():
        source_checks[sid], texts[sid] = check_source(source, dirs)
    checks = []
    for key, sid, quote in quoted:
        if sid not in by_id:
            checks.append(QuoteCheck(key, sid, "", quote, False, f"unknown source {sid!r}"))
            continue
        sc = source_checks[sid]
        document = sc.document or ""
        text = texts[sid]
        if sc.status == "sha256 mismatch":
            checks.append(QuoteCheck(key, sid, document, quote, False, sc.problem))
        elif text is None:
            checks.append(QuoteCheck(key, sid, document, quote, None, sc.problem))
        elif normalise_text(quote) not in text:
            checks.append(QuoteCheck(key, sid, document, quote, False,
                                     f"quote does not occur in {document!r}"))
        else:
            checks.append(QuoteCheck(key, sid, document, quote, True, None))
    return list(source_checks.values()), checks


def quoted_bases(sc: Scenario) -> Iterator[tuple[str, str, str]]:
    """`(key, source id, quote)` of every quoted basis of a scenario and its outcome."""
    for key, basis in all_bases(sc):
        if basis is not None and basis.source is not None and basis.quote is not None:
            yield key, basis.source, basis.quote


def check_quotes(sc: Scenario, docs: Sequence[Path | str] = ()
                 ) -> tuple[list[SourceCheck], list[QuoteCheck]]:
    """Check a scenario's sources and quotes against the copies in the folders `docs`."""
    return check_quoted(quoted_bases(sc), sc.sources, docs)
