"""The examples/ walkthrough runs as a script (it is also a jupytext notebook)."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parents[2] / "examples"


@pytest.mark.parametrize("script", sorted(EXAMPLES.glob("*.py")), ids=lambda p: p.name)
def test_example_runs(script, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert script.read_text().startswith("# ---\n# jupyter:")
    namespace = runpy.run_path(str(script), run_name="__main__")
    assert namespace["res"].scenario == "sma-2019"
