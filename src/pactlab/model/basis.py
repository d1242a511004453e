"""The pieces every scenario block is built from: strict models and the `basis` of a number.

They live apart from `pactlab.model.schema` so that optional blocks kept in
their own modules (`[outcome]`, `[[uncertain]]`) can use them while the
`Scenario` model in `schema` refers to those blocks.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, model_validator


class Strict(BaseModel):
    """Base: unknown keys are errors, models are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, strict=True)


class Basis(Strict):
    """Where a number comes from: a quote in a source document, a stated assumption, or both.

    Both together say that the quote anchors some of the numbers and the
    assumption explains the others (e.g. the grid between two quoted figures).
    """

    source: str | None = None
    quote: str | None = None
    assumption: str | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Basis:
        has_quote = self.source is not None or self.quote is not None
        if has_quote and (not self.source or not self.quote):
            raise ValueError("a quoted basis needs both 'source' and 'quote'")
        if not has_quote and not self.assumption:
            raise ValueError("expected source+quote or a non-empty assumption")
        return self
