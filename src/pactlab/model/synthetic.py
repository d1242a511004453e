"""Random additive domains of any size, for benchmarks and property tests.

Each party's weights are drawn from a flat Dirichlet and its values uniformly
on [0, 1]. With two parties and `opposed=True`, the second party's values
mirror the first's (1 − v) issue by issue: the usual benchmark shape, whose
frontier is long and non-trivial. `scenario_toml` writes such a domain as a
scenario file, for whole-process benchmarks and command-line tests.
"""

from __future__ import annotations

import numpy as np

from pactlab.model.domain import Domain


def random_domain(issues: int, options: int, parties: int = 2, *, seed: int = 0,
                  reservation: float = 0.2, opposed: bool = True) -> Domain:
    """An additive domain of `options ** issues` outcomes with no limits or interactions."""
    rng = np.random.default_rng(seed)
    weights = rng.dirichlet(np.ones(issues), size=parties)  # (parties, issues)
    raw = rng.random((parties, issues, options))
    if opposed and parties == 2:
        raw[1] = 1.0 - raw[0]
    return Domain(
        issue_ids=tuple(f"i{i}" for i in range(issues)),
        labels=tuple(tuple(float(k) for k in range(options)) for _ in range(issues)),
        party_ids=tuple(f"p{p}" for p in range(parties)),
        values=tuple(weights[:, i, None] * raw[:, i, :] for i in range(issues)),
        party_allowed=tuple(np.ones((parties, options), dtype=bool) for _ in range(issues)),
        reservations=np.full(parties, reservation),
    )


def scenario_toml(domain: Domain, reservation: float = 0.2, status_quo: bool = False) -> str:
    """An additive domain (no limits or interactions) as scenario TOML with the same utilities.

    Each party's weights are written as 1 (`weights = "as-written"`) and its values as
    tables holding the domain's weighted values exactly (`repr` of each float). With
    `status_quo`, every issue's first option is its status quo.
    """
    lines = ['id = "synthetic"', ""]
    for iid, labels in zip(domain.issue_ids, domain.labels, strict=True):
        lines += ["[[issues]]", f'id = "{iid}"', f"values = {[float(x) for x in labels]}"]
        lines += [f"status_quo = {float(labels[0])!r}", ""] if status_quo else [""]
    for p, pid in enumerate(domain.party_ids):
        lines += ["[[parties]]", f'id = "{pid}"', f"reservation = {reservation!r}",
                  'utility = { weights = "as-written" }',
                  "weights = { " + ", ".join(f"{i} = 1.0" for i in domain.issue_ids) + " }"]
        for i, iid in enumerate(domain.issue_ids):
            table = ", ".join(f'"{label}" = {float(v)!r}'
                              for label, v in zip(domain.labels[i], domain.values[i][p],
                                                  strict=True))
            lines.append(f'values.{iid} = {{ kind = "table", table = {{ {table} }} }}')
        lines.append("")
    return "\n".join(lines)
