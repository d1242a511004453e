"""Every error pactlab raises on bad input, in one module.

The CLI prints a `PactlabError` as one paragraph on stderr with exit code 2, never a
traceback. Every class here is also a `ValueError`, so code that calls the Python API can
catch bad input the way it catches it from numpy or the standard library.
"""

from __future__ import annotations

from collections.abc import Iterable


def listing(items: Iterable[object], limit: int = 20, sep: str = ", ") -> str:
    """Join `items` for an error message, naming at most `limit` of them.

    Error messages are one paragraph of bounded length: a list of 100,000 missing options
    is shown as its first `limit` entries and "… and 99,980 more".

    Examples
    --------
    >>> listing(["a", "b", "c"], limit=2)
    'a, b … and 1 more'
    >>> listing([])
    ''
    """
    shown: list[str] = []
    more = 0
    for item in items:
        if len(shown) < limit:
            shown.append(str(item))
        else:
            more += 1
    text = sep.join(shown)
    return f"{text} … and {more:,} more" if more else text


class PactlabError(ValueError):
    """Base of every error caused by the user's input rather than a bug."""


class ScenarioError(PactlabError):
    """A scenario file that cannot be read or does not validate.

    `where` is the file, `key` the dotted key path (``parties[1].values.payment.worst``).
    """

    def __init__(self, message: str, *, where: str | None = None, key: str | None = None):
        self.where = where
        self.key = key
        self.detail = message
        self.problems: list[tuple[str, str]] = [(key or "", message)]  # every one, when several
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


class StakeholderError(PactlabError):
    """A stakeholder file or table that cannot be read or does not validate.

    The message names the file (`where`), the row (actor) and the column (field) at fault,
    or for a TOML file the key path (`key`, ``actors[3].salience.payment``), and what was
    expected, so that the user can fix the input without reading code.
    """

    def __init__(
        self,
        message: str,
        *,
        where: str | None = None,
        row: str | int | None = None,
        column: str | None = None,
        key: str | None = None,
    ):
        self.where = where
        self.row = row
        self.column = column
        self.key = key
        self.detail = message
        parts = []
        if where:
            parts.append(str(where))
        if key:
            parts.append(key)
        if row is not None:
            parts.append(f"row {row}")
        if column:
            parts.append(f"column {column!r}")
        prefix = ", ".join(parts)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class StrategyError(PactlabError):
    """A strategy that cannot be built (bad parameters, broken file) or misbehaves in a session."""


class ProtocolError(PactlabError):
    """Session settings the protocol cannot run with (rounds, discounts, parties)."""


class InputFileError(PactlabError):
    """A file that is not a regular file, is too large, or cannot be read or written."""


class BacktestError(PactlabError):
    """A backtest that cannot run: no case with an outcome, or a case argument that names
    nothing."""


class SweepError(PactlabError, ValueError):
    """A sweep that cannot run as asked: bad priors, sample counts, designs, engines or runs."""


class StoreError(PactlabError):
    """A run store that cannot be opened or written, or a run it does not hold."""


class RequestError(PactlabError):
    """A web request with a bad parameter or upload: the page or the API (400) says why."""
