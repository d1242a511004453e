"""pactlab scenarios written as a GENIUS domain and one profile per party.

Every issue becomes a discrete GENIUS issue whose items are the option labels.
GENIUS divides a discrete evaluation by the issue's largest, so a party's value
v of an option is written as evaluation v/m with weight w·m (m = its largest
value on that issue): importing the files gives back w·v for every option, and
so the same utility for every outcome (up to rounding, ~1e-16). Hard limits and
interactions have no GENIUS counterpart and are refused, as is a utility cap
GENIUS's min(1, ·) would not reproduce.
"""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element, ElementTree, SubElement, indent

import numpy as np

from pactlab.analysis.results import as_scenario
from pactlab.errors import InteropError
from pactlab.model.domain import value_of
from pactlab.model.references import label_key
from pactlab.model.schema import Party, Scenario


def _objective(parent: Element, sc: Scenario) -> Element:
    return SubElement(parent, "objective", index="0", name=sc.id, type="objective",
                      etype="objective", description="")


def _issue(parent: Element, index: int, name: str) -> Element:
    return SubElement(parent, "issue", index=str(index), name=name, type="discrete",
                      etype="discrete", vtype="discrete")


def _refuse(sc: Scenario) -> None:
    for party in sc.parties:
        if party.interactions:
            raise InteropError(f"party {party.id!r} has interactions (linkage bonuses), which "
                               "GENIUS's additive utility spaces cannot express")
        if party.limits:
            raise InteropError(f"party {party.id!r} has hard limits, which GENIUS profiles "
                               "cannot express; remove them (or encode them in the values)")


def _weighted_parts(party: Party, sc: Scenario) -> list[tuple[float, np.ndarray]]:
    """Per issue: (GENIUS weight, evaluations whose largest is 1)."""
    parts = []
    for issue in sc.issues:
        weight = party.weights.get(issue.id, 0.0)
        fn = party.values.get(issue.id)
        n = len(issue.labels())
        v = np.zeros(n) if fn is None or weight == 0 else value_of(fn, issue.labels())
        top = float(v.max())
        parts.append((weight * top, v / top) if top > 0 else (0.0, np.ones(n)))
    return parts


def _check_cap(party: Party, parts: list[tuple[float, np.ndarray]]) -> None:
    cap = None if party.utility is None else party.utility.cap
    best = sum(w for w, _ in parts)  # the largest additive utility
    if cap == 1.0 or best <= min(1.0, np.inf if cap is None else cap):
        return
    raise InteropError(f"party {party.id!r} can reach utility {best:.6g}, which GENIUS would cap "
                       f"at 1 {'' if cap is None else f'(pactlab caps it at {cap:g})'}".rstrip())


def write_genius(scenario: Scenario | str | Path, out_dir: str | Path) -> list[Path]:
    """Write `<id>-domain.xml` and `<id>-<party>.xml` per party into `out_dir`; return the paths."""
    sc = as_scenario(scenario)
    _refuse(sc)
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InteropError(f"cannot create {out}: {exc.strerror}") from None
    template = Element("negotiation_template")
    space = SubElement(template, "utility_space", number_of_issues=str(len(sc.issues)))
    objective = _objective(space, sc)
    for i, issue in enumerate(sc.issues, start=1):
        el = _issue(objective, i, issue.id)
        for j, label in enumerate(issue.labels(), start=1):
            SubElement(el, "item", index=str(j), value=label_key(label))
    paths = [_write(template, out / f"{sc.id}-domain.xml")]
    for party in sc.parties:
        parts = _weighted_parts(party, sc)
        _check_cap(party, parts)
        root = Element("utility_space")
        objective = _objective(root, sc)
        for i, (issue, (_, evals)) in enumerate(zip(sc.issues, parts, strict=True), start=1):
            el = _issue(objective, i, issue.id)
            for j, (label, e) in enumerate(zip(issue.labels(), evals, strict=True), start=1):
                SubElement(el, "item", index=str(j), value=label_key(label),
                           evaluation=repr(float(e)))
        for i, (weight, _) in enumerate(parts, start=1):
            SubElement(objective, "weight", index=str(i), value=repr(float(weight)))
        SubElement(root, "reservation", value=repr(float(party.reservation)))
        if party.utility is not None and party.utility.discount is not None:
            SubElement(root, "discount_factor", value=repr(party.utility.discount))
        paths.append(_write(root, out / f"{sc.id}-{party.id}.xml"))
    return paths


def _write(root: Element, path: Path) -> Path:
    indent(root)
    try:
        ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
    except OSError as exc:
        raise InteropError(f"cannot write {path}: {exc.strerror}") from None
    return path
