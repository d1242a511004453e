"""Shared helpers for the negotiation tests: scenario files and small domains."""

from __future__ import annotations

from pathlib import Path

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
