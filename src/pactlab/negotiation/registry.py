"""Strategy names and specs: `boulware`, `time:e=0.5:ac=combi`, `my_agents.py:Greedy:x=1`.

A spec is a name (or a Python file and a class in it) followed by
`:key=value` parameters. Specs are what the CLI, tournaments and worker
processes pass around; each session builds fresh strategy objects from them.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import inspect
import sys
import types
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from pactlab.errors import PactlabError, StrategyError, UnknownNameError
from pactlab.fileio import read_text
from pactlab.negotiation.base import Param, Strategy
from pactlab.negotiation.equilibrium import SubgamePerfect
from pactlab.negotiation.strategies import (
    AbsoluteTitForTat,
    Boulware,
    Conceder,
    Hardliner,
    Linear,
    NashSeeker,
    RandomStrategy,
    TimeDependent,
    TitForTat,
)

BUILTIN: dict[str, type[Strategy]] = {
    cls.name: cls
    for cls in (Boulware, Linear, Conceder, TimeDependent, Hardliner, TitForTat,
                AbsoluteTitForTat, RandomStrategy, NashSeeker, SubgamePerfect)
}
ALIASES = {
    "time-dependent": "time",
    "tft": "tit-for-tat",
    "tit-for-tat-relative": "tit-for-tat",
    "nash-seeker": "nash",
    "spe": "rubinstein",
}

StrategyLike = str | Strategy | type[Strategy]
STRATEGY_FILE_LIMIT = 4 * 2**20  # bytes: a strategy is code, not data


def party_assignments(items: list[str], what: str) -> dict[str, str]:
    """``PARTY=VALUE`` items (``us=boulware``, ``rok=0.95``) as a mapping.

    The one reading of per-party choices, for the command line (`what` is the flag,
    ``--strategy``) and the web API (`what` is the query parameter, ``strategy``).
    """
    out: dict[str, str] = {}
    for item in items:
        party, sep, value = item.partition("=")
        if not sep or not party.strip() or not value.strip():
            raise PactlabError(f"{what} {item!r}: expected PARTY=VALUE, e.g. us=boulware")
        out[party.strip()] = value.strip()
    return out


def strategy_names() -> list[str]:
    return list(BUILTIN)


def strategy_catalogue() -> list[dict[str, Any]]:
    """Every built-in strategy: its name, aliases, what it does and its parameters.

    The description is the first line of the class's docstring; each parameter gives
    its default, its allowed range or choices, and why it exists (`Param.help`).
    """
    out = []
    for name, cls in BUILTIN.items():
        doc = (inspect.getdoc(cls) or "").split("\n\n")[0]
        out.append({
            "name": name,
            "aliases": sorted(a for a, target in ALIASES.items() if target == name),
            "description": " ".join(doc.split()),
            "complete_information": cls.requires_complete_information,
            "two_parties_only": cls.bilateral_only,
            "parameters": [
                {"name": key, "default": spec.default, "help": spec.help,
                 "allowed": list(spec.choices) if spec.choices else _allowed(spec)}
                for key, spec in cls.PARAMS.items()],
        })
    return out


def _allowed(spec: Param) -> str:
    low = "−∞" if spec.low is None else f"{spec.low:g}"
    high = "∞" if spec.high is None else f"{spec.high:g}"
    return f"[{low}, {high}]"


def make_strategy(spec: StrategyLike) -> Strategy:
    """A fresh strategy object from a spec string, a class, or an unused instance."""
    if isinstance(spec, Strategy):
        return spec
    if isinstance(spec, type):
        if not issubclass(spec, Strategy):
            raise StrategyError(f"{spec.__name__} is not a subclass of "
                                "pactlab.negotiation.Strategy")
        return _construct(spec, {}, spec.__name__)
    return strategy_factory(spec)()


@lru_cache(maxsize=256)
def strategy_factory(spec: str) -> Callable[[], Strategy]:
    """Parse and validate a spec once; the factory builds fresh objects cheaply."""
    cls, params, label = _resolve(spec)
    _construct(cls, params, label)  # fail now, with the spec in the message, not mid-tournament
    return lambda: _construct(cls, params, label)


def _resolve(spec: str) -> tuple[type[Strategy], dict[str, Any], str]:
    text = spec.strip()
    if not text:
        raise StrategyError("empty strategy spec; expected a name such as 'boulware' "
                            "or 'file.py:ClassName'")
    if ".py:" in text:
        cut = text.index(".py:") + 3
        path, rest = text[:cut], text[cut + 1 :].split(":")
        cls = load_user_strategy(path, rest[0])
        return cls, _params(text, rest[1:]), text
    name, *raw = text.split(":")
    key = ALIASES.get(name.lower(), name.lower())
    if key not in BUILTIN:
        if name.endswith(".py"):
            raise StrategyError(f"strategy {text!r}: name the class too, as '{name}:ClassName'")
        close = difflib.get_close_matches(key, [*BUILTIN, *ALIASES], n=1)
        hint = f"; did you mean {close[0]!r}?" if close else "."
        raise UnknownNameError(
            f"unknown strategy {name!r}{hint} Built-in strategies: {', '.join(BUILTIN)}; "
            "or give a file and class as 'path.py:ClassName'."
        )
    return BUILTIN[key], _params(text, raw), text


def _params(spec: str, items: list[str]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise StrategyError(
                f"strategy {spec!r}: parameter {item!r} should be written key=value "
                "(parameters follow the name, separated by ':')"
            )
        params[key.strip()] = _value(value.strip())
    return params


def _value(text: str) -> Any:
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def _construct(cls: type[Strategy], params: dict[str, Any], label: str) -> Strategy:
    try:
        return cls(**params)
    except StrategyError:
        raise
    except Exception as exc:
        raise StrategyError(
            f"strategy {label!r}: could not be created with parameters {params}: "
            f"{type(exc).__name__}: {exc}"
        ) from None


@lru_cache(maxsize=64)
def load_user_strategy(path: str, class_name: str) -> type[Strategy]:
    """Import a user's strategy class from a Python file (once per process)."""
    file = Path(path).expanduser()
    if not file.is_file():
        raise StrategyError(f"strategy file {path!r} does not exist")
    if not class_name.isidentifier():
        raise StrategyError(f"strategy {path}:{class_name}: {class_name!r} is not a class name")
    digest = hashlib.sha1(str(file.resolve()).encode()).hexdigest()[:12]
    module_name = f"pactlab_user_strategy_{digest}"
    source = read_text(file, what="strategy file", limit=STRATEGY_FILE_LIMIT)
    module = types.ModuleType(module_name)
    module.__file__ = str(file)
    sys.modules[module_name] = module  # so that worker processes can unpickle its objects
    try:
        # Compiled here rather than by the import system, which would write __pycache__
        # beside the user's file; what it prints goes to stderr (stdout may be --json).
        code = compile(source, str(file), "exec", dont_inherit=True)
        with contextlib.redirect_stdout(sys.stderr):
            exec(code, module.__dict__)
    except (Exception, SystemExit) as exc:
        del sys.modules[module_name]
        raise StrategyError(
            f"strategy file {path!r} failed to import: {type(exc).__name__}: {exc}"
        ) from None
    cls = getattr(module, class_name, None)
    if not (inspect.isclass(cls) and issubclass(cls, Strategy)):
        found = [n for n, v in vars(module).items()
                 if inspect.isclass(v) and issubclass(v, Strategy) and v.__module__ == module_name]
        what = "is not defined" if cls is None else "is not a subclass of Strategy"
        listing = f"; Strategy subclasses in the file: {', '.join(found)}" if found else (
            "; a user strategy subclasses pactlab.negotiation.Strategy")
        raise StrategyError(f"strategy {path}:{class_name}: {class_name!r} {what}{listing}")
    return cls
