"""Built-in stakeholder sets: found by scenario id, every number with a basis, quotes verbatim."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from pactlab.forecast import load_stakeholders, run_forecast, stakeholder_ids
from pactlab.forecast.provenance import check_quotes, missing_bases
from pactlab.model.provenance import normalise_text

SEED_DIRS = [Path(__file__).parent.parent.parent.parent / "shared" / "seeds"]
DIMENSIONS = {
    "sma-2019": ["payment", "weapons", "troops"],
    "us-rok-2025": ["tariff", "defense_spending", "investment"],
}


def _seed_dirs_with(name: str) -> list[Path]:
    return [d for d in SEED_DIRS if (d / name).is_file()]


def test_normalise_text():
    assert normalise_text("“a”\n  b’s") == "\"a\" b's"


@pytest.mark.parametrize("sid", sorted(DIMENSIONS))
def test_builtin_set(sid):
    assert sid in stakeholder_ids()
    sh = load_stakeholders(sid)
    assert sh.dimension_ids == DIMENSIONS[sid]
    assert sh.n_actors >= 8
    assert missing_bases(sh) == []
    for model in ("mean", "median", "condorcet", "bdm", "smp"):
        res = run_forecast(sh, model)
        lo = np.array([d.low for d in sh.dimensions])
        hi = np.array([d.high for d in sh.dimensions])
        assert np.all(res.forecast >= lo - 1e-9) and np.all(res.forecast <= hi + 1e-9)


def test_us_rok_2025_actors():
    sh = load_stakeholders("us-rok-2025")
    for a in ("rok_president", "rok_nso", "rok_trade", "rok_defense", "rok_ruling_party",
              "rok_opposition", "rok_industry", "rok_public", "us_president", "us_state",
              "us_defense", "us_trade", "us_congress"):
        assert a in sh.actors


@pytest.mark.parametrize("sid", sorted(DIMENSIONS))
def test_quotes_occur_verbatim_in_the_seed(sid):
    sh = load_stakeholders(sid)
    docs = {s["document"] for s in sh.sources if "document" in s}
    dirs = [d for doc in docs for d in _seed_dirs_with(doc)]
    if not dirs:
        pytest.skip("seed documents not available in this checkout")
    checks = check_quotes(sh, dirs)
    assert checks, "expected quoted bases"
    bad = [(c.key, c.quote) for c in checks if c.found is False]
    assert bad == []


@pytest.mark.parametrize("sid", sorted(DIMENSIONS))
def test_dimensions_are_issues_of_the_named_scenario(sid):
    from pactlab.model import load_scenario

    sh = load_stakeholders(sid)
    assert sh.scenario == sid
    issues = {i.id: i for i in load_scenario(sh.scenario).issues}
    header = (Path(str(resources.files("pactlab") / "scenarios" / f"{sid}.stakeholders.toml"))
              .read_text(encoding="utf-8").split("\nid = ")[0])
    for dim in sh.dimensions:
        issue = issues[dim.issue or dim.id]
        if issue.is_numeric:  # numeric: same unit, range inside the issue's values
            assert not dim.mapping and dim.unit == issue.unit
            lo, hi = min(issue.labels()), max(issue.labels())
        else:  # categorical: a stated option -> number mapping, documented in the header
            mapped = dict(dim.mapping)
            assert mapped and set(mapped) <= set(issue.options)
            assert all(f"{o} = {v:g}" in header for o, v in mapped.items())
            lo, hi = min(mapped.values()), max(mapped.values())
        assert lo <= dim.low < dim.high <= hi, (dim.id, lo, hi)
    used = {d.issue or d.id for d in sh.dimensions}
    for issue in issues.values():  # every numeric issue left out is named and explained
        if issue.is_numeric and issue.id not in used:
            assert f"`{issue.id}`" in header and "left out" in header.lower()
