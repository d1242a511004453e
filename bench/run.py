"""Run every benchmark in this folder (`make bench`): each `*_bench.py` prints its own table."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path


def main() -> None:
    here = Path(__file__).parent
    chosen = sys.argv[1:]  # e.g. `bench/run.py analysis forecast`
    for script in sorted(here.glob("*_bench.py")):
        if chosen and script.stem.removesuffix("_bench") not in chosen:
            continue
        print(f"\n=== {script.stem} ===", flush=True)
        sys.argv = [str(script)]  # each script parses its own arguments, not ours
        runpy.run_path(str(script), run_name="__main__")


if __name__ == "__main__":
    main()
