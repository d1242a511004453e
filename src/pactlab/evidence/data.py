"""Loading the evidence package data (FX rates, GDP, actor aliases) with clear errors."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from pactlab.errors import EvidenceError


@cache
def load_data(name: str) -> dict[str, Any]:
    """Parse `pactlab/evidence/data/<name>` once; a broken install is an EvidenceError."""
    ref = resources.files("pactlab.evidence").joinpath("data", name)
    try:
        return tomllib.loads(ref.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise EvidenceError(
            f"pactlab/evidence/data/{name}: cannot load the package data file ({exc}); "
            "expected a TOML file installed with pactlab"
        ) from exc
