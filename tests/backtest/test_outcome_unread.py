"""No analysis reads `[outcome]`: every result is identical with the block removed.

The property guards against a model being fitted to what it is meant to predict.
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from pactlab.analysis.analyze import analyze
from pactlab.analysis.linkage import linkage_value
from pactlab.forecast import MODELS, load_stakeholders, run_forecast
from pactlab.model import load_scenario
from pactlab.negotiation import run_session

from .conftest import TOY


def _without_outcome(path: Path, tmp: Path) -> Path:
    """A copy of a case file (and its stakeholder set) with the [outcome] table cut out."""
    text = path.read_text(encoding="utf-8")
    head, _, tail = text.partition("\n[outcome]\n")
    # the block runs to the next table header or the end of the file
    rest = tail.split("\n[", 1)
    out = tmp / path.name
    out.write_text(head + ("\n[" + rest[1] if len(rest) > 1 else "\n"), encoding="utf-8")
    assert "outcome" not in tomllib.loads(out.read_text(encoding="utf-8"))
    sibling = path.with_name(path.name.removesuffix(".toml") + ".stakeholders.toml")
    if sibling.is_file():
        shutil.copy(sibling, tmp / sibling.name)
    return out


@pytest.fixture
def pair(tmp_path) -> tuple[Path, Path]:
    return TOY, _without_outcome(TOY, tmp_path)


def test_the_copy_really_lacks_the_outcome(pair):
    with_, without = pair
    assert load_scenario(with_).outcome is not None
    assert load_scenario(without).outcome is None


def test_analyze_and_linkage_ignore_the_outcome(pair):
    with_, without = (load_scenario(p) for p in pair)
    assert analyze(with_).to_dict(full=True) == analyze(without).to_dict(full=True)
    assert linkage_value(with_).to_dict() == linkage_value(without).to_dict()


@pytest.mark.parametrize("strategies", [("boulware", "conceder"), ("random", "linear")])
def test_negotiation_ignores_the_outcome(pair, strategies):
    with_, without = (load_scenario(p) for p in pair)
    a = run_session(with_, list(strategies), seed=7).to_dict()
    b = run_session(without, list(strategies), seed=7).to_dict()
    assert a == b
    assert a["trace"]  # a real session, not an empty one


@pytest.mark.parametrize("model", MODELS)
def test_forecasts_ignore_the_outcome(pair, model):
    a, b = (run_forecast(load_stakeholders(p), model).to_dict() for p in pair)
    assert a == b
    assert len(a["forecast"]) == 2
