"""Start-up: the CPU time of whole `pactlab` processes that do little work.

A command's first tenth of a second is spent before any work: the interpreter, then the
imports. The targets (issue "Speed everywhere", item 1) are ≤ 0.25 s of CPU for
`pactlab --help`, `pactlab list` and `pactlab validate` and ≤ 0.3 s for `import pactlab`.
Each row is the least CPU time (user + system) of seven runs, which load barely moves;
the reference is the bare interpreter measured in the same run, so the ratio says how
many interpreters' worth of start-up a command costs. Bytecode is compiled first, as
`pip install` does. `tests/platform/test_startup.py` guards which modules each command
imports; this bench only reports the time.
"""

from __future__ import annotations

import compileall
import sys
from collections.abc import Iterator
from pathlib import Path

from frontier_bench import cpu_seconds
from table import Row, cpu_verdict, print_table

import pactlab

RUNS = 7
SMA = Path(pactlab.__file__).parent / "scenarios" / "sma-2019.toml"


def _pactlab(*args: str) -> list[str]:
    return [str(Path(sys.executable).with_name("pactlab")), *args]


CASES = (
    ("pactlab --help", _pactlab("--help"), 0.25,
     "typer and rich, the lazy command table; no numpy, no pydantic"),
    ("pactlab list", _pactlab("list"), 0.25,
     "rows read from the shipped TOML: no pydantic model, no numpy"),
    ("pactlab validate sma-2019.toml", _pactlab("validate", str(SMA)), 0.25,
     "typer and rich (~0.07 s) and pydantic with the scenario schema (~0.13 s)"),
    ("import pactlab", [sys.executable, "-c", "import pactlab"], 0.3,
     "public names are imported on first use"),
)


def rows() -> Iterator[Row]:
    compileall.compile_dir(str(Path(pactlab.__file__).parent), quiet=1)
    floor, _ = cpu_seconds([sys.executable, "-c", "pass"], RUNS)
    for name, cmd, limit, why in CASES:
        seconds, run = cpu_seconds(cmd, RUNS)
        if run.returncode != 0:
            yield Row(name, "start-up", seconds, note=f"exit {run.returncode}: "
                      + (run.stderr.strip().splitlines() or [""])[-1][:80])
            continue
        yield Row(name, "start-up (CPU)", seconds, "interpreter alone", floor,
                  note=cpu_verdict(seconds, limit, why))


if __name__ == "__main__":
    print_table(rows())
