"""Point predictions of every method the backtest scores, for one case.

* the four bargaining solutions of `pactlab.analysis` (a solution that does not
  exist — no individually rational outcome — predicts no deal, and the status
  quo stays);
* `negotiation`: the median outcome of the fixed set of simulated sessions in
  `NEGOTIATION_STRATEGIES` × `NEGOTIATION_SEEDS` (see `negotiation_prediction`);
* the stakeholder forecasts `bdm`, `smp`, `mean`, `median`, `condorcet`, when the
  case has a stakeholder set, on the issues its dimensions stand for.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from pactlab.analysis.analyze import Analysis, analyze
from pactlab.backtest.scoring import Prediction
from pactlab.forecast import Stakeholders, read_toml, run_forecast
from pactlab.model.labels import Label
from pactlab.model.schema import Scenario
from pactlab.negotiation import run_session

SOLUTIONS = ("nash", "kalai_smorodinsky", "utilitarian", "egalitarian")
FORECASTS = ("bdm", "smp", "mean", "median", "condorcet")
NEGOTIATION_STRATEGIES = ("boulware", "linear", "conceder")
NEGOTIATION_SEEDS = (0, 1)
NEGOTIATION_ROUNDS = 100
# above this many parties every party plays the same strategy (3 sessions a seed, not 3^k)
MAX_PARTIES_CROSSED = 4
STAKEHOLDERS_SUFFIX = ".stakeholders.toml"


def solution_predictions(sc: Scenario, analysis: Analysis | None = None
                         ) -> dict[str, Prediction]:
    """The four bargaining solutions as predictions (no solution: no deal, status quo)."""
    res = analysis if analysis is not None else analyze(sc)
    no_deal = {i.id: i.status_quo for i in sc.issues if i.status_quo is not None}
    return {
        name: (Prediction(no_deal, agreement=False) if point is None
               else Prediction(dict(point.outcome), agreement=True))
        for name, point in res.solutions.items()
        if name in SOLUTIONS
    }


def strategy_profiles(parties: tuple[str, ...] | list[str]) -> list[dict[str, str]]:
    """Every assignment of `NEGOTIATION_STRATEGIES` to the parties (the same one to all
    when there are more than `MAX_PARTIES_CROSSED` parties)."""
    if len(parties) > MAX_PARTIES_CROSSED:
        return [dict.fromkeys(parties, s) for s in NEGOTIATION_STRATEGIES]
    return [dict(zip(parties, combo, strict=True))
            for combo in itertools.product(NEGOTIATION_STRATEGIES, repeat=len(parties))]


def negotiation_prediction(sc: Scenario) -> Prediction:
    """The median outcome of simulated negotiations over a fixed set of sessions.

    Every strategy profile of `strategy_profiles` is played with each seed of
    `NEGOTIATION_SEEDS` for `NEGOTIATION_ROUNDS` rounds (alternating offers,
    each party seeing only its own utilities). A session without agreement ends
    at the status quo. The prediction is, per issue, the median of the sessions'
    values (numeric) or the most frequent option (categorical; ties to the status
    quo, then to the first option), and a deal when at least half the sessions
    agreed.
    """
    sessions = [
        run_session(sc, profile, seed=seed, rounds=NEGOTIATION_ROUNDS, trace=False)
        for profile in strategy_profiles(sc.party_ids)
        for seed in NEGOTIATION_SEEDS
    ]
    outcome: dict[str, Label] = {}
    for issue in sc.issues:
        values = [s.outcome[issue.id] if s.agreement and s.outcome else issue.status_quo
                  for s in sessions]
        values = [v for v in values if v is not None]
        if not values:
            continue
        if issue.is_numeric:
            outcome[issue.id] = float(np.median(np.asarray(values, dtype=float)))
        else:
            counts = Counter(values)
            top = max(counts.values())
            tied = [o for o in issue.labels() if counts.get(o) == top]
            outcome[issue.id] = issue.status_quo if issue.status_quo in tied else tied[0]
    agreed = sum(s.agreement for s in sessions)
    return Prediction(outcome, agreement=2 * agreed >= len(sessions))


def stakeholders_path(sc: Scenario) -> Path | None:
    """The stakeholder set beside a case file (`<id>.stakeholders.toml`), if there is one."""
    if sc.origin is None:
        return None
    path = sc.origin.with_name(sc.origin.name.removesuffix(".toml") + STAKEHOLDERS_SUFFIX)
    return path if path.is_file() else None


def load_case_stakeholders(sc: Scenario) -> Stakeholders | None:
    path = stakeholders_path(sc)
    return None if path is None else read_toml(path)


def forecast_predictions(sc: Scenario, sh: Stakeholders,
                         models: tuple[str, ...] = FORECASTS) -> dict[str, Prediction]:
    """Each stakeholder model's forecast, mapped onto the scenario's issues.

    A dimension stands for the issue named by its `issue` key, else by its id; a
    numeric issue takes the forecast number, a categorical one (a dimension with
    a `mapping`) the option whose number is nearest. Dimensions that stand for
    no issue of the scenario are not scored.
    """
    out = {}
    for model in models:
        forecast = run_forecast(sh, model).forecast
        out[model] = Prediction(dict(_on_issues(sc, sh, forecast)), agreement=None)
    return out


def _on_issues(sc: Scenario, sh: Stakeholders, forecast: np.ndarray
               ) -> Iterator[tuple[str, Label]]:
    ids = set(sc.issue_ids)
    for dim, x in zip(sh.dimensions, forecast, strict=True):
        iid = dim.issue or dim.id
        if iid not in ids:
            continue
        issue = sc.issue(iid)
        if issue.is_numeric:
            yield iid, float(x)
        elif dim.mapping:
            options = [o for o, _ in dim.mapping]
            gaps = [abs(v - float(x)) for _, v in dim.mapping]
            yield iid, options[int(np.argmin(gaps))]


