"""Priors on a stakeholder table: `actors.<id>.capability|salience.<dim>|position.<dim>`.

A stakeholder TOML file may carry its own `[[uncertain]]` block, with the same entries as
a scenario's (`pactlab.model.priors.Uncertain`). Samples are clipped to each number's
valid range: capabilities to [0, 10^12), saliences to [0, 1], positions to the dimension's
range. Kept apart from the readers so that they need to know nothing about sweeps.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from pydantic import ValidationError

from pactlab.errors import ScenarioError
from pactlab.forecast.stakeholders import MAX_MAGNITUDE, Stakeholders
from pactlab.model.priors import Prior, Target, Uncertain, resolve_targets


def stakeholder_paths(sh: Stakeholders) -> dict[str, Target]:
    """Every number of a stakeholder table that a prior may name."""
    out: dict[str, Target] = {}
    cap_high = float(np.nextafter(MAX_MAGNITUDE, 0.0))
    for k, actor in enumerate(sh.actors):
        base = f"actors.{actor}"
        out[f"{base}.capability"] = Target(f"{base}.capability", "capability", k, -1, None,
                                           float(sh.capability[k]), 0.0, cap_high)
        for d, dim in enumerate(sh.dimensions):
            out[f"{base}.salience.{dim.id}"] = Target(
                f"{base}.salience.{dim.id}", "salience", k, d, None,
                float(sh.salience[k, d]), 0.0, 1.0)
            out[f"{base}.position.{dim.id}"] = Target(
                f"{base}.position.{dim.id}", "position", k, d, None,
                float(sh.position[k, d]), dim.low, dim.high)
    return out


def read_uncertain(path: str | Path) -> list[Uncertain]:
    """The `[[uncertain]]` entries of a stakeholder TOML file (none for other formats)."""
    path = Path(path)
    if path.suffix.lower() != ".toml" or not path.is_file():
        return []
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return []  # the stakeholder reader reports unreadable files
    raw = doc.get("uncertain", [])
    if not isinstance(raw, list):
        raise ScenarioError("expected [[uncertain]] tables", where=str(path), key="uncertain")
    out = []
    for n, entry in enumerate(raw):
        try:
            out.append(Uncertain.model_validate(entry))
        except ValidationError as exc:
            err = exc.errors(include_url=False)[0]
            loc = ".".join(str(x) for x in err["loc"])
            raise ScenarioError(err["msg"].removeprefix("Value error, "), where=str(path),
                                key=f"uncertain[{n}]" + (f".{loc}" if loc else "")) from None
    return out


def resolve_stakeholders(sh: Stakeholders, entries: Sequence[Uncertain], *,
                         where: str | None = None, origin: str = "uncertain") -> list[Prior]:
    """Match each entry to the stakeholder number it names (did-you-mean otherwise)."""
    return resolve_targets(stakeholder_paths(sh), entries,
                           where=where or sh.origin or sh.id, origin=origin)


def apply_stakeholders(sh: Stakeholders, priors: Sequence[Prior], values: Sequence[float]
                       ) -> Stakeholders:
    """The table with each prior's number replaced by its sampled (clipped) value."""
    cap, pos, sal = sh.capability.copy(), sh.position.copy(), sh.salience.copy()
    for prior, x in zip(priors, values, strict=True):
        t = prior.target
        if t.kind == "capability":
            cap[t.party] = x
        elif t.kind == "salience":
            sal[t.party, t.issue] = x
        else:
            pos[t.party, t.issue] = x
    return sh.with_values(capability=cap, position=pos, salience=sal)
