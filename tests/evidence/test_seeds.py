"""Precision and recall of quantity extraction against hand-checked seed lists."""

from __future__ import annotations

import math

import pytest

from pactlab.evidence import Quantity, extract_file

from .conftest import SEED_000, SEED_002
from .expected_seeds import SEED_000 as EXPECTED_000
from .expected_seeds import SEED_002 as EXPECTED_002
from .expected_seeds import Expected


def _locate(text: str, entry: Expected) -> tuple[int, int]:
    """The exact span of the entry's figure: inside its context, which occurs once."""
    context, figure = entry[0], entry[1]
    assert text.count(context) == 1, f"context {context!r} must occur exactly once"
    assert context.count(figure) == 1, f"{figure!r} must occur once in {context!r}"
    start = text.index(context) + context.index(figure)
    return start, start + len(figure)


def _same_value(a, b) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9)


def _matches(q: Quantity, entry: Expected, span: tuple[int, int]) -> bool:
    _, figure, kind, value, high, unit = entry
    return ((q.start, q.end) == span and q.text == figure and q.kind == kind
            and _same_value(q.value, value) and _same_value(q.value_high, high)
            and q.unit == unit)


def score(found: list[Quantity], text: str, expected: list[Expected]) -> tuple[float, float]:
    """(precision, recall) with a one-to-one matching of found to expected figures."""
    spans = [_locate(text, e) for e in expected]
    unmatched = list(range(len(expected)))
    true_positives = 0
    for q in found:
        hit = next((i for i in unmatched if _matches(q, expected[i], spans[i])), None)
        if hit is not None:
            unmatched.remove(hit)
            true_positives += 1
    precision = true_positives / len(found) if found else 1.0
    recall = true_positives / len(expected) if expected else 1.0
    return precision, recall


@pytest.mark.parametrize(("path", "expected"), [(SEED_000, EXPECTED_000),
                                                (SEED_002, EXPECTED_002)])
def test_precision_and_recall_on_seed(path, expected):
    evidence = extract_file(path)
    precision, recall = score(list(evidence.quantities), evidence.text, expected)
    missed = [e[1] for e in expected
              if not any(_matches(q, e, _locate(evidence.text, e)) for q in evidence.quantities)]
    assert precision == 1.0, [q.text for q in evidence.quantities]
    assert recall == 1.0, missed


def test_both_seeds_together_score_at_least_095(seed_000, seed_002):
    tp_found = tp_expected = 0
    n_found = n_expected = 0
    for evidence, expected in ((seed_000, EXPECTED_000), (seed_002, EXPECTED_002)):
        precision, recall = score(list(evidence.quantities), evidence.text, expected)
        tp_found += precision * len(evidence.quantities)
        tp_expected += recall * len(expected)
        n_found += len(evidence.quantities)
        n_expected += len(expected)
    assert tp_found / n_found >= 0.95
    assert tp_expected / n_expected >= 0.95


def test_expected_lists_cover_every_kind():
    kinds = {e[2] for e in EXPECTED_000 + EXPECTED_002}
    assert kinds == {"money", "percent", "ratio", "count", "date"}


def test_expected_spans_are_exact(seed_002):
    """Every entry locates its own figure verbatim, and an overlapping span is no match."""
    text = seed_002.text
    for entry in EXPECTED_002:
        start, end = _locate(text, entry)
        assert text[start:end] == entry[1]
    entry = next(e for e in EXPECTED_002 if e[1] == "28,500 U.S. troops")
    start, end = _locate(text, entry)
    shorter = Quantity("28,500", start, start + 6, "count", 28500, None, "troops")
    assert not _matches(shorter, entry, (start, end))


def test_scoring_penalises_extra_and_missing(seed_002):
    found = list(seed_002.quantities)
    precision, recall = score(found[1:], seed_002.text, EXPECTED_002)
    assert recall < 1.0 and precision == 1.0
    bogus = Quantity("x", 0, 1, "count", 7, None, "troops")
    precision, recall = score([*found, bogus], seed_002.text, EXPECTED_002)
    assert precision < 1.0
