"""pactlab scenarios written as a GENIUS domain and one profile per party.

Every issue becomes a discrete GENIUS issue whose items are the option labels.
GENIUS divides a discrete evaluation by the issue's largest, so a party's value
v of an option is written as evaluation v/m with weight w·m (m = its largest
value on that issue): importing the files gives back w·v for every option, and
so the same utility for every outcome (up to rounding, ~1e-16). Hard limits and
interactions have no GENIUS counterpart and are refused, as is a utility cap
GENIUS's min(1, ·) would not reproduce.

File names come from the scenario's and parties' ids, which are file content: an id that
is not a plain file-name stem (``../../x``, ``/etc/x``, ``a b``) is slugged, and every
path is checked to resolve inside the output folder. The files are built in memory, written
to a hidden staging folder inside the output folder and only then moved into place, so a
refusal or a failed write leaves no half export behind.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from pathlib import Path
from xml.etree.ElementTree import Element, ElementTree, SubElement, indent

import numpy as np

from pactlab import fileio
from pactlab.errors import InteropError, PactlabError
from pactlab.interop.genius import slug
from pactlab.model.domain import value_of
from pactlab.model.labels import label_key
from pactlab.model.loading import load_scenario
from pactlab.model.schema import Party, Scenario

_SAFE_STEM = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


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


def file_stem(ident: str, taken: set[str]) -> str:
    """`ident` as a file-name stem: kept when it is plain (letters, digits, ``_.-``, no
    ``..``, at most 64 characters), else slugged; unique among `taken`."""
    if _SAFE_STEM.fullmatch(ident) and ".." not in ident and ident.lower() not in taken:
        taken.add(ident.lower())
        return ident
    return slug(ident, taken)[:64]


def _domain_xml(sc: Scenario) -> Element:
    template = Element("negotiation_template")
    space = SubElement(template, "utility_space", number_of_issues=str(len(sc.issues)))
    objective = _objective(space, sc)
    for i, issue in enumerate(sc.issues, start=1):
        el = _issue(objective, i, issue.id)
        for j, label in enumerate(issue.labels(), start=1):
            SubElement(el, "item", index=str(j), value=label_key(label))
    return template


def _profile_xml(sc: Scenario, party: Party) -> Element:
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
    return root


def write_genius(scenario: Scenario | str | Path, out_dir: str | Path) -> list[Path]:
    """Write `<id>-domain.xml` and `<id>-<party>.xml` per party into `out_dir`; return the paths.

    Nothing is written unless every file can be: the export is refused before any write
    (interactions, limits, a cap GENIUS cannot reproduce), and the files are moved into
    `out_dir` only once all of them are complete.
    """
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    _refuse(sc)
    stem = file_stem(sc.id, set())
    party_stems = {"domain"}  # a party called "domain" must not overwrite the domain file
    documents = [(f"{stem}-domain.xml", _domain_xml(sc))]
    documents += [(f"{stem}-{file_stem(p.id, party_stems)}.xml", _profile_xml(sc, p))
                  for p in sc.parties]
    return _publish(Path(out_dir), documents)


def _publish(out: Path, documents: list[tuple[str, Element]]) -> list[Path]:
    """Write every document to a staging folder inside `out`, then move them all in."""
    created = not out.exists()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InteropError(f"cannot create {out}: {exc.strerror}") from None
    try:
        targets = [fileio.inside(out, name) for name, _ in documents]
        for target in targets:
            if target.exists() and not target.is_file():
                raise InteropError(f"cannot write {target}: something other than a file is "
                                   "there; nothing was written")
        staging = Path(tempfile.mkdtemp(dir=out, prefix=".export-genius-"))
        try:
            for name, root in documents:
                indent(root)
                ElementTree(root).write(staging / name, encoding="utf-8", xml_declaration=True)
            for (name, _), target in zip(documents, targets, strict=True):
                os.replace(staging / name, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    except (OSError, PactlabError) as exc:
        if created:
            with contextlib.suppress(OSError):
                out.rmdir()
        if isinstance(exc, OSError):
            raise InteropError(f"cannot write the GENIUS files into {out}: {exc.strerror}; "
                               "nothing was written") from None
        raise
    return [out / name for name, _ in documents]
