"""Building blocks shared by every annotation layer: spans, origins, ids.

Offsets are Python code-point offsets into the raw file decoded as UTF-8, half-open
``[start, end)``. Every span also stores its surface ``text`` so validation can check
``raw[start:end] == text`` and tools can re-anchor spans after the raw text changes.
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

#: Identifiers of documents, annotations and registry entries: no path separators, no dots
#: at the start, so an id can never escape the folder it names a file in.
SAFE_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,127}$"
SafeId = Annotated[str, StringConstraints(pattern=SAFE_ID_PATTERN)]

#: Where an annotation came from. ``suggestion`` marks machine pre-labels that no person has
#: reviewed yet; they are kept apart from gold labels in every release config.
Origin = Literal["manual", "imported", "suggestion"]
#: The origins that count as gold: what releases ship and agreement is measured on.
GOLD_ORIGINS: tuple[str, ...] = tuple(o for o in get_args(Origin) if o != "suggestion")

#: Offsets are capped well below anything a real article reaches, so hostile values like 10**30
#: fail schema validation instead of overflowing Arrow int64 columns.
MAX_OFFSET = 2**31 - 1
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET)]


class StrictModel(BaseModel):
    """Base for every schema model: unknown keys are errors, values are not coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=False)


class Span(StrictModel):
    """A contiguous stretch of the raw text: ``raw[start:end] == text``."""

    start: Offset = Field(description="Code-point offset of the first character (inclusive).")
    end: Offset = Field(description="Code-point offset one past the last character (exclusive).")
    text: str = Field(min_length=1, description="The surface text, exactly raw[start:end].")

    @model_validator(mode="after")
    def _end_after_start(self) -> Span:
        if self.end <= self.start:
            raise ValueError(f"end ({self.end}) must be greater than start ({self.start})")
        return self


class Annotation(StrictModel):
    """Fields every annotation carries: a document-unique id and its origin."""

    id: SafeId = Field(description="Identifier, unique within the document across all layers.")
    origin: Origin = Field(
        description="manual (a person annotated it), imported (converted from another tool) or "
        "suggestion (a machine pre-label awaiting review)."
    )
    source: str | None = Field(
        default=None,
        description="Free-form provenance: annotator handle, tool and id (e.g. 'brat:T3'), or rule name.",
    )
    note: str | None = Field(default=None, description="Annotator comment; not used in training data.")


class SpanAnnotation(Span, Annotation):
    """An annotation that is one contiguous span."""


def joined_text(fragments: list[Span]) -> str:
    """Text of a discontinuous span: fragment texts joined by a single space (brat's convention)."""
    return " ".join(f.text for f in fragments)
