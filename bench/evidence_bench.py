"""Evidence extraction speed and memory on real and adversarial text (issue 15.3).

Each row extracts one text in this process: MB/s is the text's UTF-8 size over the CPU
time `extract` takes (CPU, not wall time: extraction is single-threaded, and on a shared
machine wall time measures the neighbours), peak MiB the growth of the resident set
during it. The target is at least
1 MB/s with memory a small multiple of the text. The reference, on the seeds at 1 MB, is
the plain quadratic definition the tests check against (`tests/evidence/reference.py`),
measured in the same run.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from table import Row, peak_since, print_table, reset_peak

from pactlab.evidence import extract

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


def _timed(run: Callable[[], object]) -> tuple[float, float]:
    base = reset_peak()
    t0 = time.process_time()
    run()
    return time.process_time() - t0, peak_since(base)


def rows() -> Iterator[Row]:
    for name, make in CASES:
        text = make()
        mb = len(text.encode()) / 1e6
        sec, peak = _timed(lambda text=text: extract(text))
        ref, ref_sec = "", None
        if name == "the seeds repeated to 1 MB":
            ref = "quadratic reference"
            ref_sec = _timed(lambda text=text: reference.extract(text))[0]
        yield Row(f"extract {name}", f"{mb:,.2f} MB", sec, ref, ref_sec, peak,
                  f"{mb / sec:.2f} MB/s (target ≥ 1 MB/s)")


if __name__ == "__main__":
    print_table(rows())
