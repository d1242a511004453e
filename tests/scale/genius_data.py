"""The real GENIUS domains shipped in tests/data/genius and an independent GENIUS evaluator.

The evaluator follows GENIUS's AdditiveUtilitySpace for discrete issues straight
from the XML (stdlib ElementTree; the files are trusted test data): evaluation /
largest evaluation of the issue, weights as written, min(1, Σ), reservation 0
when absent. It shares no code with pactlab's importer.
"""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np

GENIUS = Path(__file__).parent.parent / "data" / "genius"

DOMAINS = {  # name -> (domain file, profiles), smallest first
    "Laptop": ("Laptop/laptop_domain.xml",
               ["Laptop/laptop_buyer_utility.xml", "Laptop/laptop_seller_utility.xml"]),
    "IS_BT_Acquisition": ("IS_BT_Acquisition/IS_BT_Acquisition.xml",
                          ["IS_BT_Acquisition/IS_BT_Acquisition_BT_prof.xml",
                           "IS_BT_Acquisition/IS_BT_Acquisition_IS_prof.xml"]),
    "EnglandZimbabwe": ("EnglandZimbabwe/EnglandvsZimbabwe-A-domain.xml",
                        ["EnglandZimbabwe/EnglandvsZimbabwe-A-prof1.xml",
                         "EnglandZimbabwe/EnglandvsZimbabwe-A-prof2.xml"]),
    "Barbecue": ("Barbecue/Barbecue-A-domain.xml",
                 ["Barbecue/Barbecue-A-prof1.xml", "Barbecue/Barbecue-A-prof2.xml"]),
    "Grocery": ("Grocery/Grocery_domain.xml",
                ["Grocery/Grocery_domain_mary.xml", "Grocery/Grocery_domain_sam.xml"]),
}


def files(name: str) -> tuple[Path, list[Path]]:
    domain, profiles = DOMAINS[name]
    return GENIUS / domain, [GENIUS / p for p in profiles]


def domain_items(domain: Path) -> list[list[str]]:
    root = ET.parse(domain).getroot()
    return [[it.get("value") for it in issue.iter("item")] for issue in root.iter("issue")]


def genius_utilities(domain: Path, profile: Path) -> tuple[np.ndarray, float]:
    """Utility of every outcome (itertools.product order) and the reservation value."""
    items = domain_items(domain)
    root = ET.parse(profile).getroot()
    weights = {int(w.get("index")): float(w.get("value")) for w in root.iter("weight")}
    tables = []
    for issue in root.iter("issue"):
        evals = {it.get("value"): float(it.get("evaluation")) for it in issue.iter("item")}
        top = max(evals.values())
        tables.append((weights[int(issue.get("index"))], {k: v / top for k, v in evals.items()}))
    utils = [min(1.0, sum(w * t[x] for (w, t), x in zip(tables, outcome, strict=True)))
             for outcome in itertools.product(*items)]
    res = root.find(".//reservation")
    return np.array(utils), 0.0 if res is None else float(res.get("value"))
