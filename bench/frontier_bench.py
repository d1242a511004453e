"""Frontier + Nash: pactlab (enumeration and exact method) against NegMAS, in the same run.

Domain: 2 parties, n issues × 10 options, opposed preferences (party b's value of
an option is 1 − party a's, with random weights), so the frontier is not trivial.
Every measurement runs in a fresh subprocess (NegMAS with a 5-minute limit).
Seconds cover the operation only (domain, ufuns and NegMAS's outcome list are
built first); peak MiB is the growth of the process's peak RSS during it
(`table.reset_peak`).
pactlab runs `analyze_domain` (frontier, all four solutions, ZOPA); NegMAS runs
`pareto_frontier` + `nash_points` on the same utilities.
Targets (issue 7): ≥ 100× NegMAS at 10^5 and 10^6; 10^12 exact in < 1 s, < 1 GiB.

Also (issue 13 item 2): the exact ZOPA counts (meet in the middle) at 10^12 outcomes,
target < 2 s; and whole processes, start-up included: `pactlab analyze --json` on a
scenario file of 10^6 additive outcomes against a Python process that imports NegMAS
and computes the frontier, the Nash and the Kalai–Smorodinsky points of the same
utilities (read from JSON), target ≥ 20×.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator

import numpy as np
from table import Row, peak_since, print_table, reset_peak

NEGMAS_LIMIT = 300  # seconds
OPTIONS = 10


def bench_domain(issues: int):
    from pactlab.model.synthetic import random_domain

    return random_domain(issues, OPTIONS)


def _negmas_problem(domain):
    from negmas.outcomes import make_issue, make_os
    from negmas.preferences import LinearAdditiveUtilityFunction
    from negmas.preferences.value_fun import TableFun

    issues = [make_issue(values=OPTIONS, name=iid) for iid in domain.issue_ids]
    space = make_os(issues)
    ufuns = [LinearAdditiveUtilityFunction(
        values=[TableFun({j: float(v[p, j]) for j in range(OPTIONS)}) for v in domain.values],
        weights=[1.0] * domain.n_issues, outcome_space=space, reserved_value=0.2)
        for p in range(2)]
    return space, ufuns, list(space.enumerate())


def child(tool: str, method: str, issues: int) -> None:
    """Measure one run and print {seconds, peak_mib, nash} as JSON."""
    domain = bench_domain(issues)
    if tool == "negmas":
        from negmas.preferences import nash_points, pareto_frontier

        space, ufuns, outcomes = _negmas_problem(domain)
        base, t0 = reset_peak(), time.perf_counter()
        front, _ = pareto_frontier(ufuns, outcomes=outcomes)
        nash = [float(x) for x in nash_points(ufuns, front, outcome_space=space)[0][0]]
    else:
        from pactlab.analysis import analyze_domain

        base, t0 = reset_peak(), time.perf_counter()
        res = analyze_domain(domain, method=method)
        nash = list(res.solutions["nash"].utilities.values())
    seconds = time.perf_counter() - t0
    print(json.dumps({"seconds": seconds, "peak_mib": peak_since(base),
                      "nash": nash}))


def measure(tool: str, method: str, issues: int, limit: float | None = None) -> dict | None:
    cmd = [sys.executable, __file__, "child", tool, method, str(issues)]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=limit, check=True)
    except subprocess.TimeoutExpired:
        return None
    except subprocess.CalledProcessError as exc:
        raise RuntimeError(f"{tool} {method} {issues}: {exc.stderr[-2000:]}") from None
    return json.loads(out.stdout.strip().splitlines()[-1])


NEGMAS_PROCESS = """
import json, sys
from negmas.outcomes import make_issue, make_os
from negmas.preferences import (LinearAdditiveUtilityFunction, kalai_points, nash_points,
                                pareto_frontier)
from negmas.preferences.value_fun import TableFun
values = json.load(open(sys.argv[1]))  # [issue][party][option]
issues = [make_issue(values=len(v[0]), name=f"i{i}") for i, v in enumerate(values)]
space = make_os(issues)
ufuns = [LinearAdditiveUtilityFunction(
    values=[TableFun(dict(enumerate(v[p]))) for v in values], weights=[1.0] * len(values),
    outcome_space=space, reserved_value=0.2) for p in range(2)]
front, _ = pareto_frontier(ufuns, outcomes=list(space.enumerate()))
nash = nash_points(ufuns, front, outcome_space=space)
ks = kalai_points(ufuns, front, outcome_space=space)
print(json.dumps({"nash": list(nash[0][0]), "ks": list(ks[0][0]), "frontier": len(front)}))
"""


def whole_process(issues: int) -> Row:
    """Wall time of `pactlab analyze --json` and of the NegMAS process, on the same utilities."""
    import tempfile
    from pathlib import Path

    from pactlab.model.synthetic import scenario_toml

    domain = bench_domain(issues)
    with tempfile.TemporaryDirectory() as tmp:
        toml, data = Path(tmp) / "bench.toml", Path(tmp) / "values.json"
        toml.write_text(scenario_toml(domain), encoding="utf-8")
        data.write_text(json.dumps([v.tolist() for v in domain.values]), encoding="utf-8")
        pactlab = str(Path(sys.executable).with_name("pactlab"))
        t0 = time.perf_counter()
        ours = json.loads(subprocess.run([pactlab, "analyze", str(toml), "--json"],
                                         capture_output=True, text=True, check=True).stdout)
        seconds = time.perf_counter() - t0
        t0 = time.perf_counter()
        theirs = subprocess.run([sys.executable, "-c", NEGMAS_PROCESS, str(data)],
                                capture_output=True, text=True, timeout=NEGMAS_LIMIT)
        negmas_seconds = time.perf_counter() - t0
    if theirs.returncode != 0:
        return Row("whole process: analyze --json", f"{OPTIONS ** issues:,} outcomes", seconds,
                   note="NegMAS failed: " + theirs.stderr.strip().splitlines()[-1][:80])
    got = json.loads(theirs.stdout)
    nash = list(ours["solutions"]["nash"]["utilities"].values())
    agree = np.allclose(nash, got["nash"], atol=1e-9)
    # KS is computed by both but not compared: NegMAS takes each party's ideal over all
    # outcomes, pactlab over the individually rational ones (README, Semantics)
    return Row("whole process: analyze --json, 2 parties", f"{OPTIONS ** issues:,} outcomes",
               seconds, "NegMAS process", negmas_seconds,
               note=("Nash agrees to 1e-9" if agree else "Nash DIFFERS") +
               f"; {ours['individually_rational']:,} rational, counted; target ≥ 20×")


def counts_row(issues: int) -> Row:
    """The exact ZOPA counts alone (meet in the middle), in this process."""
    from table import peak_since, reset_peak

    from pactlab.analysis.counts import zopa_counts

    domain = bench_domain(issues)
    base, t0 = reset_peak(), time.perf_counter()
    counts = zopa_counts(domain)
    seconds = time.perf_counter() - t0
    return Row("exact ZOPA counts (meet in the middle)", f"{OPTIONS ** issues:,} outcomes",
               seconds, peak_mib=peak_since(base),
               note=f"{counts.individually_rational:,} rational; target < 2 s")


def rows() -> Iterator[Row]:
    """Frontier + Nash rows for 10^4 … 10^12 outcomes, NegMAS beside them up to 10^6."""
    for issues in (4, 5, 6, 9, 12):
        negmas = measure("negmas", "-", issues, NEGMAS_LIMIT) if issues <= 6 else None
        for method in ("enumerate", "exact"):
            if method == "enumerate" and issues > 6:
                continue
            ours = measure("pactlab", method, issues)
            assert ours is not None
            note = ""
            if issues <= 6 and negmas is None:
                note = f"NegMAS did not finish in {NEGMAS_LIMIT} s"
            elif negmas is not None:
                assert np.allclose(ours["nash"], negmas["nash"], atol=1e-9), (ours, negmas)
                note = "Nash points agree to 1e-9"
            yield Row(f"frontier + Nash ({method}), 2 parties", f"{OPTIONS ** issues:,} outcomes",
                      ours["seconds"], "NegMAS" if issues <= 6 else "",
                      None if negmas is None else negmas["seconds"], ours["peak_mib"], note)
    yield counts_row(12)
    yield whole_process(6)


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "child":
        child(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        print_table(rows())
