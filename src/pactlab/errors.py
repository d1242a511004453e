"""Errors pactlab raises on bad input; the CLI prints them as one paragraph, exit code 2."""

from __future__ import annotations


class PactlabError(Exception):
    """Base of every error caused by the user's input rather than a bug."""


class ScenarioError(PactlabError):
    """A scenario file that cannot be read or does not validate.

    `where` is the file, `key` the dotted key path (``parties[1].values.payment.worst``).
    """

    def __init__(self, message: str, *, where: str | None = None, key: str | None = None):
        self.where = where
        self.key = key
        self.detail = message
        prefix = ""
        if where:
            prefix += f"{where}: "
        if key:
            prefix += f"{key}: "
        super().__init__(prefix + message)


class OfferError(PactlabError):
    """An offer that names unknown issues or options."""


class UnknownNameError(PactlabError):
    """A name (scenario id, strategy, model...) that pactlab does not know."""


class MethodError(PactlabError):
    """An analysis method that does not apply to a domain (exact frontier with interactions)."""


class BudgetError(PactlabError):
    """A computation that does not fit the memory budget or the enumeration limit."""


class InteropError(PactlabError):
    """A GENIUS (or other foreign-format) file that cannot be read or written."""


class EvidenceError(PactlabError):
    """A document that cannot be read as text, or evidence data that does not load."""
