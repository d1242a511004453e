"""The scenarios and cases shipped with pactlab: their ids, files and a listing of them.

`pactlab list` shows each shipped file's id, title, dates and size. Validating fourteen
files with the pydantic schema would cost more than the command's start-up budget (issue
13.1: 0.25 s of CPU), and the shipped files are validated by the tests, so `catalog()`
reads the few keys it shows straight from the TOML: no pydantic model is built, and this
module imports nothing heavier than `tomllib`.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pactlab.model.labels import grid_labels

BUILTIN_PACKAGE = "pactlab.scenarios"
CASES_FOLDER = "cases"
STAKEHOLDERS_SUFFIX = ".stakeholders.toml"


def _ids_in(folder: Any) -> list[str]:
    try:
        names = [p.name for p in folder.iterdir()]
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted(n.removesuffix(".toml") for n in names
                  if n.endswith(".toml") and not n.endswith(STAKEHOLDERS_SUFFIX))


def builtin_ids() -> list[str]:
    """Ids of the scenarios shipped with pactlab (the case library not included)."""
    return _ids_in(resources.files(BUILTIN_PACKAGE))


def case_ids() -> list[str]:
    """Ids of the shipped case library: scenarios modelled as of a date, with an [outcome]."""
    return _ids_in(resources.files(BUILTIN_PACKAGE) / CASES_FOLDER)


def builtin_path(scenario_id: str) -> Path:
    """The packaged file of a built-in scenario or case id."""
    root = resources.files(BUILTIN_PACKAGE)
    folder = root / CASES_FOLDER if scenario_id in case_ids() else root
    return Path(str(folder / f"{scenario_id}.toml"))


@dataclass(frozen=True)
class Entry:
    """One shipped scenario as `pactlab list` shows it (the same values `load_scenario`
    gives: `Scenario.title`, `.as_of`, `.outcome.date`, `.party_ids`, `.outcome_count`)."""

    id: str
    kind: str  # "scenario" or "case"
    title: str
    as_of: str | None
    outcome_date: str | None
    issues: int
    parties: list[str]
    outcomes: int


def catalog(cases_only: bool = False) -> list[Entry]:
    """The shipped cases (and, unless `cases_only`, first the built-in scenarios)."""
    ids = [(sid, "case") for sid in case_ids()]
    if not cases_only:
        ids = [(sid, "scenario") for sid in builtin_ids()] + ids
    return [_entry(sid, kind) for sid, kind in ids]


def _entry(scenario_id: str, kind: str) -> Entry:
    try:
        return _read_entry(scenario_id, kind)
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError):
        # A shipped file this reader cannot list: the validating reader names what is
        # wrong (a ScenarioError, exit 2) instead of a traceback.
        from pactlab.model.loading import load_scenario

        load_scenario(scenario_id)
        raise


def _read_entry(scenario_id: str, kind: str) -> Entry:
    data = tomllib.loads(builtin_path(scenario_id).read_text(encoding="utf-8"))
    issues = data["issues"]
    outcome = data.get("outcome")
    return Entry(
        id=str(data["id"]), kind=kind, title=str(data.get("title", "")),
        as_of=data.get("as_of"), outcome_date=outcome["date"] if outcome else None,
        issues=len(issues), parties=[str(p["id"]) for p in data["parties"]],
        outcomes=math.prod(len(grid_labels(i.get("values"), i.get("options"), i.get("range"),
                                           i.get("steps"))) for i in issues))
