"""Reading scenario files: TOML parsing, validation, precise errors, built-in lookup."""

from __future__ import annotations

import difflib
import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from pactlab.errors import PactlabError, ScenarioError
from pactlab.fileio import read_bytes
from pactlab.model.catalog import STAKEHOLDERS_SUFFIX as STAKEHOLDERS_SUFFIX
from pactlab.model.catalog import builtin_ids as builtin_ids
from pactlab.model.catalog import builtin_path as builtin_path
from pactlab.model.catalog import case_ids as case_ids
from pactlab.model.outcome import Outcome
from pactlab.model.priors import Uncertain, resolve
from pactlab.model.problems import Problem, key_path, pydantic_problems, summary
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

# The shipped files' ids and paths (imported above) live in the light `catalog` module, since
# `pactlab list` needs no pydantic; they are re-exported here, beside the loaders.
MAX_FILE_BYTES = 16 * 2**20  # a scenario is a hand-written file: 16 MiB is far beyond one
MAX_DEPTH = 12  # nesting of arrays and tables; the deepest key path of the format has 6
NUMBER_LIMIT = 1e12  # every number in a scenario lies within ±this (utilities stay finite)
_VALUE_KINDS = ("linear", "piecewise", "table", "affine")
# pydantic names the member of a union it tried (`list[float]`, `str`): not part of the key path
_TYPE_TAG = re.compile(r"^(?:float|int|str|bool|(?:list|dict|tuple)\[.*\])$")


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
    """Read and validate one scenario file (a regular file of at most `MAX_FILE_BYTES`)."""
    where = str(path)
    try:
        raw = read_bytes(path, "scenario file", MAX_FILE_BYTES)
    except PactlabError as exc:
        raise ScenarioError(str(exc).removeprefix(f"{where}: "), where=where) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            f"not a text file (invalid UTF-8 at byte {exc.start}); expected a TOML scenario",
            where=where,
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"not valid TOML: {exc}", where=where) from None
    except RecursionError:
        raise ScenarioError(
            f"not a scenario: arrays or tables are nested too deeply for the TOML parser "
            f"(a scenario needs at most {MAX_DEPTH} levels)", where=where) from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise ScenarioError(f"not valid TOML: {exc}", where=where) from None
    return parse_scenario(data, where=where, origin=path)


def parse_scenario(data: dict[str, Any], *, where: str = "<scenario>", origin: Path | None = None
                   ) -> Scenario:
    """Validate a parsed TOML document (a dict) into a `Scenario`.

    Every problem is reported, not just the first: the error's message names the first
    `pactlab.model.problems.SHOWN_PROBLEMS` (key path and what was expected) and its
    `problems` attribute holds them all (`pactlab validate --json` lists them).
    """
    if not data:
        raise ScenarioError("empty scenario: expected at least 'id', [[issues]] and [[parties]]",
                            where=where)
    _check_shape(data, where)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise _refusal(pydantic_problems(exc, clean=_clean_loc, keys_at=_keys_at,
                                         special=_scenario_message), where) from None
    problems = list(find_problems(scenario))
    if problems:
        raise _refusal(problems, where)
    resolve(scenario, scenario.uncertain, where=where)  # every prior names a number
    scenario._origin = origin
    return scenario


def as_scenario(scenario: Scenario | str | Path) -> Scenario:
    """Accept a loaded scenario, a built-in id or a path (what every API function takes)."""
    if isinstance(scenario, Scenario):
        return scenario
    return load_scenario(scenario)


def _check_shape(data: Any, where: str) -> None:
    """Refuse nesting deeper than `MAX_DEPTH` and numbers beyond ±`NUMBER_LIMIT` or not finite.

    Runs before pydantic (which recurses, and would turn 10**400 into an overflow),
    without recursion itself, so that no input can exhaust the stack.
    """
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]
    while stack:
        value, loc = stack.pop()
        if isinstance(value, dict | list):
            if len(loc) >= MAX_DEPTH:
                raise ScenarioError(f"nested more than {MAX_DEPTH} levels deep; no part of a "
                                    "scenario needs that", where=where, key=key_path(loc))
            items = value.items() if isinstance(value, dict) else enumerate(value)
            stack.extend((v, (*loc, k)) for k, v in items)
        elif isinstance(value, int | float) and not isinstance(value, bool) and not (
                abs(value) <= NUMBER_LIMIT):  # False for nan and inf; exact for huge ints
            shown = (f"a number of {len(str(abs(value))):,} digits" if isinstance(value, int)
                     else f"{value:g}")
            raise ScenarioError(
                f"{shown} is out of range: numbers in a scenario are finite and within "
                f"±{NUMBER_LIMIT:.0e}", where=where, key=key_path(loc))


def _refusal(problems: list[Problem], where: str) -> ScenarioError:
    """One error for every problem: the first in full, then the next ones, bounded."""
    key, message = summary(problems, full_list="`pactlab validate FILE --json` lists them all")
    error = ScenarioError(message, where=where, key=key or None)
    error.problems = problems
    return error


def _scenario_message(err: Any, loc: tuple[str | int, ...]) -> str | None:
    """Messages only a scenario needs: value-function kinds and `[[a]]` written for `[a]`."""
    kind = err["type"]
    if kind == "union_tag_invalid":
        return f"'kind' must be one of {list(_VALUE_KINDS)}, got {err['ctx']['tag']!r}"
    if kind == "union_tag_not_found":
        return f"missing 'kind'; expected one of {list(_VALUE_KINDS)}"
    if _is_table_array(err):
        header = ".".join(str(p) for p in loc if isinstance(p, str))
        return (f"expected a table, got an array of tables: write [{header}] (single "
                f"brackets), not [[{header}]]")
    return None


def _is_table_array(err: Any) -> bool:
    """A `[[a.b]]` header where `[a.b]` was meant: a list of tables where a table belongs."""
    value = err.get("input")
    return (err["type"] in ("dict_type", "model_type", "model_attributes_type")
            and isinstance(value, list) and bool(value)
            and all(isinstance(v, dict) for v in value))


def _clean_loc(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """Drop pydantic's discriminator tags (``values.payment.linear.worst``)."""
    out: list[str | int] = []
    for n, part in enumerate(loc):
        if part in _VALUE_KINDS and n >= 2 and loc[n - 2] == "values":
            continue
        if isinstance(part, str) and (part.startswith("function-") or _TYPE_TAG.match(part)):
            continue
        out.append(part)
    return tuple(out)


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


def _keys_at(loc: tuple[str | int, ...]) -> list[str]:
    """The keys a scenario may have where the last part of `loc` stands."""
    model: type[BaseModel] = Scenario
    named = [p for p in loc[:-1] if isinstance(p, str)]
    if named and named[-1] in _MODEL_AT:
        model = _MODEL_AT[named[-1]]
    elif len(named) >= 2 and named[-2] == "values":
        fields: set[str] = set()
        for m in (LinearValue, PiecewiseValue, TableValue, AffineValue):
            fields |= set(m.model_fields)
        return sorted(fields)
    elif named and (named[-1] in ("basis", "weights_basis") or named[-2:-1] == ["bases"]):
        return ["source", "quote", "assumption"]
    return list(model.model_fields)
