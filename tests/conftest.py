"""Shared test helpers: tiny scenario builders and an independent brute-force oracle."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis import strategies as st

from pactlab.model import parse_scenario

# headless Chromium fixtures (`chromium`, `tab`) for the report and web tests
pytest_plugins = ["browser"]

# No per-example deadlines (shared machines are slow at times); on CI, the same examples
# every run, so that a run's verdict does not depend on the draw. `HYPOTHESIS_PROFILE=long`
# draws fresh random examples, 20 times as many, to look for new failures.
settings.register_profile("default", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True)
settings.register_profile("long", deadline=None, derandomize=False, max_examples=2000)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "default")
settings.load_profile(PROFILE)

# The fuzz suite (tests/fuzz) runs when PACTLAB_FUZZ is set; `make test` sets it.
collect_ignore_glob = [] if os.environ.get("PACTLAB_FUZZ") else ["fuzz/*"]

HERE = Path(__file__).parent
DATA = HERE / "data"
# The project's seed texts are not shipped (their licence is unknown): tests read them from
# the shared folder beside the checkout (`<repo>/../shared/seeds`, as CI clones it).
SHARED_SEEDS = HERE.parent.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def shared_seeds() -> Path:
    """The shared seed folder; tests that need it are skipped where it is not beside us."""
    if not SHARED_SEEDS.is_dir():
        pytest.skip(f"the shared seeds are not beside this checkout ({SHARED_SEEDS})")
    return SHARED_SEEDS


@st.composite
def scenario_dicts(draw, max_parties: int = 3, max_issues: int = 3, max_options: int = 4):
    """Random small scenarios: categorical issues, table values, limits and interactions."""
    n_issues = draw(st.integers(1, max_issues))
    n_parties = draw(st.integers(2, max_parties))
    unit = st.integers(0, 10).map(lambda k: k / 10)
    issues = []
    for i in range(n_issues):
        n_opt = draw(st.integers(1, max_options))
        issues.append({"id": f"i{i}", "options": [f"o{k}" for k in range(n_opt)],
                       "status_quo": "o0"})
    parties = []
    for p in range(n_parties):
        raw = [draw(st.integers(0, 5)) for _ in issues]
        if sum(raw) == 0:
            raw[0] = 1
        weights = {iss["id"]: w / sum(raw) for iss, w in zip(issues, raw, strict=True)}
        # make the weights sum to 1 exactly enough for the 1e-9 check
        big = max(weights, key=weights.__getitem__)
        weights[big] = 1.0 - sum(v for k, v in weights.items() if k != big)
        party = {
            "id": f"p{p}",
            "reservation": draw(unit) * 0.6,
            "weights": weights,
            "values": {
                iss["id"]: {"kind": "table",
                            "table": {o: draw(unit) for o in iss["options"]}}
                for iss in issues
            },
            "limits": [],
            "interactions": [],
        }
        if draw(st.booleans()):
            iss = draw(st.sampled_from(issues))
            allowed = draw(st.lists(st.sampled_from(iss["options"]), min_size=1, unique=True))
            party["limits"].append({"issue": iss["id"], "allowed": allowed})
        if draw(st.booleans()):
            iss = draw(st.sampled_from(issues))
            cond = draw(st.lists(st.sampled_from(iss["options"]), min_size=1, unique=True))
            party["interactions"].append({"when": {iss["id"]: cond},
                                          "value": draw(st.integers(-3, 3)) / 10})
        parties.append(party)
    return {"id": "random", "issues": issues, "parties": parties}


def brute_force(data: dict) -> dict:
    """Utilities and feasibility of every outcome, straight from the file's definition."""
    issues = data["issues"]
    outcomes = []
    for choice in itertools.product(*(iss["options"] for iss in issues)):
        outcome = {iss["id"]: c for iss, c in zip(issues, choice, strict=True)}
        utilities = []
        feasible = True
        for party in data["parties"]:
            u = sum(w * party["values"][i]["table"][outcome[i]]
                    for i, w in party["weights"].items())
            for inter in party["interactions"]:
                if all(outcome[i] in cond for i, cond in inter["when"].items()):
                    u += inter["value"]
            utilities.append(u)
            for lim in party["limits"]:
                if outcome[lim["issue"]] not in lim["allowed"]:
                    feasible = False
        outcomes.append((outcome, utilities, feasible))
    return {"outcomes": outcomes, "reservations": [p["reservation"] for p in data["parties"]]}


@pytest.fixture
def scenario_file(tmp_path):
    """Write TOML text to a file and return its path."""
    def write(text: str, name: str = "scenario.toml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path
    return write


def build(data: dict):
    return parse_scenario(data)
