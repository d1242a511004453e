"""Paths of the project's seed texts, read from `<repo>/../shared/seeds` (not shipped)."""

from __future__ import annotations

from pathlib import Path

import pytest

SEEDS = Path(__file__).parent.parent.parent.parent / "shared" / "seeds"
SEED_000 = SEEDS / "000_d387ff5577b2aacf.txt"
SEED_002 = SEEDS / "002_a216c1070e139e5a.txt"


# Seed 000 gives no usable date, so by default it is read at the FX table's latest
# year; its tests pin that year so that adding a year of rates does not change them.
SEED_000_YEAR = 2025


@pytest.fixture(scope="session")
def seed_000(shared_seeds):
    from pactlab.evidence import extract_file

    return extract_file(SEED_000, year=SEED_000_YEAR)


@pytest.fixture(scope="session")
def seed_002(shared_seeds):
    from pactlab.evidence import extract_file

    return extract_file(SEED_002)
