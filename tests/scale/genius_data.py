"""The GENIUS-format test domains in tests/data/genius and an independent GENIUS evaluator.

The evaluator follows GENIUS's AdditiveUtilitySpace straight from the XML (stdlib
ElementTree; the files are trusted test data): a discrete item's evaluation divided by
the largest evaluation of its issue; an integer issue's linear evaluator
clip(slope·(x − lowerbound) + offset, 0, 1); weights as written, min(1, Σ), reservation 0
when absent. It shares no code with pactlab's importer.
"""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np

GENIUS = Path(__file__).parent.parent / "data" / "genius"

DOMAINS = {  # name -> (domain file, profiles), smallest first; see ORIGIN.md there
    "Lease": ("Lease/lease_domain.xml", ["Lease/lease_tenant.xml", "Lease/lease_landlord.xml"]),
    "Festival": ("Festival/festival_domain.xml",
                 ["Festival/festival_artist.xml", "Festival/festival_venue.xml"]),
    "Merger": ("Merger/merger_domain.xml",
               ["Merger/merger_buyer.xml", "Merger/merger_seller.xml"]),
    "Harbour": ("Harbour/harbour_domain.xml",
                ["Harbour/harbour_port.xml", "Harbour/harbour_shipper.xml"]),
    "Orchard": ("Orchard/orchard_domain.xml",
                ["Orchard/orchard_grower.xml", "Orchard/orchard_buyer.xml"]),
}


def files(name: str) -> tuple[Path, list[Path]]:
    domain, profiles = DOMAINS[name]
    return GENIUS / domain, [GENIUS / p for p in profiles]


def domain_items(domain: Path) -> list[list[str] | list[int]]:
    """Each issue's values in order: item values, or lowerbound..upperbound."""
    root = ET.parse(domain).getroot()
    items: list = []
    for issue in root.iter("issue"):
        if issue.get("type") == "integer":
            items.append(list(range(int(issue.get("lowerbound")),
                                    int(issue.get("upperbound")) + 1)))
        else:
            items.append([it.get("value") for it in issue.iter("item")])
    return items


def _evaluation(issue: ET.Element, low: int | None):
    if low is not None:
        ev = issue.find("evaluator")
        slope, offset = float(ev.get("slope")), float(ev.get("offset"))
        return lambda x: min(1.0, max(0.0, slope * (x - low) + offset))
    evals = {it.get("value"): float(it.get("evaluation")) for it in issue.iter("item")}
    top = max(evals.values())
    return lambda x: evals[x] / top


def genius_utilities(domain: Path, profile: Path) -> tuple[np.ndarray, float]:
    """Utility of every outcome (itertools.product order) and the reservation value."""
    items = domain_items(domain)
    root = ET.parse(profile).getroot()
    weights = {int(w.get("index")): float(w.get("value")) for w in root.iter("weight")}
    parts = []
    for issue, values in zip(root.iter("issue"), items, strict=True):
        low = values[0] if issue.get("type") == "integer" else None
        parts.append((weights[int(issue.get("index"))], _evaluation(issue, low)))
    utils = [min(1.0, sum(w * f(x) for (w, f), x in zip(parts, outcome, strict=True)))
             for outcome in itertools.product(*items)]
    res = root.find(".//reservation")
    return np.array(utils), 0.0 if res is None else float(res.get("value"))
