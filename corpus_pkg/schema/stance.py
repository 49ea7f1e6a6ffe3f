"""Stance of an actor toward a declared target, with the evidence for it."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .common import Annotation, SafeId, Span, StrictModel
from .quotes import MentionSpeaker, NominalSpeaker

StanceLabel = Literal["favor", "against", "neutral"]


class EntityHolder(StrictModel):
    """The holder is a registry entity that the document describes without one clear mention."""

    type: Literal["entity"]
    entity_id: SafeId


Holder = Annotated[MentionSpeaker | NominalSpeaker | EntityHolder, Field(discriminator="type")]


class SpanEvidence(Span):
    """Evidence is a stretch of text."""

    type: Literal["span"]


class QuoteEvidence(StrictModel):
    """Evidence is one of this document's quotes."""

    type: Literal["quote"]
    quote_id: SafeId


Evidence = Annotated[SpanEvidence | QuoteEvidence, Field(discriminator="type")]


class Stance(Annotation):
    """``holder`` is ``label`` (favor/against/neutral) toward ``target``, as ``evidence`` shows."""

    holder: Holder = Field(description="Whose stance: a mention, a nominal span or a registry entity.")
    target: SafeId = Field(description="Stance target id declared in corpus.json (stance_targets).")
    label: StanceLabel
    evidence: Evidence
