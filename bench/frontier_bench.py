"""Frontier + Nash: pactlab (enumeration and exact method) against NegMAS, in the same run.

Domain: 2 parties, n issues × 10 options, opposed preferences (party b's value of
an option is 1 − party a's, with random weights), so the frontier is not trivial.
Every measurement runs in a fresh subprocess (NegMAS with a 5-minute limit).
Seconds cover the operation only (domain, ufuns and NegMAS's outcome list are
built first); peak MiB is the growth of the process's peak RSS during it.
pactlab runs `analyze_domain` (frontier, all four solutions, ZOPA); NegMAS runs
`pareto_frontier` + `nash_points` on the same utilities.
Targets (issue 7): ≥ 100× NegMAS at 10^5 and 10^6; 10^12 exact in < 1 s, < 1 GiB.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time

import numpy as np

NEGMAS_LIMIT = 300  # seconds
OPTIONS = 10


def bench_domain(issues: int):
    from pactlab.model.synthetic import random_domain

    return random_domain(issues, OPTIONS)


def _rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize()


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
        base, t0 = _rss(), time.perf_counter()
        front, _ = pareto_frontier(ufuns, outcomes=outcomes)
        nash = [float(x) for x in nash_points(ufuns, front, outcome_space=space)[0][0]]
    else:
        from pactlab.analysis import analyze_domain

        base, t0 = _rss(), time.perf_counter()
        res = analyze_domain(domain, method=method)
        nash = list(res.solutions["nash"].utilities.values())
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"seconds": seconds, "peak_mib": max(0, peak - base) / 2**20,
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


def main() -> None:
    head = (f"{'operation':<32} | {'outcomes':>17} | {'pactlab s':>9} | {'NegMAS s':>15} | "
            f"{'ratio':>8} | {'pactlab MiB':>11} | {'NegMAS MiB':>10}")
    print(head)
    print("-" * len(head))
    for issues in (4, 5, 6, 9, 12):
        negmas = measure("negmas", "-", issues, NEGMAS_LIMIT) if issues <= 6 else "skip"
        for method in ("enumerate", "exact"):
            if method == "enumerate" and issues > 6:
                continue
            ours = measure("pactlab", method, issues)
            assert ours is not None
            if negmas == "skip":
                them, ratio, them_mib = "—", "—", "—"
            elif negmas is None:
                them, ratio, them_mib = f"did not finish ({NEGMAS_LIMIT}s)", "—", "—"
            else:
                assert np.allclose(ours["nash"], negmas["nash"], atol=1e-9), (ours, negmas)
                them = f"{negmas['seconds']:.3f}"
                ratio = f"{negmas['seconds'] / ours['seconds']:,.0f}×"
                them_mib = f"{negmas['peak_mib']:.1f}"
            print(f"{'frontier + Nash (' + method + ')':<32} | {OPTIONS ** issues:>17,} | "
                  f"{ours['seconds']:>9.3f} | {them:>15} | {ratio:>8} | "
                  f"{ours['peak_mib']:>11.1f} | {them_mib:>10}", flush=True)
    print("targets: ≥ 100× NegMAS at 10^5 and 10^6 outcomes; exact at 10^12 in < 1 s, < 1024 MiB."
          "\nNash points of pactlab and NegMAS agree to 1e-9 wherever both ran.")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "child":
        child(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        main()
