"""Reading scenario files: TOML parsing, validation, precise errors, built-in lookup."""

from __future__ import annotations

import difflib
import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from pactlab.errors import ScenarioError
from pactlab.model.outcome import Outcome
from pactlab.model.priors import Uncertain, resolve
from pactlab.model.references import find_problems
from pactlab.model.schema import (
    AffineValue,
    Interaction,
    Issue,
    Limit,
    LinearValue,
    Party,
    PiecewiseValue,
    Scenario,
    Source,
    TableValue,
    UtilityRules,
)

BUILTIN_PACKAGE = "pactlab.scenarios"
_VALUE_KINDS = ("linear", "piecewise", "table", "affine")
# pydantic names the member of a union it tried (`list[float]`, `str`): not part of the key path
_TYPE_TAG = re.compile(r"^(?:float|int|str|bool|(?:list|dict|tuple)\[.*\])$")


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


def load_scenario(path_or_name: str | Path) -> Scenario:
    """Load a built-in scenario or case by id, or a scenario file by path.

    Raises `ScenarioError` naming the file, the key path and what was expected.
    """
    text = str(path_or_name)
    known = builtin_ids() + case_ids()
    if isinstance(path_or_name, str) and text in known:
        return load_file(builtin_path(text))
    path = Path(path_or_name)
    if not path.exists():
        hint = difflib.get_close_matches(text, known, n=1)
        kind = "case" if hint and hint[0] in case_ids() else "scenario"
        extra = f"; did you mean the built-in {kind} {hint[0]!r}?" if hint else ""
        raise ScenarioError(
            f"no such file, and not a built-in scenario id (built-in: "
            f"{', '.join(builtin_ids())}; cases: see `pactlab list --cases`){extra}",
            where=text,
        )
    return load_file(path)


def load_file(path: Path) -> Scenario:
    where = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ScenarioError(f"cannot read file: {exc.strerror}", where=where) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            f"not a text file (invalid UTF-8 at byte {exc.start}); expected a TOML scenario",
            where=where,
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"not valid TOML: {exc}", where=where) from None
    return parse_scenario(data, where=where, origin=path)


def parse_scenario(data: dict[str, Any], *, where: str = "<scenario>", origin: Path | None = None
                   ) -> Scenario:
    """Validate a parsed TOML document (a dict) into a `Scenario`."""
    if not data:
        raise ScenarioError("empty scenario: expected at least 'id', [[issues]] and [[parties]]",
                            where=where)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise _first_error(exc, where) from None
    problems = list(find_problems(scenario))
    if problems:
        key, message = problems[0]
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        raise ScenarioError(message + more, where=where, key=key)
    resolve(scenario, scenario.uncertain, where=where)  # every prior names a number
    scenario._origin = origin
    return scenario


def _first_error(exc: ValidationError, where: str) -> ScenarioError:
    errors = exc.errors(include_url=False)
    # a misspelt key also shows up as a missing one: name the misspelling first
    errors.sort(key=lambda e: e["type"] != "extra_forbidden")
    err = errors[0]
    loc = _clean_loc(err["loc"])
    key = _key_path(loc)
    more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
    kind = err["type"]
    if kind == "extra_forbidden":
        message = f"unknown key {loc[-1]!r}{_did_you_mean(loc)}"
    elif kind == "missing":
        message = "missing required key"
    elif kind == "union_tag_invalid":
        message = f"'kind' must be one of {list(_VALUE_KINDS)}, got {err['ctx']['tag']!r}"
    elif kind == "union_tag_not_found":
        message = f"missing 'kind'; expected one of {list(_VALUE_KINDS)}"
    elif kind == "too_short":
        ctx = err.get("ctx", {})
        message = (f"expected at least {ctx.get('min_length')} entries, "
                   f"got {ctx.get('actual_length')}")
    else:
        message = err["msg"].removeprefix("Value error, ")
        scalar = isinstance(err.get("input"), str | int | float | bool)
        if kind != "value_error" and scalar:
            message += f" (got {err['input']!r})"
    return ScenarioError(message + more, where=where, key=key or None)


def _clean_loc(loc: tuple) -> tuple:
    """Drop pydantic's discriminator tags (``values.payment.linear.worst``)."""
    out: list = []
    for n, part in enumerate(loc):
        if part in _VALUE_KINDS and n >= 2 and loc[n - 2] == "values":
            continue
        if isinstance(part, str) and (part.startswith("function-") or _TYPE_TAG.match(part)):
            continue
        out.append(part)
    return tuple(out)


def _key_path(loc: tuple) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


_MODEL_AT: dict[str, type[BaseModel]] = {
    "sources": Source,
    "issues": Issue,
    "parties": Party,
    "limits": Limit,
    "interactions": Interaction,
    "utility": UtilityRules,
    "outcome": Outcome,
    "uncertain": Uncertain,
}


def _did_you_mean(loc: tuple) -> str:
    """Suggest the closest real key for a misspelt one."""
    model: type[BaseModel] = Scenario
    named = [p for p in loc[:-1] if isinstance(p, str)]
    if named and named[-1] in _MODEL_AT:
        model = _MODEL_AT[named[-1]]
    elif len(named) >= 2 and named[-2] == "values":
        fields = set()
        for m in (LinearValue, PiecewiseValue, TableValue, AffineValue):
            fields |= set(m.model_fields)
        return _suggest(str(loc[-1]), sorted(fields))
    elif named and (named[-1] in ("basis", "weights_basis") or named[-2:-1] == ["bases"]):
        return _suggest(str(loc[-1]), ["source", "quote", "assumption"])
    return _suggest(str(loc[-1]), list(model.model_fields))


def _suggest(word: str, choices: list[str]) -> str:
    match = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if match:
        return f"; did you mean {match[0]!r}?"
    return f"; expected one of {choices}"
