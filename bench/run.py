"""Run every benchmark in this folder (`make bench`) and print one table of all their rows.

Each `*_bench.py` script defines `rows()` (see `bench/table.py`); its rows are
printed as they are measured and, at the end, together in one table. Options:
names of scripts to run (`python bench/run.py frontier forecast`), `--markdown
FILE` to also write the table as Markdown (the README's speed section) and
`--json FILE` for the raw numbers.
"""

from __future__ import annotations

import argparse
import json
import runpy
import sys
from pathlib import Path

from table import Row, header, markdown, print_table, tee

HERE = Path(__file__).parent


def collect(chosen: list[str]) -> list[Row]:
    """Rows of every chosen bench script, printed as they come."""
    rows: list[Row] = []
    for script in sorted(HERE.glob("*_bench.py")):
        name = script.stem.removesuffix("_bench")
        if chosen and name not in chosen:
            continue
        print(f"\n=== {script.stem} ===\n{header()}", flush=True)
        sys.argv = [str(script)]  # each script parses its own arguments, not ours
        module = runpy.run_path(str(script), run_name="bench")
        if "rows" in module:
            rows.extend(tee(module["rows"]()))
        else:  # not converted to the table yet: let it print its own report
            runpy.run_path(str(script), run_name="__main__")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("scripts", nargs="*", metavar="NAME",
                    help="bench scripts to run, e.g. frontier (default: all)")
    ap.add_argument("--markdown", type=Path, metavar="FILE", help="also write Markdown here")
    ap.add_argument("--json", type=Path, metavar="FILE", help="also write the rows as JSON")
    args = ap.parse_args()
    rows = collect(args.scripts)
    print("\n=== all benchmarks (ratio = reference seconds / pactlab seconds) ===")
    print_table(rows)
    if args.markdown:
        args.markdown.write_text(markdown(rows), encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps([r.to_dict() for r in rows], indent=2) + "\n",
                             encoding="utf-8")


if __name__ == "__main__":
    main()
