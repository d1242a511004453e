"""The README's sweep section documents the `--json` shape the code prints (every target)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pactlab.sweep import sweep

README = Path(__file__).parents[2] / "README.md"
VARY = ["parties.us.reservation=uniform(0.3,0.95)", "parties.rok.reservation=uniform(0.3,0.5)"]


def _section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Uncertainty sweeps")
    return text[start:text.index("\n## ", start + 1)]


def _names(res: dict) -> set[str]:
    """Every key of the object that is part of its shape (not an issue, party or output)."""
    names = set(res)
    for block in (res.get("solutions", {}).get("nash"), res.get("negotiation"),
                  res.get("linkage")):
        if block:
            names |= set(block)
            for entry in block.get("issues", {}).values():
                names |= set(entry)
    names |= set(res.get("solutions", {}))
    sens = res["sensitivity"]
    names |= set(sens) | set(next(iter(sens["sobol"].values())))
    names |= set(next(iter(sens["tornado"].values()))[0])
    return names


@pytest.mark.parametrize(("target", "options"), [
    ("analyze", {}),
    ("negotiate", {"strategies": {"us": "boulware"}, "rounds": 30}),
    ("linkage", {}),
])
def test_every_key_the_json_prints_is_documented(target, options):
    res = sweep("sma-2019", target, samples=8, vary=VARY, workers=1, sensitivity=True,
                **options).to_dict()
    section = _section()
    missing = sorted(k for k in _names(res) if f'"{k}"' not in section)
    assert not missing, f"the README's sweep section does not document {missing}"
