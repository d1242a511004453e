"""`extract(text)`: quantities with USD values and sentences, actors, and flagged checks."""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from pactlab.errors import EvidenceError
from pactlab.evidence.actors import find_actors
from pactlab.evidence.checks import check_consistency
from pactlab.evidence.clauses import Clauses
from pactlab.evidence.fx import fx_table, to_usd
from pactlab.evidence.quantities import Found, find_raw
from pactlab.evidence.records import Evidence, FxYear, Quantity
from pactlab.evidence.text import Sentences, read_text

_DATED = re.compile(r"\d{4}(?:-\d\d){1,2}")
MAX_CHARS = 64 * 2**20
"""Longest text `extract` reads by default, in characters (files: in bytes). Extraction is
linear in the text (about 1 MB/s or better, memory a small multiple of the text), so the
limit bounds time and memory rather than protecting against a slow algorithm; raise it
with `max_chars=` (`pactlab extract --max-mb N`)."""


def choose_fx_year(quantities: Sequence[Quantity | Found], year: int | None = None) -> FxYear:
    """The year to read a document's money at, and why.

    An explicit `year` wins; otherwise the latest full date in the text ("Dec. 18, 2019"),
    else the latest plain year that is not a deadline ("as of 2015", not "by 2032"), else
    the latest year of the FX table. A year outside the table is clamped to its nearest.
    """
    table = fx_table()
    if year is not None:
        return _clamped(table.nearest_year(year), year, f"given as {year}")
    dates = [q for q in quantities if q.kind == "date" and q.unit == "date"]
    full = [q for q in dates if _DATED.fullmatch(str(q.value))]
    plain = [q for q in dates if re.fullmatch(r"\d{4}", str(q.value))]
    for found, what in ((full, "latest full date"), (plain, "latest year")):
        if found:
            latest = max(found, key=lambda q: str(q.value))
            wanted = int(str(latest.value)[:4])
            return _clamped(table.nearest_year(wanted), wanted,
                            f'{what} in the text, "{latest.text}" at {latest.start}')
    return FxYear(max(table.years), "no date in the text; latest year in the FX table")


def _clamped(used: int, wanted: int, why: str) -> FxYear:
    if used == wanted:
        return FxYear(used, why)
    return FxYear(used, f"{why}; {wanted} is not in the FX table, nearest year {used} used")


def extract(text: str, *, document: str = "<text>", year: int | None = None,
            max_chars: int = MAX_CHARS) -> Evidence:
    """Quantities, actors and flagged inconsistencies in `text`, every one with its span.

    `year` fixes the FX/GDP year instead of reading it from the text's dates; a money
    figure whose own clause says "as of 2015" or "in 2015" is still read at 2015. A text
    longer than `max_chars` characters is refused (see `MAX_CHARS`).
    """
    if not isinstance(text, str):
        raise EvidenceError(
            f"{document}: extract() expects the document's text as str, got "
            f"{type(text).__name__}; decode it first or use extract_file(path)"
        )
    if len(text) > max_chars:
        raise EvidenceError(
            f"{document}: the text has {len(text):,} characters, more than the limit of "
            f"{max_chars:,}; raise it with --max-mb (pactlab extract) or max_chars= "
            "(extract()) if the machine has memory for it (a few times the text's size)"
        )
    with _no_cycle_collection():
        return _extract(text, document, year)


def _extract(text: str, document: str, year: int | None) -> Evidence:
    found = find_raw(text)
    fx = choose_fx_year(found, year)
    sentences = Sentences(text)
    clauses = Clauses(text)
    years = {}
    quantities = []
    for q in found:
        span = sentences.span(q.start, q.end)
        at = fx.year
        if q.kind == "money":
            stated = clauses.own_year(q, span)
            if stated is not None:
                years[q.start, q.end] = at = stated
        quantities.append(Quantity(
            q.text, q.start, q.end, q.kind, q.value, q.value_high, q.unit, q.currency,
            _usd(q, at), sentences.around(q.start, q.end, span)))
    checks = check_consistency(quantities, text, fx.year, years=years, sentences=sentences)
    return Evidence(document, tuple(quantities), tuple(find_actors(text)), tuple(checks), fx,
                    text)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector while extracting (unless it is off already).

    Extraction builds immutable records, matches and strings that refer to no cycle, and
    all of them are freed by reference counting; a figure-dense text makes hundreds of
    thousands of them, and the collector's passes over them (which can free nothing)
    took 10-15% of the time.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _usd(quantity: Quantity | Found, year: int) -> float | None:
    if quantity.kind != "money" or quantity.currency is None:
        return None
    return _usd_cents(float(quantity.value), quantity.currency, year)


@lru_cache(maxsize=4096)
def _usd_cents(amount: float, currency: str, year: int) -> float:
    """`amount` in U.S. dollars at `year`'s rates, to the cent (cached: figure-dense texts
    repeat amounts)."""
    return round(to_usd(amount, currency, year), 2)


def extract_file(path: str | Path, *, year: int | None = None,
                 max_chars: int = MAX_CHARS) -> Evidence:
    """`extract` on a local UTF-8 text file; spans index the file's decoded text.

    A file larger than `max_chars` bytes is refused before it is read.
    """
    return extract(read_text(path, limit=max_chars), document=str(path), year=year,
                   max_chars=max_chars)


def extract_files(paths: Iterable[str | Path], *, year: int | None = None,
                  max_chars: int = MAX_CHARS) -> list[Evidence]:
    """`extract_file` on each path, in order."""
    return [extract_file(p, year=year, max_chars=max_chars) for p in paths]
