"""Errors of the negotiation layer; all are `PactlabError`s, so the CLI prints one paragraph."""

from __future__ import annotations

from pactlab.errors import PactlabError


class StrategyError(PactlabError):
    """A strategy that cannot be built (bad parameters, broken file) or misbehaves in a session."""


class ProtocolError(PactlabError):
    """Session settings the protocol cannot run with (rounds, discounts, parties)."""
