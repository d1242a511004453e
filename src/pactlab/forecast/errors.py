"""The error raised for a bad stakeholder table; the CLI prints it as one paragraph, exit 2."""

from __future__ import annotations

from pactlab.errors import PactlabError


class StakeholderError(PactlabError):
    """A stakeholder file or table that cannot be read or does not validate.

    The message names the file (`where`), the row (actor) and the column (field) at fault,
    and what was expected, so that the user can fix the input without reading code.
    """

    def __init__(
        self,
        message: str,
        *,
        where: str | None = None,
        row: str | int | None = None,
        column: str | None = None,
    ):
        self.where = where
        self.row = row
        self.column = column
        self.detail = message
        parts = []
        if where:
            parts.append(str(where))
        if row is not None:
            parts.append(f"row {row}")
        if column:
            parts.append(f"column {column!r}")
        prefix = ", ".join(parts)
        super().__init__(f"{prefix}: {message}" if prefix else message)
