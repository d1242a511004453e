"""What a sweep runs on each sample, as a pure function of (plan, sample index, unit point).

A `Plan` holds everything a worker needs: the target, the scenario or stakeholder table,
the resolved priors and the target's options. `evaluate(plan, start, u)` turns a batch of
design rows into flat columns of numbers (one entry per sample), the form batches are
stored in; `pactlab.sweep.result` turns them into labelled tables and summaries.

Targets:

- `analyze`: ZOPA and the four bargaining solutions of every sample, vectorised across
  samples (`pactlab.sweep.vector`).
- `negotiate`: one session per sample with the given strategies; the session's seed is
  drawn from (seed, sample index), so results do not depend on batching.
- `linkage`: the value of linking the issues (package vs separate tracks) per sample.
- `forecast`: an actor-based forecast of the sampled stakeholder table.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from pactlab.kernel.bargaining import SOLUTIONS
from pactlab.model.priors import Prior

TARGETS = ("analyze", "negotiate", "linkage", "forecast")
Columns = dict[str, np.ndarray]


@dataclass(frozen=True, eq=False)
class Plan:
    """A sweep's fixed inputs: what runs, on what, under which priors, with which options."""

    target: str
    subject: Any  # a Scenario (analyze, negotiate, linkage) or Stakeholders (forecast)
    priors: tuple[Prior, ...]
    seed: int
    options: dict[str, Any] = field(default_factory=dict)
    key: str = ""  # identifies the plan in a worker's cache

    def __post_init__(self) -> None:
        if not self.key:
            text = repr((self.target, self.seed, sorted(self.options.items()),
                         [(p.path, p.entry.dist, p.entry.params) for p in self.priors],
                         id(self.subject)))
            object.__setattr__(self, "key", hashlib.sha256(text.encode()).hexdigest())

    def values(self, u: np.ndarray) -> np.ndarray:
        """Design rows (unit hypercube) → sampled values, one column per prior."""
        if not self.priors:
            return np.empty((u.shape[0], 0))
        return np.column_stack([p.values(u[:, j]) for j, p in enumerate(self.priors)])


_STATE: dict[str, Any] = {}  # per process: the compiled form of the last plans seen


def _sampled_domain(plan: Plan) -> Any:
    from pactlab.sweep.vector import SampledDomain

    hit = _STATE.get(plan.key)
    if hit is None:
        _STATE.clear()
        hit = _STATE[plan.key] = SampledDomain(plan.subject, plan.priors)
    return hit


def prepare(plan: Plan) -> None:
    """Import and compile what `evaluate` needs for `plan`, in this process.

    Called before a pool forks its workers, so that they inherit the imports (scipy's
    quantile functions, the target's modules) and the compiled domain instead of each
    repeating them: a third of a second per worker, more than a batch of samples costs.
    For analysis and linkage one sample at the design's centre is evaluated and dropped;
    not for forecasts (one sample may be a long model run) nor negotiations (a user
    strategy must only ever run in a worker, where its crash or exit is reported, never
    in the parent).
    """
    mid = np.full((1, len(plan.priors)), 0.5)
    if plan.target in ("analyze", "linkage"):
        evaluate(plan, 0, mid)
        return
    plan.values(mid)
    if plan.target == "forecast":
        from pactlab.forecast.models import make_model  # noqa: F401
        return
    _sampled_domain(plan)
    from pactlab.negotiation.batch import run_each  # noqa: F401


def evaluate(plan: Plan, start: int, u: np.ndarray) -> Columns:
    """Columns for samples start, start+1, … whose design rows are `u`."""
    x = plan.values(u)
    cols: Columns = {"sample": np.arange(start, start + len(u), dtype=np.int64)}
    cols.update({f"x{j}": x[:, j] for j in range(x.shape[1])})
    if plan.target == "forecast":
        cols.update(_forecast(plan, x))
        return cols
    sd = _sampled_domain(plan)
    if plan.target == "analyze":
        from pactlab.sweep.vector import analyze_values

        res = analyze_values(sd, x)
        cols["zopa"] = res.zopa
        cols["feasible"] = res.feasible.astype(np.int64)
        cols["individually_rational"] = res.individually_rational.astype(np.int64)
        for name in SOLUTIONS:
            cols[f"{name}.outcome"] = res.picks[name]
            for p, party in enumerate(sd.base.party_ids):
                cols[f"{name}.u.{party}"] = res.utilities[name][:, p]
        return cols
    arrays = sd.arrays(x)
    if plan.target == "negotiate":
        cols.update(_negotiate(plan, sd, arrays, start))
        return cols
    cols.update(_linkage(plan, sd, arrays))
    return cols


def session_seed(seed: int, sample: int) -> int:
    """The negotiation seed of one sample: independent of batches and workers."""
    return int(np.random.SeedSequence([seed, sample]).generate_state(1, np.uint32)[0])


def _negotiate(plan: Plan, sd: Any, arrays: Any, start: int) -> Columns:
    """One session per sample, the batch's sessions in lockstep, without metrics.

    Each sample has its own utilities and reservations, hence its own offer space; the
    batch's sessions play together on `run_each` (each row on its own space; user
    strategies on the per-session engine, under `time_limit`), with results identical to
    `run_session` for the same seed. `metrics=False`: the distances to the frontier,
    which the sweep does not keep, would cost a three-party Pareto frontier per sample
    (about 95% of the time).
    """
    from pactlab.negotiation.batch import run_each
    from pactlab.sweep.vector import analyze_block

    n, parties = arrays.size, sd.base.party_ids
    out: Columns = {
        "zopa": analyze_block(sd, arrays).zopa,
        "agreement": np.zeros(n, dtype=bool),
        "agreement_round": np.full(n, -1, dtype=np.int64),
        "negotiation.outcome": np.full(n, -1, dtype=np.int64),
        **{f"negotiation.u.{p}": np.full(n, np.nan) for p in parties},
    }
    opts = plan.options
    domains = [sd.domain(arrays, k) for k in range(n)]
    res = run_each(domains, opts.get("strategies") or {},
                   [session_seed(plan.seed, start + k) for k in range(n)],
                   rounds=opts.get("rounds", 100), time_limit=opts.get("time_limit"),
                   metrics=False)
    out["agreement"] = res.agreement.copy()
    out["agreement_round"] = res.agreement_round.copy()
    for p, party in enumerate(parties):
        out[f"negotiation.u.{party}"] = res.utilities[:, p].copy()
    for k in np.flatnonzero(res.agreement):
        row = res.spaces[k].rows[int(res.offer[k])].astype(np.int64)
        out["negotiation.outcome"][k] = int(domains[k].encode(row))
    return out


def _linkage(plan: Plan, sd: Any, arrays: Any) -> Columns:
    from pactlab.analysis.linkage import linkage_domain

    n, parties = arrays.size, sd.base.party_ids
    out: Columns = {
        "package": np.zeros(n, dtype=bool),
        "separate_feasible": np.zeros(n, dtype=bool),
        "nash_product_separate": np.full(n, np.nan),
        "nash_product_package": np.full(n, np.nan),
        **{f"gain.{p}": np.full(n, np.nan) for p in parties},
    }
    for k in range(n):
        res = linkage_domain(sd.domain(arrays, k), plan.options.get("tracks"))
        out["package"][k] = res.package is not None
        out["separate_feasible"][k] = res.separate.feasible
        out["nash_product_separate"][k] = res.nash_product["separate"]
        if res.package is not None and res.gain is not None:
            out["nash_product_package"][k] = res.nash_product["package"]
            for p in parties:
                out[f"gain.{p}"][k] = res.gain[p]
    return out


def _forecast(plan: Plan, x: np.ndarray) -> Columns:
    from pactlab.forecast.models import make_model
    from pactlab.sweep.stakeholders import apply_stakeholders

    sh = plan.subject
    model = make_model(plan.options.get("model", "bdm"), **plan.options.get("model_options", {}))
    out: Columns = {f"forecast.{d.id}": np.empty(len(x)) for d in sh.dimensions}
    for k in range(len(x)):
        res = model.run(apply_stakeholders(sh, plan.priors, x[k]))
        for d, dim in enumerate(sh.dimensions):
            out[f"forecast.{dim.id}"][k] = res.forecast[d]
    return out
