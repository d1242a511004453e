"""Paths of the seed copies (see tests/data/seeds/ORIGIN.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

SEEDS = Path(__file__).parent.parent / "data" / "seeds"
SEED_000 = SEEDS / "000_d387ff5577b2aacf.txt"
SEED_002 = SEEDS / "002_a216c1070e139e5a.txt"


@pytest.fixture(scope="session")
def seed_000():
    from pactlab.evidence import extract_file

    return extract_file(SEED_000)


@pytest.fixture(scope="session")
def seed_002():
    from pactlab.evidence import extract_file

    return extract_file(SEED_002)
