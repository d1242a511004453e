"""Where a scenario's numbers come from: every basis, the numbers lacking one, quote checks.

A quoted basis must occur in its source document. Documents are looked up
next to the scenario file, in a `documents/` folder beside it, in the
documents bundled with pactlab, and in any extra folders the user names.
Whitespace runs and typographic quote marks are normalised before matching,
since quotes are copied out of web pages and PDFs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from pactlab.model.schema import Basis, Scenario
from pactlab.result import Result

BUNDLED_DOCUMENTS = "documents"
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‚": "'"})


def normalise_text(text: str) -> str:
    """Collapse whitespace and straighten quote marks."""
    return re.sub(r"\s+", " ", text.translate(_QUOTES)).strip()


def bases(sc: Scenario) -> Iterator[tuple[str, Basis | None]]:
    """Every place a number needs a basis, with its key path and its basis (or None)."""
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
    return [key for key, basis in bases(sc) if basis is None]


@dataclass(frozen=True)
class QuoteCheck(Result):
    """One quoted basis checked against its document."""

    key: str
    source: str
    document: str
    quote: str
    found: bool
    problem: str | None  # why it was not found


def document_dirs(origin: Path | None, extra: Sequence[Path | str] = ()) -> list[Path]:
    """Folders searched for source documents, in order, for a file loaded from `origin`."""
    dirs: list[Path] = []
    if origin is not None:
        dirs += [origin.parent, origin.parent / BUNDLED_DOCUMENTS]
    dirs.append(Path(str(resources.files("pactlab.scenarios") / BUNDLED_DOCUMENTS)))
    dirs += [Path(d) for d in extra]
    return dirs


def check_quoted(
    quoted: Iterable[tuple[str, str, str]],
    documents: Mapping[str, str | None],
    dirs: Sequence[Path],
) -> list[QuoteCheck]:
    """Check `(key, source id, quote)` triples against the documents the sources name."""
    texts: dict[str, str | None] = {}
    checks = []
    for key, source, quote in quoted:
        if source not in documents:
            checks.append(QuoteCheck(key, source, "", quote, False,
                                     f"unknown source {source!r}"))
            continue
        document = documents[source]
        if document is None:
            checks.append(QuoteCheck(key, source, "", quote, False,
                                     f"source {source!r} names no 'document' to check against"))
            continue
        if document not in texts:
            path = next((d / document for d in dirs if (d / document).is_file()), None)
            texts[document] = None if path is None else normalise_text(
                path.read_text(encoding="utf-8", errors="replace")
            )
        text = texts[document]
        if text is None:
            problem = f"document {document!r} not found in {[str(d) for d in dirs]}"
        elif normalise_text(quote) not in text:
            problem = f"quote does not occur in {document!r}"
        else:
            problem = None
        checks.append(QuoteCheck(key, source, document, quote, problem is None, problem))
    return checks


def check_quotes(sc: Scenario, extra_dirs: Sequence[Path | str] = ()) -> list[QuoteCheck]:
    """Check that every quoted basis of a scenario occurs in its document."""
    quoted = (
        (key, basis.source, basis.quote)
        for key, basis in bases(sc)
        if basis is not None and basis.source is not None and basis.quote is not None
    )
    documents = {s.id: s.document for s in sc.sources}
    return check_quoted(quoted, documents, document_dirs(sc.origin, extra_dirs))
