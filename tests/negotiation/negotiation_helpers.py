"""Shared helpers for the negotiation tests: scenario files and small domains."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from pactlab.model import compile_domain, load_scenario
from pactlab.model.domain import Domain

DATA = Path(__file__).parent.parent / "data" / "negotiation"
PIE = DATA / "pie.toml"
TRIO = DATA / "trio.toml"
AGENTS = DATA / "agents.py"


def pie_file(tmp_path: Path, steps: int) -> Path:
    """The split-the-pie scenario on a grid of `steps` shares."""
    path = tmp_path / f"pie-{steps}.toml"
    path.write_text(PIE.read_text().replace("steps = 101", f"steps = {steps}"), encoding="utf-8")
    return path


def unsorted_trio(tmp_path: Path) -> Path:
    """The three-party scenario with its parties in non-alphabetical order: zulu, y, z."""
    path = tmp_path / "unsorted-trio.toml"
    text = TRIO.read_text()
    assert text.count('id = "x"\n') == 1
    path.write_text(text.replace('id = "x"\n', 'id = "zulu"\n'), encoding="utf-8")
    return path


def feasible_utilities(scenario: str | Path) -> tuple[Domain, np.ndarray]:
    """Brute force, independent of the offer space: every feasible outcome's utilities."""
    domain = compile_domain(load_scenario(scenario))
    rows = domain.decode(np.arange(domain.n_outcomes))
    return domain, domain.utilities_of_rows(rows[domain.feasible_rows(rows)])


def brute_frontier(u: np.ndarray) -> np.ndarray:
    """Pareto-optimal utility vectors by peeling: the point of largest sum is undominated, and
    every point it weakly dominates goes; repeat on what is left."""
    points = np.unique(u, axis=0)
    front = []
    while len(points):
        best = points[points.sum(axis=1).argmax()]
        front.append(best)
        points = points[~(points <= best).all(axis=1)]
    return np.array(front)


def distance(points: np.ndarray, u: np.ndarray) -> float:
    """Euclidean distance from `u` to the nearest of `points`."""
    return float(np.min(np.linalg.norm(points - u, axis=1)))
