"""Commands on scenarios: list, show, validate, analyze, evaluate, linkage."""

from __future__ import annotations
