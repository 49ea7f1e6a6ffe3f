"""Numbers with normalized values: "20,000" -> 20000, "fourteen million" -> 14000000."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import SpanAnnotation

NumberKind = Literal["count", "money", "percent", "year", "date", "duration", "age", "ordinal", "rate", "other"]
Qualifier = Literal["exact", "approximate", "lower_bound", "upper_bound"]


class NumberMention(SpanAnnotation):
    """A number in the text and the value it stands for."""

    value: float = Field(allow_inf_nan=False, description="Normalized numeric value.")
    kind: NumberKind = Field(description="What sort of quantity this is.")
    unit: str | None = Field(default=None, description="What is counted or measured: 'people', 'USD', 'videos'.")
    qualifier: Qualifier = Field(
        default="exact",
        description="exact; approximate ('roughly', 'some'); lower_bound ('at least', 'upwards of'); "
        "upper_bound ('up to', 'within').",
    )
