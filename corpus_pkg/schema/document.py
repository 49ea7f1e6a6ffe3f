"""The annotation file of one document: ``annotations/<doc_id>.json``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Literal

from pydantic import Field

from .common import Annotation, SafeId, Span, StrictModel
from .entities import EntityMention
from .numbers import NumberMention
from .quotes import Quote
from .stance import Stance

SCHEMA_VERSION = "1.0"

SegmentKind = Literal["title", "subtitle", "byline", "body", "caption", "boilerplate"]

#: Segment kinds that hold article content: the only ones annotated (entities, quotes, numbers, stance
#: evidence must lie inside one, see annotations/GUIDELINES.md) and the only ones the ``ner`` view
#: tokenizes. Subtitles, bylines, captions and boilerplate are segmented but never annotated.
ANNOTATED_SEGMENTS: tuple[SegmentKind, ...] = ("title", "body")


class Segment(Span):
    """Marks which part of the raw text is what. Only ``body`` (and ``title``) hold article text;
    navigation, author bios, captions and newsletter lines stay in the raw file but are labelled."""

    kind: SegmentKind


class DocumentMeta(StrictModel):
    """Bibliographic metadata of the article."""

    title: str = Field(min_length=1)
    outlet: str = Field(min_length=1, description="Publication, e.g. 'CNET'.")
    authors: list[str] = Field(default_factory=list, description="Authors as printed; empty when not given.")
    url: str | None = None
    published: dt.date | None = Field(default=None, strict=False, description="Publication date (ISO 8601), if known.")
    language: str = Field(default="en", pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$", description="BCP 47 tag.")


#: The annotation layers of a file, in file order (each a list of items with ``id`` and ``origin``).
ANNOTATION_LAYERS: tuple[str, ...] = ("entities", "quotes", "numbers", "stance")


class AnnotationFile(StrictModel):
    """All annotations of one document, pinned to the raw text by its sha256."""

    schema_version: Literal["1.0"] = Field(description="Version of this file format.")
    doc_id: SafeId = Field(description="Equals the file stem of annotations/<doc_id>.json and raw/<doc_id>.txt.")
    raw_sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="sha256 of the raw file's bytes.")
    meta: DocumentMeta
    segments: list[Segment] = Field(default_factory=list)
    entities: list[EntityMention] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    numbers: list[NumberMention] = Field(default_factory=list)
    stance: list[Stance] = Field(default_factory=list)

    def layer_items(self) -> Iterator[tuple[str, Annotation]]:
        """Every annotation of the layers in ``ANNOTATION_LAYERS`` with its layer name, in file order."""
        for layer in ANNOTATION_LAYERS:
            for item in getattr(self, layer):
                yield layer, item


class Document(StrictModel):
    """An annotation file together with its raw text: what loaders and converters pass around."""

    text: str
    annotations: AnnotationFile

    @property
    def doc_id(self) -> str:
        return self.annotations.doc_id
