"""Quotes: reported speech with its cue and speaker.

A quote's content may be split, as in ``"We emphasized ...," he said, "... so long."``: the
content is then a list of ``fragments`` in text order, and the quote's text is the fragments
joined by one space. A contiguous quote is a list of one fragment.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .common import Annotation, SafeId, Span, StrictModel

QuoteKind = Literal["direct", "indirect", "mixed"]


class MentionSpeaker(StrictModel):
    """The speaker is an entity mention of this document (resolved to the named person)."""

    type: Literal["mention"]
    mention_id: SafeId = Field(description="Id of an entry in this document's ``entities``.")


class NominalSpeaker(Span):
    """The speaker is described, not named: "a White House official", "a spokesman"."""

    type: Literal["nominal"]


class UnknownSpeaker(StrictModel):
    """The article does not say who spoke."""

    type: Literal["unknown"]


Speaker = Annotated[MentionSpeaker | NominalSpeaker | UnknownSpeaker, Field(discriminator="type")]


class Quote(Annotation):
    """A direct, indirect or mixed quote."""

    kind: QuoteKind = Field(description="direct (verbatim, in quotation marks), indirect (reported), mixed (both).")
    fragments: list[Span] = Field(min_length=1, description="Content span(s) in text order.")
    cue: Span | None = Field(default=None, description="The speech verb or phrase: 'said', 'told Reuters'.")
    speaker: Speaker = Field(description="Who is quoted.")
