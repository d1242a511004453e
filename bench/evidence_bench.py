"""Evidence extraction speed and memory on real and adversarial text (issue 15.3).

Each row extracts one text in this process: MB/s is the text's UTF-8 size over the CPU
time `extract` takes (CPU, not wall time: extraction is single-threaded, and on a shared
machine wall time measures the neighbours), peak MiB the growth of the resident set
during it. The target is at least 1 MB/s with memory a small multiple of the text; each
row's note gives its MB/s, its peak per MB of text and whether the target is met, and for
a miss by how much and which stages of extraction take the time. The reference, on the
seeds at 1 MB, is the plain quadratic definition the tests check against
(`tests/evidence/reference.py`), measured in the same run.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from table import Row, peak_since, print_table, reset_peak

from pactlab.evidence import check_consistency, extract, find_actors, find_quantities
from pactlab.evidence.text import Sentences

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from evidence import reference  # noqa: E402  (the oracle lives with the tests)

SEEDS = ROOT.parent / "shared" / "seeds"  # not shipped: the shared folder beside the repo


def _seeds(megabytes: float) -> str:
    one = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))) + "\n"
    return one * (int(megabytes * 1e6) // len(one.encode()) + 1)


CASES: list[tuple[str, Callable[[], str]]] = [
    ("10,000 × '$1 billion, '", lambda: "$1 billion, " * 10_000),
    ("50,000 × '$1 billion, '", lambda: "$1 billion, " * 50_000),
    ("50,000 × '$1 billion; '", lambda: "$1 billion; " * 50_000),
    ("10,000 × '$1 billion (about 1 trillion won) '",
     lambda: "$1 billion (about 1 trillion won) " * 10_000),
    ("40,000 × 'Moon Jae-in met Moon. '", lambda: "Moon Jae-in met Moon. " * 40_000),
    ("one 10 MB line of 'U.S. '", lambda: "U.S. " * 2_000_000),
    ("100,000 nested '($1 billion ('", lambda: "($1 billion (" * 100_000),
    ("the seeds repeated to 1 MB", lambda: _seeds(1)),
    ("the seeds repeated to 50 MB", lambda: _seeds(50)),
]


TARGET_MB_S = 1.0  # issue 15.3: at least 1 MB/s on every pattern, memory O(text)


def _timed(run: Callable[[], object]) -> tuple[float, float]:
    base = reset_peak()
    t0 = time.process_time()
    run()
    return time.process_time() - t0, peak_since(base)


def _stages(text: str) -> list[tuple[str, float]]:
    """CPU seconds of extraction's stages on `text`, largest first: where a miss comes from."""
    quantities = find_quantities(text)
    stages: list[tuple[str, Callable[[], object]]] = [
        ("quantities", lambda: find_quantities(text)),
        ("sentences", lambda: Sentences(text)),
        ("actors", lambda: find_actors(text)),
        ("checks", lambda: check_consistency(quantities, text, 2025)),
    ]
    return sorted(((name, _timed(run)[0]) for name, run in stages), key=lambda s: -s[1])


def verdict(text: str, mb: float, sec: float, peak_mib: float) -> str:
    """MB/s, memory per MB of text, and whether the target is met; if missed, by how much
    and which stage takes the time."""
    rate = mb / sec
    note = f"{rate:.2f} MB/s, peak {peak_mib * 2**20 / 1e6 / mb:.2g}× the text: "
    if rate >= TARGET_MB_S:
        return note + f"target ≥ {TARGET_MB_S:g} MB/s met ({rate / TARGET_MB_S:.2f}×)"
    stages = _stages(text)
    total = sum(s for _, s in stages) or 1.0
    why = ", ".join(f"{name} {s / total:.0%}" for name, s in stages[:2])
    return note + (f"target ≥ {TARGET_MB_S:g} MB/s MISSED by {TARGET_MB_S - rate:.2f} MB/s "
                   f"({rate / TARGET_MB_S:.2f}×); time in {why}")


def rows() -> Iterator[Row]:
    # Load the package data and compile the patterns first (once per process), so that
    # every row measures extraction itself, the first as much as the last.
    extract("Moon Jae-in said $1 billion (about 1 trillion won), 5% of GDP, by Dec. 2019.")
    for name, make in CASES:
        text = make()
        mb = len(text.encode()) / 1e6
        sec, peak = _timed(lambda text=text: extract(text))
        ref, ref_sec = "", None
        if name == "the seeds repeated to 1 MB":
            ref = "quadratic reference"
            ref_sec = _timed(lambda text=text: reference.extract(text))[0]
        yield Row(f"extract {name}", f"{mb:,.2f} MB", sec, ref, ref_sec, peak,
                  verdict(text, mb, sec, peak))


if __name__ == "__main__":
    print_table(rows())
