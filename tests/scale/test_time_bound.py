"""Long analyses: progress from every long loop, a prediction of their time, and a refusal
past the bound (issues 13 and 15: the exact method with many parties bounded memory, not
time; a range of many steps ran for minutes without a sign of life)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from pactlab.analysis import analyze_domain
from pactlab.analysis import clock as clock_module
from pactlab.analysis.clock import Clock, duration
from pactlab.analysis.exact import PERMILLE, exact_frontier
from pactlab.analysis.linkage import linkage_domain
from pactlab.analysis.offers import evaluate_offer_domain
from pactlab.errors import BudgetError
from pactlab.model.domain import Domain, Interaction
from pactlab.model.synthetic import random_domain, scenario_toml

PACTLAB = str(Path(sys.executable).with_name("pactlab"))


class FakeTime:
    """A wall clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def fake_time(monkeypatch):
    fake = FakeTime()
    monkeypatch.setattr(clock_module.time, "perf_counter", fake)
    return fake


def test_a_run_within_its_bound_goes_on(fake_time):
    seen = []
    clock = Clock(60, lambda d, t: seen.append((d, t)))
    fake_time.now += 0.5
    clock(1, 1000)  # too early to trust the pace: no prediction
    fake_time.now += 1.5
    clock(100, 1000)  # 2 s for 10%: about 20 s in all
    fake_time.now += 3.0
    clock(200, 1000)  # 5 s for 20%: about 25 s
    assert seen == [(1, 1000), (100, 1000), (200, 1000)]


def test_a_run_predicted_past_the_bound_is_refused_with_the_prediction(fake_time):
    seen = []
    clock = Clock(60, lambda d, t: seen.append((d, t)), "Counting", "Make it smaller.")
    fake_time.now += 2.0
    clock(100, 1000)  # 2 s for 10%: about 20 s
    fake_time.now += 8.0
    with pytest.raises(BudgetError) as err:
        clock(150, 1000)  # 10 s for 15%: about 67 s, past 60 s
    text = str(err.value)
    assert "Counting was stopped after 10 s" in text and "about 67 s or more" in text
    assert "time bound of 60 s" in text and "--max-seconds" in text
    assert text.endswith("Make it smaller.")
    assert seen == [(100, 1000), (150, 1000)]  # the caller heard every report first


def test_a_new_phase_is_predicted_from_its_own_pace(fake_time):
    clock = Clock(60, None)
    fake_time.now += 30.0
    clock(10, 10)  # a first phase of 30 s, finished
    fake_time.now += 2.0
    clock(1, 100)  # a new total: a new phase, too young for a prediction
    fake_time.now += 2.0
    with pytest.raises(BudgetError, match=r"after 34 s: .* about 132 s or more"):
        clock(2, 100)  # 32 s before it, then 2 s for 2%: 32 + 100 = 132 s


def test_the_elapsed_time_alone_stops_work_past_the_bound(fake_time):
    clock = Clock(5, None)
    fake_time.now += 6.0
    with pytest.raises(BudgetError, match=r"stopped after 6\.0 s"):
        clock(0, 0)  # nothing to extrapolate from, but the bound has passed


def test_no_bound_never_refuses(fake_time):
    clock = Clock(None, None)
    fake_time.now += 10**6
    clock(1, 10**9)
    clock = Clock(0, None)
    clock(1, 10**9)


def test_durations_read_naturally():
    assert [duration(x) for x in (2.25, 45, 450, 750, 3 * 3600 + 720)] == [
        "2.2 s", "45 s", "450 s", "12.5 min", "3.2 h"]


@pytest.mark.parametrize("parties", [2, 3, 4])
def test_the_exact_frontier_reports_the_share_of_its_work(parties):
    domain = random_domain(5, 6, parties)
    seen: list[tuple[int, int]] = []
    exact_frontier(domain, progress=lambda d, t: seen.append((d, t)))
    assert {t for _, t in seen} == {PERMILLE}
    done = [d for d, _ in seen]
    assert done == sorted(done) and done[-1] == PERMILLE
    assert len(seen) >= domain.n_issues


def test_an_issue_with_many_options_weighs_what_it_costs():
    """Four issues of 3 options, then one of 3,000: most of the work is the last issue's
    (|F| × 3,000 candidates), so little of the bar is filled when it starts."""
    base = random_domain(5, 3, 3)
    many = np.random.default_rng(1).random((3, 3000))
    domain = Domain(base.issue_ids, (*base.labels[:4], tuple(float(x) for x in range(3000))),
                    base.party_ids, (*base.values[:4], many),
                    (*base.party_allowed[:4], np.ones((3, 3000), dtype=bool)),
                    base.reservations)
    seen: list[int] = []
    front_sizes: list[int] = []
    exact_frontier(domain, progress=lambda d, t: seen.append(d))
    for i in range(1, 5):  # the partial frontiers' sizes, by the same method
        sub = Domain(domain.issue_ids[:i], domain.labels[:i], domain.party_ids,
                     domain.values[:i], domain.party_allowed[:i], domain.reservations)
        front_sizes.append(len(exact_frontier(sub).utilities))
    small_work = sum(f * 3 for f in [1, *front_sizes[:3]])
    assert small_work < 0.1 * front_sizes[3] * 3000  # the last issue is most of the work
    assert seen[-1] == PERMILLE and sum(d < 200 for d in seen) >= len(seen) // 3


def test_analysis_results_do_not_depend_on_the_bound():
    domain = random_domain(4, 5, 3)
    bounded = analyze_domain(domain, max_seconds=600, progress=lambda d, t: None)
    free = analyze_domain(domain)
    assert bounded.to_dict() == free.to_dict()


@pytest.mark.parametrize("parties", [3, 4, 5])
def test_the_exact_method_on_30_issues_ends_within_its_bound(parties):
    """3–5 parties on 30 issues of 10 options: the partial frontier fits the memory budget
    but its skyline ran for minutes. With a bound of 2 s the run ends soon after it, with a
    result or with a refusal that states the prediction."""
    domain = random_domain(30, 10, parties)
    start = time.perf_counter()
    try:
        result = analyze_domain(domain, max_seconds=2)
    except BudgetError as exc:
        assert "--max-seconds" in str(exc) and "or more" in str(exc)
    else:
        assert result.method == "exact" and result.pareto
    assert time.perf_counter() - start < 30  # 2 s plus one report, on a loaded machine


def test_the_command_line_refuses_past_its_bound_and_logs_progress(tmp_path):
    """Through the real entry point, stderr not a terminal: plain progress lines with
    --progress, then the refusal (exit 2, one paragraph, no traceback)."""
    path = tmp_path / "wide.toml"
    path.write_text(scenario_toml(random_domain(30, 10, 5)), encoding="utf-8")
    proc = subprocess.run([PACTLAB, "analyze", str(path), "--json", "--progress",
                           "--max-seconds", "2"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == "" and "Traceback" not in proc.stderr
    assert "analysing " in proc.stderr and f"/{PERMILLE} " in proc.stderr
    assert "The exact method (5 parties) was stopped after" in proc.stderr
    assert "--max-seconds" in proc.stderr


def test_a_range_of_many_steps_is_analysed_exactly_and_quickly():
    """A range issue of 10,000 steps with three parties ran 33 s without a sign of life,
    100,000 steps past 10 minutes: the three-party filter was quadratic in the frontier."""
    rng = np.random.default_rng(0)
    base = random_domain(5, 4, 3)
    steps = np.linspace(0.0, 1.0, 10_000)
    rising = np.vstack([steps, 1 - steps, steps]) * rng.random((3, 1))
    domain = Domain(("r", *base.issue_ids), (tuple(steps), *base.labels), base.party_ids,
                    (rising, *base.values),
                    (np.ones((3, len(steps)), dtype=bool), *base.party_allowed),
                    base.reservations)
    seen: list[tuple[int, int]] = []
    front = exact_frontier(domain, progress=lambda d, t: seen.append((d, t)))
    assert len(front.utilities) >= 10_000 and len(seen) > 6


def test_evaluating_an_offer_on_a_wide_space_is_bounded_too():
    domain = random_domain(30, 10, 5)  # additive and huge: its exact frontier is searched
    offer = {iid: 0.0 for iid in domain.issue_ids}
    seen: list[tuple[int, int]] = []
    with pytest.raises(BudgetError, match="Searching what dominates the offer was stopped"):
        evaluate_offer_domain(domain, offer, progress=lambda d, t: seen.append((d, t)),
                              max_seconds=1)
    assert seen


@pytest.mark.parametrize("command", [["linkage"], ["evaluate", "--offer", "i0=0"]])
def test_linkage_and_evaluate_take_the_bound_on_the_command_line(tmp_path, command):
    path = tmp_path / "wide.toml"
    path.write_text(scenario_toml(random_domain(30, 10, 5), status_quo=True), encoding="utf-8")
    proc = subprocess.run([PACTLAB, command[0], str(path), *command[1:], "--json",
                           "--max-seconds", "2"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert "was stopped after" in proc.stderr and "--max-seconds" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_linkage_shares_one_bound_between_its_analyses():
    domain = random_domain(4, 3, 2)
    sq = Domain(domain.issue_ids, domain.labels, domain.party_ids, domain.values,
                domain.party_allowed, domain.reservations,
                status_quo=np.zeros(domain.n_issues, dtype=np.int64))
    assert linkage_domain(sq, max_seconds=60).package is not None
    with pytest.raises(BudgetError, match="linkage was stopped after"):
        linkage_domain(sq, max_seconds=1e-9)


def _huge_with_limits() -> str:
    """10^20 outcomes; p0 allows 2 of the 10 options on half the issues (10^10 · 2^10
    feasible) and holds an interaction, so the exact method does not apply."""
    text = scenario_toml(random_domain(20, 10, 2), status_quo=True)
    limits = ", ".join(f'{{ issue = "i{i}", max = 1.0 }}' for i in range(10))
    return text.replace('utility = { weights = "as-written" }\n',
                        'utility = { weights = "as-written" }\n'
                        f"limits = [{limits}]\n"
                        'interactions = [{ when = { i0 = [1.0, 1.0] }, value = 0.01 }]\n', 1)


@pytest.mark.parametrize(("command", "says"), [
    (["analyze"], "10,240,000,000,000 feasible outcomes are too many to enumerate"),
    (["linkage"], "10,240,000,000,000 feasible outcomes are too many to enumerate"),
    (["evaluate", "--offer", "i0=0"], "10,240,000,000,000 feasible outcomes are too many"),
    (["negotiate"], "10,240,000,000,000 feasible outcomes"),
])
def test_size_guards_fire_before_the_work_they_guard(tmp_path, command, says):
    """A huge scenario with limits: every command counts the feasible outcomes exactly
    (limits are per-issue masks) and refuses with the number before any enumeration."""
    path = tmp_path / "huge.toml"
    path.write_text(_huge_with_limits(), encoding="utf-8")
    proc = subprocess.run([PACTLAB, command[0], str(path), *command[1:], "--json"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert says in " ".join(proc.stderr.split()) and "Traceback" not in proc.stderr


def test_a_long_enumeration_is_refused_early_with_its_predicted_time():
    """10^9 outcomes with an interaction (enumeration only) under a 30 s bound: the pace
    of the first chunks predicts minutes, so the run stops soon, saying so, long before
    its bound (it ran for an estimated 1.8 h at the 10^10 limit, silently)."""
    base = random_domain(9, 10, 2)
    inter = Interaction(0, 0.01, {0: np.arange(10) < 5})
    domain = Domain(base.issue_ids, base.labels, base.party_ids, base.values,
                    base.party_allowed, base.reservations, interactions=(inter,))
    start = time.perf_counter()
    with pytest.raises(BudgetError, match=r"Enumerating 1,000,000,000 feasible outcomes was "
                       r"stopped after .* would take about .* or more, past the time bound"):
        analyze_domain(domain, max_seconds=30)
    assert time.perf_counter() - start < 30
