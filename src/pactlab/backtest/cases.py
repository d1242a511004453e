"""Which cases a backtest runs on: built-in ids, scenario files and folders of them.

A case is a scenario file `<id>.toml` with an `[outcome]`, optionally paired with
a stakeholder set `<id>.stakeholders.toml` beside it. A folder stands for every
scenario file in it (stakeholder sets are read with their scenario, not as cases).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pactlab.errors import BacktestError
from pactlab.model.loading import (
    STAKEHOLDERS_SUFFIX,
    builtin_ids,
    builtin_path,
    case_ids,
    load_scenario,
)
from pactlab.model.schema import Scenario


def library() -> list[str]:
    """Every shipped scenario and case that records an outcome: the backtest's default set."""
    return [sid for sid in case_ids() + builtin_ids() if load_scenario(sid).outcome is not None]


def case_paths(args: Sequence[str | Path]) -> list[Path]:
    """The scenario files the arguments stand for, in order, each once."""
    known = set(builtin_ids()) | set(case_ids())
    paths: list[Path] = []
    for arg in args:
        text = str(arg)
        path = Path(text)
        if isinstance(arg, str) and text in known and not path.exists():
            paths.append(builtin_path(text))
        elif path.is_dir():
            found = sorted(p for p in path.glob("*.toml")
                           if not p.name.endswith(STAKEHOLDERS_SUFFIX) and p.is_file())
            if not found:
                raise BacktestError(f"{text}: the folder holds no scenario file (*.toml)")
            paths += found
        elif path.exists():
            paths.append(path)
        else:
            load_scenario(text)  # raises the loader's message, with its did-you-mean
    return list(dict.fromkeys(p.resolve() for p in paths))


def load_cases(args: Sequence[str | Path]) -> tuple[list[Scenario], list[str]]:
    """Load the cases the arguments name; those without an `[outcome]` are skipped.

    Returns the cases and one warning per skipped file. Raises `BacktestError`
    when no case is left, and the loader's `ScenarioError` (file and key path) for
    a file that does not validate, such as an outcome off an issue's options.
    """
    cases: list[Scenario] = []
    warnings: list[str] = []
    for path in case_paths(args):
        sc = load_scenario(path)
        if sc.outcome is None:
            warnings.append(f"{path}: no [outcome] block; skipped")
        else:
            cases.append(sc)
    if not cases:
        raise BacktestError("no case with an [outcome] block to score"
                            + (f" ({len(warnings)} file(s) without one)" if warnings else ""))
    return cases, warnings
