"""One benchmark table for every bench script: a row type and its printers.

Each `bench/*_bench.py` script defines `rows()`, a generator of `Row`s, and ends
with `if __name__ == "__main__": print_table(rows())`; `bench/run.py` (`make
bench`) collects the rows of every script into one table. The reference (NegMAS,
KTAB or a plain numpy sketch of the same work) is measured in the same run as
pactlab, so that ratios survive a loaded machine: absolute seconds do not.

`ratio` is reference seconds / pactlab seconds: above 1 pactlab is faster, below
1 it is slower (a target "within 1.5× of the sketch" is a ratio ≥ 0.67).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import TextIO

COLUMNS = ("operation", "size", "pactlab", "reference", "ratio", "peak MiB", "note")
WIDTHS = (44, 26, 9, 24, 8, 9, 0)


def cpu_verdict(cpu: float, limit: float, why: str = "") -> str:
    """A time target's verdict on CPU seconds, for a row's note: met, or missed by how
    much and why."""
    if cpu <= limit:
        return f"CPU {cpu:.3g} s; target ≤ {limit:g} s met"
    return f"CPU {cpu:.3g} s; target ≤ {limit:g} s missed by {cpu / limit - 1:.0%}: {why}"


@dataclass(frozen=True)
class Row:
    """One measured operation: pactlab's time, the reference's time and pactlab's peak memory.

    `size` is what the operation ran on, in words ("10^6 outcomes", "100 actors × 3
    dims"); `reference` names what was measured beside pactlab ("" if nothing
    was); `note` holds a target or why a reference is missing.
    """

    operation: str
    size: str
    seconds: float
    reference: str = ""
    reference_seconds: float | None = None
    peak_mib: float | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        """Reference seconds / pactlab seconds (None without a reference time)."""
        if self.reference_seconds is None or self.seconds <= 0:
            return None
        return self.reference_seconds / self.seconds

    def cells(self) -> tuple[str, ...]:
        """The row as the table's text cells."""
        ref = ""
        if self.reference:
            ref = self.reference if self.reference_seconds is None else (
                f"{self.reference} {_seconds(self.reference_seconds)}")
        ratio = "" if self.ratio is None else f"{self.ratio:,.3g}×" if self.ratio < 10 else (
            f"{self.ratio:,.0f}×")
        peak = "" if self.peak_mib is None else f"{self.peak_mib:,.1f}"
        return (self.operation, self.size, _seconds(self.seconds), ref, ratio, peak, self.note)

    def to_dict(self) -> dict:
        return asdict(self) | {"ratio": self.ratio}


def _seconds(s: float) -> str:
    return f"{s:.3f} s" if s < 100 else f"{s:,.0f} s"


def format_row(row: Row | tuple[str, ...]) -> str:
    cells = row.cells() if isinstance(row, Row) else row
    return " | ".join(c.ljust(w) if w else c for c, w in zip(cells, WIDTHS, strict=True)).rstrip()


def header() -> str:
    head = format_row(COLUMNS)
    return head + "\n" + "-" * max(len(head), 120)


def print_table(rows: Iterable[Row], out: TextIO = sys.stdout) -> list[Row]:
    """Print the header, then each row as soon as it is measured; return the rows."""
    print(header(), file=out, flush=True)
    done = []
    for row in rows:
        print(format_row(row), file=out, flush=True)
        done.append(row)
    return done


def markdown(rows: Iterable[Row]) -> str:
    """The table as Markdown, for the README's speed section."""
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in r.cells()) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def tee(rows: Iterable[Row], out: TextIO = sys.stdout) -> Iterator[Row]:
    """Yield `rows` while printing each one (the collector prints the whole table at the end)."""
    for row in rows:
        print(format_row(row), file=out, flush=True)
        yield row


def reset_peak() -> int:
    """Reset the process's peak resident set (Linux) and return the current one, in bytes.

    Call it right before the measured operation and `peak_since(base)` right after:
    the peak then covers the operation only, not imports or set-up.
    """
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    return _status_kib("VmRSS") * 1024


def peak_since(base: int) -> float:
    """Growth of the peak resident set since `reset_peak()` returned `base`, in MiB."""
    return max(0, _status_kib("VmHWM") * 1024 - base) / 2**20


def _status_kib(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"/proc/self/status has no {field}")
