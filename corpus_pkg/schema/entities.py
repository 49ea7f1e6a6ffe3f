"""Entity mentions and the corpus-level entity registry."""

from __future__ import annotations

from pydantic import Field

from .common import SafeId, SpanAnnotation, StrictModel


class EntityMention(SpanAnnotation):
    """A span naming an entity, e.g. ``"Amber Rudd"`` labelled ``PERSON``.

    ``label`` must be declared in ``corpus.json`` (``entity_labels``). ``entity_id`` links the
    mention to the registry in ``entities.json`` so that "ISIS", "Islamic State" and "Daesh"
    count as one entity across documents.
    """

    label: str = Field(description="Entity type from the declared label set (OntoNotes style).")
    entity_id: SafeId | None = Field(default=None, description="Registry id (entities.json) or null.")


class RegistryEntity(StrictModel):
    """One real-world entity, shared by all documents."""

    id: SafeId = Field(description="Stable registry id, e.g. 'isis'.")
    name: str = Field(min_length=1, description="Canonical display name.")
    label: str = Field(description="Entity type from the declared label set.")
    aliases: list[str] = Field(default_factory=list, description="Other names seen in the corpus.")
    wikidata: str | None = Field(default=None, pattern=r"^Q[1-9][0-9]*$", description="Wikidata QID, e.g. 'Q2429253'.")
    description: str | None = Field(default=None, description="One line to tell similar entities apart.")


class EntityRegistry(StrictModel):
    """The file ``entities.json``: every linked entity of the corpus."""

    entities: list[RegistryEntity] = Field(default_factory=list)
