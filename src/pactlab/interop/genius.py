"""GENIUS domains and profiles (XML) read into pactlab scenarios, with GENIUS's own semantics.

GENIUS (Lin et al., "Genius: an integrated environment for supporting the design of
generic automated negotiators", Computational Intelligence 30(1), 2014) evaluates a
bid with an additive utility space:

- discrete issue: the item's `evaluation` divided by the largest evaluation of
  that issue (so values lie on [0, 1]);
- integer issue, linear evaluator: `clip(slope·(x − lowerbound) + offset, 0, 1)`;
- real issue, linear evaluator: `clip(parameter1·x + parameter0, 0, 1)`;
- utility `min(1, Σ weight·value)` with the weights as written (not renormalised);
- a missing reservation is 0; a discount factor of 0 means 1 (no discount).

The scenario says exactly this: table values e/max, `kind = "affine"` values for
linear evaluators, and per party `utility = { weights = "as-written", cap = 1.0,
discount = ... }`. Real issues are discretised to `real_steps` grid points (the
utilities are GENIUS's at those points). Real files are messy, and whatever GENIUS
reads is accepted: comments before the XML declaration, `number_of_issues="0"`,
weights that do not sum to 1, weights or reservation before the issues, no
reservation. Malformed files get an `InteropError` naming the file and element:
every number read (bounds, weights, evaluations, slopes, offsets, parameters,
reservation, discount) must be finite, an integer issue's bounds and every index
whole numbers, and a `<weight index>` may appear only once (GENIUS would keep an
arbitrary one). What GENIUS itself discards with a warning, or what can only be a
mistake, is refused rather than silently replaced: a reservation outside [0, 1] (it is a
utility), a discount factor below 0 or above 1, negative weights or weights that are all 0
(every outcome would be worth 0), a profile given where the domain belongs, and the same
profile file given twice.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element

from pactlab.errors import InteropError, ScenarioError
from pactlab.interop.xmlsafe import read_xml
from pactlab.model.loading import parse_scenario
from pactlab.model.schema import Scenario

ISSUE_TYPES = ("discrete", "integer", "real")
DEFAULT_REAL_STEPS = 11
MAX_INTEGER_VALUES = 100_000


@dataclass(frozen=True)
class GeniusIssue:
    """An issue of a GENIUS domain."""

    index: int
    name: str
    kind: str  # discrete | integer | real
    items: tuple[str, ...] = ()  # discrete values
    low: float = 0.0  # integer / real bounds
    high: float = 0.0


def slug(text: str, taken: set[str]) -> str:
    """A readable identifier (`External Monitor` -> `external_monitor`), unique among `taken`."""
    base = re.sub(r"[^0-9a-z]+", "_", text.lower()).strip("_") or "x"
    ident, n = base, 2
    while ident in taken:
        ident, n = f"{base}_{n}", n + 1
    taken.add(ident)
    return ident


def _attr(el: Element, *names: str) -> str | None:
    for name in names:
        if el.get(name) is not None:
            return el.get(name)
    return None


def _element(el: Element, context: str) -> str:
    """`<weight index='2'>`, `<item value='red'> of issue 'Colour'`: where a number was read."""
    key = next((k for k in ("name", "index") if el.get(k) is not None), None)
    if el.tag == "item" and el.get("value") is not None:
        key = "value"
    label = f"<{el.tag} {key}={el.get(key)!r}>" if key else f"<{el.tag}>"
    return f"{label} of {context}" if context else label


def _number(path: Path, el: Element, *names: str, default: float | None = None,
            context: str = "", expected: str = "a finite number") -> float:
    """A finite number from the first of `names` present (GENIUS reads them as doubles)."""
    text = _attr(el, *names)
    if text is None:
        if default is not None:
            return default
        raise InteropError(f"{path}: {_element(el, context)} has no "
                           f"{' / '.join(names)} attribute")
    name = next(n for n in names if el.get(n) is not None)
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise InteropError(f"{path}: {_element(el, context)} attribute {name}={text!r}: "
                           f"expected {expected}")
    return value


def _whole(path: Path, el: Element, name: str, default: int | None = None,
           context: str = "", why: str = "") -> int:
    """A finite whole number (indexes; bounds of integer issues)."""
    expected = f"a finite whole number{why}"
    value = _number(path, el, name, default=None if default is None else float(default),
                    context=context, expected=expected)
    if not value.is_integer():
        raise InteropError(f"{path}: {_element(el, context)} attribute {name}="
                           f"{el.get(name)!r}: expected {expected}")
    return int(value)


def _issue_kind(path: Path, el: Element) -> str:
    kind = (_attr(el, "type", "etype", "vtype") or "discrete").lower()
    if kind not in ISSUE_TYPES:
        raise InteropError(f"{path}: issue {el.get('name')!r} has type {kind!r}; pactlab reads "
                           f"{', '.join(ISSUE_TYPES)} issues")
    return kind


def _bounds(path: Path, el: Element, kind: str) -> tuple[float, float]:
    """An integer or real issue's finite bounds; an integer issue's must be whole numbers."""
    rng = el.find("range")
    src = el if _attr(el, "lowerbound") is not None or rng is None else rng
    context = "" if src is el else f"issue {el.get('name')!r}"
    if kind == "integer":
        why = f" (issue {el.get('name')!r} is an integer issue)"
        return (float(_whole(path, src, "lowerbound", context=context, why=why)),
                float(_whole(path, src, "upperbound", context=context, why=why)))
    return (_number(path, src, "lowerbound", context=context),
            _number(path, src, "upperbound", context=context))


def _not_a_profile(path: Path, root: Element) -> None:
    """A profile given as the domain would import as a domain and pair with itself."""
    if root.find(".//weight") is not None or root.find(".//item[@evaluation]") is not None:
        raise InteropError(f"{path}: this is a GENIUS profile (it has <weight> elements or item "
                           "evaluations), not a domain; give the domain file first, then one "
                           "profile per party")


def read_domain(path: str | Path) -> list[GeniusIssue]:
    """The issues of a GENIUS domain file (`number_of_issues` is ignored, as GENIUS does)."""
    path = Path(path)
    root = read_xml(path, "GENIUS domain file")
    _not_a_profile(path, root)
    issues: list[GeniusIssue] = []
    for el in root.iter("issue"):
        name = el.get("name")
        if not name:
            raise InteropError(f"{path}: an <issue> has no name")
        kind = _issue_kind(path, el)
        index = _whole(path, el, "index", default=len(issues) + 1)
        if kind == "discrete":
            items = tuple(item.get("value", "") for item in el.iter("item"))
            if not items:
                raise InteropError(f"{path}: discrete issue {name!r} has no <item>")
            if len(set(items)) != len(items):
                raise InteropError(f"{path}: discrete issue {name!r} repeats an item value")
            issues.append(GeniusIssue(index, name, kind, items=items))
        else:
            low, high = _bounds(path, el, kind)
            if high < low:
                raise InteropError(f"{path}: issue {name!r} has upperbound below lowerbound")
            issues.append(GeniusIssue(index, name, kind, low=low, high=high))
    if not issues:
        raise InteropError(f"{path}: no <issue> elements: not a GENIUS domain")
    return issues


def _issue_data(issue: GeniusIssue, ident: str, real_steps: int) -> dict:
    data: dict = {"id": ident, "name": issue.name}
    if issue.kind == "discrete":
        data["options"] = list(issue.items)
    elif issue.low == issue.high:
        data["values"] = [issue.low]
    elif issue.kind == "integer":
        count = int(issue.high - issue.low) + 1
        if count > MAX_INTEGER_VALUES:
            raise InteropError(f"integer issue {issue.name!r} has {count:,} values; pactlab "
                               f"enumerates at most {MAX_INTEGER_VALUES:,} per issue")
        data |= {"range": [issue.low, issue.high], "steps": count}
    else:
        data |= {"range": [issue.low, issue.high], "steps": real_steps,
                 "description": f"GENIUS real issue, discretised to {real_steps} points"}
    return data


def _value_function(path: Path, el: Element, issue: GeniusIssue) -> dict:
    """The pactlab value function of one issue of a profile (GENIUS semantics)."""
    if issue.kind == "discrete":
        evals: dict[str, float] = {}
        for item in el.iter("item"):
            value = item.get("value", "")
            if item.get("evaluation") is None:
                raise InteropError(f"{path}: item {value!r} of issue {issue.name!r} has no "
                                   "evaluation")
            evals[value] = _number(path, item, "evaluation", context=f"issue {issue.name!r}")
        missing = [v for v in issue.items if v not in evals]
        if missing:
            raise InteropError(f"{path}: issue {issue.name!r} gives no evaluation for item(s) "
                               f"{missing}")
        top = max(evals[v] for v in issue.items)
        if top <= 0 or any(evals[v] < 0 for v in issue.items):
            raise InteropError(f"{path}: issue {issue.name!r}: evaluations must be >= 0 with a "
                               "positive largest one (GENIUS divides by it)")
        return {"kind": "table", "table": {v: evals[v] / top for v in issue.items}}
    evaluator = el.find("evaluator")
    if evaluator is None:
        raise InteropError(f"{path}: {issue.kind} issue {issue.name!r} has no <evaluator>")
    ftype = (evaluator.get("ftype") or "").lower()
    if ftype != "linear":
        raise InteropError(f"{path}: issue {issue.name!r} has evaluator type {ftype!r}; "
                           "GENIUS integer and real issues are read with ftype=\"linear\"")
    context = f"issue {issue.name!r}"
    if issue.kind == "integer":
        return {"kind": "affine", "slope": _number(path, evaluator, "slope", context=context),
                "intercept": _number(path, evaluator, "offset", context=context),
                "origin": issue.low}
    return {"kind": "affine", "slope": _number(path, evaluator, "parameter1", context=context),
            "intercept": _number(path, evaluator, "parameter0", context=context),
            "origin": 0.0}


def _weights(path: Path, root: Element) -> dict[int, float]:
    """Each `<weight index>`'s finite value; a repeated index is refused (GENIUS is ambiguous)."""
    weights: dict[int, float] = {}
    for w in root.iter("weight"):
        index = _whole(path, w, "index")
        if index in weights:
            raise InteropError(f"{path}: <weight index=\"{index}\"> appears more than once; "
                               "expected one weight per issue index")
        weights[index] = _number(path, w, "value")
        if weights[index] < 0:
            raise InteropError(f"{path}: <weight index=\"{index}\"> has value "
                               f"{w.get('value')}; expected a weight >= 0")
    return weights


def read_profile(path: str | Path, issues: list[GeniusIssue], ids: list[str]) -> dict:
    """One GENIUS profile as a pactlab party dict (without its id)."""
    path = Path(path)
    root = read_xml(path, "GENIUS profile")
    by_name = {el.get("name"): el for el in root.iter("issue")}
    weights_at = _weights(path, root)
    weights: dict[str, float] = {}
    values: dict[str, dict] = {}
    for issue, ident in zip(issues, ids, strict=True):
        el = by_name.get(issue.name)
        if el is None:
            raise InteropError(f"{path}: no <issue name={issue.name!r}> although the domain "
                               "has it")
        index = _whole(path, el, "index", default=issue.index)
        if index not in weights_at:
            raise InteropError(f"{path}: no <weight index=\"{index}\"> for issue "
                               f"{issue.name!r}")
        weights[ident] = weights_at[index]
        values[ident] = _value_function(path, el, issue)
    if not any(weights.values()):
        raise InteropError(f"{path}: every issue's <weight> is 0, so every outcome would be "
                           "worth 0 to this party; expected at least one positive weight")
    rules: dict = {"weights": "as-written", "cap": 1.0}
    discount = root.find(".//discount_factor")
    if discount is not None:
        delta = _unit_interval(path, discount, "a discount factor between 0 and 1 (0: none)")
        rules["discount"] = delta if delta > 0.0 else 1.0
    reservation = root.find(".//reservation")
    return {
        "name": path.stem,
        "reservation": 0.0 if reservation is None else _unit_interval(
            path, reservation, "a reservation utility between 0 and 1"),
        "utility": rules,
        "weights": weights,
        "values": values,
    }


def _unit_interval(path: Path, el: Element, expected: str) -> float:
    """A `value` attribute in [0, 1] (GENIUS discards a discount outside it with a warning)."""
    value = _number(path, el, "value", expected=expected)
    if not 0.0 <= value <= 1.0:
        raise InteropError(f"{path}: {_element(el, '')} attribute value={el.get('value')!r}: "
                           f"expected {expected}")
    return value


def _distinct(domain: Path, profiles: list[Path]) -> None:
    """Each profile a different file, none the domain: a repeat is a slip of the shell."""
    seen: dict[Path, int] = {domain.resolve(): 0}
    for n, profile in enumerate(profiles, start=1):
        first = seen.setdefault(profile.resolve(), n)
        if first == 0:
            raise InteropError(f"{profile}: given both as the domain and as profile {n}; "
                               "expected the domain file, then one profile per party")
        if first != n:
            raise InteropError(f"{profile}: given twice (as profiles {first} and {n}); expected "
                               "one profile file per party")


def genius_scenario_data(domain: str | Path, profiles: list[str | Path],
                         real_steps: int = DEFAULT_REAL_STEPS, scenario_id: str | None = None
                         ) -> dict:
    """The scenario (as a TOML-ready dict) of a GENIUS domain and its profiles."""
    if len(profiles) < 2:
        raise InteropError("a negotiation needs at least two profiles (one per party)")
    if real_steps < 2:
        raise InteropError("real issues need at least 2 grid points (--real-steps)")
    domain = Path(domain)
    _distinct(domain, [Path(p) for p in profiles])
    issues = read_domain(domain)
    taken: set[str] = set()
    ids = [slug(issue.name, taken) for issue in issues]
    party_ids: set[str] = set()
    parties = []
    for profile in profiles:
        party = read_profile(profile, issues, ids)
        parties.append({"id": slug(Path(profile).stem, party_ids)} | party)
    return {
        "id": scenario_id or slug(domain.stem, set()),
        "title": f"GENIUS domain {domain.name}",
        "description": (f"Imported from GENIUS: {domain.name} with profiles "
                        f"{', '.join(Path(p).name for p in profiles)}."),
        "issues": [_issue_data(i, ident, real_steps) for i, ident in zip(issues, ids,
                                                                          strict=True)],
        "parties": parties,
    }


def read_genius(domain: str | Path, profiles: list[str | Path],
                real_steps: int = DEFAULT_REAL_STEPS, scenario_id: str | None = None
                ) -> Scenario:
    """A validated pactlab `Scenario` from a GENIUS domain file and two or more profiles."""
    return genius_scenario(genius_scenario_data(domain, profiles, real_steps, scenario_id), domain)


def genius_scenario(data: dict, domain: str | Path) -> Scenario:
    """The validated `Scenario` of imported scenario data; invalid data is an InteropError."""
    try:
        return parse_scenario(data, where=f"{domain} (imported)")
    except ScenarioError as exc:
        raise InteropError(f"GENIUS import of {domain} gives an invalid scenario: {exc}") from None
